"""End-to-end: build the five real seeds with MkDocs and check what a reader gets."""

from __future__ import annotations

import datetime as dt
import json
import os
import posixpath
from pathlib import Path
from urllib.parse import urlsplit

from build_scripts.schema import UNKNOWN_SOURCE
from tests.helpers import article_pages, fr_date, html_pages, parse, plain_seeds, visible_text


def _seed_meta(seeds_dir: Path) -> dict[str, dict[str, object]]:
    """Each seed's metadata, read independently of the pipeline (plain PyYAML)."""
    return {stem: seed.meta for stem, seed in plain_seeds(seeds_dir).items()}


def _article_pages(site: Path) -> dict[str, Path]:
    """Built article pages keyed by the seed id they carry in ``data-seed``."""
    return {seed: site / folder / "index.html" for seed, folder in article_pages(site).items()}


ARTICLE_LIST = "//ol[contains(concat(' ', @class, ' '), ' press-list ')]"


def _norm(text: str) -> str:
    return " ".join(text.split())


def test_every_seed_has_a_page(site: Path, seeds_dir: Path) -> None:
    assert set(_article_pages(site)) == set(_seed_meta(seeds_dir))


def test_every_published_line_appears_verbatim(site: Path, seeds_dir: Path) -> None:
    pages = _article_pages(site)
    for stem, meta in _seed_meta(seeds_dir).items():
        text = (seeds_dir / f"{stem}.txt").read_text(encoding="utf-8-sig")
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        omitted = {str(line) for line in meta.get("omit") or []}  # type: ignore[attr-defined]
        published = [line for line in lines if line not in omitted]
        tree = parse(pages[stem])
        page = visible_text(tree.xpath("//article[@data-seed]")[0])
        body = visible_text(tree.xpath("//div[@class='press-text']")[0])
        for line in published:
            assert _norm(line) in page, f"{stem}: line missing from its page: {line[:80]}"
        for line in omitted:
            assert _norm(line) not in body, f"{stem}: omitted line is published: {line[:80]}"
        # Paragraph by paragraph, in order. The headline is the <h1> unless the
        # metadata gives a title, in which case it is published as the lead. A line
        # the seed lists in « intertitles » is a heading, every other one a paragraph.
        blocks = tree.xpath("//div[@class='press-text']/*")
        expected = published if meta.get("title") and meta["title"] != published[0] else published[1:]
        assert [_norm(b.text_content()) for b in blocks] == [_norm(x) for x in expected]
        intertitles = {str(line) for line in meta.get("intertitles") or []}  # type: ignore[attr-defined]
        assert [b.tag for b in blocks] == ["h2" if x in intertitles else "p" for x in expected]


def test_article_header_shows_metadata(site: Path, seeds_dir: Path) -> None:
    pages = _article_pages(site)
    for stem, meta in _seed_meta(seeds_dir).items():
        tree = parse(pages[stem])
        date = meta["date"]
        assert isinstance(date, dt.date)
        header = visible_text(tree.xpath("//header[contains(@class,'press-article__header')]")[0])
        assert fr_date(date) in header
        if meta["source"] == UNKNOWN_SOURCE:
            # Said once, plainly; never as if it were an outlet's name.
            assert header.count("Média inconnu") == 1 and not tree.xpath("//header//*[@class='press-source']")
        else:
            assert str(meta["source"]) in header
        if meta.get("author"):
            assert str(meta["author"]) in header
        (time,) = tree.xpath("//header//time")
        assert time.get("datetime") == date.isoformat()
        title = meta.get("title") or (seeds_dir / f"{stem}.txt").read_text(encoding="utf-8").strip().splitlines()[0]
        assert visible_text(tree.xpath("//article//h1")[0]) == _norm(str(title))


def test_french_dates_in_words(site: Path) -> None:
    text = " ".join(visible_text(parse(p)) for p in (site / "articles").glob("*/index.html"))
    # The issue's own examples: the 1st of the month is written "1er".
    assert "1er décembre 2016" in text
    assert "16 février 2017" in text


