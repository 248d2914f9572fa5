"""Every focusable control has a name (issue 12), read in Chromium's own accessibility tree.

axe-core judges the DOM; a screen reader reads the tree the browser builds from it. Here the
tree comes from the DevTools protocol (``Accessibility.getFullAXTree``), on one page of each
kind, at a desktop and a phone width. Material's navigation section toggles (« Dossiers »,
« Index ») were focusable labels holding only an icon: an empty name, and their submenus,
named after them, had none either (fixed in ``overrides/partials/nav-item.html``, by a title).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.helpers import PageWatch, visit

VIEWPORTS = ({"width": 1280, "height": 900}, {"width": 390, "height": 844})
# A page of each kind whose navigation differs: Dossiers open, Index open, neither, an article
# with a table of contents (its intertitles), a name's own page.
PAGES = (
    "",
    "dossiers/otan/",
    "personnes/",
    "personnes/vladimir-poutine/",
    "mots-cles/",
    "chronologie/",
    "citations/",
    "articles/2022-02-08-poutine-menace-l-otan-de-l-arme-nucleaire-face-a-emmanuel-macron/",
)
TOGGLES = "label.md-nav__link[for^='__nav'][tabindex='0']"


def _props(node: dict[str, Any]) -> dict[str, Any]:
    return {p["name"]: p["value"].get("value") for p in node.get("properties", [])}


def _name(node: dict[str, Any]) -> str:
    return str(node.get("name", {}).get("value", "")).strip()


def _role(node: dict[str, Any]) -> str:
    return str(node.get("role", {}).get("value", ""))


def ax_nodes(cdp: Any) -> list[dict[str, Any]]:
    """The page's accessibility tree, without the nodes Chromium leaves out of it."""
    nodes: list[dict[str, Any]] = cdp.send("Accessibility.getFullAXTree")["nodes"]
    return [n for n in nodes if not n.get("ignored")]


def ax_of(cdp: Any, selector: str) -> list[dict[str, Any]]:
    """The accessibility node of each element matching ``selector``."""
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    found = []
    for node_id in cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": selector})["nodeIds"]:
        nodes = cdp.send("Accessibility.getPartialAXTree", {"nodeId": node_id, "fetchRelatives": False})["nodes"]
        found.append(nodes[0])
    return found


def nameless(nodes: list[dict[str, Any]]) -> list[str]:
    """Focusable nodes and navigation landmarks without an accessible name."""
    bad = []
    for node in nodes:
        if _role(node) == "RootWebArea":
            continue
        if (_props(node).get("focusable") or _role(node) == "navigation") and not _name(node):
            bad.append(f"{_role(node)} (DOM node {node.get('backendDOMNodeId')})")
    return bad


@pytest.mark.browser
@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: f"{v['width']}px")
def test_every_focusable_control_and_landmark_has_a_name(browser: Any, site_url: str, viewport: dict[str, int]) -> None:
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    watch = PageWatch(page, "{0.scheme}://{0.netloc}/".format(urlsplit(site_url)))
    cdp = context.new_cdp_session(page)
    problems: dict[str, list[str]] = {}
    toggles_seen = submenus = 0
    for path in PAGES:
        visit(page, watch, site_url, path)  # waits for the favicon: leaving before it would abort it
        bad = nameless(ax_nodes(cdp))
        if bad:
            problems[path or "/"] = bad
        # The section toggles, one by one: focusable, named after their section.
        sections = page.eval_on_selector_all(
            TOGGLES, "ls => ls.map(l => l.parentElement.querySelector('a').textContent.trim())"
        )
        for section, node in zip(sections, ax_of(cdp, TOGGLES), strict=True):
            assert _props(node).get("focusable"), section
            assert _name(node) == f"Sous-menu {section}", node
            toggles_seen += 1
        # An open submenu is a navigation landmark named after its toggle.
        for label_id, section in page.eval_on_selector_all(
            f"nav.md-nav--primary .md-nav__toggle:checked ~ .md-nav__container {TOGGLES}",
            "ls => ls.map(l => [l.id, l.parentElement.querySelector('a').textContent.trim()])",
        ):
            landmarks = [n for n in ax_of(cdp, f"nav[aria-labelledby='{label_id}']") if _role(n) == "navigation"]
            assert [_name(n) for n in landmarks] == [f"Sous-menu {section}"], section
            submenus += 1
    context.close()
    assert toggles_seen >= 2 * len(PAGES), "the navigation has no section toggle: the test checks nothing"
    assert submenus >= 3, "the dossier and index pages had no open submenu: the test checks nothing"
    assert not problems, "nameless focusable controls or landmarks:\n" + "\n".join(
        f"{page}: {', '.join(items)}" for page, items in problems.items()
    )
    assert not watch.problems, watch.problems


def test_overrides_name_the_toggles(site: Path) -> None:
    """Without a browser: the built navigation names each icon-only toggle by its title."""
    from tests.helpers import parse

    tree = parse(site / "index.html")
    toggles = tree.xpath("//label[contains(@class, 'md-nav__link')][@tabindex='0'][starts-with(@for, '__nav')]")
    assert len(toggles) >= 2
    for label in toggles:
        section = label.getparent().xpath("./a")[0].text_content().strip()
        assert label.get("title") == f"Sous-menu {section}"
