"""Edits from the command line: rewrite a file in house style, or set one field in place."""

from __future__ import annotations

import json
import re
import warnings
from typing import Any

import attrs

from .active_format import current_format, format_of
from .api import dumps, to_dict
from .convert import same
from .errors import EmitError, RoundtripError, RoundtripWarning, SchemaError
from .files import edit_file, read_regular
from .query import parse_field_path, schema_at
from .tree import node_at
from .unread import UNREAD, left_unread

_INTEGER = re.compile(r"[-+]?[0-9]+")
_NUMBER = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_BOOLEANS = {"true": True, "false": False}
_JSON_TYPES = {str: "string", bool: "boolean", int: "integer", float: "number",
               type(None): "null", list: "array", dict: "object"}  # fmt: skip


def canonical_text(record: Any, *, strict: bool = True) -> str:
    """The record written afresh in house style (LF, no BOM, canonical layout and quoting),
    with the keys its text has (an optional field written with its default stays written)."""
    from .records import house_style_parts

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RoundtripWarning)
        fmt = format_of(record)
        data = to_dict(record)
        fmt.from_dict(data, body=record.body, strict=strict)  # refuses what dumps would refuse
        return "".join(house_style_parts(fmt, data, record.body))


def format_file(path: str, *, check: bool, strict: bool = True, max_bytes: int = 32 << 20) -> bool:
    """Rewrite `path` in house style unless `check`; True when it was not canonical.

    The data and body are compared before anything is written: formatting never changes data.
    The file is read, formatted and written under its lock (see files.edit_file).
    """
    if check:
        return _formatted(read_regular(path, max_bytes), path, strict, max_bytes) is not None
    warm_up()
    return edit_file(
        path, lambda data: _formatted(data, path, strict, max_bytes), max_bytes=max_bytes
    )


def _formatted(data: bytes, path: str, strict: bool, max_bytes: int) -> bytes | None:
    """The record `data` in house style, or None when it already is."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RoundtripWarning)
        fmt = current_format()
        article = fmt.loads(data, path=path, strict=strict, max_bytes=max_bytes)
        canonical = canonical_text(article, strict=strict)
        payload = canonical.encode("utf-8")
        if payload == data:
            return None
        again = fmt.loads(payload, path=path, strict=strict, max_bytes=max_bytes)
    # The data the texts hold as YAML reads them, not the model's view: a change the model
    # cannot see (a digit it cannot hold) is a change all the same.
    assert again.source is not None and article.source is not None
    if not same(again.source.all_data(), article.source.all_data()) or again.body != article.body:
        raise EmitError("formatting would change the record's data; file left as it was", path=path)
    return payload


def format_bytes(
    data: bytes, path: str, *, strict: bool = True, max_bytes: int = 32 << 20
) -> bytes:
    """A record's bytes in house style (the same bytes when already canonical)."""
    payload = _formatted(data, path, strict, max_bytes)
    return data if payload is None else payload


def warm_up() -> None:
    """Load and build the engine before taking a file's lock, so that a writer holds the lock
    for its read, edit and write only (10 ms rather than 60 for a seed) and others wait less."""
    from . import layout, splice  # noqa: F401  (dumps imports these on first use)

    fmt = current_format()
    fmt.converter  # noqa: B018 - built here, once
    fmt.validator  # noqa: B018


def parse_value(text: str, schema: dict[str, Any], field: str) -> Any:
    """A command-line VALUE read as the schema's type for the field: `null`, a boolean, a
    number, JSON for an array or object, else the text, as the field's types allow."""
    kinds = _kinds(schema)
    word = text.strip()
    if "null" in kinds and word == "null":
        return None
    if "boolean" in kinds and word.lower() in _BOOLEANS:
        return _BOOLEANS[word.lower()]
    if kinds & {"integer", "number"} and _INTEGER.fullmatch(word):
        return int(word)
    if "number" in kinds and _NUMBER.fullmatch(word):
        return float(word)
    structured = kinds & {"array", "object"}
    if structured and ("string" not in kinds or word[:1] in ("[", "{")):
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            kind = " or ".join(sorted(structured))
            raise SchemaError(f"expected JSON for this {kind}: {error.msg}", field=field) from None
    if "string" in kinds or not kinds:
        return text
    raise SchemaError(f"expected {_expected(kinds)}, got {text!r}", field=field)


def _kinds(schema: dict[str, Any]) -> set[str]:
    """The JSON types a field's schema allows (from `type`, else its `enum` / `const`)."""
    kind = schema.get("type")
    if isinstance(kind, str):
        return {kind}
    if isinstance(kind, list):
        return set(kind)
    values = schema.get("enum", [schema["const"]] if "const" in schema else [])
    return {_JSON_TYPES.get(type(value), "string") for value in values}


def _expected(kinds: set[str]) -> str:
    words = {"integer": "an integer", "number": "a number", "boolean": "true or false",
             "null": "null"}  # fmt: skip
    return " or ".join(words.get(kind, kind) for kind in sorted(kinds))


