"""A new copy of the site starts empty (issue 23): dossiers of its own, no article yet.

The project is copied as a deployer leaves it after following docs/publier.md: ``seeds/``
holds only its JSON Schemas, a ``themes.yml`` of new dossiers and an ``aliases.yml`` with
nothing but its comment, and ``mkdocs.yml`` has another name and home page. ``check`` and
``build`` run as a maintainer types them; the built HTML is read page by page.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from tests.helpers import (
    ROOT,
    SEARCH_READY,
    PageWatch,
    copy_project,
    html_pages,
    parse,
    run_command,
    serve,
    visible_text,
)

THEMES = """\
# yaml-language-server: $schema=themes.schema.json
- id: climat
  title: Climat
  description: |
    Les négociations sur le climat, de Kyoto à Paris.
- id: energie
  title: Énergie
  description: |
    Le gaz, le pétrole et le nucléaire dans la presse francophone.
"""
NAME = "Revue de presse sur le climat"
DESCRIPTION = "Articles de presse francophones sur le climat."
HOME = {"title": "Le climat dans la presse", "lede": "Des articles sur le climat, classés en dossiers."}
SITE_PATH = "/revue-climat/"
SEARCH_DONE = """() => /trouvé/.test(document.querySelector('.md-search-result__meta').textContent)
  && document.querySelector('[data-press-search=result]').getAttribute('aria-busy') === 'false'"""


@pytest.fixture(scope="module")
def empty(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project with no article, renamed; returns its root (built)."""
    seeds = tmp_path_factory.mktemp("seeds") / "seeds"
    seeds.mkdir()
    for schema in (ROOT / "seeds").glob("*.schema.json"):
        shutil.copy2(schema, seeds / schema.name)
    (seeds / "themes.yml").write_text(THEMES, encoding="utf-8")
    (seeds / "aliases.yml").write_text("# yaml-language-server: $schema=aliases.schema.json\n", encoding="utf-8")
    root = copy_project(tmp_path_factory.mktemp("empty") / "p", seeds=seeds)
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("site_name: Dossiers de presse – Russie, OTAN, Ukraine", f"site_name: {NAME}")
    text = text.replace("https://example.github.io/dossiers-presse/", f"https://example.github.io{SITE_PATH}")
    start = text.index("site_description: ")
    text = text[:start] + f"site_description: {DESCRIPTION}" + text[text.index("\n", start) :]
    start, end = text.index("extra:\n"), text.index("\nextra_css:")
    text = text[:start] + yaml.safe_dump({"extra": {"home": HOME}}, allow_unicode=True) + text[end:]
    config.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def built(empty: Path) -> tuple[Path, str]:
    """``python -m build_scripts build`` on the empty copy: its site/ and what it printed."""
    done = run_command(empty, "build")
    assert done.returncode == 0, done.stderr[-3000:]
    return empty / "site", done.stdout + done.stderr


def _themes() -> list[dict[str, str]]:
    themes: list[dict[str, str]] = yaml.safe_load(THEMES)
    return themes


def _warnings(output: str) -> list[str]:
    return [line for line in output.splitlines() if ": avertissement: " in line]


def test_check_warns_once_per_empty_dossier(empty: Path) -> None:
    done = run_command(empty, "check")
    assert done.returncode == 0, done.stdout + done.stderr
    expected = [f"seeds/themes.yml: avertissement: le dossier « {t['id']} » n'a aucun article" for t in _themes()]
    assert sorted(_warnings(done.stdout + done.stderr)) == sorted(expected)


def test_build_succeeds_and_warns_once_per_empty_dossier(built: tuple[Path, str]) -> None:
    site, output = built
    assert len(_warnings(output)) == len(_themes()), output
    assert (site / "index.html").is_file()
    assert not (site / "articles").exists()


def test_home_page_says_no_article_is_published_yet(built: tuple[Path, str]) -> None:
    home = parse(built[0] / "index.html")
    assert visible_text(home.xpath("//h1")[0]) == HOME["title"]
    assert visible_text(home.xpath("//p[@class='press-lede']")[0]) == HOME["lede"]
    assert home.xpath("//title")[0].text_content().endswith(NAME)
    # Without extra.home.description, the home page is described by site_description.
    assert home.xpath("//meta[@name='description']/@content") == [DESCRIPTION]
    (empty,) = home.xpath("//p[@class='press-empty']")
    assert visible_text(empty).startswith("Aucun article n’est encore publié.")
    assert not home.xpath("//ol[contains(@class, 'press-list')]"), "no empty list of articles"
    cards = home.xpath("//li[@class='press-card']")
    assert [visible_text(c.xpath(".//h3")[0]) for c in cards] == [t["title"] for t in _themes()]
    counts = [visible_text(c.xpath(".//p[@class='press-count']")[0]) for c in cards]
    assert counts == ["Aucun article pour l’instant"] * len(_themes())
    # Nothing of the seed corpus is left on a renamed site.
    assert "Poutine" not in visible_text(home)


