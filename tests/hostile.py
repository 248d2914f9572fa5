"""Hostile input for the robustness tests (issue 6): a hand-written corpus, seed
writers, and the checks that prove a built page shows seed text as text only.

Expected values are computed from the seeds the test wrote, with the same
rules the pipeline documents: surrounding whitespace is dropped, list items are
de-duplicated, and only ASCII whitespace may be collapsed in the page.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import lxml.html
import yaml

from build_scripts import search_index

SITE_NAME = "Dossiers de presse – Russie, OTAN, Ukraine"
THEME_ID = "hostile"

# One line each: Markdown, pymdownx, Jinja/macros, raw HTML, entities, URL
# schemes, Python-Markdown internals, and the Unicode that trips renderers.
HOSTILE_LINES: tuple[str, ...] = (
    "</script><script>alert(1)</script>",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    "[x](javascript:alert(1))",
    "[x]( JaVaScRiPt:alert(1) )",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "[x](vbscript:msgbox(1))",
    "![i](javascript:alert(1))",
    "<javascript:alert(1)>",
    "<https://example.org>",
    "{{ config }}",
    "{{ page.meta }} {% include 'base.html' %}",
    "{% raw %}",
    "{% endraw %}",
    "{# comment #}",
    '--8<-- "/etc/passwd"',
    "!!! danger",
    '!!! note "Titre"',
    "??? info",
    "*[HTML]: Hyper Text",
    "++ctrl+alt+del++",
    ":smile: :fontawesome-brands-github:",
    "==mark==",
    "^^sup^^ ^sub^",
    "~~del~~ ~sub~",
    "[^1]",
    "[^1]: Note de bas de page",
    "Term",
    ": definition",
    "{: .class onclick=alert(1) }",
    "# Titre {#id .cls}",
    "===",
    "---",
    "***",
    "    indented code",
    "```python",
    "~~~",
    "| a | b |",
    "|---|---|",
    "> citation",
    "- liste",
    "1. liste",
    "*emphase* **fort** _x_ __y__ `code`",
    "&amp; &lt;script&gt; &#x3C;b&#x3E; &nbsp; &copy &",
    "<!-- commentaire -->",
    "<!--",
    "-->",
    "<![CDATA[ x ]]>",
    "</textarea></title></style></noscript>",
    "wzxhzdk:0 wzxhzdk:1",
    "klzzwxh:0000",
    "\\ \\\\ \\* \\<b\\> fin\\",
    "espaces en fin   ",
    "tab\tau\tmilieu",
    "insécable\u00a0: «\u00a0fine\u202finsécable\u00a0»",
    "accents combinés : e\u0301 a\u0300 n\u0303",
    "bidi \u202eesrever\u202c \u2067rtl\u2069 \u200fעברית\u200e العربية",
    "zéro\u200blargeur\u200c\u200d\u2060\ufeff",
    "emoji 👩\u200d👩\u200d👧\u200d👦 🏳\ufe0f\u200d🌈 👍🏽",
    "séparateur\u2028de ligne\u2029paragraphe",
    "'\"`<>&",
    "\u00bfdata:text/html,<b>x</b>",
    "x" * 20000,
    ("long " * 5000).strip(),
)


@dataclass
class ArticleSeed:
    """One article to write into a seeds directory."""

    stem: str
    lines: list[str]
    meta: dict[str, Any] = field(default_factory=dict)


def dump_yaml(data: Any) -> str:
    """YAML that reads back to exactly ``data``: every string double-quoted, so that
    escapes carry tabs, U+2028 and leading BOMs, and nothing is re-typed."""
    text: str = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_style='"', width=10**9)
    return text


def write_seeds(
    dest: Path,
    articles: Iterable[ArticleSeed],
    theme_title: str = "Dossier hostile",
    description: str = "Des textes hostiles.\n",
) -> Path:
    """Replace ``dest`` with a seeds directory holding one theme (its Markdown ``description``) and ``articles``."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    themes = [{"id": THEME_ID, "title": theme_title, "description": description}]
    (dest / "themes.yml").write_text(dump_yaml(themes), encoding="utf-8")
    for article in articles:
        # A leading BOM is the file's, not the text's (load.decode strips one): writing
        # one keeps a headline that itself starts with U+FEFF intact.
        (dest / f"{article.stem}.txt").write_text("\ufeff" + "\n".join(article.lines) + "\n", encoding="utf-8")
        (dest / f"{article.stem}.yml").write_text(dump_yaml(article.meta), encoding="utf-8")
    return dest


_ASCII_SPACES = re.compile(r"[ \t\n\r\f]+")


def expected(value: str) -> str:
    """What a reader must see for a seed value: surrounding whitespace dropped (as
    validation does), runs of ASCII whitespace collapsed (HTML does it)."""
    return _ASCII_SPACES.sub(" ", value.strip())


def seen(element: lxml.html.HtmlElement | str) -> str:
    """Visible text of an element (or a string), with ASCII whitespace collapsed.

    Unlike ``helpers.visible_text`` this keeps NBSP, U+2028 and the like, which
    a reader does see (or which change how the text is laid out)."""
    text = element if isinstance(element, str) else element.text_content()
    return _ASCII_SPACES.sub(" ", text).strip(" ")


