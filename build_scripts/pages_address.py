"""The site's address, read from GitHub's answer about the repository's Pages site (issue 23).

The Pages workflow runs ``gh api --include repos/<owner>/<repo>/pages`` and pipes the answer
here: a status line, headers, a blank line, then the JSON body (gh's ``processResponse`` in
``pkg/cmd/api/api.go``; on an HTTP error gh still prints them, then exits 1). This module
judges that answer instead of gh's exit status, so a deployer who has not switched Pages on
reads which setting to change rather than ``gh: Not Found (HTTP 404)``.

It runs before the project's requirements are installed: the standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import dataclass
from typing import Any

from build_scripts.problems import Problem, github_annotation

WORKFLOW = ".github/workflows/pages.yml"
"""Where an annotation points: the workflow whose step failed."""
SETTINGS = "Settings → Pages → Build and deployment → Source"
"""The one setting a deployer changes on GitHub (GitHub's interface is in English), to « GitHub Actions »."""
# An address GitHub would give: a scheme, a host, an optional path; nothing that could
# break the ``name=value`` line of $GITHUB_OUTPUT or a YAML value.
_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]+)?(?:/[A-Za-z0-9._~%/-]*)?")
_STATUS = re.compile(r"HTTP/[0-9.]+ ([0-9]{3})(?: .*)?")


@dataclass(frozen=True)
class Answer:
    """One HTTP answer as ``gh api --include`` prints it."""

    status: int
    """The HTTP status code, e.g. 200 or 404."""
    body: str
    """What follows the headers (JSON when GitHub answered)."""


class AddressError(Exception):
    """The answer does not give a usable address; the message names the setting to change."""


def parse_answer(text: str) -> Answer:
    """Status and body of ``gh api --include``'s output (headers end at the first blank line)."""
    head, _, body = text.replace("\r\n", "\n").partition("\n\n")
    status_line = head.split("\n", 1)[0].strip()
    match = _STATUS.fullmatch(status_line)
    if match is None:
        raise AddressError(
            "l'API de GitHub Pages n'a pas répondu (pas de ligne d'état HTTP) : voir l'erreur de « gh api » "
            "ci-dessus, puis relancer le workflow"
        )
    return Answer(int(match[1]), body)


def _json(answer: Answer) -> dict[str, Any] | None:
    try:
        data = json.loads(answer.body)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _body(answer: Answer) -> dict[str, Any]:
    data = _json(answer)
    if data is None:
        raise AddressError(f"réponse illisible de l'API de GitHub Pages (HTTP {answer.status}, corps non JSON)")
    return data


def base_url(answer: Answer) -> str:
    """The site's base URL without its trailing slash, or ``AddressError`` naming the setting to change."""
    if answer.status == 404:
        raise AddressError(
            f"GitHub Pages n'est pas activé pour ce dépôt (HTTP 404). Dans {SETTINGS}, choisir « GitHub Actions », "
            "puis relancer ce workflow (onglet Actions, « Run workflow ») ; un dépôt privé ne peut publier "
            "que sur un compte payant"
        )
    if answer.status in (401, 403):
        message = str((_json(answer) or {}).get("message", ""))
        raise AddressError(
            f"le jeton du workflow ne peut pas lire la configuration de GitHub Pages (HTTP {answer.status}"
            f"{' : ' + message if message else ''}). Le job « build » de {WORKFLOW} doit garder "
            "« permissions: pages: read » ; une organisation peut aussi le refuser dans "
            "Settings → Actions → General → Workflow permissions"
        )
    if answer.status != 200:
        raise AddressError(f"l'API de GitHub Pages a répondu HTTP {answer.status} : relancer le workflow plus tard")
    data = _body(answer)
    if data.get("build_type") != "workflow":
        source = data.get("source") if isinstance(data.get("source"), dict) else {}
        branch = f"la branche « {source['branch']} »" if source and source.get("branch") else "une branche"
        raise AddressError(
            f"GitHub Pages publie ce dépôt depuis {branch}, pas depuis ce workflow. "
            f"Dans {SETTINGS}, choisir « GitHub Actions » au lieu de « Deploy from a branch », "
            "puis relancer ce workflow"
        )
    url = data.get("html_url")
    if not isinstance(url, str) or not _URL.fullmatch(url):
        raise AddressError(f"l'API de GitHub Pages ne donne pas d'adresse utilisable pour le site : {url!r}")
    return url.rstrip("/")


def https_warning(answer: Answer) -> str | None:
    """A hint when the site is served over plain HTTP (a custom domain whose HTTPS is not enforced)."""
    data = _body(answer)
    if data.get("https_enforced") is False:
        return (
            "le site est servi sans HTTPS imposé : cocher « Enforce HTTPS » dans Settings → Pages "
            "(une fois le certificat du domaine délivré), puis relancer ce workflow"
        )
    return None


def main(argv: list[str] | None = None) -> int:
    """Read the answer on stdin; print the base URL (or, with ``--format github``, write it to $GITHUB_OUTPUT)."""
    parser = argparse.ArgumentParser(
        prog="python -m build_scripts.pages_address",
        description="L'adresse du site GitHub Pages, d'après « gh api --include repos/<dépôt>/pages » lu sur stdin.",
    )
    parser.add_argument("--format", choices=("text", "github"), default="text")
    args = parser.parse_args(argv)
    github = args.format == "github"

    def report(message: str, severity: str) -> None:
        problem = Problem(WORKFLOW, None, message, severity)
        if github:
            print(github_annotation(problem))
        else:
            print(problem, file=sys.stderr)

    try:
        answer = parse_answer(sys.stdin.read())
        url = base_url(answer)
    except AddressError as error:
        report(str(error), "error")
        return 1
    warning = https_warning(answer)
    if warning:
        report(warning, "warning")
    if github:
        if not os.environ.get("GITHUB_OUTPUT"):
            report("GITHUB_OUTPUT n'est pas défini : --format github ne sert que dans un workflow", "error")
            return 1
        with open(os.environ["GITHUB_OUTPUT"], "a", encoding="utf-8") as output:
            output.write(f"base_url={url}\n")
        print(f"Adresse du site : {url}/")
    else:
        print(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
