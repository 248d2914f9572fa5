"""The reviewer's summary of a branch (issue 20): ``python -m build_scripts changes --base main``.

A temporary git repository holds the real seeds on ``main``; a branch adds an
article with new names, adds one whose person is a typo of a known name (and
whose text copies an article), edits one (a variant ``check`` warns about) and
removes one. Every line the summary must show is computed from the seeds.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from build_scripts import duplicates
from build_scripts.changes import base, compare, preview, summarize, summary
from build_scripts.dates import french_date
from build_scripts.escape import markdown
from build_scripts.load import TextSeed, read_seeds
from build_scripts.pipeline import check, load_and_validate
from build_scripts.render import urls
from build_scripts.schema import INDEX_KINDS
from build_scripts.text import fold
from tests.helpers import BASE_SEEDS, EXAMPLE_SEEDS, ROOT, run_command

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}
STEMS = sorted(p.stem for p in EXAMPLE_SEEDS.glob("*.txt"))
EDITED, COPIED, REMOVED = STEMS[2], STEMS[3], STEMS[4]
ADDED = "2022-03-01-blinken-a-riga"
TYPO = "2022-03-02-poutin-appelle-macron"


def git(root: Path, *args: str) -> str:
    """Run git in ``root`` with a fixed identity; its output."""
    env = {**os.environ, **GIT_ENV, "HOME": str(root.parent)}
    run = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, env=env, timeout=60)
    assert run.returncode == 0, run.stderr
    return run.stdout


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real seeds committed on ``main``, then the branch's changes left in the working tree."""
    root = tmp_path_factory.mktemp("changes") / "repo"
    shutil.copytree(EXAMPLE_SEEDS, root / "seeds")
    git(root.parent, "init", "-q", "-b", "main", str(root))
    git(root, "add", "seeds")
    git(root, "commit", "-q", "-m", "Les articles de départ")
    git(root, "switch", "-q", "-c", "proposition")
    seeds = root / "seeds"
    (seeds / f"{ADDED}.txt").write_text(
        "Antony Blinken à Riga\nLe secrétaire d'État américain Antony Blinken a rencontré à Riga les ministres "
        "baltes, qui redoutent une offensive russe.\n",
        encoding="utf-8",
    )
    (seeds / f"{ADDED}.yml").write_text(
        "date: 2022-03-01\nsource: Le Monde\nthemes: [otan]\npeople: [Antony Blinken, Vladimir Poutine]\n"
        "places: [Riga, Russie]\n",
        encoding="utf-8",
    )
    copied = (seeds / f"{COPIED}.txt").read_text(encoding="utf-8").split("\n", 1)[1]
    (seeds / f"{TYPO}.txt").write_text("Poutin appelle Macron\n" + copied, encoding="utf-8")
    (seeds / f"{TYPO}.yml").write_text(
        "date: 2022-01-29\nsource: TASR\nthemes: [france-russie, ukraine]\n"
        "people: [Vladimir Poutin, Emmanuel Macron]\n",
        encoding="utf-8",
    )
    edited = seeds / f"{EDITED}.yml"
    text = edited.read_text(encoding="utf-8")
    assert "people: [Vladimir Poutine," in text
    # Another article writes « Emmanuel Macron »: check warns about the two spellings.
    edited.write_text(text.replace("people: [Vladimir Poutine,", "people: [Vladimir Poutine, emmanuel macron,"), "utf8")
    for ext in ("txt", "yml"):
        (seeds / f"{REMOVED}.{ext}").unlink()
    # Code beside the seeds (untracked yet): named, with a word for the reviewer.
    (root / "outil.py").write_text("print('bonjour')\n", encoding="utf-8")
    return root


