"""Stage 3a: what the reader pages need from the whole corpus, computed once. Pure.

Everything here is linear (or n log n) in the number of articles, so that a
corpus of 10,000 articles stays fast: entity indexes are dictionaries, and
related articles are looked for only among each article's neighbours in time
within its dossiers (``RELATED_WINDOW``), never among all pairs.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from build_scripts import quotes
from build_scripts.memo import Slots, remember
from build_scripts.model import Article, Corpus, Listed, Theme, canonical_name
from build_scripts.schema import INDEX_KINDS
from build_scripts.text import short_slug, slugify

T = TypeVar("T")
RELATED_WINDOW = 25
RELATED_MAX = 5
TOP_PEOPLE = 5
RELATED_THEMES = 3


@dataclass(frozen=True)
class Quote:
    """A quotation as shown on the quotation pages."""

    text: str
    """The quoted words, without quotation marks."""
    article: Listed
    """Where it was published."""
    anchor: str
    """Id of the paragraph holding it on the article page (``p-3``, or ``titre`` for the headline)."""
    speaker: str | None
    """Who said it, when the sentence or the metadata says so."""
    corrected: bool
    """Whether the speaker comes from the metadata field ``quotes``."""


@dataclass(frozen=True)
class Entry:
    """One entry of an index: a person, place, organisation, outlet, keyword or author, with its articles."""

    kind: str
    """URL segment of the index it belongs to (``personnes``, …, ``mots-cles``, ``auteurs``)."""
    name: str
    """Canonical name."""
    slug: str
    """Name of the entry's own page (``personnes/<slug>/``), and its anchor on the index page."""
    variants: tuple[str, ...]
    """Other spellings met in the metadata and merged here."""
    articles: tuple[Article, ...]
    """Its articles, newest first."""


@dataclass(frozen=True)
class ThemeStats:
    """What a dossier page shows besides its articles."""

    first: dt.date | None
    """Date of its oldest article."""
    last: dt.date | None
    """Date of its newest article."""
    per_year: tuple[tuple[int, int], ...]
    """(year, article count) for every year from the first to the last, zeros included."""
    top_people: tuple[tuple[str, str, int], ...]
    """People who appear in most of its articles: (name, page name in ``personnes/``, article count).
    Their names rather than their entries, which change with each of their articles (``serve``)."""
    related: tuple[tuple[Theme, int], ...]
    """Other dossiers sharing articles with it, with the number shared."""


@dataclass(frozen=True)
class Indexes:
    """Derived views of the corpus for the reader pages."""

    by_theme: dict[str, list[Article]]
    """Articles of each dossier, newest first."""
    by_year: dict[int, list[Article]]
    """Articles of each year, newest first; years in descending order."""
    entries: dict[str, tuple[Entry, ...]]
    """Index kind -> entries sorted by name."""
    entry_of: dict[str, dict[str, Entry]]
    """Index kind -> any spelling (canonical or variant) -> entry."""
    quotes: tuple[Quote, ...]
    """Every quotation, newest article first, in reading order within an article."""
    quotes_by_theme: dict[str, list[Quote]]
    """Quotations of each dossier."""
    quotes_by_article: dict[str, tuple[Quote, ...]]
    """Article id -> its quotations, in reading order."""
    related: dict[str, tuple[Article, ...]]
    """Article id -> related articles in the same dossiers."""
    neighbours: dict[str, tuple[Article | None, Article | None]]
    """Article id -> (previous = older, next = newer) article in time."""
    stats: dict[str, ThemeStats]
    """Theme id -> figures for its page."""
    aliases: dict[str, dict[str, str]]
    """The corpus's aliases; under ``serve``, the same object while they are equal (compared at once)."""
    names: dict[str, ArticleNames]
    """Article id -> the names it gives the indexes."""


def by_year(items: Iterable[T], year_of: Callable[[T], int]) -> dict[int, list[T]]:
    """``items`` grouped by year, each group and the years in the order the items come."""
    years: dict[int, list[T]] = {}
    for item in items:
        years.setdefault(year_of(item), []).append(item)
    return years


