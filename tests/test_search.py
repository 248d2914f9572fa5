"""Site search (issue #3): Pagefind in Material's dialog, tested on the built site.

The browser tests type every query of ``tests/search_truth.py`` with real key presses, once the
index has loaded, in Debian's Chromium, on the site served under a sub-path; the expected
articles are computed from the seeds. The other tests check the build side without a browser.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from build_scripts import pipeline, publish, search_index
from tests.helpers import (
    SEARCH_READY,
    PageWatch,
    article_pages,
    build,
    copy_project,
    fr_date,
    html_pages,
    parse,
    tree_hash,
    type_search,
)
from tests.search_truth import QUERIES, Doc, expected, in_title, load_docs, theme_titles, tolerated

RESULT_ROWS = """items => items.map(li => ({
    href: li.querySelector('a').href,
    title: li.querySelector('h1').textContent,
    info: (li.querySelector('.press-search-meta') || {}).textContent || '',
    excerptTags: [...li.querySelectorAll('.press-search-excerpt *')].map(e => e.tagName),
}))"""


@pytest.fixture(scope="session")
def docs(seeds_dir: Path) -> list[Doc]:
    """The articles, as the ground truth reads them from the seeds."""
    return load_docs(seeds_dir)


@pytest.fixture(scope="session")
def page_seeds(site: Path) -> dict[str, str]:
    """Seed id of each article page, keyed by its path under the site root (``articles/x/``)."""
    return {path: seed for seed, path in article_pages(site).items()}


# --- Build side -------------------------------------------------------------------------


def test_material_search_is_off_and_pagefind_bundle_exists(site: Path, docs: list[Doc]) -> None:
    assert not (site / "search" / "search_index.json").exists(), "Material's lunr index is still built"
    for page in html_pages(site):
        tree = parse(page)
        # Without these, Material's bundle never fetches search_index.json.
        assert not tree.xpath("//*[@data-md-component='search' or @data-md-component='search-query']"), page
        if page.parent.parent.name == "articles":
            assert tree.xpath("//article[@data-pagefind-body]"), page
        else:
            assert not tree.xpath("//*[@data-pagefind-body]"), f"{page} would be indexed"
    bundle = site / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    assert (bundle / "pagefind-worker.js").is_file()
    assert (bundle / "wasm.fr.pagefind").is_file()
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["fr"]
    assert entry["languages"]["fr"]["page_count"] == len(docs)
    assert not (bundle / "pagefind-ui.js").exists(), "Pagefind's own UI is published but unused"


def test_article_markup_carries_title_date_and_dossiers(
    site: Path, seeds_dir: Path, docs: list[Doc], page_seeds: dict[str, str]
) -> None:
    titles = theme_titles(seeds_dir)
    pages = {seed: path for path, seed in page_seeds.items()}
    for doc in docs:
        tree = parse(site / pages[doc.seed] / "index.html")
        (h1,) = tree.xpath("//h1[@data-pagefind-meta='title']")
        assert h1.get("data-pagefind-weight") == "10"
        assert " ".join(h1.text_content().split()) == " ".join(doc.title.split())
        (date,) = tree.xpath("//*[@data-pagefind-ignore]//time[@data-pagefind-meta='date']")
        assert date.text_content() == fr_date(doc.date)
        (dossier,) = tree.xpath("//*[@data-pagefind-ignore]//*[@data-pagefind-meta='dossier']")
        assert dossier.text_content() == ", ".join(titles[t] for t in doc.themes)


def test_index_follows_the_generation_not_the_filesystem(built: Path, site: Path, tmp_path: Path) -> None:
    """Pagefind numbers pages in the order it is given them: the generation's (articles newest
    first), fed while rendering; indexing the same pages at once gives the same bytes."""
    generated = pipeline.generate(built, publish.site_info(publish.read_config(built / "mkdocs.yml")))
    urls = [url for url, _html in search_index.indexed_pages(generated.pages)]
    # The seeds' addresses start with their date (no seed pins a slug).
    dates = [url.removeprefix("/articles/")[:10] for url in urls]
    assert len(urls) == len(list(built.joinpath("seeds").glob("*.txt"))) and dates == sorted(dates, reverse=True)
    search_index.build_index(generated.pages, tmp_path / "a")
    assert tree_hash(tmp_path / "a") == tree_hash(site / "pagefind")


def test_a_large_archive_is_indexed_in_parts(built: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Pagefind holds a whole index in memory while writing it: the articles are indexed in parts
    of ``SHARD_SIZE`` (here 2), listed for the browser to merge, each a complete Pagefind bundle."""
    generated = pipeline.generate(built, publish.site_info(publish.read_config(built / "mkdocs.yml")))
    monkeypatch.setattr(search_index, "SHARD_SIZE", 2)
    output = tmp_path / "pagefind"
    search_index.build_index(generated.pages, output)
    articles = len(search_index.indexed_pages(generated.pages))
    parts = json.loads((output / search_index.SHARDS_FILE).read_text(encoding="utf-8"))
    assert parts == [f"part-{n}" for n in range(1, (articles + 1) // 2)]
    for folder in [output, *(output / part for part in parts)]:
        entry = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
        counts = [language["page_count"] for language in entry["languages"].values()]
        assert sum(counts) == (2 if folder != output / parts[-1] or articles % 2 == 0 else 1)
    # Below the part size, one index, as before, and an empty list of parts.
    assert json.loads((built / "site" / "pagefind" / search_index.SHARDS_FILE).read_text(encoding="utf-8")) == []


def _npm_dir(tmp_path: Path, version: str | None) -> Path:
    """A copy of build_scripts/pagefind/ with no Pagefind installed, or a fake one of ``version``."""
    npm = tmp_path / "pagefind"
    npm.mkdir()
    shutil.copy2(search_index.NPM_DIR / "package.json", npm / "package.json")
    if version is not None:
        package = npm / "node_modules" / search_index._platform_package()
        (package / "bin").mkdir(parents=True)
        (package / "bin" / "pagefind_extended").write_bytes(b"")
        (package / "package.json").write_text(json.dumps({"version": version}), encoding="utf-8")
    return npm


def test_pagefind_comes_from_npm_at_the_pinned_version() -> None:
    pinned = json.loads((search_index.NPM_DIR / "package.json").read_text(encoding="utf-8"))["dependencies"]
    version = tuple(int(part) for part in pinned["pagefind"].split("."))
    assert version >= (1, 6, 0), "1.6.0 or later: 1.5.2 writes its filter chunks in a random order"
    executable = search_index.pagefind_executable()
    assert executable.is_relative_to(search_index.NPM_DIR / "node_modules")
    run = subprocess.run([str(executable), "--version"], capture_output=True, text=True, check=True, timeout=60)
    assert run.stdout.split() == ["pagefind", pinned["pagefind"]]


@pytest.mark.parametrize("installed", [None, "1.5.2"], ids=["missing", "other-version"])
def test_missing_or_other_pagefind_is_a_clear_error(
    installed: str | None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(search_index, "NPM_DIR", _npm_dir(tmp_path, installed))
    pinned = json.loads((search_index.NPM_DIR / "package.json").read_text(encoding="utf-8"))["dependencies"]["pagefind"]
    found = (
        f"Pagefind {pinned} est introuvable"
        if installed is None
        else f"Pagefind 1.5.2 est installé, {pinned} est attendu"
    )
    with pytest.raises(search_index.SearchIndexError, match=found):
        search_index.build_index({}, tmp_path / "out")
    # The build stops before MkDocs renders a page, on one line that says what to run.
    rendered: list[object] = []
    monkeypatch.setattr(publish, "use_generated_html", rendered.append)
    root = copy_project(tmp_path / "p")
    capsys.readouterr()
    assert build(root) == 1
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert found in line and f"« {search_index.NPM_INSTALL} »" in line, line
    assert not rendered, f"MkDocs rendered {len(rendered)} pages before the build stopped"
    assert not (root / "site").exists()


def test_typographic_apostrophes_are_split_only_in_the_index_copy() -> None:
    assert search_index.indexable_html("<p>l’OTAN</p>") == "<p>l'\u200bOTAN</p>"


# --- In the browser ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def search_page(browser: Any, site_url: str) -> Iterator[tuple[Any, PageWatch]]:
    """One page of the site with the search opened by "/" and the index loaded."""
    context = browser.new_context()
    page = context.new_page()
    watch = PageWatch(page, site_url)
    page.goto(site_url)
    page.keyboard.press("/")
    page.wait_for_function(SEARCH_READY, timeout=15_000)
    yield page, watch
    context.close()


@pytest.fixture
def clean_search_page(search_page: tuple[Any, PageWatch]) -> Iterator[Any]:
    """The search page; the test fails if the page logged an error or left the site meanwhile."""
    page, watch = search_page
    yield page
    problems, watch.problems[:] = list(watch.problems), []
    assert not problems, "\n".join(problems)
    assert not [url for url in watch.requests if "search_index.json" in url or "/workers/search" in url]


def type_query(page: Any, query: str) -> list[dict[str, Any]]:
    """Type ``query`` into the search box key by key; return the results of the whole query."""
    type_search(page, query)
    rows: list[dict[str, Any]] = page.eval_on_selector_all(".md-search-result__list > li", RESULT_ROWS)
    return rows


@pytest.mark.browser
@pytest.mark.parametrize("query", [q for q, _ in QUERIES], ids=[q for q, _ in QUERIES])
def test_query_finds_every_article_containing_it(
    clean_search_page: Any,
    site_url: str,
    seeds_dir: Path,
    docs: list[Doc],
    page_seeds: dict[str, str],
    query: str,
) -> None:
    page = clean_search_page
    rows = type_query(page, query)
    found = [_seed_of(row["href"], site_url, page_seeds) for row in rows]
    want = expected(query, docs)
    assert want, f"{query!r} matches no article: the query table no longer fits the seeds"
    missing = want - set(found)
    assert not missing, f"{query!r}: articles containing it are missing: {sorted(missing)} (found {found})"
    extra = set(found) - tolerated(query, docs)
    assert not extra, f"{query!r}: {sorted(extra)} found but do not contain it, even as a prefix"
    assert len(found) == len(set(found)), f"{query!r}: duplicate results {found}"
    in_headline = {doc.seed for doc in docs if doc.seed in want and in_title(query, doc)}
    if in_headline:
        assert found[0] in in_headline, f"{query!r}: headline match {sorted(in_headline)} is not first: {found}"
    n = len(found)
    count = {1: "1 document trouvé"}.get(n, f"{n} documents trouvés")
    assert page.locator(".md-search-result__meta").inner_text().strip() == count
    by_seed = {doc.seed: doc for doc in docs}
    titles = theme_titles(seeds_dir)
    for row, seed in zip(rows, found, strict=True):
        doc = by_seed[seed]
        assert row["title"] == doc.title
        dossiers = ", ".join(titles[t] for t in doc.themes)
        assert row["info"] == f"{fr_date(doc.date)} · {dossiers}"
        assert set(row["excerptTags"]) <= {"MARK"}, f"excerpt markup beyond <mark>: {row['excerptTags']}"


@pytest.mark.browser
def test_confrontation_ranks_the_headline_first(clean_search_page: Any, docs: list[Doc]) -> None:
    """The issue's ranking rule, on a query whose word is in one headline and in other texts."""
    headline = [doc for doc in docs if in_title("confrontation", doc)]
    body_only = expected("confrontation", docs) - {doc.seed for doc in headline}
    assert headline and body_only, "the seeds no longer exercise headline-over-body ranking"
    first = type_query(clean_search_page, "confrontation")[0]
    assert first["title"] in {doc.title for doc in headline}


@pytest.mark.browser
def test_ui_strings_are_french(clean_search_page: Any) -> None:
    page = clean_search_page
    assert type_query(page, "zzzxqy") == []
    assert page.locator(".md-search-result__meta").inner_text().strip() == "Aucun document trouvé"
    assert page.locator("input.md-search__input").get_attribute("placeholder") == "Rechercher"
    assert page.locator(".md-search[role=dialog]").get_attribute("aria-label") == "Recherche"


@pytest.mark.browser
@pytest.mark.parametrize("key", ["/", "s"])
def test_key_focuses_the_search_box(browser: Any, site_url: str, key: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    watch = PageWatch(page, site_url)
    page.goto(urljoin(site_url, "dossiers/otan/"))
    assert not page.evaluate("document.getElementById('__search').checked")
    assert not [url for url in watch.requests if "/pagefind/" in url], "index loaded before any search"
    page.keyboard.press(key)
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    assert page.evaluate("document.getElementById('__search').checked")
    page.wait_for_function(SEARCH_READY, timeout=15_000)
    assert page.locator(".md-search-result__meta").inner_text().strip() == "Taper pour démarrer la recherche"
    assert page.locator("input.md-search__input").input_value() == "", f"{key!r} was typed into the box"
    # Under the sub-path, from a page two levels down: results link inside the site.
    rows = type_query(page, "FSB")
    assert rows and all(row["href"].startswith(site_url) for row in rows)
    page.keyboard.press("Enter")
    page.wait_for_url(rows[0]["href"])
    context.close()
    assert not watch.problems, "\n".join(watch.problems)
    assert all(url.startswith(site_url) for url in watch.requests if url.startswith("http"))


# --- Helpers ----------------------------------------------------------------------------


def _seed_of(href: str, site_url: str, page_seeds: dict[str, str]) -> str:
    assert href.startswith(site_url), f"result link {href} leaves the site"
    path = urlsplit(href).path[len(urlsplit(site_url).path) :]
    assert path in page_seeds, f"result link {href} is not an article page"
    return page_seeds[path]
