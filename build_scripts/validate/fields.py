"""Read one YAML mapping against a tuple of ``schema.Field``: every problem recorded with its line.

Articles, the dossiers of ``themes.yml`` and the sections of ``aliases.yml``
are all read by this one reader, so a value means the same in every file.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Any

from build_scripts.model import SpeakerNote
from build_scripts.problems import Problem
from build_scripts.schema import DATE_RE, ID_RE, SLUG_RE, URL_RE, Field, yaml_example
from build_scripts.yamlsafe import Document

_ASCII_SPACES = re.compile(r"[ \t\n\r\f\v]+")


def suggest(word: str, choices: list[str]) -> str:
    """`` ; vouliez-vous dire « … » ?`` for the closest choice, or nothing."""
    close = difflib.get_close_matches(word, choices, n=1)
    return f" ; vouliez-vous dire « {close[0]} » ?" if close else ""


def _example(field: Field) -> str:
    """`` (exemple : name: value)``, for a message: made only when there is an error to report."""
    return f" (exemple : {field.name}: {yaml_example(field.example)})"


class FieldReader:
    """Parses the values of one YAML document, recording problems with their lines."""

    def __init__(self, doc: Document, path: str, problems: list[Problem]) -> None:
        self.doc = doc
        self.path = path
        self.problems = problems

    def error(self, message: str, *key: str | int) -> None:
        """Record a problem at the line of the value at ``key``."""
        self.problems.append(Problem(self.path, self.doc.line(*key), message))

    def line_text(self, value: Any, key: tuple[str | int, ...], what: str) -> str | None:
        """A one-line, non-blank text, stripped; ``None`` (and a problem) otherwise."""
        if not isinstance(value, str):
            kind = "une liste" if isinstance(value, list) else "un dictionnaire"
            self.error(f"{what} : un texte est attendu, pas {kind}", *key)
            return None
        text = value.strip()
        if "\n" in text:
            self.error(f"{what} : une seule ligne est attendue", *key)
            return None
        if not text:
            self.error(f"{what} : texte vide", *key)
            return None
        return text

    def record(
        self, fields: tuple[Field, ...], data: dict[str, Any], at: tuple[int, ...] = (), where: str = ""
    ) -> dict[str, Any]:
        """Read every field of ``data`` (the mapping at key path ``at``); unknown keys are errors.

        ``where`` prefixes every message (« dossier n° 2, »). Returns the values
        that could be read; an absent optional field is left out.
        """
        names = [f.name for f in fields]
        for key in data:
            if key not in names:
                self.error(f"{where}champ inconnu « {key} »{suggest(key, names)}", *at, key)
        values: dict[str, Any] = {}
        for field in fields:
            if data.get(field.name) is None:
                if field.required:
                    example = yaml_example(field.example)
                    missing = f"champ obligatoire « {field.name} » manquant (exemple : {field.name}: {example})"
                    self.error(where + missing, *at)
                continue
            values[field.name] = self.read(field, data[field.name], at, where)
        return values

    def read(self, field: Field, value: Any, at: tuple[str | int, ...] = (), where: str = "") -> Any:
        """One field's value, parsed by its kind; ``None`` when it is wrong."""
        name = field.name
        key: tuple[str | int, ...] = (*at, name)
        label = f"{where}champ « {name} »"
        if field.kind in ("line", "url", "slug", "id"):
            text = self.line_text(value, key, label)
            if text is None:
                return None
            if field.kind == "url" and not URL_RE.match(text):
                self.error(f"{label} : adresse http:// ou https:// attendue, trouvé « {text} »{_example(field)}", *key)
                return None
            if field.kind in ("slug", "id") and not (SLUG_RE if field.kind == "slug" else ID_RE).match(text):
                example = _example(field)
                self.error(f"{label} : minuscules, chiffres et tirets seulement, trouvé « {text} »{example}", *key)
                return None
            return text
        if field.kind in ("paragraph", "markdown"):
            if not isinstance(value, str) or not value.strip():
                self.error(f"{label} : un paragraphe de texte est attendu", *key)
                return None
            if field.kind == "markdown":
                return value.strip()
            # Collapse line breaks and runs of spaces only: str.split() would also
            # turn the NBSP and narrow NBSP of French typography into plain spaces.
            return " ".join(_ASCII_SPACES.split(value.strip()))
        if field.kind == "date":
            if not isinstance(value, str) or not DATE_RE.match(value.strip()):
                self.error(f"{label} : date au format AAAA-MM-JJ attendue, trouvé « {value} »{_example(field)}", *key)
                return None
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                self.error(f"{label} : la date {value.strip()} n'existe pas", *key)
                return None
        if field.kind == "quotes":
            return self._quotes(value, key, label, _example(field))
        # list and themes
        if not isinstance(value, list):
            self.error(f"{label} : une liste est attendue{_example(field)}", *key)
            return None
        items: list[str] = []
        for i, item in enumerate(value):
            text = self.line_text(item, (*key, i), f"{label}, élément {i + 1}")
            if text is not None and text not in items:
                items.append(text)
        if field.kind == "themes" and not value:
            self.error(f"{label} : au moins un dossier est attendu{_example(field)}", *key)
        return tuple(items)

    def _quotes(
        self, value: Any, key: tuple[str | int, ...], label: str, example: str
    ) -> tuple[SpeakerNote, ...] | None:
        if not isinstance(value, list):
            self.error(f"{label} : une liste est attendue{example}", *key)
            return None
        notes: list[SpeakerNote] = []
        for i, item in enumerate(value):
            what = f"{label}, élément {i + 1}"
            if not isinstance(item, dict) or set(item) != {"text", "speaker"}:
                self.error(f"{what} : « text » et « speaker » sont attendus, et eux seuls{example}", *key, i)
                continue
            text = self.line_text(item["text"], (*key, i, "text"), f"{what}, « text »")
            speaker = self.line_text(item["speaker"], (*key, i, "speaker"), f"{what}, « speaker »")
            if text and speaker:
                notes.append(SpeakerNote(" ".join(text.split()), speaker))
        return tuple(notes)
