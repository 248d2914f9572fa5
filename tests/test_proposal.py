"""A proposed article becomes a pull request (issue 20): ``python -m build_scripts proposal EVENT``.

End to end, as the workflow ``import.yml`` runs it: an ``issues.labeled`` event
file like GitHub's, the address served by a local HTTP server from a page
written for this test (``tests/pages/proposition.html``), ``git`` on a
temporary clone of a bare "remote", and ``gh`` replaced by a stand-in on
``PATH`` that records its arguments and standard input. Hostile issues each get
a clear French comment, and nothing is pushed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from build_scripts import proposal
from tests.helpers import EXAMPLE_SEEDS, EXAMPLES, ROOT, serve

PAGE = ROOT / "tests" / "pages" / "proposition.html"
LABEL = proposal.LABEL
ISSUE = 42
PR_URL = "https://github.com/example/dossiers-presse/pull/101"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "github-actions[bot]",
    "GIT_AUTHOR_EMAIL": "bot@example.invalid",
    "GIT_COMMITTER_NAME": "github-actions[bot]",
    "GIT_COMMITTER_EMAIL": "bot@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}
GH_STAND_IN = """#!{python}
# Records each call (arguments, standard input) as one JSON line; answers like gh.
import json, os, sys
args = sys.argv[1:]
stdin = sys.stdin.read() if "-" in args else ""
with open(os.environ["GH_LOG"], "a", encoding="utf-8") as log:
    log.write(json.dumps({{"args": args, "stdin": stdin}}) + "\\n")
if args[:2] == ["pr", "create"]:
    print("{pr_url}")
elif args[:2] == ["issue", "comment"]:
    print("https://github.com/example/dossiers-presse/issues/{issue}#issuecomment-1")
"""


@dataclass
class Project:
    """A clone of a bare remote, with the real seeds on ``main``, and a recording ``gh``."""

    root: Path
    remote: Path
    bin: Path
    log: Path
    page_url: str

    def env(self) -> dict[str, str]:
        """What the workflow's step gives the module, with the stand-in first on PATH."""
        return {
            **os.environ,
            **GIT_ENV,
            "HOME": str(self.root.parent),
            "PATH": f"{self.bin}{os.pathsep}{os.environ['PATH']}",
            "GH_LOG": str(self.log),
        }

    def git(self, *args: str, cwd: Path | None = None) -> str:
        run = subprocess.run(
            ["git", *args], cwd=cwd or self.root, capture_output=True, text=True, env=self.env(), timeout=60
        )
        assert run.returncode == 0, run.stderr
        return run.stdout

    def calls(self) -> list[dict[str, Any]]:
        """Every ``gh`` call so far."""
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text(encoding="utf-8").splitlines()]

    def remote_branches(self) -> list[str]:
        return sorted(self.git("for-each-ref", "--format=%(refname:short)", "refs/heads", cwd=self.remote).split())

    def run(self, event: dict[str, Any], *extra: str) -> subprocess.CompletedProcess[str]:
        """The workflow's step: the module on the event file."""
        path = self.root.parent / "event.json"
        path.write_text(json.dumps(event, ensure_ascii=False), encoding="utf-8")
        return subprocess.run(
            [sys.executable, "-m", "build_scripts", "--root", str(self.root), "proposal", str(path), *extra],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env=self.env(),
            timeout=600,
        )


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(PAGE, pages / PAGE.name)
    remote, root, bin_dir = tmp_path / "remote.git", tmp_path / "clone", tmp_path / "bin"
    bin_dir.mkdir()
    gh = bin_dir / "gh"
    gh.write_text(GH_STAND_IN.format(python=sys.executable, pr_url=PR_URL, issue=ISSUE), encoding="utf-8")
    gh.chmod(0o755)
    with serve(pages, "journal") as url:
        project = Project(root, remote, bin_dir, tmp_path / "gh.jsonl", url + PAGE.name)
        project.git("init", "--quiet", "--bare", "-b", "main", str(remote), cwd=tmp_path)
        project.git("clone", "--quiet", str(remote), str(root), cwd=tmp_path)
        shutil.copytree(EXAMPLE_SEEDS, root / "seeds")
        project.git("switch", "--quiet", "-c", "main")
        project.git("add", "seeds")
        project.git("commit", "--quiet", "-m", "Les articles")
        project.git("push", "--quiet", "origin", "main")
        yield project


def body(url: str, media: str = "_No response_", date: str = "_No response_", dossier: str = "_No response_") -> str:
    """An issue body as GitHub writes the « Proposer un article » form's answers."""
    return (
        f"### Adresse de l'article\n\n{url}\n\n### Média\n\n{media}\n\n### Date de publication\n\n{date}\n\n"
        f"### Dossier\n\n{dossier}\n\n### Pourquoi cet article ?\n\nIl parle des pays baltes.\n"
    )