def set_field(
    path: str, field: str, value: str | None, *, strict: bool = True, max_bytes: int = 32 << 20
) -> bool:
    """Set (or, with value None, remove) one field of the record at `path`, in place.

    Returns whether the file changed. The new record is validated before anything is written;
    the file is read, edited and written under its lock, so concurrent sets all land.
    """
    warm_up()

    def change(data: bytes) -> bytes | None:
        payload = set_bytes(data, path, field, value, strict=strict, max_bytes=max_bytes)
        return None if payload == data else payload

    return edit_file(path, change, max_bytes=max_bytes)


def set_bytes(
    data: bytes,
    path: str,
    field: str,
    value: str | None,
    *,
    strict: bool = True,
    max_bytes: int = 32 << 20,
) -> bytes:
    """The record `data` (from `path`) with FIELD set to VALUE, or removed for None; validated."""
    parts = parse_field_path(field)
    article = current_format().loads(data, path=path, strict=strict, max_bytes=max_bytes)
    try:
        return _set(path, article, parts, value, strict=strict)
    except RoundtripError as error:
        raise _placed(error, article, parts).with_path(path) from None


def list_edit_bytes(
    data: bytes,
    path: str,
    field: str,
    action: str,
    value: str | None,
    *,
    strict: bool = True,
    max_bytes: int = 32 << 20,
) -> bytes:
    """The record `data` after appending or inserting (`value`) or deleting a list item."""
    from .patching import item_schema, list_operation, patch

    article = current_format().loads(data, path=path, strict=strict, max_bytes=max_bytes)
    try:
        item = None
        if action != "delete":
            schema, where = item_schema(field, action)
            if schema is None:
                raise SchemaError("no such list in the schema", field=field)
            item = parse_value(value or "", schema, where)
        updated = patch(article, [list_operation(field, action, item)], strict=strict)
        return dumps(updated).encode("utf-8")
    except RoundtripError as error:
        raise _placed(error, article, parse_field_path(field)).with_path(path) from None


def _placed(error: RoundtripError, article: Any, parts: list[str | int]) -> RoundtripError:
    """Give problems without a place the place of the field being set (or its nearest parent)."""
    source = article.source
    if source is None or not isinstance(error, SchemaError):  # a failed write has no place
        return error
    node, key = node_at(source.root, tuple(parts))
    line, column = source.envelope.position((key or node).start)
    error.problems = [
        problem if problem.line is not None else attrs.evolve(problem, line=line, column=column)
        for problem in error.problems
    ]
    error.line, error.column = error.problems[0].line, error.problems[0].column
    return error


def place_problems(error: RoundtripError, article: Any) -> RoundtripError:
    """Place each unplaced problem of a failed edit at its own field in the record's text (or
    the nearest part of it that exists), so that `path:line:col` points where to look."""
    source = article.source
    if source is None or not isinstance(error, SchemaError):
        return error
    placed = []
    for problem in error.problems:
        if problem.line is None and problem.field:
            parts = tuple(int(p) if p.isdigit() else p for p in problem.field.split("."))
            node, key = node_at(source.root, parts)
            line, column = source.envelope.position((key or node).start)
            problem = attrs.evolve(problem, line=line, column=column)
        placed.append(problem)
    error.problems = placed
    error.line, error.column = placed[0].line, placed[0].column
    return error


def _set(
    path: str,
    article: Any,
    parts: list[str | int],
    value: str | None,
    *,
    strict: bool,
) -> bytes:
    """The record's new bytes with the field set (or removed)."""
    fmt = format_of(article)
    with left_unread(article, {str(parts[0])}) as unread:
        record: Any = to_dict(article)
    container = record
    for depth, part in enumerate(parts):
        schema = schema_at(fmt.root_schema, parts[: depth + 1])
        where = ".".join(str(p) for p in parts[: depth + 1])
        last = depth == len(parts) - 1
        if isinstance(container, list) and isinstance(part, int):
            if not 0 <= part < len(container):
                raise SchemaError(f"index {part} is out of range (0-{len(container) - 1})",
                                  field=where, path=path)  # fmt: skip
        elif not isinstance(container, dict) or isinstance(part, int):
            raise SchemaError("no such field", field=where, path=path)
        if schema is None:
            raise SchemaError("no such field in the schema", field=where, path=path)
        if last:
            if value is None:
                if isinstance(container, list):
                    del container[part]  # type: ignore[arg-type]
                else:
                    container.pop(part, None)
            else:
                container[part] = parse_value(value, schema, where)
        elif isinstance(container, dict) and part not in container:
            raise SchemaError(
                "field is absent; set the whole field instead", field=where, path=path
            )
        else:
            container = container[part]
    try:
        updated = attrs.evolve(
            fmt.from_dict(record, body=article.body, strict=strict), source=article.source
        )
        if unread:
            updated.extra = UNREAD
        return dumps(updated).encode("utf-8")
    except RoundtripError as error:
        raise error.with_path(path) from None
