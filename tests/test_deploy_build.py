"""The deploy workflow's build: a plain ``mkdocs build`` with ``SITE_URL`` and ``REPO_URL`` set.

One build of a copy of the project, as .github/workflows/pages.yml runs it (README, "Output"
and "Search"): the hook generates docs/, Pagefind indexes site/, and every absolute address
of the site (canonical links, Open Graph, JSON-LD, feeds, sitemap, edit links) uses the two
variables instead of mkdocs.yml's defaults.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import lxml.etree
import pytest

from build_scripts import pipeline
from tests.helpers import article_pages, copy_project, html_pages, parse

SITE_URL = "https://presse.example.net/sous/chemin/"
REPO_URL = "https://forge.example.net/equipe/depot"
DEFAULTS = ("https://example.github.io/dossiers-presse", "https://github.com/example/dossiers-presse")
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``mkdocs build`` run in a copy of the project with both variables set; returns site/."""
    root = copy_project(tmp_path_factory.mktemp("deploy") / "p")
    env = {**os.environ, "SITE_URL": SITE_URL, "REPO_URL": REPO_URL, "SOURCE_DATE_EPOCH": "1700000000"}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return root / "site"


def test_plain_mkdocs_build_writes_the_site_and_its_search_index(deployed: Path, seeds_dir: Path) -> None:
    seeds = sorted(p.stem for p in seeds_dir.glob("*.txt"))
    assert sorted(article_pages(deployed)) == seeds
    entry = json.loads((deployed / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["fr"]["page_count"] == len(seeds)
    assert (deployed / "pagefind" / "pagefind.js").is_file()
    for page in ("index.html", "chronologie/index.html", "personnes/index.html", "flux/articles.xml"):
        assert (deployed / page).is_file(), page


def test_site_url_gives_every_absolute_address(deployed: Path) -> None:
    pages = article_pages(deployed)
    for seed, folder in pages.items():
        tree = parse(deployed / folder / "index.html")
        assert tree.xpath("//link[@rel='canonical']/@href") == [SITE_URL + folder], seed
        assert tree.xpath("//meta[@property='og:url']/@content") == [SITE_URL + folder]
        data = json.loads(tree.xpath("//script[@type='application/ld+json']")[0].text)
        assert data["url"] == SITE_URL + folder
    home = parse(deployed / "index.html")
    assert home.xpath("//link[@rel='canonical']/@href") == [SITE_URL]
    feed = lxml.etree.fromstring((deployed / "flux" / "articles.xml").read_bytes())
    assert feed.findtext(f"{ATOM}id", "").startswith(SITE_URL)
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == SITE_URL + "flux/articles.xml"  # type: ignore[union-attr]
    links = [entry.find(f"{ATOM}link").get("href") for entry in feed.iter(f"{ATOM}entry")]  # type: ignore[union-attr]
    assert sorted(links) == sorted(SITE_URL + folder for folder in pages.values())
    sitemap = lxml.etree.fromstring((deployed / "sitemap.xml").read_bytes())
    locations = [loc.text or "" for loc in sitemap.iter("{*}loc")]
    assert locations and all(loc.startswith(SITE_URL) for loc in locations)


def test_repo_url_gives_the_edit_links_and_the_repository_link(deployed: Path) -> None:
    for seed, folder in article_pages(deployed).items():
        tree = parse(deployed / folder / "index.html")
        edit = tree.xpath("//a[contains(@class, 'md-content__button')]/@href")
        assert edit == [f"{REPO_URL}/edit/main/seeds/{seed}.yml"]
    assert set(parse(deployed / "index.html").xpath("//a[contains(@class, 'md-source')]/@href")) == {REPO_URL}


def test_no_default_address_is_left(deployed: Path) -> None:
    for path in [*html_pages(deployed), *deployed.rglob("*.xml")]:
        text = path.read_text(encoding="utf-8")
        for default in DEFAULTS:
            assert default not in text, f"{path.relative_to(deployed)} still holds {default}"


def test_strict_build_checks_a_hand_written_link_to_an_anchor_of_a_generated_page(tmp_path: Path) -> None:
    """A generated page's anchors are known to MkDocs' link check, though its HTML is handed over compressed."""
    root = copy_project(tmp_path / "p")
    corpus, _ = pipeline.check(root)
    article = corpus.articles[0].slug
    page = root / "docs" / "a-propos.md"
    text = page.read_text(encoding="utf-8")

    def build(anchor: str) -> subprocess.CompletedProcess[str]:
        page.write_text(f"{text}\n[Un premier paragraphe](articles/{article}.md#{anchor})\n", encoding="utf-8")
        return subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )

    good = build("p-1")
    assert good.returncode == 0, good.stderr[-3000:]
    bad = build("p-99999")
    assert bad.returncode != 0
    assert "p-99999" in bad.stderr and "a-propos.md" in bad.stderr, bad.stderr[-3000:]
