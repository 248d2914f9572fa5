"""The GitHub side passes a security audit (issue 13).

zizmor finds nothing in ``.github/``; actions are pinned by commit SHA with
their version in a comment; every job holds the least it needs; the pull
request's code never gets a write token or a secret; the builds install the
hashed locks, which agree with the pins of ``requirements*.txt``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sysconfig
from pathlib import Path
from typing import Any

import pytest
import yaml

from build_scripts import search_index
from tests.helpers import ROOT

GITHUB = ROOT / ".github"
WORKFLOWS = GITHUB / "workflows"
LOCKS = {
    "requirements.lock": ["requirements.txt"],
    "requirements-test.lock": ["requirements.txt", "requirements-test.txt"],
    "requirements-maintainer.lock": ["requirements-maintainer.txt"],
}

# --- zizmor ------------------------------------------------------------------------


def _zizmor(target: Path) -> tuple[int, list[dict[str, Any]]]:
    """Run zizmor (offline; an input it cannot parse is an error, not a skipped file)."""
    scripts = Path(sysconfig.get_path("scripts")) / "zizmor"
    binary = str(scripts) if scripts.is_file() else shutil.which("zizmor")
    if binary is None:
        pytest.fail("zizmor is needed: it is pinned in requirements-test.txt (tests/run.sh installs it)")
    run = subprocess.run(
        [binary, "--offline", "--strict-collection", "--no-progress", "--format", "json", str(target)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.stdout.strip(), run.stderr
    findings: list[dict[str, Any]] = json.loads(run.stdout)
    return run.returncode, findings


def test_zizmor_finds_nothing() -> None:
    code, findings = _zizmor(GITHUB)
    assert [(f["ident"], f["locations"][0]["symbolic"]["key"]) for f in findings] == []
    assert code == 0


# Each plant makes the workflows fail one audit: the check above can fail.
PLANTS: dict[str, tuple[str, str, str, str]] = {
    "unpinned-uses": (
        "pull-request.yml",
        "actions/upload-artifact@bbbca2ddaa5d8feaa63e36b76fdaad77386f024f # v7.0.0",
        "actions/upload-artifact@v7.0.0",
        "unpinned-uses",
    ),
    "artipacked": (
        "pull-request.yml",
        "          persist-credentials: false\n",
        "          fetch-depth: 1\n",
        "artipacked",
    ),
    "excessive-permissions": (
        "pull-request.yml",
        "    permissions:\n      contents: read\n",
        "    permissions: write-all\n",
        "excessive-permissions",
    ),
}


@pytest.mark.parametrize("plant", sorted(PLANTS))
def test_zizmor_catches_a_planted_problem(plant: str, tmp_path: Path) -> None:
    name, old, new, ident = PLANTS[plant]
    copy = tmp_path / ".github"
    shutil.copytree(GITHUB, copy)
    text = (copy / "workflows" / name).read_text(encoding="utf-8")
    assert old in text
    (copy / "workflows" / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    code, findings = _zizmor(copy)
    assert ident in {f["ident"] for f in findings}
    assert code != 0


# --- Pins ----------------------------------------------------------------------------

_USES = re.compile(r"^\s*(?:- )?uses: (?P<action>[\w.-]+/[\w.-]+)@(?P<sha>[0-9a-f]{40}) # (?P<version>v\d+\.\d+\.\d+)$")


def _uses_lines() -> list[str]:
    return [
        line
        for path in sorted(WORKFLOWS.glob("*.yml"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if re.match(r"^\s*(?:- )?uses:", line)
    ]


def test_actions_pinned_by_sha_with_their_version() -> None:
    """``uses: owner/action@<40 hex> # vX.Y.Z``; one action, one pin, across the workflows."""
    lines = _uses_lines()
    assert lines
    pins: dict[str, set[tuple[str, str]]] = {}
    for line in lines:
        match = _USES.match(line)
        assert match, line
        pins.setdefault(match["action"], set()).add((match["sha"], match["version"]))
    assert all(len(p) == 1 for p in pins.values()), pins
    # configure-pages has no release on node24: replaced by our own step (pages.yml).
    assert "actions/configure-pages" not in pins
    assert not _USES.match("      - uses: actions/checkout@v7.0.1")


# --- Permissions --------------------------------------------------------------------


def _workflow(name: str) -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    return data


def _steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


@pytest.mark.parametrize("name", ["pages.yml", "pull-request.yml", "import.yml"])
def test_permissions_per_job_and_no_persisted_credentials(name: str) -> None:
    workflow = _workflow(name)
    assert workflow["permissions"] == {}, "nothing at workflow level: each job asks for its own"
    assert all("permissions" in job for job in workflow["jobs"].values())
    checkouts = [s for s in _steps(workflow) if s.get("uses", "").startswith("actions/checkout@")]
    assert checkouts and all(s["with"]["persist-credentials"] is False for s in checkouts)


