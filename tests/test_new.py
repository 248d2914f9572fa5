"""``python -m build_scripts new``: guesses on the real seeds' texts and on small made-up texts."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from build_scripts import cli, new
from build_scripts.load import read_seeds
from build_scripts.new.dates import guess_date
from build_scripts.new.draft import LONG_TITLE, SCHEMA_LINE
from build_scripts.new.entities import suggest_entities
from build_scripts.new.known import UNKNOWN_SOURCE
from build_scripts.new.outlet import guess_outlet
from build_scripts.schema import ENTITY_KINDS
from build_scripts.validate import validate
from build_scripts.yamlsafe import parse_yaml
from tests.helpers import EXAMPLE_SEEDS, copy_project, plain_seeds, run_command

SEED_STEMS = sorted(p.stem for p in EXAMPLE_SEEDS.glob("*.txt"))
TODAY = dt.date(2026, 6, 1)
# What each seed's text says of its date, read by hand: the full date, only day and month
# (« ce lundi 8 février », the year guessed from the weekday), or nothing at all.
DATE_IN_TEXT = {"000": None, "001": "full", "002": None, "003": "full", "004": "day and month"}


def _meta(stem: str) -> dict[str, object]:
    """The maintainer's metadata of a seed, read with plain PyYAML (not the code under test)."""
    return plain_seeds(EXAMPLE_SEEDS)[stem].meta


def _without(tmp_path: Path, stem: str) -> tuple[Path, Path]:
    """A project copy without one seed, and that seed's text outside it."""
    root = copy_project(tmp_path / "p")
    text = tmp_path / "clip.txt"
    text.write_bytes((root / "seeds" / f"{stem}.txt").read_bytes())
    (root / "seeds" / f"{stem}.txt").unlink()
    (root / "seeds" / f"{stem}.yml").unlink()
    return root, text


@pytest.mark.parametrize("stem", SEED_STEMS)
def test_new_on_a_seed_text_guesses_like_its_maintainer(tmp_path: Path, stem: str) -> None:
    """The seed's text with its YAML removed: title, date, themes, entities, outlet, omit."""
    root, clip = _without(tmp_path, stem)
    meta = _meta(stem)
    text = clip.read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    known = new.learn(root)
    proposal = new.draft(text, known, TODAY)
    g = proposal.guesses

    # Title: the first line, unless it is a paragraph (then the maintainer writes one).
    if len(lines[0]) <= LONG_TITLE:
        assert g["title"].value == lines[0]
    else:
        assert g["title"].value is None and "title" in meta

    # Date: exact when the text prints it in full; else at least day and month; else left blank.
    seed_date = dt.date.fromisoformat(str(meta["date"]))
    said = DATE_IN_TEXT[stem[:3]]
    guessed = g["date"].value
    if said == "full":
        assert guessed == seed_date and "À CONFIRMER" in g["date"].note
    elif said == "day and month":
        assert guessed is not None and (guessed.month, guessed.day) == (seed_date.month, seed_date.day)
        assert "À CONFIRMER" in g["date"].note or "À VÉRIFIER" in g["date"].note
    else:
        assert guessed is None and "À COMPLÉTER" in g["date"].note

    # Themes: the best suggestion is one the maintainer chose.
    assert g["themes"].value and g["themes"].value[0] in meta["themes"]  # type: ignore[operator]

    # Entities: every name the rest of the corpus knows and the maintainer listed is suggested
    # (every seed names people that another seed knows, so this never holds on empty sets).
    for field in (kind.field for kind in ENTITY_KINDS):
        listed = set(meta.get(field) or [])  # type: ignore[call-overload]
        others = set(known.names[field].values())
        expected = {n for n in listed & others if n in text}
        assert expected <= set(g[field].value), field
        assert expected or field != "people", f"{stem}: no known person to suggest"

    # Outlet: an attribution the text prints is found; a quoted outlet is not taken for it.
    if meta["source"] == UNKNOWN_SOURCE:
        assert g["source"].value is None
        assert f"source: {UNKNOWN_SOURCE}" in g["source"].note  # how to say so, the contract's way
    else:
        assert g["source"].value == meta["source"]

    # Omit: only lines the maintainer also omitted, and some when the maintainer omitted any
    # (each seed with an omit list has at least one line of known clutter).
    omitted = set(meta.get("omit") or [])  # type: ignore[call-overload]
    assert set(g["omit"].value) <= omitted
    assert bool(g["omit"].value) == bool(omitted), (g["omit"].value, omitted)

    # Intertitles: every one the maintainer listed is proposed, « À CONFIRMER », and only lines
    # of the text after the headline; never a line proposed for omit.
    listed_titles = set(meta.get("intertitles") or [])  # type: ignore[call-overload]
    proposed = g["intertitles"].value
    assert listed_titles <= set(proposed)
    assert set(proposed) <= set(lines[1:]) and not set(proposed) & set(g["omit"].value)
    assert ("À CONFIRMER" in g["intertitles"].note) == bool(proposed)
    if proposed:
        assert "\nintertitles:\n" + "".join(f"  - {p}\n" for p in proposed) in proposal.yaml


