"""What a branch changes in the corpus, article by article, against its base. Pure.

Each changed seed pair becomes a ``Change``: the article as it will be published
(or as it was, when removed), the names it alone brings to the indexes (with the
known names a letter or two away, a likely typo), what ``check`` says of its
files, the closest text already in the corpus, and its pages.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from build_scripts import duplicates
from build_scripts.group import entry_slugs
from build_scripts.load import RawSeeds
from build_scripts.model import Article, Corpus
from build_scripts.problems import Problem
from build_scripts.render import urls
from build_scripts.schema import INDEX_KINDS, SEEDS_DIR, IndexKind
from build_scripts.text import fold

Status = Literal["added", "changed", "removed"]
NEAR_MAX = 3
"""Known look-alikes shown for one new name."""


@dataclass(frozen=True)
class Side:
    """One state of ``seeds/``: its raw files, the corpus made of them, and what ``check`` says."""

    files: dict[str, bytes]
    """File name in ``seeds/`` -> content, for the article seeds (``.txt`` and ``.yml``)."""
    raw: RawSeeds
    corpus: Corpus
    problems: tuple[Problem, ...]
    """Errors and warnings of ``check``, duplicates excepted (``Change.duplicate``)."""


@dataclass(frozen=True)
class NewName:
    """A name only this article brings to an index (or, for a removed article, takes away)."""

    kind: IndexKind
    name: str
    """Canonical name, as the index shows it."""
    page: str | None
    """Source path of its own page (``personnes/<slug>.md``); ``None`` when it goes away."""
    near: tuple[str, ...]
    """Known names of the same kind within one or two letters: a typo?"""


@dataclass(frozen=True)
class Similar:
    """The text of the corpus closest to this one."""

    path: str
    """Its ``.txt`` seed."""
    title: str
    similarity: float
    """Estimated share of common passages, 0 to 1."""


@dataclass(frozen=True)
class Change:
    """One article added, changed or removed."""

    status: Status
    stem: str
    """The seed's file stem."""
    article: Article | None
    """As published after the change (before it, when removed); ``None`` when its seeds do not validate."""
    title: str
    """Its title, or the best the raw files give when it does not validate."""
    names: tuple[NewName, ...]
    problems: tuple[Problem, ...]
    """What ``check`` reports for its ``.txt`` and ``.yml``."""
    duplicate: Similar | None
    pages: tuple[str, ...]
    """Source paths of the pages it gets (article, dossiers, its new names), empty when removed."""


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of ``a`` and ``b``, or ``limit + 1`` as soon as it must exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def typo_limit(key: str) -> int:
    """Letters a name may differ by and still look like a typo: two from six letters on, one from three."""
    return 2 if len(key) >= 6 else 1 if len(key) >= 3 else 0


def near_names(name: str, known: Iterable[tuple[str, str]]) -> tuple[str, ...]:
    """Known names within ``typo_limit`` letters of ``name`` (accents, case and spaces aside), closest first.

    ``known`` yields (name, its ``fold``).
    """
    key = fold(name)
    limit = typo_limit(key)
    found = []
    for other, other_key in known:
        if other != name:
            distance = edit_distance(key, other_key, limit)
            if distance <= limit:
                found.append((distance, other))
    return tuple(other for _, other in sorted(found)[:NEAR_MAX])


@dataclass(frozen=True)
class _Index:
    """One index over both sides: how many articles carry each name now, and the names the base had."""

    head: Counter[str]
    base: set[str]
    folded: tuple[tuple[str, str], ...]
    """Every name of either side with its ``fold``, for ``near_names``."""
    slugs: dict[str, str]
    """Each name's page in the index after the change (``group.entry_slugs``, as the build names it)."""


def _names(corpus: Corpus, article: Article, kind: IndexKind) -> list[str]:
    """An article's canonical names in one index, each once."""
    return list(dict.fromkeys(corpus.canonical(kind.field, name) for name in article.names(kind.field)))


