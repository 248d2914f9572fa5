"""Unit tests for reading seeds: strict YAML, decoding, line splitting."""

from __future__ import annotations

import pytest

from build_scripts.load import decode, split_lines
from build_scripts.yamlsafe import parse_yaml


def test_scalars_stay_strings_and_lines_are_known() -> None:
    doc, problems = parse_yaml("date: 2017-02-16\nsource: no\ntitle: 1984\nauthor:\n", "x.yml")
    assert problems == [] and doc is not None
    assert doc.value == {"date": "2017-02-16", "source": "no", "title": "1984", "author": None}
    assert doc.line("source") == 2
    assert doc.line("title") == 3


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("a: 1\nb: 2\na: 3\n", 3, "clé « a » en double"),
        ("a: 1\nb: &x [1]\nc: *x\n", 2, "ancres et alias"),
        ("a: !!python/object/apply:os.system [echo]\n", 1, "étiquette YAML refusée"),
        ('a: "open\nb: 2\n', 1, "guillemet"),
        ("a:\n\t- b\n", 2, "tabulation"),
        ("a: [1, 2\n", 1, "crochets"),
    ],
)
def test_yaml_traps_are_refused_with_their_line(text: str, line: int, fragment: str) -> None:
    doc, problems = parse_yaml(text, "x.yml")
    assert doc is None
    (problem,) = problems
    assert problem.line == line
    assert fragment in problem.message
    assert str(problem).startswith(f"x.yml:{line}: erreur: ")


def test_decode_accepts_bom_and_crlf() -> None:
    text, problems = decode("\ufeffTitre\r\nLigne\r\n".encode(), "x.txt", 1000)
    assert problems == []
    assert text == "Titre\nLigne\n"


def test_decode_names_the_byte_offset_of_bad_utf8() -> None:
    data = "Titre\nCafé".encode() + b"\xff" + b" fin"
    text, (problem,) = decode(data, "x.txt", 1000)
    assert text is None
    assert problem.line == 2
    offset = data.index(b"\xff")
    assert f"position {offset}" in problem.message


def test_decode_refuses_oversized_files() -> None:
    text, (problem,) = decode(b"x" * 11, "x.txt", 10)
    assert text is None and "trop gros" in problem.message


def test_split_lines_keeps_numbers_and_drops_blank_lines() -> None:
    assert split_lines("Titre\n\n \u00a0\nUn  paragraphe \n") == ((1, "Titre"), (4, "Un  paragraphe"))
