"""Links (issue #8): LinkChecker crawls the site served under its sub-path.

Only the local server is "intern" (fetched and followed). Every other URL (the originals, the
canonical site_url, the theme's credit link) is only syntax-checked, so nothing leaves the
machine. Anchors are checked by LinkChecker's AnchorCheck plugin, which reports a missing one
as a *warning*: warnings are read, not silenced. A negative control plants a missing page, a
missing anchor on another page and on the same page, and a root-absolute link that escapes
the sub-path, and requires the same configuration to report each of them.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from tests.audit import MISSING_PATH, ORIGINAL_URL, linkchecker_command
from tests.helpers import html_pages, serve


def crawl(start_urls: list[str], workdir: Path) -> list[dict[str, str]]:
    """LinkChecker's CSV rows for a crawl from ``start_urls`` (one row per link checked)."""
    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(start_urls[0]))
    workdir.mkdir(parents=True, exist_ok=True)
    config = workdir / "linkcheckerrc"
    config.write_text(
        "[filtering]\n"
        # The whole local server is intern: a link escaping the sub-path is fetched, and 404s.
        f"internlinks=^{re.escape(origin)}\n"
        "checkextern=0\n"
        "[checking]\n"
        "threads=4\n"
        "timeout=10\n"
        # No politeness delay: needs this and the "LinkChecker" header of tests.helpers.serve.
        "maxrequestspersecond=1000\n"
        "[AnchorCheck]\n",
        encoding="utf-8",
    )
    # LinkChecker keeps cookies and history under HOME: keep them out of the real one.
    env = dict(os.environ, HOME=str(workdir), XDG_CONFIG_HOME=str(workdir), XDG_DATA_HOME=str(workdir))
    command = [*linkchecker_command(), "-f", str(config), "--no-status", "-v", "-o", "csv", *start_urls]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300, check=False)
    assert done.returncode in (0, 1), f"linkchecker crashed ({done.returncode}):\n{done.stderr[-3000:]}"
    # Drop LinkChecker's "# ..." comment lines, not the rows whose URL is "#anchor".
    lines = [line for line in done.stdout.splitlines(keepends=True) if not line.startswith("# ")]
    rows = list(csv.DictReader(io.StringIO("".join(lines)), delimiter=";"))
    assert rows, f"no linkchecker output:\n{done.stdout}\n{done.stderr}"
    return rows


def is_problem(row: dict[str, str]) -> bool:
    """A broken link (invalid) or a missing anchor (a warning)."""
    return row["valid"] != "True" or "anchor" in (row["warningstring"] or "").lower()


def problems(rows: list[dict[str, str]]) -> list[str]:
    """Broken links and missing anchors, one line each."""
    return [
        f"{row['urlname']} (on {row['parentname'] or '-'}, line {row['line']}): {row['result']} {row['warningstring']}"
        for row in rows
        if is_problem(row)
    ]


def page_url(site: Path, base: str, page: Path) -> str:
    """The URL at which ``page`` is served."""
    relative = page.relative_to(site).as_posix()
    return base + (relative[: -len("index.html")] if relative.endswith("index.html") else relative)


def test_no_broken_internal_link_or_anchor(site: Path, site_url: str, tmp_path: Path) -> None:
    # 404.html is linked from nowhere: start there too, and at a missing URL, which gets it.
    rows = crawl([site_url, site_url + "404.html", site_url + MISSING_PATH], tmp_path)
    broken = [p for p in problems(rows) if MISSING_PATH not in p.split(" ", 1)[0]]
    assert not broken, "broken links or anchors:\n" + "\n".join(broken)

    fetched = {row["url"].split("#")[0] for row in rows if row["result"].startswith("200")}
    unreached = sorted(set(page_url(site, site_url, page) for page in html_pages(site)) - fetched)
    assert not unreached, f"pages the crawl never reached: {unreached}"
    checked_anchors = sum("#" in row["urlname"] for row in rows)
    print(f"linkchecker: {len(rows)} links, {len(fetched)} local URLs fetched, {checked_anchors} with an anchor")
    assert checked_anchors > 0


def test_external_urls_are_never_fetched(original_site: Path, tmp_path: Path) -> None:
    """On the copy whose article links to its original: that link is seen, and only syntax-checked."""
    with serve(original_site) as url:
        rows = crawl([url], tmp_path)
        origin = "{0.scheme}://{0.netloc}/".format(urlsplit(url))
    assert not problems(rows), problems(rows)
    external = [row for row in rows if row["url"].startswith("http") and not row["url"].startswith(origin)]
    assert ORIGINAL_URL in {row["url"] for row in external}, "the link to the original was not seen"
    fetched = [row["url"] for row in external if row["result"] != "filtered"]
    assert not fetched, f"external URLs were fetched: {fetched}"


def test_linkchecker_reports_planted_breakage(site: Path, tmp_path: Path) -> None:
    """Negative control on a copy of the site, with the same configuration."""
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    article = sorted((copy / "articles").glob("*/index.html"))[0].parent.relative_to(copy).as_posix()
    planted = {
        "page": "n-existe-pas/",
        "anchor": f"{article}/#ancre-absente",
        "same-page anchor": "#ancre-locale-absente",
        "escape": f"/{article}/",  # root-absolute: leaves the sub-path
    }
    links = "".join(f'<p><a href="{href}">{kind}</a></p>' for kind, href in planted.items())
    (copy / "controle.html").write_text(
        f'<!doctype html><html lang="fr"><title>contrôle</title><body>{links}</body></html>', encoding="utf-8"
    )
    index = copy / "index.html"
    index.write_text(
        index.read_text(encoding="utf-8").replace("</body>", '<a href="controle.html">contrôle</a></body>'),
        encoding="utf-8",
    )
    with serve(copy) as url:
        rows = crawl([url], tmp_path / "work")
    # Each planted link by the whole URL it resolves to (the escape is the only one outside the sub-path).
    reported = {row["url"] for row in rows if is_problem(row) and row["parentname"] == url + "controle.html"}
    for kind, href in planted.items():
        absolute = urljoin(url + "controle.html", href)
        assert absolute in reported, f"{kind} {absolute!r} not reported:\n" + "\n".join(problems(rows))
    assert len(reported) == len(planted), reported
