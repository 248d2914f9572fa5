"""The theme's indentation, taken out of every page (issue 21: site bytes per article).

Material's templates indent and blank-line everything they emit: on an
article page, most of the 13 kB of navigation was spaces. In HTML outside
preformatted text, any run of white space renders as one space, and a line
break is white space. So in the theme's templates, a run of white space that
holds a line break becomes that line break alone: pages look and read the
same (an element's accessible name and ``innerText`` collapse white space
the same way), and the templates are changed once per build, not each page.

Left as written: the text of ``pre``, ``textarea``, ``script`` and ``style``
elements, and everything the templates insert, such as the page's own
content, where the article text keeps its white space
(``white-space: pre-wrap`` in press.css).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import jinja2

# Elements whose text is kept as written, each matched whole with its end tag.
_RAW = re.compile(r"<(pre|textarea|script|style)\b.*?</\1\s*>", re.S | re.I)
# HTML's white space is these five characters only: a no-break space is text.
_BREAK = re.compile(r"[ \t\r\f]*\n[ \t\n\r\f]*")


def template(source: str) -> str:
    """A template's source with each white-space run that holds a line break cut to the break."""
    out: list[str] = []
    at = 0
    for raw in _RAW.finditer(source):
        out.append(_BREAK.sub("\n", source[at : raw.start()]))
        out.append(raw.group())
        at = raw.end()
    out.append(_BREAK.sub("\n", source[at:]))
    return "".join(out)


class Loader(jinja2.BaseLoader):
    """The theme's loader, giving each template with ``template`` applied to its source."""

    def __init__(self, inner: jinja2.BaseLoader) -> None:
        self.inner = inner

    def get_source(
        self, environment: jinja2.Environment, name: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        """The inner loader's source, compacted."""
        source, filename, uptodate = self.inner.get_source(environment, name)
        return template(source), filename, uptodate

    def list_templates(self) -> list[str]:
        """The inner loader's templates."""
        return self.inner.list_templates()


def theme(env: Any) -> None:
    """Make MkDocs' theme environment load compacted templates (once per build, before any page)."""
    if env.loader is not None and not isinstance(env.loader, Loader):
        env.loader = Loader(env.loader)
