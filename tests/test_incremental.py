"""Under ``serve``, a rebuild updates what a change reaches and nothing else (issue 21).

The corpus-wide indexes, the related articles and the article links are
updated from the last round (``memo.Slots``), not recomputed. Two things are
checked, in process and without timing: after each change of a sequence
(edit, new article, removal, metadata, aliases, dossiers), the pages are
exactly those a fresh generation makes; and one edit recomputes only the
parts it reaches, counted by name (``Slots.computed``) against what the corpus
says it must reach.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from benchmarks.synth import make_corpus
from build_scripts import pipeline
from build_scripts.group import RELATED_WINDOW, build_indexes
from build_scripts.model import Corpus, SiteInfo
from build_scripts.render import urls
from build_scripts.render.site import Output
from tests.helpers import EXAMPLES, copy_project

SITE = SiteInfo("https://example.github.io/dossiers-presse/", "Dossiers de presse")
N = 300  # several windows of RELATED_WINDOW per dossier, every dossier split by year


@pytest.fixture
def serving(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A synthetic project, generated once as ``serve`` does (its parts kept for the next round)."""
    root = copy_project(tmp_path / "p")
    for path in (root / "seeds").iterdir():
        path.unlink()
    make_corpus(EXAMPLES, root / "seeds", N)
    monkeypatch.setattr(pipeline, "SERVING", True)
    pipeline._MEMO.clear()
    pipeline._SLOTS.clear()
    pipeline.generate(root, SITE)
    yield root
    pipeline._MEMO.clear()
    pipeline._SLOTS.clear()


def _serve_round(root: Path) -> pipeline.Generated:
    pipeline._MEMO.clear()  # as after a change: the parts are reused, not the whole generation
    return pipeline.generate(root, SITE)


def _fresh(root: Path, monkeypatch: pytest.MonkeyPatch) -> pipeline.Generated:
    """What a one-off build generates from the same seeds, with nothing kept from before."""
    with monkeypatch.context() as patch:
        patch.setattr(pipeline, "SERVING", False)
        patch.setattr(pipeline, "_SLOTS", {})
        pipeline._MEMO.clear()
        result = pipeline.generate(root, SITE)
        pipeline._MEMO.clear()
    return result


def _bytes(pages: Mapping[str, Output]) -> dict[str, str]:
    return {path: out if isinstance(out, str) else out.markdown() for path, out in pages.items()}


