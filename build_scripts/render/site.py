"""The assembler: every page of the site, each at its own path, and the navigation.

Like Pelican's writer, it refuses to produce the same output path twice: two
pages that would overwrite each other are a bug (or a dossier id colliding
with a page of its own), never a silent loss.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping

from build_scripts.escape import html
from build_scripts.group import Entry, Indexes
from build_scripts.memo import Slots, remember
from build_scripts.model import Article, Corpus, Listed, SiteInfo
from build_scripts.render import feeds, head, pages, reader, urls
from build_scripts.render.templates import PageOut
from build_scripts.schema import INDEX_KINDS, IndexKind

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


def render_site(
    corpus: Corpus,
    idx: Indexes,
    site: SiteInfo,
    slots: Slots | None = None,
    sink: Callable[[str, Output], None] | None = None,
) -> Pages:
    """Every generated page (and feed) of the site.

    ``sink`` receives each page as soon as it is made, the articles newest
    first: the search index is fed while the rest is rendered.

    Each page is rendered from arguments that hold everything it shows. With
    ``slots`` (``serve``), a page whose arguments are equal to last time's is
    not rendered again: unchanged articles are the very same objects, so the
    comparison is quick, and a saved change re-renders only the pages it reaches.
    """
    out = Pages()

    def page(path: str, render: Callable[..., Output], *args: object) -> None:
        made = remember(slots, f"page:{path}", render, *args)
        out.add(path, made)
        if sink is not None:
            sink(path, made)

    counts = {kind: len(entries) for kind, entries in idx.entries.items()}
    counts["citations"] = len(idx.quotes)
    page(urls.HOME, pages.render_home, corpus, idx.by_theme, idx.stats, counts, site)
    page(urls.DOSSIERS, pages.render_dossiers_index, corpus, idx.by_theme)
    for theme in corpus.themes:
        articles = remember(slots, f"listed:{urls.theme_src(theme)}", listed, idx.by_theme[theme.id])
        page(
            urls.theme_src(theme),
            pages.render_theme,
            theme,
            articles,
            idx.stats[theme.id],
            idx.quotes_by_theme[theme.id],
        )
        if len(articles) > pages.DOSSIER_SPLIT_OVER:
            years = pages.dossier_years(articles)
            for year, items in years.items():
                page(urls.theme_year_src(theme, year), pages.render_theme_year, theme, year, items, list(years))
    themes = {t.id: t for t in corpus.themes}
    for article in corpus.articles:  # newest first: the search index's parts are spans of dates
        older, newer = idx.neighbours[article.id]
        # Its links depend on the slugs of its names' entries only: under ``serve`` they are
        # computed again only when one of those changes (a hundred thousand links at 10,000 articles).
        names = idx.names[article.id].pairs
        slugs = tuple(
            idx.entry_of[kind.segment][written].slug
            for kind, pairs in zip(INDEX_KINDS, names, strict=True)
            for _canonical, written in pairs
        )
        page(
            urls.article_src(article),
            pages.render_article,
            article,
            tuple(themes[t] for t in article.themes),
            remember(slots, f"links:{article.id}", pages.links_to, article, slugs),
            remember(slots, f"about:{article.id}", head.about, article, idx.aliases),
            idx.quotes_by_article[article.id],
            listed(idx.related[article.id]),
            older.listed if older else None,
            newer.listed if newer else None,
            site,
        )
    _reader_pages(corpus, idx, page, slots)
    for path, render, args in feeds.all_feeds(corpus, idx, site):
        page(path, render, *args)
    return out


def _reader_pages(corpus: Corpus, idx: Indexes, page: Callable[..., None], slots: Slots | None) -> None:
    """The chronology, the quotations and the indexes of names."""
    years = sorted(idx.by_year, reverse=True)
    of_year = {
        year: remember(slots, f"listed:{urls.chronology_src(year)}", listed, idx.by_year[year]) for year in years
    }
    page(urls.CHRONOLOGY, reader.render_chronology, [(y, of_year[y]) for y in years])
    titles = {t.id: t.title for t in corpus.themes}
    for i, year in enumerate(years):
        newer = years[i - 1] if i > 0 else None
        older = years[i + 1] if i + 1 < len(years) else None
        page(urls.chronology_src(year), reader.render_chronology_year, year, of_year[year], newer, older, titles)
    groups = [(t, idx.quotes_by_theme[t.id]) for t in corpus.themes if idx.quotes_by_theme[t.id]]
    page(urls.QUOTES, reader.render_quotes, groups, len(idx.quotes))
    for theme, quotes in groups:
        by_year = remember(slots, f"quote-years:{theme.id}", reader.quote_years, quotes)
        counts = [(year, len(items)) for year, items in by_year.items()]
        page(urls.quotes_src(theme), reader.render_quotes_theme, theme, quotes, counts, None)
        for year, items in by_year.items():
            page(urls.quotes_src(theme, year), reader.render_quotes_theme, theme, items, [], year)
    for kind in INDEX_KINDS:
        entries = idx.entries[kind.segment]
        heads = tuple(remember(slots, f"head:{kind.segment}:{e.slug}", reader.entry_head, kind, e) for e in entries)
        page(urls.index_src(kind), reader.render_index, kind, heads)
        for entry, entry_head in zip(entries, heads, strict=True):
            _entry_pages(kind, entry, entry_head, titles, page, slots)


def _entry_pages(
    kind: IndexKind,
    entry: Entry,
    head: reader.EntryHead,
    titles: dict[str, str],
    page: Callable[..., None],
    slots: Slots | None,
) -> None:
    """One name's own page; a large one's latest articles and one page per year or month (issue 12)."""
    articles = remember(slots, f"listed:{urls.entry_src(kind, entry.slug)}", listed, entry.articles)
    periods = remember(slots, f"periods:{kind.segment}:{entry.slug}", reader.entry_periods, articles)
    if not periods:
        page(urls.entry_src(kind, entry.slug), reader.render_entry, head, articles, (), None, titles)
        return
    counts = tuple((key, len(items)) for key, items in periods.items())
    latest = articles[: reader.ENTRY_LATEST]
    page(urls.entry_src(kind, entry.slug), reader.render_entry, head, latest, counts, None, titles)
    for key, items in periods.items():
        shown = items[: reader.ENTRY_PAGE_MAX]
        page(urls.entry_src(kind, entry.slug, key), reader.render_entry, head, shown, counts, key, titles)


def listed(articles: Iterable[Article]) -> tuple[Listed, ...]:
    """``articles`` as a list shows them (``Listed``): what the pages listing articles are given.

    ``render_site`` makes each long list through the memo (``remember``), so that under ``serve`` an
    unchanged one is the same tuple as last time and the pages given it compare it at once (10,000
    articles sit in the chronology, and several times that in the indexes' entries).
    """
    return tuple(article.listed for article in articles)


def navigation(corpus: Corpus) -> list[dict[str, object]]:
    """The site navigation: stays the same size however many articles there are.

    Every generated page in it is given its title: a dirty rebuild (``serve``)
    does not read the pages it does not write again, and MkDocs would then show
    a title made from the file name, or "None", on the pages it does write.
    """
    dossiers: list[object] = [{"Dossiers": urls.DOSSIERS}]
    # Material prints navigation titles unescaped, like page.meta.title.
    dossiers += [{str(html(t.title)): urls.theme_src(t)} for t in corpus.themes]
    return [
        {"Accueil": urls.HOME},
        {"Dossiers": dossiers},
        {"Chronologie": urls.CHRONOLOGY},
        {"Citations": urls.QUOTES},
        {"Index": [{kind.title: urls.index_src(kind)} for kind in INDEX_KINDS]},
        {"À propos": urls.ABOUT},
    ]
