"""Atom feeds (RFC 4287) of the publication and of each dossier. Pure.

Feeds are built with ElementTree, so every text and attribute is XML-escaped by
the serializer, never by hand. They are written into ``docs/flux/`` like the
generated pages (the writer tracks them by the mark in their first comment) and
MkDocs copies them to the site unchanged. ``updated`` is the date of the newest
article, so the same seeds always give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import xml.etree.ElementTree as ET
from collections.abc import Callable

from build_scripts.group import Indexes
from build_scripts.model import Article, Corpus, SiteInfo, Theme
from build_scripts.render.head import article_description
from build_scripts.render.templates import GENERATED_MARK
from build_scripts.render.urls import HOME, article_src, feed_src, page_url, theme_src

ATOM = "http://www.w3.org/2005/Atom"
# Newest entries per feed: readers poll feeds, they do not browse them.
FEED_LIMIT = 50


def _q(tag: str) -> str:
    return f"{{{ATOM}}}{tag}"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, _q(tag), attrs)
    if text is not None:
        element.text = text
    return element


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def atom_feed(
    title: str, page: str, feed: str, articles: tuple[Article, ...], themes: dict[str, Theme], site: SiteInfo
) -> str:
    """One Atom document: ``page`` and ``feed`` are paths inside ``docs/``; ``articles`` newest first."""
    ET.register_namespace("", ATOM)
    root = ET.Element(_q("feed"), {"{http://www.w3.org/XML/1998/namespace}lang": "fr"})
    feed_url = site.url + feed
    _sub(root, "id", feed_url)
    _sub(root, "title", title)
    _sub(root, "subtitle", site.name)
    newest = articles[0].date if articles else dt.date(1970, 1, 1)
    _sub(root, "updated", _stamp(newest))
    _sub(root, "link", rel="self", type="application/atom+xml", href=feed_url)
    _sub(root, "link", rel="alternate", type="text/html", href=site.url + page_url(page))
    author = _sub(root, "author")
    _sub(author, "name", site.name)
    _sub(root, "generator", "build_scripts (MkDocs Material)")
    for article in articles[:FEED_LIMIT]:
        url = site.url + page_url(article_src(article))
        entry = _sub(root, "entry")
        _sub(entry, "id", url)
        _sub(entry, "title", article.title)
        _sub(entry, "link", rel="alternate", type="text/html", href=url)
        _sub(entry, "published", _stamp(article.date))
        _sub(entry, "updated", _stamp(article.date))
        # Without author or outlet, the entry takes the feed's author (RFC 4287, 4.2.1).
        byline = article.author or article.source
        if byline:
            _sub(_sub(entry, "author"), "name", byline)
        for theme_id in article.themes:
            _sub(entry, "category", term=theme_id, label=themes[theme_id].title)
        _sub(entry, "summary", article_description(article), type="text")
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    comment = f"<!-- {GENERATED_MARK} depuis seeds/ : ne pas modifier, il est réécrit à chaque build. -->"
    return f'<?xml version="1.0" encoding="utf-8"?>\n{comment}\n{body}\n'


def _file(text: str) -> str:
    return text


def all_feeds(corpus: Corpus, idx: Indexes, site: SiteInfo) -> list[tuple[str, Callable[..., str], tuple[object, ...]]]:
    """The publication feed and one feed per dossier: (path inside ``docs/``, how to make it, from what).

    A feed shows only its ``FEED_LIMIT`` newest articles, so only those are its arguments.
    """
    themes = {t.id: t for t in corpus.themes}
    latest = tuple(corpus.articles[:FEED_LIMIT])
    made: list[tuple[str, Callable[..., str], tuple[object, ...]]] = [
        (feed_src(), atom_feed, (f"{site.name} : tous les articles", HOME, feed_src(), latest, themes, site))
    ]
    for theme in corpus.themes:
        newest = tuple(idx.by_theme[theme.id][:FEED_LIMIT])
        title = f"{site.name} : {theme.title}"
        made.append((feed_src(theme), atom_feed, (title, theme_src(theme), feed_src(theme), newest, themes, site)))
    # Material's script treats every <link rel="alternate"> as a language version
    # and fetches "sitemap.xml" beside it. An empty sitemap in each feed folder
    # answers that request (a 404 would log a console error on every page) for
    # about a hundred bytes, instead of the real, growing sitemap.
    for folder in sorted({posixpath.dirname(path) for path, _, _ in made}):
        made.append((posixpath.join(folder, "sitemap.xml"), _file, (EMPTY_SITEMAP,)))
    return made


EMPTY_SITEMAP = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    f"<!-- {GENERATED_MARK} : sitemap vide, voir build_scripts/render/feeds.py -->\n"
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>\n'
)
