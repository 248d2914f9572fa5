"""Golden files of the generated Markdown: one page of each kind, and a feed.

``python -m pytest --update-goldens`` rewrites them; review the diff before committing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from benchmarks.synth import make_corpus
from build_scripts import pipeline, publish
from build_scripts.group import build_indexes
from build_scripts.render import reader
from build_scripts.render.site import Output, Pages, listed, render_site
from build_scripts.render.urls import article_src, entry_src, feed_src, theme_src
from tests.helpers import EXAMPLES, ROOT, Golden

# The home page's texts as mkdocs.yml gives them (extra.home, issue 23); a fixed address and name.
SITE = replace(
    publish.site_info(publish.read_config(ROOT / "mkdocs.yml")),
    url="https://example.github.io/dossiers-presse/",
    name="Dossiers de presse",
)


def _pages(root: Path) -> Pages:
    corpus, problems = pipeline.check(root)
    assert not [p for p in problems if p.severity == "error"]
    return render_site(corpus, build_indexes(corpus), SITE)


def _source(out: Output) -> str:
    """A page as a Markdown file would hold it (front matter, then its HTML); a feed as it is."""
    return out if isinstance(out, str) else out.markdown()


@pytest.fixture(scope="module")
def seed_pages() -> Pages:
    """Every generated page of the example seeds."""
    return _pages(EXAMPLES)


def _first_seed_page() -> str:
    corpus, _ = pipeline.check(EXAMPLES)
    (article,) = [a for a in corpus.articles if a.id == "001_b741aa03098057aa"]
    return article_src(article)


GOLDEN_PAGES: dict[str, Callable[[], str]] = {
    "pages/article-001.md": _first_seed_page,
    "pages/home.md": lambda: "index.md",
    "pages/dossier-otan.md": lambda: theme_src("otan"),
    "pages/chronologie-2022.md": lambda: "chronologie/2022.md",
    "pages/personnes.md": lambda: "personnes/index.md",
    "pages/entity.md": lambda: entry_src("personnes", "emmanuel-macron"),
    "pages/mots-cles.md": lambda: "mots-cles/index.md",
    "pages/flux-otan.xml": lambda: feed_src("otan"),
}


@pytest.mark.parametrize("name", sorted(GOLDEN_PAGES))
def test_seed_page_golden(seed_pages: Pages, golden: Golden, name: str) -> None:
    golden.check(name, _source(seed_pages[GOLDEN_PAGES[name]()]))


def test_split_entity_pages_golden(tmp_path: Path, golden: Golden, monkeypatch: pytest.MonkeyPatch) -> None:
    """A large entry: its own page and one of its periods. No seed name has more than
    ``ENTRY_PAGE_MAX`` articles, so a small synthetic corpus with a lowered threshold."""
    monkeypatch.setattr(reader, "ENTRY_PAGE_MAX", 4)
    monkeypatch.setattr(reader, "ENTRY_LATEST", 3)
    root = tmp_path / "p"
    make_corpus(EXAMPLES, root / "seeds", 40)
    corpus, _ = pipeline.check(root)
    idx = build_indexes(corpus)
    entry = max(idx.entries["lieux"], key=lambda e: (len(e.articles), e.slug))
    assert len(entry.articles) > reader.ENTRY_PAGE_MAX
    pages = render_site(corpus, idx, SITE)
    period = next(iter(reader.entry_periods(listed(entry.articles))))
    golden.check("pages/entity-split.md", _source(pages[entry_src("lieux", entry.slug)]))
    golden.check("pages/entity-period.md", _source(pages[entry_src("lieux", entry.slug, period)]))


# Renders every page of the example seeds and prints one digest of them all.
_RENDER_DIGEST = """
import hashlib, json
from tests.test_golden import EXAMPLES, _pages, _source
pages = _pages(EXAMPLES)
text = json.dumps([(src, _source(out)) for src, out in sorted(pages.items())])
print(hashlib.sha256(text.encode()).hexdigest(), len(pages))
"""


def test_rendering_is_deterministic() -> None:
    """Two processes with different hash seeds render the very same pages (set and dict orders included)."""
    digests = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run(
            [sys.executable, "-c", _RENDER_DIGEST], cwd=ROOT, env=env, capture_output=True, text=True, check=True
        )
        digests.add(done.stdout)
    assert len(digests) == 1, digests
