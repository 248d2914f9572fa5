"""``python -m build_scripts proposal EVENT``: a proposed article becomes a pull request (issue 20).

When a maintainer puts the label ``à importer`` on a « Proposer un article »
issue, the workflow ``.github/workflows/import.yml`` hands this module GitHub's
event file. It reads the issue form, runs ``new`` on the address (with
``new``'s own refusals: scheme, private addresses, size, redirects), pushes a
branch with the seed pair, opens a pull request that lists every « À
CONFIRMER » and « À COMPLÉTER » left, and comments on the issue with its link,
or with the reason nothing was imported.

The issue is untrusted: its text reaches ``new`` only as separate arguments
(no shell), each value is checked first (one line, a bounded length, an
address without spaces or characters no address holds), and it reaches GitHub
only inside Markdown code spans, where no mention, link or closing keyword acts.
``new`` runs without the workflow's token in its environment (``untrusted_env``).
Branch and file names come from the issue number and from ``new``'s own seed
name, checked to stay in ``seeds/``; neither replaces an existing one.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from build_scripts.escape import markdown_code
from build_scripts.schema import SEEDS_DIR, THEMES_FILE
from build_scripts.text import fold

LABEL = "à importer"
"""The label that starts the import: only people with triage rights can put it."""
CODE_ROOT = Path(__file__).resolve().parent.parent
FORM = CODE_ROOT / ".github" / "ISSUE_TEMPLATE" / "proposer-un-article.yml"
"""The issue form: the labels of its fields are the headings of the issue's body."""
NO_RESPONSE = "_No response_"
"""What GitHub writes for an optional field left empty."""
MAX_URL = 2048
MAX_LINE = 200
MAX_ISSUE_TITLE = 256
"""GitHub's own limit: a longer title is not an issue GitHub made."""
MAX_TITLE = 300
"""A seed title longer than this is a paragraph or a page's junk, not a title."""
PR_TITLE = 100
# Characters RFC 3986 never allows in an address, and whitespace: what the shell or
# a template would act on (`…`, ${{ }}, <…>, |) cannot pass as an address.
_NOT_IN_ADDRESS = re.compile(r"[\s<>\"{}|\\^`]")
_STEM = re.compile(r"^[a-z0-9][a-z0-9-]*$")
MARKERS = ("À CONFIRMER", "À COMPLÉTER")
NEW_TIMEOUT = 300


class Refusal(Exception):
    """Nothing is imported: the message says why, in French, for the issue's comment."""


@dataclass(frozen=True)
class Proposal:
    """What the issue asks for, checked."""

    issue: int
    url: str
    outlet: str | None
    date: dt.date | None
    dossier: str | None
    """As the proposer wrote it (an id or a title)."""


@dataclass(frozen=True)
class Pending:
    """A value ``new`` left for the maintainer: a comment of the ``.yml`` above its field."""

    field: str
    note: str


# --- Reading the issue ----------------------------------------------------------------------


def form_labels(form: Path = FORM) -> dict[str, str]:
    """Field id -> label, from the issue form itself (one place for both)."""
    data = yaml.safe_load(form.read_text(encoding="utf-8"))
    return {
        item["id"]: item["attributes"]["label"]
        for item in data["body"]
        if item.get("type") != "markdown" and "id" in item
    }