def group_by_theme(corpus: Corpus) -> dict[str, list[Article]]:
    """Articles of each dossier, newest first (the corpus order)."""
    groups: dict[str, list[Article]] = {t.id: [] for t in corpus.themes}
    for article in corpus.articles:
        for theme_id in article.themes:
            groups[theme_id].append(article)
    return groups


Aliases = dict[str, dict[str, str]]


@dataclass(frozen=True)
class ArticleNames:
    """The names of one article as the indexes read them (what ``serve`` keeps per article)."""

    pairs: tuple[tuple[tuple[str, str], ...], ...]
    """(canonical, as written) for each name, per index kind in ``INDEX_KINDS`` order."""
    people: tuple[str, ...]
    """Its people's canonical names, once each, in the order written."""
    features: tuple[frozenset[str], frozenset[str]]
    """Its people and places, by canonical name: what related articles share."""


def article_names(article: Article, aliases: Aliases) -> ArticleNames:
    """Every name ``article`` gives the indexes, canonical as ``Corpus.canonical`` makes it."""
    pairs = tuple(
        tuple((canonical_name(aliases, kind.field, name), name) for name in article.names(kind.field))
        for kind in INDEX_KINDS
    )
    canonical = {
        kind.segment: tuple(dict.fromkeys(c for c, _ in found)) for kind, found in zip(INDEX_KINDS, pairs, strict=True)
    }
    people = canonical["personnes"]
    return ArticleNames(pairs, people, (frozenset(people), frozenset(canonical["lieux"])))


def _entries(
    position: int, kind: str, names: Mapping[str, ArticleNames], corpus: Corpus, slots: Slots | None
) -> tuple[Entry, ...]:
    """Build one index from each article's (canonical, as written) names of the kind at ``position``."""
    articles: dict[str, list[Article]] = {}
    variants: dict[str, set[str]] = {}
    for article in corpus.articles:
        for canonical, written in names[article.id].pairs[position]:
            listed = articles.setdefault(canonical, [])
            if not listed or listed[-1] is not article:
                listed.append(article)
            if written != canonical:
                variants.setdefault(canonical, set()).add(written)
    entries = tuple(
        Entry(kind, name, slug, tuple(sorted(variants.get(name, ()))), tuple(articles[name]))
        for name, slug in entry_slugs(articles).items()
    )
    if slots is not None:
        slots.computed.extend(f"entry:{kind}:{entry.name}" for entry in entries)
    return entries


@dataclass(frozen=True)
class _EntriesState:
    """What ``_updated_entries`` keeps between two rounds of ``serve``: the last round's articles and entries."""

    aliases: Aliases
    articles: dict[str, Article]
    """Article id -> the article as it was."""
    names: Mapping[str, ArticleNames]
    """Article id -> the names it gave the indexes."""
    entries: dict[str, tuple[Entry, ...]]
    """Index kind -> its entries, in the index's order."""


def _updated_entries(
    corpus: Corpus, names: Mapping[str, ArticleNames], aliases: Aliases, slots: Slots | None
) -> dict[str, tuple[Entry, ...]]:
    """Every index, by kind; under ``serve``, updated for the articles that changed rather than rebuilt.

    An entry is made again only if it lists, or listed, an article added,
    removed or edited since the last round, or if its page name moved (a name
    added or gone can shift the ``-2`` of another); every other entry is the
    very same object as last time, so the pages showing it compare it at once.
    All of them are made again when the aliases change (issue 21).
    """
    state: _EntriesState | None = slots.last("entries") if slots is not None else None
    current = {a.id: a for a in corpus.articles}
    if slots is None or state is None or state.aliases is not aliases:
        result = {kind.segment: _entries(i, kind.segment, names, corpus, slots) for i, kind in enumerate(INDEX_KINDS)}
    else:
        changed = {i for i, a in current.items() if state.articles.get(i) is not a}
        changed.update(i for i in state.articles if i not in current)
        order = {a.id: i for i, a in enumerate(corpus.articles)} if changed else {}
        result = {}
        for position, kind in enumerate(INDEX_KINDS):
            result[kind.segment] = _update(position, kind.segment, state, changed, names, order, corpus, slots)
    if slots is not None:
        slots.keep("entries", _EntriesState(aliases, current, names, result))
    return result