def _index(base: Corpus, head: Corpus, kind: IndexKind) -> _Index:
    counts: Counter[str] = Counter(name for a in head.articles for name in _names(head, a, kind))
    before = {name for a in base.articles for name in _names(base, a, kind)}
    folded = tuple((name, fold(name)) for name in sorted(set(counts) | before))
    return _Index(counts, before, folded, entry_slugs(counts))


def _raw_title(raw: RawSeeds, stem: str) -> str:
    """Title of a seed pair that does not validate: its ``title:``, else its first line, else its name."""
    doc = raw.metas.get(stem)
    if doc is not None and isinstance(doc.value, dict) and isinstance(doc.value.get("title"), str):
        return str(doc.value["title"])
    text = raw.texts.get(stem)
    return text.lines[0][1] if text is not None and text.lines else stem


def changed_stems(base: dict[str, bytes], head: dict[str, bytes]) -> dict[str, Status]:
    """Seed stems whose ``.txt`` or ``.yml`` differ, each added, changed or removed."""
    stems: dict[str, Status] = {}
    for name in sorted(set(base) | set(head)):
        if base.get(name) == head.get(name):
            continue
        stem = name.rsplit(".", 1)[0]
        in_base = any(f"{stem}.{ext}" in base for ext in ("txt", "yml"))
        in_head = any(f"{stem}.{ext}" in head for ext in ("txt", "yml"))
        stems[stem] = "changed" if in_base and in_head else "added" if in_head else "removed"
    return stems


def find_changes(base: Side, head: Side) -> list[Change]:
    """Every article the branch adds, changes or removes: added first, then changed, then removed."""
    stems = changed_stems(base.files, head.files)
    texts = ((seed.path, "\n".join(line for _, line in seed.lines)) for _, seed in sorted(head.raw.texts.items()))
    # Only the changed texts' pairs are compared: the rest of the corpus was judged before.
    mine = {f"{SEEDS_DIR}/{stem}.txt" for stem in stems}
    closest = {dup.key: dup for dup in duplicates.find_duplicates(texts, only=mine)}
    titles = {a.text_path: a.title for a in head.corpus.articles}
    indexes = {kind.field: _index(base.corpus, head.corpus, kind) for kind in INDEX_KINDS}
    order: dict[Status, int] = {"added": 0, "changed": 1, "removed": 2}
    changes: list[Change] = []
    for stem, status in sorted(stems.items(), key=lambda s: (order[s[1]], s[0])):
        side = base if status == "removed" else head
        article = next((a for a in side.corpus.articles if a.id == stem), None)
        names: list[NewName] = []
        for kind in INDEX_KINDS:
            index = indexes[kind.field]
            for name in _names(side.corpus, article, kind) if article is not None else ():
                if status == "removed":
                    # A name that no article left carries: its page goes away.
                    if not index.head[name]:
                        names.append(NewName(kind, name, None, ()))
                elif index.head[name] == 1 and name not in index.base:
                    page = urls.entry_src(kind, index.slugs[name])
                    names.append(NewName(kind, name, page, near_names(name, index.folded)))
        problems: tuple[Problem, ...] = ()
        similar = None
        pages: tuple[str, ...] = ()
        if status != "removed":
            paths = {f"{SEEDS_DIR}/{stem}.txt", f"{SEEDS_DIR}/{stem}.yml"}
            problems = tuple(p for p in head.problems if p.path in paths)
            dup = closest.get(f"{SEEDS_DIR}/{stem}.txt")
            if dup is not None:
                similar = Similar(dup.other, titles.get(dup.other, dup.other), dup.similarity)
            if article is not None:
                pages = (
                    urls.article_src(article),
                    *(urls.theme_src(t) for t in article.themes),
                    *(n.page for n in names if n.page),
                )
        title = article.title if article is not None else _raw_title(side.raw, stem)
        changes.append(Change(status, stem, article, title, tuple(names), problems, similar, pages))
    return changes
