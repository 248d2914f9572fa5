"""Scale (issue 7): incremental generation, split dossiers, progress output, benchmark smoke test.

Corpora come from ``benchmarks.synth`` (the benchmark's generator); expected
page sets are computed from the corpus, never typed by hand. No timing is asserted.
"""

from __future__ import annotations

import io
import os
import re
import statistics
from collections.abc import Mapping
from pathlib import Path

import pytest

from benchmarks.synth import make_corpus
from build_scripts import pipeline, progress
from build_scripts.group import build_indexes, by_year, group_by_theme
from build_scripts.model import Corpus, SiteInfo
from build_scripts.render import reader
from build_scripts.render.pages import DOSSIER_SPLIT_OVER, LATEST_COUNT, dossier_years
from build_scripts.render.site import Output, Pages, render_site
from build_scripts.render.urls import article_src, entry_src, index_src, theme_src, theme_year_src
from build_scripts.schema import INDEX_KINDS, IndexKind
from tests.helpers import EXAMPLES, build, copy_project, parse

ARTICLE_LIST = "//ol[contains(concat(' ', @class, ' '), ' press-list ')]"
SITE = SiteInfo("https://example.github.io/dossiers-presse/", "Dossiers de presse")
N = 120  # enough for every dossier to pass DOSSIER_SPLIT_OVER and be split by year


def _fresh_process() -> None:
    """Forget the in-process memo, as a new ``python -m build_scripts`` would."""
    pipeline._MEMO.clear()


def _synthetic(dest: Path, n: int = N) -> Path:
    root = copy_project(dest)
    for path in (root / "seeds").iterdir():
        path.unlink()
    make_corpus(EXAMPLES, root / "seeds", n)
    return root


def _changed(before: Mapping[str, Output], after: Mapping[str, Output]) -> set[str]:
    return {path for path in set(before) | set(after) if before.get(path) != after.get(path)}


def _text(out: Output) -> str:
    return out if isinstance(out, str) else out.html


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Pages]:
    """A project with N synthetic articles and its generated pages (read only: tests that edit make their own)."""
    _fresh_process()
    root = _synthetic(tmp_path_factory.mktemp("synthetic") / "p")
    return root, pipeline.generate(root, SITE).pages


def test_a_fresh_process_generates_the_same_pages(synthetic: tuple[Path, Pages]) -> None:
    root, pages = synthetic
    _fresh_process()
    result = pipeline.generate(root, SITE)
    assert not result.reused
    assert dict(result.pages) == dict(pages)
    assert len(result.corpus.articles) == N


def test_same_process_reuses_its_generation(tmp_path: Path) -> None:
    """The CLI generates, then MkDocs' hook asks again: the same result, nothing read or rendered."""
    root = _synthetic(tmp_path / "p", 12)
    _fresh_process()
    first = pipeline.generate(root, SITE)
    again = pipeline.generate(root, SITE)
    assert again.reused and not first.reused
    assert again.pages is first.pages
    # Another site URL, or an edited seed, is a new generation.
    other = pipeline.generate(root, SiteInfo("https://ailleurs.example/", SITE.name))
    assert not other.reused
    assert "https://ailleurs.example/" in _text(other.pages["flux/articles.xml"])
    seed = next((root / "seeds").glob("*.txt"))
    seed.write_text(seed.read_text(encoding="utf-8") + "\nAjout.\n", encoding="utf-8")
    assert not pipeline.generate(root, SITE).reused


def test_build_never_writes_into_docs(tmp_path: Path) -> None:
    """Generated pages reach MkDocs in memory: docs/ keeps only the hand-written pages."""
    root = _synthetic(tmp_path / "p", 12)
    before = {p.relative_to(root).as_posix(): p.read_bytes() for p in (root / "docs").rglob("*") if p.is_file()}
    assert build(root) == 0
    after = {p.relative_to(root).as_posix(): p.read_bytes() for p in (root / "docs").rglob("*") if p.is_file()}
    assert after == before
    assert (root / "site" / "articles").is_dir()


