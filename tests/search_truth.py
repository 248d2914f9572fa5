"""Ground truth for the search tests, computed from the seeds (never hand-typed counts).

An article matches a query when every query word occurs in what the search reads of it
(issue 12): the headline, the seed lines not listed under ``omit``, its people, places and
organisations (as ``aliases.yml`` merges them: the page shows the retained name), its tags,
its dossiers' titles and its French date (« 1er décembre 2016 », Pagefind's result
metadata), after French elision splitting (l’, d’, qu’, jusqu’… with ’ or '), case and accent
folding, and Snowball French stemming. This is what a French reader means by "the article
contains the word". The other metadata (outlet, author, summary) is shown but not searched.
Everything is read with plain PyYAML, independently of ``build_scripts``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import snowballstemmer  # type: ignore[import-untyped]
import yaml

from tests.helpers import plain_seeds

_STEMMER = snowballstemmer.stemmer("french")
_ELISION = re.compile(r"\b(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['’]", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower-case and strip diacritics (DÉSESCALADE -> desescalade, Œ -> oe)."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """Words of a text: elisions split off, folded."""
    return _WORD.findall(fold(_ELISION.sub(" ", text)))


@cache
def stem(word: str) -> str:
    """The Snowball French stem of a folded word (remembered: the archive tests stem a lot)."""
    result: str = _STEMMER.stemWord(word)
    return result


def keys(text: str) -> frozenset[str]:
    """Search keys of a text: elisions split, folded, stemmed."""
    return frozenset(stem(word) for word in words(text))


# French month names, for the date words of an article (the site prints « 8 février 2022 »)
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
          "décembre")  # fmt: skip
NAME_FIELDS = ("people", "places", "organisations")


@dataclass(frozen=True)
class Doc:
    """One article as a reader sees it."""

    seed: str
    """The seed's file stem, also the page's ``data-seed``."""
    title: str
    """The published headline: the metadata title, or else the first line of the text."""
    lines: tuple[str, ...]
    """Every published line of the text (headline included unless the metadata gives a title)."""
    date: str
    """ISO date from the metadata."""
    themes: tuple[str, ...]
    """Dossier ids, in the metadata's order."""
    source: str = ""
    """The outlet, as written in the metadata; empty when it is unknown (``source: inconnue``)."""
    names: tuple[str, ...] = ()
    """People, places and organisations as the page shows them (aliases merged), then the tags."""
    dossiers: tuple[str, ...] = ()
    """The titles of its dossiers, in the metadata's order."""

    @property
    def year(self) -> str:
        """The year of its date, as the year filter shows it."""
        return self.date[:4]

    @cached_property
    def searched(self) -> str:
        """Everything the search reads of the article."""
        day = int(self.date[8:10])
        when = f"{'1er' if day == 1 else day} {MONTHS[int(self.date[5:7]) - 1]} {self.year}"
        return " ".join((self.title, *self.lines, *self.names, *self.dossiers, when))

    @cached_property
    def words(self) -> frozenset[str]:
        """Every searchable word of the article, folded."""
        return frozenset(words(self.searched))

    @cached_property
    def keyset(self) -> frozenset[str]:
        """Every search key of the article."""
        return keys(self.searched)

    @cached_property
    def text_keys(self) -> frozenset[str]:
        """Search keys of its headline and text only (not its names, tags, dossiers or date)."""
        return keys(" ".join((self.title, *self.lines)))


def _aliases(seeds_dir: Path) -> dict[str, dict[str, str]]:
    """Variant -> retained name, per kind of name (``aliases.yml``, absent in a synthetic corpus)."""
    path = seeds_dir / "aliases.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    return {
        kind: {
            str(variant): str(name) for name, variants in ((data or {}).get(kind) or {}).items() for variant in variants
        }
        for kind in NAME_FIELDS
    }


def load_docs(seeds_dir: Path) -> list[Doc]:
    """The articles of ``seeds_dir``, read with plain PyYAML, independently of build_scripts."""
    aliases = _aliases(seeds_dir)
    titles = theme_titles(seeds_dir)
    docs = []
    for seed in plain_seeds(seeds_dir).values():
        meta = seed.meta
        themes = tuple(str(theme) for theme in meta["themes"])
        names = tuple(aliases[kind].get(str(name), str(name)) for kind in NAME_FIELDS for name in meta.get(kind) or [])
        names += tuple(str(tag) for tag in meta.get("tags") or [])
        dossiers = tuple(titles[theme] for theme in themes)
        # ``source: inconnue`` says the outlet is unknown (CONTRIBUTING.md): the article has none.
        source = "" if meta["source"] == "inconnue" else str(meta["source"])
        docs.append(Doc(seed.stem, seed.title, seed.lines, seed.date.isoformat(), themes, source, names, dossiers))
    return docs


def theme_titles(seeds_dir: Path) -> dict[str, str]:
    """Dossier titles by id, from themes.yml."""
    themes = yaml.safe_load((seeds_dir / "themes.yml").read_text(encoding="utf-8"))
    return {str(theme["id"]): str(theme["title"]) for theme in themes}


def expected(query: str, docs: list[Doc]) -> set[str]:
    """Seeds of the articles containing every word of the query (AND, as Pagefind does)."""
    wanted = keys(query)
    return {doc.seed for doc in docs if wanted and wanted <= doc.keyset}


def tolerated(query: str, docs: list[Doc]) -> set[str]:
    """Seeds a search-as-you-type engine may also return: the query's last word read as a prefix.

    Pagefind completes the last word as the reader types (« ukraine » also finds
    « ukrainienne »), so an extra result is fine when one of its words starts with it.
    """
    typed = words(query)
    if not typed:
        return set()
    *whole, last = typed
    complete = keys(" ".join(whole))
    prefixes = (last, stem(last))
    return {
        doc.seed
        for doc in docs
        if complete <= doc.keyset and any(w.startswith(prefixes) or stem(w).startswith(prefixes) for w in doc.words)
    }


def in_title(query: str, doc: Doc) -> bool:
    """True when every query word occurs in the headline."""
    wanted = keys(query)
    return bool(wanted) and wanted <= keys(doc.title)


# The query table: (query typed by the reader, what it exercises). Issue #3 lists the cases.
QUERIES: list[tuple[str, str]] = [
    ("OTAN", "acronym written « l’OTAN »"),
    ("otan", "acronym in lower case"),
    ("l'OTAN", "elision typed with '"),
    ("l’Ukraine", "elision typed with ’"),
    ("d’accord", "elision d’"),
    ("qu'ils", "elision qu' (the text writes qu’ils)"),
    ("désescalade", "accents"),
    ("desescalade", "no accents"),
    ("DÉSESCALADE", "upper case and accent"),
    ("sécurité", "accents"),
    ("securite", "no accents"),
    ("crimee", "Crimée without its accent"),
    ("sanction", "singular finds sanctions"),
    ("sanctions", "plural"),
    ("négociation", "singular finds négociations"),
    ("negociations", "plural without accent"),
    ("menace", "menace / menaces / menacer"),
    ("menaces", "plural"),
    ("menacer", "verb"),
    ("G7", "acronym with a digit"),
    ("FSB", "acronym"),
    ("Kremlin", "proper noun"),
    ("Donbas", "proper noun"),
    ("confrontation", "a headline match ranks first"),
    ("Macron Crimée", "two words: both must occur"),
    ("diplomatie", "a tag of one article, in the text of another (issue 12)"),
    ("Bachar", "a person named only in the metadata, written otherwise in the text (issue 12)"),
]
