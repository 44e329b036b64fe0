"""The one place the command line gets "the format" from: the schema records are judged by.

`--schema FILE` on any command, else `schema = "..."` in the `[tool.roundtrip]` table of the
nearest pyproject.toml, else the built-in article. The command line chooses once
(`choose_format`); every command, and every worker process it starts, then follows
`current_format()`. Forked workers inherit the choice; workers elsewhere (a Dask cluster, a
spawned pool) get the schema's text in their options (`FormatSource`) and build the same format
from it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from typing import TYPE_CHECKING, Any

import attrs

from .errors import RoundtripError

if TYPE_CHECKING:
    from .links import LinkRule


class _ArticleFormat:
    """Stand-in for the article's `rt.Format` until the format core lands (issue 9)."""

    name = "Article"

    @property
    def path(self) -> str:
        from .article_schema import SCHEMA_FILE

        return str(SCHEMA_FILE)

    @functools.cached_property
    def fingerprint(self) -> str:
        text = json.dumps(self.schema(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @property
    def root_schema(self) -> dict[str, Any]:
        from .article_schema import load_schema

        return load_schema()

    def schema(self) -> dict[str, Any]:
        import copy

        return copy.deepcopy(self.root_schema)

    def export_schema(self) -> dict[str, Any]:
        from .article_schema import validation_schema

        return validation_schema()

    def loads(self, data: str | bytes, **options: Any) -> Any:
        from .api import loads

        return loads(data, **options)

    def from_dict(self, data: dict[str, Any], **options: Any) -> Any:
        from .api import from_dict

        return from_dict(data, **options)


Format = _ArticleFormat
_ARTICLE = _ArticleFormat()


def article() -> Format:
    return _ARTICLE


def from_schema(schema: str | dict[str, Any]) -> Format:
    raise RoundtripError("--schema needs the format core of issue 9")


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
    try:
        return from_schema(schema)
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
            fmt = _BUILT[self.text] = from_schema(json.loads(self.text))
        return fmt


_BUILT: dict[str, Format] = {}  # formats by their schema's text, as sources name them


def use_source(source: FormatSource) -> None:
    """Make the format `source` describes current (a worker process's initializer)."""
    use_format(source.format())


def format_for(source: FormatSource | None) -> Format:
    """The format of a worker's options: the one they carry, else the current one."""
    return current_format() if source is None else source.format()


def current_schema() -> dict[str, Any]:
    """The current format's schema as written (shared: do not mutate)."""
    return current_format().root_schema


def link_rule(fmt: Format) -> LinkRule | None:
    """The rule `verify --links` checks for `fmt`, from its `x-roundtrip-links` (None: none)."""
    return _link_rule(fmt.fingerprint, fmt)


@functools.lru_cache(maxsize=8)
def _link_rule(_fingerprint: str, fmt: Format) -> LinkRule | None:
    from .links import LinkRule

    return LinkRule.from_schema(fmt.schema())


def format_of(record: object) -> Format:
    """The format a record belongs to."""
    return current_format()
