"""The caps of the reader pages (README, "Reader pages"), on a corpus made to pass each of them.

None of the five seeds reaches a cap, so the branches are tested on a generated corpus whose
expected pages follow from how it is made: 60 articles ten days apart (2020-2021), four
quotations each (240 in one dossier), « Jean Dupont » in 7 articles and « Marie Curie » in 5
(every name has a page of its own, whatever its count).
Pages are rendered without MkDocs; the expected values never come from the code under test.
"""

from __future__ import annotations

import datetime as dt
import re

import lxml.etree
import pytest

from build_scripts import pipeline
from build_scripts.group import build_indexes
from build_scripts.model import SiteInfo
from build_scripts.render.site import Pages, render_site
from tests.hostile import ArticleSeed, dump_yaml, write_seeds

SITE = SiteInfo("https://example.github.io/dossiers-presse/", "Dossiers de presse")
ATOM = "{http://www.w3.org/2005/Atom}"
COUNT = 60
FIRST = dt.date(2020, 1, 3)
QUOTES_EACH = 4
FEED_CAP, LATEST, QUOTES_CAP = 50, 10, 200  # the README's numbers


def _day(i: int) -> dt.date:
    return FIRST + dt.timedelta(days=10 * i)


def _people(i: int) -> list[str]:
    return ["Jean Dupont"] if i < 7 else ["Marie Curie"] if i < 12 else []


def _articles() -> list[ArticleSeed]:
    articles = []
    for i in range(COUNT):
        quotes = [f"« Citation {k} de l'article {i} avec bien assez de mots », a-t-il dit." for k in range(QUOTES_EACH)]
        meta = {"date": _day(i).isoformat(), "source": "Agence", "themes": ["grand"], "slug": f"c-{i:02d}"}
        if _people(i):
            meta["people"] = _people(i)
        if i < 3:
            meta["themes"] = ["grand", "petit"]
        articles.append(ArticleSeed(f"c{i:02d}", [f"Article numéro {i}", *quotes], meta))
    return articles


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Pages:
    root = tmp_path_factory.mktemp("caps")
    write_seeds(root / "seeds", _articles())
    themes = [
        {"id": "grand", "title": "Grand dossier", "description": "Beaucoup d'articles.\n"},
        {"id": "petit", "title": "Petit dossier", "description": "Trois articles.\n"},
    ]
    (root / "seeds" / "themes.yml").write_text(dump_yaml(themes), encoding="utf-8")
    corpus, problems = pipeline.check(root)
    assert [p for p in problems if p.severity == "error"] == []
    assert len(corpus.articles) == COUNT
    return render_site(corpus, build_indexes(corpus), SITE)


def _newest(indices: range | list[int], count: int) -> list[str]:
    return [f"c-{i:02d}" for i in sorted(indices, key=_day, reverse=True)][:count]


def _text(pages: Pages, src: str) -> str:
    """A generated page's text: a feed's XML, or a page's HTML for MkDocs."""
    out = pages[src]
    return out if isinstance(out, str) else out.html


def _slugs(text: str) -> list[str]:
    return list(dict.fromkeys(re.findall(r"articles/(c-\d\d)/", text)))


@pytest.mark.parametrize(
    ("feed", "members"), [("flux/articles.xml", range(COUNT)), ("flux/dossiers/petit.xml", [0, 1, 2])]
)
def test_feeds_hold_the_fifty_newest(pages: Pages, feed: str, members: range | list[int]) -> None:
    root = lxml.etree.fromstring(_text(pages, feed).encode("utf-8"))
    links = [entry.find(f"{ATOM}link").get("href") for entry in root.iter(f"{ATOM}entry")]  # type: ignore[union-attr]
    expected = _newest(members, FEED_CAP)
    assert len(expected) == min(FEED_CAP, len(members))
    assert links == [f"{SITE.url}articles/{slug}/" for slug in expected]


def test_home_lists_the_latest_ten(pages: Pages) -> None:
    assert _slugs(_text(pages, "index.md")) == _newest(range(COUNT), LATEST)


def test_quotations_above_two_hundred_are_split_by_year(pages: Pages) -> None:
    assert COUNT * QUOTES_EACH > QUOTES_CAP
    years = sorted({_day(i).year for i in range(COUNT)})
    assert years == [2020, 2021]
    dossier = _text(pages, "citations/grand.md")
    for year in years:
        page = _text(pages, f"citations/grand-{year}.md")
        assert f"grand-{year}/" in dossier
        expected = {(k, i) for i in range(COUNT) if _day(i).year == year for k in range(QUOTES_EACH)}
        found = {(int(k), int(i)) for k, i in re.findall(r"Citation (\d) de l(?:&#39;|')article (\d+) ", page)}
        assert found == expected, year
    # The small dossier (12 quotations) is one page.
    assert not [src for src in pages if src.startswith("citations/petit-")]
    assert len(re.findall(r"Citation \d de l", _text(pages, "citations/petit.md"))) == 3 * QUOTES_EACH


def test_every_name_has_its_own_page_and_the_index_only_counts(pages: Pages) -> None:
    """Each person has a page listing all their articles, newest first; the index lists names and counts."""
    own = sorted(src for src in pages if src.startswith("personnes/") and src != "personnes/index.md")
    assert own == ["personnes/jean-dupont.md", "personnes/marie-curie.md"], own
    for src, name in zip(own, ("Jean Dupont", "Marie Curie"), strict=True):
        assert name in _text(pages, src)
        expected = [i for i in range(COUNT) if name in _people(i)]
        assert _slugs(_text(pages, src)) == _newest(expected, len(expected))
    index = _text(pages, "personnes/index.md")
    # The index links to the names' pages, with their counts, and to no article.
    assert _slugs(index) == []
    for name, count in (("Jean Dupont", 7), ("Marie Curie", 5)):
        assert re.search(rf"{name}</a>\D*{count}\b", index), name
