"""Command line: ``python -m build_scripts build|serve|check|new|changes|schema``."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
from pathlib import Path

from mkdocs.exceptions import MkDocsException

from build_scripts import changes, contract, new, pipeline, progress, proposal, publish, search_index, workers
from build_scripts.problems import InputError, Problem, github_annotation

ROOT = Path(__file__).resolve().parent.parent


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def cmd_build(args: argparse.Namespace) -> int:
    """Generate docs/ from the seeds once, then render site/ with MkDocs (strict)."""
    root = Path(args.root).resolve()
    progress.QUIET = args.quiet
    workers.JOBS = args.jobs
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO, format="%(levelname)-7s - %(message)s")
    config_file = root / "mkdocs.yml"
    site_dir = Path(args.site_dir).resolve() if args.site_dir else root / "site"
    try:
        config = publish.read_config(config_file)
        # Pagefind indexes each page as soon as it is made, on the other core;
        # MkDocs' hook finds the indexing under way and waits for it at the end.
        indexing = search_index.INDEXER.begin(site_dir.parent)
        generated = pipeline.generate(root, publish.site_info(config), indexing.add)
        indexing.done()
        if not args.quiet:
            # Only when the build goes on: warnings (such as a dossier left without
            # articles by a broken seed) would bury the errors; ``check`` shows all.
            _print_problems(list(generated.warnings))
        # The MkDocs hook finds this generation in the pipeline's memo and reuses it.
        publish.render(config_file, site_dir, strict=True)
    except InputError as error:
        search_index.INDEXER.cancel(wait=True)
        _print_problems(error.problems)
        print(
            f"Build arrêté : {len(error.problems)} erreur(s). Le site précédent n'a pas été modifié.", file=sys.stderr
        )
        return 1
    except (MkDocsException, search_index.SearchIndexError) as error:
        search_index.INDEXER.cancel(wait=True)
        where = "index de recherche : " if isinstance(error, search_index.SearchIndexError) else ""
        print(f"Build arrêté : {where}{error}. Le site précédent n'a pas été modifié.", file=sys.stderr)
        return 1
    if not args.quiet:
        print(f"Site construit dans {site_dir}", file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the site with live reload; a saved change rebuilds only the pages it changes."""
    from mkdocs.commands.serve import serve

    from build_scripts.rebuilds import quiet_dirty_notice

    root = Path(args.root).resolve()
    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s - %(message)s")
    quiet_dirty_notice()
    try:
        serve(config_file=str(root / "mkdocs.yml"), livereload=True, build_type="dirty", dev_addr=args.dev_addr)
    except MkDocsException as error:
        print(f"Arrêt : {error}", file=sys.stderr)
        return 1
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Validate every seed and themes.yml; report all problems at once."""
    root = Path(args.root).resolve()
    _corpus, problems = pipeline.check(root)
    if args.format == "github":
        # Workflow commands are read from standard output.
        for problem in problems:
            print(github_annotation(problem))
    else:
        _print_problems(problems)
    errors = sum(p.severity == "error" for p in problems)
    print(f"{errors} erreur(s), {len(problems) - errors} avertissement(s).", file=sys.stderr)
    return 1 if errors else 0


def _day(option: str, value: str | None) -> tuple[dt.date | None, str]:
    """A date option, or ``None`` and a message."""
    if not value:
        return None, ""
    try:
        return dt.date.fromisoformat(value), ""
    except ValueError:
        return None, f"{option} : date au format AAAA-MM-JJ attendue, trouvé « {value} »"


def cmd_new(args: argparse.Namespace) -> int:
    """Copy a clipped text, a saved page's or an address's article into seeds/, with its pre-filled YAML."""
    root = Path(args.root).resolve()
    date, message = _day("--date", args.date)
    proposed_date, message2 = _day("--proposed-date", args.proposed_date)
    if message or message2:
        print(f"erreur : {message or message2}", file=sys.stderr)
        return 2
    known = new.learn(root)
    ids = {theme.id for theme in known.themes}
    for option, values in (("--theme", args.theme), ("--proposed-theme", args.proposed_theme)):
        unknown = [v for v in values if v not in ids]
        if unknown:
            print(
                f"erreur : {option} : dossier inconnu « {unknown[0]} » ; dossiers de seeds/themes.yml : "
                f"{', '.join(sorted(ids))}",
                file=sys.stderr,
            )
            return 2
    stdin = sys.stdin.buffer if sys.stdin is not None else None
    try:
        article = new.read_article(args.path, allow_private=args.allow_private_addresses, stdin=stdin)
    except new.SourceError as error:
        print(f"erreur : {error}", file=sys.stderr)
        return 2
    if article.page is not None:
        copy = known.copy_of(article.text)
        if copy is not None:
            print(
                f"erreur : {args.path} : cet article est déjà dans le corpus : {copy.other} (environ "
                f"{round(copy.similarity * 100)} % de passages communs) ; rien n'est écrit",
                file=sys.stderr,
            )
            return 2

    def line(value: str | None) -> str | None:
        return " ".join(value.split()) if value else None

    try:
        proposal = new.draft(
            article.text,
            known,
            dt.date.today(),
            title=line(args.title),
            date=date,
            source=line(args.source),
            page=article.page,
            themes=tuple(dict.fromkeys(args.theme)),
            proposal=new.Proposal(line(args.proposed_source), proposed_date, tuple(dict.fromkeys(args.proposed_theme))),
        )
    except (ValueError, RecursionError) as error:
        # A text the name recogniser or a pattern cannot take (spaCy's own limits): one line, nothing written.
        reason = " ".join(str(error).split())[:300]
        print(f"erreur : {args.path} : texte refusé ({error.__class__.__name__} : {reason})", file=sys.stderr)
        return 2
    written, problems = new.create(root, article.text, proposal)
    if problems:
        _print_problems(problems)
        return 1
    for path in written:
        print(path.relative_to(root).as_posix())
    remaining = new.check_draft(root, written[0].stem)
    print(
        f"Créé. Ouvrez {written[1].relative_to(root).as_posix()}, vérifiez les lignes « À CONFIRMER », "
        "complétez les « À COMPLÉTER », puis lancez : python -m build_scripts check",
        file=sys.stderr,
    )
    if remaining:
        print("Encore à faire :", file=sys.stderr)
        _print_problems(remaining)
    return 0


def cmd_changes(args: argparse.Namespace) -> int:
    """Print what the working tree's seeds change against a base branch, in French Markdown."""
    root = Path(args.root).resolve()
    if args.readme:
        # The preview's instructions, beside the built site's index.html, in what the workflow uploads.
        folder = Path(args.readme)
        if not (folder / "index.html").is_file():
            print(f"erreur : {folder} n'est pas un site construit (pas d'index.html)", file=sys.stderr)
            return 2
        (folder / changes.README).write_text(changes.readme(args.preview or folder.name), encoding="utf-8")
        return 0
    try:
        text = changes.summarize(root, args.base, args.preview)
    except changes.GitError as error:
        print(f"erreur : {error}", file=sys.stderr)
        return 2
    sys.stdout.write(text)
    return 0


