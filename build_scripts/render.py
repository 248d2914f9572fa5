"""Stage 3: turn the corpus into Markdown pages. Pure: model in, strings out, no I/O.

Every page is a Jinja template in ``templates/`` rendered with autoescaping on,
so seed text is HTML-escaped unless a value is explicitly ``Markup``.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import jinja2
import markdown

from build_scripts.dates import french_date, french_month
from build_scripts.escape import Markup, front_matter, html, json_script
from build_scripts.group import ENTITY_KINDS, Indexes, build_indexes
from build_scripts.group import group_by_theme as group_by_theme
from build_scripts.model import Article, Corpus, Theme

GENERATED_MARK = "Fichier généré par build_scripts"
LATEST_COUNT = 10
WORDS_PER_MINUTE = 230  # French reading speed, as the issue (#4) asks
QUOTE_PREVIEW = 5
FEED_ALL = "flux/articles.xml"
# A dossier with more articles than this lists only its latest ones and links
# to one page per year, so no page grows with the whole archive (issue 7).
DOSSIER_SPLIT_OVER = 30


@dataclass(frozen=True)
class SiteInfo:
    """What rendering needs to know about the site itself."""

    url: str
    """Absolute base URL, ending with ``/``, e.g. ``https://org.github.io/repo/``."""
    name: str
    """Site name, for the JSON-LD ``isPartOf``."""


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


@lru_cache(maxsize=1 << 16)  # entity and list pages repeat the same links thousands of times (issue 7)
def relative_href(from_src: str, to_src: str, anchor: str | None = None) -> str:
    """Relative link between two generated pages, so the site works under any sub-path."""
    base = page_url(from_src) or "."
    target = page_url(to_src) or "."
    rel = _relpath(target, base)
    rel = "./" if rel == "." else rel + "/"
    return rel + (f"#{anchor}" if anchor else "")


def article_src(article: Article) -> str:
    """Source path of an article page inside ``docs/``."""
    return f"articles/{article.slug}.md"


def theme_src(theme: Theme | str) -> str:
    """Source path of a dossier page inside ``docs/``."""
    theme_id = theme if isinstance(theme, str) else theme.id
    return f"dossiers/{theme_id}.md"


def feed_src(theme: Theme | str | None = None) -> str:
    """Path inside ``docs/`` of the Atom feed of the publication, or of one dossier."""
    if theme is None:
        return FEED_ALL
    theme_id = theme if isinstance(theme, str) else theme.id
    return f"flux/dossiers/{theme_id}.xml"


def file_href(from_src: str, path: str) -> str:
    """Relative link from a generated page to a plain file of ``docs/`` (a feed)."""
    return posixpath.relpath(path, page_url(from_src) or ".")


_SAFE_LINK = re.compile(r"^(https?://|#|\.{0,2}/|[a-z0-9._/-]+(#.*)?$)", re.IGNORECASE)


def editorial_markdown(text: str) -> Markup:
    """Render a maintainer's editorial Markdown (a dossier introduction).

    Raw HTML is escaped so it shows as text, and links keep only http(s) or
    relative targets: nothing written in ``themes.yml`` becomes script.
    """
    rendered = markdown.markdown(text.replace("&", "&amp;").replace("<", "&lt;"), output_format="html")
    rendered = re.sub(
        r'href="([^"]*)"',
        lambda m: m.group(0) if _SAFE_LINK.match(m.group(1)) else 'href="#"',
        rendered,
    )
    rendered = re.sub(r"<img\b[^>]*>", "", rendered)
    return Markup(re.sub(r"\n{2,}", "\n", rendered))


