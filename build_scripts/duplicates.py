"""Probable duplicate texts: word shingles, one-permutation MinHash and LSH buckets.

Comparing every pair of articles is quadratic (50 million pairs at 10,000
articles). Instead each text gets a short signature whose positions agree with
another text's with probability equal to their Jaccard similarity (MinHash);
signatures are cut into bands and only texts sharing a whole band are compared
(locality-sensitive hashing). The work is linear in the total text length.

One-permutation hashing (Li, Owen & Zhang, NeurIPS 2012) hashes each shingle
once and keeps the minimum of each of ``BINS`` ranges of the hash space, so the
inner loops stay in C (``map``, ``set``, ``sorted``, ``bisect``); empty bins are
filled from the next non-empty one ("densification", Shrivastava 2017).
"""

from __future__ import annotations

import re
import zlib
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Container, Iterable
from dataclasses import dataclass

from build_scripts.text import strip_accents

SHINGLE = 5
"""Words per shingle: long enough that common phrases do not match by chance."""
BINS = 128
"""Signature length."""
ROWS = 4
"""Signature positions per LSH band; ``BINS // ROWS`` bands."""
THRESHOLD = 0.5
"""Estimated Jaccard similarity from which two texts are reported."""
MIN_SHINGLES = 20
"""Texts shorter than this are too short to call duplicates."""

_WORD = re.compile(r"\w+")
_HASH_BITS = 64
_LOW = -(2 ** (_HASH_BITS - 1))
_WIDTH = 2**_HASH_BITS // BINS
_BOUNDS = [_LOW + i * _WIDTH for i in range(BINS + 1)]


@dataclass(frozen=True, order=True)
class Duplicate:
    """A text that is largely the same as another."""

    key: str
    """The text that looks like a copy (e.g. its seed path)."""
    other: str
    """The text it resembles most."""
    similarity: float
    """Estimated share of common passages (Jaccard similarity of shingles), 0 to 1."""


def words(text: str) -> list[str]:
    """Lower-case, accent-free words: typography and case do not hide a copy."""
    return _WORD.findall(strip_accents(text.casefold()))


def shingles(text: str) -> set[int]:
    """Hashes of every run of ``SHINGLE`` consecutive words."""
    ids = list(map(zlib.crc32, map(str.encode, words(text))))
    if len(ids) < SHINGLE:
        return {hash(tuple(ids))} if ids else set()
    # Tuples of ints hash deterministically (no PYTHONHASHSEED), all in C.
    return set(map(hash, zip(*(ids[i:] for i in range(SHINGLE)), strict=False)))


def signature(hashes: set[int]) -> tuple[int, ...] | None:
    """One-permutation MinHash of a shingle set, densified; ``None`` for an empty set."""
    if not hashes:
        return None
    ordered = sorted(hashes)
    size = len(ordered)
    mins: list[int | None] = []
    for i in range(BINS):
        at = bisect_left(ordered, _BOUNDS[i])
        mins.append(ordered[at] - _BOUNDS[i] if at < size and ordered[at] < _BOUNDS[i + 1] else None)
    # Densify: an empty bin borrows the next non-empty bin's value, tagged with
    # the distance so that borrowed values only match other borrowed values.
    filled: list[int] = []
    for i in range(BINS):
        for step in range(BINS):
            value = mins[(i + step) % BINS]
            if value is not None:
                filled.append(value * BINS + step)
                break
    return tuple(filled)


def similarity(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return sum(x == y for x, y in zip(a, b, strict=True)) / BINS


def find_duplicates(
    texts: Iterable[tuple[str, str]], threshold: float = THRESHOLD, only: Container[str] | None = None
) -> list[Duplicate]:
    """For each text resembling another at least ``threshold``, its closest match.

    ``texts`` yields (key, text). A pair is reported both ways, each text naming
    the other, so the warning is seen whichever file the maintainer just added.
    With ``only``, just the pairs that hold one of those keys are compared.
    """
    signatures: dict[str, tuple[int, ...]] = {}
    buckets: dict[tuple[int, ...], list[str]] = defaultdict(list)
    for key, text in texts:
        hashes = shingles(text)
        if len(hashes) < MIN_SHINGLES:
            continue
        sig = signature(hashes)
        if sig is None:
            continue
        signatures[key] = sig
        for band in range(0, BINS, ROWS):
            buckets[(band, *sig[band : band + ROWS])].append(key)
    best: dict[str, tuple[float, str]] = {}
    seen: set[tuple[str, str]] = set()
    for members in buckets.values():
        if len(members) < 2:
            continue
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                pair = (a, b) if a < b else (b, a)
                if pair in seen or (only is not None and a not in only and b not in only):
                    continue
                seen.add(pair)
                score = similarity(signatures[a], signatures[b])
                if score < threshold:
                    continue
                for key, other in ((a, b), (b, a)):
                    current = best.get(key)
                    if current is None or (-score, other) < (-current[0], current[1]):
                        best[key] = (score, other)
    return sorted(Duplicate(key, other, score) for key, (score, other) in best.items())