def form_sections(body: str) -> dict[str, str]:
    """``### Label`` -> the text under it, as GitHub writes an issue form's answers."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.startswith("### "):
            current = sections.setdefault(line[4:].strip(), [])
        elif current is not None:
            current.append(line)
    return {label: "\n".join(lines).strip() for label, lines in sections.items()}


def _one_line(label: str, value: str | None, limit: int) -> str | None:
    """An answer that must be one short line: ``None`` when empty."""
    if value is None or value in ("", NO_RESPONSE):
        return None
    if "\n" in value:
        raise Refusal(f"le champ « {label} » doit tenir sur une seule ligne")
    if len(value) > limit:
        raise Refusal(f"le champ « {label} » fait {len(value)} caractères (au plus {limit})")
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise Refusal(f"le champ « {label} » contient un caractère de contrôle")
    return value


def read_proposal(event: dict[str, Any], labels: dict[str, str]) -> Proposal:
    """The proposal in a GitHub ``issues`` event; ``Refusal`` when the issue cannot be one."""
    issue = event.get("issue")
    if not isinstance(issue, dict) or not isinstance(issue.get("number"), int):
        raise Refusal("l'événement ne décrit pas une issue")
    title = issue.get("title") or ""
    if not isinstance(title, str) or len(title) > MAX_ISSUE_TITLE or "\n" in title:
        raise Refusal(f"le titre de l'issue doit tenir sur une ligne de {MAX_ISSUE_TITLE} caractères au plus")
    body = issue.get("body") or ""
    answers = form_sections(body if isinstance(body, str) else "")
    url_label = labels["url"]
    url = _one_line(url_label, answers.get(url_label), MAX_URL)
    if url is None:
        raise Refusal(f"le champ « {url_label} » est vide : l'issue n'a pas été écrite avec le formulaire")
    bad = _NOT_IN_ADDRESS.search(url)
    if bad:
        shown = "une espace" if bad.group().isspace() else f"« {bad.group()} »"
        raise Refusal(f"l'adresse contient {shown}, qu'aucune adresse web ne contient")
    outlet = _one_line(labels["media"], answers.get(labels["media"]), MAX_LINE)
    day = _one_line(labels["date"], answers.get(labels["date"]), MAX_LINE)
    date = None
    if day is not None:
        try:
            date = dt.date.fromisoformat(day) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", day) else None
        except ValueError:
            date = None
        if date is None:
            raise Refusal(f"la date de publication doit s'écrire AAAA-MM-JJ (par exemple 2022-01-28), pas {day!r}")
    dossier = _one_line(labels["dossier"], answers.get(labels["dossier"]), MAX_LINE)
    return Proposal(issue["number"], url, outlet, date, dossier)


def dossier_id(root: Path, dossier: str | None) -> str | None:
    """The id of the dossier the proposer named, by id or title (case and accents aside), if there is one."""
    if dossier is None:
        return None
    try:
        themes = yaml.safe_load((root / SEEDS_DIR / THEMES_FILE).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None
    wanted = fold(dossier)
    for theme in themes if isinstance(themes, list) else ():
        if isinstance(theme, dict) and wanted in (fold(str(theme.get("id", ""))), fold(str(theme.get("title", "")))):
            return str(theme["id"])
    return None


# --- Running new ----------------------------------------------------------------------------


def untrusted_env(environ: Mapping[str, str]) -> dict[str, str]:
    """``environ`` without credentials: no variable whose name holds ``TOKEN`` (GH_TOKEN, GITHUB_TOKEN…)."""
    # ``new`` parses a stranger's page (lxml, trafilatura, spaCy): should any of them be
    # exploited, it finds no token to push, comment or open pull requests with. Without
    # GH_TOKEN, git's credential helper (``gh auth setup-git``) has nothing to give either.
    return {name: value for name, value in environ.items() if "TOKEN" not in name.upper()}


def run_new(root: Path, proposal: Proposal, theme: str | None, allow_private: bool) -> tuple[Path, Path]:
    """``python -m build_scripts new <address>``: the two files it wrote, checked to be a new pair in ``seeds/``."""
    command = [sys.executable, "-m", "build_scripts", "--root", str(root), "new"]
    if proposal.outlet:
        command.append(f"--proposed-source={proposal.outlet}")
    if proposal.date:
        command.append(f"--proposed-date={proposal.date.isoformat()}")
    if theme:
        command.append(f"--proposed-theme={theme}")
    if allow_private:
        command.append("--allow-private-addresses")
    # "--": the address is never read as an option, whatever it starts with.
    command += ["--", proposal.url]
    before = _seed_files(root)
    try:
        run = subprocess.run(
            command,
            cwd=CODE_ROOT,
            capture_output=True,
            text=True,
            timeout=NEW_TIMEOUT,
            stdin=subprocess.DEVNULL,
            env=untrusted_env(os.environ),
        )
    except subprocess.TimeoutExpired:
        raise Refusal(f"la lecture de la page a pris plus de {NEW_TIMEOUT} s") from None
    if run.returncode != 0:
        errors = [line for line in run.stderr.splitlines() if line.strip()]
        raise Refusal(_new_error(errors))
    return new_pair(root, run.stdout, before)


def new_pair(root: Path, stdout: str, before: set[str]) -> tuple[Path, Path]:
    """The ``.txt`` and ``.yml`` that ``new`` says it wrote, checked: a new pair of one name, inside ``seeds/``."""
    written = [line.strip() for line in stdout.splitlines() if line.strip()]
    seeds = (root / SEEDS_DIR).resolve()
    paths = [root / line for line in written]
    ok = (
        len(paths) == 2
        and [p.suffix for p in paths] == [".txt", ".yml"]
        and paths[0].stem == paths[1].stem
        and _STEM.match(paths[0].stem) is not None
        # Checked before resolving: a link in seeds/ pointing elsewhere is refused, not followed.
        and all(p.parent.resolve() == seeds and not p.is_symlink() and p.is_file() for p in paths)
        and _seed_files(root) - before == {p.name for p in paths}
    )
    if not ok:
        raise Refusal("« new » n'a pas écrit une paire de fichiers nouvelle dans seeds/")
    return paths[0], paths[1]


def _seed_files(root: Path) -> set[str]:
    folder = root / SEEDS_DIR
    return {p.name for p in folder.iterdir()} if folder.is_dir() else set()


def _new_error(lines: list[str]) -> str:
    """``new``'s own French refusal (its ``erreur : …`` lines), or its last line."""
    chosen = [line.removeprefix("erreur : ") for line in lines if line.startswith("erreur")] or lines[-1:]
    return " ; ".join(chosen)[:1000] or "« new » a échoué sans message"


