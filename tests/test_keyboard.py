"""Keyboard (issue #8): Tab through an article page, every stop with a visible focus.

The article is the one of the ``original_site`` copy whose seed has a ``url:`` (no real seed
has one), so that the link to the original exists. Pressing Tab from the top of the page must
reach the skip link first, then the search field, the links to the article's dossiers and the
link to the original, and every stop must show a focus indicator: a computed outline or
box-shadow that is not transparent, on an element that is on screen and not invisible.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.audit import ORIGINAL_URL, original_article
from tests.helpers import SETTLED, PageWatch, html_pages, parse, serve, visit

VIEWPORT = {"width": 1280, "height": 900}

# Describes document.activeElement. Material's palette toggle is a 0x0 radio input whose
# focus shows on the <label> after it: the indicator is looked for there.
ACTIVE = """() => {
  const focused = document.activeElement
  if (!focused || focused === document.body) return null
  const again = focused.dataset.kbdSeen === '1'
  focused.dataset.kbdSeen = '1'
  let shown = focused
  const box = focused.getBoundingClientRect()
  const next = focused.nextElementSibling
  if ((box.width === 0 || box.height === 0) && next && next.tagName === 'LABEL') shown = next
  const style = getComputedStyle(shown)
  const rect = shown.getBoundingClientRect()
  const transparent = c => !c || c === 'transparent' || /rgba\\(.*,\\s*0\\)$/.test(c)
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
    && !transparent(style.outlineColor)
  const shadow = style.boxShadow !== 'none' && !/^rgba\\([^)]*,\\s*0\\)\\s/.test(style.boxShadow)
  return {
    key: focused.dataset.kbd || null,
    again,
    tag: focused.tagName.toLowerCase(),
    text: (focused.getAttribute('aria-label') || focused.textContent || '').trim().slice(0, 60),
    focusVisible: focused.matches(':focus-visible'),
    indicator: outline || shadow,
    style: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor} / ${style.boxShadow}`,
    onScreen: rect.width > 0 && rect.height > 0 && rect.bottom > 0 && rect.top < innerHeight,
    opaque: style.opacity !== '0' && style.visibility !== 'hidden',
  }
}"""

# Marks the elements the test must reach (data-kbd), found in the rendered page itself.
MARK_TARGETS = """() => {
  const marked = []
  const mark = (el, kind) => {
    el.dataset.kbd = `${kind}:${marked.length}`
    marked.push({key: el.dataset.kbd, kind, text: el.textContent.trim().slice(0, 60)})
  }
  const skip = document.querySelector('a.md-skip'); if (skip) mark(skip, 'skip')
  const search = document.querySelector('input.md-search__input'); if (search) mark(search, 'search')
  for (const a of document.querySelectorAll('.press-themes a[href]')) mark(a, 'dossier')
  for (const a of document.querySelectorAll('.press-original a[href]')) mark(a, 'original')
  return marked
}"""


def tab_stops(page: Any, limit: int) -> list[dict[str, Any]]:
    """Press Tab from the top of the page until focus wraps around; describe each stop."""
    stops: list[dict[str, Any]] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = page.evaluate(ACTIVE)
        if info is None:
            continue
        if info["again"]:
            break  # focus wrapped around
        if info["key"] and info["key"].startswith("skip"):
            page.wait_for_function(SETTLED)  # Material fades the skip link in
            info = page.evaluate(ACTIVE)
        stops.append(info)
    return stops


@pytest.mark.browser
def test_tab_reaches_skip_search_dossiers_and_original_with_visible_focus(browser: Any, original_site: Path) -> None:
    path = original_article(original_site)
    dossiers = parse(original_site / path / "index.html").xpath("//p[@class='press-themes']//a")
    assert dossiers, "the article page links to no dossier"
    with serve(original_site) as url:
        context = browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        watch = PageWatch(page, "{0.scheme}://{0.netloc}/".format(urlsplit(url)))
        visit(page, watch, url, path)
        targets = page.evaluate(MARK_TARGETS)
        tabbable = page.evaluate(
            "() => [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')]"
            ".filter(e => e.tabIndex >= 0 && !e.disabled).length"
        )
        stops = tab_stops(page, tabbable + 5)
        context.close()
    kinds = [t["kind"] for t in targets]
    assert kinds.count("dossier") == len(dossiers) and kinds.count("original") == 1, targets
    assert {"skip", "search"} <= set(kinds), targets

    assert stops and stops[0]["key"] and stops[0]["key"].startswith("skip"), f"first Tab stop: {stops[:1]}"
    reached = {stop["key"] for stop in stops}
    missing = [t for t in targets if t["key"] not in reached]
    assert not missing, f"never reached with Tab: {missing}\nstops:\n" + "\n".join(map(str, stops))
    order = [stop["key"].split(":")[0] for stop in stops if stop["key"]]
    assert order.index("search") < order.index("dossier") < order.index("original"), order
    invisible = [s for s in stops if not (s["focusVisible"] and s["indicator"] and s["onScreen"] and s["opaque"])]
    assert not invisible, "Tab stops without a visible focus:\n" + "\n".join(map(str, invisible))
    assert not watch.problems, watch.problems
    print(f"keyboard: {len(stops)} Tab stops, all with a visible focus; {ORIGINAL_URL} reached")


def test_every_page_has_one_skip_link_to_a_real_target(site: Path) -> None:
    """Material's skip link needs a Markdown heading; overrides/main.html adds one otherwise."""
    pages = html_pages(site)
    for page in pages:
        tree = parse(page)
        links = tree.xpath("//a[contains(concat(' ', @class, ' '), ' md-skip ')]")
        assert len(links) == 1, f"{page}: {len(links)} skip links"
        target = links[0].get("href")
        assert target.startswith("#") and tree.xpath("//*[@id=$id]", id=target[1:]), f"{page}: {target}"
        assert tree.xpath("//body//a[@href]")[0] is links[0], f"{page}: the skip link is not the first link"
