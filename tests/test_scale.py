"""Scale (issue 7): incremental generation, split dossiers, progress output, benchmark smoke test.

Corpora come from ``benchmarks.synth`` (the benchmark's generator); expected
page sets are computed from the corpus, never typed by hand. No timing is asserted.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest

from benchmarks.synth import make_corpus
from build_scripts import pipeline, progress
from build_scripts.group import group_by_theme
from build_scripts.model import SiteInfo
from build_scripts.render.pages import DOSSIER_SPLIT_OVER, LATEST_COUNT, dossier_years
from build_scripts.render.urls import article_src, theme_src, theme_year_src
from tests.helpers import ROOT, build, copy_project, parse

SITE = SiteInfo("https://example.github.io/dossiers-presse/", "Dossiers de presse")
N = 120  # enough for every dossier to pass DOSSIER_SPLIT_OVER and be split by year


def _fresh_process() -> None:
    """Forget the in-process memo, as a new ``python -m build_scripts`` would."""
    pipeline._MEMO.clear()


def _synthetic(dest: Path, n: int = N) -> Path:
    root = copy_project(dest)
    for path in (root / "seeds").iterdir():
        path.unlink()
    make_corpus(ROOT, root / "seeds", n)
    return root


def _mtimes(docs: Path) -> dict[str, int]:
    return {p.relative_to(docs).as_posix(): p.stat().st_mtime_ns for p in docs.rglob("*") if p.is_file()}


def _contents(docs: Path) -> dict[str, bytes]:
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in docs.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def hand_written(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """The files of a project's docs/ before any generation: the hand-written pages and assets."""
    return set(_contents(copy_project(tmp_path_factory.mktemp("bare") / "p") / "docs"))


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with N synthetic articles, generated once (not rendered by MkDocs). Read only:
    a test that edits it works on ``_editable(synthetic, tmp_path)``."""
    _fresh_process()
    root = _synthetic(tmp_path_factory.mktemp("synthetic") / "p")
    pipeline.generate(root, root / "docs", SITE)
    return root


def _editable(synthetic: Path, tmp_path: Path) -> Path:
    """A copy of the generated synthetic project, file times included."""
    root = tmp_path / "p"
    shutil.copytree(synthetic, root)
    return root


def test_noop_regeneration_writes_no_markdown(synthetic: Path, hand_written: set[str]) -> None:
    docs = synthetic / "docs"
    before = _mtimes(docs)
    _fresh_process()
    result = pipeline.generate(synthetic, docs, SITE)
    assert not result.reused
    assert result.report.written == []
    assert result.report.removed == []
    generated = set(before) - hand_written
    assert len(generated) > N
    assert result.report.unchanged == len(generated)
    assert _mtimes(docs) == before
    assert len(result.corpus.articles) == N


def test_same_process_reuses_its_generation(synthetic: Path) -> None:
    """The CLI generates, then MkDocs' hook asks again: the same result, nothing read or written."""
    docs = synthetic / "docs"
    _fresh_process()
    first = pipeline.generate(synthetic, docs, SITE)
    again = pipeline.generate(synthetic, docs, SITE)
    assert again.reused and not first.reused
    assert again.corpus is first.corpus
    # A generated page changed behind its back is written again.
    page = docs / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "Modifié à la main.\n", encoding="utf-8")
    third = pipeline.generate(synthetic, docs, SITE)
    assert not third.reused
    assert third.report.written == ["index.md"]


def test_cli_build_twice_rewrites_nothing(tmp_path: Path) -> None:
    root = _synthetic(tmp_path / "p", 12)
    assert build(root) == 0
    before = _mtimes(root / "docs")
    _fresh_process()
    assert build(root) == 0
    assert _mtimes(root / "docs") == before