def cmd_proposal(args: argparse.Namespace) -> int:
    """Turn a proposed article (a labelled issue's event file) into a pull request, and say so on the issue."""
    return proposal.import_proposal(Path(args.event), Path(args.root).resolve(), args.allow_private_addresses)


def cmd_schema(args: argparse.Namespace) -> int:
    """Rewrite the JSON Schemas of seeds/ and the field tables of CONTRIBUTING.md from schema.py."""
    root = Path(args.root).resolve()
    for path in contract.write_contract(root / "seeds", root / "CONTRIBUTING.md"):
        print(path.relative_to(root).as_posix())
    return 0


def parser() -> argparse.ArgumentParser:
    """The argument parser, with help in plain words."""
    main_parser = argparse.ArgumentParser(
        prog="python -m build_scripts",
        description="Publie les articles de seeds/ sous forme de site de dossiers de presse.",
    )
    main_parser.add_argument("--root", default=str(ROOT), help="dossier du projet (par défaut : celui-ci)")
    sub = main_parser.add_subparsers(dest="command", required=True)
    p_build = sub.add_parser("build", help="vérifie les sources puis construit le site dans site/")
    p_build.add_argument("--site-dir", help="dossier de sortie (par défaut : site/)")
    p_build.add_argument("--quiet", action="store_true", help="n'affiche que les erreurs")
    p_build.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="processus qui écrivent les pages (par défaut : un par cœur, moins celui de Pagefind ; 1 : un seul)",
    )
    p_build.set_defaults(func=cmd_build)
    p_serve = sub.add_parser(
        "serve",
        help="prévisualise le site et le met à jour à chaque enregistrement (seules les pages touchées)",
        description="Sert le site sur http://127.0.0.1:8000/ (sous le chemin de site_url) et le reconstruit à chaque "
        "enregistrement d'un fichier de seeds/ ou de docs/ : seules les pages qui changent sont refaites. "
        "L'index de recherche suit à la fin de chaque reconstruction.",
    )
    p_serve.add_argument("--dev-addr", default=None, help="adresse et port, par défaut 127.0.0.1:8000")
    p_serve.set_defaults(func=cmd_serve)
    p_check = sub.add_parser(
        "check",
        help="vérifie les sources sans rien écrire",
        description="Vérifie tous les articles et seeds/themes.yml, et signale tous les problèmes d'un coup "
        "(fichier:ligne: message). Avertit aussi des doublons probables, des dossiers sans article, "
        "des noms écrits de deux façons et des dates dans le futur.",
    )
    p_check.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="« github » : annotations GitHub Actions, affichées sur les lignes de la pull request",
    )
    p_check.set_defaults(func=cmd_check)
    p_new = sub.add_parser(
        "new",
        help="ajoute un article : depuis un texte, une page enregistrée ou son adresse ; prépare ses métadonnées",
        description="Copie le texte d'un article dans seeds/ et écrit à côté un fichier .yml pré-rempli "
        "(titre, date, média, auteur, adresse, dossiers, personnes, lieux, organisations, lignes à omettre). "
        "L'article vient d'un fichier texte, d'une page web enregistrée depuis le navigateur (.html) ou de son "
        "adresse (http:// ou https://). Chaque valeur devinée dit où elle a été lue ; les valeurs incertaines "
        "sont marquées « À CONFIRMER », les champs vides sont à compléter. Aucun fichier existant n'est remplacé.",
    )
    p_new.add_argument(
        "path",
        nargs="?",
        metavar="SOURCE",
        help="un fichier texte (.txt, UTF-8), une page enregistrée (.html) ou une adresse http(s)://… ; "
        "sans elle, ou avec -, le texte est lu sur l'entrée standard",
    )
    p_new.add_argument("--title", help="titre de l'article (sinon : celui de la page, ou la première ligne du texte)")
    p_new.add_argument("--date", help="date de publication, AAAA-MM-JJ (sinon : lue dans la page ou le texte)")
    p_new.add_argument("--source", help="média ou agence (sinon : lu dans la page ou le texte)")
    p_new.add_argument(
        "--theme",
        action="append",
        default=[],
        metavar="ID",
        help="dossier de seeds/themes.yml (répétable) ; remplace les dossiers suggérés",
    )
    p_new.add_argument(
        "--proposed-source",
        metavar="MÉDIA",
        help="média indiqué par une proposition de lecteur : utilisé seulement si la page et le texte n'en disent rien",
    )
    p_new.add_argument(
        "--proposed-date",
        metavar="AAAA-MM-JJ",
        help="date indiquée par une proposition : utilisée seulement si la page et le texte n'en donnent pas",
    )
    p_new.add_argument(
        "--proposed-theme",
        action="append",
        default=[],
        metavar="ID",
        help="dossier indiqué par une proposition (répétable) : utilisé seulement si aucun n'est suggéré",
    )
    p_new.add_argument(
        "--allow-private-addresses",
        action="store_true",
        help="pour les tests seulement : permet de lire une adresse locale ou privée (serveur de test sur 127.0.0.1)",
    )
    p_new.set_defaults(func=cmd_new)
    p_changes = sub.add_parser(
        "changes",
        help="résume ce que la branche change par rapport à une autre (pour la relecture d'une pull request)",
        description="Pour chaque article ajouté, modifié ou retiré par rapport à la branche de base : titre, date, "
        "média, dossiers, noms nouveaux dans les index (et ceux qui ressemblent à un nom connu), remarques de "
        "check, doublon probable, pages dans l'aperçu. Écrit en Markdown sur la sortie standard.",
    )
    p_changes.add_argument("--base", default="main", help="branche ou commit de base (par défaut : main)")
    p_changes.add_argument("--preview", help="nom de l'artefact d'aperçu (workflow des pull requests)")
    p_changes.add_argument(
        "--readme",
        metavar="SITE",
        help=f"écrit seulement {changes.README} (comment ouvrir l'aperçu) à la racine du site construit SITE",
    )
    p_changes.set_defaults(func=cmd_changes)
    p_proposal = sub.add_parser(
        "proposal",
        help="workflow « Importer un article proposé » : de l'issue étiquetée à la pull request",
        description=f"Lit l'issue « Proposer un article » dans le fichier d'événement de GitHub, lance new sur "
        f"son adresse, pousse une branche avec les deux fichiers, ouvre la pull request (« Closes #N », les "
        f"« À CONFIRMER » et « À COMPLÉTER » à relire) et commente l'issue. Lancé par l'étiquette "
        f"« {proposal.LABEL} ».",
    )
    p_proposal.add_argument("event", help="le fichier d'événement (GITHUB_EVENT_PATH)")
    p_proposal.add_argument(
        "--allow-private-addresses", action="store_true", help="pour les tests seulement (passé à new)"
    )
    p_proposal.set_defaults(func=cmd_proposal)
    p_schema = sub.add_parser(
        "schema", help="régénère les schémas JSON de seeds/ et les tableaux des champs de CONTRIBUTING.md"
    )
    p_schema.set_defaults(func=cmd_schema)
    return main_parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = parser().parse_args(argv)
    status: int = args.func(args)
    return status