@jinja2.pass_context
def _list_item(context: jinja2.runtime.Context, article: Article, dossiers: bool = False) -> Markup:
    """One ``<li>`` of an article list: date, linked title, source, and optionally its dossiers.

    Written in Python rather than as a Jinja macro: entity, chronology and
    article pages print tens of thousands of these, and the macro call cost
    was a fifth of the generation profile (issue 7). Same bytes as the macro
    it replaces; every seed value goes through ``html()``.
    """
    link: Callable[..., str] = context["link"]
    iso = article.date.isoformat()
    parts = [
        f'<li><time datetime="{html(iso)}">{html(french_date(article.date))}</time> · '
        f'<a href="{html(link(article_src(article)))}">{html(article.title)}</a> · '
        f'<span class="press-source">{html(article.source)}</span>'
    ]
    if dossiers:
        titles = context["theme_titles"]
        themes = ", ".join(
            f'<a href="{html(link(theme_src(theme_id)))}">{html(titles[theme_id])}</a>' for theme_id in article.themes
        )
        parts.append(f' · <span class="press-item-themes">{themes}</span>')
    parts.append("</li>")
    return Markup("".join(parts))


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("build_scripts", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["fr_date"] = french_date
    env.filters["fr_month"] = french_month
    env.globals.update(article_src=article_src, theme_src=theme_src, item=_list_item)
    return env


def _render(template: str, src: str, **context: Any) -> str:
    link: Callable[..., str] = lambda to, anchor=None: relative_href(src, to, anchor)  # noqa: E731
    text = _environment().get_template(template).render(link=link, **context)
    return text


def _meta(title: str, description: str, sources: str, **press: Any) -> str:
    # One line: the description is plain text for <meta name="description">.
    description = " ".join(description.split())
    data: dict[str, Any] = {"title": str(html(title)), "description": str(html(description))}
    if press:
        data["press"] = press
    return front_matter(data, f"{GENERATED_MARK} depuis {sources} : ne pas modifier, il est réécrit à chaque build.")


def article_description(article: Article) -> str:
    """Summary, or the first paragraph, for ``<meta name="description">``."""
    text = article.summary or (article.paragraphs[0].text if article.paragraphs else article.title)
    return text if len(text) <= 300 else text[:297].rsplit(" ", 1)[0] + "…"


def reading_minutes(article: Article) -> int:
    """Minutes a French reader needs for the text, at least one."""
    words = sum(len(p.text.split()) for p in article.paragraphs) + len(article.headline.split())
    return max(1, round(words / WORDS_PER_MINUTE))


def article_jsonld(article: Article, themes: dict[str, Theme], site: SiteInfo, corpus: Corpus) -> dict[str, Any]:
    """schema.org ``NewsArticle`` for the page head."""
    page = site.url + page_url(article_src(article))
    author: dict[str, str] = (
        {"@type": "Person", "name": article.author}
        if article.author
        else {"@type": "Organization", "name": article.source}
    )
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": article.date.isoformat(),
        "author": author,
        "publisher": {"@type": "Organization", "name": article.source},
        "url": page,
        "mainEntityOfPage": page,
        "inLanguage": "fr",
        "description": article_description(article),
        "articleSection": [themes[t].title for t in article.themes],
        "keywords": list(dict.fromkeys([*article.tags, *(themes[t].title for t in article.themes)])),
        "dateModified": article.date.isoformat(),
        "wordCount": sum(len(p.text.split()) for p in article.paragraphs),
    }
    people = dict.fromkeys(corpus.canonical("people", p) for p in article.people)
    places = dict.fromkeys(corpus.canonical("places", p) for p in article.places)
    about = [{"@type": "Person", "name": n} for n in people] + [{"@type": "Place", "name": n} for n in places]
    if about:
        data["about"] = about
    if article.url:
        data["isBasedOn"] = article.url
    return data


def article_og(article: Article, themes: dict[str, Theme], site: SiteInfo) -> list[list[str]]:
    """Open Graph ``[property, content]`` pairs, printed (HTML-escaped) by ``overrides/main.html``."""
    pairs = [
        ["og:type", "article"],
        ["og:locale", "fr_FR"],
        ["og:site_name", site.name],
        ["og:title", article.title],
        ["og:description", article_description(article)],
        ["og:url", site.url + page_url(article_src(article))],
        ["article:published_time", article.date.isoformat()],
        ["article:modified_time", article.date.isoformat()],
        ["article:section", themes[article.themes[0]].title],
    ]
    pairs += [["article:tag", tag] for tag in article.tags]
    return pairs