def test_themes_link_to_dossiers_and_dossiers_link_articles(site: Path, seeds_dir: Path) -> None:
    pages = _article_pages(site)
    for stem, meta in _seed_meta(seeds_dir).items():
        article_dir = pages[stem].parent
        tree = parse(pages[stem])
        theme_links = tree.xpath("//p[@class='press-themes']//a/@href")
        targets = {_resolve(article_dir, site, href) for href in theme_links}
        assert targets == {site / "dossiers" / str(t) / "index.html" for t in meta["themes"]}  # type: ignore[attr-defined]
        for theme in meta["themes"]:  # type: ignore[attr-defined]
            dossier = site / "dossiers" / str(theme) / "index.html"
            hrefs = parse(dossier).xpath(f"{ARTICLE_LIST}//a/@href")
            linked = {_resolve(dossier.parent, site, h) for h in hrefs}
            assert pages[stem] in linked, f"dossier {theme} does not link {stem}"


def test_dossier_lists_articles_in_chronological_order(site: Path, seeds_dir: Path) -> None:
    metas = _seed_meta(seeds_dir)
    dossiers = sorted((site / "dossiers").glob("*/index.html"))
    assert dossiers
    for dossier in dossiers:
        dates = parse(dossier).xpath(f"{ARTICLE_LIST}/li/time/@datetime")
        members = [m for m in metas.values() if dossier.parent.name in m["themes"]]  # type: ignore[operator]
        assert dates == sorted(m["date"].isoformat() for m in members), dossier  # type: ignore[attr-defined]


def test_json_ld_parses_and_matches_metadata(site: Path, seeds_dir: Path) -> None:
    pages = _article_pages(site)
    for stem, meta in _seed_meta(seeds_dir).items():
        tree = parse(pages[stem])
        (script,) = tree.xpath("//script[@type='application/ld+json']")
        data = json.loads(script.text)
        assert data["@type"] == "NewsArticle"
        assert data["datePublished"] == meta["date"].isoformat()  # type: ignore[attr-defined]
        assert data["inLanguage"] == "fr"
        if meta["source"] == UNKNOWN_SOURCE:
            # No Organization is invented for an unknown outlet (issue 12).
            assert "publisher" not in data
            assert data.get("author", {}).get("@type") != "Organization"
        else:
            assert data["publisher"]["name"] == meta["source"]
        assert data["headline"] == visible_text(tree.xpath("//article//h1")[0])
        assert data["url"].endswith("/" + pages[stem].parent.relative_to(site).as_posix() + "/")
        if meta.get("url"):
            assert data["isBasedOn"] == meta["url"]


def test_nav_never_lists_articles(site: Path) -> None:
    for page in html_pages(site):
        nav_links = parse(page).xpath("//nav[contains(@class,'md-nav--primary')]//a/@href")
        assert not [h for h in nav_links if "articles/" in h], page


def test_benchmark_page_is_linked_from_about_only(site: Path) -> None:
    """The benchmark is for maintainers (issue 12): a page of the site, out of the reader's navigation."""
    assert (site / "performance" / "index.html").is_file()
    for page in html_pages(site):
        nav_links = parse(page).xpath("//nav[contains(@class,'md-nav--primary')]//a/@href")
        assert not [h for h in nav_links if "performance" in h], page
    about = parse(site / "a-propos" / "index.html").xpath("//article//a/@href")
    assert "../performance/" in about


