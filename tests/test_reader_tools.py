"""Issue 22: what other tools read. Firefox's Reader View (Mozilla Readability on jsdom) and
trafilatura return the article of every article page, and only the article; a citation
manager builds the right record from the head.

The article is the page's own ``<article>`` less its ``<aside>`` blocks: the title, the
standfirst (« En bref », the dossier's summary shown under the title), the headline when a
``title`` replaces it, and every line of the text with its intertitles. Everything else on
the page (meta line, dossiers, keywords, link to the original, quotations, names, related
articles, neighbours, « Citer cet article ») is in an ``<aside>``, which both tools drop.
The standfirst counts as the article: it is the page's chapeau, under the title, saying what
the article reports, labelled « En bref » so that nobody takes it for the outlet's words; both
tools also return it as the excerpt (the page's description).

Expected values are read from the seeds with plain PyYAML (``tests.helpers.plain_seeds``),
never from the code under test. Run on the five seeds and on a 300-article synthetic corpus
(``benchmarks.synth``, the benchmark's generator).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from build_scripts import pipeline
from tests.helpers import (
    EXAMPLES,
    ROOT,
    PageWatch,
    PlainSeed,
    build,
    copy_project,
    parse,
    plain_seeds,
    tools_required,
    visible_text,
    visit,
)

SYNTHETIC = 300
MAX_RATIO = 1.25
"""A tool's text may be at most this many times the article's own text (issue 22)."""
UNKNOWN_OUTLET = "Média inconnu"
READABILITY = ROOT / "tests" / "node_modules" / "@mozilla" / "readability"
BASE_URL = "https://example.github.io/dossiers-presse/"


def _norm(text: str) -> str:
    """Whitespace collapsed (no-break spaces included), as a reader compares texts."""
    return " ".join(text.split())


@dataclass(frozen=True)
class Expected:
    """What a tool must return for one article, from its seed."""

    title: str
    date: str
    author: str | None
    outlet: str | None
    standfirst: str | None
    lines: tuple[str, ...]
    """Every published line of the text, in order (the headline first when a title replaces it)."""
    intertitles: tuple[str, ...]

    def gives_excerpt(self, excerpt: str | None) -> bool:
        """Whether a tool's excerpt is the standfirst (cut with « … » when the page's description is)."""
        if not self.standfirst:
            return True
        cut = _norm(excerpt or "").removesuffix("…")
        return bool(cut) and self.standfirst.startswith(cut)

    @property
    def own_text(self) -> str:
        """The article's own text: title, standfirst and lines."""
        standfirst = f"En bref : {self.standfirst}" if self.standfirst else ""
        return _norm(" ".join([self.title, standfirst, *self.lines]))


def expected(seed: PlainSeed) -> Expected:
    """The article a tool must find, read from the seed alone."""
    meta = seed.meta
    lines = seed.lines if seed.title != seed.lines[0] else seed.lines[1:]
    source = str(meta["source"])
    return Expected(
        title=_norm(seed.title),
        date=seed.date.isoformat(),
        author=_norm(str(meta["author"])) if meta.get("author") else None,
        outlet=None if source == "inconnue" else _norm(source),
        standfirst=_norm(str(meta["summary"])) if meta.get("summary") else None,
        lines=tuple(_norm(line) for line in lines),
        intertitles=tuple(_norm(str(line)) for line in meta.get("intertitles") or []),
    )


@dataclass(frozen=True)
class Page:
    """One built article page."""

    seed: str
    url: str
    path: Path


def pages_of(site: Path) -> list[Page]:
    """Every article page of a built site, by the seed its ``data-seed`` names."""
    found = []
    for path in sorted((site / "articles").glob("*/index.html")):
        (seed,) = parse(path).xpath("//article[@data-seed]/@data-seed")
        found.append(Page(str(seed), BASE_URL + path.parent.relative_to(site).as_posix() + "/", path))
    assert found, f"no article page under {site}"
    return found


