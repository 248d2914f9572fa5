"""Input problems: collected during reading and validation, reported all at once."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem with the input, located as precisely as we know."""

    path: str
    """File path relative to the project root."""
    line: int | None
    """1-based line, when known."""
    message: str
    """What was found and what is expected, in plain French."""
    severity: str = "error"
    """``error`` stops the build; ``warning`` is only reported."""

    def _key(self) -> tuple[str, int, str, str]:
        return (self.path, self.line or 0, self.message, self.severity)

    def __lt__(self, other: Problem) -> bool:
        # By file, then line; a problem about the whole file (no line) first.
        return self._key() < other._key()

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        label = "erreur" if self.severity == "error" else "avertissement"
        return f"{where}: {label}: {self.message}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(problem: Problem) -> str:
    """The problem as a GitHub Actions workflow command, shown on the pull request's line.

    Escaping follows the Actions toolkit (``@actions/core`` ``command.ts``): data
    escapes ``%``, CR and LF; property values also escape ``:`` and ``,``.
    """
    level = "error" if problem.severity == "error" else "warning"
    props = f"file={_escape_property(problem.path)}"
    if problem.line:
        props += f",line={problem.line}"
    return f"::{level} {props}::{_escape_data(problem.message)}"


class InputError(Exception):
    """Raised when the input has problems; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problème(s) dans les sources")
        self.problems = sorted(problems)
