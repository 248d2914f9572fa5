"""Issue 6, text fidelity: whatever an article holds, the built page shows exactly
that text (only whitespace may be normalised) and nothing of it becomes markup.

Proved on the HTML that MkDocs renders, with a hand-written hostile corpus and
with Hypothesis. One MkDocs build takes about a second, so each Hypothesis
example is one build of several generated articles, and examples are few.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from build_scripts import pipeline, publish
from build_scripts.render.templates import PageOut
from tests.helpers import (
    SEARCH_READY,
    PageWatch,
    build,
    copy_project,
    html_pages,
    refused,
    serve,
    type_search,
    visit,
)
from tests.hostile import (
    HOSTILE_LINES,
    THEME_ID,
    ArticleSeed,
    check_article_page,
    check_listings,
    check_no_markup,
    check_search_index,
    expect,
    markup_signature,
    script_counts,
    write_seeds,
)

HOSTILE_THEME_TITLE = "</title><script>alert(1)</script> {{ config }} <!-- &amp;"
# A dossier's introduction is Markdown (README, "Reader pages"): rendered, but raw HTML shows as
# text and a link may only lead to http(s) or a relative address.
BENIGN_DESCRIPTION = "Une **introduction** avec [un lien](https://example.org/a) et [un autre](../../).\n"
HOSTILE_DESCRIPTION = (
    "Une **introduction** avec [un lien](https://example.org/a), [un piège](javascript:alert(1)),"
    " [un autre](JaVaScRiPt:alert(2)) et [des données](data:text/html,x).\n\n"
    "<script>alert(3)</script> <img src=x onerror=alert(4)> ![image](https://example.org/i.png) &lt;b&gt;\n"
)


def _url(text: str) -> str:
    """An http(s) address ending with ``text`` (URLs hold no whitespace)."""
    return "https://example.org/" + re.sub(r"\s+", "", text)


def corpus_articles(lines: tuple[str, ...]) -> list[ArticleSeed]:
    """Each line as a text line, as a title, and in every metadata field; then as a headline."""
    articles = []
    for i, line in enumerate(lines):
        # The very long lines would take the .yml past its 64 KiB limit in
        # every field: they are whole in the text, the title and the summary.
        short = line[:1000]
        meta: dict[str, Any] = {
            "title": line,
            "date": "2020-01-02",
            "source": short,
            "url": _url(short),
            "author": short,
            "themes": [THEME_ID],
            "tags": [short, "étiquette"],
            "people": [short],
            "places": [short, "Moscou"],
            "organisations": [short],
            "summary": line[:20000],
            "slug": f"h-{i}",
        }
        if len(line) <= 1000:  # its middle line is an intertitle: a heading, and in the table of contents
            meta["intertitles"] = [f"avant {line} après"]
        articles.append(ArticleSeed(f"h{i:03d}", [line, f"avant {line} après", line], meta))
        bare = {"date": "2020-01-03", "source": "Agence", "themes": [THEME_ID], "slug": f"t-{i}"}
        articles.append(ArticleSeed(f"t{i:03d}", [line, "Paragraphe."], bare))
    return articles


def _build(root: Path, articles: list[ArticleSeed], theme_title: str, description: str = "Dossier.\n") -> Path:
    write_seeds(root / "seeds", articles, theme_title, description)
    status = build(root)
    if status != 0:
        _corpus, problems = pipeline.check(root)
        pytest.fail("build failed:\n" + "\n".join(map(str, problems)))
    return root / "site"


@pytest.fixture(scope="module")
def benign(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build with the corpus's shape but plain words: the markup the site may have."""
    root = copy_project(tmp_path_factory.mktemp("benign") / "p")
    # One line is a quotation, so that the quotation markup of the reader pages
    # (citations, dossier quotes) is part of what the site may have.
    plain = (
        *tuple(f"Texte ordinaire numéro {i}" for i in range(len(HOSTILE_LINES) - 1)),
        "« Voici une citation ordinaire de plus de six mots », a déclaré Jean Dupont.",
    )
    return _build(root, corpus_articles(plain), "Dossier ordinaire", BENIGN_DESCRIPTION)


