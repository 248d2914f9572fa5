"""Issue 6, reproducible and atomic builds: the same seeds give the same bytes,
SOURCE_DATE_EPOCH dates the sitemap, and a build killed mid-way leaves the
previous site/ usable and unchanged."""

from __future__ import annotations

import datetime as dt
import gzip
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import lxml.etree
import pytest

from tests.helpers import ROOT, build, copy_project
from tests.hostile import THEME_ID, ArticleSeed, write_seeds
from tests.test_hostile_input import tree_hash


def _lastmods(site: Path) -> set[str]:
    tree = lxml.etree.fromstring((site / "sitemap.xml").read_bytes())
    return {e.text or "" for e in tree.iter("{*}lastmod")}


def test_same_seeds_give_identical_sites(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two builds in two different directories: every file byte-identical."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = copy_project(tmp_path / "one")
    second = copy_project(tmp_path / "two" / "deeper")
    assert build(first) == 0
    assert build(second) == 0
    one, two = tree_hash(first / "site"), tree_hash(second / "site")
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []
    # A rebuild in place changes nothing either.
    assert build(first) == 0
    assert tree_hash(first / "site") == one


@pytest.mark.parametrize("epoch", [1_500_000_000, 1_700_000_000])
def test_source_date_epoch_dates_the_sitemap(epoch: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    root = copy_project(tmp_path / "p")
    assert build(root) == 0
    day = dt.datetime.fromtimestamp(epoch, dt.UTC).date().isoformat()
    assert _lastmods(root / "site") == {day}
    raw = (root / "site" / "sitemap.xml.gz").read_bytes()
    # gzip header MTIME: MkDocs stamps the build day (midnight UTC) of SOURCE_DATE_EPOCH.
    assert int.from_bytes(raw[4:8], "little") == epoch - epoch % 86400
    assert gzip.decompress(raw) == (root / "site" / "sitemap.xml").read_bytes()


def _many_articles(count: int) -> list[ArticleSeed]:
    text = ["Article de charge {n}", *(f"Paragraphe {i} : " + "mot " * 80 for i in range(8))]
    return [
        ArticleSeed(
            f"k{n:04d}",
            [line.replace("{n}", str(n)) for line in text],
            {"date": "2020-01-02", "source": "Agence", "themes": [THEME_ID], "slug": f"k-{n}"},
        )
        for n in range(count)
    ]


def _temporary_site_has_pages(root: Path, leftovers: frozenset[Path] = frozenset()) -> bool:
    """Whether MkDocs has begun writing pages into a temporary site directory other than ``leftovers``.
    (The build being watched deletes leftovers as it starts: tolerate races.)"""
    for tmp in set(root.glob(".site-build-*")) - leftovers:
        for _dirpath, _dirs, files in os.walk(tmp):
            if any(name.endswith(".html") for name in files):
                return True
    return False


def test_killed_build_leaves_previous_site(tmp_path: Path) -> None:
    """SIGKILL while the pages are generated and while MkDocs writes the new site."""
    root = copy_project(tmp_path / "p")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    command = [sys.executable, "-m", "build_scripts", "--root", str(root), "build", "--quiet"]
    subprocess.run(command, cwd=ROOT, env=env, check=True, timeout=300)
    before = tree_hash(root / "site")
    docs_before = tree_hash(root / "docs")
    # A bigger corpus makes the MkDocs phase long enough to be caught mid-way.
    write_seeds(root / "seeds", _many_articles(300))
    killed_while = set()
    to_site = 0.0
    for attempt in range(6):
        process = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        # Even attempts: kill as soon as a temporary site holds a file. Odd ones: halfway
        # to the moment the previous attempt's temporary site appeared, while the seeds
        # are read and the pages generated (in memory: nothing is written then).
        started = time.monotonic()
        leftovers = frozenset(root.glob(".site-build-*"))  # of the attempt before, killed
        while time.monotonic() < deadline and process.poll() is None:
            temporary = _temporary_site_has_pages(root, leftovers)
            if attempt % 2 == 0 and temporary:
                to_site = time.monotonic() - started
            if (attempt % 2 == 0 and temporary) or (attempt % 2 == 1 and time.monotonic() - started > to_site / 2):
                process.send_signal(signal.SIGKILL)
                killed_while.add("site" if _temporary_site_has_pages(root, leftovers) else "generation")
                break
            time.sleep(0.002)
        process.wait(timeout=60)
        assert tree_hash(root / "site") == before, f"attempt {attempt}"
        assert tree_hash(root / "docs") == docs_before, "the build never writes into docs/"
    assert killed_while == {"site", "generation"}
    # The next build succeeds, swaps in the new site and clears the leftovers.
    subprocess.run(command, cwd=ROOT, env=env, check=True, timeout=300)
    assert (root / "site" / "articles" / "k-299" / "index.html").exists()
    assert not list(root.glob(".site-build-*")) and not list(root.glob(".site-index-*"))
