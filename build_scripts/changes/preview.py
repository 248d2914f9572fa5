"""The preview of the site a pull request builds: its name, how to open it, where a page is in it.

The pull-request workflow uploads the built ``site/`` as an artifact; the
summary points into it, and ``LISEZMOI.txt`` at its root says how to read it
from a plain folder (directory links and the search index need a web server:
opened as files, ``articles/x/`` is a folder listing and the search is empty).
"""

from __future__ import annotations

from build_scripts.render.urls import page_url

README = "LISEZMOI.txt"
"""Written at the root of the uploaded site, beside its ``index.html``."""
PORT = 8000
"""``python3 -m http.server``'s own default."""


def serve_command(folder: str) -> str:
    """The command that serves the preview from a plain folder."""
    return f"python3 -m http.server -d {folder}"


def address(src: str) -> str:
    """Where a generated page opens once served (``articles/x.md`` -> ``http://localhost:8000/articles/x/``)."""
    return f"http://localhost:{PORT}/{page_url(src)}"


def file_in_preview(src: str) -> str:
    """Its file inside the preview (``articles/x/index.html``)."""
    return f"{page_url(src)}index.html"


def readme(name: str) -> str:
    """``LISEZMOI.txt`` of the artifact ``name``: how to open it, in French, as plain text."""
    return (
        f"Aperçu du site construit par la pull request ({name}).\n"
        "\n"
        "Pour le lire, décompressez l'archive dans un dossier à part, puis, depuis le dossier\n"
        "qui la contient :\n"
        "\n"
        f"    {serve_command(name)}\n"
        "\n"
        f"et ouvrez http://localhost:{PORT}/ dans un navigateur (Ctrl+C pour arrêter).\n"
        "\n"
        "Ouvert directement depuis le disque (index.html), le site s'affiche mal : les liens\n"
        "mènent à des dossiers et la recherche ne fonctionne pas. Ne lancez aucun fichier\n"
        "de l'archive : c'est le site tel que la pull request le construit, à relire.\n"
    )
