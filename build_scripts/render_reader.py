"""Stage 3b: the reader pages (chronology, quotations, entity and source indexes). Pure.

No page lists an unbounded number of articles: the chronology has one page per
year, the quotation index shows a few per dossier and links to one page per
dossier, and an index entry shows its latest articles and links to the entry's
own page when it has more.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from build_scripts.group import Entry, Indexes, Quote
from build_scripts.model import Article, Corpus
from build_scripts.quotes import MIN_WORDS
from build_scripts.render import _meta, _render

# Articles shown under an entry on its index page; more go to its own page.
ENTRY_INLINE = 5
QUOTES_PREVIEW = 3
# Above this, a dossier's quotations are split into one page per year.
QUOTES_PAGE_MAX = 200

# Index kind -> (page title, introduction, source of the data).
INDEX_PAGES = {
    "personnes": ("Personnes", "Les personnes citées dans les articles, avec les articles qui les mentionnent"),
    "lieux": ("Lieux", "Les lieux cités dans les articles, avec les articles qui les mentionnent"),
    "organisations": (
        "Organisations",
        "Les organisations citées dans les articles, avec les articles qui les mentionnent",
    ),
    "sources": ("Sources", "Les médias et agences d’où viennent les articles"),
}


def _by_month(articles: list[Article]) -> list[tuple[dt.date, list[Article]]]:
    months: dict[dt.date, list[Article]] = {}
    for article in articles:
        months.setdefault(article.date.replace(day=1), []).append(article)
    return sorted(months.items(), key=lambda item: item[0], reverse=True)


def render_chronology(corpus: Corpus, idx: Indexes) -> dict[str, str]:
    """``chronologie/``: the years, then one page per year by month, newest first."""
    pages: dict[str, str] = {}
    years = sorted(idx.by_year, reverse=True)
    titles = {t.id: t.title for t in corpus.themes}
    months = {year: _by_month(idx.by_year[year]) for year in years}
    meta = _meta(
        "Chronologie", "Tous les articles de la revue de presse, année par année.", "seeds/", kind="chronologie"
    )
    pages["chronologie/index.md"] = meta + _render(
        "chronology.md.j2", "chronologie/index.md", years=[(y, idx.by_year[y]) for y in years], months=months
    )
    for i, year in enumerate(years):
        src = f"chronologie/{year}.md"
        meta = _meta(f"Chronologie : {year}", f"Les articles de {year}, mois par mois.", "seeds/", kind="chronologie")
        pages[src] = meta + _render(
            "chronology_year.md.j2",
            src,
            year=year,
            count=len(idx.by_year[year]),
            months=months[year],
            newer=years[i - 1] if i > 0 else None,
            older=years[i + 1] if i + 1 < len(years) else None,
            theme_titles=titles,
        )
    return pages


def render_quotes(corpus: Corpus, idx: Indexes) -> dict[str, str]:
    """``citations/``: the quotations grouped by dossier, one page per dossier."""
    pages: dict[str, str] = {}
    groups: list[tuple[Any, list[Quote]]] = [(t, idx.quotes_by_theme[t.id]) for t in corpus.themes]
    groups = [(theme, quotes) for theme, quotes in groups if quotes]
    meta = _meta("Citations", "Les citations des articles, classées par dossier.", "seeds/", kind="citations")
    pages["citations/index.md"] = meta + _render(
        "quotes.md.j2",
        "citations/index.md",
        groups=groups,
        total=len(idx.quotes),
        min_words=MIN_WORDS,
        preview=QUOTES_PREVIEW,
    )
    for theme, quotes in groups:
        src = f"citations/{theme.id}.md"
        title = f"Citations : {theme.title}"
        meta = _meta(title, f"Les citations du dossier {theme.title}.", "seeds/", kind="citations")
        if len(quotes) <= QUOTES_PAGE_MAX:
            pages[src] = meta + _render("quotes_theme.md.j2", src, theme=theme, quotes=quotes, years=[], year=None)
            continue
        # A large dossier: one page of quotations per year, and the years on the dossier's page.
        by_year: dict[int, list[Quote]] = {}
        for quote in quotes:
            by_year.setdefault(quote.article.date.year, []).append(quote)
        years = [(year, len(items)) for year, items in by_year.items()]
        pages[src] = meta + _render("quotes_theme.md.j2", src, theme=theme, quotes=quotes, years=years, year=None)
        for year, items in by_year.items():
            year_src = f"citations/{theme.id}-{year}.md"
            meta = _meta(
                f"{title} ({year})", f"Les citations du dossier {theme.title} en {year}.", "seeds/", kind="citations"
            )
            pages[year_src] = meta + _render(
                "quotes_theme.md.j2", year_src, theme=theme, quotes=items, years=[], year=year
            )
    return pages


def _letter(entry: Entry) -> str:
    first = entry.slug[:1].upper()
    return first if first.isalpha() else "#"


def render_index(kind: str, corpus: Corpus, idx: Indexes) -> dict[str, str]:
    """One entity index (``personnes/``, ``lieux/``, ``organisations/``, ``sources/``)."""
    title, lede = INDEX_PAGES[kind]
    entries = idx.entries[kind]
    by_letter: dict[str, list[Entry]] = {}
    for entry in entries:
        by_letter.setdefault(_letter(entry), []).append(entry)
    source = "seeds/*.yml et seeds/aliases.yml" if kind != "sources" else "seeds/*.yml"
    src = f"{kind}/index.md"
    pages = {
        src: _meta(title, lede + ".", source, kind=kind)
        + _render(
            "entities.md.j2",
            src,
            title=title,
            lede=lede,
            entries=entries,
            letters=list(by_letter),
            by_letter=list(by_letter.items()),
            kind=kind,
            inline=ENTRY_INLINE,
        )
    }
    titles = {t.id: t.title for t in corpus.themes}
    for entry in entries:
        if len(entry.articles) > ENTRY_INLINE:
            own = f"{kind}/{entry.slug}.md"
            meta = _meta(entry.name, f"Les articles : {entry.name}.", source, kind=kind)
            pages[own] = meta + _render(
                "entity.md.j2", own, entry=entry, kind=kind, index_title=title, theme_titles=titles
            )
    return pages


def reader_pages(corpus: Corpus, idx: Indexes) -> dict[str, str]:
    """Every reader page, keyed by its path inside ``docs/``."""
    pages = render_chronology(corpus, idx)
    pages.update(render_quotes(corpus, idx))
    for kind in INDEX_PAGES:
        pages.update(render_index(kind, corpus, idx))
    return pages