def _feeds(src: str, themes: list[Theme]) -> list[dict[str, str]]:
    """Dossier feeds announced in a page head (the publication feed is announced on every page)."""
    return [{"title": f"{t.title} : flux Atom du dossier", "href": file_href(src, feed_src(t))} for t in themes]


def render_article(article: Article, corpus: Corpus, site: SiteInfo, idx: Indexes | None = None) -> str:
    """Markdown page of one article."""
    idx = idx or build_indexes(corpus)
    themes = {t.id: t for t in corpus.themes}
    src = article_src(article)
    own_themes = [themes[t] for t in article.themes]
    meta = _meta(
        article.title,
        article_description(article),
        f"{article.text_path} et {article.meta_path}",
        kind="article",
        seed=article.meta_path,
        jsonld=json_script(article_jsonld(article, themes, site, corpus)),
        og=article_og(article, themes, site),
        feeds=_feeds(src, own_themes),
    )
    entities = []
    for label, kind in (("Personnes", "personnes"), ("Lieux", "lieux"), ("Organisations", "organisations")):
        names = getattr(article, ENTITY_KINDS[kind])
        if names:
            links = [(n, relative_href(src, f"{kind}/index.md", idx.entry_of[kind][n].slug)) for n in names]
            entities.append((label, links))
    older, newer = idx.neighbours[article.id]
    return meta + _render(
        "article.md.j2",
        src,
        article=article,
        themes=own_themes,
        reading_minutes=reading_minutes(article),
        entities=entities,
        related=idx.related[article.id],
        older=older,
        newer=newer,
        page_url=site.url + page_url(src),
        site_name=site.name,
    )


