"""The in-process memo of ``pipeline.generate`` (``build_scripts/memo.py``): what makes it work again.

``python -m build_scripts build`` generates, then MkDocs' hook asks again and gets the same
result; ``mkdocs serve`` asks on every change. A generation is reused only while the seeds, the
templates, the site settings and the day are all as they were.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from build_scripts import pipeline
from build_scripts.model import SiteInfo
from tests.helpers import copy_project

SITE = SiteInfo("https://example.github.io/dossiers-presse/", "Dossiers de presse")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the project with its own copy of the templates, generated once in a fresh memo.

    The memo fingerprints ``pipeline.TEMPLATES``: pointing it at a copy lets a test change a
    template without touching the package that the other tests render with.
    """
    templates = tmp_path / "templates"
    shutil.copytree(pipeline.TEMPLATES, templates)
    monkeypatch.setattr(pipeline, "TEMPLATES", templates)
    pipeline._MEMO.clear()
    root = copy_project(tmp_path / "p")
    first = pipeline.generate(root, SITE)
    assert not first.reused
    assert pipeline.generate(root, SITE).reused
    yield root
    pipeline._MEMO.clear()


def _again(root: Path, site: SiteInfo = SITE) -> bool:
    """Whether the next generation of ``root`` is a remembered one."""
    return pipeline.generate(root, site).reused


def test_same_inputs_reuse(project: Path) -> None:
    first = pipeline.generate(project, SITE)
    again = pipeline.generate(project, SITE)
    assert first.reused and again.reused
    assert again.pages is first.pages


def test_a_seed_change_generates_again(project: Path) -> None:
    text = sorted((project / "seeds").glob("0*.txt"))[0]
    text.write_text(text.read_text(encoding="utf-8") + "\nUn paragraphe ajouté.\n", encoding="utf-8")
    result = pipeline.generate(project, SITE)
    assert not result.reused
    assert any("Un paragraphe ajouté." in (out if isinstance(out, str) else out.html) for out in result.pages.values())
    assert _again(project)


def test_a_new_seed_file_generates_again(project: Path) -> None:
    (project / "seeds" / "aliases.yml").write_text("people:\n  Vladimir Poutine: [V. Poutine]\n", encoding="utf-8")
    assert not _again(project)


def test_a_removed_seed_generates_again(project: Path) -> None:
    for path in sorted((project / "seeds").glob("0*"))[:2]:
        path.unlink()
    result = pipeline.generate(project, SITE)
    assert not result.reused
    assert len(result.corpus.articles) == len(list((project / "seeds").glob("0*.txt")))


def test_a_template_change_generates_again(project: Path) -> None:
    template = sorted(pipeline.TEMPLATES.glob("*.j2"))[0]
    template.write_text(template.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert not _again(project)
    assert _again(project)


def test_other_site_settings_generate_again(project: Path) -> None:
    other = SiteInfo("https://autre.example.net/", "Dossiers de presse")
    result = pipeline.generate(project, other)
    assert not result.reused
    assert "https://autre.example.net/" in str(result.pages["flux/articles.xml"])
    assert not _again(project, SiteInfo("https://autre.example.net/", "Autre nom"))
    assert _again(project, SiteInfo("https://autre.example.net/", "Autre nom"))


def test_a_new_day_generates_again(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    monkeypatch.setattr(pipeline, "dt", SimpleNamespace(date=SimpleNamespace(today=lambda: tomorrow)))
    assert not _again(project)


def test_another_project_is_not_this_one(project: Path, tmp_path: Path) -> None:
    other = tmp_path / "autre"
    shutil.copytree(project, other)
    assert not _again(other)
    assert _again(project)