def test_changed_text_changes_only_its_article(tmp_path: Path) -> None:
    root = _synthetic(tmp_path / "p")
    _fresh_process()
    before = pipeline.generate(root, SITE)
    article = before.corpus.articles[len(before.corpus.articles) // 2]
    text = root / article.text_path
    text.write_text(text.read_text(encoding="utf-8") + "\nUn paragraphe ajouté.\n", encoding="utf-8")
    after = pipeline.generate(root, SITE)
    assert _changed(before.pages, after.pages) == {article_src(article)}


def test_changed_title_changes_only_pages_showing_it(tmp_path: Path) -> None:
    """A new title reaches the pages that link to the article (lists, indexes, neighbours, feeds), and only those."""
    root = _synthetic(tmp_path / "p")
    for position in (0, -1):  # on the home page, and not
        _fresh_process()
        before = pipeline.generate(root, SITE)
        article = before.corpus.articles[position]
        meta = root / article.meta_path
        title = f"Titre corrigé {position}"
        meta.write_text(meta.read_text(encoding="utf-8") + f'title: "{title}"\n', encoding="utf-8")
        after = pipeline.generate(root, SITE)
        # Every link to an article shows its title; synthetic seeds pin their slug.
        showing = {path for path, out in before.pages.items() if f"/{article.slug}/" in _text(out)}
        assert article_src(article) in showing
        assert _changed(before.pages, after.pages) == showing
        assert all(title in _text(after.pages[path]) for path in showing)
        assert len(showing) < len(after.pages) // 4


def test_no_page_lists_every_article(synthetic: tuple[Path, Pages]) -> None:
    root, pages = synthetic
    corpus, _ = pipeline.check(root)
    for theme_id, members in group_by_theme(corpus).items():
        assert len(members) > DOSSIER_SPLIT_OVER
        dossier = _text(pages[theme_src(theme_id)])
        listed = [a for a in corpus.articles if f"/{a.slug}/" in dossier]
        assert listed == members[:LATEST_COUNT]
        for year, items in dossier_years([a.listed for a in members]).items():
            page = _text(pages[theme_year_src(theme_id, year)])
            assert f"{year}/" in dossier
            assert [a.listed for a in corpus.articles if f"/{a.slug}/" in page] == sorted(
                items, key=lambda a: (-a.date.toordinal(), a.slug)
            )


def test_split_dossier_in_built_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """MkDocs accepts the year pages of dossiers and of large index entries (strict build:
    none is missing from ``not_in_nav``), and every year link resolves."""
    monkeypatch.setattr(reader, "ENTRY_PAGE_MAX", 12)
    root = _synthetic(tmp_path / "p", DOSSIER_SPLIT_OVER * 3)
    _fresh_process()
    assert build(root) == 0
    _fresh_process()  # the generation above used the lowered threshold
    periods = [p for kind in INDEX_KINDS for p in (root / "site" / kind.segment).glob("*/*/index.html")]
    assert periods, "no entry was split: the threshold did not apply"
    for page in periods:
        entry = parse(page.parent.parent / "index.html")
        assert any(
            (page.parent.parent / href).resolve() == page.parent.resolve()
            for href in entry.xpath("//nav[contains(@class, 'press-periods')]//a/@href")
        )
    corpus, _ = pipeline.check(root)
    groups = group_by_theme(corpus)
    split = [t for t in corpus.themes if len(groups[t.id]) > DOSSIER_SPLIT_OVER]
    assert split
    for theme in split:
        page = root / "site" / "dossiers" / theme.id / "index.html"
        html = parse(page)
        assert len(html.xpath(f"{ARTICLE_LIST}/li")) == LATEST_COUNT
        found: set[str] = set()
        for href in html.xpath('//ul[@class="press-years"]//a/@href'):
            year_page = (page.parent / href / "index.html").resolve()
            assert year_page.is_file()
            for link in parse(year_page).xpath(f"{ARTICLE_LIST}/li/a/@href"):
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

    report = bench.run(20, tmp_path, browser=True, chromium=browser, pairs=2)
    for _label, key, _fmt in bench.ROWS:
        assert key in report, key
    # Each build is paired with the bare build right after it; the ratio is the median of the pairs'.
    builds, bares = report["build_runs_s"], report["bare_runs_s"]
    assert len(builds) == len(bares) == 2
    assert report["build_ratio"] == statistics.median(b / a for b, a in zip(builds, bares, strict=True))
    assert report["build_s"] == statistics.median(builds) and report["bare_s"] == statistics.median(bares)
    for key in ("build_s", "bare_s", "generation_s", "io_floor_s", "noop_s", "one_change_s", "serve_edit_s"):
        assert report[key] > 0, key
    assert report["noop_changed"] == 0
    assert report["one_change_changed"] and all(p.startswith("articles/") for p in report["one_change_changed"])
    assert report["serve_rebuilds_per_change"] == report["mkdocs_serve_rebuilds_per_change"] == 1
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


# --- Index and entity pages (issue 12) -------------------------------------------------------

_ARTICLE_HREF = re.compile(r'href="(?:\.\./)*articles/([^/"]+)/"')


def _article_links(out: Output) -> list[str]:
    """Slugs of the articles a page links to, in page order."""
    return _ARTICLE_HREF.findall(_text(out))


def test_index_and_entity_pages_hold_at_most_the_bound(
    synthetic: tuple[Path, Pages], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every name has its own page; a large one is split by year, a large year by month, and a
    still larger month shows its newest articles with a note. The bound is lowered so that the
    N synthetic articles meet every case; the truth is computed from the corpus."""
    root, _ = synthetic
    corpus, _problems = pipeline.check(root)
    idx = build_indexes(corpus)
    seen = {"single": 0, "years": 0, "months": 0, "truncated": 0}
    for bound in (1, 2, 4):
        monkeypatch.setattr(reader, "ENTRY_PAGE_MAX", bound)
        monkeypatch.setattr(reader, "ENTRY_LATEST", bound)
        pages = render_site(corpus, idx, SITE)
        for kind in INDEX_KINDS:
            assert _article_links(pages[index_src(kind)]) == [], kind.segment
            for entry in idx.entries[kind.segment]:
                _check_entry_pages(corpus, pages, kind, entry.name, entry.slug, bound, seen)
            for path, out in pages.items():
                if path.startswith(f"{kind.segment}/"):
                    assert len(_article_links(out)) <= bound, path
    assert all(seen.values()), seen


def _check_entry_pages(
    corpus: Corpus, pages: Pages, kind: IndexKind, name: str, slug: str, bound: int, seen: dict[str, int]
) -> None:
    """The pages of one name list exactly its articles, each once, none above ``bound``."""
    expected = [a for a in corpus.articles if name in {corpus.canonical(kind.field, n) for n in a.names(kind.field)}]
    assert expected, name
    own = _article_links(pages[entry_src(kind, slug)])
    if len(expected) <= bound:
        seen["single"] += 1
        assert own == [a.slug for a in expected]
        assert not [p for p in pages if p.startswith(f"{kind.segment}/{slug}/")]
        return
    assert own == [a.slug for a in expected[:bound]]
    listed: list[str] = []
    for year, in_year in by_year(expected, lambda a: a.date.year).items():
        if len(in_year) <= bound:
            seen["years"] += 1
            got = _article_links(pages[entry_src(kind, slug, str(year))])
            assert got == [a.slug for a in in_year]
            listed += got
            continue
        seen["months"] += 1
        assert entry_src(kind, slug, str(year)) not in pages
        for month, in_month in by_year(in_year, lambda a: a.date.month).items():
            out = pages[entry_src(kind, slug, f"{year}-{month:02d}")]
            assert _article_links(out) == [a.slug for a in in_month[:bound]]
            if len(in_month) > bound:
                seen["truncated"] += 1
                assert f"chronologie/{year}/#{year}-{month:02d}" in _text(out)
            listed += [a.slug for a in in_month]
    assert listed == [a.slug for a in expected]
