"""Search over an archive (issue 12): every match reachable, filters, order, metadata, focus, layout.

A synthetic corpus (``benchmarks.synth.make_corpus``, deterministic) of a few hundred articles
is built once, then served under a sub-path. Queries are typed key by key in Debian's Chromium;
the expected articles, their dossiers, years, outlets and dates come from the seeds through
``tests/search_truth.py``, never from the index. The index itself is checked to be the same
bytes whichever process builds it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from benchmarks.synth import make_corpus
from build_scripts import search_index
from tests.helpers import EXAMPLES, ROOT, SEARCH_READY, PageWatch, article_pages, build, copy_project, serve, tree_hash
from tests.search_truth import Doc, expected, in_title, keys, load_docs, tolerated

ARTICLES = 300
PART = 120
"""Articles per part of the search index here (``search_index.SHARD_SIZE``, 2,500 in a real build):
the archive's index comes in three parts, which the browser merges, so every test below searches
across parts."""
PAGE = 20  # results per page in press-search.js
# The results box has shown the results of ``query`` and no search is running.
SETTLED = """q => {
  const box = document.querySelector('[data-press-search=result]')
  return box.dataset.query === q && box.getAttribute('aria-busy') === 'false'
    && !document.querySelector('[data-press-search-filter] option[data-old]')
}"""
ROWS = """items => items.map(li => ({
  href: li.querySelector('a').href,
  title: li.querySelector('h1').textContent,
}))"""
OPTIONS = """select => [...select.options].map(o => ({value: o.value, label: o.textContent}))"""
FILTERS = {"dossier": "press-search-dossier", "annee": "press-search-annee", "source": "press-search-source"}


# --- The archive ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project of ``ARTICLES`` synthetic articles, built in this process; returns its root."""
    base = tmp_path_factory.mktemp("archive")
    make_corpus(EXAMPLES, base / "seeds", ARTICLES)
    root = copy_project(base / "p", seeds=base / "seeds")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1700000000")
        patch.setattr(search_index, "SHARD_SIZE", PART)
        assert build(root) == 0
    parts = json.loads((root / "site" / "pagefind" / search_index.SHARDS_FILE).read_text(encoding="utf-8"))
    assert parts == ["part-1", "part-2"]
    return root


@pytest.fixture(scope="module")
def docs(archive: Path) -> dict[str, Doc]:
    """The articles as the ground truth reads them from the seeds, by seed."""
    return {doc.seed: doc for doc in load_docs(archive / "seeds")}


@pytest.fixture(scope="module")
def seeds_by_path(archive: Path) -> dict[str, str]:
    """Seed of each article page, keyed by its path under the site root (``articles/x/``)."""
    return {path: seed for seed, path in article_pages(archive / "site").items()}


@pytest.fixture(scope="module")
def archive_url(archive: Path) -> Iterator[str]:
    """The built archive, served under a sub-path like a GitHub Pages project site."""
    with serve(archive / "site") as url:
        yield url


# --- Determinism -------------------------------------------------------------------------


def test_index_with_filters_is_the_same_bytes_from_any_process(archive: Path, tmp_path: Path) -> None:
    """Two builds in fresh processes, other hash seeds and thread counts, and the fixture's own:
    one ``pagefind/`` tree, filters included (Pagefind 1.5.2 gave a new tree on every build)."""
    trees = []
    for hash_seed, threads in (("0", "1"), ("12345", "2")):
        root = copy_project(tmp_path / f"seed-{hash_seed}", seeds=archive / "seeds")
        env = {
            **os.environ,
            "SOURCE_DATE_EPOCH": "1700000000",
            "PYTHONHASHSEED": hash_seed,
            "RAYON_NUM_THREADS": threads,
        }
        build_in_parts = (
            f"import sys; from build_scripts import cli, search_index; search_index.SHARD_SIZE = {PART}; "
            "sys.exit(cli.main(sys.argv[1:]))"
        )
        command = [sys.executable, "-c", build_in_parts, "--root", str(root), "build", "--quiet"]
        subprocess.run(command, cwd=ROOT, env=env, check=True, timeout=600)
        trees.append(tree_hash(root / "site" / "pagefind"))
    trees.append(tree_hash(archive / "site" / "pagefind"))
    assert [name for name in trees[0] if name.startswith("filter/")], "the index has no filters"
    assert [name for name in trees[0] if name.startswith("part-2/filter/")], "the last part has no filters"
    for other in trees[1:]:
        assert sorted(other) == sorted(trees[0])
        assert [name for name in trees[0] if other[name] != trees[0][name]] == []


