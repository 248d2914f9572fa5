"""The URL scheme: where every generated page lives inside ``docs/``, and links between them.

A page's source path (``articles/<slug>.md``) is all MkDocs needs to place it
(``articles/<slug>/``); every link is relative, so the site works under any
sub-path (a GitHub Pages project site).
"""

from __future__ import annotations

import posixpath
from functools import lru_cache

from build_scripts.model import Article, Listed, Theme
from build_scripts.schema import IndexKind

HOME = "index.md"
DOSSIERS = "dossiers/index.md"
CHRONOLOGY = "chronologie/index.md"
QUOTES = "citations/index.md"
ABOUT = "a-propos.md"
FEED_ALL = "flux/articles.xml"


def _id(theme: Theme | str) -> str:
    return theme if isinstance(theme, str) else theme.id


def article_src(article: Article | Listed) -> str:
    """An article page: ``articles/<slug>.md``."""
    return f"articles/{article.slug}.md"


def theme_src(theme: Theme | str) -> str:
    """A dossier page: ``dossiers/<id>.md``."""
    return f"dossiers/{_id(theme)}.md"


def theme_year_src(theme: Theme | str, year: int) -> str:
    """One year of a large dossier: ``dossiers/<id>/<year>.md``."""
    return f"dossiers/{_id(theme)}/{year}.md"


def chronology_src(year: int) -> str:
    """One year of the chronology: ``chronologie/<year>.md``."""
    return f"chronologie/{year}.md"


def quotes_src(theme: Theme | str, year: int | None = None) -> str:
    """The quotations of a dossier, or of one of its years: ``citations/<id>[-<year>].md``."""
    return f"citations/{_id(theme)}.md" if year is None else f"citations/{_id(theme)}-{year}.md"


def index_src(kind: IndexKind | str) -> str:
    """An index page (``personnes/index.md``), by kind or URL segment."""
    return f"{kind if isinstance(kind, str) else kind.segment}/index.md"


def entry_src(kind: IndexKind | str, slug: str, period: str | None = None) -> str:
    """The own page of one index entry, ``personnes/<slug>.md``, or of one of its periods
    (a large entry's year or month): ``personnes/<slug>/<2021 or 2021-03>.md``."""
    segment = kind if isinstance(kind, str) else kind.segment
    return f"{segment}/{slug}.md" if period is None else f"{segment}/{slug}/{period}.md"


def feed_src(theme: Theme | str | None = None) -> str:
    """The Atom feed of the publication, or of one dossier: ``flux/dossiers/<id>.xml``."""
    return FEED_ALL if theme is None else f"flux/dossiers/{_id(theme)}.xml"


def page_url(src: str) -> str:
    """Directory URL MkDocs gives a Markdown page: ``articles/x.md`` -> ``articles/x/``."""
    stem = src[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")]
        return stem
    return stem + "/"


def _relpath(target: str, base: str) -> str:
    """``posixpath.relpath`` for two relative paths, without its two ``abspath`` calls.

    Entity and list pages link to thousands of distinct pages, so most links
    miss the cache below and relpath's ``os.getcwd`` + normalisation dominated
    the profile (issue 7). Paths with ``..`` keep the library's own answer.
    """
    if ".." in target or ".." in base or target.startswith("/") or base.startswith("/"):
        return posixpath.relpath(target, base)
    target_parts = [part for part in target.split("/") if part and part != "."]
    base_parts = [part for part in base.split("/") if part and part != "."]
    common = 0
    for a, b in zip(target_parts, base_parts, strict=False):  # lengths differ by design
        if a != b:
            break
        common += 1
    parts = [".."] * (len(base_parts) - common) + target_parts[common:]
    return "/".join(parts) if parts else "."


@lru_cache(maxsize=1 << 12)
def _folder_href(base: str, folder: str) -> str:
    """Relative link from the page at URL ``base`` to the folder ``folder``, ending with ``/`` (or empty)."""
    rel = _relpath(folder or ".", base or ".")
    return "" if rel == "." else rel + "/"


def relative_href(from_src: str, to_src: str, anchor: str | None = None) -> str:
    """Relative link between two generated pages, so the site works under any sub-path.

    Pages link to thousands of distinct pages but from few folders to few
    folders: the folder part is computed once per pair of folders (issue 11).
    A target that contains the page (its parent, itself) keeps relpath's own
    answer (``..``), so every link is the string ``posixpath.relpath`` gives.
    """
    base = page_url(from_src)
    target = page_url(to_src)
    if target and not base.startswith(target):
        folder, _, name = target[:-1].rpartition("/")
        rel = _folder_href(base, folder) + name + "/"
    else:
        rel = _relpath(target or ".", base or ".")
        rel = "./" if rel == "." else rel + "/"
    return rel + (f"#{anchor}" if anchor else "")


def file_href(from_src: str, path: str) -> str:
    """Relative link from a generated page to a plain file of ``docs/`` (a feed)."""
    return _relpath(path, page_url(from_src) or ".")
