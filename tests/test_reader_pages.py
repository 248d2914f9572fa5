"""End-to-end tests of the reader pages (issue #4) on the built site of the real seeds.

Expected values are read from the seeds here, independently of build_scripts:
YAML with PyYAML, quotations with a simple regex, dates with Babel.
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin

import feedparser
import lxml.etree
import lxml.html
import pytest
import yaml

from tests.helpers import PageWatch, article_pages, build, copy_project, fr_date, parse, plain_seeds, visible_text

SITE_URL = "https://example.github.io/dossiers-presse/"
# The contract's word for an unknown outlet (CONTRIBUTING.md): such an article has none.
UNKNOWN = "inconnue"
ATOM = "{http://www.w3.org/2005/Atom}"


# --- the seeds, read independently -------------------------------------------------------------


def _seeds(seeds_dir: Path) -> dict[str, dict[str, Any]]:
    """Stem -> metadata, plus ``lines`` (published lines) and ``title``; ``date`` as ISO text."""
    result: dict[str, dict[str, Any]] = {}
    for stem, seed in plain_seeds(seeds_dir).items():
        result[stem] = {**seed.meta, "lines": list(seed.lines), "title": seed.title, "date": seed.date.isoformat()}
    return result


def _aliases(seeds_dir: Path) -> dict[str, dict[str, str]]:
    data = yaml.safe_load((seeds_dir / "aliases.yml").read_text(encoding="utf-8")) or {}
    return {kind: {v: name for name, vs in (data.get(kind) or {}).items() for v in vs} for kind in data}


def _themes(seeds_dir: Path) -> dict[str, str]:
    return {t["id"]: t["title"] for t in yaml.safe_load((seeds_dir / "themes.yml").read_text(encoding="utf-8"))}


# --- the built site -----------------------------------------------------------------------------


def _resolve(page: str, href: str) -> str:
    """Site-relative target of a relative ``href`` found on ``page`` (a site-relative directory)."""
    url, _ = urldefrag(urljoin("http://x/" + page, href))
    return url[len("http://x/") :]


def _links(site: Path, page: str, element: Any = None) -> list[tuple[str, str]]:
    """(site-relative target, fragment) of every link in ``element`` or the page's content."""
    root = element if element is not None else parse(site / page / "index.html")
    result = []
    for a in root.xpath(".//a[@href]"):
        href = a.get("href")
        if href.startswith(("http:", "https:", "mailto:")):
            continue
        result.append((_resolve(page, href), urldefrag(href)[1]))
    return result


def _content(site: Path, page: str) -> Any:
    return parse(site / page / "index.html").xpath("//article[contains(@class, 'md-content__inner')]")[0]


@pytest.fixture(scope="module")
def seeds(seeds_dir: Path) -> dict[str, dict[str, Any]]:
    return _seeds(seeds_dir)


@pytest.fixture(scope="module")
def pages(site: Path) -> dict[str, str]:
    return article_pages(site)


def test_every_seed_has_a_page(seeds: dict[str, dict[str, Any]], pages: dict[str, str]) -> None:
    assert set(pages) == set(seeds)


def test_chronology_links_every_article_newest_first(
    site: Path, seeds: dict[str, dict[str, Any]], pages: dict[str, str]
) -> None:
    years = sorted({m["date"][:4] for m in seeds.values()}, reverse=True)
    index = _links(site, "chronologie/", _content(site, "chronologie/"))
    year_links = [t for t, _ in index if re.fullmatch(r"chronologie/\d{4}/", t)]
    assert list(dict.fromkeys(year_links)) == [f"chronologie/{y}/" for y in years]
    linked: list[str] = []
    for year in years:
        content = _content(site, f"chronologie/{year}/")
        in_year = [t for t, _ in _links(site, f"chronologie/{year}/", content) if t.startswith("articles/")]
        expected = sorted((s for s in seeds if seeds[s]["date"].startswith(year)), key=lambda s: seeds[s]["date"])
        assert in_year == [pages[s] for s in reversed(expected)]
        text = visible_text(content)
        for stem in expected:
            assert fr_date(seeds[stem]["date"]) in text
            if seeds[stem]["source"] != UNKNOWN:
                assert seeds[stem]["source"] in text
        assert "inconnu" not in text and "non identifi" not in text
        # Each line names the article's outlet, or none when it is unknown.
        by_page = {pages[stem]: stem for stem in expected}
        for li in content.xpath(".//ol[contains(@class, 'press-list')]/li"):
            stem = by_page[_resolve(f"chronologie/{year}/", li.xpath("./a")[0].get("href"))]
            outlet = [visible_text(e) for e in li.xpath(".//*[contains(@class, 'press-source')]")]
            assert outlet == ([] if seeds[stem]["source"] == UNKNOWN else [seeds[stem]["source"]]), stem
        linked += in_year
    assert sorted(linked) == sorted(pages.values())


