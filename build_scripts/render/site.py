"""The assembler: every page of the site, each at its own path, and the navigation.

Like Pelican's writer, it refuses to produce the same output path twice: two
pages that would overwrite each other are a bug (or a dossier id colliding
with a page of its own), never a silent loss.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from build_scripts.escape import html
from build_scripts.group import Indexes
from build_scripts.model import Corpus, SiteInfo
from build_scripts.render import feeds, pages, reader, urls
from build_scripts.render.templates import PageOut
from build_scripts.schema import INDEX_KINDS

Output = PageOut | str
"""A generated page, or the text of a generated file (a feed)."""


class DuplicatePageError(Exception):
    """Two generated pages claim the same path inside ``docs/``."""

    def __init__(self, path: str) -> None:
        super().__init__(f"deux pages générées ont la même adresse : {path}")
        self.path = path


class Pages(Mapping[str, Output]):
    """Generated pages and feeds by their path as MkDocs sees it (``articles/x.md``); each path once."""

    def __init__(self) -> None:
        self._pages: dict[str, Output] = {}

    def add(self, path: str, content: Output) -> None:
        """Add one file; a path already taken raises ``DuplicatePageError``."""
        if path in self._pages:
            raise DuplicatePageError(path)
        self._pages[path] = content

    def extend(self, items: Iterable[tuple[str, Output]]) -> None:
        """Add several files."""
        for path, content in items:
            self.add(path, content)

    def __getitem__(self, path: str) -> Output:
        return self._pages[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._pages)

    def __len__(self) -> int:
        return len(self._pages)


def render_site(corpus: Corpus, idx: Indexes, site: SiteInfo) -> Pages:
    """Every generated page (and feed) of the site."""
    out = Pages()
    out.add(urls.HOME, pages.render_home(corpus, idx))
    out.add(urls.DOSSIERS, pages.render_dossiers_index(corpus, idx))
    for theme in corpus.themes:
        articles = idx.by_theme[theme.id]
        out.add(urls.theme_src(theme), pages.render_theme(theme, articles, idx))
        if len(articles) > pages.DOSSIER_SPLIT_OVER:
            years = pages.dossier_years(articles)
            for year, items in years.items():
                out.add(urls.theme_year_src(theme, year), pages.render_theme_year(theme, year, items, list(years)))
    for article in corpus.articles:
        out.add(urls.article_src(article), pages.render_article(article, corpus, idx, site))
    out.extend(reader.render_chronology(corpus, idx))
    out.extend(reader.render_quotes(corpus, idx))
    for kind in INDEX_KINDS:
        out.extend(reader.render_index(kind, corpus, idx))
    out.extend(feeds.all_feeds(corpus, idx, site))
    return out


def navigation(corpus: Corpus) -> list[dict[str, object]]:
    """The site navigation: stays the same size however many articles there are."""
    dossiers: list[object] = [urls.DOSSIERS]
    # Material prints navigation titles unescaped, like page.meta.title.
    dossiers += [{str(html(t.title)): urls.theme_src(t)} for t in corpus.themes]
    return [
        {"Accueil": urls.HOME},
        {"Dossiers": dossiers},
        {"Chronologie": urls.CHRONOLOGY},
        {"Citations": urls.QUOTES},
        {"Index": [urls.index_src(kind) for kind in INDEX_KINDS]},
        {"À propos": urls.ABOUT},
        {"Performances": "performance.md"},
    ]