# --- In the browser -----------------------------------------------------------------------


class Search:
    """The search dialog of one fresh page, driven with real key presses."""

    def __init__(self, page: Any, url: str, seeds_by_path: dict[str, str]) -> None:
        self.page = page
        self.url = url
        self.seeds_by_path = seeds_by_path
        self.query = ""

    def type(self, query: str) -> None:
        """Type ``query`` into the search field key by key, and wait for its results."""
        box = self.page.locator("input.md-search__input")
        box.focus()
        self.page.keyboard.press("Control+A")
        self.page.keyboard.press("Backspace")
        box.press_sequentially(query, delay=20)
        self.query = query
        self.page.wait_for_function(SETTLED, arg=query, timeout=20_000)

    def _changed(self, action: Callable[[], None]) -> None:
        """Do ``action`` (which changes a filter or the order) and wait for the new results."""
        self.page.evaluate("document.querySelectorAll('[data-press-search-filter] option')"
                           ".forEach(o => o.dataset.old = '1')")  # fmt: skip
        action()
        self.page.wait_for_function(SETTLED, arg=self.query, timeout=20_000)

    def choose(self, key: str, value: str) -> None:
        """Choose ``value`` in the filter ``key`` (``dossier``, ``annee``, ``source``)."""
        self._changed(lambda: self.page.locator(f"#{FILTERS[key]}").select_option(value=value))

    def newest_first(self) -> None:
        """Order the results by date, newest first."""
        self._changed(lambda: self.page.locator("#press-search-ordre").select_option(value="date"))

    def clear(self) -> None:
        """Clear every filter with the one button, from the keyboard."""
        self._changed(lambda: self.page.locator("[data-press-search=clear]").press("Enter"))

    def options(self, key: str) -> tuple[int, dict[str, int]]:
        """The select of filter ``key``: the count of « all », and each value's count."""
        found = self.page.eval_on_selector(f"#{FILTERS[key]}", OPTIONS)
        counts = {}
        for option in found:
            match = re.fullmatch(r"(.+) \((\d+)\)", option["label"])
            assert match, option
            counts[option["value"]] = int(match[2])
            if option["value"]:
                assert match[1] == option["value"].replace("'\u200b", "’"), option
        return counts.pop(""), counts

    def meta(self) -> str:
        """The line above the results (« 12 documents trouvés »)."""
        text: str = self.page.locator(".md-search-result__meta").inner_text().strip()
        return text

    def rows(self) -> list[dict[str, str]]:
        """The results shown."""
        rows: list[dict[str, str]] = self.page.eval_on_selector_all(".md-search-result__list > li", ROWS)
        return rows

    def everything(self) -> list[str]:
        """Press « Plus de résultats » until every result is shown; their seeds, in order."""
        more = self.page.locator("[data-press-search=more]")
        while more.is_visible():
            shown = len(self.rows())
            more.press("Enter")
            self.page.wait_for_function(
                "n => document.querySelectorAll('.md-search-result__list > li').length > n"
                " && document.querySelector('[data-press-search=result]').getAttribute('aria-busy') === 'false'",
                arg=shown,
            )
            added = len(self.rows()) - shown
            assert added == PAGE or not more.is_visible(), f"{added} results added by « Plus de résultats »"
        return [self.seed(row["href"]) for row in self.rows()]

    def seed(self, href: str) -> str:
        """The seed of the article a result links to."""
        assert href.startswith(self.url), f"result link {href} leaves the site"
        path = urlsplit(href).path[len(urlsplit(self.url).path) :]
        assert path in self.seeds_by_path, f"result link {href} is not an article page"
        return self.seeds_by_path[path]


