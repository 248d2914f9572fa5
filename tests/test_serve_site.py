"""The site a dirty ``serve`` rebuild leaves is the site a clean build makes (issue 21).

``python -m build_scripts serve``, and now plain ``mkdocs serve`` too, rebuild
dirty: MkDocs writes only the pages whose ``is_modified()`` says so. The test
runs MkDocs in process as ``serve`` does (``on_startup("serve")``, then
``build(dirty=True)`` for each change) through a sequence of changes, and after
each one compares every file of the served folder with a clean build of the
same project: byte for byte, and nothing left over (a removed article's page).
Which pages were written is counted from the files' times, against the pages
whose output changed.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.structure.files import InclusionLevel

from build_scripts import pipeline, publish, rebuilds, search_index
from build_scripts.render import urls
from tests.helpers import copy_project

URL = "http://127.0.0.1:8000/"


def _config(root: Path, site: Path) -> Any:
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(site))
    config.site_url = URL  # as mkdocs serve sets it
    return config


def _forget() -> None:
    """What this process kept of earlier builds: a fresh process knows none of it."""
    pipeline._MEMO.clear()
    pipeline._SLOTS.clear()
    publish.BUILT._built.clear()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A project and the folder ``serve`` builds it into, after the first (clean) build."""
    root = copy_project(tmp_path / "p")
    site = tmp_path / "served"
    _forget()
    rebuilds.quiet_dirty_notice()  # the warning would stop a strict build
    config = _config(root, site)
    config.plugins.on_startup(command="serve", dirty=True)
    build(config, serve_url=URL, dirty=False)
    yield root, site
    search_index.INDEXER.cancel(wait=True)
    config.plugins.on_shutdown()
    _forget()


def _files(site: Path) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    for dirpath, dirs, names in os.walk(site):
        dirs[:] = [d for d in dirs if d != "pagefind"]  # the search index is made after the build, apart
        for name in names:
            path = Path(dirpath, name)
            if not name.endswith(".gz"):  # gzip stamps the time
                found[path.relative_to(site).as_posix()] = path.read_bytes()
    return found


def _clean(root: Path, tmp_path: Path) -> dict[str, bytes]:
    """The site a clean build of ``root`` makes, in a process that kept nothing."""
    kept = (dict(pipeline._SLOTS), dict(publish.BUILT._built))
    _forget()
    site = tmp_path / f"clean-{len(list(tmp_path.glob('clean-*')))}"
    pipeline.SERVING = False  # as ``mkdocs build`` runs
    try:
        build(_config(root, site), serve_url=URL, dirty=False)
    finally:
        pipeline.SERVING = True
    pipeline._MEMO.clear()
    pipeline._SLOTS.update(kept[0])
    publish.BUILT._built.update(kept[1])
    return _files(site)


def _seed(root: Path, n: int) -> Path:
    return sorted((root / "seeds").glob("0*.txt"))[n]


def _edit(root: Path) -> None:
    text = _seed(root, 1)
    text.write_text(text.read_text(encoding="utf-8") + "\nUn paragraphe relu.\n", encoding="utf-8")


def _new(root: Path) -> None:
    (root / "seeds" / "zz-neuf.yml").write_text(
        "date: 2022-03-01\nsource: Agence\nthemes: [otan]\nslug: zz-neuf\ntags: [mot tout neuf]\n", encoding="utf-8"
    )
    (root / "seeds" / "zz-neuf.txt").write_text("Titre tout neuf\nPremier paragraphe.\n", encoding="utf-8")


def _remove(root: Path) -> None:
    for ext in ("txt", "yml"):
        (root / "seeds" / f"zz-neuf.{ext}").unlink()


def _handwritten(root: Path) -> None:
    page = root / "docs" / "a-propos.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nUne phrase ajoutée à la main.\n", encoding="utf-8")


def _mkdocs_yml(root: Path) -> None:
    yml = root / "mkdocs.yml"
    # Shown in every page's header, by the theme alone: no generated page changes with it.
    text = yml.read_text(encoding="utf-8").replace("repo_name: Sources du site", "repo_name: Dépôt des sources", 1)
    assert "Dépôt des sources" in text
    yml.write_text(text, encoding="utf-8")


def _theme(root: Path) -> None:
    main = root / "overrides" / "main.html"
    main.write_text(main.read_text(encoding="utf-8") + "\n{# une retouche du thème #}\n", encoding="utf-8")


