"""Golden files for the quotation extractor and the speaker attribution (issue #4).

Each golden file holds its input (paragraphs taken from the seeds) and the
expected output. ``python -m pytest --update-goldens`` rewrites the expected
part from the current code; review the diff before committing.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from build_scripts import quotes
from tests.helpers import GOLDEN, Golden


def _load(name: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = yaml.safe_load((GOLDEN / name).read_text(encoding="utf-8"))
    return data


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _check(golden: Golden, name: str, header: str, compute: Any) -> None:
    """The golden's inputs with the expected values computed now, as the same YAML text."""
    cases = _load(name)
    actual = [dict(case, expected=compute(case)) for case in cases]
    golden.check(name, header + yaml.dump(actual, Dumper=_NoAliases, allow_unicode=True, sort_keys=False, width=100))


def _extraction(case: dict[str, Any]) -> list[str]:
    return [q.text for q in quotes.extract(case["paragraph"])]


def _speakers(case: dict[str, Any]) -> list[dict[str, str | None]]:
    result: list[dict[str, str | None]] = []
    for found in quotes.extract(case["paragraph"]):
        raw = quotes.attribute(case["paragraph"], found)
        resolved = quotes.resolve_speaker(raw, tuple(case["people"]), {}) if raw else None
        result.append({"quote": " ".join(found.text.split()[:6]), "as_written": raw, "speaker": resolved})
    return result


def test_quote_extraction_golden(golden: Golden) -> None:
    _check(
        golden,
        "quote_extraction.yml",
        "# Golden file: paragraphs from seeds/*.txt -> quotations of 6 words or more.\n"
        "# Rewrite the expected values with python -m pytest --update-goldens (see tests/test_quotes_golden.py).\n",
        _extraction,
    )


def test_speaker_attribution_golden(golden: Golden) -> None:
    _check(
        golden,
        "quote_speakers.yml",
        "# Golden file: paragraphs from seeds/*.txt (with the article's people) -> speaker of each quotation,\n"
        "# as written in the sentence and resolved to a full name; null when the sentence names nobody.\n"
        "# Rewrite the expected values with python -m pytest --update-goldens (see tests/test_quotes_golden.py).\n",
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