@contextmanager
def _opened(browser: Any, archive_url: str, seeds_by_path: dict[str, str], **context: Any) -> Iterator[Search]:
    """The archive's home page with the search opened by "/" and the index loaded; no console
    error, failed request or other host is allowed meanwhile."""
    opened = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **context})
    page = opened.new_page()
    watch = PageWatch(page, archive_url)
    page.goto(archive_url)
    page.keyboard.press("/")
    page.wait_for_function(SEARCH_READY, timeout=15_000)
    yield Search(page, archive_url, seeds_by_path)
    opened.close()
    assert not watch.problems, "\n".join(watch.problems)


@pytest.fixture
def search(browser: Any, archive_url: str, seeds_by_path: dict[str, str]) -> Iterator[Search]:
    """See ``_opened``."""
    with _opened(browser, archive_url, seeds_by_path) as opened:
        yield opened


def _count(n: int) -> str:
    return {0: "Aucun document trouvé", 1: "1 document trouvé"}.get(n, f"{n} documents trouvés")


def _check_all(search: Search, want: set[str], allowed: set[str]) -> list[str]:
    """Every result reached through « Plus de résultats »: the expected ones, nothing else, once each."""
    found = search.everything()
    assert len(found) == len(set(found)), f"{search.query!r}: duplicate results"
    missing = want - set(found)
    assert not missing, f"{search.query!r}: {len(missing)} expected articles never shown: {sorted(missing)[:10]}"
    extra = set(found) - allowed
    assert not extra, f"{search.query!r}: {sorted(extra)[:10]} shown but do not match"
    assert search.meta() == _count(len(found))
    return found


# Queries and what each exercises on the synthetic corpus; the test checks that it still does.
REACH = {
    "Poutine": "in every headline: all articles, fifteen pages of results",
    "Volkov": "a person's name that is only in the metadata",
    "Élysée": "an organisation, in the metadata of articles whose text does not name it",
    "guerre froide": "a tag of two words, in the metadata of articles whose text lacks it",
    "Tallinn": "a place, in some headlines and in the metadata of other articles",
}


@pytest.mark.browser
@pytest.mark.parametrize("query", sorted(REACH))
def test_every_matching_article_is_reachable(search: Search, docs: dict[str, Doc], query: str) -> None:
    everyone = list(docs.values())
    want, allowed = expected(query, everyone), tolerated(query, everyone)
    metadata_only = {seed for seed in want if not keys(query) <= docs[seed].text_keys}
    if query == "Poutine":
        assert len(want) == ARTICLES
    else:
        assert metadata_only, f"{query!r} no longer exercises {REACH[query]}"
    search.type(query)
    total = int(re.sub(r"\D", "", search.meta()) or 0)
    assert total >= len(want) and len(search.rows()) == min(PAGE, total), "the first page is not full"
    found = _check_all(search, want, allowed)
    # A headline match ranks above an article that has the words only in its names or tags.
    headline = [i for i, seed in enumerate(found) if in_title(query, docs[seed])]
    if headline and metadata_only:
        last_headline = max(headline)
        first_metadata = min(found.index(seed) for seed in metadata_only)
        assert last_headline < first_metadata, f"{query!r}: a metadata-only match outranks a headline match"