# Independent of build_scripts.quotes: a plain regex and a plain word count.
_QUOTE_RE = re.compile(r"«\s*([^«»]+?)\s*»|“([^“”]+?)”")


def _seed_quotes(meta: dict[str, Any]) -> list[str]:
    found = []
    # Intertitles are the editor's: words they quote are quoted again in the text.
    for line in (line for line in meta["lines"] if line not in (meta.get("intertitles") or [])):
        for match in _QUOTE_RE.finditer(line):
            text = " ".join((match.group(1) or match.group(2)).split())
            if sum(1 for word in text.split() if any(c.isalnum() for c in word)) >= 6:
                found.append(text)
    return found


def test_every_quotation_is_on_the_quotation_pages_with_its_article(
    site: Path, seeds: dict[str, dict[str, Any]], pages: dict[str, str]
) -> None:
    figures: list[tuple[str, str, str]] = []  # (quote text, article page, fragment)
    for path in sorted((site / "citations").glob("**/index.html")):
        page = path.parent.relative_to(site).as_posix() + "/"
        for figure in _content(site, page).xpath(".//figure[contains(@class, 'press-quote')]"):
            quote = visible_text(figure.xpath(".//blockquote")[0]).strip("«» ")
            (target, fragment), *_ = _links(site, page, figure.xpath(".//figcaption")[0])
            figures.append((quote, target, fragment))
    expected = [(q, stem) for stem, meta in seeds.items() for q in _seed_quotes(meta)]
    assert expected, "the seeds hold quotations"
    for quote, stem in expected:
        beside = [(t, f) for q, t, f in figures if q == quote and t == pages[stem]]
        assert beside, f"missing on citations/: {quote[:60]}"
        target, fragment = beside[0]
        anchored = parse(site / target / "index.html").xpath(f"//*[@id='{fragment}']")
        assert anchored and quote in " ".join(anchored[0].text_content().split())


def test_speakers_shown_only_when_attributed(site: Path) -> None:
    text = visible_text(_content(site, "citations/"))
    # Corrected in seeds/003…yml (field « quotes »): the text itself says « Poutine a dit ».
    assert "Un conseiller d'Emmanuel Macron" in text
    # (start of the quotation, speaker shown): « a-t-il déclaré » names nobody; « a déclaré M. Poutine » does.
    cases = {"« Nous ne voulons pas de confrontation": None, "« Je considère qu’un certain nombre": "Vladimir Poutine"}
    seen = dict.fromkeys(cases, 0)
    for path in (site / "citations").glob("*/index.html"):
        for figure in parse(path).xpath("//figure[contains(@class, 'press-quote')]"):
            quote = visible_text(figure.xpath(".//blockquote")[0])
            speaker = [visible_text(e) for e in figure.xpath(".//*[contains(@class, 'press-speaker')]")]
            for start, expected in cases.items():
                if quote.startswith(start):
                    seen[start] += 1
                    assert speaker == ([expected] if expected else []), quote
    assert all(seen.values()), f"quotations no longer on the dossier pages of citations/: {seen}"


INDEXES = {
    "personnes": "people",
    "lieux": "places",
    "organisations": "organisations",
    "sources": "source",
    "mots-cles": "tags",
    "auteurs": "author",
}


