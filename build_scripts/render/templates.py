"""The Jinja environment of the generated pages, and the front matter each page starts with.

Templates (``templates/*.j2``) render with autoescaping on, so seed text is
HTML-escaped unless a value is explicitly ``Markup``. Every path a template
links to comes from ``urls.py``, through the ``link`` function it receives.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import jinja2
import lz4.frame

from build_scripts.dates import french_date, french_month
from build_scripts.escape import Markup, front_matter, html
from build_scripts.model import Listed
from build_scripts.render import urls

GENERATED_MARK = "Fichier généré par build_scripts"
"""On the second line of every generated file: how ``write.py`` tells them from hand-written pages."""


@lru_cache(maxsize=1 << 15)
def _item_parts(title: str, day: dt.date, source: str | None) -> tuple[str, str]:
    """An article's list item around its link, escaped once: a title shows in many lists."""
    before = f'<li><time datetime="{html(day.isoformat())}">{html(french_date(day))}</time> · <a href="'
    after = f'">{html(title)}</a>'
    # An unknown outlet is said once, on the article page; lists leave it out (issue 12).
    if source is not None:
        after += f' · <span class="press-source">{html(source)}</span>'
    return before, after


@lru_cache(maxsize=1 << 12)
def _item_themes(folder: str, themes: tuple[tuple[str, str], ...]) -> str:
    """The dossiers of a list item, linked from a page at ``folder``: the same on every line that has them."""
    links = ", ".join(
        f'<a href="{html(urls.relative_href(folder + "index.md", urls.theme_src(theme_id)))}">{html(title)}</a>'
        for theme_id, title in themes
    )
    return f' · <span class="press-item-themes">{links}</span>'


@jinja2.pass_context
def _list_item(
    context: jinja2.runtime.Context, article: Listed, dossiers: bool = False, summary: bool = False
) -> Markup:
    """One ``<li>`` of an article list: date, linked title, outlet (when known), optionally
    its dossiers and its summary.

    Written in Python rather than as a Jinja macro: entity, chronology and
    article pages print tens of thousands of these, and the macro call cost
    was a fifth of the generation profile (issue 7). Every seed value goes through ``html()``.
    """
    link: Callable[..., str] = context["link"]
    before, after = _item_parts(article.title, article.date, article.source)
    parts = [before, html(link(urls.article_src(article))), after]
    if dossiers:
        titles = context["theme_titles"]
        named = tuple((theme_id, titles[theme_id]) for theme_id in article.themes)
        parts.append(_item_themes(urls.page_url(context["src"]), named))
    if summary and article.summary:
        parts.append(f'<p class="press-item-summary">{html(article.summary)}</p>')
    parts.append("</li>")
    return Markup("".join(parts))


def period_label(key: str) -> str:
    """A period of an index entry's pages: ``2021`` for a year, ``mars 2021`` for a month."""
    if "-" not in key:
        return key
    year, month = key.split("-")
    return french_month(dt.date(int(year), int(month), 1))


@cache
def environment() -> jinja2.Environment:
    """The one Jinja environment: templates of this package, strict about undefined names."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("build_scripts.render", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["fr_date"] = french_date
    env.filters["fr_month"] = french_month
    env.globals.update(
        item=_list_item,
        period_label=period_label,
        article_src=urls.article_src,
        theme_src=urls.theme_src,
        theme_year_src=urls.theme_year_src,
        chronology_src=urls.chronology_src,
        quotes_src=urls.quotes_src,
        index_src=urls.index_src,
        entry_src=urls.entry_src,
        HOME=urls.HOME,
        DOSSIERS=urls.DOSSIERS,
        CHRONOLOGY=urls.CHRONOLOGY,
        QUOTES=urls.QUOTES,
    )
    return env


@dataclass(frozen=True)
class Head:
    """What MkDocs reads from a page's front matter, and where the page comes from."""

    meta: dict[str, Any]
    """``title`` and ``description`` (HTML-escaped), and ``press``: what ``overrides/main.html``
    and the MkDocs hook read (kind, seed, JSON-LD, Open Graph, feeds)."""
    origin: str
    """The seed files the page is made from, named in its generated mark."""


@dataclass(frozen=True, init=False)
class PageOut:
    """One generated page, ready for MkDocs: its front matter and its HTML.

    The HTML is exactly what Python-Markdown would make of the page written
    as Markdown (raw HTML blocks pass through unchanged), so MkDocs is handed
    it directly instead of parsing it again (issue 11).
    """

    head: Head
    """Front matter."""
    body: bytes
    """The page body (``html``), compressed: every page is held until MkDocs has
    built them all. As text, the pages of 10,000 articles take 400 MB (one ’ makes
    Python store a page at two bytes a character); compressed with LZ4, 53 MB.
    LZ4 costs 0.2 s to compress them all and 0.07 s to read them back; zlib, at
    its fastest, 41 MB for 1.2 s and 0.5 s (measured on that archive)."""
    toc: tuple[tuple[int, str, str], ...] = ()
    """Its table of contents, (level, id, text) in page order: headings in raw HTML are
    not seen by MkDocs, so a page that needs one says it here (``publish.use_generated_html``)."""

    def __init__(self, head: Head, html: str, toc: tuple[tuple[int, str, str], ...] = ()) -> None:
        object.__setattr__(self, "head", head)
        object.__setattr__(self, "body", lz4.frame.compress(html.encode()))
        object.__setattr__(self, "toc", toc)

    @property
    def html(self) -> str:
        """The page body."""
        body: bytes = lz4.frame.decompress(self.body)
        return body.decode()

    def markdown(self) -> str:
        """The page as a Markdown file with its front matter (the golden files, ``--keep-markdown``)."""
        mark = f"{GENERATED_MARK} depuis {self.head.origin} : ne pas modifier, il est réécrit à chaque build."
        return front_matter(self.head.meta, mark) + self.html + "\n"


def render(template: str, src: str, **context: Any) -> str:
    """Render ``template`` as the page at ``src``: its ``link(to, anchor)`` gives relative hrefs."""
    link: Callable[..., str] = lambda to, anchor=None: urls.relative_href(src, to, anchor)  # noqa: E731
    return environment().get_template(template).render(link=link, src=src, **context).strip("\n")


def page_meta(title: str, description: str, origin: str, **press: Any) -> Head:
    """The front matter of a generated page: title, description and ``press`` data.

    MkDocs Material prints ``title`` and ``description`` without escaping, so
    they are HTML-escaped here.
    """
    # One line: the description is plain text for <meta name="description">.
    description = " ".join(description.split())
    data: dict[str, Any] = {"title": str(html(title)), "description": str(html(description))}
    if press:
        data["press"] = press
    return Head(data, origin)
