"""The reader's pages across the archive: chronology, quotations, indexes of names. Pure.

No page lists an unbounded number of articles: the chronology has one page per
year, the quotation index shows a few per dossier and links to one page per
dossier, an index page lists names with their article counts, and each name
has its own page, split by year (then month) above ``ENTRY_PAGE_MAX`` articles.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from build_scripts.group import Entry, Quote, by_year
from build_scripts.model import Listed, Theme
from build_scripts.quotes import MIN_WORDS
from build_scripts.render import urls
from build_scripts.render.templates import PageOut, page_meta, period_label, render
from build_scripts.schema import ENTITY_KINDS, IndexKind

# An entry's page lists at most this many articles: a larger entry has one page
# per year (per month for a year above it), and its own page shows its latest
# ENTRY_LATEST articles and links to them (issue 12).
ENTRY_PAGE_MAX = 200
ENTRY_LATEST = 10
QUOTES_PREVIEW = 3
# Above this, a dossier's quotations are split into one page per year.
QUOTES_PAGE_MAX = 200


def _by_month(articles: Sequence[Listed]) -> list[tuple[dt.date, list[Listed]]]:
    months: dict[dt.date, list[Listed]] = {}
    for article in articles:
        months.setdefault(article.date.replace(day=1), []).append(article)
    return sorted(months.items(), key=lambda item: item[0], reverse=True)


def render_chronology(years: list[tuple[int, tuple[Listed, ...]]]) -> PageOut:
    """``chronologie/``: the years, newest first, each with its months."""
    meta = page_meta(
        "Chronologie", "Tous les articles de la revue de presse, année par année.", "seeds/", kind="chronologie"
    )
    months = {year: _by_month(articles) for year, articles in years}
    return PageOut(meta, render("chronology.md.j2", urls.CHRONOLOGY, years=years, months=months))


def render_chronology_year(
    year: int, articles: tuple[Listed, ...], newer: int | None, older: int | None, titles: dict[str, str]
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


def _letter(slug: str) -> str:
    first = slug[:1].upper()
    return first if first.isalpha() else "#"


def _origin(kind: IndexKind) -> str:
    return "seeds/*.yml et seeds/aliases.yml" if kind in ENTITY_KINDS else "seeds/*.yml"


@dataclass(frozen=True)
class EntryHead:
    """What an index page shows of an entry, and what every page of the entry says about it.

    Not the ``Entry``: its articles would make comparing it (to reuse a page
    under ``serve``) as long as the entry.
    """

    kind: IndexKind
    """Its index."""
    name: str
    """Canonical name."""
    slug: str
    """Its own page: ``<segment>/<slug>/``."""
    variants: tuple[str, ...]
    """Other spellings merged into it."""
    count: int
    """Number of its articles."""


def entry_head(kind: IndexKind, entry: Entry) -> EntryHead:
    """The head of an entry's pages."""
    return EntryHead(kind, entry.name, entry.slug, entry.variants, len(entry.articles))


def render_index(kind: IndexKind, names: tuple[EntryHead, ...]) -> PageOut:
    """One index (``personnes/``, …, ``mots-cles/``, ``auteurs/``): the names, by initial, with their counts."""
    letters: dict[str, list[EntryHead]] = {}
    for name in names:
        letters.setdefault(_letter(name.slug), []).append(name)
    by_letter = [
        (letter, f"lettre-{letter.lower() if letter != '#' else 'autres'}", group) for letter, group in letters.items()
    ]
    page = render(
        "entities.md.j2",
        urls.index_src(kind),
        title=kind.title,
        lede=kind.lede,
        count=len(names),
        by_letter=by_letter,
        kind=kind.segment,
    )
    return PageOut(page_meta(kind.title, kind.lede + ".", _origin(kind), kind=kind.segment), page)


def entry_periods(articles: tuple[Listed, ...]) -> dict[str, tuple[Listed, ...]]:
    """A large entry's pages: ``{}`` when its articles fit one page (``ENTRY_PAGE_MAX``);
    else its articles by year (``"2021"``), and a year that is itself too large by month
    (``"2021-03"``). Newest first, as ``articles`` come."""
    if len(articles) <= ENTRY_PAGE_MAX:
        return {}
    periods: dict[str, tuple[Listed, ...]] = {}
    for year, items in by_year(articles, lambda a: a.date.year).items():
        if len(items) <= ENTRY_PAGE_MAX:
            periods[str(year)] = tuple(items)
            continue
        for month, in_month in by_year(items, lambda a: a.date.month).items():
            periods[f"{year}-{month:02d}"] = tuple(in_month)
    return periods


def render_entry(
    head: EntryHead,
    articles: tuple[Listed, ...],
    periods: tuple[tuple[str, int], ...],
    period: str | None,
    titles: dict[str, str],
) -> PageOut:
    """A page of one index entry: all its articles; or, for a large entry, its latest
    articles and its ``periods`` (key, count); or the articles of one ``period``."""
    src = urls.entry_src(head.kind, head.slug, period)
    if period is None:
        title, description = head.name, f"Les articles : {head.name}."
    else:
        label = period_label(period)
        title, description = f"{head.name} : {label}", f"Les articles de {label} : {head.name}."
    meta = page_meta(title, description, _origin(head.kind), kind=head.kind.segment)
    page = render(
        "entity.md.j2",
        src,
        head=head,
        title=title,
        articles=articles,
        periods=periods,
        period=period,
        period_count=dict(periods).get(period or "", 0),
        theme_titles=titles,
    )
    return PageOut(meta, page)
