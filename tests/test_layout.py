"""Layout is checked, not assumed (issue 12): every kind of page at 320, 390 and 1280 px.

One site is built from the five real seeds plus a synthetic archive (``benchmarks.synth``), so
that it has every kind of page: split dossiers and their years, names large enough for pages
per year (the threshold is lowered for this build), keywords, authors. In Debian's Chromium,
each page must:

- not scroll sideways, and hold no visible element wider than the viewport, nor one that
  sticks out of it on the right;
- give each link and toggle of the navigation (Material's sidebar or drawer, the table of
  contents, the header buttons, and the site's rows of letters, months, years and periods)
  a tap target of at least 24 x 24 CSS px (WCAG 2.5.8);
- really apply the site's own list layouts, which Material's more specific rules used to
  override: no list bullet beside a card or an article, months, years, periods and letters
  laid out in a row (flex), cards in a grid.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from benchmarks.synth import make_corpus
from build_scripts import pipeline
from build_scripts.render import reader
from tests.audit import MISSING_PATH
from tests.helpers import EXAMPLES, PageWatch, build, copy_project, serve

WIDTHS = (320, 390, 1280)
SYNTHETIC = 120
REAL_ARTICLE = "articles/2022-02-08-poutine-menace-l-otan-de-l-arme-nucleaire-face-a-emmanuel-macron/"

# Visible elements wider than the viewport or sticking out of it on the right. An element
# inside something that clips or scrolls it sideways is judged through that ancestor; an
# element moved out of sight by Material (the closed drawer, the closed search) is skipped.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth
  const found = []
  const clipped = el => {
    for (let a = el.parentElement; a; a = a.parentElement) {
      const s = getComputedStyle(a)
      if (['auto', 'scroll', 'hidden', 'clip'].includes(s.overflowX)) return a
    }
    return null
  }
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el)
    if (style.visibility === 'hidden' || style.display === 'none' || el.closest('[hidden]')) continue
    const r = el.getBoundingClientRect()
    if (r.width === 0 || r.height === 0) continue
    if (r.right <= 0 || r.left >= width) continue  // off-canvas (drawer, closed search)
    const clip = clipped(el)
    if (clip && clip !== document.body && clip !== document.documentElement) {
      const c = clip.getBoundingClientRect()
      if (c.right <= width + 1 && c.width <= width + 1) continue
    }
    if (r.width > width + 1 || r.right > width + 1) {
      found.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(r.left)}..${Math.round(r.right)} > ${width}`)
    }
  }
  return {
    scroll: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
    width,
    found: found.slice(0, 10),
  }
}"""

# Tap targets of the navigation that are on screen now.
TARGETS = """(selector) => {
  const width = document.documentElement.clientWidth, height = innerHeight
  const out = []
  for (const el of document.querySelectorAll(selector)) {
    const style = getComputedStyle(el)
    if (style.visibility === 'hidden' || style.display === 'none') continue
    const r = el.getBoundingClientRect()
    if (r.width === 0 || r.height === 0 || r.right <= 0 || r.left >= width || r.top >= height + 5000) continue
    // A collapsed submenu of the drawer is laid out but clipped by its level: skip what no one can see.
    let hidden = false
    for (let a = el.parentElement; a; a = a.parentElement) {
      const s = getComputedStyle(a)
      if (s.visibility === 'hidden' || s.display === 'none' || s.opacity === '0') { hidden = true; break }
      if (['hidden', 'clip', 'auto', 'scroll'].includes(s.overflowX)) {
        const c = a.getBoundingClientRect()
        if (r.left >= c.right - 1 || r.right <= c.left + 1) { hidden = true; break }
      }
    }
    if (hidden) continue
    out.push({text: (el.getAttribute('aria-label') || el.textContent).trim().slice(0, 40), w: r.width, h: r.height})
  }
  return out
}"""
NAV_TARGETS = ", ".join(
    (
        ".md-nav--primary a.md-nav__link",
        ".md-nav--primary label.md-nav__link[tabindex='0']",
        ".md-nav--secondary a.md-nav__link",
        ".md-header__button",
        ".md-header .md-source",
        ".press-letters a",
        "ul.press-months a",
        "ul.press-years a",
        ".press-periods a",
    )
)