def test_pages_jobs_hold_the_least_they_need() -> None:
    jobs = _workflow("pages.yml")["jobs"]
    assert jobs["build"]["permissions"] == {"contents": "read", "pages": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_pull_request_code_gets_no_write_token_and_no_secret() -> None:
    """Whether the pull request comes from a fork or not."""
    text = (WORKFLOWS / "pull-request.yml").read_text(encoding="utf-8")
    workflow = _workflow("pull-request.yml")
    assert set(workflow[True]) == {"pull_request"}  # never pull_request_target / workflow_run
    for job in workflow["jobs"].values():
        assert job["permissions"] == {"contents": "read"}
    assert "secrets." not in text and "secrets[" not in text
    assert "write" not in json.dumps(workflow["permissions"]) + json.dumps(
        [j["permissions"] for j in workflow["jobs"].values()]
    )


def test_dependabot_keeps_actions_pip_and_pagefind_current_weekly() -> None:
    config = yaml.safe_load((GITHUB / "dependabot.yml").read_text(encoding="utf-8"))
    assert config["version"] == 2
    updates = {u["package-ecosystem"]: u for u in config["updates"]}
    assert {name: u["directory"] for name, u in updates.items()} == {
        "github-actions": "/",
        "pip": "/",
        "npm": "/build_scripts/pagefind",
        "docker": "/.github/node",
    }
    assert all(u["schedule"]["interval"] == "weekly" for u in updates.values())


# --- Node.js (issue 22) -----------------------------------------------------------------

NODE_PIN = GITHUB / "node" / "Dockerfile"
NODE_END_OF_LIFE = {24: dt.date(2028, 4, 30), 26: dt.date(2029, 4, 30)}
"""End of support of the long-term support majors (the Node.js release schedule)."""


def _node_steps(name: str) -> list[dict[str, Any]]:
    return [s for s in _steps(_workflow(name)) if s.get("uses", "").startswith("actions/setup-node@")]


@pytest.mark.parametrize("name", ["pages.yml", "pull-request.yml"])
def test_workflows_install_the_pinned_supported_node(name: str, tmp_path: Path) -> None:
    """setup-node takes its version from the step that reads .github/node/Dockerfile, run here as
    GitHub runs it: an exact release of a long-term support major still supported today."""
    (setup,) = _node_steps(name)
    assert setup["with"] == {"node-version": "${{ steps.node.outputs.version }}"}
    (read,) = [s for s in _steps(_workflow(name)) if s.get("id") == "node"]
    output = tmp_path / "output"
    subprocess.run(["bash", "-e", "-c", read["run"]], cwd=ROOT, env={"GITHUB_OUTPUT": str(output)}, check=True)
    version = output.read_text(encoding="utf-8").strip().removeprefix("version=")
    assert re.fullmatch(r"\d+\.\d+\.\d+", version), version
    major = int(version.split(".")[0])
    assert major in NODE_END_OF_LIFE and dt.date.today() < NODE_END_OF_LIFE[major], f"Node.js {version} is unsupported"


def test_an_unreadable_node_pin_fails_the_step(tmp_path: Path) -> None:
    """A FROM line the step cannot read stops the workflow instead of leaving the runner's Node.js."""
    (read,) = [s for s in _steps(_workflow("pages.yml")) if s.get("id") == "node"]
    (tmp_path / ".github" / "node").mkdir(parents=True)
    (tmp_path / ".github" / "node" / "Dockerfile").write_text("FROM node:lts-slim\n", encoding="utf-8")
    env = {"GITHUB_OUTPUT": str(tmp_path / "output")}
    assert subprocess.run(["bash", "-e", "-c", read["run"]], cwd=tmp_path, env=env).returncode != 0


def test_dependabot_bumps_the_node_pin_but_not_its_major() -> None:
    """The docker ecosystem reads the FROM line; a new major (odd ones are never long-term) is chosen by hand."""
    config = yaml.safe_load((GITHUB / "dependabot.yml").read_text(encoding="utf-8"))
    (docker,) = [u for u in config["updates"] if u["package-ecosystem"] == "docker"]
    assert Path(ROOT / docker["directory"].lstrip("/") / "Dockerfile") == NODE_PIN
    assert docker["ignore"] == [{"dependency-name": "node", "update-types": ["version-update:semver-major"]}]
    froms = [line for line in NODE_PIN.read_text(encoding="utf-8").splitlines() if line.startswith("FROM")]
    assert len(froms) == 1 and froms[0].startswith("FROM node:")


# --- Locks ---------------------------------------------------------------------------


def _name(name: str) -> str:
    """PEP 503 normalised project name, extras dropped."""
    return re.sub(r"[-_.]+", "-", name.split("[")[0]).lower()


def pins(text: str) -> dict[str, str]:
    """``name -> version`` of the ``name==version`` lines of a requirements file."""
    found = {}
    for line in text.splitlines():
        line = line.split("#")[0].strip()
        if line:
            match = re.fullmatch(r"([A-Za-z0-9][\w.\[\],-]*)==([\w.+!-]+)", line)
            assert match, f"not an exact pin: {line}"
            found[_name(match[1])] = match[2]
    return found


def lock_entries(text: str) -> dict[str, tuple[str, frozenset[str]]]:
    """``name -> (version, sha256 hashes)`` of a lock written by ``uv pip compile --generate-hashes``."""
    entries: dict[str, tuple[str, frozenset[str]]] = {}
    for block in re.split(r"\n(?=\S)", text):
        if block.startswith("#") or not block.strip():
            continue
        match = re.match(r"([\w.-]+)==([\w.+!-]+)", block)
        assert match, f"not an exact pin: {block.splitlines()[0]}"
        hashes = frozenset(re.findall(r"--hash=sha256:([0-9a-f]{64})", block))
        entries[_name(match[1])] = (match[2], hashes)
    return entries


def drift(requirements: list[str], lock: str) -> list[str]:
    """What a lock gets wrong about the pins of its requirement files: each a line to show."""
    entries = lock_entries(lock)
    problems = [f"{name}: no hash" for name, (_v, hashes) in entries.items() if not hashes]
    for text in requirements:
        for name, version in pins(text).items():
            locked = entries.get(name, ("absent", frozenset()))[0]
            if locked != version:
                problems.append(f"{name}: {version} in the requirements, {locked} in the lock")
    return problems


def _text(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("lock", sorted(LOCKS))
def test_lock_matches_the_pins(lock: str) -> None:
    """A pin changed (by hand or by Dependabot) without the lock fails here."""
    problems = drift([_text(r) for r in LOCKS[lock]], _text(lock))
    where = "CONTRIBUTING.md, « Mises à jour des dépendances »"
    assert problems == [], f"{lock} is out of date: regenerate it ({where}): {problems}"


def test_drift_is_caught() -> None:
    """Control: a bumped pin, a missing hash and a missing package are each reported."""
    lock = _text("requirements.lock")
    bumped = _text("requirements.txt").replace("mkdocs==1.6.1", "mkdocs==1.6.2")
    assert drift([bumped], lock) == ["mkdocs: 1.6.2 in the requirements, 1.6.1 in the lock"]
    unhashed = re.sub(r"(jinja2==3\.1\.6) \\\n(    --hash=\S+(?: \\)?\n)+", r"\1\n", lock)
    assert drift([_text("requirements.txt")], unhashed) == ["jinja2: no hash"]
    assert drift([_text("requirements.txt") + "newpkg==1.0\n"], lock) == [
        "newpkg: 1.0 in the requirements, absent in the lock"
    ]


def test_tests_run_what_pages_installs() -> None:
    """The test lock holds every package of the runtime lock, same version, same hashes."""
    runtime, test = lock_entries(_text("requirements.lock")), lock_entries(_text("requirements-test.lock"))
    assert runtime and {name: test.get(name) for name in runtime} == runtime


@pytest.mark.parametrize("lock", sorted(LOCKS))
def test_lock_is_made_by_the_documented_command(lock: str) -> None:
    """The command uv wrote at the top of the lock is the one CONTRIBUTING.md tells maintainers to run."""
    header = _text(lock).splitlines()[1].removeprefix("#").strip()
    assert header.startswith("uv pip compile ") and header.endswith(f"-o {lock}")
    assert "--generate-hashes" in header
    assert header in _text("CONTRIBUTING.md")


def test_workflows_install_the_locks_with_hashes() -> None:
    pages = " ".join(s.get("run", "") for s in _steps(_workflow("pages.yml")))
    assert "pip install --require-hashes --only-binary :all: -r requirements.lock" in pages
    pull_request = " ".join(s.get("run", "") for s in _steps(_workflow("pull-request.yml")))
    assert "pip install --require-hashes -r requirements-test.lock" in pull_request
    assert "-r requirements.txt" not in pages + pull_request


def test_pagefind_is_pinned_with_integrity_hashes_and_installed_by_every_build() -> None:
    """Pagefind comes from npm (issue 12): one exact pin, a lock with a sha512 for its wrapper and
    every platform's binary, and the same ``npm ci`` in the README, the test command and Pages."""
    npm = ROOT / "build_scripts" / "pagefind"
    pinned = json.loads((npm / "package.json").read_text(encoding="utf-8"))["dependencies"]
    lock = json.loads((npm / "package-lock.json").read_text(encoding="utf-8"))
    assert list(pinned) == ["pagefind"] and re.fullmatch(r"\d+\.\d+\.\d+", pinned["pagefind"])
    assert lock["packages"][""]["dependencies"] == pinned
    packages = {path: entry for path, entry in lock["packages"].items() if path}
    assert "node_modules/pagefind" in packages and "node_modules/@pagefind/linux-x64" in packages
    for path, entry in packages.items():
        assert path.startswith(("node_modules/pagefind", "node_modules/@pagefind/")), f"unexpected package {path}"
        assert entry["version"] == pinned["pagefind"], path
        assert entry["integrity"].startswith("sha512-"), path
    install = search_index.NPM_INSTALL
    assert install.startswith("npm ci --ignore-scripts ")
    assert install in _text("README.md")
    assert install in _text("tests/run.sh")
    assert install in " ".join(s.get("run", "") for s in _steps(_workflow("pages.yml")))
    assert "bash tests/run.sh" in " ".join(s.get("run", "") for s in _steps(_workflow("pull-request.yml")))
    assert "node_modules/" in _text(".gitignore").splitlines()


def test_contributing_tells_a_reviewer_what_to_look_at() -> None:
    text = _text("CONTRIBUTING.md")
    section = text[text.index("## Relire la pull request d'une personne extérieure") :]
    for topic in ("Liens symboliques", "`.github/`", "`build_scripts/`", "`apercu-du-site-pr-<numéro>`", "Dependabot"):
        assert topic in section, topic
    for lock in LOCKS:
        assert _text(lock).splitlines()[1].removeprefix("#").strip() in section


# --- The reviewer's summary and the preview (issue 20) -------------------------------


def test_pull_request_summary_and_a_preview_that_says_what_it_is() -> None:
    """The summary goes to the job summary even when check fails; the artifact is named after the pull
    request and carries LISEZMOI.txt at its root, written after the build and before the upload."""
    job = _workflow("pull-request.yml")["jobs"]["check"]
    assert job["env"]["PREVIEW"] == "apercu-du-site-pr-${{ github.event.pull_request.number }}"
    steps = job["steps"]
    runs = [s.get("run", "") for s in steps]

    def at(text: str) -> int:
        return next(i for i, run in enumerate(runs) if text in run)

    checkout = steps[0]
    assert checkout["uses"].startswith("actions/checkout@") and checkout["with"]["fetch-depth"] == 2
    summary = at("build_scripts changes --base")
    assert runs[summary] == (
        'python -m build_scripts changes --base HEAD^1 --preview "$PREVIEW" >> "$GITHUB_STEP_SUMMARY"'
    )
    assert steps[summary]["if"] == "${{ !cancelled() }}"
    assert at("build_scripts check --format github") < summary
    readme = at("--readme site")
    upload = next(i for i, s in enumerate(steps) if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert at("build_scripts build") < readme < upload
    assert steps[upload]["with"] == {"name": "${{ env.PREVIEW }}", "path": "site/", "retention-days": 14}


def test_import_starts_only_on_the_label_and_holds_only_what_it_needs() -> None:
    """Issue 20: opening or editing an issue starts nothing; the job can push, open a pull request and
    comment, nothing else; the issue's text reaches the module only through the event file."""
    from build_scripts.proposal import LABEL

    workflow = _workflow("import.yml")
    assert workflow[True] == {"issues": {"types": ["labeled"]}}
    assert workflow["permissions"] == {}
    (job,) = workflow["jobs"].values()
    assert job["if"] == f"github.event.label.name == '{LABEL}'"
    assert job["permissions"] == {"contents": "write", "pull-requests": "write", "issues": "write"}
    runs = [s["run"] for s in job["steps"] if "run" in s]
    assert all("${{" not in run for run in runs), "no expression in a run: line"
    assert runs[-1].splitlines()[-1] == 'python -m build_scripts proposal "$GITHUB_EVENT_PATH"'
    assert "--allow-private-addresses" not in json.dumps(workflow)
    text = (WORKFLOWS / "import.yml").read_text(encoding="utf-8")
    assert "secrets." not in text and "github.event.issue.body" not in text and "github.event.issue.title" not in text