def event(issue_body: str, title: str = "Article à ajouter : les pays baltes", label: str = LABEL) -> dict[str, Any]:
    """An ``issues`` event, ``labeled``, shaped like GitHub's payload."""
    return {
        "action": "labeled",
        "label": {"name": label, "color": "0e8a16"},
        "issue": {
            "number": ISSUE,
            "title": title,
            "body": issue_body,
            "state": "open",
            "labels": [{"name": "article proposé"}, {"name": label}],
            "user": {"login": "lectrice"},
        },
        "repository": {"full_name": "example/dossiers-presse", "default_branch": "main"},
        "sender": {"login": "mainteneuse"},
    }


def test_a_labelled_proposal_becomes_a_pull_request(project: Project) -> None:
    issue_body = body(project.page_url, media="Courrier baltique", date="2022-10-05", dossier="Sanctions")
    run = project.run(event(issue_body), "--allow-private-addresses")
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == PR_URL

    # One branch pushed, holding exactly the seed pair.
    branches = [b for b in project.remote_branches() if b != "main"]
    assert len(branches) == 1 and branches[0].startswith(f"article/{ISSUE}-")
    branch = branches[0]
    files = project.git("diff", "--name-only", "origin/main", f"origin/{branch}").split()
    assert len(files) == 2 and files[0].endswith(".txt") and files[1].endswith(".yml")
    stem = Path(files[0]).stem
    assert files == [f"seeds/{stem}.txt", f"seeds/{stem}.yml"] and branch == f"article/{ISSUE}-{stem}"
    subject = project.git("log", "--format=%s", "-1", f"origin/{branch}").strip()
    assert subject == f"Ajoute l'article proposé dans #{ISSUE}"
    txt = project.git("show", f"origin/{branch}:{files[0]}")
    yml = project.git("show", f"origin/{branch}:{files[1]}")
    meta = yaml.safe_load(yml)
    # The text is the article's paragraphs; the page's menu and footer stay out.
    assert "À Riga, les autorités lettones" in txt and "dans son huitième mois." in txt
    assert "Accueil" not in txt and "lettre d’information" not in txt
    assert meta["title"] == "Les pays baltes redoutent l’hiver" and meta["url"] == project.page_url
    # The page gives no date: the proposer's is taken, marked for confirmation.
    assert str(meta["date"]) == "2022-10-05"
    assert re.search(r"# À CONFIRMER[^\n]*proposition[^\n]*\ndate: 2022-10-05", yml)
    # Nor an outlet's name, only its address: the proposer's outlet is taken, marked too.
    assert meta["source"] == "Courrier baltique"
    assert re.search(r"# À CONFIRMER : indiqué par la proposition(?:.*\n# )*.*\nsource: Courrier baltique", yml)

    # The pull request: its base, branch, title, and a body that closes the issue and lists what is left.
    calls = project.calls()
    assert [c["args"][:2] for c in calls] == [["pr", "create"], ["issue", "comment"]]
    create = calls[0]["args"]
    assert create[create.index("--base") + 1] == "main" and create[create.index("--head") + 1] == branch
    assert create[create.index("--title") + 1] == f"Ajoute « {meta['title']} » (proposition #{ISSUE})"
    assert create[create.index("--body-file") + 1] == "-"
    pr_body = calls[0]["stdin"]
    assert f"\nCloses #{ISSUE}\n" in pr_body
    assert f"Fichiers : `{files[0]}`, `{files[1]}`" in pr_body
    # Every « À CONFIRMER » / « À COMPLÉTER » comment of the .yml, each with its field, in order.
    notes = _notes(yml)
    assert notes, "the draft leaves values to review"
    items = [line for line in pr_body.splitlines() if line.startswith("- [ ] ")]
    assert items == [f"- [ ] `{field}` : `{note}`" for field, note in notes]
    assert f"### À relire avant de fusionner ({len(notes)})" in pr_body
    for given in ("- Média : `Courrier baltique`", "- Date : `2022-10-05`", "- Dossier : `Sanctions`"):
        assert given in pr_body

    # The comment on the issue links the pull request and counts what is left.
    assert calls[1]["args"] == ["issue", "comment", str(ISSUE), "--body-file", "-"]
    confirm = sum(note.startswith("À CONFIRMER") for _, note in notes)
    complete = sum(note.startswith("À COMPLÉTER") for _, note in notes)
    assert calls[1]["stdin"] == (
        f"La pull request est ouverte : {PR_URL}\n\nIl reste {confirm} valeur(s) « À CONFIRMER » et {complete} "
        "champ(s) « À COMPLÉTER » à relire, listés dans sa description.\n"
    )

    # Labelled again (from a fresh checkout of main): another branch name, never the same one.
    project.git("switch", "--quiet", "main")
    assert proposal.branch_name(project.root, ISSUE, stem) == f"{branch}-2"