def unique(values: Iterable[str]) -> list[str]:
    """List items as validation keeps them: stripped, first occurrence only."""
    return list(dict.fromkeys(v.strip() for v in values))


@dataclass(frozen=True)
class Expected:
    """What the article page must show, computed from the seeds."""

    slug: str
    title: str
    lead: str | None
    paragraphs: list[str]
    meta: dict[str, Any]


def expect(article: ArticleSeed) -> Expected:
    """Expected page content of one article (``meta`` must hold a ``slug``)."""
    lines = [line.strip() for line in article.lines if line.strip()]
    title = str(article.meta.get("title", lines[0])).strip()
    lead = lines[0] if title != lines[0] else None
    return Expected(str(article.meta["slug"]), title, lead, lines[1:], article.meta)


def page_of(site: Path, slug: str) -> Path:
    """Built HTML page of an article."""
    return site / "articles" / slug / "index.html"


def by_class(root: lxml.html.HtmlElement, cls: str, tag: str = "*") -> list[lxml.html.HtmlElement]:
    """Descendants of ``root`` with class ``cls`` (no cssselect dependency)."""
    found: list[lxml.html.HtmlElement] = root.xpath(
        f".//{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')]"
    )
    return found


def _texts(root: lxml.html.HtmlElement, cls: str, tag: str = "*") -> list[str]:
    return [seen(e) for e in by_class(root, cls, tag)]


def check_article_page(site: Path, exp: Expected) -> None:
    """Every seed value of one article is shown, to the letter, where it belongs."""
    raw = page_of(site, exp.slug).read_text(encoding="utf-8")
    root = lxml.html.fromstring(raw)
    meta = exp.meta
    article = by_class(root, "press-article", "article")[0]
    assert seen(article.xpath(".//h1[@id='titre']")[0]) == expected(exp.title)
    assert seen(root.find(".//title")) == f"{expected(exp.title)} - {SITE_NAME}"
    topic = root.xpath(".//*[@data-md-component='header-topic']")
    assert [seen(t) for t in topic] == [expected(exp.title)]
    assert _texts(article, "press-lead", "p") == ([expected(exp.lead)] if exp.lead else [])
    body = [e for e in by_class(article, "press-text")[0] if "press-lead" not in (e.get("class") or "")]
    assert [seen(e) for e in body] == [expected(p) for p in exp.paragraphs]
    assert [e.get("id") for e in body] == [f"p-{i}" for i in range(1, len(exp.paragraphs) + 1)]
    # An intertitle is a heading, its text to the letter, and the table of contents links it.
    intertitles = unique(meta.get("intertitles", []))
    assert [e.tag for e in body] == ["h2" if p.strip() in intertitles else "p" for p in exp.paragraphs]
    headings = [(e.get("id"), seen(e)) for e in body if e.tag == "h2"]
    for toc in root.xpath("//nav[contains(@class, 'md-nav--secondary')]"):
        assert [(a.get("href"), seen(a)) for a in toc.xpath(".//a")] == [(f"#{i}", t) for i, t in headings]
    assert _texts(article, "press-source")[:1] == [expected(meta["source"])]
    assert _texts(article, "press-author") == ([expected(meta["author"])] if "author" in meta else [])
    assert _texts(article, "press-tag") == [expected(t) for t in unique(meta.get("tags", []))]
    entities = [unique(meta[k]) for k in ("people", "places", "organisations") if meta.get(k)]
    assert [[seen(s) for s in dd.findall("a")] for dd in article.xpath(".//dl/dd")] == [
        [expected(v) for v in values] for values in entities
    ]
    summary = meta.get("summary")
    assert _texts(article, "press-summary") == ([f"En bref : {expected(summary)}"] if summary else [])
    originals = [a for p in by_class(article, "press-original") for a in p.findall("a")]
    if "url" in meta:
        assert [a.get("href") for a in originals] == [meta["url"].strip()]
        assert set(originals[0].get("rel", "").split()) == {"noopener", "noreferrer"}
    else:
        assert originals == []
    citation = {
        m.get("name"): seen(m.get("content")) for m in root.xpath("//head/meta[starts-with(@name, 'citation_')]")
    }
    assert citation["citation_title"] == seen(exp.title.strip())
    assert citation.get("citation_author") == (seen(meta["author"].strip()) if "author" in meta else None)
    assert citation["citation_journal_title"] == seen(meta["source"].strip())
    check_jsonld(raw, exp)


_LD_RE = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def check_jsonld(raw_html: str, exp: Expected) -> None:
    """The JSON-LD is one inert script whose values are the seed values."""
    blocks = _LD_RE.findall(raw_html)
    assert len(blocks) == 1, blocks
    text = blocks[0]
    for needle in ("<", ">", "\u2028", "\u2029"):  # so no "</script" and no "<!--"
        assert needle not in text
    data = json.loads(text)
    meta = exp.meta
    assert data["headline"] == exp.title
    assert data["publisher"]["name"] == meta["source"].strip()
    assert data["author"]["name"] == (meta.get("author") or meta["source"]).strip()
    if "url" in meta:
        assert data["isBasedOn"] == meta["url"].strip()
    summary = meta.get("summary")
    if summary:
        want = " ".join(_ASCII_SPACES.split(summary.strip()))
        if len(want) <= 300:
            assert data["description"] == want
        else:
            assert data["description"].endswith("…")
            assert want.startswith(data["description"][:-1])