def _entity_pages(site: Path, kind: str) -> dict[str, list[str]]:
    """Name -> the pages of its articles, read from an index page through each name's own
    page (and its periods, for a large one)."""
    found: dict[str, list[str]] = {}
    for a in _content(site, f"{kind}/").xpath(".//ul[contains(@class, 'press-names')]/li/a"):
        own = _resolve(f"{kind}/", a.get("href"))
        content = _content(site, own)
        assert visible_text(content.xpath(".//h1")[0]) == visible_text(a)
        periods = [_resolve(own, h) for h in content.xpath(".//nav[contains(@class, 'press-periods')]//a/@href")]
        pages = periods or [own]
        found[visible_text(a)] = [
            t for p in pages for t, _ in _links(site, p, _content(site, p)) if t.startswith("articles/")
        ]
    return found


@pytest.mark.parametrize(("kind", "field"), sorted(INDEXES.items()))
def test_index_pages_link_the_right_articles(
    site: Path, seeds_dir: Path, seeds: dict[str, dict[str, Any]], pages: dict[str, str], kind: str, field: str
) -> None:
    """Each name of an index has its own page listing exactly its articles; an unknown outlet is no source."""
    aliases = _aliases(seeds_dir).get(field, {})
    expected: dict[str, set[str]] = {}
    for stem, meta in seeds.items():
        value = meta.get(field)
        names = [value] if isinstance(value, str) else value or []
        for name in names:
            if field == "source" and name == UNKNOWN:
                continue
            expected.setdefault(aliases.get(name, name), set()).add(pages[stem])
    found = _entity_pages(site, kind)
    assert {name: set(links) for name, links in found.items()} == expected
    for name, links in found.items():
        assert len(links) == len(set(links)), name  # each article once
    index = visible_text(_content(site, f"{kind}/"))
    for name, articles in expected.items():
        assert f"{name} ({len(articles)} article" in index


def test_article_entities_link_to_their_own_page(site: Path, seeds_dir: Path, pages: dict[str, str]) -> None:
    seeds = _seeds(seeds_dir)
    aliases = _aliases(seeds_dir)
    for stem, page in pages.items():
        meta = seeds[stem]
        content = _content(site, page)
        links = [(a, "entity") for a in content.xpath(".//dl[contains(@class, 'press-entities')]//a")]
        links += [(a, "tags") for a in content.xpath(".//*[contains(@class, 'press-tags')]//a")]
        links += [(a, "byline") for a in content.xpath(".//p[contains(@class, 'press-meta')]//a")]
        assert len(links) == sum(len(meta.get(f) or []) for f in ("people", "places", "organisations", "tags")) + (
            (meta["source"] != UNKNOWN) + bool(meta.get("author"))
        )
        for a, _where in links:
            target = _resolve(page, a.get("href"))
            kind = target.split("/")[0]
            field = INDEXES[kind]
            value = meta[field]
            assert a.text in ([value] if isinstance(value, str) else value)
            own = visible_text(_content(site, target).xpath(".//h1")[0])
            assert own == aliases.get(field, {}).get(a.text, a.text)


def _expected_in_feed(seeds: dict[str, dict[str, Any]], pages: dict[str, str], theme: str | None) -> list[str]:
    stems = [s for s in seeds if theme is None or theme in seeds[s]["themes"]]
    stems.sort(key=lambda s: (seeds[s]["date"], pages[s]), reverse=True)
    return [SITE_URL + pages[s] for s in stems]


