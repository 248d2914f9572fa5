"""Validation of seeds/aliases.yml and of the ``quotes`` metadata field (issue #4)."""

from __future__ import annotations

from pathlib import Path

from build_scripts import pipeline
from build_scripts.problems import Problem
from build_scripts.validate import read_aliases
from build_scripts.yamlsafe import parse_yaml
from tests.helpers import copy_project


def _aliases(text: str) -> tuple[dict[str, dict[str, str]], list[str]]:
    doc, problems = parse_yaml(text, "seeds/aliases.yml")
    found: list[Problem] = list(problems)
    result = read_aliases(doc, "seeds/aliases.yml", found)
    return result, [str(p) for p in found]


def test_aliases_map_variants_to_canonical_names() -> None:
    result, problems = _aliases("people:\n  Vladimir Poutine: [Poutine, V. Poutine]\nplaces:\n  Kiev: [Kyiv]\n")
    assert problems == []
    assert result["people"] == {"Poutine": "Vladimir Poutine", "V. Poutine": "Vladimir Poutine"}
    assert result["places"] == {"Kyiv": "Kiev"}


def test_aliases_problems_name_file_line_and_fix() -> None:
    _, problems = _aliases(
        "persons:\n  A: [B]\n"
        "people:\n  Vladimir Poutine: [Poutine]\n  Vladimir V. Poutine: [Poutine]\n  Macron: [Macron]\n"
        "places: Kiev\n"
    )
    assert problems == [
        "seeds/aliases.yml:2: erreur: section inconnue « persons » ; "
        "sections possibles : people, places, organisations",
        "seeds/aliases.yml:5: erreur: « people », « Vladimir V. Poutine » : « Poutine » est déjà une variante "
        "de « Vladimir Poutine »",
        "seeds/aliases.yml:6: erreur: « people », « Macron » : la variante « Macron » est le nom retenu lui-même",
        "seeds/aliases.yml:7: erreur: « places » : un dictionnaire « nom retenu: [variantes] » est attendu "
        "(exemple : people: {Vladimir Poutine: [Poutine, V. Poutine]})",
    ]


def test_quotes_field_must_match_a_quotation(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    meta = root / "seeds" / "001_b741aa03098057aa.yml"
    original = meta.read_text(encoding="utf-8")
    line = original.count("\n") + 2  # the « - text: » line
    meta.write_text(
        original + "quotes:\n  - text: Personne n'a dit cela\n    speaker: X\n",
        encoding="utf-8",
    )
    _corpus, problems = pipeline.check(root)
    assert [str(p) for p in problems if p.severity == "error"] == [
        f"seeds/001_b741aa03098057aa.yml:{line}: erreur: champ « quotes », élément 1 : aucune citation de 6 mots ou "
        "plus ne commence par « Personne n'a dit cela » dans seeds/001_b741aa03098057aa.txt (recopiez le début "
        "exact, sans les guillemets)"
    ]


def test_pages_an_older_version_generated_into_docs_are_removed(tmp_path: Path) -> None:
    """Earlier versions wrote pages and feeds into docs/: they would shadow the generated ones."""
    from build_scripts.publish import remove_legacy

    mark = "Fichier généré par build_scripts"
    (tmp_path / "flux" / "dossiers").mkdir(parents=True)
    (tmp_path / "articles").mkdir()
    (tmp_path / "flux" / "dossiers" / "x.xml").write_text(f'<?xml version="1.0"?>\n<!-- {mark} -->\n<feed/>\n')
    (tmp_path / "articles" / "a.md").write_text(f"---\n# {mark} depuis seeds/a.txt\ntitle: A\n---\n<p>A</p>\n")
    (tmp_path / "flux" / "hand.xml").write_text("<feed/>\n", encoding="utf-8")
    (tmp_path / "a-propos.md").write_text("# À propos\n", encoding="utf-8")
    assert remove_legacy(tmp_path) == ["articles/a.md", "flux/dossiers/x.xml"]
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "a-propos.md",
        "flux",
        "flux/hand.xml",
    ]