def test_changed_text_rewrites_only_its_article(synthetic: Path, tmp_path: Path) -> None:
    root = _editable(synthetic, tmp_path)
    corpus, _ = pipeline.check(root)
    article = corpus.articles[len(corpus.articles) // 2]
    text = root / article.text_path
    text.write_text(text.read_text(encoding="utf-8") + "\nUn paragraphe ajouté.\n", encoding="utf-8")
    _fresh_process()
    before = _contents(root / "docs")
    result = pipeline.generate(root, root / "docs", SITE)
    after = _contents(root / "docs")
    assert result.report.written == [article_src(article)]
    assert [rel for rel in after if before.get(rel) != after[rel]] == [article_src(article)]
    assert b"Un paragraphe ajout" in after[article_src(article)]


def test_changed_title_rewrites_only_pages_showing_it(synthetic: Path, tmp_path: Path) -> None:
    """A new title reaches the pages that show it (lists, indexes, neighbours, feeds), and only those.

    The oracle is docs/ itself: the files whose bytes changed are exactly the ones reported
    written, and exactly the ones that now show the new title.
    """
    root = _editable(synthetic, tmp_path)
    docs = root / "docs"
    for position, title in ((0, "Titre corrigé en tête"), (-1, "Titre corrigé au fond")):  # on the home page, and not
        _fresh_process()
        corpus, _ = pipeline.check(root)
        article = corpus.articles[position]
        meta = root / article.meta_path
        meta.write_text(meta.read_text(encoding="utf-8") + f'title: "{title}"\n', encoding="utf-8")
        before = _contents(docs)
        result = pipeline.generate(root, docs, SITE)
        after = _contents(docs)
        changed = {rel for rel in after if before.get(rel) != after[rel]}
        showing = {rel for rel, data in after.items() if title.encode() in data}
        assert set(result.report.written) == changed == showing
        assert article_src(article) in changed
        assert ("index.md" in changed) == (position == 0)
        assert 3 < len(changed) < len(after) // 4


def test_no_page_lists_every_article(synthetic: Path) -> None:
    corpus, _ = pipeline.check(synthetic)
    docs = synthetic / "docs"
    for theme_id, members in group_by_theme(corpus).items():
        assert len(members) > DOSSIER_SPLIT_OVER
        dossier = (docs / theme_src(theme_id)).read_text(encoding="utf-8")
        listed = [a for a in corpus.articles if f"/{a.slug}/" in dossier]
        assert listed == members[:LATEST_COUNT]
        for year, items in dossier_years(members).items():
            page = (docs / theme_year_src(theme_id, year)).read_text(encoding="utf-8")
            assert f"{year}/" in dossier
            assert [a for a in corpus.articles if f"/{a.slug}/" in page] == sorted(
                items, key=lambda a: (-a.date.toordinal(), a.slug)
            )


def test_split_dossier_in_built_site(tmp_path: Path) -> None:
    """MkDocs accepts the year pages (strict build) and every year link resolves."""
    root = _synthetic(tmp_path / "p", DOSSIER_SPLIT_OVER * 3)
    _fresh_process()
    assert build(root) == 0
    corpus, _ = pipeline.check(root)
    groups = group_by_theme(corpus)
    split = [t for t in corpus.themes if len(groups[t.id]) > DOSSIER_SPLIT_OVER]
    assert split
    for theme in split:
        page = root / "site" / "dossiers" / theme.id / "index.html"
        html = parse(page)
        assert len(html.xpath('//ol[@class="press-list"]/li')) == LATEST_COUNT
        found: set[str] = set()
        for href in html.xpath('//ul[@class="press-years"]//a/@href'):
            year_page = (page.parent / href / "index.html").resolve()
            assert year_page.is_file()
            for link in parse(year_page).xpath('//ol[@class="press-list"]//a/@href'):
                found.add((year_page.parent / link).resolve().name)
        assert found == {a.slug for a in groups[theme.id]}


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    monkeypatch.setattr(progress, "QUIET", False)
    bar = progress.Progress("Rendu", 3)
    for _ in range(3):
        bar.advance()
    bar.close()
    assert "3/3" in terminal.getvalue()
    assert terminal.getvalue().endswith("\n")


@pytest.mark.parametrize("quiet", [True, False])
def test_progress_quiet_off_a_terminal_or_when_asked(monkeypatch: pytest.MonkeyPatch, quiet: bool) -> None:
    stream = _Terminal() if quiet else io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    monkeypatch.setattr(progress, "QUIET", quiet)
    bar = progress.Progress("Rendu", 3)
    bar.advance(3)
    bar.close()
    assert stream.getvalue() == ""


@pytest.mark.browser
def test_bench_smoke(tmp_path: Path, browser: object) -> None:
    """The benchmark runs end to end at a small N and reports every field with sane values."""
    from benchmarks import bench

    report = bench.run(20, tmp_path, browser=True, chromium=browser)
    for _label, key, _fmt in bench.ROWS:
        assert key in report, key
    for key in ("build_s", "bare_s", "generation_s", "io_floor_s", "noop_s", "one_change_s", "serve_change_s"):
        assert report[key] > 0, key
    assert report["noop_written"] == 0
    assert len(report["one_change_written"]) == 1
    assert report["one_change_written"][0].startswith("articles/")
    assert report["serve_change_written"] == 1
    assert report["build_peak_rss"] > 10 * 2**20
    assert report["site_files"] > 20
    assert report["site_bytes"] > report["seed_bytes"]
    for visit in ("home", "article", "search"):
        assert report[f"{visit}_bytes"] > report[f"{visit}_gzip_bytes"] > 0
        assert report[f"{visit}_requests"] > 1
    assert report["search_bytes"] > report["home_bytes"] * 0.9
    assert report["search_landed_on"].startswith("articles/")
    table = bench.table([report])
    assert "N = 20" in table and "–" not in table
    assert os.path.isdir(tmp_path / "n20" / "press" / "site")