def _update(
    position: int,
    kind: str,
    state: _EntriesState,
    changed: set[str],
    names: Mapping[str, ArticleNames],
    order: Mapping[str, int],
    corpus: Corpus,
    slots: Slots,
) -> tuple[Entry, ...]:
    """One index of ``state`` with the ``changed`` articles taken out where they were and put in where they are.

    ``order``: each article's position in the corpus, newest first.
    """
    if not changed:
        return state.entries[kind]
    old = {entry.name: entry for entry in state.entries[kind]}
    # The names the changed articles gave or give this index: only their entries' articles move;
    # and those they gave or give another spelling of: only their variants can change.
    touched: set[str] = set()
    respelled: set[str] = set()
    gained: dict[str, list[Article]] = {}  # name -> the changed articles that now give it
    for article_id in changed:
        now = names.get(article_id)  # None: removed
        for found in (state.names.get(article_id), now):
            if found is not None:
                touched.update(canonical for canonical, _ in found.pairs[position])
                respelled.update(canonical for canonical, written in found.pairs[position] if written != canonical)
        if now is not None:
            for canonical in dict.fromkeys(canonical for canonical, _ in now.pairs[position]):
                gained.setdefault(canonical, []).append(corpus.articles[order[article_id]])
    listed: dict[str, tuple[Article, ...]] = {}
    for name in touched:
        kept = [a for a in (old[name].articles if name in old else ()) if a.id not in changed]
        added = gained.get(name, [])
        if kept or added:
            listed[name] = tuple(sorted([*kept, *added], key=lambda a: order[a.id]))
    every = [name for name in old if name not in touched] + list(listed)
    entries = []
    for name, slug in entry_slugs(every).items():
        known = old.get(name)
        if known is not None and name not in touched and known.slug == slug:
            entries.append(known)
            continue
        articles = listed[name] if name in listed else old[name].articles
        if name in respelled or name not in old:
            written = {w for a in articles for c, w in names[a.id].pairs[position] if c == name and w != c}
            variants = tuple(sorted(written))
        else:  # no article that changed spells it otherwise, before or now
            variants = old[name].variants
        entries.append(Entry(kind, name, slug, variants, articles))
        slots.computed.append(f"entry:{kind}:{name}")
    return tuple(entries)


def entry_slugs(names: Iterable[str]) -> dict[str, str]:
    """The page name of each entry of one index (``personnes/<slug>/``), in the index's order.

    Two names with one slug are told apart by their order: the second gets ``-2``.
    """
    slugs: dict[str, str] = {}
    used: set[str] = set()
    for name in sorted(names, key=lambda n: (slugify(n), n)):
        base = short_slug(name) or "nom"
        slug, n = base, 1
        while slug in used or slug == "index":
            n += 1
            slug = f"{base}-{n}"
        used.add(slug)
        slugs[name] = slug
    return slugs


def article_quotes(article: Article, people: tuple[str, ...], aliases: dict[str, dict[str, str]]) -> list[Quote]:
    """Quotations of one article, with their speakers (``people``: its people's canonical names)."""
    lines: list[tuple[str, str]] = [("p-0" if article.lead else "titre", article.headline)]
    # An intertitle is the editor's: words it quotes are quoted again in the text (issue 12).
    lines += [(f"p-{p.number}", p.text) for p in article.paragraphs if not p.intertitle]
    found: list[Quote] = []
    canonical = aliases.get("people", {})
    for anchor, text in lines:
        for match in quotes.extract(text):
            note = next((n for n in article.speakers if match.text.startswith(n.quote)), None)
            if note is not None:
                found.append(Quote(match.text, article.listed, anchor, note.speaker, True))
                continue
            raw = quotes.attribute(text, match)
            speaker = quotes.resolve_speaker(raw, people, canonical) if raw else None
            found.append(Quote(match.text, article.listed, anchor, speaker, False))
    return found


@dataclass
class _RelatedState:
    """What ``_related`` keeps between two rounds of ``serve``, to update its answer rather than recompute it."""

    aliases: Aliases
    by_theme: dict[str, tuple[Article, ...]]
    bits: dict[str, int]
    masks: dict[str, tuple[Article, tuple[int, int, int]]]
    result: dict[str, tuple[Article, ...]]