def run_readability(pages: list[Page]) -> dict[str, Any]:
    """Reader View's view of each page (tests/readability.cjs), by URL."""
    node = shutil.which("node")
    if node is None or not READABILITY.is_dir():
        message = "node and tests/node_modules/@mozilla/readability are needed: run `npm ci` in tests/"
        if tools_required():
            pytest.fail(message)
        pytest.skip(message)
    results: dict[str, Any] = {}
    for start in range(0, len(pages), 100):  # a bounded command line
        batch = pages[start : start + 100]
        run = subprocess.run(
            [node, "tests/readability.cjs", *(f"{p.url}={p.path}" for p in batch)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=600,
            check=True,
        )
        results.update(json.loads(run.stdout))
    return results


def run_trafilatura(page: Page) -> Any:
    """trafilatura's extraction of one page, with its metadata and its XML body."""
    import trafilatura

    return trafilatura.bare_extraction(page.path.read_text(encoding="utf-8"), url=page.url, with_metadata=True)


def _in_order(lines: tuple[str, ...], text: str) -> list[str]:
    """The lines not found in ``text`` one after the other."""
    missing, at = [], 0
    for line in lines:
        found = text.find(line, at)
        if found < 0:
            missing.append(line)
        else:
            at = found + len(line)
    return missing


BLOCKS_ASIDE = "//article[@data-seed]//aside//*[self::p or self::h2 or self::figcaption or self::dd or self::li]"


def not_article(path: Path, exp: Expected) -> list[str]:
    """Texts of the page's blocks that are not the article (inside its asides), as a reader sees them."""
    root = parse(path)
    own = exp.own_text
    blocks = root.xpath(BLOCKS_ASIDE)
    texts = {visible_text(b) for b in blocks}
    # A quotation repeats words of the text: only its duplicate is unwanted, which the ratio catches.
    return sorted(t for t in texts if t and t not in own)


def check_text(tool: str, text: str, exp: Expected, extra: list[str], problems: list[str]) -> float:
    """The checks shared by both tools on the returned text; returns its ratio to the article's own."""
    text = _norm(text)
    missing = _in_order(exp.lines, text)
    if missing:
        problems.append(f"{tool}: {len(missing)} line(s) missing or out of order, first: {missing[0][:80]!r}")
    if exp.standfirst and exp.standfirst not in text:
        problems.append(f"{tool}: the standfirst is missing")
    leaked = [t for t in extra if t in text]
    if leaked:
        problems.append(f"{tool}: returns what is not the article: {leaked[0][:80]!r}")
    ratio = len(text) / len(exp.own_text)
    if ratio > MAX_RATIO:
        problems.append(f"{tool}: text is {ratio:.2f}× the article's (max {MAX_RATIO})")
    return ratio


def check_readability(result: dict[str, Any], exp: Expected, extra: list[str]) -> tuple[list[str], float]:
    """Reader View is offered and returns the article; the problems found and the text's ratio."""
    problems: list[str] = []
    if not result["readerable"]:
        problems.append("readability: Reader View is not offered (isProbablyReaderable)")
    article = result["article"]
    if article is None:
        return [*problems, "readability: no article found"], 0.0
    if _norm(article["title"]) != exp.title:
        problems.append(f"readability: title {article['title']!r}")
    if not str(article["publishedTime"] or "").startswith(exp.date):
        problems.append(f"readability: date {article['publishedTime']!r}")
    byline = exp.author or exp.outlet
    if (article["byline"] or None) != byline:
        problems.append(f"readability: byline {article['byline']!r}, expected {byline!r}")
    if not exp.gives_excerpt(article["excerpt"]):
        problems.append(f"readability: excerpt {article['excerpt']!r}, expected the standfirst")
    if article["lang"] != "fr":
        problems.append(f"readability: language {article['lang']!r}")
    # Reader View shows the title above the text: the text itself holds the standfirst and the lines.
    ratio = check_text("readability", exp.title + " " + article["textContent"], exp, extra, problems)
    content = lxml.html.fragment_fromstring(article["content"], create_parent="div")
    headings = [_norm(h.text_content()) for h in content.xpath(".//h2 | .//h3 | .//h4")]
    if headings != list(exp.intertitles):
        problems.append(f"readability: headings {headings}, expected the intertitles {list(exp.intertitles)}")
    return problems, ratio


def check_trafilatura(doc: Any, exp: Expected, extra: list[str]) -> tuple[list[str], float]:
    """trafilatura returns the article; the problems found and the text's ratio."""
    if doc is None:
        return ["trafilatura: nothing extracted"], 0.0
    problems: list[str] = []
    if _norm(doc.title or "") != exp.title:
        problems.append(f"trafilatura: title {doc.title!r}")
    if doc.date != exp.date:
        problems.append(f"trafilatura: date {doc.date!r}")
    # trafilatura's author is a person (it reads JSON-LD authors of @type Person): the outlet is not one.
    if doc.author != exp.author:
        problems.append(f"trafilatura: author {doc.author!r}, expected {exp.author!r}")
    if not exp.gives_excerpt(doc.description):
        problems.append(f"trafilatura: description {doc.description!r}, expected the standfirst")
    if doc.language not in (None, "fr"):
        problems.append(f"trafilatura: language {doc.language!r}")
    ratio = check_text("trafilatura", doc.text or "", exp, extra, problems)
    headings = [(h.get("rend"), _norm("".join(h.itertext()))) for h in doc.body.iter("head")]
    wanted = [("h1", exp.title), *(("h2", t) for t in exp.intertitles)]
    if headings != wanted:
        problems.append(f"trafilatura: headings {headings}, expected {wanted}")
    return problems, ratio


def zotero_record(page: Page) -> dict[str, Any]:
    """The record Zotero's « Embedded Metadata » import builds from the head: Highwire ``citation_*``
    tags first, then Open Graph, then the JSON-LD for what they lack (its creators are persons)."""
    root = parse(page.path)

    def metas(attr: str, name: str) -> list[Any]:
        return [str(v) for v in root.xpath(f"//head/meta[@{attr}=$n]/@content", n=name)]

    (jsonld,) = (json.loads(s) for s in root.xpath("//head/script[@type='application/ld+json']/text()"))
    creators = metas("name", "citation_author")
    if not creators:
        authors = jsonld.get("author") or []
        authors = authors if isinstance(authors, list) else [authors]
        creators = [a["name"] for a in authors if a.get("@type") == "Person"]
    publisher = jsonld.get("publisher") or {}
    return {
        "title": (metas("name", "citation_title") or metas("property", "og:title"))[0],
        "creators": creators,
        "publicationTitle": (metas("name", "citation_journal_title") or [publisher.get("name")])[0],
        "date": (metas("name", "citation_publication_date") or [jsonld.get("datePublished")])[0],
        "websiteTitle": metas("property", "og:site_name")[0],
        "url": (metas("property", "og:url") or [jsonld.get("url")])[0],
    }


def check_zotero(page: Page, exp: Expected) -> list[str]:
    """The citation record names the article, its author or outlet, its date, the site and the page."""
    record = zotero_record(page)
    want = {
        "title": exp.title,
        "creators": [exp.author] if exp.author else [],
        "publicationTitle": exp.outlet,
        "date": exp.date.replace("-", "/"),
        "websiteTitle": "Dossiers de presse – Russie, OTAN, Ukraine",
        "url": page.url,
    }
    got = {k: _norm(v) if isinstance(v, str) else v for k, v in record.items()}
    got["creators"] = [_norm(c) for c in record["creators"]]
    problems = [f"zotero: {k} {got[k]!r}, expected {v!r}" for k, v in want.items() if got[k] != v]
    if UNKNOWN_OUTLET in json.dumps(record, ensure_ascii=False):
        problems.append(f"zotero: « {UNKNOWN_OUTLET} » reaches the record")
    return problems


def audit(
    site: Path, seeds_dir: Path, marked: Path | None = None
) -> tuple[dict[str, list[str]], dict[str, tuple[float, float]]]:
    """Every check on every article page: problems by seed, and (Readability, trafilatura) ratios.

    What is not the article is read from the asides of ``marked`` (by default ``site`` itself).
    """
    seeds = plain_seeds(seeds_dir)
    pages = pages_of(site)
    assert sorted(p.seed for p in pages) == sorted(seeds), "one page per seed"
    views = run_readability(pages)
    problems: dict[str, list[str]] = {}
    ratios: dict[str, tuple[float, float]] = {}
    for page in pages:
        exp = expected(seeds[page.seed])
        extra = not_article((marked or site) / page.path.relative_to(site), exp)
        read_problems, read_ratio = check_readability(views[page.url], exp, extra)
        traf_problems, traf_ratio = check_trafilatura(run_trafilatura(page), exp, extra)
        found = read_problems + traf_problems + check_zotero(page, exp)
        if found:
            problems[page.seed] = found
        ratios[page.seed] = (read_ratio, traf_ratio)
    return problems, ratios


def test_the_seeds_articles_reach_reader_view_and_trafilatura_whole_and_alone(site: Path, seeds_dir: Path) -> None:
    """On the five seeds: every check on every page, each tool's text at most 1.25× the article."""
    problems, ratios = audit(site, seeds_dir)
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)
    seeds = plain_seeds(seeds_dir)
    assert set(ratios) == set(seeds)
    # Measured as the issue measured it too: against the lines of the text alone (title and
    # standfirst not counted), each tool's text still stays within the bound.
    for seed, pair in ratios.items():
        exp = expected(seeds[seed])
        text_only = [r * len(exp.own_text) / len(_norm(" ".join(exp.lines))) for r in pair]
        assert max(text_only) <= MAX_RATIO, (seed, text_only)