@pytest.mark.browser
def test_each_filter_value_shows_its_count(search: Search, docs: dict[str, Doc]) -> None:
    """Before any filter: each dossier, year and outlet with the number of results it gives."""
    query = "sanctions"
    want = [docs[seed] for seed in expected(query, list(docs.values()))]
    search.type(query)
    truth = {
        "dossier": Counter(title for doc in want for title in doc.dossiers),
        "annee": Counter(doc.year for doc in want),
        # An article whose outlet is unknown has none to filter on (issue 12: no « inconnue » outlet).
        "source": Counter(doc.source for doc in want if doc.source),
    }
    for key, counts in truth.items():
        total, shown = search.options(key)
        assert total == len(want), key
        assert {value.replace("'\u200b", "’"): n for value, n in shown.items()} == dict(counts), key
    # Years newest first, dossiers and outlets in alphabetical order.
    years = list(search.options("annee")[1])
    assert years == sorted(years, reverse=True)


@pytest.mark.browser
def test_dossier_filter_from_the_keyboard_gives_that_dossier_only(search: Search, docs: dict[str, Doc]) -> None:
    query = "sanctions"
    want = expected(query, list(docs.values()))
    search.type(query)
    # Tab from the field reaches the dossier filter; an arrow key chooses its first dossier.
    search.page.keyboard.press("Tab")
    assert search.page.evaluate("document.activeElement.id") == FILTERS["dossier"]
    _total, counts = search.options("dossier")
    first = next(iter(counts))
    search._changed(lambda: search.page.keyboard.press("ArrowDown"))
    assert search.page.locator(f"#{FILTERS['dossier']}").input_value() == first
    title = first.replace("'\u200b", "’")
    in_dossier = {seed for seed in want if title in docs[seed].dossiers}
    assert 0 < len(in_dossier) < len(want), "the dossier does not narrow this query"
    assert counts[first] == len(in_dossier)
    assert search.options("dossier")[1][first] == len(in_dossier)
    _check_all(search, in_dossier, in_dossier)


@pytest.mark.browser
def test_year_and_outlet_filters_combine_and_clear_in_one_step(search: Search, docs: dict[str, Doc]) -> None:
    query = "coopération"
    everyone = list(docs.values())
    want = expected(query, everyone)
    search.type(query)
    # The outlet with the most results, then the year with the most among them.
    source = Counter(docs[seed].source for seed in want if docs[seed].source).most_common(1)[0][0]
    search.choose("source", source)
    by_source = {seed for seed in want if docs[seed].source == source}
    assert search.meta() == _count(len(by_source))
    # The year counts now count within that outlet; the outlet counts ignore the outlet chosen.
    total, years = search.options("annee")
    assert total == len(by_source)
    assert years == dict(Counter(docs[seed].year for seed in by_source))
    total, sources = search.options("source")
    assert total == len(want) and sources[source] == len(by_source)
    year = max(years, key=lambda y: (years[y], y))
    search.choose("annee", year)
    both = {seed for seed in by_source if docs[seed].year == year}
    assert 0 < len(both) < len(by_source), "the year does not narrow the outlet's results"
    assert search.options("annee")[1][year] == len(both)
    assert search.options("source")[1][source] == len(both)
    _check_all(search, both, both)
    # A dossier on top: three filters at once.
    title = Counter(t for seed in both for t in docs[seed].dossiers).most_common(1)[0][0]
    value = next(v for v in search.options("dossier")[1] if v.replace("'\u200b", "’") == title)
    search.choose("dossier", value)
    three = {seed for seed in both if title in docs[seed].dossiers}
    _check_all(search, three, three)
    # One step clears them all.
    search.clear()
    assert [search.page.locator(f"#{FILTERS[key]}").input_value() for key in FILTERS] == ["", "", ""]
    assert search.page.locator("[data-press-search=clear]").is_hidden()
    assert search.meta() == _count(len(want))
    _check_all(search, want, tolerated(query, everyone))


