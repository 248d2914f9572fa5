"""Ground truth for the search tests, computed from the seeds (never hand-typed counts).

An article matches a query when every query word occurs in its published text (headline and
the seed lines not listed under ``omit``), after French elision splitting (l’, d’, qu’, jusqu’…
with ’ or '), case and accent folding, and Snowball French stemming. This is what a French
reader means by "the article contains the word". The metadata lines of an article page (date,
source, dossiers, tags, summary, names) are shown but not searched.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
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


def keys(text: str) -> frozenset[str]:
    """Search keys of a text: elisions split, folded, stemmed."""
    return frozenset(_STEMMER.stemWord(word) for word in words(text))


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

    @property
    def words(self) -> frozenset[str]:
        """Every word of the article, folded."""
        return frozenset(words(" ".join((self.title, *self.lines))))

    @property
    def keyset(self) -> frozenset[str]:
        """Every search key of the article."""
        return keys(" ".join((self.title, *self.lines)))


def load_docs(seeds_dir: Path) -> list[Doc]:
    """The articles of ``seeds_dir``, read with plain PyYAML, independently of build_scripts."""
    return [
        Doc(seed.stem, seed.title, seed.lines, seed.date.isoformat(), tuple(str(t) for t in seed.meta["themes"]))
        for seed in plain_seeds(seeds_dir).values()
    ]


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
    prefixes = (last, _STEMMER.stemWord(last))
    return {
        doc.seed
        for doc in docs
        if complete <= doc.keyset
        and any(w.startswith(prefixes) or _STEMMER.stemWord(w).startswith(prefixes) for w in doc.words)
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
]