def pending(yml: str) -> list[Pending]:
    """Every « À CONFIRMER » and « À COMPLÉTER » comment of the ``.yml``, with the field it is about."""
    found: list[Pending] = []
    block: list[str] = []
    for line in yml.splitlines():
        if line.startswith("#"):
            block.append(line[1:].strip())
            continue
        field = re.match(r"^([a-z_]+):", line)
        if field:
            # A note starts at a comment line that starts with its marker; the lines before it
            # belong to the file's header or to a note without a marker.
            starts = [i for i, text in enumerate(block) if text.startswith(MARKERS)]
            if starts:
                found.append(Pending(field.group(1), " ".join(block[starts[-1] :])))
            block = []
        elif not line.startswith(" "):
            block = []
    return found


def seed_title(yml: str, txt: str) -> str:
    """The title ``new`` wrote, or the text's first line."""
    try:
        data = yaml.safe_load(yml)
    except yaml.YAMLError:
        data = None
    title = data.get("title") if isinstance(data, dict) else None
    if not isinstance(title, str) or not title.strip():
        title = next((line for line in txt.splitlines() if line.strip()), "")
    return " ".join(title.split())


# --- Git and GitHub -------------------------------------------------------------------------


def _run(root: Path, *command: str, stdin: str | None = None) -> str:
    try:
        run = subprocess.run(command, cwd=root, input=stdin, capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise Refusal(f"{command[0]} n'a pas pu être lancé : {error}") from None
    if run.returncode != 0:
        last = (run.stderr.strip().splitlines() or [str(run.returncode)])[-1]
        raise Refusal(f"{command[0]} {command[1]} a échoué : {last}")
    return run.stdout


def branch_name(root: Path, issue: int, stem: str) -> str:
    """``article/<issue>-<seed name>``, with a number added if the remote or this clone has it already."""
    base = f"article/{issue}-{stem}"[:100].rstrip("-")
    name, n = base, 2
    while _run(root, "git", "ls-remote", "--heads", "origin", f"refs/heads/{name}").strip() or _local(root, name):
        name, n = f"{base}-{n}", n + 1
    return name


def _local(root: Path, branch: str) -> bool:
    run = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"], cwd=root, capture_output=True, timeout=60
    )
    return run.returncode == 0


def pr_title(issue: int, title: str) -> str:
    """« Ajoute « … » (proposition #N) », the title cut to stay readable in a list of pull requests."""
    short = title if len(title) <= PR_TITLE else title[: PR_TITLE - 1].rstrip() + "…"
    return f"Ajoute « {short} » (proposition #{issue})"


def pr_body(proposal: Proposal, theme: str | None, files: tuple[str, str], notes: list[Pending]) -> str:
    """The pull request's description: the issue it closes and every value left to review."""
    lines = [
        f"Article proposé dans #{proposal.issue}, importé par `python -m build_scripts new` depuis "
        f"{markdown_code(proposal.url)}.",
        "",
        f"Closes #{proposal.issue}",
        "",
        f"Fichiers : {markdown_code(files[0])}, {markdown_code(files[1])}",
        "",
        f"### À relire avant de fusionner ({len(notes)})",
        "",
        "Chaque ligne est un commentaire du fichier `.yml` : vérifiez la valeur (« À CONFIRMER ») ou remplissez "
        "le champ (« À COMPLÉTER »), puis effacez le commentaire.",
        "",
    ]
    lines += [f"- [ ] `{note.field}` : {markdown_code(note.note)}" for note in notes] or ["Rien."]
    given = [
        ("Média", proposal.outlet),
        ("Date", proposal.date.isoformat() if proposal.date else None),
        ("Dossier", proposal.dossier),
    ]
    lines += ["", "### Ce que la proposition indiquait", ""]
    lines += [f"- {label} : {markdown_code(value) if value else 'rien'}" for label, value in given]
    if proposal.dossier and theme is None:
        lines.append("  (aucun dossier de `seeds/themes.yml` ne porte ce nom : non repris)")
    lines += [
        "",
        "Le média, la date et le dossier proposés ne servent que si la page n'en dit rien.",
        "Une pull request ouverte par un workflow ne lance pas la vérification d'elle-même : fermez-la puis "
        "rouvrez-la pour obtenir le résumé et l'aperçu.",
    ]
    return "\n".join(lines) + "\n"