def test_feeds_are_valid_atom_and_hold_every_article(
    site: Path, seeds_dir: Path, seeds: dict[str, dict[str, Any]], pages: dict[str, str]
) -> None:
    feeds: dict[str | None, Path] = {None: site / "flux" / "articles.xml"}
    feeds.update({t: site / "flux" / "dossiers" / f"{t}.xml" for t in _themes(seeds_dir)})
    for theme, path in feeds.items():
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert parsed.version == "atom10"
        expected = _expected_in_feed(seeds, pages, theme)
        assert [e.link for e in parsed.entries] == expected
        assert [e.id for e in parsed.entries] == expected
        by_url = {SITE_URL + pages[s]: s for s in seeds}
        for entry in parsed.entries:
            meta = seeds[by_url[entry.link]]
            assert entry.title == meta["title"]
            assert entry.published.startswith(meta["date"])
            assert entry.summary == " ".join(meta["summary"].split())
        root = lxml.etree.fromstring(path.read_bytes())
        assert root.tag == f"{ATOM}feed"
        for child in ("id", "title", "updated", "author"):
            assert root.find(f"{ATOM}{child}") is not None
        newest = max(seeds[s]["date"] for s in seeds if theme is None or theme in seeds[s]["themes"])
        assert root.findtext(f"{ATOM}updated") == f"{newest}T00:00:00Z"
        self_link = root.find(f"{ATOM}link[@rel='self']")
        assert self_link is not None and self_link.get("href") == SITE_URL + path.relative_to(site).as_posix()
        for entry in root.iter(f"{ATOM}entry"):
            for child in ("id", "title", "updated", "link", "summary"):
                assert entry.find(f"{ATOM}{child}") is not None
            # Its author or outlet; without either, the feed's author stands for it (RFC 4287).
            meta = seeds[by_url[entry.findtext(f"{ATOM}id")]]
            byline = meta.get("author") or (meta["source"] if meta["source"] != UNKNOWN else None)
            assert entry.findtext(f"{ATOM}author/{ATOM}name") == byline


def _alternates(site: Path, page: str) -> set[str]:
    head = parse(site / page / "index.html").xpath("//link[@rel='alternate'][@type='application/atom+xml']/@href")
    return {posixpath.normpath(_resolve(page, href)) for href in head}


def test_feeds_are_announced_on_their_pages(
    site: Path, seeds_dir: Path, seeds: dict[str, dict[str, Any]], pages: dict[str, str]
) -> None:
    assert "flux/articles.xml" in _alternates(site, "")
    assert "flux/articles.xml" in _alternates(site, "chronologie/")
    for theme in _themes(seeds_dir):
        assert f"flux/dossiers/{theme}.xml" in _alternates(site, f"dossiers/{theme}/")
    for stem, page in pages.items():
        expected = {"flux/articles.xml"} | {f"flux/dossiers/{t}.xml" for t in seeds[stem]["themes"]}
        assert _alternates(site, page) == expected
        for target in expected:
            assert (site / target).is_file()


def test_article_head_matches_metadata(
    site: Path, seeds_dir: Path, seeds: dict[str, dict[str, Any]], pages: dict[str, str]
) -> None:
    themes = _themes(seeds_dir)
    aliases = _aliases(seeds_dir)
    for stem, page in pages.items():
        meta = seeds[stem]
        doc = parse(site / page / "index.html")
        og: dict[str, list[str]] = {}
        for element in doc.xpath("//meta[@property]"):
            og.setdefault(element.get("property"), []).append(element.get("content"))
        assert og["og:type"] == ["article"]
        assert og["og:locale"] == ["fr_FR"]
        assert og["og:title"] == [meta["title"]]
        assert og["og:url"] == [SITE_URL + page]
        assert og["article:published_time"] == [meta["date"]]
        assert og["article:section"] == [themes[meta["themes"][0]]]
        assert og.get("article:tag", []) == meta.get("tags", [])
        summary = " ".join(meta["summary"].split())
        assert doc.xpath("//meta[@name='description']/@content") == [summary]
        assert og["og:description"] == [summary]
        data = json.loads(doc.xpath("//script[@type='application/ld+json']")[0].text)
        assert data["@type"] == "NewsArticle"
        assert data["headline"] == meta["title"]
        assert data["datePublished"] == data["dateModified"] == meta["date"]
        assert data["articleSection"] == [themes[t] for t in meta["themes"]]
        assert set(meta.get("tags", [])) <= set(data["keywords"])
        people = [aliases.get("people", {}).get(p, p) for p in meta.get("people", [])]
        places = [aliases.get("places", {}).get(p, p) for p in meta.get("places", [])]
        assert [a["name"] for a in data["about"] if a["@type"] == "Person"] == list(dict.fromkeys(people))
        assert [a["name"] for a in data["about"] if a["@type"] == "Place"] == list(dict.fromkeys(places))
        assert data["url"] == SITE_URL + page


