"""What an article page says about itself in its ``<head>``: description, JSON-LD, Open Graph, feeds.

All of it comes from the metadata; ``overrides/main.html`` prints it HTML-escaped,
and the JSON-LD goes through ``escape.json_script`` so no value can end its script.
"""

from __future__ import annotations

from typing import Any

from build_scripts.model import Article, SiteInfo, Theme, canonical_name
from build_scripts.render.urls import article_src, feed_src, file_href, page_url

DESCRIPTION_MAX = 300


def article_description(article: Article) -> str:
    """Summary, or the first paragraph, for ``<meta name="description">`` and the feeds."""
    text = article.summary or (article.paragraphs[0].text if article.paragraphs else article.title)
    return text if len(text) <= DESCRIPTION_MAX else text[: DESCRIPTION_MAX - 3].rsplit(" ", 1)[0] + "…"


def about(article: Article, aliases: dict[str, dict[str, str]]) -> tuple[tuple[str, str], ...]:
    """The people and places an article is about, by their indexed names: (schema.org type, name)."""
    people = dict.fromkeys(canonical_name(aliases, "people", p) for p in article.people)
    places = dict.fromkeys(canonical_name(aliases, "places", p) for p in article.places)
    return tuple(("Person", n) for n in people) + tuple(("Place", n) for n in places)


def article_jsonld(
    article: Article, themes: tuple[Theme, ...], topics: tuple[tuple[str, str], ...], site: SiteInfo
) -> dict[str, Any]:
    """schema.org ``NewsArticle`` for the page head; ``topics`` as ``about`` gives them."""
    page = site.url + page_url(article_src(article))
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": article.date.isoformat(),
    }
    # An unknown outlet is no Organization: author and publisher are left out
    # rather than invented (issue 12).
    if article.author:
        data["author"] = {"@type": "Person", "name": article.author}
    elif article.source:
        data["author"] = {"@type": "Organization", "name": article.source}
    if article.source:
        data["publisher"] = {"@type": "Organization", "name": article.source}
    data |= {
        "url": page,
        "mainEntityOfPage": page,
        "inLanguage": "fr",
        "description": article_description(article),
        "articleSection": [t.title for t in themes],
        "keywords": list(dict.fromkeys([*article.tags, *(t.title for t in themes)])),
        "dateModified": article.date.isoformat(),
        "wordCount": sum(len(p.text.split()) for p in article.paragraphs),
    }
    if topics:
        data["about"] = [{"@type": kind, "name": name} for kind, name in topics]
    if article.url:
        data["isBasedOn"] = article.url
    return data


def article_citation(article: Article) -> list[list[str]]:
    """Highwire Press ``citation_*`` ``[name, content]`` pairs, read by Zotero's « Embedded Metadata »."""
    pairs = [
        ["citation_title", article.title],
        ["citation_publication_date", article.date.isoformat().replace("-", "/")],
        ["citation_language", "fr"],
    ]
    if article.author:
        pairs.append(["citation_author", article.author])
    if article.source:
        pairs.append(["citation_journal_title", article.source])
    return pairs


def article_og(article: Article, themes: tuple[Theme, ...], site: SiteInfo) -> list[list[str]]:
    """Open Graph ``[property, content]`` pairs."""
    pairs = [
        ["og:type", "article"],
        ["og:locale", "fr_FR"],
        ["og:site_name", site.name],
        ["og:title", article.title],
        ["og:description", article_description(article)],
        ["og:url", site.url + page_url(article_src(article))],
        ["article:published_time", article.date.isoformat()],
        ["article:modified_time", article.date.isoformat()],
        ["article:section", themes[0].title],
    ]
    pairs += [["article:tag", tag] for tag in article.tags]
    return pairs


def dossier_feeds(src: str, themes: tuple[Theme, ...] | list[Theme]) -> list[dict[str, str]]:
    """Dossier feeds announced in a page head (the publication feed is announced on every page)."""
    return [{"title": f"{t.title} : flux Atom du dossier", "href": file_href(src, feed_src(t))} for t in themes]