def test_new_then_fill_blanks_passes_check(tmp_path: Path) -> None:
    """Each seed through ``new``, blanks filled as the maintainer did: ``check`` is clean."""
    root = copy_project(tmp_path / "p")
    for stem in SEED_STEMS:
        (root / "seeds" / f"{stem}.txt").unlink()
        (root / "seeds" / f"{stem}.yml").unlink()
    for stem in SEED_STEMS:
        meta = _meta(stem)
        run = run_command(root, "new", str(EXAMPLE_SEEDS / f"{stem}.txt"))
        assert run.returncode == 0, run.stderr
        yml = root / run.stdout.splitlines()[1]
        assert yml.read_text(encoding="utf-8").startswith(SCHEMA_LINE + "\n")
        filled = yml.read_text(encoding="utf-8")
        for key in ("date", "source"):
            filled = re.sub(rf"^{key}:$", f"{key}: {meta[key]}", filled, flags=re.M)
        yml.write_text(filled, encoding="utf-8")
    run = run_command(root, "check")
    assert run.returncode == 0, run.stderr
    assert "erreur:" not in run.stderr


def test_french_date_phrases() -> None:
    """The forms the brief names, and the year taken from context."""
    assert guess_date(["Titre", "Paris, le mardi 8 mars 2022 – Texte."], TODAY).value == dt.date(2022, 3, 8)
    assert guess_date(["Titre", "ce jeudi 16 février 2017, il a dit"], TODAY).value == dt.date(2017, 2, 16)
    assert guess_date(["Titre", "le 1er décembre 2016"], TODAY).value == dt.date(2016, 12, 1)
    # Year missing: taken from the other years of the text.
    guess = guess_date(["Titre", "Moscou, 28 janvier – En 2019 déjà, puis en 2019 encore."], TODAY)
    assert guess.value == dt.date(2019, 1, 28) and "2019" in guess.note
    # Year missing, weekday given: the last year where that day fell on it.
    guess = guess_date(["Titre", "Paris, 28 janvier (TASR) – accord vendredi."], TODAY)
    assert guess.value == dt.date(2022, 1, 28)
    # Nothing in context: this year (or last year if that would be the future), flagged.
    guess = guess_date(["Titre", "Le 3 mars, il a parlé."], TODAY)
    assert guess.value == dt.date(2026, 3, 3) and "À VÉRIFIER" in guess.note
    guess = guess_date(["Titre", "Le 3 novembre, il a parlé."], TODAY)
    assert guess.value == dt.date(2025, 11, 3) and "À VÉRIFIER" in guess.note
    # A weekday that does not match the date is pointed out.
    guess = guess_date(["Titre", "ce lundi 8 février 2022"], TODAY)
    assert guess.value == dt.date(2022, 2, 8) and "mardi" in guess.note
    # No date at all: left blank.
    assert guess_date(["Titre", "Il a parlé jeudi."], TODAY).value is None


def test_outlet_attribution_versus_quoted_outlet() -> None:
    """« (AFP) » in a dateline and « Source : » are attributions; « selon l'AFP » is a quote."""
    known = new.Known()
    assert guess_outlet(["T", "Moscou, 3 mars (AFP) – Texte."], known)[0].value == "AFP"
    assert guess_outlet(["T", "Texte.", "Source : Reuters"], known)[0].value == "Reuters"
    guess, cited = guess_outlet(["T", "Selon l'AFP, il a parlé au quotidien Le Monde."], known)
    assert guess.value is None
    assert set(cited) == {"AFP", "Le Monde"}
    assert "« Selon l'AFP »" in guess.note


