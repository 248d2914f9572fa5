"""Write the draft: every guess as a commented YAML field, the text and its YAML into ``seeds/``."""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass
from pathlib import Path

import yaml

from build_scripts.load import read_seeds, refuse_links, split_lines
from build_scripts.new.clutter import propose_omit
from build_scripts.new.dates import guess_date
from build_scripts.new.entities import suggest_themes
from build_scripts.new.intertitles import propose_intertitles
from build_scripts.new.known import Guess, Known
from build_scripts.new.names import suggest_names
from build_scripts.new.outlet import guess_outlet
from build_scripts.new.page import Page, names_only_its_host, page_guesses
from build_scripts.problems import Problem
from build_scripts.schema import FIELDS, SEEDS_DIR
from build_scripts.text import dated_slug
from build_scripts.validate import validate

SCHEMA_LINE = "# yaml-language-server: $schema=article.schema.json"
LONG_TITLE = 150
"""A first line longer than this is probably a paragraph, not a title."""


def guess_title(lines: list[str]) -> Guess:
    """The first line, unless it reads like a paragraph."""
    first = lines[0]
    if len(first) > LONG_TITLE:
        return Guess(
            None,
            f"À COMPLÉTER (facultatif) : la première ligne du texte fait {len(first)} caractères, c'est sans doute "
            "un paragraphe ; donnez un titre court (sinon elle sert de titre).",
        )
    return Guess(first, "À CONFIRMER : titre repris de la première ligne du texte.")


def _scalar(value: str) -> str:
    dumped = yaml.safe_dump(value, allow_unicode=True, width=10**9, default_flow_style=True)
    return dumped.removesuffix("\n").removesuffix("\n...").strip()


def _comment(note: str) -> list[str]:
    return ["# " + line for line in textwrap.wrap(note, 100, break_long_words=False, break_on_hyphens=False)]


def render_yaml(guesses: dict[str, Guess]) -> str:
    """The metadata file: schema line, then each field in schema order with its note."""
    out = [
        SCHEMA_LINE,
        "# Préparé par « python -m build_scripts new ». Vérifiez chaque ligne « À CONFIRMER »,",
        "# remplissez chaque « À COMPLÉTER », puis lancez : python -m build_scripts check",
    ]
    for spec in FIELDS:
        guess = guesses.get(spec.name)
        if guess is None:
            continue
        out += _comment(guess.note)
        value = guess.value
        if value is None:
            out.append(f"{spec.name}:")
        elif isinstance(value, list):
            if spec.name in ("omit", "intertitles") and value:
                out.append(f"{spec.name}:")
                out += [f"  - {_scalar(v)}" for v in value]
            else:
                out.append(f"{spec.name}: [{', '.join(_scalar(v) for v in value)}]")
        elif isinstance(value, dt.date):
            out.append(f"{spec.name}: {value.isoformat()}")
        else:
            out.append(f"{spec.name}: {_scalar(str(value))}")
    return "\n".join(out) + "\n"


@dataclass(frozen=True)
class Draft:
    """What ``new`` proposes for one text."""

    stem: str
    """File name, without extension, in ``seeds/``."""
    yaml: str
    """The pre-filled metadata."""
    guesses: dict[str, Guess]
    """Each field's guess."""


@dataclass(frozen=True)
class Proposal:
    """What a reader's proposal says (issue 20): used only for a field that the page and the text leave empty."""

    source: str | None = None
    date: dt.date | None = None
    themes: tuple[str, ...] = ()


PROPOSED = "À CONFIRMER : indiqué par la proposition, ni la page ni le texte ne le disent."


def _first(given: Guess, stated: Guess | None, guessed: Guess, proposed: object) -> Guess:
    """The maintainer's value, else the page's, else the guess from the text unless it found
    nothing, else the proposer's (marked for confirmation), else that empty guess."""
    if given.value:
        return given
    if stated is not None:
        return stated
    if not guessed.value and proposed:
        return Guess(proposed, PROPOSED)
    return guessed