ITEMS = (
    "li.press-card, ol.press-list > li, ul.press-names > li, ul.press-letters__list > li,"
    " ul.press-months > li, ul.press-years > li, ul.press-periods__list > li"
)
ROWS = "ul.press-months, ul.press-years, ul.press-periods__list, ul.press-letters__list"
LISTS = """([items, rowLists]) => {
  const rows = ul => new Set([...ul.children].map(li => Math.round(li.getBoundingClientRect().top))).size
  const out = {bullets: [], notFlex: [], stacked: [], notGrid: []}
  for (const li of document.querySelectorAll(items)) {
    const s = getComputedStyle(li)
    if (s.display === 'list-item' && s.listStyleType !== 'none') out.bullets.push(li.textContent.trim().slice(0, 40))
  }
  for (const ul of document.querySelectorAll(rowLists)) {
    const s = getComputedStyle(ul)
    if (s.display !== 'flex' || s.flexDirection !== 'row') out.notFlex.push(ul.className)
    if (ul.children.length > 1 && rows(ul) === ul.children.length) out.stacked.push(ul.className)
  }
  for (const ul of document.querySelectorAll('ul.press-cards')) {
    if (getComputedStyle(ul).display !== 'grid') out.notGrid.push(ul.className)
  }
  out.counts = {
    cards: document.querySelectorAll('li.press-card').length,
    rows: document.querySelectorAll(rowLists).length,
  }
  return out
}"""


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The real seeds plus a synthetic archive, built with names split by year above 6 articles."""
    root = copy_project(tmp_path_factory.mktemp("layout") / "p")
    extra = root.parent / "synthetic"
    make_corpus(EXAMPLES, extra, SYNTHETIC)
    for path in extra.glob("*_synth.*"):
        shutil.copy2(path, root / "seeds" / path.name)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reader, "ENTRY_PAGE_MAX", 6)
        pipeline._MEMO.clear()
        assert build(root) == 0
    pipeline._MEMO.clear()
    yield root / "site"


def _first(site: Path, pattern: str) -> str:
    found = sorted(site.glob(pattern))
    assert found, f"no page matches {pattern}"
    return found[0].parent.relative_to(site).as_posix() + "/"


def page_kinds(site: Path) -> dict[str, str]:
    """One page of every kind the issue names, found in the built site."""
    return {
        "accueil": "",
        "dossiers": "dossiers/",
        "dossier": "dossiers/otan/",
        "dossier, une année": _first(site, "dossiers/otan/*/index.html"),
        "article": REAL_ARTICLE,
        "chronologie": "chronologie/",
        "chronologie, une année": _first(site, "chronologie/*/index.html"),
        "citations": "citations/",
        "citations d'un dossier": "citations/otan/",
        **{
            f"index {kind}": f"{kind}/"
            for kind in ("personnes", "lieux", "organisations", "sources", "mots-cles", "auteurs")
        },
        "nom": "personnes/vladimir-poutine/",
        "nom, une période": _first(site, "lieux/*/*/index.html"),
        "mot-clé": _first(site, "mots-cles/*/index.html"),
        "à propos": "a-propos/",
        "404": MISSING_PATH,
    }


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_every_kind_of_page_fits_and_lays_out_its_lists(browser: Any, archive: Path, width: int) -> None:
    problems: list[str] = []
    counted = {"cards": 0, "rows": 0, "targets": 0}
    with serve(archive) as url:
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        watch = PageWatch(page, "{0.scheme}://{0.netloc}/".format(urlsplit(url)))
        for kind, path in page_kinds(archive).items():
            seen = len(watch.problems)
            page.goto(url + path)
            where = f"{kind} ({path or '/'}) at {width}px"
            # The missing page is answered with the site's 404 page and status 404: expected there.
            # A request the previous page had not finished is aborted by moving on: not the point here.
            problems += [
                f"{where}: {p}"
                for p in watch.problems[seen:]
                if not (path == MISSING_PATH and "404" in p) and "net::ERR_ABORTED" not in p
            ]
            fit = page.evaluate(OVERFLOW)
            if fit["scroll"] > fit["width"]:
                problems.append(f"{where}: scrolls sideways ({fit['scroll']} > {fit['width']})")
            problems += [f"{where}: wider than the viewport: {item}" for item in fit["found"]]
            lists = page.evaluate(LISTS, [ITEMS, ROWS])
            for key in ("bullets", "notFlex", "stacked", "notGrid"):
                problems += [f"{where}: {key}: {item}" for item in lists[key]]
            counted["cards"] += lists["counts"]["cards"]
            counted["rows"] += lists["counts"]["rows"]
            if width < 1220 and page.locator("label[for='__drawer']").first.is_visible():
                page.locator("label.md-header__button[for='__drawer']").click()
                page.wait_for_function(
                    "getComputedStyle(document.querySelector('.md-sidebar--primary')).transform === 'none'"
                )
            targets = page.evaluate(TARGETS, NAV_TARGETS)
            counted["targets"] += len(targets)
            problems += [
                f"{where}: tap target {t['w']:.0f}x{t['h']:.0f} px: {t['text']}"
                for t in targets
                if t["w"] < 24 or t["h"] < 24
            ]
        context.close()
    # Guards: the pages did hold what is checked.
    assert counted["cards"] >= 6 and counted["rows"] >= 5 and counted["targets"] > 50, counted
    assert not problems, "\n".join(problems)
