"""The reader's pages across the archive: chronology, quotations, indexes of names. Pure.

No page lists an unbounded number of articles: the chronology has one page per
year, the quotation index shows a few per dossier and links to one page per
dossier, and an index entry shows its latest articles and links to the entry's
own page when it has more.
"""

from __future__ import annotations

import datetime as dt

from build_scripts.group import Entry, Indexes, Quote, by_year
from build_scripts.model import Article, Corpus, Theme
from build_scripts.quotes import MIN_WORDS
from build_scripts.render import urls
from build_scripts.render.templates import PageOut, page_meta, render
from build_scripts.schema import IndexKind

# Articles shown under an entry on its index page; more go to its own page.
ENTRY_INLINE = 5
QUOTES_PREVIEW = 3
# Above this, a dossier's quotations are split into one page per year.
QUOTES_PAGE_MAX = 200


def _by_month(articles: list[Article]) -> list[tuple[dt.date, list[Article]]]:
    months: dict[dt.date, list[Article]] = {}
    for article in articles:
        months.setdefault(article.date.replace(day=1), []).append(article)
    return sorted(months.items(), key=lambda item: item[0], reverse=True)


def render_chronology(corpus: Corpus, idx: Indexes) -> list[tuple[str, PageOut]]:
    """``chronologie/``: the years, then one page per year by month, newest first."""
    years = sorted(idx.by_year, reverse=True)
    titles = {t.id: t.title for t in corpus.themes}
    months = {year: _by_month(idx.by_year[year]) for year in years}
    meta = page_meta(
        "Chronologie", "Tous les articles de la revue de presse, année par année.", "seeds/", kind="chronologie"
    )
    pages = [
        (
            urls.CHRONOLOGY,
            PageOut(
                meta,
                render("chronology.md.j2", urls.CHRONOLOGY, years=[(y, idx.by_year[y]) for y in years], months=months),
            ),
        )
    ]
    for i, year in enumerate(years):
        src = urls.chronology_src(year)
        meta = page_meta(
            f"Chronologie : {year}", f"Les articles de {year}, mois par mois.", "seeds/", kind="chronologie"
        )
        page = render(
            "chronology_year.md.j2",
            src,
            year=year,
            count=len(idx.by_year[year]),
            months=months[year],
            newer=years[i - 1] if i > 0 else None,
            older=years[i + 1] if i + 1 < len(years) else None,
            theme_titles=titles,
        )
        pages.append((src, PageOut(meta, page)))
    return pages


def render_quotes(corpus: Corpus, idx: Indexes) -> list[tuple[str, PageOut]]:
    """``citations/``: the quotations grouped by dossier, one page per dossier."""
    groups: list[tuple[Theme, list[Quote]]] = [(t, idx.quotes_by_theme[t.id]) for t in corpus.themes]
    groups = [(theme, quotes) for theme, quotes in groups if quotes]
    meta = page_meta("Citations", "Les citations des articles, classées par dossier.", "seeds/", kind="citations")
    index = render(
        "quotes.md.j2", urls.QUOTES, groups=groups, total=len(idx.quotes), min_words=MIN_WORDS, preview=QUOTES_PREVIEW
    )
    pages = [(urls.QUOTES, PageOut(meta, index))]
    for theme, quotes in groups:
        src = urls.quotes_src(theme)
        title = f"Citations : {theme.title}"
        meta = page_meta(title, f"Les citations du dossier {theme.title}.", "seeds/", kind="citations")
        if len(quotes) <= QUOTES_PAGE_MAX:
            pages.append(
                (src, PageOut(meta, render("quotes_theme.md.j2", src, theme=theme, quotes=quotes, years=[], year=None)))
            )
            continue
        # A large dossier: one page of quotations per year, and the years on the dossier's page.
        years = by_year(quotes, lambda q: q.article.date.year)
        counts = [(year, len(items)) for year, items in years.items()]
        pages.append(
            (src, PageOut(meta, render("quotes_theme.md.j2", src, theme=theme, quotes=quotes, years=counts, year=None)))
        )
        for year, items in years.items():
            year_src = urls.quotes_src(theme, year)
            meta = page_meta(
                f"{title} ({year})", f"Les citations du dossier {theme.title} en {year}.", "seeds/", kind="citations"
            )
            page = render("quotes_theme.md.j2", year_src, theme=theme, quotes=items, years=[], year=year)
            pages.append((year_src, PageOut(meta, page)))
    return pages


def _letter(entry: Entry) -> str:
    first = entry.slug[:1].upper()
    return first if first.isalpha() else "#"


def render_index(kind: IndexKind, corpus: Corpus, idx: Indexes) -> list[tuple[str, PageOut]]:
    """One index (``personnes/``, ``lieux/``, ``organisations/``, ``sources/``) and its entries' own pages."""
    entries = idx.entries[kind.segment]
    by_letter: dict[str, list[Entry]] = {}
    for entry in entries:
        by_letter.setdefault(_letter(entry), []).append(entry)
    source = "seeds/*.yml et seeds/aliases.yml" if kind.field != "source" else "seeds/*.yml"
    src = urls.index_src(kind)
    page = render(
        "entities.md.j2",
        src,
        title=kind.title,
        lede=kind.lede,
        entries=entries,
        letters=list(by_letter),
        by_letter=list(by_letter.items()),
        kind=kind.segment,
        inline=ENTRY_INLINE,
    )
    pages = [(src, PageOut(page_meta(kind.title, kind.lede + ".", source, kind=kind.segment), page))]
    titles = {t.id: t.title for t in corpus.themes}
    for entry in entries:
        if len(entry.articles) > ENTRY_INLINE:
            own = urls.entry_src(kind, entry.slug)
            meta = page_meta(entry.name, f"Les articles : {entry.name}.", source, kind=kind.segment)
            page = render(
                "entity.md.j2", own, entry=entry, kind=kind.segment, index_title=kind.title, theme_titles=titles
            )
            pages.append((own, PageOut(meta, page)))
    return pages
