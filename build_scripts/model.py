"""The small, typed, immutable data model shared by every pipeline stage."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True)
class Paragraph:
    """One published line of an article's text."""

    number: int
    """1-based position among the published paragraphs; gives the ``#p-N`` anchor."""
    text: str
    """The line exactly as written, minus surrounding whitespace."""
    line: int
    """1-based line number in the ``.txt`` seed, for error messages."""
    intertitle: bool = False
    """Whether the seed lists it in ``intertitles``: published as a section heading."""


@dataclass(frozen=True)
class Theme:
    """A thematic dossier declared in ``seeds/themes.yml``."""

    id: str
    """Short identifier used in article metadata and in the URL ``dossiers/<id>/``."""
    title: str
    """Human title shown to readers."""
    description: str
    """Editorial introduction, in Markdown (raw HTML is shown as text)."""
    keywords: tuple[str, ...]
    """Words that suggest the theme when scaffolding a new article."""


@dataclass(frozen=True)
class SpeakerNote:
    """A maintainer's correction: who said a quotation (metadata field ``quotes``)."""

    quote: str
    """The beginning of the quotation, as written between the quotation marks."""
    speaker: str
    """The name to show as its speaker."""


@dataclass(frozen=True)
class Listed:
    """An article as a list shows it (dossiers, chronology, indexes, quotations, related articles, neighbours).

    The pages that list an article are given this rather than the article: under
    ``serve``, an edit to its text leaves it equal, and those pages are not
    rendered again (issue 21). A field a list shows must be here, or a list would
    keep showing its old value until the next full build.
    """

    id: str
    slug: str
    title: str
    date: dt.date
    source: str | None
    themes: tuple[str, ...]
    summary: str | None


@dataclass(frozen=True)
class Article:
    """One press article: its text and its validated metadata."""

    id: str
    """The seed's file stem, e.g. ``001_b741aa03098057aa``."""
    slug: str
    """URL segment: the page lives at ``articles/<slug>/``."""
    title: str
    """Title shown to readers: metadata ``title`` or, by default, the headline."""
    headline: str
    """First non-empty line of the text."""
    date: dt.date
    """Publication date."""
    source: str | None
    """The outlet or news agency; ``None`` when the seed says ``source: inconnue``."""
    paragraphs: tuple[Paragraph, ...]
    """Published lines after the headline, ``omit`` lines removed."""
    themes: tuple[str, ...]
    """Theme ids, in the order the maintainer wrote them."""
    url: str | None = None
    """Link to the original (http or https)."""
    author: str | None = None
    """Byline, when known."""
    summary: str | None = None
    """One-paragraph summary written by the maintainer."""
    tags: tuple[str, ...] = ()
    """Free keywords."""
    people: tuple[str, ...] = ()
    """People named in the article."""
    places: tuple[str, ...] = ()
    """Places named in the article."""
    organisations: tuple[str, ...] = ()
    """Organisations named in the article."""
    speakers: tuple[SpeakerNote, ...] = ()
    """Speakers set by the maintainer, overriding the automatic attribution."""
    text_path: str = ""
    """Seed text path relative to the project root, e.g. ``seeds/x.txt``."""
    meta_path: str = ""
    """Seed metadata path relative to the project root, e.g. ``seeds/x.yml``."""

    def names(self, field: str) -> tuple[str, ...]:
        """The names an index reads from ``field`` (``people``, …, ``source``, ``author``), as written."""
        value: str | tuple[str, ...] | None = getattr(self, field)
        if value is None:
            return ()
        return (value,) if isinstance(value, str) else value

    @cached_property
    def listed(self) -> Listed:
        """What the lists of articles show of it; the same object for as long as this article lives."""
        return Listed(self.id, self.slug, self.title, self.date, self.source, self.themes, self.summary)

    @property
    def lead(self) -> str | None:
        """The headline, when a metadata ``title`` replaces it and it must still be published."""
        return self.headline if self.title != self.headline else None


def canonical_name(aliases: dict[str, dict[str, str]], field: str, name: str) -> str:
    """The name under which ``name``, written in the article field ``field``, is indexed, given ``aliases``."""
    return aliases.get(field, {}).get(name, name)


@dataclass(frozen=True)
class Corpus:
    """Everything read from ``seeds/``, validated."""

    themes: tuple[Theme, ...]
    """Dossiers in the order of ``themes.yml``."""
    articles: tuple[Article, ...]
    """Articles, newest first (ties broken by slug)."""
    aliases: dict[str, dict[str, str]] = field(default_factory=dict)
    """``seeds/aliases.yml``: for ``people``, ``places`` and ``organisations``, variant -> canonical name."""

    def canonical(self, field: str, name: str) -> str:
        """The name under which ``name``, written in the article field ``field``, is indexed."""
        return canonical_name(self.aliases, field, name)


@dataclass(frozen=True)
class SiteInfo:
    """What rendering needs to know about the site itself (from ``mkdocs.yml``)."""

    url: str
    """Absolute base URL, ending with ``/``, e.g. ``https://org.github.io/repo/``."""
    name: str
    """Site name, for the JSON-LD ``isPartOf`` and the feeds."""
    title: str = ""
    """The home page's heading (``extra.home.title`` of ``mkdocs.yml``); the site name when empty."""
    lede: str = ""
    """The home page's introduction (``extra.home.lede``); none when empty."""
    description: str = ""
    """The home page's meta description (``extra.home.description``, else ``site_description``)."""