def test_every_line_the_reviewer_reads(repo: Path, tmp_path: Path) -> None:
    run = run_command(repo, "changes", "--base", "main")
    assert run.returncode == 0, run.stderr
    text = run.stdout
    lines = text.splitlines()
    _raw, head, _ = load_and_validate(repo)
    _corpus, problems = check(repo)
    old = base.extract_seeds(repo, "main", tmp_path / "base")
    _raw, before, _ = load_and_validate(old)
    articles = {a.id: a for a in head.articles}
    themes = {t.id: t.title for t in head.themes}

    assert lines[0] == "## Ce que change cette branche"
    commit = git(repo, "rev-parse", "--short=7", "main").strip()
    assert f"Comparée à `main` (commit `{commit}`) : 4 articles : 2 ajoutés, 1 modifié, 1 retiré." in lines
    assert f"`{preview.serve_command('site')}`" in text
    assert "Autres fichiers modifiés : `outil.py`." in lines
    assert any(line.startswith("Hors de `seeds/`, c'est du code ou de la configuration") for line in lines)

    def block(stem: str) -> list[str]:
        """The lines of one article's section."""
        title = articles[stem].title if stem in articles else next(a.title for a in before.articles if a.id == stem)
        heads = [i for i, line in enumerate(lines) if line.startswith("### ")]
        start = next(i for i in heads if lines[i].endswith(f"« {markdown(title)} »"))
        end = next((i for i in heads if i > start), len(lines))
        return lines[start:end]

    def facts(stem: str) -> list[str]:
        """Title, date, outlet, dossiers and files, as the seeds give them."""
        a = articles[stem]
        dossiers = ", ".join(f"{markdown(themes[t])} (`{t}`)" for t in a.themes)
        return [
            f"- Date : {french_date(a.date)}",
            f"- Média : {markdown(a.source or 'inconnu')}",
            f"- Dossiers : {dossiers}",
            f"- Fichiers : `seeds/{stem}.txt`, `seeds/{stem}.yml`",
        ]

    def pages(stem: str, *names: str) -> list[str]:
        a = articles[stem]
        srcs = [urls.article_src(a), *(urls.theme_src(t) for t in a.themes), *names]
        shown = [f"  - `{u}index.html` (http://localhost:8000/{u})" for u in map(urls.page_url, srcs)]
        return ["- Dans l'aperçu :", *shown]

    def in_order(section: list[str], expected: list[str]) -> None:
        at = [section.index(line) for line in expected]
        assert at == sorted(at), expected

    # Added: new names (Riga, Antony Blinken, Le Monde), nothing from check, no duplicate.
    added = block(ADDED)
    assert added[0] == "### Ajouté : « Antony Blinken à Riga »"
    assert all(line in added for line in facts(ADDED))
    in_order(
        added,
        [
            "- Noms nouveaux dans les index :",
            "  - Personnes : Antony Blinken",
            "  - Lieux : Riga",
            "  - Sources : Le Monde",
            "- Remarques de `check` : aucune",
            "- Doublon probable : aucun",
        ],
    )
    assert not any("Vladimir Poutine" in line or "Russie" in line for line in added), "known names are not new"
    in_order(added, pages(ADDED, "personnes/antony-blinken.md", "lieux/riga.md", "sources/le-monde.md"))

    # The typo: flagged beside the known name; its text copies another article.
    typo = block(TYPO)
    assert typo[0] == "### Ajouté : « Poutin appelle Macron »"
    assert all(line in typo for line in facts(TYPO))
    assert typo_line("Vladimir Poutin", "Vladimir Poutine") in typo
    texts = [(s.path, "\n".join(t for _, t in s.lines)) for s in _raw_texts(repo)]
    dup = next(d for d in duplicates.find_duplicates(texts) if d.key == f"seeds/{TYPO}.txt")
    assert dup.other == f"seeds/{COPIED}.txt"
    assert (
        f"- Doublon probable : « {markdown(articles[COPIED].title)} » (`seeds/{COPIED}.txt`), "
        f"environ {round(dup.similarity * 100)} % de passages communs"
    ) in typo

    # Edited: the variant it adds is a new name, and check's warning about it is shown.
    edited = block(EDITED)
    assert edited[0] == f"### Modifié : « {markdown(articles[EDITED].title)} »"
    assert all(line in edited for line in facts(EDITED))
    assert typo_line("emmanuel macron", "Emmanuel Macron") in edited
    warnings = [p for p in problems if p.path == f"seeds/{EDITED}.yml"]
    assert warnings and all(f"  - {markdown(str(p))}" in edited for p in warnings)
    assert "- Doublon probable : aucun" in edited

    # Removed: the names only it had leave the indexes, and its page.
    removed_article = next(a for a in before.articles if a.id == REMOVED)
    removed = block(REMOVED)
    assert removed[0] == f"### Retiré : « {markdown(removed_article.title)} »"
    gone = [
        (kind.title, name)
        for kind in INDEX_KINDS
        for name in dict.fromkeys(before.canonical(kind.field, n) for n in removed_article.names(kind.field))
        if not any(before.canonical(kind.field, n) == name for a in head.articles for n in a.names(kind.field))
    ]
    assert gone, "the removed article had names of its own"
    in_order(removed, ["- Noms qui disparaissent des index :", *(f"  - {k} : {markdown(n)}" for k, n in gone)])
    page = urls.page_url(urls.article_src(removed_article))
    assert f"- Dans l'aperçu : sa page `{page}index.html` n'existe plus." in removed

    # Exactly these four sections.
    assert sum(line.startswith("### ") for line in lines) == 4