def open_pull_request(root: Path, base: str, branch: str, title: str, body: str) -> str:
    """``gh pr create`` (the body on standard input); the pull request's address."""
    printed = _run(
        root, "gh", "pr", "create", "--base", base, "--head", branch, "--title", title, "--body-file", "-", stdin=body
    )
    lines = printed.strip().splitlines()
    if not lines:
        raise Refusal("gh pr create n'a pas donné l'adresse de la pull request")
    return lines[-1]


def comment(root: Path, issue: int, text: str) -> None:
    """Comment on the issue (body on standard input, never in an argument)."""
    _run(root, "gh", "issue", "comment", str(issue), "--body-file", "-", stdin=text)


def refusal_comment(message: str, pushed: str | None = None) -> str:
    """The comment when no pull request was opened: why, and what was pushed (nothing, unless ``pushed``)."""
    done = (
        f"La branche {markdown_code(pushed)} a été poussée, mais la pull request n'a pas pu être ouverte : "
        "ouvrez-la depuis cette branche, ou supprimez-la."
        if pushed
        else "Rien n'a été poussé."
    )
    return (
        f"L'article n'a pas été importé automatiquement. Raison : {markdown_code(message)}\n\n"
        f"{done} Corrigez l'issue (ou ajoutez l'article à la main, voir `CONTRIBUTING.md`), "
        f"puis retirez et remettez l'étiquette « {LABEL} ».\n"
    )


# --- The whole step -------------------------------------------------------------------------


def import_proposal(event_path: Path, root: Path, allow_private: bool = False) -> int:
    """Read the event, import the article, open the pull request, comment; the exit status."""
    event = json.loads(event_path.read_text(encoding="utf-8"))
    label = (event.get("label") or {}).get("name")
    if event.get("action") != "labeled" or label != LABEL:
        print(f"Rien à faire : l'étiquette posée n'est pas « {LABEL} ».", file=sys.stderr)
        return 0
    issue = (event.get("issue") or {}).get("number")
    if not isinstance(issue, int):
        print("erreur : l'événement ne décrit pas une issue", file=sys.stderr)
        return 1
    written: tuple[Path, Path] | None = None
    pushed: str | None = None
    try:
        proposal = read_proposal(event, form_labels())
        theme = dossier_id(root, proposal.dossier)
        written = run_new(root, proposal, theme, allow_private)
        txt, yml = written
        yml_text, txt_text = yml.read_text(encoding="utf-8"), txt.read_text(encoding="utf-8")
        title = seed_title(yml_text, txt_text)
        if len(title) > MAX_TITLE:
            raise Refusal(
                f"le titre lu sur la page fait {len(title)} caractères (au plus {MAX_TITLE}) : ce n'est pas un titre"
            )
        files = (f"{SEEDS_DIR}/{txt.name}", f"{SEEDS_DIR}/{yml.name}")
        branch = branch_name(root, issue, txt.stem)
        default = str((event.get("repository") or {}).get("default_branch") or "main")
        _run(root, "git", "switch", "--quiet", "-c", branch)
        _run(root, "git", "add", "--", *files)
        _run(root, "git", "commit", "--quiet", "-m", f"Ajoute l'article proposé dans #{issue}")
        written = None  # committed: the files are the branch's now
        _run(root, "git", "push", "--quiet", "origin", f"refs/heads/{branch}:refs/heads/{branch}")
        pushed = branch
        notes = pending(yml_text)
        url = open_pull_request(root, default, branch, pr_title(issue, title), pr_body(proposal, theme, files, notes))
    except Refusal as refusal:
        if written is not None:
            for path in written:
                path.unlink(missing_ok=True)
        print(f"erreur : {refusal}", file=sys.stderr)
        _comment_or_say(root, issue, refusal_comment(str(refusal), pushed))
        return 1
    counts = {marker: sum(note.note.startswith(marker) for note in notes) for marker in MARKERS}
    text = (
        f"La pull request est ouverte : {url}\n\n"
        f"Il reste {counts['À CONFIRMER']} valeur(s) « À CONFIRMER » et {counts['À COMPLÉTER']} champ(s) "
        "« À COMPLÉTER » à relire, listés dans sa description.\n"
    )
    print(url)
    return 0 if _comment_or_say(root, issue, text) else 1


def _comment_or_say(root: Path, issue: int, text: str) -> bool:
    """Comment on the issue; if even that fails, say so in the job's log."""
    try:
        comment(root, issue, text)
    except Refusal as error:
        print(f"erreur : le commentaire n'a pas pu être publié : {error}", file=sys.stderr)
        return False
    return True
