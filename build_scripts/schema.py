"""The article metadata schema, declared once.

The validator (``validate.py``), the JSON Schema (``json_schema()``, written to
``seeds/article.schema.json``) and the field list in the documentation all come
from ``FIELDS``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
URL_RE = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.IGNORECASE)


@dataclass(frozen=True)
class Field:
    """One metadata field of ``seeds/<id>.yml``."""

    name: str
    """Key in the YAML file."""
    kind: str
    """``line`` (one-line text), ``paragraph``, ``date``, ``url``, ``slug``,
    ``list`` (of one-line texts), ``themes`` (non-empty list of theme ids) or
    ``quotes`` (list of ``{text, speaker}``)."""
    required: bool
    """Whether the build refuses an article without it."""
    description: str
    """What the field holds, in French, for maintainers and editors."""
    example: Any
    """A valid value, shown in error messages and the documentation."""


FIELDS: tuple[Field, ...] = (
    Field(
        "title",
        "line",
        False,
        "Titre affiché ; par défaut, la première ligne du texte.",
        "Poutine tend la main à Donald Trump",
    ),
    Field("date", "date", True, "Date de publication, au format AAAA-MM-JJ.", "2017-02-16"),
    Field("source", "line", True, "Nom du média ou de l'agence.", "Le Figaro"),
    Field("url", "url", False, "Adresse de l'article original (http ou https).", "https://www.example.fr/article"),
    Field("author", "line", False, "Auteur ou autrice.", "Léopold Moulin"),
    Field(
        "themes", "themes", True, "Un ou plusieurs dossiers, par identifiant de seeds/themes.yml.", ["otan", "ukraine"]
    ),
    Field("tags", "list", False, "Mots-clés libres.", ["diplomatie"]),
    Field("people", "list", False, "Personnes citées.", ["Vladimir Poutine"]),
    Field("places", "list", False, "Lieux cités.", ["Moscou"]),
    Field("organisations", "list", False, "Organisations citées.", ["OTAN"]),
    Field(
        "summary",
        "paragraph",
        False,
        "Résumé en un paragraphe.",
        "Vladimir Poutine accuse l'OTAN de provoquer la Russie.",
    ),
    Field(
        "omit",
        "list",
        False,
        "Lignes du texte, recopiées exactement, à ne pas publier (commentaires, bio, « Vous aimerez aussi… »).",
        ["Laisser un commentaire"],
    ),
    Field(
        "quotes",
        "quotes",
        False,
        "Orateur d'une citation, quand le texte ne le nomme pas ou le nomme mal : le début de la citation "
        "(text, recopié sans les guillemets) et le nom à afficher (speaker).",
        [{"text": "Il a clairement indiqué", "speaker": "Un conseiller d'Emmanuel Macron"}],
    ),
    Field("slug", "slug", False, "Fixe l'adresse de la page : articles/<slug>/.", "2017-02-16-poutine-otan"),
)

FIELDS_BY_NAME = {f.name: f for f in FIELDS}


def json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of an article's metadata, derived from ``FIELDS``."""
    line = {"type": "string", "minLength": 1, "pattern": r"^[^\n]*\S[^\n]*$"}
    kinds: dict[str, dict[str, Any]] = {
        "line": line,
        "paragraph": {"type": "string", "minLength": 1, "pattern": r"\S"},
        "date": {"type": "string", "pattern": DATE_RE.pattern, "format": "date"},
        "url": {"type": "string", "pattern": URL_RE.pattern},
        "slug": {"type": "string", "pattern": SLUG_RE.pattern},
        "list": {"type": "array", "items": line},
        "quotes": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["text", "speaker"],
                "additionalProperties": False,
                "properties": {"text": line, "speaker": line},
            },
        },
        "themes": {"type": "array", "minItems": 1, "items": {"type": "string", "pattern": ID_RE.pattern}},
    }
    properties: dict[str, Any] = {}
    for f in FIELDS:
        prop = dict(kinds[f.kind])
        if not f.required:
            # The validator reads an empty optional field (``url:``) as absent;
            # ``new`` writes such blanks for the maintainer to fill.
            prop = {"anyOf": [prop, {"type": "null"}]}
        prop["description"] = f.description
        prop["examples"] = [f.example]
        properties[f.name] = prop
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Métadonnées d'un article (seeds/<id>.yml)",
        "type": "object",
        "required": [f.name for f in FIELDS if f.required],
        "additionalProperties": False,
        "properties": properties,
    }


def themes_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of ``seeds/themes.yml``, matching ``validate.read_themes``."""
    line = {"type": "string", "minLength": 1, "pattern": r"^[^\n]*\S[^\n]*$"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Dossiers thématiques (seeds/themes.yml)",
        "type": "array",
        "minItems": 1,
        "items": {
            "type": "object",
            "required": ["id", "title", "description"],
            "additionalProperties": False,
            "properties": {
                "id": {
                    "type": "string",
                    "pattern": ID_RE.pattern,
                    "description": "Identifiant cité dans « themes » des articles ; adresse dossiers/<id>/.",
                    "examples": ["otan"],
                },
                "title": {**line, "description": "Titre du dossier.", "examples": ["OTAN"]},
                "description": {
                    "type": "string",
                    "pattern": r"\S",
                    "description": "Introduction éditoriale du dossier, en Markdown.",
                },
                "keywords": {
                    "anyOf": [{"type": "array", "items": line}, {"type": "null"}],
                    "description": "Mots qui font suggérer ce dossier par « new ».",
                    "examples": [["OTAN", "Alliance atlantique"]],
                },
            },
        },
    }


SCHEMA_FILES = {"article.schema.json": json_schema, "themes.schema.json": themes_json_schema}
"""Files kept in ``seeds/`` for editors (``# yaml-language-server: $schema=…``)."""


def schema_text(name: str) -> str:
    """The exact text of one schema file as kept in the repository."""
    return json.dumps(SCHEMA_FILES[name](), ensure_ascii=False, indent=2) + "\n"


def write_schema_files(seeds: Path) -> list[Path]:
    """Write the schema files into ``seeds`` when they changed; return those written."""
    written = []
    for name in SCHEMA_FILES:
        path = seeds / name
        text = schema_text(name)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8", newline="\n")
            written.append(path)
    return written
