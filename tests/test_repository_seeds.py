"""The repository's own ``seeds/``, whatever articles it holds: every other test reads the frozen
example corpus (``tests/examples/seeds/``), so a deployer who replaces the examples keeps a green suite.

What must hold for any copy is checked here and beside it: ``check`` passes
(``tests/test_check.py::test_clean_seeds_pass``), the JSON Schemas are the ones ``schema`` writes
(``tests/test_maintainer_files.py::test_schema_file_in_repo_is_generated``), the real site builds (below).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import EXAMPLE_SEEDS, ROOT, build, copy_project, parse

SEEDS = ROOT / "seeds"


def _files(folder: Path) -> dict[str, bytes]:
    """Every file of ``folder`` (not recursive) by name, with its bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _article_names(folder: Path) -> set[str]:
    """The ``.txt`` and ``.yml`` files of the articles (``themes.yml`` and ``aliases.yml`` left out)."""
    return {p.name for p in folder.glob("*.txt")} | {
        p.name for p in folder.glob("*.yml") if p.name not in ("themes.yml", "aliases.yml")
    }


def test_frozen_examples_equal_the_repository_seeds() -> None:
    """While ``seeds/`` holds every example article, it equals ``tests/examples/seeds/`` file by file.

    The test applies only when each example article (``.txt`` and ``.yml``) is in ``seeds/``: that is the
    project's own repository. A deployer's copy, whose ``seeds/`` holds its own articles (docs/publier.md,
    step 6), skips it: the frozen copy then stays what the tests read, and nothing is compared.
    """
    examples = _article_names(EXAMPLE_SEEDS)
    assert len(examples) == 10, sorted(examples)  # the five example articles, two files each
    if not examples <= _article_names(SEEDS):
        pytest.skip("seeds/ ne contient plus les articles d'exemple : copie d'un déployeur")
    frozen, current = _files(EXAMPLE_SEEDS), _files(SEEDS)
    assert sorted(frozen) == sorted(current), "seeds/ and tests/examples/seeds/ list different files"
    differ = [name for name in sorted(frozen) if frozen[name] != current[name]]
    assert not differ, f"copy seeds/{{{','.join(differ)}}} to tests/examples/seeds/, then review the goldens"


def test_the_repository_seeds_build_a_site(tmp_path: Path) -> None:
    """The real ``seeds/``, whatever they hold, build; every article has its page, none other."""
    root = copy_project(tmp_path / "p", seeds=SEEDS)
    assert build(root) == 0
    site = root / "site"
    assert (site / "index.html").is_file()
    pages = site.glob("articles/*/index.html")
    seeds = sorted(str(parse(page).xpath("string(//article/@data-seed)")) for page in pages)
    assert seeds == sorted(p.stem for p in SEEDS.glob("*.txt"))
