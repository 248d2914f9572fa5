"""Stage 3: turn the corpus into Markdown pages. Pure: model in, strings out, no I/O.

Every page is a Jinja template in ``templates/`` rendered with autoescaping on,
so seed text is HTML-escaped unless a value is explicitly ``Markup``.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import jinja2
import markdown

from build_scripts.dates import french_date
from build_scripts.escape import Markup, front_matter, html, json_script
from build_scripts.model import Article, Corpus, Theme

GENERATED_MARK = "Fichier généré par build_scripts"
LATEST_COUNT = 10


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


def relative_href(from_src: str, to_src: str, anchor: str | None = None) -> str:
    """Relative link between two generated pages, so the site works under any sub-path."""
    base = page_url(from_src) or "."
    target = page_url(to_src) or "."
    rel = posixpath.relpath(target, base)
    rel = "./" if rel == "." else rel + "/"
    return rel + (f"#{anchor}" if anchor else "")


def article_src(article: Article) -> str:
    """Source path of an article page inside ``docs/``."""
    return f"articles/{article.slug}.md"


def theme_src(theme: Theme | str) -> str:
    """Source path of a dossier page inside ``docs/``."""
    theme_id = theme if isinstance(theme, str) else theme.id
    return f"dossiers/{theme_id}.md"


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


def article_jsonld(article: Article, themes: dict[str, Theme], site: SiteInfo) -> dict[str, Any]:
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
    }
    if article.url:
        data["isBasedOn"] = article.url
    return data


def render_article(article: Article, corpus: Corpus, site: SiteInfo) -> str:
    """Markdown page of one article."""
    themes = {t.id: t for t in corpus.themes}
    src = article_src(article)
    meta = _meta(
        article.title,
        article_description(article),
        f"{article.text_path} et {article.meta_path}",
        kind="article",
        seed=article.meta_path,
        jsonld=json_script(article_jsonld(article, themes, site)),
    )
    return meta + _render("article.md.j2", src, article=article, themes=[themes[t] for t in article.themes])


def render_theme(theme: Theme, articles: list[Article]) -> str:
    """Markdown page of one dossier: its introduction, then its articles, oldest first."""
    src = theme_src(theme)
    meta = _meta(theme.title, theme.description, "seeds/themes.yml", kind="dossier", theme=theme.id)
    chronological = sorted(articles, key=lambda a: (a.date, a.slug))
    return meta + _render(
        "dossier.md.j2",
        src,
        theme=theme,
        intro=editorial_markdown(theme.description),
        articles=chronological,
        article_src=article_src,
    )


def render_home(corpus: Corpus, by_theme: dict[str, list[Article]]) -> str:
    """Home page: what the publication covers, the dossiers, the latest articles."""
    meta = _meta(
        "Accueil",
        "Dossiers de presse thématiques sur la Russie, l'OTAN, les sanctions et l'Ukraine.",
        "seeds/",
        kind="home",
    )
    return meta + _render(
        "home.md.j2",
        "index.md",
        corpus=corpus,
        by_theme=by_theme,
        latest=corpus.articles[:LATEST_COUNT],
        article_src=article_src,
        theme_src=theme_src,
        intro=editorial_markdown,
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


def group_by_theme(corpus: Corpus) -> dict[str, list[Article]]:
    """Articles of each dossier, newest first (the corpus order)."""
    groups: dict[str, list[Article]] = {t.id: [] for t in corpus.themes}
    for article in corpus.articles:
        for theme_id in article.themes:
            groups[theme_id].append(article)
    return groups


def render_site(corpus: Corpus, site: SiteInfo) -> dict[str, str]:
    """Every generated page, keyed by its path inside ``docs/``."""
    by_theme = group_by_theme(corpus)
    pages: dict[str, str] = {
        "index.md": render_home(corpus, by_theme),
        "dossiers/index.md": render_dossiers_index(corpus, by_theme),
    }
    for theme in corpus.themes:
        pages[theme_src(theme)] = render_theme(theme, by_theme[theme.id])
    for article in corpus.articles:
        pages[article_src(article)] = render_article(article, corpus, site)
    return pages
