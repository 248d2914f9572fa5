"""Golden files for generated Markdown. ``UPDATE_GOLDENS=1 pytest`` rewrites them."""

from __future__ import annotations

import os
from pathlib import Path

from build_scripts import pipeline
from build_scripts.render import SiteInfo, article_src, render_site
from tests.helpers import ROOT

GOLDEN = Path(__file__).parent / "golden"
SITE = SiteInfo(url="https://example.github.io/dossiers-presse/", name="Dossiers de presse")


def _check(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDENS"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8"), f"{name} differs; UPDATE_GOLDENS=1 rewrites it"


def test_article_page_golden() -> None:
    corpus, problems = pipeline.check(ROOT)
    assert not [p for p in problems if p.severity == "error"]
    (article,) = [a for a in corpus.articles if a.id == "001_b741aa03098057aa"]
    pages = render_site(corpus, SITE)
    _check("article-001.md", pages[article_src(article)])


def test_rendering_is_deterministic() -> None:
    corpus, _ = pipeline.check(ROOT)
    assert render_site(corpus, SITE) == render_site(corpus, SITE)
