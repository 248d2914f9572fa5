"""The maintainers' editorial Markdown (a dossier's introduction), rendered safely."""

from __future__ import annotations

import re

import markdown

from build_scripts.escape import Markup

_SAFE_LINK = re.compile(r"^(https?://|#|\.{0,2}/|[a-z0-9._/-]+(#.*)?$)", re.IGNORECASE)


def editorial_markdown(text: str) -> Markup:
    """Render a dossier introduction written in Markdown in ``themes.yml``.

    Raw HTML is escaped so it shows as text, and links keep only http(s) or
    relative targets: nothing written in ``themes.yml`` becomes script.
    """
    rendered = markdown.markdown(text.replace("&", "&amp;").replace("<", "&lt;"), output_format="html")
    rendered = re.sub(
        r'href="([^"]*)"',
        lambda m: m.group(0) if _SAFE_LINK.match(m.group(1)) else 'href="#"',
        rendered,
    )
    rendered = re.sub(r"<img\b[^>]*>", "", rendered)
    return Markup(re.sub(r"\n{2,}", "\n", rendered))