def _changed_span(old: tuple[Article, ...], new: list[Article]) -> tuple[int, int]:
    """The part ``[start, end)`` of ``new`` that differs from ``old``: the same articles before and after it."""
    limit = min(len(old), len(new))
    start = 0
    while start < limit and old[start] is new[start]:
        start += 1
    tail = 0
    while tail < limit - start and old[len(old) - 1 - tail] is new[len(new) - 1 - tail]:
        tail += 1
    return start, len(new) - tail


def _related(
    corpus: Corpus,
    by_theme: dict[str, list[Article]],
    names: Mapping[str, ArticleNames],
    aliases: Aliases,
    slots: Slots | None,
) -> dict[str, tuple[Article, ...]]:
    """Related articles by shared dossiers, then people, then places, then closeness in time.

    Candidates are the ``RELATED_WINDOW`` neighbours in time on each side within
    each of the article's dossiers: at most a few hundred per article. An
    article's answer depends only on it and its candidates (their dossiers,
    people, places, dates and slugs). Under ``serve``, it is computed again only
    for the articles whose window holds a change: within ``RELATED_WINDOW`` of
    an article added, removed or edited in one of their dossiers; all of them
    when the aliases change (issue 21).
    """
    state: _RelatedState | None = slots.last("related") if slots is not None else None
    if state is None or state.aliases is not aliases:
        state = _RelatedState(aliases, {}, {}, {}, {})
    # Sets as bits of an int: the shared themes, people and places of two articles
    # are then one ``&`` and one ``bit_count`` each (a few hundred thousand pairs at 10,000 articles).
    # The bits are kept between rounds, so an unchanged article keeps its masks.
    bits = state.bits

    def mask(names: Iterable[str]) -> int:
        value = 0
        for name in names:
            value |= 1 << bits.setdefault(name, len(bits))
        return value

    masks: dict[str, tuple[int, int, int]] = {}
    kept: dict[str, tuple[Article, tuple[int, int, int]]] = {}
    for a in corpus.articles:
        known = state.masks.get(a.id)
        if known is not None and known[0] is a:  # the same article under the same aliases
            value = known[1]
        else:
            people, places = names[a.id].features
            value = (mask(f"t:{t}" for t in a.themes), mask(f"p:{n}" for n in people), mask(f"l:{n}" for n in places))
        masks[a.id] = value
        kept[a.id] = (a, value)

    def best(article: Article, candidates: Iterable[Article]) -> tuple[Article, ...]:
        themes, people, places = masks[article.id]
        day = article.date.toordinal()

        def rank(other: Article) -> tuple[int, str]:
            # (most shared themes, then people, then places, then nearest in time), then the slug:
            # one int orders the four counts as a tuple of them would (each far below its field's width).
            other_themes, other_people, other_places = masks[other.id]
            shared = (
                (63 - (themes & other_themes).bit_count()) << 56
                | (65535 - (people & other_people).bit_count()) << 40
                | (65535 - (places & other_places).bit_count()) << 24
                | abs(day - other.date.toordinal())
            )
            return shared, other.slug

        return tuple(heapq.nsmallest(RELATED_MAX, candidates, key=rank))

    # The articles whose window in one of their dossiers holds a change.
    stale: set[str] = set()
    for theme, items in by_theme.items():
        old = state.by_theme.get(theme)
        start, end = (0, len(items)) if old is None else _changed_span(old, items)
        if start < end or (old is not None and len(old) != len(items)):
            stale.update(a.id for a in items[max(0, start - RELATED_WINDOW) : end + RELATED_WINDOW])
    positions: dict[str, dict[str, int]] = {}
    result: dict[str, tuple[Article, ...]] = {}
    for article in corpus.articles:
        if article.id not in stale and article.id in state.result:
            result[article.id] = state.result[article.id]
            continue
        candidates: dict[str, Article] = {}
        for theme in article.themes:
            items = by_theme[theme]
            if theme not in positions:
                positions[theme] = {a.id: i for i, a in enumerate(items)}
            i = positions[theme][article.id]
            for other in items[max(0, i - RELATED_WINDOW) : i + RELATED_WINDOW + 1]:
                if other.id != article.id:
                    candidates.setdefault(other.id, other)
        result[article.id] = best(article, candidates.values())
        if slots is not None:
            slots.computed.append(f"related:{article.id}")
    if slots is not None:
        slots.keep("related", _RelatedState(aliases, {t: tuple(i) for t, i in by_theme.items()}, bits, kept, result))
    return result


