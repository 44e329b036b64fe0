"""JSON Lines in and out: export records one a line, apply changed lines back as minimal edits.

A line is `{"path": ..., "record": {...}, "body": ...}`; `body` may be left out (export
`--no-body`), and then apply keeps the file's body.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from .errors import Problem, RoundtripError, RoundtripWarning
from .sources import is_url
from .walk import Found

if TYPE_CHECKING:
    from .active_format import FormatSource


@attrs.frozen
class Exported:
    """One record's export line, or the problems that kept it out."""

    path: str
    line: str | None = None
    problems: tuple[Problem, ...] = ()


@attrs.frozen
class ExportOptions:
    """What an export line holds and how records load; picklable, for the cluster's workers
    (`format`: the records' format for a worker elsewhere; None: the current one)."""

    body: bool = True
    strict: bool = True
    max_bytes: int = 32 << 20
    format: FormatSource | None = None

    def traveling(self) -> ExportOptions:
        """These options with the current format written in, for a worker elsewhere."""
        if self.format is not None:
            return self
        from .active_format import FormatSource, current_format

        return attrs.evolve(self, format=FormatSource.of(current_format()))


def export_line(
    path: str,
    data: bytes,
    *,
    body: bool,
    strict: bool,
    max_bytes: int,
    source: FormatSource | None = None,
) -> str:
    """The JSON line for a record's bytes (RoundtripError when the record does not load)."""
    from .active_format import format_for
    from .api import to_dict

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RoundtripWarning)
        record = format_for(source).loads(data, path=path, strict=strict, max_bytes=max_bytes)
    entry: dict[str, Any] = {"path": path, "record": to_dict(record)}
    if body:
        entry["body"] = record.body
    return json.dumps(entry, ensure_ascii=False)


def export_bytes(path: str, data: bytes | RoundtripError, options: ExportOptions) -> Exported:
    """One record's export, from its bytes or the error reading them: the one place a local
    export and a cluster's workers turn a record into a line."""
    if isinstance(data, RoundtripError):
        return Exported(path, problems=tuple(data.problems))
    try:
        line = export_line(path, data, body=options.body, strict=options.strict,
                           max_bytes=options.max_bytes, source=options.format)  # fmt: skip
    except RoundtripError as error:
        return Exported(path, problems=tuple(error.problems))
    return Exported(path, line)


def export(paths: Iterable[str], options: ExportOptions = ExportOptions()) -> Iterator[Exported]:
    """Each file's export line, in the order given, streaming; failures reported, not raised."""
    from .select import read_input

    for path in paths:
        try:
            data: bytes | RoundtripError = read_input(path, options.max_bytes)
        except RoundtripError as error:
            data = error
        yield export_bytes(path, data, options)


def export_listed(
    files: Sequence[Found], options: ExportOptions, base: str | None = None
) -> Iterator[Exported]:
    """export, for files a listing found (URLs read several at a time; see read_listed)."""
    from .sources import read_listed

    for found, data in zip(files, read_listed(files, options.max_bytes, base), strict=True):
        yield export_bytes(found.path, data, options)


def apply_change(
    path: str, record: dict[str, Any], body: str | None, *, strict: bool, max_bytes: int
) -> Callable[[bytes], bytes]:
    """The edit one export line asks for, as a function of the file's bytes: its record with
    the line's data spliced in (validated; the body kept when the line has none)."""
    from .active_format import current_format
    from .api import dumps
    from .edit import place_problems

    fmt = current_format()

    def change(before: bytes) -> bytes:
        try:
            old = fmt.loads(before, path=path, strict=strict, max_bytes=max_bytes)
            try:
                text = old.body if body is None else body
                updated = fmt.from_dict(record, body=text, strict=strict)
            except RoundtripError as error:
                raise place_problems(error, old) from None
            return dumps(attrs.evolve(updated, source=old.source)).encode("utf-8")
        except RoundtripError as error:
            raise error.with_path(path) from None

    return change


def parse_line(text: str) -> tuple[str, dict[str, Any], str | None]:
    """An export line's path, record and body (None when the line has none)."""
    try:
        entry = json.loads(text)
    except json.JSONDecodeError as error:
        raise RoundtripError(f"not JSON: {error.msg} (column {error.colno})") from None
    if not isinstance(entry, dict):
        raise RoundtripError('expected an object {"path": ..., "record": {...}, "body": ...}')
    path, record, body = entry.get("path"), entry.get("record"), entry.get("body")
    if not isinstance(path, str) or not path:
        raise RoundtripError("a string is required", field="path")
    if is_url(path):
        raise RoundtripError("writing commands take local paths only", path=path, field="path")
    if not isinstance(record, dict):
        raise RoundtripError("an object is required", field="record")
    if body is not None and not isinstance(body, str):
        raise RoundtripError("must be a string", field="body")
    return path, record, body
