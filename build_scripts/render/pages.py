"""The publication's own pages: home, dossiers, one page per dossier (and per year), one per article. Pure."""

from __future__ import annotations

from build_scripts.escape import json_script
from build_scripts.group import Indexes, by_year
from build_scripts.model import Article, Corpus, SiteInfo, Theme
from build_scripts.render import head, urls
from build_scripts.render.chart import year_chart
from build_scripts.render.editorial import editorial_markdown
from build_scripts.render.templates import PageOut, page_meta, render
from build_scripts.schema import ENTITY_KINDS

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


def dossier_years(articles: list[Article]) -> dict[int, list[Article]]:
    """A dossier's articles by year: newest year first, each year in chronological order."""
    chronological = sorted(articles, key=lambda a: (a.date, a.slug))
    return dict(reversed(by_year(chronological, lambda a: a.date.year).items()))


def render_article(article: Article, corpus: Corpus, idx: Indexes, site: SiteInfo) -> PageOut:
    """Markdown page of one article."""
    themes = {t.id: t for t in corpus.themes}
    src = urls.article_src(article)
    own_themes = [themes[t] for t in article.themes]
    meta = page_meta(
        article.title,
        head.article_description(article),
        f"{article.text_path} et {article.meta_path}",
        kind="article",
        seed=article.meta_path,
        jsonld=json_script(head.article_jsonld(article, themes, site, corpus)),
        og=head.article_og(article, themes, site),
        feeds=head.dossier_feeds(src, own_themes),
    )
    entities = []
    for kind in ENTITY_KINDS:
        names = article.names(kind.field)
        if names:
            entries = idx.entry_of[kind.segment]
            links = [(n, urls.relative_href(src, urls.index_src(kind), entries[n].slug)) for n in names]
            entities.append((kind.title, links))
    older, newer = idx.neighbours[article.id]
    return PageOut(
        meta,
        render(
            "article.md.j2",
            src,
            article=article,
            themes=own_themes,
            reading_minutes=reading_minutes(article),
            entities=entities,
            related=idx.related[article.id],
            older=older,
            newer=newer,
            page_url=site.url + urls.page_url(src),
            site_name=site.name,
        ),
    )


def render_theme_year(theme: Theme, year: int, articles: list[Article], years: list[int]) -> PageOut:
    """One year of a large dossier, in chronological order, with links to the other years."""
    src = urls.theme_year_src(theme, year)
    title = f"{theme.title} : {year}"
    description = f"Les articles de {year} du dossier « {theme.title} »."
    meta = page_meta(title, description, "seeds/themes.yml", kind="dossier-year", theme=theme.id, year=year)
    return PageOut(
        meta, render("dossier_year.md.j2", src, theme=theme, title=title, year=year, years=years, articles=articles)
    )


def render_theme(theme: Theme, articles: list[Article], idx: Indexes) -> PageOut:
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
    stats = idx.stats[theme.id]
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
            quotes=idx.quotes_by_theme[theme.id],
            quote_preview=QUOTE_PREVIEW,
            feed_href=urls.file_href(src, urls.feed_src(theme)),
        ),
    )


def render_home(corpus: Corpus, idx: Indexes) -> PageOut:
    """Home page: what the publication covers, the dossiers, the latest articles."""
    meta = page_meta(
        "Accueil",
        "Dossiers de presse thématiques sur la Russie, l'OTAN, les sanctions et l'Ukraine.",
        "seeds/",
        kind="home",
    )
    counts = {kind: len(entries) for kind, entries in idx.entries.items()}
    counts["citations"] = len(idx.quotes)
    return PageOut(
        meta,
        render(
            "home.md.j2",
            urls.HOME,
            corpus=corpus,
            by_theme=idx.by_theme,
            latest=corpus.articles[:LATEST_COUNT],
            intro=editorial_markdown,
            counts=counts,
            stats=idx.stats,
            feed_href=urls.file_href(urls.HOME, urls.feed_src()),
        ),
    )


def render_dossiers_index(corpus: Corpus, idx: Indexes) -> PageOut:
    """List of all dossiers."""
    meta = page_meta(
        "Dossiers", "Tous les dossiers thématiques de la revue de presse.", "seeds/themes.yml", kind="dossiers"
    )
    return PageOut(
        meta, render("dossiers.md.j2", urls.DOSSIERS, corpus=corpus, by_theme=idx.by_theme, intro=editorial_markdown)
    )
