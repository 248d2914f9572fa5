"""The URL scheme, French dates and escaping, each on its own, against literal expectations.

The dates' oracle is Babel called directly (``tests.helpers.fr_date``) and the issue's own
literal examples; the URL scheme's oracle is the table of paths in the README.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
import yaml
from babel.dates import format_date

from build_scripts.dates import french_date, french_month
from build_scripts.escape import front_matter, html, json_script
from build_scripts.model import Article, Theme
from build_scripts.render import urls
from tests.helpers import fr_date

THEME = Theme("otan", "OTAN", "D.", ())


def _article(slug: str) -> Article:
    return Article(
        id="a",
        slug=slug,
        title="T",
        headline="T",
        date=dt.date(2017, 2, 16),
        source="S",
        paragraphs=(),
        themes=("otan",),
        text_path="seeds/a.txt",
        meta_path="seeds/a.yml",
    )


def test_every_generated_path() -> None:
    assert urls.article_src(_article("2017-02-16-x")) == "articles/2017-02-16-x.md"
    assert urls.theme_src(THEME) == urls.theme_src("otan") == "dossiers/otan.md"
    assert urls.theme_year_src(THEME, 2021) == urls.theme_year_src("otan", 2021) == "dossiers/otan/2021.md"
    assert urls.chronology_src(2022) == "chronologie/2022.md"
    assert urls.quotes_src(THEME) == urls.quotes_src("otan") == "citations/otan.md"
    assert urls.quotes_src("otan", 2021) == "citations/otan-2021.md"
    assert urls.index_src("personnes") == "personnes/index.md"
    assert urls.entry_src("lieux", "moscou") == "lieux/moscou.md"
    assert urls.feed_src() == urls.FEED_ALL == "flux/articles.xml"
    assert urls.feed_src(THEME) == urls.feed_src("otan") == "flux/dossiers/otan.xml"
    assert (urls.HOME, urls.DOSSIERS, urls.CHRONOLOGY, urls.QUOTES) == (
        "index.md",
        "dossiers/index.md",
        "chronologie/index.md",
        "citations/index.md",
    )


def test_index_paths_by_kind() -> None:
    from build_scripts.schema import INDEX_KINDS

    segments = {kind.segment for kind in INDEX_KINDS}
    assert {"personnes", "lieux", "organisations", "sources"} <= segments
    for kind in INDEX_KINDS:
        assert urls.index_src(kind) == f"{kind.segment}/index.md"
        assert urls.entry_src(kind, "x-y") == f"{kind.segment}/x-y.md"


@pytest.mark.parametrize(
    ("src", "url"),
    [
        ("index.md", ""),
        ("a-propos.md", "a-propos/"),
        ("dossiers/index.md", "dossiers/"),
        ("dossiers/otan.md", "dossiers/otan/"),
        ("dossiers/otan/2021.md", "dossiers/otan/2021/"),
        ("articles/index-des-noms.md", "articles/index-des-noms/"),
        ("articles/x-index.md", "articles/x-index/"),
    ],
)
def test_page_url(src: str, url: str) -> None:
    assert urls.page_url(src) == url


def test_links_between_pages_and_to_files() -> None:
    assert urls.relative_href("articles/a.md", "articles/b.md") == "../b/"
    assert urls.relative_href("articles/a.md", "index.md") == "../../"
    assert urls.relative_href("index.md", "articles/a.md", "titre") == "articles/a/#titre"
    assert urls.relative_href("dossiers/index.md", "dossiers/otan.md") == "otan/"
    assert urls.relative_href("dossiers/otan.md", "dossiers/otan/2021.md") == "2021/"
    assert urls.relative_href("dossiers/otan/2021.md", "dossiers/otan.md") == "../"
    assert urls.relative_href("personnes/index.md", "personnes/index.md", "p-1") == "./#p-1"
    assert urls.file_href("index.md", "flux/articles.xml") == "flux/articles.xml"
    assert urls.file_href("articles/a.md", "flux/articles.xml") == "../../flux/articles.xml"
    assert urls.file_href("dossiers/otan/2021.md", "flux/dossiers/otan.xml") == "../../../flux/dossiers/otan.xml"


def test_relpath_of_deeper_and_sibling_folders() -> None:
    assert urls._relpath("a/b/c", "a") == "b/c"
    assert urls._relpath("a", "a/b/c") == "../.."
    assert urls._relpath("x/y", "a/b") == "../../x/y"
    assert urls._relpath("a/./b", "./a") == "b"
    assert urls._relpath("a", "a") == "."


# --- French dates ------------------------------------------------------------------------------


def test_french_dates_of_the_issue() -> None:
    assert french_date(dt.date(2016, 12, 1)) == "1er décembre 2016"
    assert french_date(dt.date(2017, 2, 16)) == "16 février 2017"
    assert french_date(dt.date(2022, 8, 2)) == "2 août 2022"
    assert french_month(dt.date(2017, 2, 16)) == "février 2017"
    assert french_month(dt.date(2016, 12, 1)) == "décembre 2016"


def test_every_day_of_a_leap_year_against_babel() -> None:
    day = dt.date(2016, 1, 1)
    while day.year == 2016:
        assert french_date(day) == fr_date(day), day
        assert french_month(day) == format_date(day, "MMMM y", locale="fr"), day
        day += dt.timedelta(days=1)
    # The calendar year, not the year of the ISO week (1 January 2016 is in week 53 of 2015).
    assert french_month(dt.date(2016, 1, 1)) == "janvier 2016"
    assert french_month(dt.date(2018, 12, 31)) == "décembre 2018"


# --- Escaping ----------------------------------------------------------------------------------


def test_html_escaping_is_exact() -> None:
    assert str(html('<a href="x">l\'été & co</a>')) == "&lt;a href=&#34;x&#34;&gt;l&#39;été &amp; co&lt;/a&gt;"


def test_json_script_exact_and_compact() -> None:
    data = {"b": "</script>", "a": ["é\u2028", "&\u2029"]}
    text = json_script(data)
    assert text == '{"b":"\\u003c/script\\u003e","a":["é\\u2028","\\u0026\\u2029"]}'
    assert json.loads(text) == data


def test_front_matter_keeps_order_unicode_and_long_lines() -> None:
    long = "mot " * 300
    data = {"title": "Été « x »", "description": long.strip(), "a": 1}
    text = front_matter(data, "généré depuis seeds/a.yml")
    assert text == f"---\n# généré depuis seeds/a.yml\ntitle: Été « x »\ndescription: {long.strip()}\na: 1\n---\n"
    assert yaml.safe_load(text.split("\n", 2)[2].removesuffix("---\n")) == data
