"""The pipeline, read top to bottom: load → validate → group → render; then MkDocs publishes.

``python -m build_scripts build`` calls ``generate`` once and then renders the
site with MkDocs, whose hook calls it again and gets the same result from the
memo. Under a plain ``mkdocs build`` or ``mkdocs serve``, the hook is the only
caller; ``serve`` calls again on every change and only then works again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from build_scripts import memo
from build_scripts.group import Indexes, build_indexes
from build_scripts.load import RawSeeds, read_seeds
from build_scripts.model import Corpus, SiteInfo
from build_scripts.problems import InputError, Problem
from build_scripts.render.site import DuplicatePageError, Output, Pages, render_site
from build_scripts.review import review
from build_scripts.schema import SEEDS_DIR
from build_scripts.validate import validate

TEMPLATES = Path(__file__).resolve().parent / "render" / "templates"


@dataclass(frozen=True)
class Generated:
    """Outcome of one generation."""

    corpus: Corpus
    """The validated corpus the pages were made from."""
    warnings: tuple[Problem, ...]
    """Problems that do not stop the build."""
    pages: Pages
    """Every generated page and feed, for MkDocs."""
    reused: bool = False
    """Whether this is a remembered result: nothing was read or rendered."""


def generate(root: Path, site: SiteInfo, index: Callable[[str, Output], None] | None = None) -> Generated:
    """Seeds in, pages out; ``InputError`` on any input error.

    ``index`` receives each page as it is rendered (the search index is built
    meanwhile, on the other core), or all at once from a remembered generation.
    """
    root = root.resolve()
    # Scanned once: the key, then what ``keep`` checks of files changed too recently.
    folders = {folder: memo.dir_fingerprint(folder) for folder in (root / SEEDS_DIR, TEMPLATES)}
    key = (site, dt.date.today(), *folders.values())
    known: Generated | None = _MEMO.recall(root, key)
    if known is not None:
        if index is not None:
            for path, out in known.pages.items():
                index(path, out)
        return replace(known, reused=True)
    slots = _parts(root)
    _raw, corpus, problems = load_and_validate(root, slots=slots, seen=folders[root / SEEDS_DIR])
    stop_on_errors(problems)
    indexes = build_indexes(corpus, slots)
    pages = render(corpus, indexes, site, slots, index)
    if slots is not None:
        slots.finish()
    result = Generated(corpus, tuple(p for p in problems if p.severity != "error"), pages)
    _MEMO.keep(root, key, result, folders)
    return result


SERVING = False
"""Set by the MkDocs hook under ``serve``: the parts of each generation are kept for the next one."""


def _parts(root: Path) -> memo.Slots | None:
    """The parts remembered for ``root`` while serving (a round begins), or ``None`` for a one-off build."""
    if not SERVING:
        return None
    slots = _SLOTS.setdefault(root, memo.Slots())
    slots.start()
    return slots


def check(root: Path, today: dt.date | None = None) -> tuple[Corpus, list[Problem]]:
    """What ``python -m build_scripts check`` reports: every problem, corpus-wide warnings included."""
    raw, corpus, problems = load_and_validate(root, today)
    return corpus, sorted(problems + review(raw, corpus))


def load_and_validate(
    root: Path, today: dt.date | None = None, slots: memo.Slots | None = None, seen: memo.Fingerprint = ()
) -> tuple[RawSeeds, Corpus, list[Problem]]:
    """Stages 1 and 2: the raw seeds, the corpus made of them, and every problem found.

    ``seen``: the seeds' sizes and times as just read (``memo.dir_fingerprint``), so that
    ``serve`` does not ask them of the system twice.
    """
    raw, problems = read_seeds(root, slots=slots, seen=seen)
    corpus, found = validate(raw, today, slots)
    return raw, corpus, sorted(problems + found)


def stop_on_errors(problems: list[Problem]) -> None:
    """Raise ``InputError`` with the errors among ``problems``, if there is one."""
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise InputError(errors)


def render(
    corpus: Corpus,
    indexes: Indexes,
    site: SiteInfo,
    slots: memo.Slots | None = None,
    index: Callable[[str, Output], None] | None = None,
) -> Pages:
    """Stage 4, with a colliding page path reported as an input problem rather than a traceback."""
    try:
        return render_site(corpus, indexes, site, slots, index)
    except DuplicatePageError as error:
        raise InputError([Problem(SEEDS_DIR, None, f"{error} : deux dossiers ou deux noms se recouvrent")]) from None


# The last generation per project root, and its parts while serving, in this process (see memo.py).
_MEMO = memo.Memo()
_SLOTS: dict[Path, memo.Slots] = {}
