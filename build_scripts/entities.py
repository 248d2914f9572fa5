"""Names of people, places and organisations: aliases, spelling keys, variant warnings.

``seeds/aliases.yml`` (optional) maps a canonical name to the other spellings
that mean the same entity. Its exact shape belongs to the reader pages; here it
is read leniently — a mapping ``canonical: [variant, …]`` (possibly grouped
under ``people``/``places``/``organisations``) or a list of
``{name: canonical, aliases: [variant, …]}`` — and anything else is ignored.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from build_scripts.problems import Problem
from build_scripts.yamlsafe import Document

ENTITY_FIELDS = ("people", "places", "organisations")
_CANONICAL_KEYS = ("name", "canonical", "nom", "id", "title")
_VARIANT_KEYS = ("aliases", "variants", "alias", "variantes")
MARKS = re.compile(r"[\u0300-\u036f]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(name: str) -> str:
    """Case-, accent- and punctuation-free key: « Élysée » and « elysee » agree."""
    text = MARKS.sub("", unicodedata.normalize("NFKD", name.casefold()))
    return _NON_ALNUM.sub("", text.replace("œ", "oe").replace("æ", "ae"))


def person_key(name: str) -> str | None:
    """Initial of the first name plus folded surname: « V. Poutine » ~ « Vladimir Poutine »."""
    parts = [p for p in re.split(r"[\s.]+", name) if p]
    if len(parts) < 2:
        return None
    return fold(parts[0])[:1] + "|" + fold(" ".join(parts[1:]))


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, list):
        return [v.strip() for v in value if isinstance(v, str) and v.strip()]
    return []


def read_aliases(doc: Document | None) -> dict[str, str]:
    """Variant -> canonical name from ``seeds/aliases.yml``; empty when absent or unreadable."""
    found: dict[str, str] = {}

    def walk(value: Any) -> None:
        if isinstance(value, list):
            for entry in value:
                if isinstance(entry, dict):
                    names = [entry.get(k) for k in _CANONICAL_KEYS if isinstance(entry.get(k), str)]
                    if names:
                        for key in _VARIANT_KEYS:
                            for variant in _strings(entry.get(key)):
                                found.setdefault(variant, str(names[0]).strip())
                    else:
                        walk(entry)
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, (dict, list)) and key in ENTITY_FIELDS:
                    walk(item)
                elif isinstance(item, dict):
                    walk([{"name": key, **item}])
                else:
                    for variant in _strings(item):
                        found.setdefault(variant, str(key).strip())

    if doc is not None:
        walk(doc.value)
    return {variant: canonical for variant, canonical in found.items() if variant != canonical}


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


def mentions(metas: dict[str, Document], seeds_dir: str = "seeds") -> list[Mention]:
    """Every entity name written in the metadata files, with its line."""
    found: list[Mention] = []
    for stem in sorted(metas):
        doc = metas[stem]
        if not isinstance(doc.value, dict):
            continue
        for field in ENTITY_FIELDS:
            items = doc.value.get(field)
            if not isinstance(items, list):
                continue
            for i, item in enumerate(items):
                if isinstance(item, str) and item.strip():
                    found.append(Mention(field, item.strip(), f"{seeds_dir}/{stem}.yml", doc.line(field, i)))
    return found


_WHAT = {"people": "la même personne", "places": "le même lieu", "organisations": "la même organisation"}


def variant_warnings(found: list[Mention], aliases: dict[str, str]) -> list[Problem]:
    """Warn where one entity is spelled two ways that ``aliases.yml`` does not merge."""
    problems: list[Problem] = []
    for field in ENTITY_FIELDS:
        items = [m for m in found if m.field == field]
        counts = Counter(aliases.get(m.name, m.name) for m in items)
        groups: dict[str, set[str]] = defaultdict(set)
        for name in counts:
            groups["f:" + fold(name)].add(name)
            if field == "people" and (key := person_key(name)):
                groups["p:" + key].add(name)
        # A bare surname (« Poutine ») joins the only full name that ends with it.
        if field == "people":
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
            first = next(m for m in items if aliases.get(m.name, m.name) == reference)
            for mention in items:
                name = aliases.get(mention.name, mention.name)
                if name in names and name != reference and (mention.path, name) not in reported:
                    reported.add((mention.path, name))
                    problems.append(
                        Problem(
                            mention.path,
                            mention.line,
                            f"« {mention.name} » et « {reference} » ({first.path}) désignent sans doute "
                            f"{_WHAT[field]} : gardez une seule orthographe, ou déclarez la variante "
                            "dans seeds/aliases.yml",
                            "warning",
                        )
                    )
    return problems