def test_article_head_has_highwire_citation_tags(
    site: Path, seeds: dict[str, dict[str, Any]], pages: dict[str, str]
) -> None:
    """What Zotero's « Embedded Metadata » reads (issue 12), against the seed metadata."""
    for stem, page in pages.items():
        meta = seeds[stem]
        tags: dict[str, list[str]] = {}
        for element in parse(site / page / "index.html").xpath("//head/meta[starts-with(@name, 'citation_')]"):
            tags.setdefault(element.get("name"), []).append(element.get("content"))
        assert tags.pop("citation_title") == [meta["title"]]
        assert tags.pop("citation_publication_date") == [meta["date"].replace("-", "/")]
        assert tags.pop("citation_language") == ["fr"]
        assert tags.pop("citation_author", []) == ([meta["author"]] if meta.get("author") else [])
        outlet = [] if meta["source"] == UNKNOWN else [meta["source"]]
        assert tags.pop("citation_journal_title", []) == outlet
        assert not tags, tags


def test_article_reader_blocks(site: Path, seeds: dict[str, dict[str, Any]], pages: dict[str, str]) -> None:
    ordered = sorted(pages, key=lambda s: (seeds[s]["date"], pages[s]))
    for i, stem in enumerate(ordered):
        page = pages[stem]
        content = _content(site, page)
        text = visible_text(content)
        words = sum(len(line.split()) for line in seeds[stem]["lines"])
        assert f"Temps de lecture : {max(1, round(words / 230))} min" in text
        cite = visible_text(content.xpath(".//section[contains(@class, 'press-cite')]")[0])
        meta = seeds[stem]
        for part in (meta["title"], fr_date(meta["date"]), SITE_URL + page, "consulté le"):
            assert part in cite
        if meta["source"] == UNKNOWN:
            assert cite.startswith("Citer cet article « ")  # no outlet, rather than an invented one
        else:
            assert f"Citer cet article {meta['source']}, « " in cite
        prev = content.xpath(".//a[@rel='prev']/@href")
        nxt = content.xpath(".//a[@rel='next']/@href")
        assert [_resolve(page, h) for h in prev] == ([pages[ordered[i - 1]]] if i > 0 else [])
        assert [_resolve(page, h) for h in nxt] == ([pages[ordered[i + 1]]] if i + 1 < len(ordered) else [])
        related = content.xpath(".//section[contains(@class, 'press-related')]")
        sharing = [s for s in seeds if s != stem and set(seeds[s]["themes"]) & set(meta["themes"])]
        targets = [t for t, _ in _links(site, page, related[0])] if related else []
        assert len(targets) == min(5, len(sharing))
        assert {t for t in targets} <= {pages[s] for s in sharing}


def test_dossier_pages(site: Path, seeds_dir: Path, seeds: dict[str, dict[str, Any]]) -> None:
    for theme in _themes(seeds_dir):
        mine = [m for m in seeds.values() if theme in m["themes"]]
        content = _content(site, f"dossiers/{theme}/")
        text = visible_text(content)
        dates = sorted(m["date"] for m in mine)
        assert f"du {fr_date(dates[0])} au {fr_date(dates[-1])}" in text or len(set(dates)) == 1
        svg = content.xpath(".//*[local-name()='svg']")[0]
        assert svg.get("role") == "img"
        label = svg.get("aria-label")
        for year in range(int(dates[0][:4]), int(dates[-1][:4]) + 1):
            count = sum(d.startswith(str(year)) for d in dates)
            assert f"{year} : {count}" in label
        assert not content.xpath(".//script")
        aliases = _aliases(seeds_dir).get("people", {})
        counts: dict[str, int] = {}
        for m in mine:
            for person in dict.fromkeys(aliases.get(p, p) for p in m.get("people", [])):
                counts[person] = counts.get(person, 0) + 1
        shown = [
            (visible_text(li.xpath("./a")[0]), int(re.search(r"\((\d+) article", visible_text(li)).group(1)))  # type: ignore[union-attr]
            for li in content.xpath(".//ul[contains(@class, 'press-people')]/li")
        ]
        assert shown == sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:5]


