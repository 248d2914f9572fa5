"""Read YAML strictly: line numbers for every value, and none of YAML's traps.

PyYAML's safe loader still keeps the last of two duplicate keys, turns ``no``
into ``False`` and ``2017-02-16`` into a date, and expands aliases without
bound. We only *compose* the document (no object is constructed, so no tag can
run code) and convert the node tree ourselves:

* every scalar stays the string the maintainer wrote; the schema parses it;
* a plain ``null``/``~``/empty scalar becomes ``None``;
* duplicate keys, anchors/aliases and any non-core tag are refused;
* a value may not hold, through an escape such as ``"\\x1b"``, a character that
  ``load.py`` refuses in a file (see ``forbidden_char``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # The C parser is ~10x faster; the pure-Python one gives the same nodes.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from build_scripts.problems import Problem

Key = tuple[str | int, ...]

_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_SEQ_TAG = _CORE + "seq"
_MAP_TAG = _CORE + "map"


@dataclass
class Document:
    """A parsed YAML document: plain values plus the line of each one."""

    value: Any
    """Nested dict/list/str/None."""
    lines: dict[Key, int] = field(default_factory=dict)
    """1-based line of the value at each key path; ``()`` is the document."""

    def line(self, *path: str | int) -> int | None:
        """Line of the value at ``path``, or of its nearest known parent."""
        key: Key = tuple(path)
        while key not in self.lines and key:
            key = key[:-1]
        return self.lines.get(key)


# The same set as the loop in ``forbidden_char``, as regexes, so that a clean
# file is not checked one Python step per character. Astral non-characters
# (U+1FFFE…) are looked for only when astral characters occur: a class listing
# them all makes every search ten times slower.
_REFUSED_BMP = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def forbidden_char(text: str) -> tuple[int, int, str] | None:
    """First character refused in seed input, as (line, column, ``U+XXXX``), or None.

    Refused: C0/C1 controls except tab (invisible, and not allowed in HTML),
    surrogates and Unicode non-characters. Everything else, including NBSP,
    bidi controls and zero-width characters, is published as written.
    """
    if not _REFUSED_BMP.search(text) and not _ASTRAL.search(text):
        return None  # the usual case, at C speed (issue 7)
    for lineno, line in enumerate(text.split("\n"), 1):
        for col, ch in enumerate(line, 1):
            cat = unicodedata.category(ch)
            if (
                (cat == "Cc" and ch != "\t")
                or cat == "Cs"
                or (0xFDD0 <= ord(ch) <= 0xFDEF)
                or (ord(ch) & 0xFFFE == 0xFFFE)
            ):
                return lineno, col, f"U+{ord(ch):04X}"
    return None


def refused_kind(code: str) -> str:
    """What a character refused by ``forbidden_char`` is (``U+XXXX``), in the words of the error message."""
    category = unicodedata.category(chr(int(code[2:], 16)))
    if category == "Cc":
        return "caractère de contrôle invisible"
    if category == "Cs":
        return "demi-code de substitution (surrogate)"
    return "non-caractère Unicode"


# A \u escape of a surrogate, which PyYAML refuses while scanning (a pair is not joined either).
_SURROGATE_ESCAPE = re.compile(r"\\u([dD][89a-fA-F][0-9a-fA-F]{2})")


# YAML 1.1 reads these as line breaks, even inside a plain value, so they would
# silently split a title and shift every line number we report. Inside double
# quotes, the escapes \L and \P still write them.
_YAML_LINE_BREAKS = {"\u2028": ("U+2028", "L"), "\u2029": ("U+2029", "P")}


class _Refused(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _explain(error: yaml.YAMLError, text: str) -> tuple[int | None, str]:
    """Turn a PyYAML error into (line, plain-French message)."""
    if not isinstance(error, yaml.MarkedYAMLError):
        return None, f"YAML illisible : {error}"
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark else None
    problem = (error.problem or "").strip()
    context = (error.context or "").strip()
    source_lines = text.splitlines()
    bad = source_lines[line - 1] if line and line <= len(source_lines) else ""
    if "\t" in bad[: len(bad) - len(bad.lstrip())]:
        return line, "tabulation dans l'indentation : le YAML n'accepte que des espaces"
    if "invalid Unicode character escape" in problem:
        escape = _SURROGATE_ESCAPE.search(bad)
        code = f" U+{escape.group(1).upper()}" if escape else ""
        return line, (
            f"échappement YAML refusé : demi-code de substitution (surrogate){code} ; écrivez le caractère "
            "lui-même, ou « \\U » suivi de 8 chiffres hors du plan de base (par exemple « \\U0001F600 »)"
        )
    if "quoted scalar" in context:
        start = error.context_mark.line + 1 if error.context_mark else line
        return start, "guillemet ouvert mais jamais fermé"
    if "flow sequence" in context:
        start = error.context_mark.line + 1 if error.context_mark else line
        return start, "liste entre crochets mal formée (attendu « [a, b, c] »)"
    if "flow mapping" in context:
        return line, "dictionnaire entre accolades mal formé"
    if "non-printable" in problem or "special characters are not allowed" in problem:
        return line, "caractère de contrôle interdit dans le YAML"
    detail = f"{context} ; {problem}" if context else problem
    return line, f"YAML invalide ({detail})"


def parse_yaml(text: str, path: str) -> tuple[Document | None, list[Problem]]:
    """Parse one YAML document; return it, or the problems that prevent reading it."""
    for char, (name, escape) in _YAML_LINE_BREAKS.items():
        if char in text:
            at = text.count("\n", 0, text.index(char)) + 1
            hint = f"supprimez-le, ou écrivez « \\{escape} » entre guillemets doubles"
            return None, [Problem(path, at, f"séparateur de ligne Unicode {name} invisible : {hint}")]
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as error:
        line, message = _explain(error, text)
        return None, [Problem(path, line, message)]
    if "&" in text or "*" in text:
        anchored = _first_anchor(text)
        if anchored is not None:
            return None, [Problem(path, anchored, "les ancres et alias YAML (& et *) ne sont pas acceptés")]
    doc = Document(value=None)
    if node is None:
        return doc, []
    try:
        doc.value = _convert(node, (), doc.lines, set())
    except _Refused as refused:
        return None, [Problem(path, refused.line, refused.message)]
    return doc, []


def _first_anchor(text: str) -> int | None:
    """Line of the first anchor or alias, found on the event stream (linear, nothing expanded)."""
    for event in yaml.parse(text, Loader=_Loader):
        if getattr(event, "anchor", None) and event.start_mark is not None:
            return int(event.start_mark.line) + 1
    return None


def _convert(node: yaml.Node, key: Key, lines: dict[Key, int], seen: set[int]) -> Any:
    line = node.start_mark.line + 1
    # An alias is the very same node object reached twice. Refusing it on the
    # second visit bounds the work by the document's size: no alias bomb.
    if id(node) in seen:
        raise _Refused(line, "les ancres et alias YAML (& et *) ne sont pas acceptés")
    seen.add(id(node))
    lines[key] = line
    if isinstance(node, yaml.ScalarNode):
        if node.tag not in _SCALAR_TAGS:
            raise _Refused(line, f"étiquette YAML refusée : {node.tag.replace(_CORE, '!!')}")
        if node.tag == _CORE + "null" and not node.style:  # C loader gives "" for plain
            return None
        bad = forbidden_char(node.value)
        if bad:
            raise _Refused(line, f"{refused_kind(bad[2])} {bad[2]} dans la valeur : supprimez-le")
        return node.value
    if isinstance(node, yaml.SequenceNode):
        if node.tag != _SEQ_TAG:
            raise _Refused(line, f"étiquette YAML refusée : {node.tag.replace(_CORE, '!!')}")
        return [_convert(item, (*key, i), lines, seen) for i, item in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        if node.tag != _MAP_TAG:
            raise _Refused(line, f"étiquette YAML refusée : {node.tag.replace(_CORE, '!!')}")
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag == _CORE + "merge":
                raise _Refused(key_line, "la fusion YAML « << » n'est pas acceptée")
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _SCALAR_TAGS:
                raise _Refused(key_line, "une clé doit être un simple mot, par exemple « date »")
            name = key_node.value
            if name in result:
                first = lines[(*key, name)]
                raise _Refused(key_line, f"clé « {name} » en double (déjà présente ligne {first})")
            result[name] = _convert(value_node, (*key, name), lines, seen)
        return result
    raise _Refused(line, "structure YAML inattendue")  # pragma: no cover
