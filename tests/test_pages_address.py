"""The site's address from the Pages API (issue 23): build_scripts/pages_address.py on recorded answers.

Each ``tests/golden/pages_api/<case>.json`` is one answer of ``GET /repos/{owner}/{repo}/pages``,
shaped like GitHub's documented responses (REST API, "Get a GitHub Pages site"); the test lays
it out as ``gh api --include`` prints it and runs the module as the Pages workflow does, with
Python's site-packages switched off (``-S``): the step runs before the requirements are
installed. What the module printed is kept beside it in ``<case>.txt`` (``--update-goldens``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from build_scripts.pages_address import SETTINGS, WORKFLOW
from tests.helpers import GOLDEN, ROOT, Golden

CASES = GOLDEN / "pages_api"
ANSWERS = sorted(p.stem for p in CASES.glob("*.json"))
FAILURES = {
    # case -> what the message must name: the setting to change
    "pages_not_enabled": ["HTTP 404", SETTINGS, "« GitHub Actions »"],
    "published_from_a_branch": ["« gh-pages »", SETTINGS, "« GitHub Actions »"],
    "token_without_pages_read": ["HTTP 403", "Resource not accessible by integration", "pages: read", WORKFLOW],
    "server_error": ["HTTP 502"],
    "address_with_a_newline": ["adresse utilisable"],
}


def _answer(case: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CASES / f"{case}.json").read_text(encoding="utf-8"))
    return data


def gh_include(answer: dict[str, Any]) -> str:
    """The answer as ``gh api --include`` writes it: ``Proto Status``, sorted headers, CRLF, body.

    (gh's ``processResponse``, pkg/cmd/api/api.go: ``Fprintln(resp.Proto, resp.Status)``, then
    ``Name: value\\r\\n`` per header, then ``\\r\\n``, then the body as received.)
    """
    headers = "".join(f"{name}: {value}\r\n" for name, value in sorted(answer["headers"].items()))
    return f"HTTP/2.0 {answer['status']} {answer['reason']}\n{headers}\r\n{json.dumps(answer['body'])}"


def run(stdin: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -S -m build_scripts.pages_address`` in a child process: the standard library only."""
    return subprocess.run(
        [sys.executable, "-S", "-E", "-m", "build_scripts.pages_address", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )


def test_every_case_is_recorded() -> None:
    assert set(FAILURES) < set(ANSWERS)
    assert {"project_site", "user_site", "custom_domain", "custom_domain_without_https"} < set(ANSWERS)


@pytest.mark.parametrize("case", ANSWERS)
def test_address_or_the_setting_to_change(case: str, golden: Golden) -> None:
    answer = _answer(case)
    done = run(gh_include(answer))
    golden.check(f"pages_api/{case}.txt", f"exit {done.returncode}\n--- stdout\n{done.stdout}--- stderr\n{done.stderr}")
    if case in FAILURES:
        assert done.returncode == 1 and done.stdout == ""
        (line,) = done.stderr.splitlines()
        assert line.startswith(f"{WORKFLOW}: erreur: ")
        for needed in FAILURES[case]:
            assert needed in line, (needed, line)
    else:
        # The base URL is GitHub's html_url without its trailing slash, scheme kept (http when HTTPS is not enforced).
        assert done.returncode == 0, done.stderr
        assert done.stdout == answer["body"]["html_url"].rstrip("/") + "\n"
        https_hint = "Enforce HTTPS" in done.stderr
        assert https_hint == (answer["body"]["https_enforced"] is False)


def test_github_format_writes_the_output_and_annotates_errors(tmp_path: Path) -> None:
    output = tmp_path / "github_output"
    output.write_text("earlier=1\n", encoding="utf-8")
    env = {"GITHUB_OUTPUT": str(output), "PATH": os.environ.get("PATH", "")}
    good = run(gh_include(_answer("project_site")), "--format", "github", env=env)
    assert good.returncode == 0, good.stdout + good.stderr
    assert output.read_text(encoding="utf-8") == "earlier=1\nbase_url=https://octo-org.github.io/dossiers-presse\n"
    assert good.stdout == "Adresse du site : https://octo-org.github.io/dossiers-presse/\n"

    bad = run(gh_include(_answer("pages_not_enabled")), "--format", "github", env=env)
    assert bad.returncode == 1
    (annotation,) = bad.stdout.splitlines()
    assert annotation.startswith(f"::error file={WORKFLOW}::GitHub Pages n'est pas activé")
    assert output.read_text(encoding="utf-8").count("base_url=") == 1, "nothing written on failure"

    plain_http = run(gh_include(_answer("custom_domain_without_https")), "--format", "github", env=env)
    assert plain_http.returncode == 0
    assert plain_http.stdout.startswith(f"::warning file={WORKFLOW}::") and "Enforce HTTPS" in plain_http.stdout


def test_no_answer_at_all_says_so() -> None:
    """gh failed before any HTTP answer (network, no token): its own error is above in the log."""
    done = run("")
    assert done.returncode == 1 and "gh api" in done.stderr and "Traceback" not in done.stderr


def test_the_pages_workflow_passes_the_answer_to_the_module() -> None:
    workflow = yaml.safe_load((ROOT / WORKFLOW).read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    names = [step.get("name") for step in steps]
    (step,) = [s for s in steps if s.get("name") == "Adresse du site"]
    command = " ".join(step["run"].split())
    pipe = 'gh api --include "repos/$GITHUB_REPOSITORY/pages" | python -m build_scripts.pages_address --format github'
    assert pipe in command
    assert "--jq" not in command and "${{" not in step["run"]
    # Before the install: hence the standard library only (run with -S above).
    assert names.index("Adresse du site") < names.index("Installer les dépendances (verrouillées, hachées)")
    build = [s for s in steps if s.get("name") == "Construire le site (strict)"]
    assert build[0]["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"
