"""Read ``seeds/aliases.yml``: per entity kind, ``name to show: [other spellings]``.

Its sections are the entity kinds of ``schema.ENTITY_KINDS`` (``people``,
``places``, ``organisations``). The one strict reader serves the site, the
warnings of ``check`` and the guesses of ``new`` alike.
"""

from __future__ import annotations

from build_scripts.problems import Problem
from build_scripts.schema import ALIAS_EXAMPLE, ENTITY_KINDS, yaml_example
from build_scripts.validate.fields import FieldReader, suggest
from build_scripts.yamlsafe import Document

SECTIONS = [kind.field for kind in ENTITY_KINDS]


def read_aliases(doc: Document | None, path: str, problems: list[Problem]) -> dict[str, dict[str, str]]:
    """For each section, variant -> name to show; every problem is added to ``problems``."""
    result: dict[str, dict[str, str]] = {section: {} for section in SECTIONS}
    if doc is None or doc.value is None:
        return result
    reader = FieldReader(doc, path, problems)
    example = " (exemple : " + ", ".join(f"{k}: {yaml_example(v)}" for k, v in ALIAS_EXAMPLE.items()) + ")"
    if not isinstance(doc.value, dict):
        reader.error(f"un dictionnaire par sorte de nom est attendu{example}")
        return result
    for section, entries in doc.value.items():
        if section not in SECTIONS:
            reader.error(
                f"section inconnue « {section} »{suggest(section, SECTIONS)} ; "
                f"sections possibles : {', '.join(SECTIONS)}",
                section,
            )
            continue
        if entries is None:
            continue
        if not isinstance(entries, dict):
            reader.error(f"« {section} » : un dictionnaire « nom retenu: [variantes] » est attendu{example}", section)
            continue
        variants = result[section]
        for name, values in entries.items():
            where = f"« {section} », « {name} »"
            if not isinstance(values, list) or not values:
                reader.error(f"{where} : une liste de variantes est attendue{example}", section, name)
                continue
            if name in variants:
                reader.error(f"{where} : ce nom est déjà une variante de « {variants[name]} »", section, name)
                continue
            for i, value in enumerate(values):
                variant = reader.line_text(value, (section, name, i), f"{where}, variante {i + 1}")
                if variant is None:
                    continue
                if variant == name:
                    reader.error(f"{where} : la variante « {variant} » est le nom retenu lui-même", section, name, i)
                elif variant in entries:
                    reader.error(
                        f"{where} : « {variant} » est aussi un nom retenu ; gardez-en un seul", section, name, i
                    )
                elif variant in variants and variants[variant] != name:
                    reader.error(
                        f"{where} : « {variant} » est déjà une variante de « {variants[variant]} »", section, name, i
                    )
                else:
                    variants[variant] = name
    return result
