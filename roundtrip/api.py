"""The public functions: load and dump records, convert them to and from plain data."""

from __future__ import annotations

import copy
import os
import re
import warnings
from collections.abc import Iterator
from typing import Any

import attrs

from .article_schema import Violation, load_schema, validate
from .convert import same, structure, unstructure
from .document import SourceDocument
from .envelope import Envelope, canonical_envelope, split_envelope
from .errors import (
    EmitError,
    EnvelopeError,
    Problem,
    RoundtripError,
    RoundtripWarning,
    schema_error,
)
from .files import DEFAULT_MAX_BYTES, read_regular, same_file, too_large, write_file
from .model import Article
from .parse import MAX_INT_BITS, locate, parse_data, parse_tree
from .tree import Mapping, node_at, place

_SURROGATE = re.compile("[\ud800-\udfff]")
_UNWRITABLE = re.compile("[\x00\ud800-\udfff]")


def loads(
    data: str | bytes,
    *,
    path: str | os.PathLike[str] | None = None,
    strict: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Article:
    """Parse and validate a record's text (str, or UTF-8 bytes) into an Article."""
    name = None if path is None else os.fspath(path)
    try:
        return _parse(_decode(data, max_bytes), name, strict)
    except RoundtripError as error:
        raise error.with_path(name) if name is not None else error from None


def load(
    path: str | os.PathLike[str], *, strict: bool = True, max_bytes: int = DEFAULT_MAX_BYTES
) -> Article:
    """Read, parse and validate the record file at `path`."""
    name = os.fspath(path)
    return loads(read_regular(name, max_bytes), path=name, strict=strict, max_bytes=max_bytes)


def dumps(article: Article) -> str:
    """The text of a record: its source with only the edits spliced in, or house style."""
    return "".join(emit_parts(article))


def emit_parts(article: Article) -> tuple[str, ...]:
    """The text `dumps` returns, in pieces (so a large record can be compared piece by piece)."""
    data = to_dict(article)
    body = article.body
    _check_body(body)
    source = article.source
    if source is not None and same(source.data, data):
        return source.envelope.parts(source.envelope.yaml, body)
    _check(data, strict=False)
    _check_text(data, ())
    schema = load_schema()
    # The writers load only when a record has changed: verifying never needs them.
    from .layout import render_front_matter
    from .splice import splice_checked

    try:
        if source is None:
            yaml = render_front_matter(data, schema)
            _check_written(yaml, data)
            return canonical_envelope(yaml, body)
        envelope = source.envelope
        yaml = splice_checked(
            envelope.yaml, lambda: source.root, source.data, data, schema, envelope.newline,
            lambda written: _check_written(written, data),
        )  # fmt: skip
    except (TypeError, ValueError, AttributeError, RecursionError) as error:
        raise EmitError(f"cannot write the record: {error}") from None
    return envelope.parts(yaml, body)


def _check_body(body: object) -> None:
    if not isinstance(body, str):
        raise EmitError(f"the body must be a string, not {type(body).__name__}", field="body")
    bad = _UNWRITABLE.search(body)
    if bad is not None:
        raise EmitError(f"the body holds {bad[0]!r}, which a record cannot", field="body")


def _check_text(data: Any, path: tuple[str | int, ...]) -> None:
    """Refuse what no record file can hold (lone surrogates, integers past Python's limit)."""
    if isinstance(data, str):
        bad = _SURROGATE.search(data)
        if bad is not None:
            field = ".".join(str(part) for part in path)
            raise EmitError(f"{bad[0]!r} is half of a surrogate pair, not text", field=field)
    elif isinstance(data, int) and data.bit_length() > MAX_INT_BITS:
        field = ".".join(str(part) for part in path)
        raise EmitError("an integer too large to write (over 4,000 digits)", field=field)
    elif isinstance(data, dict):
        for key, value in data.items():
            _check_text(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            _check_text(value, (*path, index))


def dump(article: Article, path: str | os.PathLike[str], *, force: bool = False) -> None:
    """Write a record to `path` atomically, keeping the file's mode, owner and attributes.

    A record loaded from `path` is written only if the file still holds the text it was read
    from (else ConflictError), unless `force`. Afterwards the record counts as loaded from
    `path`, holding what was written.
    """
    name = os.fspath(path)
    try:
        text = dumps(article)
        payload = text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise EmitError(f"text is not encodable as UTF-8: {error.reason}", path=name) from None
    except RoundtripError as error:
        raise error.with_path(name) from None
    write_file(name, payload, expected=None if force else _read_from(article, name))
    article._source = _written_source(article.source, name, text)


def _written_source(source: SourceDocument | None, path: str, text: str) -> SourceDocument:
    """The record's new source: the text just written to `path` (parsed again only if it is
    not the text the record was read from)."""
    if source is not None and text == source.text:
        return SourceDocument(path, source.envelope, source.data)
    envelope = split_envelope(text)
    return SourceDocument(path, envelope, parse_data(envelope.yaml))


def _read_from(article: Article, path: str) -> bytes | None:
    """The bytes the record was read from, if it was read from the file at `path`."""
    source = article.source
    if source is None or source.origin is None or not same_file(source.origin, path):
        return None
    return source.text.encode("utf-8")


def to_dict(article: Article) -> dict[str, Any]:
    """The front matter as plain JSON data: YAML key names, schema order, date-times as text."""
    try:
        return unstructure(article)
    except (ValueError, TypeError, AttributeError) as error:
        raise EmitError(f"cannot convert the record to data: {error}") from None


def from_dict(data: dict[str, Any], *, body: str = "", strict: bool = True) -> Article:
    """A new record (with no source text) from plain JSON data, validated against the schema.

    Datetimes may be strings or aware `datetime` objects (as `yaml.safe_load` returns them).
    """
    from .validation import plain_datetimes

    data = plain_datetimes(data)
    _check(data, strict=strict)
    article = structure(data, Article)
    article.body = body
    return article


def schema() -> dict[str, Any]:
    """The article JSON Schema (a copy: changing it changes nothing here)."""
    return copy.deepcopy(load_schema())


def _decode(data: str | bytes, max_bytes: int) -> str:
    if isinstance(data, str):
        size = _utf8_size(data, max_bytes)
        if size > max_bytes:
            raise too_large(size, max_bytes)
        bad = _SURROGATE.search(data)  # only a str can hold these; UTF-8 bytes cannot
        if bad is not None:
            line, column = place(data, bad.start())
            raise EnvelopeError(
                f"not text: {bad[0]!r} is half of a surrogate pair", line=line, column=column
            )
        return data
    if len(data) > max_bytes:
        raise too_large(len(data), max_bytes)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise EnvelopeError(
            f"not UTF-8 text: byte 0x{data[error.start]:02x} at offset {error.start}"
            f" ({error.reason})",
            line=line,
            column=column,
        ) from None


def _utf8_size(text: str, max_bytes: int) -> int:
    """The size of `text` in UTF-8, as a file holding it has (exact only near `max_bytes`)."""
    if len(text) > max_bytes or len(text) * 4 <= max_bytes or text.isascii():
        return len(text)  # over, surely under, or one byte a character
    return len(text.encode("utf-8", "surrogatepass"))


def _parse(text: str, path: str | None, strict: bool) -> Article:
    envelope = split_envelope(text)
    del text  # the envelope holds its pieces; a large record should not be held twice
    raw = parse_data(envelope.yaml, first_line=envelope.yaml_line)
    _check(raw, strict=strict, envelope=envelope)
    article = structure(raw, Article)
    article.body = envelope.body
    source = SourceDocument(path, envelope, raw)
    return attrs.evolve(article, source=source)


def _check(data: Any, *, strict: bool, envelope: Envelope | None = None) -> None:
    """Raise SchemaError for every violation; in lenient mode unknown keys only warn.

    Problems are placed in the text the data came from, when there is one.
    """
    violations = validate(data)
    if not violations:
        return
    errors: list[Problem] = []
    for violation, problem in zip(violations, _placed(violations, envelope), strict=True):
        if violation.unknown_key and not strict:
            warnings.warn(RoundtripWarning(problem), stacklevel=4)
        else:
            errors.append(problem)
    if errors:
        errors.sort(key=lambda problem: (problem.line or 0, problem.column or 0))
        raise schema_error(errors)


def _placed(violations: list[Violation], envelope: Envelope | None) -> Iterator[Problem]:
    """A Problem for each violation, placed in the text the data came from, if any.

    One pass over the text's events finds the places asked for; only a path that leads
    below an alias needs the span tree.
    """
    if envelope is None:
        for violation in violations:
            yield Problem(violation.message, field=_field(violation))
        return
    keys = (violation.path for violation in violations if violation.unknown_key)
    nodes = {
        violation.path[:length]
        for violation in violations
        for length in range(len(violation.path) + (0 if violation.unknown_key else 1))
    }
    found = locate(envelope.yaml, nodes, keys)
    if found.through_alias:
        root = parse_tree(envelope.yaml)
        for violation in violations:
            yield _place(violation, root, envelope)
        return
    for violation in violations:
        path = violation.path
        at = found.key_at.get(path, -1) if violation.unknown_key else -1
        length = len(path) - (1 if violation.unknown_key else 0)
        while at < 0 and length >= 0:  # the deepest node on the way that the text has
            at = found.node_at.get(path[:length], -1)
            length -= 1
        line, column = envelope.position(max(at, 0))
        yield Problem(violation.message, line=line, column=column, field=_field(violation))


def _field(violation: Violation) -> str | None:
    return ".".join(str(part) for part in violation.path) or None


def _place(violation: Violation, root: Mapping, envelope: Envelope) -> Problem:
    node, key = node_at(root, violation.path)
    at = key if violation.unknown_key and key is not None else node
    line, column = envelope.position(at.start)
    return Problem(violation.message, line=line, column=column, field=_field(violation))


def _check_written(yaml: str, data: dict[str, Any]) -> None:
    """Re-read written YAML: writing must never change data it was not asked to change."""
    try:
        written = parse_data(yaml)
    except RoundtripError as error:
        raise EmitError(f"internal error: the edited YAML does not parse: {error}") from None
    if not same(written, data):
        raise EmitError("internal error: the edit would change other data; record not written")
