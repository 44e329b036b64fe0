"""The public functions for the built-in article format; `dumps`/`dump` take any record.

Each is a method of `rt.ARTICLE` (record_format.Format); a record of another format is
loaded through its own format (`rt.Format.from_schema(...)`), and written by either.
"""

from __future__ import annotations

import os
from typing import Any

from .files import DEFAULT_MAX_BYTES
from .model import Article
from .record_format import article, format_of


def loads(
    data: str | bytes,
    *,
    path: str | os.PathLike[str] | None = None,
    strict: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Article:
    """Parse and validate a record's text (str, or UTF-8 bytes) into an Article."""
    record: Article = article().loads(data, path=path, strict=strict, max_bytes=max_bytes)
    return record


def load(
    path: str | os.PathLike[str], *, strict: bool = True, max_bytes: int = DEFAULT_MAX_BYTES
) -> Article:
    """Read, parse and validate the record file at `path`."""
    record: Article = article().load(path, strict=strict, max_bytes=max_bytes)
    return record


def dumps(record: Any) -> str:
    """The text of a record: its source with only the edits spliced in, or house style."""
    return format_of(record).dumps(record)


def emit_parts(record: Any) -> tuple[str, ...]:
    """The text `dumps` returns, in pieces (so a large record can be compared piece by piece)."""
    from . import records

    return records.emit_parts(format_of(record), record)


def dump(record: Any, path: str | os.PathLike[str], *, force: bool = False) -> None:
    """Write a record to `path` atomically, keeping the file's mode, owner and attributes.

    A record loaded from `path` is written only if the file still holds the text it was read
    from (else ConflictError), unless `force`. Afterwards the record counts as loaded from
    `path`, holding what was written.
    """
    format_of(record).dump(record, path, force=force)


def to_dict(record: Any) -> dict[str, Any]:
    """The front matter as plain JSON data: YAML key names, schema order, date-times as text."""
    return format_of(record).to_dict(record)


def from_dict(data: dict[str, Any], *, body: str = "", strict: bool = True) -> Article:
    """A new article (with no source text) from plain JSON data, validated against the schema.

    Datetimes may be strings or aware `datetime` objects (as `yaml.safe_load` returns them).
    """
    record: Article = article().from_dict(data, body=body, strict=strict)
    return record


def schema() -> dict[str, Any]:
    """The article JSON Schema (a copy: changing it changes nothing here)."""
    return article().schema()