def test_intertitles_make_the_table_of_contents(site: Path, seeds_dir: Path) -> None:
    """Each article that lists intertitles has them, in order, in its table of contents."""
    pages = _article_pages(site)
    listed = 0
    for stem, meta in _seed_meta(seeds_dir).items():
        tree = parse(pages[stem])
        intertitles = [_norm(str(line)) for line in meta.get("intertitles") or []]  # type: ignore[attr-defined]
        headings = {h.get("id"): _norm(h.text_content()) for h in tree.xpath("//div[@class='press-text']/h2")}
        toc = [
            (a.get("href"), _norm(a.text_content()))
            for a in tree.xpath("//nav[contains(@class, 'md-nav--secondary')]//a")
        ]
        assert [text for _, text in toc] == intertitles
        assert all(headings[href[1:]] == text for href, text in toc)
        listed += len(intertitles)
    assert listed >= 5, "the seeds list their intertitles"


def test_no_resource_from_another_host(site: Path) -> None:
    for page in html_pages(site):
        tree = parse(page)
        for element in tree.xpath("//*[@src]"):
            assert not urlsplit(element.get("src")).netloc, (page, element.get("src"))
        for link in tree.xpath("//link[@href]"):
            rel = set((link.get("rel") or "").split())
            if rel & {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest"}:
                assert not urlsplit(link.get("href")).netloc, (page, link.get("href"))
        for style in tree.xpath("//style"):
            assert "http" not in (style.text or ""), page


def test_internal_links_resolve(site: Path) -> None:
    """Every relative link leads to a built file (so the site works under any sub-path)."""
    for page in html_pages(site):
        if page.name == "404.html":
            continue  # MkDocs writes root-absolute links there on purpose
        for href in parse(page).xpath("//a/@href"):
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith("#"):
                continue
            assert not href.startswith("/"), f"root-absolute link {href} in {page}"
            target = _resolve(page.parent, site, href)
            assert target.exists(), f"{page.relative_to(site)}: broken link {href}"


def test_search_is_french_and_fonts_local(built: Path) -> None:
    # Search is Pagefind (tests/test_search.py), indexed in French only; no lunr index.
    entry = (built / "site" / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8")
    assert list(json.loads(entry)["languages"]) == ["fr"]
    assert not (built / "site" / "search" / "search_index.json").exists()
    index = parse(built / "site" / "index.html")
    assert index.get("lang") == "fr"
    assert not index.xpath("//link[contains(@href,'fonts.googleapis')]")


def _resolve(base: Path, site: Path, href: str) -> Path:
    path = urlsplit(href).path
    target = Path(posixpath.normpath((base / path).as_posix()))
    if href.endswith("/") or target.is_dir():
        target = target / "index.html"
    assert site in target.parents or target == site, f"link {href} leaves the site"
    return target


def test_the_footer_says_in_french_what_the_site_is(built: Path, site: Path) -> None:
    """Issue 22: every page's footer names the site and the dossiers, who publishes them and the
    source code's address (mkdocs.yml's repo_url), and credits MkDocs and Material in French."""
    config = (built / "mkdocs.yml").read_text(encoding="utf-8")
    default = next(line.split('"')[1] for line in config.splitlines() if line.startswith("repo_url:"))
    repo_url = os.environ.get("REPO_URL") or default  # the pull-request workflow sets it (mkdocs.yml's !ENV)
    owner_repo = "/".join(repo_url.rstrip("/").split("/")[-2:])
    for path in html_pages(site):
        (footer,) = parse(path).xpath("//footer[contains(@class, 'md-footer')]")
        text = visible_text(footer)
        assert "Made with" not in text, path
        assert text.startswith("Dossiers de presse – Russie, OTAN, Ukraine : des articles de presse francophones"), text
        assert "en dossiers thématiques par les mainteneurs du dépôt " + owner_repo in text, text
        assert footer.xpath(".//a[@href=$u and normalize-space()=$u]", u=repo_url), f"{path}: no link to the sources"
        credits = {a.text_content(): a.get("lang") for a in footer.xpath(".//a[starts-with(@href, 'https://')]")}
        assert credits == {repo_url: None, "MkDocs": "en", "Material for MkDocs": "en"}, credits
        assert "Site construit avec MkDocs et le thème Material for MkDocs." in text
