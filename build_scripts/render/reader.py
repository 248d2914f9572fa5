"""The reader's pages across the archive: chronology, quotations, indexes of names. Pure.

No page lists an unbounded number of articles: the chronology has one page per
year, the quotation index shows a few per dossier and links to one page per
dossier, and an index entry shows its latest articles and links to the entry's
own page when it has more.
"""

from __future__ import annotations

import datetime as dt

from build_scripts.group import Entry, Quote, by_year
from build_scripts.model import Article, Theme
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


def render_chronology(years: list[tuple[int, list[Article]]]) -> PageOut:
    """``chronologie/``: the years, newest first, each with its months."""
    meta = page_meta(
        "Chronologie", "Tous les articles de la revue de presse, année par année.", "seeds/", kind="chronologie"
    )
    months = {year: _by_month(articles) for year, articles in years}
    return PageOut(meta, render("chronology.md.j2", urls.CHRONOLOGY, years=years, months=months))


def render_chronology_year(
    year: int, articles: list[Article], newer: int | None, older: int | None, titles: dict[str, str]
) -> PageOut:
    """One year of the chronology, by month, newest first."""
    src = urls.chronology_src(year)
    meta = page_meta(f"Chronologie : {year}", f"Les articles de {year}, mois par mois.", "seeds/", kind="chronologie")
    page = render(
        "chronology_year.md.j2",
        src,
        year=year,
        count=len(articles),
        months=_by_month(articles),
        newer=newer,
        older=older,
        theme_titles=titles,
    )
    return PageOut(meta, page)


def render_quotes(groups: list[tuple[Theme, list[Quote]]], total: int) -> PageOut:
    """``citations/``: a few quotations of each dossier, and links to all of them."""
    meta = page_meta("Citations", "Les citations des articles, classées par dossier.", "seeds/", kind="citations")
    index = render("quotes.md.j2", urls.QUOTES, groups=groups, total=total, min_words=MIN_WORDS, preview=QUOTES_PREVIEW)
    return PageOut(meta, index)


def quote_years(quotes: list[Quote]) -> dict[int, list[Quote]]:
    """A large dossier's quotations by year (``QUOTES_PAGE_MAX``), or nothing for a small one."""
    return by_year(quotes, lambda q: q.article.date.year) if len(quotes) > QUOTES_PAGE_MAX else {}


def render_quotes_theme(theme: Theme, quotes: list[Quote], years: list[tuple[int, int]], year: int | None) -> PageOut:
    """The quotations of one dossier (all of them, or the links to its years), or of one of its years."""
    src = urls.quotes_src(theme, year)
    title = f"Citations : {theme.title}"
    if year is None:
        meta = page_meta(title, f"Les citations du dossier {theme.title}.", "seeds/", kind="citations")
    else:
        meta = page_meta(
            f"{title} ({year})", f"Les citations du dossier {theme.title} en {year}.", "seeds/", kind="citations"
        )
    return PageOut(meta, render("quotes_theme.md.j2", src, theme=theme, quotes=quotes, years=years, year=year))


def _letter(entry: Entry) -> str:
    first = entry.slug[:1].upper()
    return first if first.isalpha() else "#"


def _origin(kind: IndexKind) -> str:
    return "seeds/*.yml et seeds/aliases.yml" if kind.field != "source" else "seeds/*.yml"


def render_index(kind: IndexKind, entries: tuple[Entry, ...]) -> PageOut:
    """One index (``personnes/``, ``lieux/``, ``organisations/``, ``sources/``)."""
    by_letter: dict[str, list[Entry]] = {}
    for entry in entries:
        by_letter.setdefault(_letter(entry), []).append(entry)
    page = render(
        "entities.md.j2",
        urls.index_src(kind),
        title=kind.title,
        lede=kind.lede,
        entries=entries,
        letters=list(by_letter),
        by_letter=list(by_letter.items()),
        kind=kind.segment,
        inline=ENTRY_INLINE,
    )
    return PageOut(page_meta(kind.title, kind.lede + ".", _origin(kind), kind=kind.segment), page)


def has_own_page(entry: Entry) -> bool:
    """Whether an index entry lists too many articles for its index page."""
    return len(entry.articles) > ENTRY_INLINE


def render_entry(kind: IndexKind, entry: Entry, titles: dict[str, str]) -> PageOut:
    """The own page of one index entry: all its articles."""
    own = urls.entry_src(kind, entry.slug)
    meta = page_meta(entry.name, f"Les articles : {entry.name}.", _origin(kind), kind=kind.segment)
    page = render("entity.md.j2", own, entry=entry, kind=kind.segment, index_title=kind.title, theme_titles=titles)
    return PageOut(meta, page)
