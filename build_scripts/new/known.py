"""What every guess of ``new`` is, and what the corpus already knows to make one."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from build_scripts import duplicates
from build_scripts.duplicates import Duplicate
from build_scripts.load import read_seeds
from build_scripts.model import Theme
from build_scripts.review import mentions
from build_scripts.schema import ALIASES_FILE, ENTITY_KINDS, SEEDS_DIR, THEMES_FILE, UNKNOWN_SOURCE
from build_scripts.validate import read_aliases, read_themes

__all__ = ["UNKNOWN_SOURCE", "Guess", "Known", "learn", "word_pattern"]


@dataclass(frozen=True)
class Guess:
    """A value proposed for one field, with the reason shown to the maintainer."""

    value: Any
    """The proposed value, or ``None`` when nothing could be guessed."""
    note: str
    """Why, in French: written as a YAML comment above the field."""


def word_pattern(word: str, flags: int = 0) -> re.Pattern[str]:
    """``word`` as a whole word: not inside a longer word or a hyphenated compound."""
    return re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])", flags)


@dataclass
class Known:
    """What the corpus already knows, to recognise it in a new text."""

    names: dict[str, dict[str, str]] = field(default_factory=lambda: {k.field: {} for k in ENTITY_KINDS})
    """Per field: spelling found in a text -> name to write in the YAML."""
    outlets: set[str] = field(default_factory=set)
    """Outlets named as ``source`` in existing seeds."""
    omit: set[str] = field(default_factory=set)
    """Lines that existing seeds omit (site clutter)."""
    themes: list[Theme] = field(default_factory=list)
    """Dossiers of ``themes.yml``."""
    stems: set[str] = field(default_factory=set)
    """Existing seed names."""
    texts: dict[str, str] = field(default_factory=dict)
    """Each seed's text, by its path (to refuse a page already in the corpus)."""

    def copy_of(self, text: str) -> Duplicate | None:
        """The seed whose text ``text`` nearly repeats (the near-duplicate check of ``check``), if any."""
        key = "<nouvelle page>"
        found = duplicates.find_duplicates([(key, text), *self.texts.items()])
        return next((d for d in found if d.key == key), None)


def learn(root: Path) -> Known:
    """Read what the corpus knows; a broken corpus yields what could be read."""
    raw, _ = read_seeds(root)
    known = Known()
    known.themes = read_themes(raw.themes, f"{SEEDS_DIR}/{THEMES_FILE}", [])
    aliases = read_aliases(raw.aliases, f"{SEEDS_DIR}/{ALIASES_FILE}", [])
    for mention in mentions(raw.metas):
        name = aliases[mention.field].get(mention.name, mention.name)
        known.names[mention.field].setdefault(mention.name, name)
        known.names[mention.field].setdefault(name, name)
    # Aliases of names the corpus never used still teach spellings.
    for section, variants in aliases.items():
        for variant, name in variants.items():
            known.names[section].setdefault(variant, name)
            known.names[section].setdefault(name, name)
    # « Poutine » alone stands for the only known person of that surname.
    people = known.names["people"]
    surnames: dict[str, set[str]] = {}
    for name in set(people.values()):
        parts = name.split()
        if len(parts) > 1:
            surnames.setdefault(parts[-1], set()).add(name)
    for surname, names in surnames.items():
        if len(names) == 1 and surname not in people:
            people[surname] = next(iter(names))
    for stem, doc in raw.metas.items():
        known.stems.add(stem)
        if isinstance(doc.value, dict):
            source = doc.value.get("source")
            if isinstance(source, str) and source.strip() and source.strip() != UNKNOWN_SOURCE:
                known.outlets.add(source.strip())
            for line in doc.value.get("omit") or []:
                if isinstance(line, str) and line.strip():
                    known.omit.add(line.strip())
    known.stems |= set(raw.texts)
    known.texts = {seed.path: "\n".join(line for _, line in seed.lines) for seed in raw.texts.values()}
    return known