def test_home_cards_and_glance(site: Path, seeds_dir: Path, seeds: dict[str, dict[str, Any]]) -> None:
    content = _content(site, "")
    cards = content.xpath(".//li[contains(@class, 'press-card')]")
    assert [visible_text(c.xpath(".//h3")[0]) for c in cards] == list(_themes(seeds_dir).values())
    for card, theme in zip(cards, _themes(seeds_dir), strict=True):
        count = sum(theme in m["themes"] for m in seeds.values())
        assert f"{count} article" in visible_text(card)
    glance = visible_text(content.xpath(".//ul[contains(@class, 'press-glance')]")[0])
    assert f"{len(seeds)} articles" in glance
    assert fr_date(min(m["date"] for m in seeds.values())) in glance


def test_french_404(site: Path) -> None:
    doc = parse(site / "404.html")
    assert "Page introuvable" in visible_text(doc.xpath("//h1")[0])
    # Served at any URL: its links are root-absolute under the site's path.
    for href in doc.xpath("//article//a/@href"):
        assert href.startswith("/dossiers-presse/") and "//" not in href[1:]


def test_theme_toggle_follows_system(site: Path) -> None:
    media = parse(site / "index.html").xpath("//input[@data-md-color-media]/@data-md-color-media")
    assert set(media) == {"(prefers-color-scheme: light)", "(prefers-color-scheme: dark)"}


def test_aliases_merge_spelling_variants(tmp_path: Path, seeds_dir: Path) -> None:
    """An article that writes « Poutine » is listed under « Vladimir Poutine »."""
    root = copy_project(tmp_path / "p")
    meta = root / "seeds" / "002_d52ef898f5b3b278.yml"
    meta.write_text(
        meta.read_text(encoding="utf-8").replace("people: [Vladimir Poutine,", "people: [Poutine,"), encoding="utf-8"
    )
    assert build(root) == 0
    site = root / "site"
    content = _content(site, "personnes/")
    names = [visible_text(a) for a in content.xpath(".//ul[contains(@class, 'press-names')]/li/a")]
    assert "Poutine" not in names and "Vladimir Poutine" in names
    entry = content.xpath(".//ul[contains(@class, 'press-names')]/li[a='Vladimir Poutine']")[0]
    assert "aussi écrit : Poutine" in visible_text(entry)
    own = _content(site, "personnes/vladimir-poutine/")
    assert "Aussi écrit : Poutine" in visible_text(own)
    assert len(own.xpath(".//ol/li")) == len(list(seeds_dir.glob("0*.yml")))


# What print hides (docs/assets/press.css), and the links whose address is printed after them.
PRINT_HIDDEN = (".md-header", ".md-sidebar--primary", ".md-footer", ".md-search", ".press-prevnext")
DISPLAY = "e => getComputedStyle(e).display"
LINK_AFTER = """() => [...document.querySelectorAll('.press-article a[href]')].map(a => ({
  href: a.getAttribute('href'), after: getComputedStyle(a, '::after').content }))"""


@pytest.mark.browser
def test_print_hides_navigation_and_shows_link_urls(browser: Any, site_url: str, pages: dict[str, str]) -> None:
    context = browser.new_context()
    page = context.new_page()
    watch = PageWatch(page, site_url)
    try:
        page.goto(site_url + next(iter(pages.values())))
        shown = {selector: page.eval_on_selector(selector, DISPLAY) for selector in PRINT_HIDDEN}
        assert all(display != "none" for display in shown.values()), f"hidden on screen already: {shown}"
        page.emulate_media(media="print")
        hidden = {selector: page.eval_on_selector(selector, DISPLAY) for selector in PRINT_HIDDEN}
        assert hidden == dict.fromkeys(PRINT_HIDDEN, "none")
        links = page.evaluate(LINK_AFTER)
    finally:
        context.close()
    outward = [link for link in links if not link["href"].startswith("#")]
    assert any("dossiers/" in link["href"] for link in outward), links
    for link in outward:
        assert link["after"] == '" (" attr(href) ")"' or link["after"] == f'" ({link["href"]})"', link
    for link in links:
        if link["href"].startswith("#"):
            assert link["after"] in ("none", '""', "normal"), link
    watch.assert_clean()