def _notes(yml: str) -> list[tuple[str, str]]:
    """(field, note) for each comment block of the .yml that starts with a marker, read independently."""
    found = []
    for match in re.finditer(r"((?:^# .*\n)+)(?=([a-z_]+):)", yml, re.MULTILINE):
        lines = [line[2:] for line in match.group(1).splitlines()]
        starts = [i for i, line in enumerate(lines) if line.startswith(("À CONFIRMER", "À COMPLÉTER"))]
        if starts:
            found.append((match.group(2), " ".join(lines[starts[-1] :])))
    return found


HOSTILE: dict[str, tuple[Callable[[str], str], str]] = {
    "shell metacharacters": (
        lambda url: body("https://example.org/a`touch pwned`;$(touch pwned2)|cat /etc/passwd"),
        "l'adresse contient « ` », qu'aucune adresse web ne contient",
    ),
    "shell metacharacters in a valid address": (
        # Passes the address check (« ; $ ' » may appear in an address) and reaches new, which finds no such
        # domain: run through a shell, it would have created « pwned » in the working directory.
        lambda url: body("https://example.invalid/a;touch$IFS'pwned';"),
        "https://example.invalid/a;touch$IFS'pwned'; : nom de domaine introuvable (example.invalid)",
    ),
    "${{ }} expression": (
        lambda url: body("${{ github.token }}", media="${{ secrets.GITHUB_TOKEN }}"),
        "l'adresse contient « { », qu'aucune adresse web ne contient",
    ),
    "file: address": (
        lambda url: body("file:///etc/passwd"),
        "file:///etc/passwd : adresse « file: » refusée ; seules les adresses http:// et https:// sont lues",
    ),
    "loopback address": (
        lambda url: body(url),
        "est locale (cette machine) : refusée (seules les adresses publiques sont lues)",
    ),
    "newline in the outlet": (
        lambda url: body(url, media="Le Monde\nrm -rf ~"),
        "le champ « Média » doit tenir sur une seule ligne",
    ),
}


@pytest.mark.parametrize("case", [*sorted(HOSTILE), "5,000-character issue title", "5,000-character page title"])
def test_a_hostile_issue_gets_a_clear_comment_and_nothing_is_pushed(project: Project, case: str) -> None:
    marker_dir = project.root.parent
    allowance: tuple[str, ...] = ()  # as the workflow runs it
    if case == "5,000-character issue title":
        hostile = event(body(project.page_url), title="Article à ajouter : " + "x" * 5000)
        reason = "le titre de l'issue doit tenir sur une ligne de 256 caractères au plus"
    elif case == "5,000-character page title":
        # The address is fine, the page is not: new writes the pair, the import refuses it and removes it.
        title = "Un titre " + "interminable " * 384
        page = PAGE.read_text(encoding="utf-8").replace("Les pays baltes redoutent l’hiver", title)
        (marker_dir / "pages" / "long.html").write_text(page, encoding="utf-8")
        hostile = event(body(project.page_url.replace(PAGE.name, "long.html")))
        reason = f"le titre lu sur la page fait {len(title.strip())} caractères (au plus {proposal.MAX_TITLE})"
        allowance = ("--allow-private-addresses",)
    else:
        make, reason = HOSTILE[case]
        hostile = event(make(project.page_url))
    run = project.run(hostile, *allowance)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert project.remote_branches() == ["main"]
    assert project.git("status", "--porcelain") == ""
    assert project.git("branch", "--format=%(refname:short)").split() == ["main"]
    calls = project.calls()
    assert [c["args"] for c in calls] == [["issue", "comment", str(ISSUE), "--body-file", "-"]]
    comment = calls[0]["stdin"]
    assert comment.startswith("L'article n'a pas été importé automatiquement. Raison : `")
    assert reason in comment, comment
    assert "Rien n'a été poussé." in comment and "« à importer »" in comment
    assert not any(marker_dir.rglob("pwned*")) and not (ROOT / "pwned").exists()


