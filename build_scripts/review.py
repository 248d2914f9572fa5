"""Warnings of ``python -m build_scripts check`` that compare articles with each other.

Probable duplicates (``duplicates.py``) and one name spelled two ways that
``seeds/aliases.yml`` does not merge. They read the whole corpus at once, so
they run in ``check`` and in the pull-request workflow, not on every rebuild
of ``mkdocs serve``.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from build_scripts import duplicates
from build_scripts.load import RawSeeds
from build_scripts.model import Corpus
from build_scripts.problems import Problem
from build_scripts.schema import ENTITY_KINDS, SEEDS_DIR
from build_scripts.text import fold
from build_scripts.yamlsafe import Document


@dataclass(frozen=True)
class Mention:
    """One name written in one article's metadata."""

    field: str
    """``people``, ``places`` or ``organisations``."""
    name: str
    """As written."""
    path: str
    """The ``.yml`` seed."""
    line: int | None
    """Line of the list item."""


def mentions(metas: dict[str, Document]) -> list[Mention]:
    """Every entity name written in the metadata files, with its line, even in a file with errors."""
    found: list[Mention] = []
    for stem in sorted(metas):
        doc = metas[stem]
        if not isinstance(doc.value, dict):
            continue
        for kind in ENTITY_KINDS:
            items = doc.value.get(kind.field)
            if not isinstance(items, list):
                continue
            for i, item in enumerate(items):
                if isinstance(item, str) and item.strip():
                    found.append(Mention(kind.field, item.strip(), f"{SEEDS_DIR}/{stem}.yml", doc.line(kind.field, i)))
    return found


def person_key(name: str) -> str | None:
    """Initial of the first name plus folded surname: « V. Poutine » ~ « Vladimir Poutine »."""
    parts = [p for p in re.split(r"[\s.]+", name) if p]
    if len(parts) < 2:
        return None
    return fold(parts[0])[:1] + "|" + fold(" ".join(parts[1:]))


def variant_warnings(found: list[Mention], corpus: Corpus) -> list[Problem]:
    """Warn where one entity is spelled two ways that ``aliases.yml`` does not merge."""
    problems: list[Problem] = []
    for kind in ENTITY_KINDS:
        items = [m for m in found if m.field == kind.field]

        def canonical(name: str, field: str = kind.field) -> str:
            return corpus.canonical(field, name)

        counts = Counter(canonical(m.name) for m in items)
        groups: dict[str, set[str]] = defaultdict(set)
        for name in counts:
            groups["f:" + fold(name)].add(name)
            if kind.field == "people" and (key := person_key(name)):
                groups["p:" + key].add(name)
        # A bare surname (« Poutine ») joins the only full name that ends with it.
        if kind.field == "people":
            by_surname: dict[str, set[str]] = defaultdict(set)
            for name in counts:
                parts = name.split()
                if len(parts) > 1:
                    by_surname[fold(parts[-1])].add(name)
            for name in counts:
                full = by_surname.get(fold(name), set()) if len(name.split()) == 1 else set()
                if len(full) == 1:
                    groups["s:" + fold(name)] |= {name, *full}
        reported: set[tuple[str, str]] = set()
        for names in groups.values():
            if len(names) < 2:
                continue
            # The most used spelling is the reference; the others are reported.
            reference = min(names, key=lambda n: (-counts[n], n))
            first = next(m for m in items if canonical(m.name) == reference)
            for mention in items:
                name = canonical(mention.name)
                if name in names and name != reference and (mention.path, name) not in reported:
                    reported.add((mention.path, name))
                    problems.append(
                        Problem(
                            mention.path,
                            mention.line,
                            f"« {mention.name} » et « {reference} » ({first.path}) désignent sans doute "
                            f"{kind.same} : gardez une seule orthographe, ou déclarez la variante "
                            f"dans {SEEDS_DIR}/aliases.yml",
                            "warning",
                        )
                    )
    return problems


def duplicate_warnings(raw: RawSeeds) -> list[Problem]:
    """A warning for each text that is nearly the same as another one."""
    texts = ((seed.path, "\n".join(line for _, line in seed.lines)) for _, seed in sorted(raw.texts.items()))
    return [
        Problem(
            dup.key,
            None,
            f"texte presque identique à {dup.other} (environ {round(dup.similarity * 100)} % de passages "
            "communs) : doublon probable ? Si c'est le même article, gardez-en un seul",
            "warning",
        )
        for dup in duplicates.find_duplicates(texts)
    ]


def review(raw: RawSeeds, corpus: Corpus) -> list[Problem]:
    """Every corpus-wide warning."""
    return duplicate_warnings(raw) + variant_warnings(mentions(raw.metas), corpus)