def test_made_up_text_on_stdin_with_options(tmp_path: Path) -> None:
    """Text on standard input with --title/--date/--source: options win over guesses."""
    root = copy_project(tmp_path / "p")
    text = (
        "Sommet à Moscou\n\nMoscou, le mardi 8 mars 2022 (AFP) – Vladimir Poutine a reçu Emmanuel Macron.\n"
        "Les sanctions et l'OTAN étaient au menu ; les sanctions pèsent.\n\nPartager\n\nLaisser un commentaire\n"
    )
    run = run_command(root, "new", "--title", "Poutine reçoit Macron", "--source", "Le Monde", stdin=text)
    assert run.returncode == 0, run.stderr
    txt, yml = (root / line for line in run.stdout.splitlines())
    assert txt.name.startswith("2022-03-08-poutine-recoit-macron")
    assert txt.read_text(encoding="utf-8") == text
    doc, problems = parse_yaml(yml.read_text(encoding="utf-8"), "x")
    assert doc is not None and not problems
    meta = doc.value
    assert meta["title"] == "Poutine reçoit Macron"
    assert meta["date"] == "2022-03-08"
    assert meta["source"] == "Le Monde"
    assert meta["themes"][0] in ("sanctions", "otan")
    assert {"Vladimir Poutine", "Emmanuel Macron"} <= set(meta["people"])
    assert "Moscou" in meta["places"] and "OTAN" in meta["organisations"]
    assert meta["omit"] == ["Partager", "Laisser un commentaire"]
    # Every guess carries its comment for the maintainer.
    assert yml.read_text(encoding="utf-8").count("À CONFIRMER") >= 4
    raw, read_problems = read_seeds(root)
    _, more = validate(raw)
    assert not [p for p in read_problems + more if yml.stem in p.path and p.severity == "error"]


def test_new_never_overwrites(tmp_path: Path) -> None:
    """The same text twice: two seeds, the first untouched."""
    root = copy_project(tmp_path / "p")
    clip = tmp_path / "clip.txt"
    clip.write_text("Titre\n\nle mardi 8 mars 2022, un texte.\n", encoding="utf-8")
    first = run_command(root, "new", str(clip))
    before = {p: p.read_bytes() for p in (root / "seeds").iterdir()}
    second = run_command(root, "new", str(clip))
    assert first.returncode == second.returncode == 0
    assert first.stdout != second.stdout
    assert all(p.read_bytes() == data for p, data in before.items())
    assert second.stdout.splitlines()[0].endswith("-2.txt")


@pytest.mark.parametrize(
    ("args", "content", "message"),
    [
        (["new", "{missing}"], None, "fichier introuvable"),
        (["new", "{clip}"], b"\xff\xfe du texte", "UTF-8"),
        (["new", "{clip}"], b"   \n\n", "vide"),
        (["new", "--date", "8 mars", "{clip}"], b"Titre\n", "AAAA-MM-JJ"),
        (["new", "{dir}"], None, "fichier introuvable"),
    ],
    ids=["missing_file", "not_utf8", "empty", "bad_date_option", "directory"],
)
def test_new_bad_input_no_traceback(tmp_path: Path, args: list[str], content: bytes | None, message: str) -> None:
    root = copy_project(tmp_path / "p")
    clip = tmp_path / "clip.txt"
    if content is not None:
        clip.write_bytes(content)
    before = sorted(p.name for p in (root / "seeds").iterdir())
    argv = [a.format(missing=tmp_path / "nope.txt", clip=clip, dir=tmp_path) for a in args]
    run = run_command(root, *argv)
    assert run.returncode != 0
    assert "Traceback" not in run.stderr
    assert message in run.stderr
    assert sorted(p.name for p in (root / "seeds").iterdir()) == before


def test_new_reads_the_aliases_file(tmp_path: Path) -> None:
    """A variant declared in seeds/aliases.yml is recognised and written under its canonical name."""
    root = copy_project(tmp_path / "p")
    aliases = "people:\n  Vladimir Poutine: [V. Poutine, W. Putin]\n"
    (root / "seeds" / "aliases.yml").write_text(aliases, encoding="utf-8")
    known = new.learn(root)
    found = suggest_entities("W. Putin a parlé à Moscou.", known)
    assert found["people"].value == ["Vladimir Poutine"]


def test_new_learns_what_it_can_from_a_broken_aliases_file(tmp_path: Path) -> None:
    """The strict reader's errors are for ``check``; ``new`` keeps the sections that are right."""
    root = copy_project(tmp_path / "p")
    aliases = "people:\n  Vladimir Poutine: [W. Putin]\npersonnes:\n  X: [Y]\n"
    (root / "seeds" / "aliases.yml").write_text(aliases, encoding="utf-8")
    known = new.learn(root)
    assert suggest_entities("W. Putin a parlé.", known)["people"].value == ["Vladimir Poutine"]
    assert "Y" not in known.names["people"]


def test_help_is_plain_words(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["new", "--help"])
    assert exit_info.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    for words in ("--title", "--date", "--source", "AAAA-MM-JJ", "entrée standard", "À CONFIRMER", "seeds/"):
        assert words in text, words
    assert "Aucun fichier existant n'est remplacé" in text