def pagefind_fragments(site: Path) -> dict[str, dict[str, Any]]:
    """Pagefind's per-page records (gzip, ``pagefind_dcd`` + JSON), keyed by page URL."""
    records: dict[str, dict[str, Any]] = {}
    for path in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd"), path
        record = json.loads(data[len(b"pagefind_dcd") :])
        records[record["url"]] = record
    return records


def check_search_index(site: Path, exps: list[Expected]) -> None:
    """The search index holds each article's title and dossier exactly (as text: the search
    script inserts them with textContent), with only the indexing apostrophe changed."""
    records = pagefind_fragments(site)
    for exp in exps:
        words = _WORD.search(" ".join([exp.title, *exp.paragraphs, exp.lead or ""]))
        if f"/articles/{exp.slug}/" not in records and not words:
            continue  # Pagefind leaves out a page with no word at all: nothing to find there
        record = records[f"/articles/{exp.slug}/"]
        title = record["meta"]["title"].replace(search_index.INDEX_APOSTROPHE, "’")
        assert _index_form(title) == _index_form(expected(exp.title).replace(search_index.INDEX_APOSTROPHE, "’"))


# Pagefind normalises whitespace of every kind and drops zero-width characters in
# what it stores. The page itself is held to the letter by check_article_page; here
# the point is that the index carries the same text and nothing else.
_WORD = re.compile(r"[^\W_]")
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def _index_form(text: str) -> str:
    return " ".join(text.translate(_ZERO_WIDTH).split())


def check_listings(site: Path, exps: list[Expected], theme_title: str) -> None:
    """Dossier page: its title, and one link per article whose text is the article title."""
    root = lxml.html.fromstring((site / "dossiers" / THEME_ID / "index.html").read_bytes())
    assert seen(root.xpath(".//h1[@id='titre']")[0]) == expected(theme_title)
    links = [a for ol in by_class(root, "press-list") for a in ol.xpath(".//a")]
    years = [a.get("href") for ul in by_class(root, "press-years") for a in ul.xpath(".//a")]
    if years:
        # A large dossier lists its latest articles and links one page per year (issue 7).
        latest = [seen(a) for a in links]
        dossier = site / "dossiers" / THEME_ID
        links = []
        for href in years:
            page = lxml.html.fromstring((dossier / href / "index.html").resolve().read_bytes())
            links += [a for ol in by_class(page, "press-list") for a in ol.xpath(".//a")]
        assert set(latest) <= {seen(a) for a in links}
    assert sorted(seen(a) for a in links) == sorted(expected(e.title) for e in exps)


_DANGEROUS_SCHEME = re.compile(r"^(javascript|data|vbscript):", re.IGNORECASE)
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background", "srcset"}


def markup_signature(site: Path) -> set[tuple[str, str]]:
    """Every (tag, attribute) pair used in the site's HTML pages; ``(tag, "")`` for the tag."""
    pairs: set[tuple[str, str]] = set()
    for page in sorted(site.rglob("*.html")):
        for element in lxml.html.fromstring(page.read_bytes()).iter():
            if not isinstance(element.tag, str):
                continue
            pairs.add((element.tag, ""))
            pairs.update((element.tag, name) for name in element.attrib)
    return pairs


def check_no_markup(site: Path, allowed: set[tuple[str, str]]) -> None:
    """No element, attribute or URL scheme that a benign build does not have."""
    extra = markup_signature(site) - allowed
    assert not extra, f"markup that seed text produced: {sorted(extra)}"
    for page in sorted(site.rglob("*.html")):
        root = lxml.html.fromstring(page.read_bytes())
        # libxml2 gives up on a page whose structure seed text broke: the
        # footer is then missing from the tree.
        assert root.xpath("//footer"), f"{page}: the HTML parser did not reach the footer"
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue
            for name, value in element.attrib.items():
                assert not name.lower().startswith("on"), (page, name, value)
                if name.lower() in _URL_ATTRIBUTES:
                    # Browsers ignore ASCII whitespace and controls inside a scheme.
                    squeezed = re.sub(r"[\x00-\x20]", "", value)
                    assert not _DANGEROUS_SCHEME.match(squeezed), (page, name, value)


def script_counts(site: Path) -> dict[str, int]:
    """Number of <script> elements on each page, keyed by the page's kind of path."""
    counts: dict[str, int] = {}
    for page in sorted(site.rglob("*.html")):
        kind = page.relative_to(site).parts[0]
        n = len(lxml.html.fromstring(page.read_bytes()).findall(".//script"))
        counts[kind] = max(counts.get(kind, 0), n)
    return counts