@pytest.mark.parametrize("page", ["dossiers/climat/index.html", "dossiers/energie/index.html"])
def test_each_empty_dossier_says_so(built: tuple[Path, str], page: str) -> None:
    tree = parse(built[0] / page)
    (empty,) = tree.xpath("//p[@class='press-empty']")
    assert visible_text(empty) == "Aucun article n’est encore publié dans ce dossier."
    assert not tree.xpath("//ol[contains(@class, 'press-list')]")


def test_dossiers_chronology_and_indexes_say_so(built: tuple[Path, str]) -> None:
    site = built[0]
    cards = parse(site / "dossiers" / "index.html").xpath("//p[@class='press-count']")
    assert [visible_text(c) for c in cards] == ["Aucun article pour l’instant"] * len(_themes())
    for page in ("chronologie", "personnes", "lieux", "organisations", "sources", "mots-cles", "auteurs", "citations"):
        (empty,) = parse(site / page / "index.html").xpath("//p[@class='press-empty']")
        assert visible_text(empty).startswith("Aucun"), page


def test_every_link_of_the_site_resolves(built: tuple[Path, str]) -> None:
    """Every ``href`` and ``src`` of every page reaches a file of site/: none leads to a missing article."""
    site = built[0]
    checked, broken = 0, []
    for page in html_pages(site):
        for _element, attribute, link, _pos in parse(page).iterlinks():
            parts = urlsplit(link)
            if attribute not in ("href", "src") or parts.scheme or parts.netloc or not parts.path:
                continue
            if parts.path.startswith("/"):  # 404.html's links are absolute: under site_url's path
                assert parts.path.startswith(SITE_PATH), (page, link)
                target = site / unquote(parts.path[len(SITE_PATH) :])
            else:
                target = page.parent / unquote(parts.path)
            target = target / "index.html" if target.is_dir() else target
            checked += 1
            if not target.resolve().is_file() or site.resolve() not in target.resolve().parents:
                broken.append(f"{page.relative_to(site)} -> {link}")
            assert "articles/" not in parts.path, (page, link)
    assert checked > 100 and broken == []


@pytest.mark.browser
def test_search_finds_nothing_without_an_error(built: tuple[Path, str], browser: Any) -> None:
    """In Chromium, a search of the empty site says « Aucun document trouvé », offers no filter, logs no error.

    Pagefind writes an index with no language when no page is indexed; searching it threw
    « No language indexes found » into the console at every key press.
    """
    with serve(built[0], SITE_PATH.strip("/")) as site_url:
        context = browser.new_context()
        page = context.new_page()
        watch = PageWatch(page, site_url)
        page.goto(site_url + "dossiers/climat/")
        page.keyboard.press("/")
        page.locator("input.md-search__input").press_sequentially("climat", delay=25)
        # Each key press starts a search (aria-busy); the last one's end clears it, even when it fails.
        page.wait_for_function(SEARCH_DONE, timeout=15_000)
        watch.wait_idle(page)
        watch.assert_clean()
        assert page.evaluate(SEARCH_READY), "the search never said it was ready"
        assert page.locator("[data-press-search=result]").get_attribute("data-query") == "climat"
        assert page.locator(".md-search-result__meta").inner_text().strip() == "Aucun document trouvé"
        assert page.locator(".md-search-result__item").count() == 0
        assert page.locator("[data-press-search=filters]").is_hidden()
        assert page.locator("[data-press-search=more]").is_hidden()
        context.close()


def test_a_misspelt_home_key_is_refused_in_one_line(tmp_path: Path) -> None:
    """``extra.home`` takes title, lede and description: a French ``titre`` is named, not ignored."""
    root = copy_project(tmp_path / "p")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("  home:\n    title:", "  home:\n    titre:", 1), encoding="utf-8")
    done = run_command(root, "build")
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if line.startswith("mkdocs.yml")]
    assert lines == [
        "mkdocs.yml: erreur: extra.home n'accepte que des textes sous les clés title, lede, description "
        "(clé inconnue : titre), par exemple « title: Revue de presse sur le climat »"
    ], done.stderr
    assert "Traceback" not in done.stderr
    assert not (root / "site").exists()