def year_chart(per_year: tuple[tuple[int, int], ...]) -> dict[str, Any]:
    """Geometry of the articles-per-year bar chart (inline SVG, drawn at build time)."""
    slot, bar, top, plot, bottom = 40, 28, 18, 90, 18
    highest = max((n for _, n in per_year), default=0) or 1
    bars = []
    for i, (year, count) in enumerate(per_year):
        height = round(plot * count / highest)
        x = 6 + i * slot
        bars.append(
            {"x": x, "y": top + plot - height, "w": bar, "h": height, "cx": x + bar // 2, "year": year, "count": count}
        )
    label = "Articles par année : " + " ; ".join(f"{year} : {count}" for year, count in per_year)
    return {"width": 12 + slot * len(per_year), "height": top + plot + bottom, "bars": bars, "label": label}


def theme_year_src(theme: Theme | str, year: int) -> str:
    """Source path of one year of a large dossier: ``dossiers/<id>/<year>.md``."""
    theme_id = theme if isinstance(theme, str) else theme.id
    return f"dossiers/{theme_id}/{year}.md"


def by_year(articles: list[Article]) -> dict[int, list[Article]]:
    """Articles grouped by year, newest year first, each year in chronological order."""
    years: dict[int, list[Article]] = {}
    for article in sorted(articles, key=lambda a: (a.date, a.slug)):
        years.setdefault(article.date.year, []).append(article)
    return dict(sorted(years.items(), reverse=True))


def render_theme_year(theme: Theme, year: int, articles: list[Article], years: list[int]) -> str:
    """One year of a large dossier, in chronological order, with links to the other years."""
    src = theme_year_src(theme, year)
    title = f"{theme.title} : {year}"
    description = f"Les articles de {year} du dossier « {theme.title} »."
    meta = _meta(title, description, "seeds/themes.yml", kind="dossier-year", theme=theme.id, year=year)
    return meta + _render(
        "dossier_year.md.j2",
        src,
        theme=theme,
        title=title,
        year=year,
        years=years,
        articles=articles,
        article_src=article_src,
        theme_src=theme_src,
        year_src=theme_year_src,
    )


def render_theme(
    theme: Theme, articles: list[Article], idx: Indexes | None = None, corpus: Corpus | None = None
) -> str:
    """Markdown page of one dossier: its introduction and figures, then its articles, oldest first."""
    idx = idx or build_indexes(corpus or Corpus((theme,), tuple(articles)))
    src = theme_src(theme)
    meta = _meta(
        theme.title, theme.description, "seeds/themes.yml", kind="dossier", theme=theme.id, feeds=_feeds(src, [theme])
    )
    newest_first = sorted(articles, key=lambda a: (-a.date.toordinal(), a.slug))
    split = len(articles) > DOSSIER_SPLIT_OVER
    years = {year: len(items) for year, items in by_year(articles).items()} if split else {}
    stats = idx.stats[theme.id]
    return meta + _render(
        "dossier.md.j2",
        src,
        theme=theme,
        intro=editorial_markdown(theme.description),
        # A large dossier shows its latest articles and one link per year (issue 7).
        articles=newest_first[:LATEST_COUNT] if split else newest_first[::-1],
        total=len(articles),
        years=years,
        year_src=theme_year_src,
        stats=stats,
        chart=year_chart(stats.per_year),
        quotes=idx.quotes_by_theme[theme.id],
        quote_preview=QUOTE_PREVIEW,
        feed_href=file_href(src, feed_src(theme)),
    )


def render_home(corpus: Corpus, by_theme: dict[str, list[Article]], idx: Indexes | None = None) -> str:
    """Home page: what the publication covers, the dossiers, the latest articles."""
    meta = _meta(
        "Accueil",
        "Dossiers de presse thématiques sur la Russie, l'OTAN, les sanctions et l'Ukraine.",
        "seeds/",
        kind="home",
    )
    idx = idx or build_indexes(corpus)
    counts = {kind: len(entries) for kind, entries in idx.entries.items()}
    counts["citations"] = len(idx.quotes)
    return meta + _render(
        "home.md.j2",
        "index.md",
        corpus=corpus,
        by_theme=by_theme,
        latest=corpus.articles[:LATEST_COUNT],
        intro=editorial_markdown,
        counts=counts,
        stats=idx.stats,
        feed_href=file_href("index.md", feed_src()),
    )


def render_dossiers_index(corpus: Corpus, by_theme: dict[str, list[Article]]) -> str:
    """List of all dossiers."""
    meta = _meta(
        "Dossiers", "Tous les dossiers thématiques de la revue de presse.", "seeds/themes.yml", kind="dossiers"
    )
    return meta + _render(
        "dossiers.md.j2",
        "dossiers/index.md",
        corpus=corpus,
        by_theme=by_theme,
        theme_src=theme_src,
        intro=editorial_markdown,
    )


def render_site(corpus: Corpus, site: SiteInfo) -> dict[str, str]:
    """Every generated page (and feed), keyed by its path inside ``docs/``."""
    # Imported here: the reader pages reuse this module's helpers.
    from build_scripts import feeds, render_reader

    idx = build_indexes(corpus)
    by_theme = idx.by_theme
    pages: dict[str, str] = {
        "index.md": render_home(corpus, by_theme, idx),
        "dossiers/index.md": render_dossiers_index(corpus, by_theme),
    }
    for theme in corpus.themes:
        pages[theme_src(theme)] = render_theme(theme, by_theme[theme.id], idx)
        if len(by_theme[theme.id]) > DOSSIER_SPLIT_OVER:
            years = by_year(by_theme[theme.id])
            for year, items in years.items():
                pages[theme_year_src(theme, year)] = render_theme_year(theme, year, items, list(years))
    for article in corpus.articles:
        pages[article_src(article)] = render_article(article, corpus, site, idx)
    pages.update(render_reader.reader_pages(corpus, idx))
    pages.update(feeds.all_feeds(corpus, idx, site))
    return pages
