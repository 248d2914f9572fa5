"""The input contract at unit speed: every golden error case, refused characters, field values.

The same golden error files as ``tests/test_hostile_input.py`` (which builds with MkDocs), read
here through the pipeline's first stages only, so the mutation run (``tests/mutation.sh``) can
afford them for every mutant. Expected values are literal or come from an independent
definition, never from the code under test.
"""

from __future__ import annotations

import datetime as dt
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml

from build_scripts import pipeline
from build_scripts.group import build_indexes
from build_scripts.load import read_seeds
from build_scripts.model import SiteInfo, SpeakerNote
from build_scripts.problems import InputError, Problem
from build_scripts.schema import FIELDS
from build_scripts.validate import validate
from build_scripts.validate.fields import FieldReader, suggest
from build_scripts.yamlsafe import Document, forbidden_char, parse_yaml, refused_kind
from tests.helpers import BASE_SEEDS, ERROR_CASES, refused

ERRORS = ERROR_CASES
CASES = sorted(p.stem for p in ERRORS.glob("*.yml"))


def seeds_with(tmp_path: Path, case: dict[str, Any]) -> Path:
    """A project root whose seeds/ are the valid base seeds with ``case`` written over them."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name, text in BASE_SEEDS.items():
        (seeds / name).write_text(text, encoding="utf-8")
    for name in case.get("remove", []):
        (seeds / name).unlink()
    for name, content in (case.get("files") or {}).items():
        (seeds / name).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    for name, size in (case.get("filler") or {}).items():
        (seeds / name).write_bytes(b"x" * size)
    return tmp_path


def generation_errors(root: Path) -> list[str]:
    """The error lines ``build`` prints for ``root``: stages 1 to 4, nothing written."""
    _raw, corpus, problems = pipeline.load_and_validate(root)
    try:
        pipeline.stop_on_errors(problems)
        pipeline.render(corpus, build_indexes(corpus), SiteInfo("https://x.org/", "x"))
    except InputError as error:
        return [str(p) for p in error.problems]
    return []


@pytest.mark.parametrize("name", CASES)
def test_golden_error_case_without_mkdocs(name: str, tmp_path: Path) -> None:
    case = yaml.safe_load((ERRORS / f"{name}.yml").read_text(encoding="utf-8"))
    golden = (ERRORS / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    assert generation_errors(seeds_with(tmp_path, case)) == golden[:-1]


def test_every_golden_case_has_its_output_and_the_reverse() -> None:
    assert sorted(p.stem for p in ERRORS.glob("*.txt")) == CASES


def test_base_seeds_are_valid(tmp_path: Path) -> None:
    assert generation_errors(seeds_with(tmp_path, {})) == []


# --- Refused characters --------------------------------------------------------------------


def test_forbidden_char_is_the_readme_rule_on_every_code_point() -> None:
    """All 1,114,112 code points, one at a time, against the rule written out above."""
    wrong = [
        f"U+{code:04X}"
        for code in range(sys.maxunicode + 1)
        if (forbidden_char(chr(code)) is not None) != refused(chr(code))
    ]
    assert wrong == []
    assert sum(refused(chr(code)) for code in range(sys.maxunicode + 1)) == 65 - 2 + 2048 + 66


def test_forbidden_char_gives_line_column_and_code() -> None:
    assert forbidden_char("ab\ncd\x01e") == (2, 3, "U+0001")
    assert forbidden_char("\t\u00a0\u202f\u200b\u2028\U0001f600") is None
    assert forbidden_char("x\n\ny\U0010fffe") == (3, 2, "U+10FFFE")
    assert forbidden_char("\ufdd0\x00") == (1, 1, "U+FDD0")


@pytest.mark.parametrize(
    ("escape", "message"),
    [
        ("\\x85", "caractère de contrôle invisible U+0085"),
        ("\\uFFFF", "non-caractère Unicode U+FFFF"),
        ("\\U0001FFFE", "non-caractère Unicode U+1FFFE"),
        ("\\ud83d\\ude00", "demi-code de substitution (surrogate) U+D83D"),
    ],
)
def test_refused_escape_in_yaml_is_named(escape: str, message: str) -> None:
    _doc, problems = parse_yaml(f'date: 2020-01-02\nsource: "x{escape}"\n', "a.yml")
    assert [(p.line, message in p.message) for p in problems] == [(2, True)], problems


# --- Strict YAML -----------------------------------------------------------------------------


def test_every_scalar_stays_the_text_written_and_every_value_has_its_line() -> None:
    doc, problems = parse_yaml(
        "a: no\nb: 2017-02-16\nc: ~\nd: ''\ne:\n  - 1e3\n  - [x, y]\nf: {g: null}\nh: |\n  deux\n  lignes\n", "x"
    )
    assert problems == [] and doc is not None
    assert doc.value == {
        "a": "no",
        "b": "2017-02-16",
        "c": None,
        "d": "",
        "e": ["1e3", ["x", "y"]],
        "f": {"g": None},
        "h": "deux\nlignes\n",
    }
    assert doc.lines == {
        (): 1,
        ("a",): 1,
        ("b",): 2,
        ("c",): 3,
        ("d",): 4,
        ("e",): 6,
        ("e", 0): 6,
        ("e", 1): 7,
        ("e", 1, 0): 7,
        ("e", 1, 1): 7,
        ("f",): 8,
        ("f", "g"): 8,
        ("h",): 9,
    }
    assert doc.line("e", 1, 5) == 7 and doc.line("zz") == 1


def test_empty_document_is_none() -> None:
    doc, problems = parse_yaml("# rien\n", "x")
    assert problems == [] and doc is not None and doc.value is None and doc.lines == {}
    assert Document(None).line("a") is None


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a: 1\nb: &x 2\nc: *x\n", 2, "les ancres et alias YAML (& et *) ne sont pas acceptés"),
        ("a: 1\nb: !!python/object:os.system x\n", 2, "étiquette YAML refusée : !!python/object:os.system"),
        ("a: !!set {x}\n", 1, "étiquette YAML refusée : !!set"),
        ("a: !!omap []\n", 1, "étiquette YAML refusée : !!omap"),
        ("a: 1\n? [b]\n: 2\n", 2, "une clé doit être un simple mot, par exemple « date »"),
        ("a: 1\n<<: {b: 2}\n", 2, "la fusion YAML « << » n'est pas acceptée"),
        ("a: 1\nb: 2\na: 3\n", 3, "clé « a » en double (déjà présente ligne 1)"),
        ("x:\n  a: 1\n  a: 2\n", 3, "clé « a » en double (déjà présente ligne 2)"),
        ("a: 1\n\tb: 2\n", 2, "tabulation dans l'indentation : le YAML n'accepte que des espaces"),
        ('a: "x\nb: 2\n', 1, "guillemet ouvert mais jamais fermé"),
        ("a: [x, y\nb: 2\n", 1, "liste entre crochets mal formée (attendu « [a, b, c] »)"),
        ("a: {x: 1\nb: 2\n", 2, "dictionnaire entre accolades mal formé"),
        ("a: x\u2028y\n", 1, "séparateur de ligne Unicode U+2028 invisible"),
        ("a: 1\nb: x\u2029\n", 2, "séparateur de ligne Unicode U+2029 invisible : supprimez-le, ou écrivez « \\P »"),
    ],
)
def test_yaml_traps_are_refused_with_their_line(text: str, line: int, message: str) -> None:
    doc, problems = parse_yaml(text, "f.yml")
    assert doc is None
    assert [(p.path, p.line) for p in problems] == [("f.yml", line)]
    assert problems[0].message.startswith(message), problems[0].message


def test_anchor_without_alias_is_refused_too() -> None:
    _doc, problems = parse_yaml("a: 1\nb: &ancre 2\n", "f.yml")
    assert [(p.line, p.message) for p in problems] == [(2, "les ancres et alias YAML (& et *) ne sont pas acceptés")]
    # An ampersand or asterisk in a value is text.
    doc, problems = parse_yaml("a: Marks & Spencer *\nb: '&x'\n", "f.yml")
    assert problems == [] and doc is not None and doc.value == {"a": "Marks & Spencer *", "b": "&x"}


# --- Field values ----------------------------------------------------------------------------

FULL = """\
title: "  Titre   donné  "
date: " 2017-02-16 "
source: Le Monde
url: HTTPS://www.example.fr/a?b=1#c
author: Léopold Moulin
themes: [otan, otan, ukraine]
tags: [diplomatie]
people: [Vladimir Poutine, " Emmanuel Macron "]
places: [Moscou]
organisations: [OTAN]
summary: "Un  résumé\\u00a0:\\n sur deux lignes\\u202f!"
slug: 2017-02-16-mon-article
quotes: [{text: "Nous  ne voulons pas", speaker: Vladimir Poutine}]
"""
TEXT = "Le titre du texte\n« Nous ne voulons pas de confrontation avec qui que ce soit », dit-il.\nFin.\n"
THEMES = "- id: otan\n  title: OTAN\n  description: D.\n- id: ukraine\n  title: Ukraine\n  description: D.\n"


def _corpus(tmp_path: Path, files: dict[str, str], today: dt.date | None = None) -> tuple[Any, list[str]]:
    seeds = tmp_path / "seeds"
    seeds.mkdir(parents=True)
    for name, text in files.items():
        (seeds / name).write_text(text, encoding="utf-8")
    raw, problems = read_seeds(tmp_path)
    corpus, found = validate(raw, today or dt.date(2026, 1, 1))
    return corpus, [str(p) for p in sorted(problems + found)]


def test_every_field_is_read_as_documented(tmp_path: Path) -> None:
    corpus, problems = _corpus(tmp_path, {"themes.yml": THEMES, "a.yml": FULL, "a.txt": TEXT})
    assert problems == []
    (article,) = corpus.articles
    assert article.id == "a" and article.slug == "2017-02-16-mon-article"
    assert article.title == "Titre   donné" and article.headline == "Le titre du texte"
    assert article.date == dt.date(2017, 2, 16)
    assert (article.source, article.author) == ("Le Monde", "Léopold Moulin")
    assert article.url == "HTTPS://www.example.fr/a?b=1#c"
    assert article.themes == ("otan", "ukraine")
    assert article.tags == ("diplomatie",) and article.places == ("Moscou",) and article.organisations == ("OTAN",)
    assert article.people == ("Vladimir Poutine", "Emmanuel Macron")
    # Line breaks and runs of ASCII spaces collapse; NBSP and narrow NBSP stay.
    assert article.summary == "Un résumé\u00a0: sur deux lignes\u202f!"
    assert article.speakers == (SpeakerNote("Nous ne voulons pas", "Vladimir Poutine"),)
    assert [(p.number, p.text, p.line) for p in article.paragraphs] == [
        (1, "« Nous ne voulons pas de confrontation avec qui que ce soit », dit-il.", 2),
        (2, "Fin.", 3),
    ]
    assert (article.text_path, article.meta_path) == ("seeds/a.txt", "seeds/a.yml")
    assert [(t.id, t.title, t.description, t.keywords) for t in corpus.themes] == [
        ("otan", "OTAN", "D.", ()),
        ("ukraine", "Ukraine", "D.", ()),
    ]


def test_defaults_title_slug_and_empty_optionals(tmp_path: Path) -> None:
    meta = "date: 2017-02-16\nsource: Agence\nthemes: [otan]\nurl:\nauthor:\ntags:\n"
    corpus, problems = _corpus(tmp_path, {"themes.yml": THEMES, "b.yml": meta, "b.txt": "Poutine et l’OTAN\nTexte.\n"})
    assert problems == ["seeds/themes.yml: avertissement: le dossier « ukraine » n'a aucun article"]
    (article,) = corpus.articles
    assert (article.title, article.slug) == ("Poutine et l’OTAN", "2017-02-16-poutine-et-l-otan")
    assert (article.url, article.author, article.summary, article.tags, article.speakers) == (None, None, None, (), ())


def test_articles_newest_first_then_by_slug_and_future_dates_warned(tmp_path: Path) -> None:
    files = {"themes.yml": THEMES.split("- id: ukraine")[0]}
    for stem, day in (("a", "2020-01-02"), ("b", "2021-05-06"), ("c", "2020-01-02"), ("d", "2026-01-02")):
        files[f"{stem}.yml"] = f"date: {day}\nsource: S\nthemes: [otan]\nslug: {'zyx'[ord(stem) % 3]}-{stem}\n"
        files[f"{stem}.txt"] = f"Titre {stem}\n"
    corpus, problems = _corpus(tmp_path, files, today=dt.date(2026, 1, 1))
    assert [a.id for a in corpus.articles] == ["d", "b", "a", "c"]  # slugs y-a, z-c
    assert problems == ["seeds/d.yml: avertissement: date dans le futur : 2026-01-02"]
    _corpus_today, problems = _corpus(tmp_path / "t", files, today=dt.date(2026, 1, 2))
    assert problems == []


@pytest.mark.parametrize(
    ("meta", "errors"),
    [
        ("date: 2017-02-16\nsource: S\nthemes: []\n", [(3, "champ « themes » : au moins un dossier est attendu")]),
        ("date: 2017-02-16\nsource: S\nthemes: otan\n", [(3, "champ « themes » : une liste est attendue")]),
        ("date: 2017-2-16\nsource: S\nthemes: [otan]\n", [(1, "champ « date » : date au format AAAA-MM-JJ attendue")]),
        ("date: [2017]\nsource: S\nthemes: [otan]\n", [(1, "champ « date » : date au format AAAA-MM-JJ attendue")]),
        ("date: 2017-02-29\nsource: S\nthemes: [otan]\n", [(1, "champ « date » : la date 2017-02-29 n'existe pas")]),
        (
            "date: 2017-02-16\nsource: [S]\nthemes: [otan]\n",
            [(2, "champ « source » : un texte est attendu, pas une liste")],
        ),
        (
            "date: 2017-02-16\nsource: {a: b}\nthemes: [otan]\n",
            [(2, "champ « source » : un texte est attendu, pas un")],
        ),
        ("date: 2017-02-16\nsource: '  '\nthemes: [otan]\n", [(2, "champ « source » : texte vide")]),
        (
            'date: 2017-02-16\nsource: "a\\nb"\nthemes: [otan]\n',
            [(2, "champ « source » : une seule ligne est attendue")],
        ),
        (
            "date: 2017-02-16\nsource: S\nthemes: [otan]\nslug: Mon-Slug\n",
            [(4, "champ « slug » : minuscules, chiffres")],
        ),
        ("date: 2017-02-16\nsource: S\nthemes: [otan]\nsummary: [x]\n", [(4, "champ « summary » : un paragraphe")]),
        ("date: 2017-02-16\nsource: S\nthemes: [otan]\nsummary: ' '\n", [(4, "champ « summary » : un paragraphe")]),
        ("date: 2017-02-16\nsource: S\nthemes: [otan, 3]\n", [(3, "dossier inconnu « 3 »")]),
        ("date: 2017-02-16\nsource: S\nthemes: [otan, [x]]\n", [(3, "champ « themes », élément 2 : un texte est")]),
        (
            "date: 2017-02-16\nsource: S\nthemes: [otn]\n",
            [(3, "dossier inconnu « otn » ; vouliez-vous dire « otan » ?")],
        ),
        ("- date\n", [(1, "un dictionnaire de champs est attendu")]),
        ("date: 2017-02-16\nsource: S\nthemes: [otan]\nomit: [Absente]\n", [(4, "ligne à omettre introuvable")]),
        ("date: 2017-02-16\nsource: S\nthemes: [otan]\nomit: [T, U]\n", [(4, "« omit » retire toutes les lignes")]),
        (
            "date: 2017-02-16\nsource: S\nthemes: [otan]\nquotes: x\n",
            [(4, "champ « quotes » : une liste est attendue")],
        ),
        ("date: 2017-02-16\nsource: S\nthemes: [otan]\nquotes: [{text: a}]\n", [(4, "champ « quotes », élément 1 :")]),
        ("date: 2017-02-16\nsource: S\nthemes: [otan]\nquotes: [{text: a, speaker: ''}]\n", [(4, "champ « quotes »")]),
        (
            "date: 2017-02-16\nsource: S\nthemes: [otan]\nquotes: [{text: Absente, speaker: X}]\n",
            [(4, "champ « quotes », élément 1 : aucune citation de 6 mots ou plus ne commence par « Absente »")],
        ),
    ],
)
def test_field_errors_name_the_line_and_the_field(tmp_path: Path, meta: str, errors: list[tuple[int, str]]) -> None:
    themes = THEMES.split("- id: ukraine")[0]
    _corpus_value, problems = _corpus(tmp_path, {"themes.yml": themes, "a.yml": meta, "a.txt": "T\nU\n"})
    found = [p for p in problems if ": erreur: " in p]
    assert len(found) == len(errors), problems
    for problem, (line, fragment) in zip(found, errors, strict=True):
        assert problem.startswith(f"seeds/a.yml:{line}: erreur: "), problem
        assert fragment in problem, (problem, fragment)


def test_reader_records_and_suggests() -> None:
    doc, _ = parse_yaml("a: 1\ntags: [x, '', y, x]\n", "f.yml")
    assert doc is not None
    problems: list[Problem] = []
    reader = FieldReader(doc, "seeds/f.yml", problems)
    tags = next(f for f in FIELDS if f.name == "tags")
    assert reader.read(tags, doc.value["tags"], (), "dossier n° 2, ") == ("x", "y")
    assert [str(p) for p in problems] == ["seeds/f.yml:2: erreur: dossier n° 2, champ « tags », élément 2 : texte vide"]
    assert suggest("sourse", ["source", "date"]) == " ; vouliez-vous dire « source » ?"
    assert suggest("zzz", ["source", "date"]) == ""


def test_themes_file_rules(tmp_path: Path) -> None:
    themes = (
        "- id: otan\n  title: OTAN\n  description: D.\n  keywords: [alliance]\n"
        "- id: otan\n  title: Encore\n  description: D.\n"
        "- id: index\n  title: I\n  description: D.\n"
        "- texte\n"
        "- id: Mauvais\n  title: M\n  description: D.\n"
    )
    corpus, problems = _corpus(tmp_path, {"themes.yml": themes})
    assert [(t.id, t.keywords) for t in corpus.themes] == [("otan", ("alliance",))]
    assert problems == [
        "seeds/themes.yml: avertissement: le dossier « otan » n'a aucun article",
        "seeds/themes.yml:5: erreur: dossier « otan » déclaré deux fois (déjà ligne 1)",
        "seeds/themes.yml:8: erreur: dossier n° 3, l'identifiant « index » est réservé (index, sitemap) : "
        "choisissez-en un autre",
        "seeds/themes.yml:11: erreur: dossier n° 4, un dictionnaire est attendu (id, title, description, keywords)",
        "seeds/themes.yml:12: erreur: dossier n° 5, champ « id » : minuscules, chiffres et tirets seulement, "
        "trouvé « Mauvais » (exemple : id: otan)",
    ]


def test_a_missing_themes_file_is_reported_once(tmp_path: Path) -> None:
    _corpus_value, problems = _corpus(tmp_path, {"a.yml": "date: 2017-02-16\nsource: S\nthemes: [x]\n", "a.txt": "T\n"})
    assert len([p for p in problems if "erreur" in p]) == 1, problems
    assert "themes.yml" in problems[0]


def test_aliases_file_rules(tmp_path: Path) -> None:
    aliases = (
        "people:\n  Vladimir Poutine: [Poutine, V. Poutine, Vladimir Poutine]\n  Poutine: [X]\n"
        "  Emmanuel Macron: [Poutine, Macron]\n  Jean: []\nplaces:\norganisations: [OTAN]\npersonnes: {}\n"
    )
    files = {"themes.yml": THEMES, "aliases.yml": aliases}
    corpus, problems = _corpus(tmp_path, files)
    # « Poutine » is both a variant and a name to show: refused as a variant, kept as a name.
    assert corpus.aliases == {
        "people": {"V. Poutine": "Vladimir Poutine", "X": "Poutine", "Macron": "Emmanuel Macron"},
        "places": {},
        "organisations": {},
    }
    errors = [p.removeprefix("seeds/aliases.yml:") for p in problems if "erreur" in p]
    example = "(exemple : people: {Vladimir Poutine: [Poutine, V. Poutine]})"
    assert errors == [
        "2: erreur: « people », « Vladimir Poutine » : la variante « Vladimir Poutine » est le nom retenu lui-même",
        "2: erreur: « people », « Vladimir Poutine » : « Poutine » est aussi un nom retenu ; gardez-en un seul",
        "4: erreur: « people », « Emmanuel Macron » : « Poutine » est aussi un nom retenu ; gardez-en un seul",
        f"5: erreur: « people », « Jean » : une liste de variantes est attendue {example}",
        f"7: erreur: « organisations » : un dictionnaire « nom retenu: [variantes] » est attendu {example}",
        "8: erreur: section inconnue « personnes » ; sections possibles : people, places, organisations",
    ]
    aliases = "people:\n  A: [B]\n  C: [B]\n"
    corpus, problems = _corpus(tmp_path / "again", {"themes.yml": THEMES, "aliases.yml": aliases})
    assert corpus.aliases["people"] == {"B": "A"}
    assert "seeds/aliases.yml:3: erreur: « people », « C » : « B » est déjà une variante de « A »" in problems


def test_two_articles_at_one_address(tmp_path: Path) -> None:
    meta = "date: 2017-02-16\nsource: S\nthemes: [otan]\nslug: meme\n"
    files = {"themes.yml": THEMES.split("- id: ukraine")[0], "a.yml": meta, "a.txt": "T\n", "b.yml": meta}
    files["b.txt"] = "U\n"
    _corpus_value, problems = _corpus(tmp_path, files)
    assert problems == [
        "seeds/b.yml: erreur: même adresse articles/meme/ que seeds/a.yml : "
        "ajoutez un champ « slug: » différent à l'un des deux"
    ]


def test_unicode_categories_of_the_oracle() -> None:
    """Guards ``refused`` itself: it agrees with the Unicode database on controls and surrogates."""
    for code in range(0x10000):
        category = unicodedata.category(chr(code))
        if category in ("Cc", "Cs") and chr(code) not in "\t\n":
            assert refused(chr(code)), hex(code)


# --- Lines of list elements and nested keys (block style: each value on a line of its own) ---


def test_article_errors_point_at_the_element_line(tmp_path: Path) -> None:
    meta = (
        "source: S\n"
        "tags: [x]\n"
        "date: 2017-02-30\n"
        "themes:\n"
        "  - otan\n"
        "  - otn\n"
        "omit:\n"
        "  - T\n"
        "  - Absente\n"
        "quotes:\n"
        "  - speaker: Quelqu'un\n"
        "    text: Absente aussi\n"
        "  - speaker: X\n"
        "    text: ''\n"
        "  - texte seul\n"
    )
    files = {"themes.yml": THEMES, "a.yml": meta, "a.txt": "T\nU\n"}
    files.update({"b.yml": "source: S\nthemes: [otan]\ndate: 16/02/2017\n", "b.txt": "T\n"})
    _corpus_value, problems = _corpus(tmp_path, files)
    assert [p for p in problems if "erreur" in p] == [
        "seeds/a.yml:3: erreur: champ « date » : la date 2017-02-30 n'existe pas",
        "seeds/a.yml:6: erreur: dossier inconnu « otn » ; vouliez-vous dire « otan » ? ; "
        "dossiers déclarés dans seeds/themes.yml : otan, ukraine",
        "seeds/a.yml:9: erreur: ligne à omettre introuvable dans seeds/a.txt : « Absente »",
        "seeds/a.yml:14: erreur: champ « quotes », élément 2, « text » : texte vide",
        "seeds/a.yml:15: erreur: champ « quotes », élément 3 : « text » et « speaker » sont attendus, et eux seuls "
        "(exemple : quotes: [{text: Il a clairement indiqué, speaker: Un conseiller d'Emmanuel Macron}])",
        "seeds/b.yml:3: erreur: champ « date » : date au format AAAA-MM-JJ attendue, trouvé « 16/02/2017 » "
        "(exemple : date: 2017-02-16)",
    ]


def test_a_quote_note_is_checked_against_the_quotations_at_its_text_line(tmp_path: Path) -> None:
    meta = "date: 2017-02-16\nsource: S\nthemes: [otan]\nquotes:\n  - speaker: X\n    text: Absente\n"
    _corpus_value, problems = _corpus(tmp_path, {"themes.yml": THEMES, "a.yml": meta, "a.txt": TEXT})
    assert [p for p in problems if "erreur" in p] == [
        "seeds/a.yml:6: erreur: champ « quotes », élément 1 : aucune citation de 6 mots ou plus ne commence par "
        "« Absente » dans seeds/a.txt (recopiez le début exact, sans les guillemets)"
    ]


def test_whole_article_messages(tmp_path: Path) -> None:
    files = {"themes.yml": THEMES, "a.yml": "- date\n", "a.txt": "T\n"}
    files.update({"b.yml": "date: 2017-02-16\nsource: S\nthemes: [otan]\nomit:\n  - T\n", "b.txt": "T\n"})
    files.update({"c.yml": "date: 2017-02-16\nsource: S\n", "c.txt": "T\n"})
    _corpus_value, problems = _corpus(tmp_path, files)
    assert [p for p in problems if "erreur" in p] == [
        "seeds/a.yml:1: erreur: un dictionnaire de champs est attendu (date: …, source: …, themes: […])",
        "seeds/b.yml:5: erreur: « omit » retire toutes les lignes du texte",
        "seeds/c.yml:1: erreur: champ obligatoire « themes » manquant (exemple : themes: [otan, ukraine])",
    ]
    # An article without themes still counts for nobody: both dossiers are reported empty.
    assert "seeds/themes.yml: avertissement: le dossier « ukraine » n'a aucun article" in problems


def test_quote_notes_read_directly() -> None:
    doc, _ = parse_yaml(
        "quotes:\n  - texte seul\n  - text: a  b\n    speaker: ''\n  - {text: c, speaker: D}\n", "f.yml"
    )
    assert doc is not None
    problems: list[Problem] = []
    quotes = next(f for f in FIELDS if f.name == "quotes")
    reader = FieldReader(doc, "seeds/f.yml", problems)
    assert reader.read(quotes, doc.value["quotes"]) == (SpeakerNote("c", "D"),)
    assert [str(p) for p in problems] == [
        "seeds/f.yml:2: erreur: champ « quotes », élément 1 : « text » et « speaker » sont attendus, et eux seuls "
        "(exemple : quotes: [{text: Il a clairement indiqué, speaker: Un conseiller d'Emmanuel Macron}])",
        "seeds/f.yml:4: erreur: champ « quotes », élément 2, « speaker » : texte vide",
    ]
    problems.clear()
    assert reader.read(quotes, "x") is None
    assert [str(p) for p in problems] == [
        "seeds/f.yml:2: erreur: champ « quotes » : une liste est attendue "
        "(exemple : quotes: [{text: Il a clairement indiqué, speaker: Un conseiller d'Emmanuel Macron}])"
    ]


def test_themes_errors_point_at_the_id_line_and_keep_markdown(tmp_path: Path) -> None:
    themes = (
        "- title: OTAN\n"
        "  id: otan\n"
        "  description: |\n"
        "    Ligne une,  avec  espaces.\n"
        "    Ligne deux.\n"
        "- title: Encore\n"
        "  description: D.\n"
        "  id: otan\n"
        "- title: Réservé\n"
        "  description: D.\n"
        "  id: sitemap\n"
        "- title: Incomplet\n"
        "  id: incomplet\n"
        "  motscles: [x]\n"
    )
    corpus, problems = _corpus(tmp_path, {"themes.yml": themes})
    assert [t.description for t in corpus.themes] == ["Ligne une,  avec  espaces.\nLigne deux."]
    assert [p for p in problems if "erreur" in p] == [
        "seeds/themes.yml:8: erreur: dossier « otan » déclaré deux fois (déjà ligne 2)",
        "seeds/themes.yml:11: erreur: dossier n° 3, l'identifiant « sitemap » est réservé (index, sitemap) : "
        "choisissez-en un autre",
        "seeds/themes.yml:12: erreur: dossier n° 4, champ obligatoire « description » manquant "
        "(exemple : description: L'Organisation du traité de l'Atlantique Nord vue de Moscou.)",
        "seeds/themes.yml:14: erreur: dossier n° 4, champ inconnu « motscles »",
    ]


def test_aliases_errors_point_at_the_variant_line_and_go_on(tmp_path: Path) -> None:
    aliases = (
        "people:\n"
        "  Vladimir Poutine:\n"
        "    - Poutine\n"
        "    - Vladimir Poutine\n"
        "  Emmanuel Macron:\n"
        "    - Macron\n"
        "  Jean:\n"
        "    - Jeannot\n"
        "    - Macron\n"
        "    - Emmanuel Macron\n"
        "    - ''\n"
        "  Vide: []\n"
        "  Paul:\n"
        "    - Popol\n"
    )
    corpus, problems = _corpus(tmp_path, {"themes.yml": THEMES, "aliases.yml": aliases})
    assert corpus.aliases["people"] == {
        "Poutine": "Vladimir Poutine",
        "Macron": "Emmanuel Macron",
        "Jeannot": "Jean",
        "Popol": "Paul",
    }
    example = "(exemple : people: {Vladimir Poutine: [Poutine, V. Poutine]})"
    assert [p for p in problems if "erreur" in p] == [
        "seeds/aliases.yml:4: erreur: « people », « Vladimir Poutine » : "
        "la variante « Vladimir Poutine » est le nom retenu lui-même",
        "seeds/aliases.yml:9: erreur: « people », « Jean » : « Macron » est déjà une variante de « Emmanuel Macron »",
        "seeds/aliases.yml:10: erreur: « people », « Jean » : « Emmanuel Macron » est aussi un nom retenu ; "
        "gardez-en un seul",
        "seeds/aliases.yml:11: erreur: « people », « Jean », variante 4 : texte vide",
        f"seeds/aliases.yml:12: erreur: « people », « Vide » : une liste de variantes est attendue {example}",
    ]
    _corpus_value, problems = _corpus(tmp_path / "liste", {"themes.yml": THEMES, "aliases.yml": "- Poutine\n"})
    assert f"seeds/aliases.yml:1: erreur: un dictionnaire par sorte de nom est attendu {example}" in problems


# --- YAML messages the goldens do not reach --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Never reached through the build: load.py refuses the character in the file first.
        ("a: b\x07\n", (None, "YAML illisible : unacceptable character #x0007")),
        ("a: b: c\n", (1, "YAML invalide (mapping values are not allowed in this context)")),
        # A tab inside a line is not a tab in the indentation.
        ("a: b\tc: d\n", (1, "YAML invalide (mapping values are not allowed in this context)")),
        ("- a\nb: c\n", (2, "YAML invalide (while parsing a block collection ; did not find expected '-' indicator)")),
        ('a: "x \\U0000D800"\n', (1, "échappement YAML refusé : demi-code de substitution (surrogate) ; écrivez")),
        ("!!binary YQ==: 1\n", (1, "une clé doit être un simple mot, par exemple « date »")),
        ("a: [b,\tc\nd: e\n", (1, "liste entre crochets mal formée (attendu « [a, b, c] »)")),
        ("\na: x\u2028\nb: y\u2028\n", (2, "séparateur de ligne Unicode U+2028 invisible")),
    ],
)
def test_other_yaml_messages(text: str, expected: tuple[int | None, str]) -> None:
    _doc, problems = parse_yaml(text, "f.yml")
    assert len(problems) == 1, problems
    assert (problems[0].line, problems[0].message[: len(expected[1])]) == expected, problems[0].message


def test_refused_kind_names_each_kind() -> None:
    assert refused_kind("U+0085") == "caractère de contrôle invisible"
    assert refused_kind("U+D800") == "demi-code de substitution (surrogate)"
    assert refused_kind("U+FDD0") == refused_kind("U+10FFFF") == "non-caractère Unicode"


def test_the_slow_path_refuses_exactly_the_same_characters() -> None:
    """An astral character sends a text to the character-by-character loop: same rule there."""
    wrong = [
        f"U+{code:04X}"
        for code in range(0x10000)
        if (forbidden_char("😀" + chr(code)) is not None) != refused(chr(code))
    ]
    assert wrong == []
