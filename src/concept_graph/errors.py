"""The one error type users see, and the problems it carries.

A lecturer who made ten mistakes in a spec should see ten lines, each pointing at a file and a
line, so problems are collected as data first and raised once (the habit of frictionless and
cfgv). Library code never prints or exits; the CLI turns a :class:`ConceptGraphError` into lines
on stderr and exit code 2.
"""

from __future__ import annotations

from pathlib import Path


class Problem:
    """One thing wrong with the input, located as precisely as we can.

    ``code`` is stable and meant for tests and tools; ``message`` and ``hint`` are for people.
    Immutable and compared by value, like a frozen dataclass; written out because every command's
    start-up imports this module, and ``dataclasses`` (with ``inspect``) was a tenth of ``--help``.

    >>> str(Problem("unknown-concept", "spec/a.yaml", 42, "unknown concept 'x'", "did you mean 'y'?"))
    "spec/a.yaml:42: unknown concept 'x' (did you mean 'y'?) [unknown-concept]"
    >>> Problem("a", None, None, "m") == Problem("a", None, None, "m", None)
    True
    """

    __match_args__ = ("code", "file", "line", "message", "hint")
    code: str
    file: str | None
    line: int | None
    message: str
    hint: str | None

    def __init__(self, code: str, file: str | None, line: int | None, message: str, hint: str | None = None):
        for name, value in zip(self.__match_args__, (code, file, line, message, hint), strict=True):
            object.__setattr__(self, name, value)

    def _fields(self) -> tuple:
        return (self.code, self.file, self.line, self.message, self.hint)

    def __setattr__(self, name: str, value) -> None:
        raise AttributeError(f"a Problem is immutable: cannot set {name!r}")

    def __eq__(self, other) -> bool:
        return self._fields() == other._fields() if isinstance(other, Problem) else NotImplemented

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        fields = zip(self.__match_args__, self._fields(), strict=True)
        return "Problem(" + ", ".join(f"{n}={v!r}" for n, v in fields) + ")"

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line else "") + ": "
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}{self.message}{hint} [{self.code}]"


class ConceptGraphError(Exception):
    """Raised with every problem found; ``str()`` lists them one per line."""

    def __init__(self, problems: list[Problem] | Problem):
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]


def display_path(path: Path | str) -> str:
    """A path as users should read it: relative to the working directory when inside it.

    Keeps messages short and keeps absolute paths out of anything that is built.
    """
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


def clip(text: str, limit: int = 160) -> str:
    """A text cut to ``limit`` characters for a message, with "..." where it was cut.

    >>> clip("a" * 10, 6)
    'aaa...'
    """
    return text if len(text) <= limit else text[: max(0, limit - 3)] + "..."


def did_you_mean(word: str, choices) -> str | None:
    """A hint naming the closest valid choice, or listing them when none is close.

    >>> did_you_mean("secure-bse", ["secure-base", "trust"])
    "did you mean 'secure-base'?"
    """
    import difflib

    choices = sorted(set(choices))
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]!r}?"
    if len(choices) <= 12:
        return "valid: " + ", ".join(choices)
    return None