@pytest.fixture(scope="module")
def allowed(benign: Path) -> set[tuple[str, str]]:
    """(tag, attribute) pairs of the benign build."""
    return markup_signature(benign)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile corpus, built."""
    root = copy_project(tmp_path_factory.mktemp("hostile") / "p")
    return _build(root, corpus_articles(HOSTILE_LINES), HOSTILE_THEME_TITLE, HOSTILE_DESCRIPTION)


def test_corpus_is_shown_to_the_letter(hostile: Path) -> None:
    exps = [expect(a) for a in corpus_articles(HOSTILE_LINES)]
    for exp in exps:
        check_article_page(hostile, exp)
    check_listings(hostile, exps, HOSTILE_THEME_TITLE)
    check_search_index(hostile, exps)


def test_corpus_makes_no_markup(hostile: Path, benign: Path, allowed: set[tuple[str, str]]) -> None:
    check_no_markup(hostile, allowed)
    assert script_counts(hostile) == script_counts(benign)


def test_dossier_introduction_is_markdown_and_inert(hostile: Path) -> None:
    """On the dossier page and the home card: Markdown rendered, HTML shown as text, unsafe links neutralised."""
    dossier = lxml.html.fromstring((hostile / "dossiers" / THEME_ID / "index.html").read_bytes())
    home = lxml.html.fromstring((hostile / "index.html").read_bytes())
    for where, tree in (("dossier", dossier), ("home", home)):
        intro = [e for e in tree.xpath("//strong") if e.text_content() == "introduction"]
        assert intro, f"{where}: the introduction's Markdown is not rendered"
        block = intro[0].getparent().getparent()
        links = {a.text_content(): a.get("href") for a in block.xpath(".//a")}
        assert links.get("un lien") == "https://example.org/a", (where, links)
        for unsafe in ("un piège", "un autre", "des données"):
            assert links.get(unsafe) == "#", (where, unsafe, links)
        text = " ".join(block.text_content().split())
        for shown in ("<script>alert(3)</script>", "<img src=x onerror=alert(4)>", "&lt;b&gt;"):
            assert shown in text, (where, shown, text)
        assert not block.xpath(".//script | .//img | .//*[@onerror]"), where


def test_corpus_makes_no_script_in_generated_pages(hostile: Path) -> None:
    """The HTML handed to MkDocs for every generated page holds seed text only escaped."""
    root = hostile.parent
    generated = pipeline.generate(root, publish.site_info(publish.read_config(root / "mkdocs.yml")))
    bodies = {path: out.html for path, out in generated.pages.items() if isinstance(out, PageOut)}
    assert len(bodies) > len(generated.corpus.articles)
    for path, body in bodies.items():
        assert "<script" not in body, path


@pytest.mark.browser
def test_corpus_runs_nothing_in_chromium(hostile: Path, browser: Any) -> None:
    """Every page of the hostile build opens with no dialog, no console error, no failed request
    and no request to another host; a search typed key by key that lists the hostile titles
    runs nothing either."""
    pages = html_pages(hostile)
    with serve(hostile) as url:
        context = browser.new_context()
        page = context.new_page()
        watch = PageWatch(page, url.split("/dossiers-presse/")[0] + "/")
        for html_page in pages:
            rel = html_page.relative_to(hostile).as_posix()
            response = visit(page, watch, url, rel)
            assert response is not None and response.status == 200, rel
        watch.assert_clean()
        page.goto(url, wait_until="load")
        page.keyboard.press("s")  # Material's search shortcut
        page.wait_for_function(SEARCH_READY, timeout=15_000)
        type_search(page, "avant")
        results = page.locator(".md-search-result__item").count()
        context.close()
    assert results > 0
    watch.assert_clean()
    assert len(watch.requests) >= len(pages)


# --- Property tests -------------------------------------------------------

# Fragments that mean something to Markdown, pymdownx, Jinja, HTML or a renderer.
TOKENS = [
    *(t for t in HOSTILE_LINES if len(t) < 100),
    "#", "# ", "> ", "- ", "* ", "+ ", "1. ", "---", "===", "    ", "```", "~~~", "*", "**", "_", "`", "|",
    "[", "]", "(", ")", "!", "<", ">", "&", ";", "#x3C;", "&lt;", "{{", "}}", "{%", "%}", "\\", "\t", "  ",
    "\u00a0", "\u202f", "\u0301", "\u202e", "\u200b", "\u200d", "\ufeff", "\u2028", "👩\u200d👩\u200d👧",
    "javascript:", "data:", "vbscript:", ":", "\"", "'", "=", "^^", "~~", "==", "++",
]  # fmt: skip

# Refused characters are left out by the README's rule written out in tests/helpers.py, not by
# the code under test: tests/test_input_rules.py checks that the code refuses exactly those.
_CHARS = st.characters(exclude_categories=["Cc", "Cs"], include_characters="\t").filter(lambda c: not refused(c))
_FRAGMENT = st.one_of(st.sampled_from(TOKENS), st.text(_CHARS, min_size=1, max_size=8))
_SHORT = st.lists(_FRAGMENT, min_size=1, max_size=10).map("".join)
_LONG = st.tuples(_SHORT, st.integers(100, 1000)).map(lambda t: (t[0] * t[1])[:8000])
# One value: no line break, something visible left once stripped.
VALUE = _SHORT.filter(lambda s: s.strip())
# One line of text, sometimes very long.
LINE = st.one_of(VALUE, VALUE, VALUE, _LONG.filter(lambda s: s.strip()))
_ITEMS = st.lists(VALUE, min_size=1, max_size=3)

META = st.fixed_dictionaries(
    {"date": st.just("2021-03-04"), "source": VALUE},
    optional={
        "title": LINE,
        "url": VALUE.map(_url),
        "author": VALUE,
        "tags": _ITEMS,
        "people": _ITEMS,
        "places": _ITEMS,
        "organisations": _ITEMS,
        "summary": VALUE,
    },
)
ARTICLES = st.lists(st.tuples(st.lists(LINE, min_size=1, max_size=5), META), min_size=1, max_size=4)

_PROFILE = settings(
    max_examples=30,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),  # CI: the same examples every run
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One project reused by every example: only seeds/ changes between builds."""
    return copy_project(tmp_path_factory.mktemp("property") / "p")


