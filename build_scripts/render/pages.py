"""The publication's own pages: home, dossiers, one page per dossier (and per year), one per article. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from build_scripts.escape import json_script
from build_scripts.group import Quote, ThemeStats, by_year
from build_scripts.model import Article, Corpus, Listed, SiteInfo, Theme
from build_scripts.render import head, urls
from build_scripts.render.chart import year_chart
from build_scripts.render.editorial import editorial_markdown
from build_scripts.render.templates import PageOut, page_meta, render
from build_scripts.schema import AUTHORS, ENTITY_KINDS, INDEX_KINDS, KEYWORDS, SOURCES

LATEST_COUNT = 10
WORDS_PER_MINUTE = 230  # French reading speed, as the issue (#4) asks
QUOTE_PREVIEW = 5
# A dossier with more articles than this lists only its latest ones and links
# to one page per year, so no page grows with the whole archive (issue 7).
DOSSIER_SPLIT_OVER = 30


def reading_minutes(article: Article) -> int:
    """Minutes a French reader needs for the text, at least one."""
    words = sum(len(p.text.split()) for p in article.paragraphs) + len(article.headline.split())
    return max(1, round(words / WORDS_PER_MINUTE))


def dossier_years(articles: Sequence[Listed]) -> dict[int, list[Listed]]:
    """A dossier's articles by year: newest year first, each year in chronological order."""
    chronological = sorted(articles, key=lambda a: (a.date, a.slug))
    return dict(reversed(by_year(chronological, lambda a: a.date.year).items()))


@dataclass(frozen=True)
class ArticleLinks:
    """Where an article page's names lead: each to its own page in its index."""

    entities: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
    """(label, ((name, href), …)) for each kind of name the article lists (people, places, organisations)."""
    tags: tuple[tuple[str, str], ...]
    """(keyword, href) for each of its tags."""
    source: str | None
    """Link to its outlet's page, when the outlet is known."""
    author: str | None
    """Link to its author's page, when the author is known."""


def render_article(
    article: Article,
    themes: tuple[Theme, ...],
    links: ArticleLinks,
    topics: tuple[tuple[str, str], ...],
    quotes: tuple[Quote, ...],
    related: tuple[Listed, ...],
    older: Listed | None,
    newer: Listed | None,
    site: SiteInfo,
) -> PageOut:
    """The page of one article, from everything it shows and nothing more.

    ``topics``: the people and places of its JSON-LD ``about``; ``quotes``: its quotations.
    """
    src = urls.article_src(article)
    meta = page_meta(
        article.title,
        head.article_description(article),
        f"{article.text_path} et {article.meta_path}",
        kind="article",
        seed=article.meta_path,
        jsonld=json_script(head.article_jsonld(article, themes, topics, site)),
        og=head.article_og(article, themes, site),
        citation=head.article_citation(article),
        feeds=head.dossier_feeds(src, themes),
    )
    page = render(
        "article.md.j2",
        src,
        article=article,
        themes=themes,
        reading_minutes=reading_minutes(article),
        links=links,
        quotes=quotes,
        related=related,
        older=older,
        newer=newer,
        page_url=site.url + urls.page_url(src),
        site_name=site.name,
    )
    # The intertitles, under the headline, make the page's table of contents (issue 12).
    toc = tuple((2, f"p-{p.number}", p.text) for p in article.paragraphs if p.intertitle)
    return PageOut(meta, page, ((1, "titre", article.title), *toc) if toc else ())


def links_to(article: Article, slugs: tuple[str, ...]) -> ArticleLinks:
    """Each name of an article (people, …, keywords, outlet, author), with the link from its page to the
    name's page, given the slug of the entry of each of its names, kind by kind in ``INDEX_KINDS`` order:
    all that its links depend on."""
    src = urls.article_src(article)
    given = iter(slugs)
    hrefs = {
        kind.segment: tuple(
            urls.relative_href(src, urls.entry_src(kind, next(given))) for _ in article.names(kind.field)
        )
        for kind in INDEX_KINDS
    }
    entities = []
    for kind in ENTITY_KINDS:
        names = article.names(kind.field)
        if names:
            entities.append((kind.title, tuple(zip(names, hrefs[kind.segment], strict=True))))
    return ArticleLinks(
        entities=tuple(entities),
        tags=tuple(zip(article.names(KEYWORDS.field), hrefs[KEYWORDS.segment], strict=True)),
        source=hrefs[SOURCES.segment][0] if article.source else None,
        author=hrefs[AUTHORS.segment][0] if article.author else None,
    )


def render_theme_year(theme: Theme, year: int, articles: Sequence[Listed], years: list[int]) -> PageOut:
    """One year of a large dossier, in chronological order, with links to the other years."""
    src = urls.theme_year_src(theme, year)
    title = f"{theme.title} : {year}"
    description = f"Les articles de {year} du dossier « {theme.title} »."
    meta = page_meta(title, description, "seeds/themes.yml", kind="dossier-year", theme=theme.id, year=year)
    return PageOut(
        meta, render("dossier_year.md.j2", src, theme=theme, title=title, year=year, years=years, articles=articles)
    )


def render_theme(theme: Theme, articles: Sequence[Listed], stats: ThemeStats, quotes: list[Quote]) -> PageOut:
    """Markdown page of one dossier: its introduction and figures, then its articles, oldest first."""
    src = urls.theme_src(theme)
    meta = page_meta(
        theme.title,
        theme.description,
        "seeds/themes.yml",
        kind="dossier",
        theme=theme.id,
        feeds=head.dossier_feeds(src, [theme]),
    )
    newest_first = sorted(articles, key=lambda a: (-a.date.toordinal(), a.slug))
    split = len(articles) > DOSSIER_SPLIT_OVER
    years = {year: len(items) for year, items in dossier_years(articles).items()} if split else {}
    return PageOut(
        meta,
        render(
            "dossier.md.j2",
            src,
            theme=theme,
            intro=editorial_markdown(theme.description),
            # A large dossier shows its latest articles and one link per year (issue 7).
            articles=newest_first[:LATEST_COUNT] if split else newest_first[::-1],
            total=len(articles),
            years=years,
            stats=stats,
            chart=year_chart(stats.per_year),
            quotes=quotes,
            quote_preview=QUOTE_PREVIEW,
            feed_href=urls.file_href(src, urls.feed_src(theme)),
        ),
    )


def render_home(
    corpus: Corpus,
    by_theme: dict[str, list[Article]],
    stats: dict[str, ThemeStats],
    counts: dict[str, int],
    site: SiteInfo,
) -> PageOut:
    """Home page: what the publication covers (``extra.home`` of mkdocs.yml), the dossiers, the latest articles."""
    meta = page_meta("Accueil", site.description, "seeds/", kind="home")
    return PageOut(
        meta,
        render(
            "home.md.j2",
            urls.HOME,
            corpus=corpus,
            by_theme=by_theme,
            latest=corpus.articles[:LATEST_COUNT],
            intro=editorial_markdown,
            counts=counts,
            stats=stats,
            site=site,
            feed_href=urls.file_href(urls.HOME, urls.feed_src()),
        ),
    )


def render_dossiers_index(corpus: Corpus, by_theme: dict[str, list[Article]]) -> PageOut:
    """List of all dossiers."""
    meta = page_meta(
        "Dossiers", "Tous les dossiers thématiques de la revue de presse.", "seeds/themes.yml", kind="dossiers"
    )
    return PageOut(
        meta, render("dossiers.md.j2", urls.DOSSIERS, corpus=corpus, by_theme=by_theme, intro=editorial_markdown)
    )
