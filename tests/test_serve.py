"""Previewing as a maintainer does: an edited seed shows up after one rebuild, and nothing rebuilds in a loop.

Both the plain ``mkdocs serve`` and ``python -m build_scripts serve`` (the
README's, which rebuilds only the pages a change touches) are run for real.
Rebuilds are counted on events, never after fixed sleeps: two edits in a row
must show on the served page after exactly two rebuilds, so a rebuild that
caused another would show as a third.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from benchmarks.serve import BUILD_LINE, Server, fetch
from build_scripts import pipeline, rebuilds
from build_scripts.model import SiteInfo
from build_scripts.render import urls
from tests.helpers import copy_project
from tests.hostile import pagefind_fragments

STEM = "001_b741aa03098057aa"


def _shows(server: Server, url: str, text: str) -> Callable[[], bool]:
    return lambda: text in fetch(server.base + url)


COMMANDS = {
    "mkdocs serve": [sys.executable, "-m", "mkdocs", "serve"],
    "build_scripts serve": [sys.executable, "-m", "build_scripts", "serve"],
}


INDEXED = "index de recherche à jour"


def _indexed_after_last_build(server: Server) -> Callable[[], bool]:
    """Whether the search index of the last rebuild is in place (logged after its "Building documentation")."""

    def check() -> bool:
        log = list(server.log)
        builds = [n for n, line in enumerate(log) if BUILD_LINE.search(line)]
        return any(INDEXED in line for line in log[builds[-1] :])

    return check


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_each_saved_change_is_one_rebuild_and_shows(
    tmp_path: Path, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page shows the edit after one rebuild; then the search index catches up with it too."""
    root = copy_project(tmp_path / "p")
    # MkDocs serves from a temporary folder: put it where the test can read the index.
    served = tmp_path / "tmp"
    served.mkdir()
    monkeypatch.setenv("TMPDIR", str(served))
    corpus, _ = pipeline.check(root)
    (article,) = [a for a in corpus.articles if a.id == STEM]
    (neighbour,) = [a for a in corpus.articles if a.id != STEM and a.date.year == article.date.year]
    server = Server(root, COMMANDS[command])
    try:
        page = f"articles/{article.slug}/"
        server.wait(lambda: article.slug in fetch(server.base + page), "the first build")
        before = server.builds()
        text = root / "seeds" / f"{STEM}.txt"
        for n in (1, 2):
            marker = f"MARQUEUR-DE-RELECTURE-{n}"
            assert marker not in fetch(server.base + page)
            text.write_text(text.read_text(encoding="utf-8") + f"\n{marker}\n", encoding="utf-8")
            server.wait(_shows(server, page, marker), f"edit {n} on the page")
        assert server.builds() - before == 2, server.log
        server.wait(_indexed_after_last_build(server), "the search index of the last edit")
        (site,) = [d for d in served.glob("mkdocs_*") if (d / "pagefind").is_dir()]
        record = pagefind_fragments(site)[f"/{page}"]
        assert marker in record["content"]
        # The pages that did not change are still served whole.
        assert neighbour.title[:30].replace("'", "&#39;") in fetch(server.base + f"articles/{neighbour.slug}/")
        assert not any("Traceback" in line or "ERROR" in line for line in server.log), server.log
    finally:
        server.stop()
    # Stopped as by Ctrl-C: no temporary site, index work or Pagefind folder is left behind.
    assert not list(served.iterdir())


def test_a_new_article_reaches_every_page_that_lists_it(tmp_path: Path) -> None:
    """Under the README's serve command: its own page, its dossier, the home page and the chronology."""
    root = copy_project(tmp_path / "p")
    server = Server(root, COMMANDS["build_scripts serve"])
    try:
        server.wait(lambda: "press-home" in fetch(server.base), "the first build")
        marker = f"Titre tout neuf {time.monotonic_ns()}"
        (root / "seeds" / "zz-neuf.yml").write_text(
            "date: 2022-03-01\nsource: Agence\nthemes: [otan]\nslug: zz-neuf\n", encoding="utf-8"
        )
        (root / "seeds" / "zz-neuf.txt").write_text(f"{marker}\nPremier paragraphe.\n", encoding="utf-8")
        for url in ("articles/zz-neuf/", "dossiers/otan/", "", "chronologie/2022/"):
            server.wait(_shows(server, url, marker), f"the new article on /{url}")
        assert not any("Traceback" in line for line in server.log), server.log
    finally:
        server.stop()


def test_plain_mkdocs_serve_writes_only_the_pages_an_edit_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under plain ``mkdocs serve`` too, a rebuild is dirty (issue 21): it writes again the pages whose
    output changed, not the whole site, nor the 404 page and sitemap. Counted on the served files, not timed."""
    root = copy_project(tmp_path / "p")
    served = tmp_path / "tmp"
    served.mkdir()
    monkeypatch.setenv("TMPDIR", str(served))
    site = SiteInfo("http://127.0.0.1/", "x")  # only which pages differ is used
    pipeline._MEMO.clear()
    before = pipeline.generate(root, site).pages
    corpus, _ = pipeline.check(root)
    (article,) = [a for a in corpus.articles if a.id == STEM]
    server = Server(root, COMMANDS["mkdocs serve"])
    try:
        page = f"articles/{article.slug}/"
        server.wait(lambda: article.slug in fetch(server.base + page), "the first build")
        (folder,) = list(served.glob("mkdocs_*"))
        html = list(folder.rglob("*.html"))
        mark = max(path.stat().st_mtime_ns for path in html)
        builds = server.builds()
        text = root / "seeds" / f"{STEM}.txt"
        text.write_text(text.read_text(encoding="utf-8") + "\nMARQUEUR-DIRTY\n", encoding="utf-8")
        server.wait(_shows(server, page, "MARQUEUR-DIRTY"), "the edit on the page")
        server.settle(text.parent)
        assert server.builds() - builds == 1, server.log
        written = {p.relative_to(folder).as_posix() for p in folder.rglob("*.html") if p.stat().st_mtime_ns > mark}
        sitemap = (folder / "sitemap.xml").stat().st_mtime_ns
    finally:
        server.stop()
    pipeline._MEMO.clear()
    after = pipeline.generate(root, site).pages
    changed = {src for src, out in after.items() if src.endswith(".md") and before.get(src) != out}
    assert written == {urls.page_url(src) + "index.html" for src in changed}
    assert sitemap <= mark
    assert len(written) < len(html) // 5


def _builder(is_clean: bool, is_dirty: bool) -> Callable[..., None]:
    """A builder shaped as mkdocs/commands/serve.py (MkDocs 1.6) makes it: a closure over these four names."""

    def get_config() -> None:
        return None

    serve_url = "http://127.0.0.1:8000/"

    def builder(config: object = None) -> None:
        print(get_config, is_clean, is_dirty, serve_url)

    return builder


def test_only_mkdocs_own_serve_builder_is_made_dirty() -> None:
    """``--clean`` and ``--dirty`` are kept as they were, and so is a builder of another shape (a newer MkDocs)."""
    plain = _builder(False, False)
    assert rebuilds.dirty(plain) is not plain
    for kept in (_builder(True, False), _builder(False, True)):
        assert rebuilds.dirty(kept) is kept

    def other(config: object = None) -> None:
        return None

    assert rebuilds.dirty(other) is other