def _dossier_title(root: Path) -> None:
    themes = root / "seeds" / "themes.yml"
    themes.write_text(themes.read_text(encoding="utf-8").replace("title: OTAN", "title: L'OTAN", 1), encoding="utf-8")


CHANGES: tuple[tuple[str, Callable[[Path], None]], ...] = (
    ("edit", _edit),
    ("new article", _new),
    ("removed article", _remove),
    ("hand-written page", _handwritten),
    ("mkdocs.yml", _mkdocs_yml),
    ("theme", _theme),
    ("dossier title (navigation)", _dossier_title),
)


def test_every_dirty_rebuild_leaves_the_clean_site(
    served: tuple[Path, Path], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root, site = served
    for what, change in CHANGES:
        change(root)
        with caplog.at_level(logging.WARNING, logger="mkdocs"):
            build(_config(root, site), serve_url=URL, dirty=True)
        search_index.INDEXER.cancel(wait=True)
        assert not [r for r in caplog.records if r.levelno >= logging.WARNING], what
        got, expected = _files(site), _clean(root, tmp_path)
        assert sorted(got) == sorted(expected), what
        assert [path for path in expected if got[path] != expected[path]] == [], what


def test_an_edit_writes_only_the_pages_it_changes(served: tuple[Path, Path]) -> None:
    """Counted on the files: the pages written again are those whose generated output changed."""
    root, site = served
    before = dict(pipeline._SLOTS[root.resolve()]._slots)
    pages_before = {name[len("page:") :]: slot[1] for name, slot in before.items() if name.startswith("page:")}
    mark = max(path.stat().st_mtime_ns for path in site.rglob("*.html"))
    files_before = publish.BUILT._built[str(site)][2]
    compiled = rebuilds.COMPILED.compiled
    _edit(root)
    build(_config(root, site), serve_url=URL, dirty=True)
    assert rebuilds.COMPILED.compiled == compiled  # the theme's templates were compiled by the first build
    search_index.INDEXER.cancel(wait=True)
    # MkDocs' file and page of each unchanged generated page outside the navigation are reused as they are.
    files_after = publish.BUILT._built[str(site)][2]
    reused = {uri for uri, file in files_after.src_uris.items() if files_before.src_uris.get(uri) is file}
    generated = {uri for uri, file in files_after.src_uris.items() if isinstance(file, publish.GeneratedFile)}
    outside = {uri for uri in generated if files_after.src_uris[uri].inclusion == InclusionLevel.NOT_IN_NAV}
    written = {path.relative_to(site).as_posix() for path in site.rglob("*.html") if path.stat().st_mtime_ns > mark}
    after = pipeline._SLOTS[root.resolve()]
    changed = {
        name[len("page:") :]
        for name, slot in after._slots.items()
        if name.startswith("page:") and pages_before.get(name[len("page:") :]) != slot[1]
    }
    # Not 404.html nor sitemap.xml: neither the look nor the list of pages changed.
    expected = {urls.page_url(src) + "index.html" for src in changed if src.endswith(".md")}
    assert written == expected
    assert (site / "sitemap.xml").stat().st_mtime_ns <= mark
    assert len(written) < len(list(site.rglob("*.html"))) // 5
    assert reused == outside - changed


def test_a_new_article_writes_the_sitemap_again_and_not_the_404_page(served: tuple[Path, Path]) -> None:
    """The sitemap lists every page: a new one makes it anew; the 404 page shows only the unchanged look."""
    root, site = served
    sitemap, missing = site / "sitemap.xml", site / "404.html"
    before = {path: path.stat().st_mtime_ns for path in (sitemap, missing)}
    assert "zz-neuf" not in sitemap.read_text(encoding="utf-8")
    _new(root)
    build(_config(root, site), serve_url=URL, dirty=True)
    search_index.INDEXER.cancel(wait=True)
    assert sitemap.stat().st_mtime_ns > before[sitemap]
    assert f"{URL}articles/zz-neuf/" in sitemap.read_text(encoding="utf-8")
    assert missing.stat().st_mtime_ns == before[missing]
    _mkdocs_yml(root)  # the look: every page, 404.html too, is written again
    build(_config(root, site), serve_url=URL, dirty=True)
    search_index.INDEXER.cancel(wait=True)
    assert missing.stat().st_mtime_ns > before[missing] and "Dépôt des sources" in missing.read_text(encoding="utf-8")
