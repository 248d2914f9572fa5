"""Accessibility (issue #8): axe-core in Debian's Chromium, light and dark palettes.

axe-core (npm, tests/package.json) is injected by Playwright into each page of the built site
served under its sub-path. No ``serious`` or ``critical`` violation may remain on one page of
each kind (home, dossier, article, chronology and one of its years, quotations, an entity
index, sources, keywords, a name's, a keyword's and an author's own page, the about page,
the 404 page as a missing URL gets it), nor in the search dialog, open and
showing results. The fixes are in docs/assets/a11y.css and overrides/assets/javascripts/press-search.js
(the search dialog).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.audit import BLOCKING, MISSING_PATH, describe, original_article, run_axe
from tests.helpers import SEARCH_READY, SETTLED, SUB_PATH, PageWatch, parse, serve, type_search, visit

SCHEMES = ("light", "dark")
VIEWPORT = {"width": 1280, "height": 900}
# The palette Material must show for the emulated colour scheme: its data-md-color-media inputs.
EXPECTED_SCHEME = """() => {
  for (const input of document.querySelectorAll('input.md-option[data-md-color-media]')) {
    if (matchMedia(input.dataset.mdColorMedia).matches) return input.dataset.mdColorScheme
  }
  return null
}"""


def first_dir(site: Path, section: str) -> str:
    """Path (``section/x/``) of the first page below ``section/``, in name order."""
    pages = sorted(p for p in (site / section).glob("*/index.html"))
    assert pages, f"no page under {section}/"
    return pages[0].parent.relative_to(site).as_posix() + "/"


def audited_paths(site: Path) -> dict[str, str]:
    """One page of each kind the issue names, found in the built site."""
    return {
        "accueil": "",
        "dossier": first_dir(site, "dossiers"),
        "article": first_dir(site, "articles"),
        "chronologie": "chronologie/",
        "année": first_dir(site, "chronologie"),
        "citations": "citations/",
        "personnes": "personnes/",
        "sources": "sources/",
        "mots-clés": "mots-cles/",
        "nom": first_dir(site, "personnes"),
        "mot-clé": first_dir(site, "mots-cles"),
        "auteur": first_dir(site, "auteurs"),
        "à propos": "a-propos/",
        "404": MISSING_PATH,
    }


def search_word(site: Path) -> str:
    """A word of the first article's headline: the search certainly finds it."""
    headline = str(parse(site / first_dir(site, "articles") / "index.html").xpath("string(//h1)"))
    words: list[str] = re.findall(r"\w+", headline)
    return max(words, key=len)


@pytest.fixture(scope="module", params=SCHEMES)
def palette_context(request: pytest.FixtureRequest, browser: Any) -> Iterator[tuple[str, Any]]:
    """A browser context that prefers the light or the dark colour scheme."""
    context = browser.new_context(color_scheme=request.param, viewport=VIEWPORT)
    yield request.param, context
    context.close()


def audit(context: Any, url: str, scheme: str, blocking: list[str], minor: list[str]) -> tuple[Any, PageWatch]:
    """Load ``url``, check the palette, run axe; return the page (still open) and its watch."""
    page = context.new_page()
    watch = PageWatch(page, "{0.scheme}://{0.netloc}/".format(urlsplit(url)))
    base, path = url.split(f"/{SUB_PATH}/", 1)
    visit(page, watch, f"{base}/{SUB_PATH}/", path)
    page.wait_for_function(SETTLED)
    expected = page.evaluate(EXPECTED_SCHEME)
    shown = page.evaluate("() => document.body.dataset.mdColorScheme")
    assert expected and shown == expected, f"{url}: palette {shown!r} shown, {expected!r} expected for {scheme}"
    for violation in run_axe(page):
        (blocking if violation["impact"] in BLOCKING else minor).append(describe(f"{url} [{shown}]", violation))
    # The 404 page is audited as a missing URL gets it: its own 404 status is the one console error.
    problems = [p for p in watch.problems if not (url.endswith(MISSING_PATH) and "status of 404" in p)]
    assert not problems, problems
    watch.problems.clear()
    return page, watch


@pytest.mark.browser
def test_no_serious_violation_on_each_kind_of_page(palette_context: tuple[str, Any], site: Path, site_url: str) -> None:
    scheme, context = palette_context
    blocking: list[str] = []
    minor: list[str] = []
    for path in audited_paths(site).values():
        page, watch = audit(context, site_url + path, scheme, blocking, minor)
        page.close()
        watch.assert_clean()
    print("\n".join(["non-blocking axe findings:", *minor]) if minor else "axe: no finding at all")
    assert not blocking, "axe serious/critical violations:\n" + "\n".join(blocking)


@pytest.mark.browser
def test_no_serious_violation_in_the_search_dialog(palette_context: tuple[str, Any], site: Path, site_url: str) -> None:
    scheme, context = palette_context
    blocking: list[str] = []
    minor: list[str] = []
    page, watch = audit(context, site_url, scheme, blocking, minor)
    page.keyboard.press("/")
    page.wait_for_function(SEARCH_READY, timeout=15_000)
    page.wait_for_function(SETTLED)  # Material's opening transition
    for violation in run_axe(page):
        (blocking if violation["impact"] in BLOCKING else minor).append(describe("search open", violation))
    word = search_word(site)
    type_search(page, word)
    assert page.locator(".md-search-result__item mark").count() > 0
    for violation in run_axe(page):
        (blocking if violation["impact"] in BLOCKING else minor).append(describe(f"results for {word}", violation))
    watch.wait_idle(page)
    page.close()
    watch.assert_clean()
    print("\n".join(["non-blocking axe findings:", *minor]) if minor else "axe: no finding at all")
    assert not blocking, "axe serious/critical violations:\n" + "\n".join(blocking)


@pytest.mark.browser
def test_article_with_a_link_to_the_original(palette_context: tuple[str, Any], original_site: Path) -> None:
    """The "Lire l'article original" link exists only when a seed has a url (a copy here)."""
    scheme, context = palette_context
    blocking: list[str] = []
    minor: list[str] = []
    with serve(original_site) as url:
        page, watch = audit(context, url + original_article(original_site), scheme, blocking, minor)
        page.close()
    watch.assert_clean()
    assert not blocking, "axe serious/critical violations:\n" + "\n".join(blocking)


@pytest.mark.browser
def test_dark_run_really_shows_the_dark_palette(browser: Any, site_url: str) -> None:
    """Guards the two runs above: each scheme shows its own palette (slate when dark)."""
    shown = {}
    for scheme in SCHEMES:
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        watch = PageWatch(page, site_url)
        visit(page, watch, site_url, "")
        shown[scheme] = page.evaluate("() => document.body.dataset.mdColorScheme")
        context.close()
        watch.assert_clean()
    assert shown == {"light": "default", "dark": "slate"}


@pytest.mark.browser
def test_axe_catches_a_violation(browser: Any, site_url: str) -> None:
    """Negative control: the same injection reports a serious violation that is planted."""
    context = browser.new_context()
    page = context.new_page()
    watch = PageWatch(page, site_url)
    visit(page, watch, site_url, "")
    page.evaluate("() => { const img = document.createElement('img'); img.src = 'data:,'; document.body.prepend(img) }")
    found = {v["id"] for v in run_axe(page) if v["impact"] in BLOCKING}
    context.close()
    assert "image-alt" in found
    watch.assert_clean()
