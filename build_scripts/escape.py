"""The one place where seed text is made safe for the pages we generate.

Generated Markdown carries seed text only inside raw HTML blocks, which
Python-Markdown passes through untouched, so HTML-escaping is the only escaping
needed there: Markdown, Jinja, entity or macro syntax in an article stays text.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml
from markupsafe import Markup, escape

__all__ = ["Markup", "front_matter", "html", "json_script", "markdown", "markdown_code"]


def html(text: str) -> Markup:
    """Escape ``text`` for HTML text and attribute values (``& < > " '``)."""
    return escape(text)


# Characters that could end a <script> element, open an HTML comment, or break
# a JavaScript string literal if the JSON were ever evaluated as script.
_JSON_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def json_script(data: Any) -> str:
    """JSON for a ``<script type="application/ld+json">`` element, inert whatever ``data`` holds."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    for char, replacement in _JSON_UNSAFE.items():
        text = text.replace(char, replacement)
    return text


def front_matter(data: dict[str, Any], comment: str) -> str:
    """A YAML front matter block. MkDocs Material prints ``title`` and
    ``description`` without escaping, so callers pass them HTML-escaped."""
    # The C emitter (same output) is ~10x faster: article pages carry dozens of head values.
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    body = yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=1_000_000)
    return f"---\n# {comment}\n{body}---\n"


# What can start inline markup in GitHub-flavoured Markdown (emphasis, code, links,
# raw HTML, entities, tables, strikethrough, math); each is escaped with a backslash,
# which CommonMark allows before any ASCII punctuation.
_MARKDOWN_UNSAFE = str.maketrans({c: "\\" + c for c in "\\`*_[]<>&|~$"})


# GitHub turns bare addresses (« https://… », « www.… », « a@b.fr ») into links and « @name » into a
# mention without any markup. A WORD JOINER (U+2060, invisible, no break) after « :// », between
# « www » and its dot and after « @ » stops both, and the text reads the same.
_WORD_JOINER = "\u2060"
_AUTOLINK_SPOTS = re.compile(r"(?<=://)|(?<=@)|(?<=www)(?=\.)", re.IGNORECASE)


def markdown(text: str) -> str:
    """Seed or issue text as literal Markdown inline text, on one line (GitHub summaries and pull requests).

    No markup, no link, no mention: bare addresses and « @name » are made inert."""
    line = " ".join(text.split()).translate(_MARKDOWN_UNSAFE)
    return _AUTOLINK_SPOTS.sub(_WORD_JOINER, line)


def markdown_code(text: str) -> str:
    """``text`` as one Markdown code span: on GitHub, no mention, issue reference or closing keyword in it acts."""
    line = " ".join(text.split())
    longest = max((len(run) for run in re.findall(r"`+", line)), default=0)
    fence = "`" * (longest + 1)
    # A span that starts or ends with a backtick needs a space inside its fence (CommonMark 6.1).
    pad = " " if line.startswith("`") or line.endswith("`") else ""
    return f"{fence}{pad}{line}{pad}{fence}"