def _stats(
    corpus: Corpus, by_theme: dict[str, list[Article]], people: dict[str, Entry], names: dict[str, tuple[str, ...]]
) -> dict[str, ThemeStats]:
    themes = {t.id: t for t in corpus.themes}
    stats: dict[str, ThemeStats] = {}
    for theme in corpus.themes:
        articles = by_theme[theme.id]
        if not articles:
            stats[theme.id] = ThemeStats(None, None, (), (), ())
            continue
        first, last = articles[-1].date, articles[0].date
        years = Counter(a.date.year for a in articles)
        per_year = tuple((y, years.get(y, 0)) for y in range(first.year, last.year + 1))
        counted = Counter(name for a in articles for name in names[a.id])
        top = sorted(counted.items(), key=lambda item: (-item[1], item[0]))[:TOP_PEOPLE]
        shared = Counter(t for a in articles for t in a.themes if t != theme.id)
        order = {t.id: i for i, t in enumerate(corpus.themes)}
        related = sorted(shared.items(), key=lambda item: (-item[1], order[item[0]]))[:RELATED_THEMES]
        stats[theme.id] = ThemeStats(
            first,
            last,
            per_year,
            tuple((name, people[name].slug, n) for name, n in top),
            tuple((themes[t], n) for t, n in related),
        )
    return stats


def build_indexes(corpus: Corpus, slots: Slots | None = None) -> Indexes:
    """Every derived view of the corpus, in one pass per view.

    With ``slots`` (``serve``), what each article gives the indexes (its names,
    its quotations) is reused while the article and the aliases are the same,
    the indexes' entries and the related articles are updated around what
    changed (``_updated_entries``, ``_related``).
    """
    # One object while the aliases are equal: each article's memo then compares them at once.
    aliases: Aliases = remember(slots, "aliases", _same, corpus.aliases)
    by_theme = group_by_theme(corpus)
    names = {a.id: remember(slots, f"names:{a.id}", article_names, a, aliases) for a in corpus.articles}
    entries = _updated_entries(corpus, names, aliases, slots)
    entry_of: dict[str, dict[str, Entry]] = {}
    for segment, items in entries.items():
        lookup: dict[str, Entry] = {}
        for entry in items:
            lookup[entry.name] = entry
            for variant in entry.variants:
                lookup[variant] = entry
        entry_of[segment] = lookup

    found: list[Quote] = []
    quotes_by_article: dict[str, tuple[Quote, ...]] = {}
    for article in corpus.articles:
        own = remember(slots, f"quotes:{article.id}", _quotes, article, names[article.id].people, aliases)
        quotes_by_article[article.id] = own
        found += own
    quotes_by_theme: dict[str, list[Quote]] = {t.id: [] for t in corpus.themes}
    for quote in found:
        for theme_id in quote.article.themes:
            quotes_by_theme[theme_id].append(quote)

    neighbours: dict[str, tuple[Article | None, Article | None]] = {}
    articles = corpus.articles
    for i, article in enumerate(articles):
        older = articles[i + 1] if i + 1 < len(articles) else None
        newer = articles[i - 1] if i > 0 else None
        neighbours[article.id] = (older, newer)

    people = {article_id: found_names.people for article_id, found_names in names.items()}
    return Indexes(
        by_theme=by_theme,
        by_year=by_year(corpus.articles, lambda a: a.date.year),
        entries=entries,
        entry_of=entry_of,
        quotes=tuple(found),
        quotes_by_theme=quotes_by_theme,
        quotes_by_article=quotes_by_article,
        related=_related(corpus, by_theme, names, aliases, slots),
        neighbours=neighbours,
        stats=_stats(corpus, by_theme, {e.name: e for e in entries["personnes"]}, people),
        aliases=aliases,
        names=names,
    )


def _same(value: T) -> T:
    return value


def _quotes(article: Article, people: tuple[str, ...], aliases: Aliases) -> tuple[Quote, ...]:
    return tuple(article_quotes(article, people, aliases))
