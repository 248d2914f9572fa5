"""The memo of the pipeline, in this process only: nothing is kept on disk, so nothing goes stale between runs.

Two levels, both keyed by value, never by time alone:

* ``Memo``: the last generation of a project, under the fingerprint of its
  inputs. ``python -m build_scripts build`` generates, then MkDocs' hook asks
  again and gets the same result without reading a seed.
* ``Slots``: the parts of a generation (a parsed seed, a validated article, a
  rendered page), each remembered with the arguments it was computed from.
  When ``serve`` regenerates after a saved change, every part whose arguments
  are equal is reused: unchanged seeds give the very same objects, so the
  comparison stops at identity, and only what the change reaches is computed
  again (issue 11).
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

# File times come from a coarse kernel clock (a few milliseconds): a file
# rewritten twice within one tick, at the same size, keeps the same (size,
# mtime). Like git's "racily clean" entries, a file changed this recently is
# also identified by its content.
RACY_NS = 2_000_000_000


def is_racy(mtime_ns: int) -> bool:
    """Whether a file time is too recent to prove that the content did not change since."""
    return time.time_ns() - mtime_ns < RACY_NS


def digest(path: Path) -> str:
    """A short digest of a file's content."""
    return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()


Fingerprint = tuple[tuple[str, int, int, str], ...]


def dir_fingerprint(folder: Path) -> Fingerprint:
    """(name, size, mtime_ns, link target) of every entry directly in ``folder``, by name.

    A file changed too recently for its time to prove anything (``is_racy``)
    is checked by its content on recall: see ``Memo``.
    """
    found: list[tuple[str, int, int, str]] = []
    # A link is never followed, not even to fingerprint it: load.py refuses it
    # (issue 13), and the link itself (its target) is what identifies it.
    if folder.is_symlink():
        return (("", -1, -1, os.readlink(folder)),)
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_symlink():
                    found.append((entry.name, -1, -1, os.readlink(entry.path)))
                elif entry.is_file():
                    stat = entry.stat()
                    found.append((entry.name, stat.st_size, stat.st_mtime_ns, ""))
    except FileNotFoundError:
        return ()
    return tuple(sorted(found))


class Memo:
    """The last result per owner (a project root), valid while its key is unchanged.

    The key fingerprints folders by file sizes and times. A file whose time was
    too recent when the result was kept (``is_racy``) could have been rewritten
    since within the same clock tick: its digest is kept too, and checked on recall.
    """

    def __init__(self) -> None:
        self._entries: dict[Any, tuple[Any, Any, dict[Path, str]]] = {}

    def recall(self, owner: Any, key: Any) -> Any:
        """The result kept for ``owner`` under ``key``, or ``None``."""
        entry = self._entries.get(owner)
        if entry is None or entry[0] != key:
            return None
        for path, known in entry[2].items():
            try:
                if digest(path) != known:
                    return None
            except OSError:
                return None
        return entry[1]

    def keep(self, owner: Any, key: Any, result: Any, folders: Mapping[Path, Fingerprint] | None = None) -> None:
        """Remember ``result`` for ``owner`` under ``key``; ``folders`` are the fingerprints the key holds."""
        recent: dict[Path, str] = {}
        for folder, fingerprint in (folders or {}).items():
            for name, _size, mtime_ns, _link in fingerprint:
                if mtime_ns > 0 and is_racy(mtime_ns):
                    recent[folder / name] = digest(folder / name)
        self._entries[owner] = (key, result, recent)

    def clear(self) -> None:
        """Forget everything (tests that edit files within one clock tick)."""
        self._entries.clear()


class Slots:
    """Results by name, each valid while the arguments it was computed from are equal.

    ``start()`` opens a round; ``finish()`` drops the names the round did not
    ask for (a deleted seed, a page no longer made), so memory stays bounded.
    """

    def __init__(self) -> None:
        self._slots: dict[str, tuple[tuple[Any, ...], Any]] = {}
        self._asked: set[str] = set()
        self.computed: list[str] = []
        """The names whose result the current round computed (the others were reused): tests count them."""

    def get(self, name: str, compute: Callable[..., T], *args: Any) -> T:
        """``compute(*args)``, or the result kept under ``name`` if it came from equal arguments."""
        self._asked.add(name)
        slot = self._slots.get(name)
        if slot is not None and slot[0] == args:
            result: T = slot[1]
            return result
        self.computed.append(name)
        value = compute(*args)
        self._slots[name] = (args, value)
        return value

    def last(self, name: str) -> Any:
        """What was kept under ``name``, whatever its arguments, or ``None``; kept for the next round too.

        For the parts that are updated from their last value rather than recomputed (``group._related``).
        """
        self._asked.add(name)
        slot = self._slots.get(name)
        return None if slot is None else slot[1]

    def keep(self, name: str, value: Any) -> None:
        """Keep ``value`` under ``name`` for the next round's ``last``."""
        self._asked.add(name)
        self._slots[name] = ((), value)

    def start(self) -> None:
        """Begin a round."""
        self._asked = set()
        self.computed = []

    def finish(self) -> None:
        """End a round: forget every name it did not ask for."""
        for name in set(self._slots) - self._asked:
            del self._slots[name]


def remember(slots: Slots | None, name: str, compute: Callable[..., T], *args: Any) -> T:
    """``compute(*args)`` through ``slots`` when there are slots (``serve``), directly otherwise."""
    return compute(*args) if slots is None else slots.get(name, compute, *args)