def test_new_runs_without_the_workflow_token(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """``new`` parses a stranger's page: it gets no GH_TOKEN, GITHUB_TOKEN nor any other token; the rest stays."""
    tokens = ("GH_TOKEN", "GITHUB_TOKEN", "ACTIONS_RUNTIME_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_URL", "my_token_2")
    for name in tokens:
        monkeypatch.setenv(name, "secret")
    monkeypatch.setenv("GH_REPO", "example/dossiers-presse")
    seen: list[dict[str, str]] = []

    def record(command: list[str], **options: Any) -> subprocess.CompletedProcess[str]:
        seen.append(options["env"])
        return subprocess.CompletedProcess(command, 2, "", "erreur : page illisible\n")

    monkeypatch.setattr(subprocess, "run", record)  # proposal calls subprocess.run: the same module object
    (tmp_path / "seeds").mkdir()
    with pytest.raises(proposal.Refusal):
        proposal.run_new(tmp_path, proposal.Proposal(ISSUE, "https://example.org/a", None, None, None), None, False)
    [env] = seen
    assert not [name for name in env if "TOKEN" in name.upper()]
    assert env["GH_REPO"] == "example/dossiers-presse" and env["PATH"] == os.environ["PATH"]
    assert proposal.untrusted_env({"HOME": "/h", "GH_TOKEN": "t", "Github_Token": "t"}) == {"HOME": "/h"}


def test_another_label_does_nothing(project: Project) -> None:
    run = project.run(event(body(project.page_url), label="bug"))
    assert run.returncode == 0 and project.calls() == [] and project.remote_branches() == ["main"]


def test_the_form_is_read_as_github_writes_it() -> None:
    labels = proposal.form_labels()
    assert labels["url"] == "Adresse de l'article" and labels["dossier"] == "Dossier"
    read = proposal.read_proposal(event(body("https://example.org/a?b=1#c", "Le Monde", "2022-01-28", "otan")), labels)
    assert read == proposal.Proposal(ISSUE, "https://example.org/a?b=1#c", "Le Monde", read.date, "otan")
    assert read.date is not None and read.date.isoformat() == "2022-01-28"
    empty = proposal.read_proposal(event(body("https://example.org/")), labels)
    assert (empty.outlet, empty.date, empty.dossier) == (None, None, None)
    for bad, reason in (
        (body("https://example.org/", date="28/01/2022"), "AAAA-MM-JJ"),
        (body("https://example.org/", date="2022-02-30"), "AAAA-MM-JJ"),
        (body("https://example.org/", media="x" * 201), "au plus 200"),
        ("Un texte libre, sans le formulaire.", "est vide"),
    ):
        with pytest.raises(proposal.Refusal, match=reason):
            proposal.read_proposal(event(bad), labels)
    assert proposal.dossier_id(EXAMPLES, "sanctions") == "sanctions"
    assert proposal.dossier_id(EXAMPLES, "Russie et États-Unis") == "etats-unis"
    assert proposal.dossier_id(EXAMPLES, "inconnu") is None
    assert proposal.pr_title(7, "x" * 300) == f"Ajoute « {'x' * 99}… » (proposition #7)"


def test_only_a_new_pair_inside_seeds_is_taken(tmp_path: Path) -> None:
    """What ``new`` printed is checked before anything is committed: no path leaves ``seeds/``, none was there."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text("x", encoding="utf-8")
    for name in ("old.txt", "old.yml", "a.txt", "a.yml", "b.yml", "Bad Name.txt", "Bad Name.yml", "lien.yml"):
        (seeds / name).write_text("x", encoding="utf-8")
    (seeds / "lien.txt").symlink_to(outside)
    every = {p.name for p in seeds.iterdir()}

    def before(stdout: str) -> set[str]:
        """Every file but those ``new`` claims, unless they were there already (old.*)."""
        return every - {Path(line).name for line in stdout.splitlines()} | {"old.txt", "old.yml"}

    good = "seeds/a.txt\nseeds/a.yml\n"
    assert proposal.new_pair(tmp_path, good, before(good)) == (seeds / "a.txt", seeds / "a.yml")
    for stdout in (
        "seeds/old.txt\nseeds/old.yml\n",  # an existing pair
        "seeds/a.txt\nseeds/b.yml\n",  # two names
        "seeds/a.yml\nseeds/a.txt\n",  # the wrong order
        "outside.txt\nseeds/a.yml\n",  # outside seeds/
        f"{outside}\nseeds/a.yml\n",  # an absolute path
        "seeds/lien.txt\nseeds/lien.yml\n",  # a link
        "seeds/Bad Name.txt\nseeds/Bad Name.yml\n",  # a name new never gives
        "seeds/a.txt\n",  # one file
    ):
        with pytest.raises(proposal.Refusal, match="paire de fichiers nouvelle"):
            proposal.new_pair(tmp_path, stdout, before(stdout))