def test_the_job_summary_details_a_bounded_number_of_articles(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """GitHub shows 1 MiB of a job summary: past ``DETAILED`` articles, one line says how many more."""
    monkeypatch.setattr(summary, "DETAILED", 3)
    text = summarize(repo, "main", "apercu-du-site-pr-7")
    assert sum(line.startswith("### ") for line in text.splitlines()) == 3
    assert "… et 1 autre article, non détaillé(s) ici" in text
    assert sum(line.startswith("### ") for line in summarize(repo, "main").splitlines()) == 4


def typo_line(name: str, known: str) -> str:
    """A new person's line when it nearly spells a known one."""
    return f"  - Personnes : {name} — ⚠️ à une ou deux lettres de « {known} » : faute de frappe ?"


def _raw_texts(root: Path) -> list[TextSeed]:
    raw, _ = read_seeds(root)
    return [raw.texts[k] for k in sorted(raw.texts)]


def test_hostile_title_stays_text_and_a_broken_seed_is_named(tmp_path: Path) -> None:
    """Seed text cannot become a link, HTML or a mention; a pair that fails ``check`` is still listed."""
    root = tmp_path / "repo"
    (root / "seeds").mkdir(parents=True)
    for name, content in BASE_SEEDS.items():
        (root / "seeds" / name).write_text(content, encoding="utf-8")
    git(tmp_path, "init", "-q", "-b", "main", str(root))
    git(root, "add", "seeds")
    git(root, "commit", "-q", "-m", "base")
    hostile = (
        "<img src=x onerror=alert(1)> [clic](javascript:alert(1)) `code` *gras* $x$ | ~~barré~~ &amp; "
        "https://evil.example www.evil.example @octocat"
    )
    seeds = root / "seeds"
    (seeds / "b.txt").write_text("Titre quelconque\nTexte.\n", encoding="utf-8")
    (seeds / "b.yml").write_text(f"title: {json.dumps(hostile)}\ndate: 2020-01-03\nsource: Agence\nthemes: [otan]\n")
    (seeds / "c.txt").write_text("Un article cassé\nTexte.\n", encoding="utf-8")
    (seeds / "c.yml").write_text("date: 2020-13-45\nsource: Agence\nthemes: [otan]\n", encoding="utf-8")
    (seeds / "themes.yml").write_text(BASE_SEEDS["themes.yml"] + "  keywords: [OTAN]\n", encoding="utf-8")
    text = summarize(root, "main", "apercu-du-site-pr-7")
    lines = text.splitlines()
    assert f"### Ajouté : « {markdown(hostile)} »" in lines
    # Every character that could start markup is backslash-escaped (CommonMark: the pair is that character).
    title_line = next(line for line in lines if "onerror" in line)
    assert not re.search(r"[<>\[\]`*_$|~&]", re.sub(r"\\.", "", title_line)), title_line
    # Bare addresses and mentions read the same but are cut by an invisible word joiner: GitHub links nothing.
    for inert in ("https://evil.example", "www.evil.example", "@octocat"):
        assert inert not in title_line and inert in title_line.replace("\u2060", ""), title_line
    assert not re.search(r"://\w|www\.\w|@\w", title_line), title_line
    assert "Autres fichiers modifiés : `seeds/themes.yml`." in lines
    assert "Hors de `seeds/`" not in text
    broken = lines[lines.index("### Ajouté : « Un article cassé »") :]
    assert "- Ne sera pas publié : `check` signale des erreurs dans ses fichiers (ci-dessous)." in broken
    _corpus, problems = check(root)
    errors = [p for p in problems if p.path == "seeds/c.yml"]
    assert errors and all(f"  - {markdown(str(p))}" in broken for p in errors)
    assert "`python3 -m http.server -d apercu-du-site-pr-7`" in text


def test_unknown_base_is_one_french_line(repo: Path) -> None:
    run = run_command(repo, "changes", "--base", "pas-de-branche")
    assert run.returncode == 2
    assert run.stderr.strip() == "erreur : branche de base introuvable : « pas-de-branche » (git fetch ?)"
    assert run.stdout == ""
    with pytest.raises(base.GitError):
        base.base_commit(repo, "--output=/tmp/x")
    plain = repo.parent / "pas-un-depot"
    plain.mkdir(exist_ok=True)
    run = run_command(plain, "changes")
    assert (
        run.returncode == 2
        and run.stderr.strip() == f"erreur : {plain} n'est pas un dépôt git : la base ne peut pas y être lue"
    )


@pytest.mark.parametrize(
    ("name", "known", "near"),
    [
        ("Poutin", ["Poutine", "Macron"], ("Poutine",)),
        ("Vladimir Poutin", ["Vladimir Poutine"], ("Vladimir Poutine",)),
        ("Zelenski", ["Zelensky", "Zelenskyy", "Zelenskiy"], ("Zelenskiy", "Zelensky", "Zelenskyy")),  # closest first
        ("Riga", ["Rome", "Rigo"], ("Rigo",)),  # four letters: one apart only
        ("UE", ["UA", "ONU"], ()),  # two letters: only the same letters count
        ("Macron", ["Macron"], ()),  # the name itself is not a look-alike
        ("Otan", ["OTAN"], ("OTAN",)),  # case and accents aside
    ],
)
def test_near_names(name: str, known: list[str], near: tuple[str, ...]) -> None:
    assert compare.near_names(name, [(k, fold(k)) for k in known]) == near
    assert compare.edit_distance("poutin", "poutine", 2) == 1
    assert compare.edit_distance("kiev", "kyiv", 2) == 2
    assert compare.edit_distance("abcdef", "uvwxyz", 2) == 3


def test_preview_readme_opens_the_site_from_a_plain_folder(tmp_path: Path) -> None:
    """The command LISEZMOI.txt gives, run from the folder holding the unzipped artifact, serves its pages."""
    name = "apercu-du-site-pr-7"
    site = tmp_path / name
    (site / "articles" / "x").mkdir(parents=True)
    (site / "index.html").write_text("<title>Accueil</title>", encoding="utf-8")
    (site / "articles" / "x" / "index.html").write_text("<title>Article x</title>", encoding="utf-8")
    assert run_command(ROOT, "changes", "--preview", name, "--readme", str(site)).returncode == 0
    readme = (site / preview.README).read_text(encoding="utf-8")
    assert f"    {preview.serve_command(name)}\n" in readme and "http://localhost:8000/" in readme
    command = preview.serve_command(name).split()
    assert command[:3] == ["python3", "-m", "http.server"]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, *command[1:], "--bind", "127.0.0.1", str(port)],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        page = b""
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/articles/x/", timeout=5) as response:
                    page = response.read()
                break
            except OSError:
                time.sleep(0.1)
        assert page == b"<title>Article x</title>"
    finally:
        server.terminate()
        server.wait(timeout=10)
    # Not a built site: refused, nothing written.
    assert run_command(ROOT, "changes", "--readme", str(tmp_path)).returncode == 2
    assert not (tmp_path / preview.README).exists()


def test_non_ascii_seed_paths_stay_in_seeds(tmp_path: Path) -> None:
    """« seeds/é.txt » (tracked or new) is a seed, not code outside seeds/: git quotes such paths without -z."""
    root = tmp_path / "repo"
    (root / "seeds").mkdir(parents=True)
    (root / "seeds" / "é.txt").write_text("Titre\nTexte.\n", encoding="utf-8")
    git(tmp_path, "init", "-q", "-b", "main", str(root))
    git(root, "add", "seeds")
    git(root, "commit", "-q", "-m", "base")
    commit = git(root, "rev-parse", "HEAD").strip()
    (root / "seeds" / "é.txt").write_text("Titre\nAutre texte.\n", encoding="utf-8")
    (root / "seeds" / "ü ß.yml").write_text("date: 2020-01-01\n", encoding="utf-8")
    (root / "outil é.py").write_text("print('bonjour')\n", encoding="utf-8")
    assert base.changed_outside_seeds(root, commit) == ["outil é.py"]
