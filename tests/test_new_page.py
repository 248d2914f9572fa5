"""``new page.html`` and ``new https://…`` (issue 19): a page's text and metadata, fetched safely, names found.

Every page here is one of ``tests/pages/``, written by hand in the shape of a
real outlet's page; addresses are served by a local HTTP server, fetched with
``--allow-private-addresses`` (the only way to read 127.0.0.1).
"""

from __future__ import annotations

import gzip
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from build_scripts.yamlsafe import parse_yaml
from tests.helpers import ROOT, copy_project, run_command

PAGES = ROOT / "tests" / "pages"


class _PageHandler(http.server.BaseHTTPRequestHandler):
    """The fixture pages, plus the misbehaving answers the fetcher must refuse."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        if path.startswith("/redirect/"):
            # /redirect/N/page.html: N more hops, then the page.
            _, _, hops, rest = path.split("/", 3)
            target = f"/redirect/{int(hops) - 1}/{rest}" if int(hops) > 1 else f"/pages/{rest}"
            self._send(302, b"", Location=target)
        elif path == "/to-private":
            self._send(302, b"", Location="http://10.0.0.1/secret")
        elif path == "/to-file":
            self._send(302, b"", Location="file:///etc/passwd")
        elif path == "/pdf":
            self._send(200, b"%PDF-1.4 binary", "application/pdf")
        elif path == "/gzip/wordpress.html":
            self._send(200, gzip.compress((PAGES / "wordpress.html").read_bytes()), Content_Encoding="gzip")
        elif path.startswith("/pages/") and (PAGES / path.removeprefix("/pages/")).is_file():
            self._send(200, (PAGES / path.removeprefix("/pages/")).read_bytes())
        else:
            self._send(404, b"<html><body><p>Introuvable</p></body></html>")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """``http://127.0.0.1:<port>``, serving the fixture pages."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _PageHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _meta(yml: Path) -> dict[str, object]:
    doc, problems = parse_yaml(yml.read_text(encoding="utf-8"), yml.name)
    assert doc is not None and not problems
    value: dict[str, object] = doc.value
    return value


def test_new_fetches_an_address_and_writes_the_seed_pair(tmp_path: Path, server: str) -> None:
    """A WordPress article by its address: the text alone, the metadata with where each was read."""
    root = copy_project(tmp_path / "p")
    run = run_command(root, "new", f"{server}/pages/wordpress.html", "--allow-private-addresses")
    assert run.returncode == 0, run.stderr
    txt, yml = (root / line for line in run.stdout.splitlines())
    assert (txt.suffix, yml.suffix) == (".txt", ".yml") and txt.stem == yml.stem
    meta = _meta(yml)
    assert meta["title"] == "Sanctions : l’Union européenne prolonge ses mesures contre Moscou"
    assert meta["date"] == "2022-07-21"
    assert meta["author"] == "Claire Dumont"
    assert meta["source"] == "Le Courrier des Balkans"
    assert meta["url"] == "https://www.courrierbalkans.example/sanctions-ue-moscou/"
    text = txt.read_text(encoding="utf-8")
    assert "«\u00a0hostile\u00a0»" in text
    for clutter in ("Accueil", "cookies", "Partager", "À lire aussi", "commentaire", "newsletter", "©"):
        assert clutter not in text
    assert "Josep Borrell" in meta["people"]  # type: ignore[operator]


def test_new_refuses_a_private_address_without_the_test_option(tmp_path: Path, server: str) -> None:
    root = copy_project(tmp_path / "p")
    before = sorted(p.name for p in (root / "seeds").iterdir())
    run = run_command(root, "new", f"{server}/pages/wordpress.html")
    assert run.returncode != 0 and run.stdout == ""
    assert run.stderr.startswith("erreur : ") and "127.0.0.1" in run.stderr and "refusée" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
    assert sorted(p.name for p in (root / "seeds").iterdir()) == before
