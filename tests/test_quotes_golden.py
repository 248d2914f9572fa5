"""Golden files for the quotation extractor and the speaker attribution (issue #4).

Each golden file holds its input (paragraphs taken from the seeds) and the
expected output. ``UPDATE_GOLDENS=1 pytest tests/test_quotes_golden.py``
rewrites the expected part from the current code; review the diff before committing.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from build_scripts import quotes

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDENS") == "1"


def _load(name: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = yaml.safe_load((GOLDEN / name).read_text(encoding="utf-8"))
    return data


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _dump(name: str, cases: list[dict[str, Any]], header: str) -> None:
    text = yaml.dump(cases, Dumper=_NoAliases, allow_unicode=True, sort_keys=False, width=100)
    (GOLDEN / name).write_text(header + text, encoding="utf-8")


def _check(name: str, header: str, compute: Any) -> None:
    cases = _load(name)
    actual = [dict(case, expected=compute(case)) for case in cases]
    if UPDATE:
        _dump(name, actual, header)
        return
    for case, new in zip(cases, actual, strict=True):
        assert new["expected"] == case["expected"], case["paragraph"]


def _extraction(case: dict[str, Any]) -> list[str]:
    return [q.text for q in quotes.extract(case["paragraph"])]


def _speakers(case: dict[str, Any]) -> list[dict[str, str | None]]:
    result: list[dict[str, str | None]] = []
    for found in quotes.extract(case["paragraph"]):
        raw = quotes.attribute(case["paragraph"], found)
        resolved = quotes.resolve_speaker(raw, tuple(case["people"]), {}) if raw else None
        result.append({"quote": " ".join(found.text.split()[:6]), "as_written": raw, "speaker": resolved})
    return result


def test_quote_extraction_golden() -> None:
    _check(
        "quote_extraction.yml",
        "# Golden file: paragraphs from seeds/*.txt -> quotations of 6 words or more.\n"
        "# Rewrite the expected values with UPDATE_GOLDENS=1 (see tests/test_quotes_golden.py).\n",
        _extraction,
    )


def test_speaker_attribution_golden() -> None:
    _check(
        "quote_speakers.yml",
        "# Golden file: paragraphs from seeds/*.txt (with the article's people) -> speaker of each quotation,\n"
        "# as written in the sentence and resolved to a full name; null when the sentence names nobody.\n"
        "# Rewrite the expected values with UPDATE_GOLDENS=1 (see tests/test_quotes_golden.py).\n",
        _speakers,
    )


@pytest.mark.parametrize(
    ("raw", "people", "aliases", "expected"),
    [
        ("M. Poutine", ("Vladimir Poutine", "Emmanuel Macron"), {}, "Vladimir Poutine"),
        ("Président Macron", ("Vladimir Poutine", "Emmanuel Macron"), {}, "Emmanuel Macron"),
        ("Poutine", (), {"Poutine": "Vladimir Poutine"}, "Vladimir Poutine"),
        # Two people share the surname: no guess, the name stays as written.
        ("M. Dupont", ("Jean Dupont", "Marie Dupont"), {}, "Dupont"),
        ("Sergueï Lavrov", ("Vladimir Poutine",), {}, "Sergueï Lavrov"),
    ],
)
def test_resolve_speaker(raw: str, people: tuple[str, ...], aliases: dict[str, str], expected: str) -> None:
    assert quotes.resolve_speaker(raw, people, aliases) == expected


def test_unclosed_and_nested_marks() -> None:
    text = "Il dit « un deux “trois quatre” cinq six sept » puis « jamais fermé et encore bien long"
    assert [q.text for q in quotes.extract(text)] == ["un deux “trois quatre” cinq six sept"]
