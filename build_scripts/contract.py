"""The input contract of ``schema.py`` as files: JSON Schemas for editors, tables for maintainers.

``python -m build_scripts schema`` writes both; a test fails when a committed
copy no longer matches ``schema.py``. Editors pick the JSON Schemas up through
the ``# yaml-language-server: $schema=…`` line of each seed file.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from build_scripts.schema import (
    ALIAS_EXAMPLE,
    DATE_RE,
    ENTITY_KINDS,
    FIELDS,
    ID_RE,
    SLUG_RE,
    THEME_FIELDS,
    URL_RE,
    Field,
    yaml_example,
)

_LINE = {"type": "string", "minLength": 1, "pattern": r"^[^\n]*\S[^\n]*$"}
_DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _kind(kind: str) -> dict[str, Any]:
    """JSON Schema of one field kind, as the validator accepts it."""
    kinds: dict[str, dict[str, Any]] = {
        "line": _LINE,
        "paragraph": {"type": "string", "minLength": 1, "pattern": r"\S"},
        "markdown": {"type": "string", "minLength": 1, "pattern": r"\S"},
        "date": {"type": "string", "pattern": DATE_RE.pattern, "format": "date"},
        "url": {"type": "string", "pattern": URL_RE.pattern},
        "slug": {"type": "string", "pattern": SLUG_RE.pattern},
        "id": {"type": "string", "pattern": ID_RE.pattern},
        "list": {"type": "array", "items": _LINE},
        "quotes": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["text", "speaker"],
                "additionalProperties": False,
                "properties": {"text": _LINE, "speaker": _LINE},
            },
        },
        "themes": {"type": "array", "minItems": 1, "items": {"type": "string", "pattern": ID_RE.pattern}},
    }
    return dict(kinds[kind])


def record_schema(fields: tuple[Field, ...]) -> dict[str, Any]:
    """JSON Schema of one YAML mapping made of ``fields``."""
    properties: dict[str, Any] = {}
    for f in fields:
        prop = _kind(f.kind)
        if not f.required:
            # The validator reads an empty optional field (``url:``) as absent;
            # ``new`` writes such blanks for the maintainer to fill.
            prop = {"anyOf": [prop, {"type": "null"}]}
        prop["description"] = f.description
        prop["examples"] = [f.example]
        properties[f.name] = prop
    return {
        "type": "object",
        "required": [f.name for f in fields if f.required],
        "additionalProperties": False,
        "properties": properties,
    }


def article_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of an article's metadata."""
    return {"$schema": _DRAFT, "title": "Métadonnées d'un article (seeds/<id>.yml)", **record_schema(FIELDS)}


def themes_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of ``seeds/themes.yml``: a list of dossiers."""
    return {
        "$schema": _DRAFT,
        "title": "Dossiers thématiques (seeds/themes.yml)",
        "type": "array",
        "minItems": 1,
        "items": record_schema(THEME_FIELDS),
    }


def aliases_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of ``seeds/aliases.yml``: per kind, name -> other spellings."""
    section = {
        "type": "object",
        "additionalProperties": {"type": "array", "minItems": 1, "items": _LINE},
    }
    return {
        "$schema": _DRAFT,
        "title": "Variantes d'orthographe des noms (seeds/aliases.yml)",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            kind.field: {
                "anyOf": [section, {"type": "null"}],
                "description": f"{kind.title} : le nom retenu, puis la liste des autres façons de l'écrire.",
            }
            for kind in ENTITY_KINDS
        },
        "examples": [ALIAS_EXAMPLE],
    }


SCHEMA_FILES: dict[str, Callable[[], dict[str, Any]]] = {
    "article.schema.json": article_schema,
    "themes.schema.json": themes_schema,
    "aliases.schema.json": aliases_schema,
}
"""Files kept in ``seeds/`` for editors."""


def schema_text(name: str) -> str:
    """The exact text of one schema file as kept in the repository."""
    return json.dumps(SCHEMA_FILES[name](), ensure_ascii=False, indent=2) + "\n"


def fields_table(fields: tuple[Field, ...]) -> str:
    """The fields as a French Markdown table, for CONTRIBUTING.md."""
    rows = ["| champ | obligatoire | contenu | exemple |", "| --- | --- | --- | --- |"]
    for f in fields:
        required = "oui" if f.required else "non"
        # ``articles/<slug>/`` would be an HTML tag to a Markdown renderer.
        description = f.description.replace("<", "&lt;").replace(">", "&gt;")
        rows.append(f"| `{f.name}` | {required} | {description} | `{f.name}: {yaml_example(f.example)}` |")
    return "\n".join(rows)


TABLES = {"article": FIELDS, "dossier": THEME_FIELDS}
"""Tables of CONTRIBUTING.md, between ``<!-- champs:<name> -->`` and ``<!-- /champs:<name> -->``."""


def with_tables(document: str) -> str:
    """``document`` with each generated table replaced by the current one."""
    for name, fields in TABLES.items():
        start, end = f"<!-- champs:{name} -->", f"<!-- /champs:{name} -->"
        before, found, rest = document.partition(start)
        if not found or end not in rest:
            continue
        document = f"{before}{start}\n{fields_table(fields)}\n{end}{rest.split(end, 1)[1]}"
    return document


def write_contract(seeds: Path, contributing: Path) -> list[Path]:
    """Rewrite the schema files in ``seeds`` and the tables of ``contributing`` that changed."""
    wanted = {seeds / name: schema_text(name) for name in SCHEMA_FILES}
    if contributing.exists():
        wanted[contributing] = with_tables(contributing.read_text(encoding="utf-8"))
    written = []
    for path, text in wanted.items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8", newline="\n")
            written.append(path)
    return written