@_PROFILE
@given(drawn=ARTICLES, theme_title=VALUE)
def test_any_text_round_trips(
    drawn: list[tuple[list[str], dict[str, Any]]],
    theme_title: str,
    scratch: Path,
    allowed: set[tuple[str, str]],
) -> None:
    # Pagefind refuses to build an index from pages without a single word, and a
    # generated corpus may have none: one ordinary article keeps the search step
    # meaningful (a real corpus always has words; README, "Robustness").
    articles = [
        ArticleSeed(
            "plain",
            ["Article ordinaire", "Un texte ordinaire."],
            {"date": "2021-03-04", "source": "Agence", "themes": [THEME_ID], "slug": "plain"},
        )
    ]
    for i, (lines, meta) in enumerate(drawn):
        meta = {**meta, "themes": [THEME_ID], "slug": f"a-{i}"}
        articles.append(ArticleSeed(f"a{i}", lines, meta))
    site = _build(scratch, articles, theme_title)
    exps = [expect(a) for a in articles]
    for exp in exps:
        check_article_page(site, exp)
    check_listings(site, exps, theme_title)
    check_search_index(site, exps)
    check_no_markup(site, allowed)


def test_benign_build_has_the_expected_shape(benign: Path) -> None:
    """Guards the reference itself: a plain article page holds every part checked above."""
    root = lxml.html.fromstring((benign / "articles" / "h-0" / "index.html").read_bytes())
    classes = set(" ".join(root.xpath("//@class")).split())
    assert {"press-source", "press-author", "press-tag", "press-summary", "press-original"} <= classes
