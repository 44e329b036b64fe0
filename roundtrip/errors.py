"""The exceptions and warnings the library raises: every failure is a RoundtripError."""

from __future__ import annotations

from collections.abc import Sequence

import attrs


@attrs.frozen
class Problem:
    """One thing wrong with a record, placed in its file where the text has a place."""

    message: str
    line: int | None = None
    column: int | None = None
    field: str | None = None

    def describe(self, path: str | None = None) -> str:
        """Render as `path:line:col: field: message`, leaving out the parts that are unknown."""
        where = ":".join(str(part) for part in (path, self.line, self.column) if part is not None)
        parts = [part for part in (where, self.field) if part]
        return ": ".join([*parts, self.message])


class RoundtripError(Exception):
    """Base of every error the library raises; `line` and `column` are 1-based."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
        field: str | None = None,
        problems: Sequence[Problem] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        self.field = field
        self.problems: list[Problem] = list(problems) or [Problem(message, line, column, field)]

    def with_path(self, path: str) -> RoundtripError:
        """Name the file the error came from (the library learns it after parsing)."""
        self.path = path
        return self

    def __str__(self) -> str:
        return "\n".join(problem.describe(self.path) for problem in self.problems)


class EnvelopeError(RoundtripError):
    """The `---` fences, the encoding or the bytes around the front matter are wrong."""


class ParseError(RoundtripError):
    """The front matter is not YAML that a record may contain."""


class SchemaError(RoundtripError):
    """The front matter does not satisfy its format's schema."""


class LimitError(RoundtripError):
    """The input exceeds a configured bound (size, nesting, alias expansion)."""


class EmitError(RoundtripError):
    """A record could not be written (an invalid value, or a failed write)."""


class ConflictError(EmitError):
    """The file changed since the record was read from it: writing would lose that change."""


class FormatError(RoundtripError):
    """A schema cannot drive a format: an unsupported keyword, a `$ref` that leaves its
    document, or names that collide. `field` is the JSON pointer of the place in the schema."""


class RoundtripWarning(UserWarning):
    """Something kept but worth knowing, such as an unknown key in lenient mode."""

    def __init__(self, problem: Problem) -> None:
        # The problem is the only argument, so the warning rebuilds from its args: it pickles
        # (a worker process sends it back), where a message string would not make a Problem.
        super().__init__(problem)
        self.problem = problem

    def __str__(self) -> str:
        return self.problem.describe()


def schema_error(problems: Sequence[Problem]) -> SchemaError:
    """One SchemaError for a list of problems, placed at the first of them."""
    first = problems[0]
    return SchemaError(
        first.message, line=first.line, column=first.column, field=first.field, problems=problems
    )
