"""The one place the command line gets "the format" from: the schema records are judged by.

`--schema FILE` on any command, else `schema = "..."` in the `[tool.roundtrip]` table of the
nearest pyproject.toml, else the built-in article. The command line chooses once
(`choose_format`); every command, and every worker process it starts, then follows
`current_format()`. Forked workers inherit the choice; workers elsewhere (a Dask cluster, a
spawned pool) get the schema's text in their options (`FormatSource`) and build the same format
from it.
"""

from __future__ import annotations

import json
import os

import attrs

from .errors import RoundtripError
from .record_format import Format as Format
from .record_format import article as article
from .record_format import format_of as format_of

_current: Format | None = None


def current_format() -> Format:
    """The format records are read, judged and written by (the article unless chosen)."""
    return _current if _current is not None else article()


def use_format(fmt: Format | None) -> None:
    """Make `fmt` the current format (None: back to the article)."""
    global _current
    _current = fmt


def choose_format(schema: str | None, start: str = ".") -> Format:
    """Make current the format `--schema` names (`schema`), else the one the nearest
    pyproject.toml at or above `start` names, else the article (see `find_format`)."""
    fmt = find_format(schema, start)
    use_format(fmt)
    return fmt


def find_format(schema: str | os.PathLike[str] | Format | None, start: str = ".") -> Format:
    """The format `schema` gives (a schema file, or a format), else the one the nearest
    pyproject.toml at or above `start` names, else the article; RoundtripError when the
    schema cannot be read or cannot drive a format, naming where it was given."""
    from .select import load_config

    if isinstance(schema, Format):
        return schema
    if schema is not None:
        return _built(os.fspath(schema), "--schema")
    config = load_config(start)
    if config.schema is None:
        return article()
    return _built(config.schema, f"{config.source}: tool.roundtrip.schema")


def _built(schema: str, given: str) -> Format:
    # Building refuses what cannot drive a format, its link rule included (see Format).
    try:
        return Format.from_schema(schema)
    except RoundtripError as error:
        raise RoundtripError(f"{given}: {error}") from None


@attrs.frozen
class FormatSource:
    """A format as it travels to a worker process: its schema's JSON text (None: the
    article, which every process has built in)."""

    text: str | None = None

    @classmethod
    def of(cls, fmt: Format) -> FormatSource:
        """The source of `fmt`."""
        if fmt.fingerprint == article().fingerprint:
            return cls()
        text = json.dumps(fmt.schema(), ensure_ascii=False)
        _BUILT.setdefault(text, fmt)  # this process has it already: never build it twice
        return cls(text)

    def format(self) -> Format:
        """The format this source describes (built once per process)."""
        if self.text is None:
            return article()
        fmt = _BUILT.get(self.text)
        if fmt is None:
            fmt = _BUILT[self.text] = Format.from_schema(json.loads(self.text))
        return fmt


_BUILT: dict[str, Format] = {}  # formats by their schema's text, as sources name them


def use_source(source: FormatSource) -> None:
    """Make the format `source` describes current (a worker process's initializer)."""
    use_format(source.format())


def format_for(source: FormatSource | None) -> Format:
    """The format of a worker's options: the one they carry, else the current one."""
    return current_format() if source is None else source.format()