def _middle(corpus: Corpus) -> str:
    return corpus.articles[len(corpus.articles) // 2].id


def _append(root: Path, stem: str, ext: str, text: str) -> None:
    path = root / "seeds" / f"{stem}.{ext}"
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _edit_text(root: Path, corpus: Corpus) -> None:
    _append(root, _middle(corpus), "txt", "\nUn paragraphe ajouté pendant la relecture.\n")


def _new_article(root: Path, corpus: Corpus) -> None:
    newest, middle = corpus.articles[0], corpus.articles[len(corpus.articles) // 2]
    people = ", ".join(f'"{p}"' for p in middle.people)
    (root / "seeds" / "zz-neuf.yml").write_text(
        f"date: {middle.date.isoformat()}\nsource: Agence\nthemes: [{', '.join(newest.themes)}]\n"
        f"slug: zz-neuf\npeople: [{people}]\ntags: [nouveau mot]\n",
        encoding="utf-8",
    )
    (root / "seeds" / "zz-neuf.txt").write_text(
        "Un article tout neuf\n« Nous verrons », a déclaré Jean Neuf.\n", encoding="utf-8"
    )


def _remove_article(root: Path, corpus: Corpus) -> None:
    stem = corpus.articles[len(corpus.articles) // 3].id
    for ext in ("txt", "yml"):
        (root / "seeds" / f"{stem}.{ext}").unlink()


def _edit_people(root: Path, corpus: Corpus) -> None:
    article = corpus.articles[len(corpus.articles) // 4]
    path = root / "seeds" / f"{article.id}.yml"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("people:")]
    path.write_text("\n".join([*lines, 'people: ["Personne Nouvelle", "Vladimir Poutine"]']) + "\n", encoding="utf-8")


def _retitle(root: Path, corpus: Corpus) -> None:
    """What the lists show of an article (its title, summary and outlet) changes: every list showing it must follow."""
    article = corpus.articles[len(corpus.articles) // 7]
    path = root / "seeds" / f"{article.id}.yml"
    shown = ("title:", "summary:", "source:")
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith(shown)]
    extra = ['title: "Un titre revu"', 'summary: "Un résumé revu."', "source: Agence revue"]
    path.write_text("\n".join([*lines, *extra]) + "\n", encoding="utf-8")


def _most_cited(corpus: Corpus) -> str:
    return Counter(p for a in corpus.articles for p in a.people).most_common(1)[0][0]


def _set_people(root: Path, article_id: str, people: list[str]) -> None:
    path = root / "seeds" / f"{article_id}.yml"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("people:")]
    listed = ", ".join(f'"{p}"' for p in people)
    path.write_text("\n".join([*lines, f"people: [{listed}]"]) + "\n", encoding="utf-8")


def _colliding_name(root: Path, corpus: Corpus) -> None:
    """A name with another's page name that sorts before it: that other entry's page becomes ``<slug>-2``."""
    _set_people(root, corpus.articles[len(corpus.articles) // 5].id, [_most_cited(corpus).upper()])


def _colliding_name_gone(root: Path, corpus: Corpus) -> None:
    """The same article without people: the upper-case entry is gone, the other gets its page name back."""
    _set_people(root, corpus.articles[len(corpus.articles) // 5].id, [])


def _aliases(root: Path, corpus: Corpus) -> None:
    people = sorted({p for a in corpus.articles for p in a.people})
    aliases = f'people:\n  "{people[0]}": ["{people[1]}", "{RARE}"]\n'
    (root / "seeds" / "aliases.yml").write_text(aliases, encoding="utf-8")


RARE = "Orthographe Rare"
"""A spelling the aliases merge into another name, that no article uses until ``_rare_spelling``."""


def _rare_spelling(root: Path, corpus: Corpus) -> None:
    """One article spells a name as no other does: a variant appears on that name's entry."""
    _set_people(root, corpus.articles[len(corpus.articles) // 6].id, [RARE])


def _rare_spelling_gone(root: Path, corpus: Corpus) -> None:
    """The same article without people: the variant is gone again."""
    _set_people(root, corpus.articles[len(corpus.articles) // 6].id, [])


def _dossier(root: Path, corpus: Corpus) -> None:
    themes = root / "seeds" / "themes.yml"
    theme = corpus.themes[0]
    themes.write_text(
        themes.read_text(encoding="utf-8").replace(f"title: {theme.title}", f"title: {theme.title} (revu)", 1),
        encoding="utf-8",
    )


CHANGES: tuple[tuple[str, Callable[[Path, Corpus], None]], ...] = (
    ("edit", _edit_text),
    ("title, summary and outlet", _retitle),
    ("new article", _new_article),
    ("removal", _remove_article),
    ("people of an article", _edit_people),
    ("a name taking another's page name", _colliding_name),
    ("that name gone", _colliding_name_gone),
    ("aliases", _aliases),
    ("a rare spelling", _rare_spelling),
    ("that spelling gone", _rare_spelling_gone),
    ("dossier title", _dossier),
    ("edit again", _edit_text),
)


def test_each_serve_round_equals_a_fresh_generation(serving: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After each change of the sequence, the kept parts give byte for byte the pages a full build gives."""
    corpus = _serve_round(serving).corpus
    for what, change in CHANGES:
        change(serving, corpus)
        served = _serve_round(serving)
        fresh = _fresh(serving, monkeypatch)
        assert served.corpus == fresh.corpus, what
        assert list(served.pages) == list(fresh.pages), what
        expected = _bytes(fresh.pages)
        differ = sorted(path for path, text in _bytes(served.pages).items() if text != expected[path])
        assert differ == [], what
        corpus = served.corpus


def _computed(root: Path) -> Counter[str]:
    """How many parts of each kind (``page``, ``related``, ``links``…) the last round computed."""
    return Counter(name.partition(":")[0] for name in pipeline._SLOTS[root.resolve()].computed)


def test_a_new_article_updates_the_indexes_around_it(serving: Path) -> None:
    """A new article: its own parts, the entries naming it, the related articles of its neighbours only."""
    before = _serve_round(serving)
    assert _computed(serving)["page"] == 0  # nothing changed: nothing rendered
    _new_article(serving, before.corpus)
    after = _serve_round(serving)
    computed = _computed(serving)
    (new,) = [a for a in after.corpus.articles if a.slug == "zz-neuf"]
    # Its names, quotations, links and head: computed for it alone.
    for part in ("names", "quotes", "links", "about"):
        assert computed[part] == 1, part
    # Related articles: those within RELATED_WINDOW of it in one of its dossiers, itself included.
    near = _within_window(after.corpus, new.id)
    assert computed["related"] == len(near)
    assert len(near) < len(after.corpus.articles) // 2
    # Index entries: those listing it (a new list of articles), no other.
    entries = [name for name in pipeline._SLOTS[serving.resolve()].computed if name.startswith("entry:")]
    indexes = build_indexes(after.corpus)
    listing = {f"entry:{kind}:{e.name}" for kind, items in indexes.entries.items() for e in items if new in e.articles}
    assert set(entries) == listing
    # Pages: every page whose output changed was rendered again, and few others were.
    changed = {path for path, out in after.pages.items() if before.pages.get(path) != out}
    rendered = {
        name.partition(":")[2] for name in pipeline._SLOTS[serving.resolve()].computed if name.startswith("page:")
    }
    assert changed <= rendered
    assert urls.article_src(new) in changed
    assert len(rendered) < len(after.pages) // 10


def test_a_name_that_moves_another_entry_updates_both(serving: Path) -> None:
    """An entry whose page name moves is made again though none of its articles changed; no other is."""
    before = _serve_round(serving)
    person = _most_cited(before.corpus)
    _colliding_name(serving, before.corpus)
    after = _serve_round(serving)
    entries = build_indexes(after.corpus).entries["personnes"]
    moved = next(e for e in entries if e.name == person)
    upper = next(e for e in entries if e.name == person.upper())
    assert moved.slug == upper.slug + "-2"  # the case this test is about did happen
    computed = {n for n in pipeline._SLOTS[serving.resolve()].computed if n.startswith("entry:personnes:")}
    # The article's old names lost it, the new name gained it, and the moved entry changed page name.
    was = before.corpus.articles[len(before.corpus.articles) // 5]
    expected = {f"entry:personnes:{n}" for n in (*was.people, person.upper(), person)}
    assert computed == expected


def _within_window(corpus: Corpus, article_id: str) -> set[str]:
    """The articles whose related articles a change to ``article_id`` reaches: RELATED_WINDOW on each
    side of it in each of its dossiers, itself included."""
    near: set[str] = set()
    (article,) = [a for a in corpus.articles if a.id == article_id]
    for theme in article.themes:
        items = [a.id for a in corpus.articles if theme in a.themes]
        i = items.index(article_id)
        near.update(items[max(0, i - RELATED_WINDOW) : i + RELATED_WINDOW + 1])
    return near


def test_one_edit_recomputes_one_article(serving: Path) -> None:
    """A text edit: one article's parts, its neighbours' related articles, and no link of any other article."""
    before = _serve_round(serving)
    _edit_text(serving, before.corpus)
    after = _serve_round(serving)
    computed = _computed(serving)
    assert computed["load"] == 1
    for part in ("names", "quotes", "links", "about"):
        assert computed[part] == 1, part
    edited = next(a for a in after.corpus.articles if a.id == _middle(before.corpus))
    near = _within_window(after.corpus, edited.id)
    assert computed["related"] == len(near)
    changed = {path for path, out in after.pages.items() if before.pages.get(path) != out}
    rendered = {
        name.partition(":")[2] for name in pipeline._SLOTS[serving.resolve()].computed if name.startswith("page:")
    }
    assert urls.article_src(edited) in changed <= rendered
    # The lists showing it (dossiers, chronology, indexes, quotations, related articles, neighbours) show
    # its title, date and outlet, which did not change: none is rendered again. Only the pages given the
    # whole corpus (the home page, the dossiers' list) and the feeds that carry its text are.
    feeds = {urls.feed_src(), *(urls.feed_src(theme) for theme in edited.themes)}
    assert rendered - changed <= {urls.HOME, urls.DOSSIERS, *feeds}
