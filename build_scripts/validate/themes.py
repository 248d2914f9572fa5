"""Read ``seeds/themes.yml``: the dossiers, each a record of ``schema.THEME_FIELDS``."""

from __future__ import annotations

from build_scripts.model import Theme
from build_scripts.problems import Problem
from build_scripts.schema import RESERVED_THEME_IDS, THEME_FIELDS
from build_scripts.validate.fields import FieldReader
from build_scripts.yamlsafe import Document


def read_themes(doc: Document | None, path: str, problems: list[Problem]) -> list[Theme]:
    """The dossiers of ``themes.yml`` that are valid; every problem is added to ``problems``."""
    if doc is None:
        return []
    if not isinstance(doc.value, list) or not doc.value:
        problems.append(Problem(path, doc.line(), "une liste de dossiers est attendue (- id: otan …)"))
        return []
    themes: list[Theme] = []
    seen: dict[str, int | None] = {}
    reader = FieldReader(doc, path, problems)
    for i, entry in enumerate(doc.value):
        where = f"dossier n° {i + 1}, "
        if not isinstance(entry, dict):
            reader.error(f"{where}un dictionnaire est attendu (id, title, description, keywords)", i)
            continue
        before = len(problems)
        values = reader.record(THEME_FIELDS, entry, (i,), where)
        theme_id = values.get("id")
        if theme_id in RESERVED_THEME_IDS:
            # dossiers/index.md and flux/dossiers/sitemap.xml are pages of their own.
            reader.error(
                f"{where}l'identifiant « {theme_id} » est réservé ({', '.join(RESERVED_THEME_IDS)}) : "
                "choisissez-en un autre",
                i,
                "id",
            )
        elif theme_id in seen:
            reader.error(f"dossier « {theme_id} » déclaré deux fois (déjà ligne {seen[theme_id]})", i, "id")
        if len(problems) > before:
            continue
        seen[values["id"]] = doc.line(i, "id")
        themes.append(Theme(values["id"], values["title"], values["description"], values.get("keywords") or ()))
    return themes
