"""The theme's indentation is taken out of every page, and nothing a reader sees changes (issue 21).

The site is built twice from the same seeds, with the theme's templates as
Material ships them and as ``compact`` loads them: every page must be the
same once white space is collapsed (so each run is kept: shortened, never
removed), and preformatted text, scripts, styles and the article text
(``white-space: pre-wrap``) byte for byte the same.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from build_scripts import compact
from tests.helpers import build, copy_project

WHITE = re.compile(r"[ \t\n\r\f]+")
KEPT = re.compile(r"<(pre|textarea|script|style)\b.*?</\1\s*>|<div class=\"press-text\">.*?</div>", re.S | re.I)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<ul>\n    <li>\n      a\n\n    </li>\n  </ul>", "<ul>\n<li>\na\n</li>\n</ul>"),
        ("<p>a  b</p> \t<p>c</p>", "<p>a  b</p> \t<p>c</p>"),  # no line break: left alone
        ("<span>a</span>\n   \u00a0<span>b</span>", "<span>a</span>\n\u00a0<span>b</span>"),  # a no-break space is text
        ("<pre>\n  x\n\n  y\n</pre>\n  <b>", "<pre>\n  x\n\n  y\n</pre>\n<b>"),
        ("<script>\n  var s = `a\n   b`;\n</script>", "<script>\n  var s = `a\n   b`;\n</script>"),
        (
            "<textarea>\n  t\n</textarea>  \n  <STYLE>\n  p {}\n</STYLE>",
            "<textarea>\n  t\n</textarea>\n<STYLE>\n  p {}\n</STYLE>",
        ),
        ("{% if a %}\n    <a>\n  {% endif %}", "{% if a %}\n<a>\n{% endif %}"),
    ],
)
def test_a_template_loses_only_the_white_space_around_its_line_breaks(source: str, expected: str) -> None:
    assert compact.template(source) == expected


def test_the_compacted_site_reads_as_the_theme_made_it(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same files; each page the same up to white-space runs; kept parts identical; fewer bytes."""
    root = copy_project(tmp_path / "p")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # as the session's ``site``
    monkeypatch.setattr(compact, "theme", lambda env: None)
    assert build(root) == 0
    plain = root / "site"
    files = sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(plain) for p in plain.rglob("*") if p.is_file())
    pages = [f for f in files if f.suffix in (".html", ".xml")]
    sizes = {"plain": 0, "compact": 0}
    kept = 0
    for page in pages:
        ours, theirs = (site / page).read_text(encoding="utf-8"), (plain / page).read_text(encoding="utf-8")
        assert WHITE.sub(" ", ours) == WHITE.sub(" ", theirs), page
        assert [m.group() for m in KEPT.finditer(ours)] == [m.group() for m in KEPT.finditer(theirs)], page
        kept += len(KEPT.findall(ours))
        sizes["plain"] += len(theirs.encode())
        sizes["compact"] += len(ours.encode())
    # Each page keeps at least its scripts, and each article page its text.
    assert kept > len(pages)
    print(f"HTML and XML: {sizes['plain']} -> {sizes['compact']} bytes")
    assert sizes["compact"] < 0.95 * sizes["plain"]