@pytest.mark.browser
def test_newest_first_is_in_date_order(search: Search, docs: dict[str, Doc]) -> None:
    query = "Tallinn"
    everyone = list(docs.values())
    want = expected(query, everyone)
    search.type(query)
    by_relevance = search.everything()
    search.newest_first()
    found = _check_all(search, want, tolerated(query, everyone))
    dates = [docs[seed].date for seed in found]
    assert dates == sorted(dates, reverse=True), "not newest first"
    assert by_relevance != found, "the relevance order is already the date order: the test proves nothing"
    # The order survives a filter.
    year = docs[found[len(found) // 2]].year
    search.choose("annee", year)
    found = _check_all(search, {s for s in want if docs[s].year == year}, {s for s in want if docs[s].year == year})
    assert [docs[s].date for s in found] == sorted((docs[s].date for s in found), reverse=True)


# --- Focus (issue 12, item 9) -----------------------------------------------------------------

# The focused result's outline and the backgrounds on either side of it: the link's own
# (Material tints it on focus) and the results box's, each composited down to an opaque colour.
FOCUS = """() => {
  const link = document.activeElement
  const parse = c => { const m = c.match(/[\\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1] }
  const over = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1])
  const backdrop = node => {
    const layers = []
    for (let n = node; n; n = n.parentElement) {
      const c = parse(getComputedStyle(n).backgroundColor)
      if (c[3] > 0) layers.push(c)
      if (c[3] === 1) break
    }
    return layers.reverse().reduce((acc, c) => over(c, acc), [255, 255, 255, 1])
  }
  const style = getComputedStyle(link)
  const inner = backdrop(link)
  return {
    isResult: link.matches('.md-search-result__link'),
    focusVisible: link.matches(':focus-visible'),
    outline: `${style.outlineStyle} ${style.outlineWidth}`,
    width: parseFloat(style.outlineWidth),
    offset: parseFloat(style.outlineOffset),
    color: over(parse(style.outlineColor), inner),
    inner,
    outer: backdrop(link.parentElement),
  }
}"""


def _luminance(rgb: list[float]) -> float:
    channels = [c / 255 for c in rgb[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: list[float], b: list[float]) -> float:
    """WCAG contrast ratio of two opaque colours."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _ax_nodes(page: Any) -> list[dict[str, Any]]:
    """Chromium's accessibility tree of the page (CDP), ignored nodes left out."""
    nodes: list[dict[str, Any]] = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
    return [n for n in nodes if not n.get("ignored")]


def _words(text: str | None) -> str:
    """Whitespace collapsed (the accessibility tree turns no-break spaces into spaces)."""
    return " ".join((text or "").split())


def _ax(node: dict[str, Any], field: str) -> Any:
    return (node.get(field) or {}).get("value")


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_focused_result_shows_a_3_to_1_focus_and_keeps_its_name(
    browser: Any, archive_url: str, seeds_by_path: dict[str, str], scheme: str
) -> None:
    with _opened(browser, archive_url, seeds_by_path, color_scheme=scheme) as search:
        _check_focus(search, scheme)


def _check_focus(search: Search, scheme: str) -> None:
    page = search.page
    search.type("Tallinn")
    search.choose("annee", next(iter(search.options("annee")[1])))
    page.locator("input.md-search__input").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # the second result: not the first element of the list
    # Material fades the tint of a focused result in: measure once it is there.
    page.wait_for_function("document.activeElement.getAnimations().every(a => a.playState === 'finished')")
    focus = page.evaluate(FOCUS)
    assert focus["isResult"] and focus["focusVisible"], focus
    solid = not focus["outline"].startswith(("none", "hidden"))
    assert solid and focus["width"] >= 2 and focus["offset"] <= 0, f"no inset outline of 2 px: {focus}"
    ratios = contrast(focus["color"], focus["inner"]), contrast(focus["color"], focus["outer"])
    assert min(ratios) >= 3, f"{scheme}: focus indicator at {min(ratios):.2f}:1 ({focus})"
    # Chromium's accessibility tree: results are links in a list, each named by its text;
    # the filters, the order and the buttons are named.
    rows = search.rows()
    nodes = _ax_nodes(page)
    links = {_words(_ax(n, "name")) for n in nodes if _ax(n, "role") == "link"}
    for row in rows:
        assert any(name.startswith(_words(row["title"])) for name in links), f"result without its name: {row}"
    focused = [
        n
        for n in nodes
        if _ax(n, "role") != "RootWebArea"
        and any(p["name"] == "focused" and p["value"]["value"] for p in n.get("properties", []))
    ]
    assert [_ax(n, "role") for n in focused] == ["link"]
    assert _words(_ax(focused[0], "name")).startswith(_words(rows[1]["title"]))
    assert sum(_ax(n, "role") == "listitem" for n in nodes) >= len(rows)
    combos = [_ax(n, "name") for n in nodes if _ax(n, "role") == "combobox"]
    assert combos == ["Dossier", "Année", "Source", "Ordre"]
    buttons = {_ax(n, "name") for n in nodes if _ax(n, "role") == "button"}
    assert "Effacer les filtres" in buttons


# --- Layout (issue 12, item 11) ---------------------------------------------------------------

# Every element of the open dialog must fit the screen: what is drawn of it (clipped by the
# ancestors that hide their overflow) and, if it holds text or is a control, all of it.
# (Material's overlay, an empty circle scaled far past the screen as the dialog opens, is
# clipped by the dialog itself.)
LAYOUT = """() => {
  const width = window.innerWidth
  const dialog = document.querySelector('.md-search')
  const wrap = dialog.querySelector('.md-search__scrollwrap')
  const wide = []
  for (const el of dialog.querySelectorAll('*')) {
    const style = getComputedStyle(el)
    if (style.visibility === 'hidden' || !el.getClientRects().length) continue
    const r = el.getBoundingClientRect()
    let left = r.left, right = r.right
    for (let a = el.parentElement; a; a = a.parentElement) {
      if (getComputedStyle(a).overflowX === 'visible') continue
      const c = a.getBoundingClientRect()
      left = Math.max(left, c.left)
      right = Math.min(right, c.right)
    }
    const content = el.textContent.trim() || el.matches('input, select, button, img, svg')
    if ((right > left && (left < -0.5 || right > width + 0.5)) || (content && r.width > width + 0.5))
      wide.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(r.left)}..${Math.round(r.right)}`)
  }
  const targets = [...dialog.querySelectorAll(
    'select, button:not([hidden]), input.md-search__input, .md-search-result__link')]
    .filter(el => el.getClientRects().length)
    .map(el => { const r = el.getBoundingClientRect(); return {
      what: el.id || el.className || el.tagName, width: r.width, height: r.height } })
  return {
    pageScroll: document.scrollingElement.scrollWidth - width,
    dialogScroll: wrap.scrollWidth - wrap.clientWidth,
    wide,
    targets,
  }
}"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 390, 1280])
def test_search_with_results_and_filters_fits_the_screen(
    browser: Any, archive_url: str, seeds_by_path: dict[str, str], width: int
) -> None:
    with _opened(browser, archive_url, seeds_by_path, viewport={"width": width, "height": 800}) as search:
        _check_fits(search, width)


def _check_fits(search: Search, width: int) -> None:
    page = search.page
    search.type("sanctions")
    # The longest dossier name chosen, so that the widest select is on screen.
    _total, dossiers = search.options("dossier")
    search.choose("dossier", max(dossiers, key=len))
    assert page.locator("[data-press-search=more]").is_visible()
    assert page.locator("[data-press-search=clear]").is_visible()
    layout = page.evaluate(LAYOUT)
    assert layout["pageScroll"] <= 0, f"{width}px: the page scrolls sideways by {layout['pageScroll']}px"
    assert layout["dialogScroll"] <= 0, f"{width}px: the results scroll sideways by {layout['dialogScroll']}px"
    assert not layout["wide"], f"{width}px: wider than the screen: {layout['wide'][:5]}"
    kinds = {t["what"] for t in layout["targets"]}
    assert {"press-search-dossier", "press-search-annee", "press-search-source", "press-search-ordre"} <= kinds
    small = [t for t in layout["targets"] if t["width"] < 24 or t["height"] < 24]
    assert not small, f"{width}px: tap targets under 24×24 px: {small}"