@pytest.fixture(scope="module")
def synthetic_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A project of SYNTHETIC generated articles, built; returns (site, seeds)."""
    from benchmarks.synth import make_corpus

    root = copy_project(tmp_path_factory.mktemp("tools") / "p")
    shutil.rmtree(root / "seeds")
    make_corpus(EXAMPLES, root / "seeds", SYNTHETIC)
    pipeline._MEMO.clear()
    assert build(root) == 0
    pipeline._MEMO.clear()
    return root / "site", root / "seeds"


def test_a_synthetic_corpus_reaches_reader_view_and_trafilatura_whole_and_alone(
    synthetic_site: tuple[Path, Path],
) -> None:
    """The same checks on 300 generated articles (authors, unknown outlets, standfirsts or none)."""
    site, seeds = synthetic_site
    problems, ratios = audit(site, seeds)
    assert not problems, json.dumps(dict(list(problems.items())[:5]), ensure_ascii=False, indent=1)
    assert len(ratios) == SYNTHETIC


def test_the_checks_catch_a_page_that_repeats_its_quotations(tmp_path: Path, site: Path, seeds_dir: Path) -> None:
    """The audit is not blind: with the asides turned back into plain blocks, as before issue 22,
    both tools return the quotations and the « how to cite » block, and every page fails."""
    copy = tmp_path / "site"
    shutil.copytree(site / "articles", copy / "articles")
    for path in (copy / "articles").glob("*/index.html"):
        html = path.read_text(encoding="utf-8")
        html = html.replace('<aside class="press-extra">', "<div>").replace("</aside>", "</div>")
        path.write_text(html, encoding="utf-8")
    problems, ratios = audit(copy, seeds_dir, marked=site)
    assert set(problems) == set(plain_seeds(seeds_dir)), "every page is caught"
    for tool in ("readability", "trafilatura"):
        leak = f"{tool}: returns what is not the article"
        assert all(any(p.startswith(leak) for p in found) for found in problems.values())
    assert max(r for pair in ratios.values() for r in pair) > MAX_RATIO


# Each aside wrapper, as the browser lays it out: its own box (margin, border, padding) and
# whether its first and last children's margins pass through it (they do when it has none).
_ASIDE_BOXES = """() => [...document.querySelectorAll('article[data-seed] aside.press-extra')].map(aside => {
  const style = getComputedStyle(aside)
  const sides = ['Top', 'Right', 'Bottom', 'Left']
  const box = sides.flatMap(s => [style['margin' + s], style['padding' + s], style['border' + s + 'Width']])
  const inner = aside.getBoundingClientRect()
  const first = aside.firstElementChild.getBoundingClientRect()
  const last = aside.lastElementChild.getBoundingClientRect()
  const display = style.display
  return { display, box: [...new Set(box)], top: first.top - inner.top, bottom: inner.bottom - last.bottom }
})"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 390, 1280])
def test_the_asides_draw_nothing_of_their_own(browser: Any, site_url: str, site: Path, width: int) -> None:
    """The page looks as before issue 22: each wrapper is a plain block without margin, border
    nor padding, hugging its first and last blocks (their margins collapse through it)."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    watch = PageWatch(page, site_url)
    try:
        for article in pages_of(site):
            visit(page, watch, site_url, article.url.removeprefix(BASE_URL))
            boxes = page.evaluate(_ASIDE_BOXES)
            assert len(boxes) == 2, article.url
            for box in boxes:
                assert box == {"display": "block", "box": ["0px"], "top": 0, "bottom": 0}, (article.url, box)
    finally:
        context.close()
    watch.assert_clean()
