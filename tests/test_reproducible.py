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

from tests.helpers import ROOT, build, copy_project, tree_hash
from tests.hostile import THEME_ID, ArticleSeed, write_seeds


def _lastmods(site: Path) -> set[str]:
    tree = lxml.etree.fromstring((site / "sitemap.xml").read_bytes())
    return {e.text or "" for e in tree.iter("{*}lastmod")}


def _build_process(root: Path, hash_seed: str) -> None:
    """``python -m build_scripts build`` in a process of its own (its own hash seed, no memo)."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "PYTHONHASHSEED": hash_seed}
    command = [sys.executable, "-m", "build_scripts", "--root", str(root), "build", "--quiet"]
    subprocess.run(command, cwd=ROOT, env=env, check=True, timeout=300)


def test_same_seeds_give_identical_sites(tmp_path: Path) -> None:
    """Two builds in two processes with different hash seeds, in two directories: every file
    byte-identical, the search index included."""
    first = copy_project(tmp_path / "one")
    second = copy_project(tmp_path / "two" / "deeper")
    _build_process(first, "1")
    _build_process(second, "2")
    one, two = tree_hash(first / "site"), tree_hash(second / "site")
    assert any(name.startswith("pagefind/") for name in one)
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []
    # A rebuild in place, in a third process, changes nothing either.
    _build_process(first, "3")
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


def test_without_source_date_epoch_the_build_day_dates_the_sitemap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    root = copy_project(tmp_path / "p")
    before = dt.datetime.now(dt.UTC)
    assert build(root) == 0
    after = dt.datetime.now(dt.UTC)
    days = {before.date().isoformat(), after.date().isoformat()}
    assert _lastmods(root / "site") <= days and _lastmods(root / "site")
    stamp = int.from_bytes((root / "site" / "sitemap.xml.gz").read_bytes()[4:8], "little")
    midnight = int(before.timestamp()) - int(before.timestamp()) % 86400
    assert midnight <= stamp <= after.timestamp()


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


# ``python -c _MARK_RENDER MARKER ARGS...``: the build's command line, ``pipeline.render`` first
# touching MARKER.
_MARK_RENDER = """
import sys
from pathlib import Path
from build_scripts import cli, pipeline
marker = Path(sys.argv[1])
render = pipeline.render
def marked(*args, **kwargs):
    marker.touch()
    return render(*args, **kwargs)
pipeline.render = marked
sys.exit(cli.main(sys.argv[2:]))
"""


def test_killed_build_leaves_previous_site(tmp_path: Path) -> None:
    """SIGKILL while the pages are generated and while MkDocs writes the new site."""
    root = copy_project(tmp_path / "p")
    temporary = tmp_path / "tmp"  # whatever the builds put in the temporary folder
    temporary.mkdir()
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "TMPDIR": str(temporary)}
    command = [sys.executable, "-m", "build_scripts", "--root", str(root), "build", "--quiet"]
    subprocess.run(command, cwd=ROOT, env=env, check=True, timeout=300)
    before = tree_hash(root / "site")
    docs_before = tree_hash(root / "docs")
    # A bigger corpus makes both phases long enough to be caught mid-way.
    count = 300
    write_seeds(root / "seeds", _many_articles(count))
    marker = tmp_path / "rendering"
    # The same build, with a marker file made when stage 4 (rendering the pages, in memory) begins:
    # killed on it, the build is certainly generating, and MkDocs has not started.
    marked = [sys.executable, "-c", _MARK_RENDER, str(marker), "--root", str(root), "build", "--quiet"]
    killed_while: set[str] = set()
    for attempt in range(8):
        phase = "generation" if attempt % 2 == 0 else "site"
        marker.unlink(missing_ok=True)
        leftovers = frozenset(root.glob(".site-build-*"))  # of the attempt before, killed
        process = subprocess.Popen(
            marked if phase == "generation" else command, cwd=ROOT, env=env, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            if (phase == "generation" and marker.exists()) or (
                phase == "site" and _temporary_site_has_pages(root, leftovers)
            ):
                process.send_signal(signal.SIGKILL)
                break
            time.sleep(0.002)
        process.wait(timeout=60)
        assert process.returncode == -signal.SIGKILL, f"attempt {attempt} ({phase}) was not killed"
        if phase == "site" or (marker.exists() and not set(root.glob(".site-build-*")) - leftovers):
            killed_while.add(phase)
        assert tree_hash(root / "site") == before, f"attempt {attempt} ({phase})"
        assert tree_hash(root / "docs") == docs_before, "the build never writes into docs/"
        if killed_while == {"generation", "site"}:
            break
    assert killed_while == {"generation", "site"}
    # The next build succeeds, swaps in the new site and clears the leftovers.
    subprocess.run(command, cwd=ROOT, env=env, check=True, timeout=300)
    assert (root / "site" / "articles" / f"k-{count - 1}" / "index.html").exists()
    assert not list(root.glob(".site-build-*")) and not list(root.glob(".site-index-*"))
    # Killed builds left nothing elsewhere either (Pagefind works beside the site, not in /tmp).
    assert not list(temporary.iterdir())
