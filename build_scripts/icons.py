"""The theme's icons, drawn from one file per site instead of written into every page (issue 21).

Material includes each icon's SVG source where it is shown: thirteen on an
article page (the logo and the repository's icon twice, the palette toggles,
the search dialog...), 4.6 kB of every one of the site's pages, identical on
all of them. Here the theme's loader gives, for an icon the site uses, a
short ``<svg>`` that draws it from ``assets/press-icons.svg`` (``<use>``):
the browser fetches that file once and caches it. The page keeps an ``<svg>``
element with the icon's own ``viewBox``, so Material's style (size,
``fill: currentcolor`` in both palettes) applies as before, and what names a
control (its ``title`` or ``aria-label``) is untouched.

Which icons: every icon name written in the templates a page can be
rendered with (Material's defaults, such as ``material/magnify``; its blog's
templates are not among them) or in the theme's configuration (``theme.icon``,
the palette toggles; not the admonition, annotation and tag icons, which Material
writes into a style), and in the site's scripts kept with the theme
(``press-search.js`` writes the search dialog). An icon outside that set, such as
a page's own ``icon`` in its front matter, is written into the page as before.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import jinja2
import jinja2.meta

# The templates MkDocs renders pages with: icons are looked for in them and what they include.
PAGE_TEMPLATES = ("main.html", "404.html")
# Where the theme keeps its icons (``{% include ".icons/material/magnify.svg" %}``).
PREFIX = ".icons/"
# The file every page draws its icons from, under the site's root.
SPRITE = "assets/press-icons.svg"
# An icon's name as the theme spells it: a set of Material's bundled icons, then the path.
_NAME = re.compile(r"\b((?:material|fontawesome|octicons|simple)/[a-z0-9][a-z0-9/_-]*)\b")
_SVG = re.compile(r"<svg\b([^>]*)>(.*)</svg>\s*$", re.S)
_ATTRIBUTE = re.compile(r'([a-zA-Z:-]+)="([^"]*)"')
# The page's own copy needs no namespace (HTML's parser gives it) and no licence
# comment: the sprite keeps the comment, as Font Awesome's licence asks.
_DROPPED = {"xmlns"}
# The icons Material's partials/icons.html imports to write their SVG source into a style
# (``theme.icon.admonition``, ``annotation``, ``tag``): a reference would not draw there.
_IN_STYLES = {"admonition", "annotation", "tag"}


def symbol_id(name: str) -> str:
    """The id of icon ``name`` (``material/magnify``) in the sprite: ``material-magnify``."""
    return name.replace("/", "-")


def names(sources: Iterable[str], theme: Any) -> list[str]:
    """Every icon name in the templates' ``sources`` and in the theme's configuration, sorted."""
    found: set[str] = set()
    for source in sources:
        found.update(_NAME.findall(source))
    found.update(_strings(theme))
    return sorted(found)


def _strings(value: Any) -> Iterable[str]:
    """The icon names among the strings nested in a configuration value."""
    if isinstance(value, str):
        yield from (name for name in _NAME.findall(value) if name == value)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if key not in _IN_STYLES:
                yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def split(source: str) -> tuple[dict[str, str], str]:
    """An icon's SVG source as its root element's attributes and its content."""
    match = _SVG.search(source)
    if match is None:
        raise ValueError(f"not an SVG icon: {source[:60]!r}")
    return dict(_ATTRIBUTE.findall(match.group(1))), match.group(2)


def sprite(icons: Mapping[str, str]) -> str:
    """The sprite file: each icon (name -> SVG source) as a ``<symbol>`` with its id and ``viewBox``."""
    out = ['<svg xmlns="http://www.w3.org/2000/svg">']
    for name, source in sorted(icons.items()):
        attributes, content = split(source)
        box = attributes.get("viewBox", "0 0 24 24")
        out.append(f'<symbol id="{symbol_id(name)}" viewBox="{html.escape(box)}">{content.strip()}</symbol>')
    out.append("</svg>\n")
    return "\n".join(out)


def reference(name: str, source: str) -> str:
    """The template an icon's include gives: its ``<svg>`` root, drawing the sprite's symbol."""
    attributes, _ = split(source)
    kept = "".join(f' {key}="{html.escape(value)}"' for key, value in attributes.items() if key not in _DROPPED)
    # ``url`` makes the sprite's address relative to the page, as Material does for its assets.
    return f"<svg{kept}><use href=\"{{{{ '{SPRITE}' | url }}}}#{symbol_id(name)}\"></use></svg>"


_REFERENCED: dict[str, tuple[str, ...]] = {}
"""The templates each template source refers to. ``serve`` asks at every rebuild, and parsing the
theme's templates again took a fifth of a second of each at 10,000 articles; a template edited
is a new source, parsed anew."""


def _referenced(env: jinja2.Environment, source: str) -> tuple[str, ...]:
    found = _REFERENCED.get(source)
    if found is None:
        found = _REFERENCED[source] = tuple(n for n in jinja2.meta.find_referenced_templates(env.parse(source)) if n)
    return found


def _reachable(env: jinja2.Environment, loader: jinja2.BaseLoader, roots: Iterable[str]) -> Iterable[str]:
    """The sources of ``roots`` and of every template they include, import or extend, each once."""
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in seen or name.startswith(PREFIX):
            continue
        seen.add(name)
        try:
            source = loader.get_source(env, name)[0]
        except jinja2.TemplateNotFound:
            continue  # an optional template, such as a page's own
        yield source
        todo.extend(_referenced(env, source))


class Loader(jinja2.BaseLoader):
    """The theme's loader, giving for each icon of the sprite a ``reference`` to it."""

    def __init__(self, inner: jinja2.BaseLoader, icons: Mapping[str, str]) -> None:
        self.inner = inner
        self.icons = icons

    def get_source(
        self, environment: jinja2.Environment, name: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        """The icon's reference, or the inner loader's source."""
        icon = name.removeprefix(PREFIX).removesuffix(".svg")
        if name.startswith(PREFIX) and icon in self.icons:
            return reference(icon, self.icons[icon]), None, lambda: True
        return self.inner.get_source(environment, name)

    def list_templates(self) -> list[str]:
        """The inner loader's templates."""
        return self.inner.list_templates()


def theme(env: jinja2.Environment, config: Any) -> str:
    """Make the theme's environment draw its icons from the sprite; the sprite's text."""
    inner = env.loader
    assert inner is not None
    sources = list(_reachable(env, inner, PAGE_TEMPLATES))
    # The site's scripts that the theme holds draw icons too (press-search.js, in its dialog).
    for script in config.extra_javascript:
        try:
            sources.append(inner.get_source(env, str(script))[0])
        except jinja2.TemplateNotFound:
            continue  # a script of docs/, not of the theme
    icons: dict[str, str] = {}
    for name in names(sources, config.theme):
        try:
            icons[name] = inner.get_source(env, PREFIX + name + ".svg")[0]
        except jinja2.TemplateNotFound:
            continue  # a name in a comment or an example, not an icon
    env.loader = Loader(inner, icons)
    return sprite(icons)