def draft(
    text: str,
    known: Known,
    today: dt.date,
    title: str | None = None,
    date: dt.date | None = None,
    source: str | None = None,
    *,
    page: Page | None = None,
    themes: tuple[str, ...] = (),
    proposal: Proposal = Proposal(),
    use_model: bool = True,
) -> Draft:
    """Guess every field for ``text`` (read from ``page`` when given); options given by the maintainer win."""
    lines = [line for _, line in split_lines(text)]
    stated = page_guesses(page) if page else {}
    guesses: dict[str, Guess] = {}
    if title:
        guesses["title"] = Guess(title, "Titre donné par --title.")
    elif page:
        guesses["title"] = stated.get("title") or Guess(
            None, "À COMPLÉTER : la page ne donne pas de titre ; sans lui, le premier paragraphe servirait de titre."
        )
    else:
        guesses["title"] = guess_title(lines)
    guesses["date"] = _first(
        Guess(date, "Date donnée par --date."), stated.get("date"), guess_date(lines, today), proposal.date
    )
    outlet, cited = guess_outlet(lines, known)
    if not source and proposal.source and page and names_only_its_host(page):
        # A host name is no outlet's name: the proposer's outlet is the better guess.
        guesses["source"] = Guess(
            proposal.source,
            "À CONFIRMER : indiqué par la proposition ; la page ne donne que son adresse "
            f"({stated['source'].value}), pas le nom du média.",
        )
    else:
        guesses["source"] = _first(
            Guess(source, "Média donné par --source."), stated.get("source"), outlet, proposal.source
        )
    guesses["url"] = stated.get("url") or Guess(
        None, "À COMPLÉTER (facultatif) : adresse de l'article original, http:// ou https://."
    )
    guesses["author"] = stated.get("author") or Guess(
        None, "À COMPLÉTER (facultatif) : auteur ou autrice, si le texte le nomme."
    )
    body = "\n".join(lines)
    guesses["themes"] = _first(
        Guess(list(themes), "Dossiers donnés par --theme."),
        None,
        suggest_themes(body, known.themes),
        list(proposal.themes),
    )
    guesses["tags"] = stated.get("tags") or Guess(
        [], "Facultatif : mots-clés libres, par exemple [diplomatie, sécurité]."
    )
    found = suggest_names(body, known, use_model)
    organisations = list(found["organisations"].value)
    organisations += [c for c in cited if c not in organisations and c not in known.names["places"]]
    if cited and not found["organisations"].value:
        found["organisations"] = Guess(organisations, "À CONFIRMER : médias cités dans le texte ; ajoutez les autres.")
    else:
        found["organisations"] = Guess(organisations, found["organisations"].note)
    guesses.update(found)
    guesses["summary"] = stated.get("summary") or Guess(None, "À COMPLÉTER (facultatif) : résumé en un paragraphe.")
    if page:
        # The page has no headline line: every line is the article's.
        guesses["omit"] = propose_omit(["", *lines], known)
        guesses["intertitles"] = (
            Guess(
                [h for h in page.headings if h not in guesses["omit"].value],
                "À CONFIRMER : titres de section de l'article dans la page (publiés comme intertitres).",
            )
            if page.headings
            else Guess([], "Facultatif : intertitres du texte, recopiés exactement ; la page n'en a pas.")
        )
    else:
        guesses["omit"] = propose_omit(lines, known)
        guesses["intertitles"] = propose_intertitles(lines, guesses["omit"].value)
    stem = seed_stem(guesses["date"].value, guesses["title"].value or lines[0], known.stems)
    return Draft(stem, render_yaml(guesses), guesses)


def seed_stem(date: dt.date | None, title: str, taken: set[str]) -> str:
    """``2017-02-16-poutine-l-otan-nous-provoque…``, never one already taken."""
    base = dated_slug(date.isoformat() if date else "sans-date", title)
    stem, n = base, 2
    while stem in taken:
        stem, n = f"{base}-{n}", n + 1
    return stem


def create(root: Path, text: str, draft_: Draft, seeds_dir: str = SEEDS_DIR) -> tuple[list[Path], list[Problem]]:
    """Write the text and its YAML into ``seeds/``; never replaces an existing file, never writes through a link."""
    seeds = root / seeds_dir
    linked = refuse_links(root, seeds_dir).get(".")
    if linked is not None:
        return [], [linked]
    stem = draft_.stem
    taken = {p.stem for p in seeds.iterdir()} if seeds.is_dir() else set()
    n = 2
    while stem in taken:
        stem, n = f"{draft_.stem}-{n}", n + 1
    txt, yml = seeds / f"{stem}.txt", seeds / f"{stem}.yml"
    seeds.mkdir(parents=True, exist_ok=True)
    body = text if text.endswith("\n") else text + "\n"
    try:
        # Mode "x" (O_CREAT | O_EXCL) refuses an existing file, even one created
        # meanwhile, and never follows a link put in its place (POSIX open()).
        with open(txt, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(body)
        try:
            with open(yml, "x", encoding="utf-8", newline="\n") as handle:
                handle.write(draft_.yaml)
        except OSError:
            txt.unlink()
            raise
    except OSError as error:
        return [], [Problem(f"{seeds_dir}/{stem}", None, f"impossible d'écrire le fichier : {error.strerror}")]
    return [txt, yml], []


def check_draft(root: Path, stem: str) -> list[Problem]:
    """Problems ``check`` would report for the new seed alone (shown right after ``new``)."""
    raw, problems = read_seeds(root)
    _, more = validate(raw)
    return [p for p in problems + more if Path(p.path).stem == stem]
