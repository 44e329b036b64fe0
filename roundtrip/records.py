"""Reading and writing records of any format: text to a validated record and back.

Each function takes the record's `Format` (record_format.py); the public surface is the
format's methods and, for the built-in article, the module functions in api.py.
"""

from __future__ import annotations

import itertools
import os
import re
import sys
import warnings
from collections.abc import Collection, Iterator
from typing import TYPE_CHECKING, Any

from .convert import same
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
from .parse import MAX_INT_BITS, DroppingRoot, locate, parse_data, parse_known, parse_tree
from .tree import Mapping, node_at, place
from .unread import UNREAD

if TYPE_CHECKING:
    from .plan import Needs
    from .record_format import Format
    from .validator import Violation

_SURROGATE = re.compile("[\ud800-\udfff]")
_UNWRITABLE = re.compile("[\x00\ud800-\udfff]")


def loads(
    fmt: Format,
    data: str | bytes,
    *,
    path: str | os.PathLike[str] | None = None,
    strict: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Any:
    """Parse and validate a record's text (str, or UTF-8 bytes) into a record of `fmt`."""
    name = None if path is None else os.fspath(path)
    try:
        return _parse(fmt, _decode(data, max_bytes), name, strict)
    except RoundtripError as error:
        raise error.with_path(name) if name is not None else error from None


def load(
    fmt: Format,
    path: str | os.PathLike[str],
    *,
    strict: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Any:
    """Read, parse and validate the record file at `path`."""
    name = os.fspath(path)
    try:
        # Nothing here holds the file's bytes: they go once decoded, as the text goes once
        # split (see _parse), so a large record is not held twice.
        return _parse(fmt, _decode(read_regular(name, max_bytes), max_bytes), name, strict)
    except RoundtripError as error:
        raise error.with_path(name) from None


# What the writers raise on a value no record can hold (the schema check found nothing).
_WRITER_ERRORS = (TypeError, ValueError, AttributeError, RecursionError)


def emit_parts(fmt: Format, record: Any) -> tuple[str, ...]:
    """The text of a record in pieces (so a large record can be compared piece by piece): its
    source with only the edits spliced in, or house style."""
    changes = fmt.changes(record)  # proven without building the data
    if changes == {}:  # the common case: nothing edited
        _check_body(record.body)
        read: Envelope = record.source.envelope
        return read.parts(read.yaml, record.body)
    source: SourceDocument | None = record.source
    # Unknown keys a lenient read left in the text (unread.py) are left there: proven
    # unchanged (changes says so), the edit is made without them (splice_known.py).
    unread = changes is not None and source is not None and source.unread > 0
    old = None if source is None else source.data if unread else source.all_data()
    # Else the source's data with the changed values: what to_dict gives, but not its copy.
    data = to_dict(fmt, record) if changes is None or old is None else {**old, **changes}
    body = record.body
    _check_body(body)
    if source is None or old is None:
        _check(fmt, data, strict=False)
        _check_text(data, ())
        return house_style_parts(fmt, data, body)
    if changes is None:
        changed = [key for key in data if key not in old or not same(old[key], data[key])]
    else:  # a value reported may be the same still (see make_changes)
        changed = [key for key in changes if not same(old[key], data[key])]
    if not changed and old.keys() == data.keys():
        return source.envelope.parts(source.envelope.yaml, body)
    # Values the edit left as they were were valid and writable when read: only the changed
    # ones are checked again (the schema's verdict is the whole data's, see validate_changed).
    kept = () if source.checked_by is not fmt.validator else old.keys() - set(changed)
    _check(fmt, data, strict=False, unchanged=kept, old=old if kept else None)
    # The writers load only when a record has changed: verifying never needs them.
    from .plan import needs
    from .splice import splice_checked

    # The paths to what changed, found once: the text checks and the planner both follow them.
    wanted = {key: needs(old[key], data[key]) for key in changed if key in old}
    for key in changed:
        if key in old:
            _check_changed_text(old[key], data[key], wanted[key], (key,))
        else:
            _check_text(data[key], (key,))
    schema = fmt.root_schema

    envelope = source.envelope
    frame = envelope.parts("", body)  # the record's text around its YAML
    around = ("".join(frame[:2]), "".join(frame[3:]))
    try:
        text = None
        if unread:
            from .splice_known import splice_known

            text = splice_known(
                envelope.yaml, source.unread, old, data, schema, envelope.newline,
                lambda written: _check_written(written, data), fmt.layout, changed, around,
                wanted,
            )  # fmt: skip
            if text is None:  # the known entries cannot be edited alone: every key is read
                old = source.all_data()
                data = {**old, **data}
        if text is None:
            text = splice_checked(
                envelope.yaml, lambda: source.root, old, data, schema, envelope.newline,
                lambda written: _check_written(written, data), fmt.layout, changed,
                around, wanted,
            )  # fmt: skip
    except _WRITER_ERRORS as error:
        raise EmitError(f"cannot write the record: {error}") from None
    return (text,)  # one piece: joining it again would copy a large record once more


def house_style_parts(fmt: Format, data: dict[str, Any], body: str) -> tuple[str, ...]:
    """The text of a record's data (valid, with its body) written afresh in the format's house
    style: the keys `data` has, no more and no fewer (`fmt` keeps a default written out)."""
    from .layout import render_front_matter

    try:
        yaml = render_front_matter(data, fmt.root_schema, fmt.layout)
        _check_written(yaml, data)
    except _WRITER_ERRORS as error:
        raise EmitError(f"cannot write the record: {error}") from None
    return canonical_envelope(yaml, body)


def _check_body(body: object) -> None:
    if not isinstance(body, str):
        raise EmitError(f"the body must be a string, not {type(body).__name__}", field="body")
    if body.isascii() and "\x00" not in body:
        return  # (two scans in C: the search below is many times slower on most bodies)
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


def _check_changed_text(old: Any, new: Any, need: Needs, path: tuple[str | int, ...]) -> None:
    """`_check_text` of only what changed from `old` (read from a text, so writable) to `new`:
    along `need` (plan.needs), the values it reaches, and new keys and items, whole."""
    if type(old) is dict and type(new) is dict:
        for key, value in new.items():
            if key not in old:
                _check_text(value, (*path, key))
            elif key in need:
                _check_changed_text(old[key], value, need[key], (*path, key))
    elif type(old) is list and type(new) is list and len(old) == len(new):
        for index, inner in need.items():  # same length: needs pairs items by position
            _check_changed_text(old[index], new[index], inner, (*path, index))
    else:
        _check_text(new, path)


def dump(fmt: Format, record: Any, path: str | os.PathLike[str], *, force: bool = False) -> None:
    """Write a record to `path` atomically, keeping the file's mode, owner and attributes.

    A record loaded from `path` is written only if the file still holds the text it was read
    from (else ConflictError), unless `force`. Afterwards the record counts as loaded from
    `path`, holding what was written.
    """
    name = os.fspath(path)
    try:
        text = "".join(emit_parts(fmt, record))
        payload = text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise EmitError(f"text is not encodable as UTF-8: {error.reason}", path=name) from None
    except RoundtripError as error:
        raise error.with_path(name) from None
    write_file(name, payload, expected=None if force else _read_from(record, name))
    del payload  # (a large record's bytes are not held while its new text is read)
    record._source = _written_source(fmt, record.source, name, text)


def _written_source(
    fmt: Format, source: SourceDocument | None, path: str, text: str
) -> SourceDocument:
    """The record's new source: the text just written to `path` (parsed again only if it is
    not the text the record was read from; unknown keys left unread if they were)."""
    if source is not None and _joined(source.parts, text):
        return SourceDocument(path, source.envelope, source.data, checked_by=source.checked_by,
                              unread=source.unread)  # fmt: skip
    envelope = split_envelope(text)
    if source is None or not source.unread:
        return SourceDocument(path, envelope, parse_data(envelope.yaml))
    data, dropped = _parse_known(fmt, envelope)
    return SourceDocument(path, envelope, data, unread=dropped.count)


def _joined(parts: tuple[str, ...], text: str) -> bool:
    """Whether `text` is `parts` joined (compared where they stand in it, not joined)."""
    at = 0
    for part in parts:
        if not text.startswith(part, at):
            return False
        at += len(part)
    return at == len(text)


def _read_from(record: Any, path: str) -> tuple[str, ...] | None:
    """The text the record was read from, in pieces, if it was read from the file at `path`."""
    source: SourceDocument | None = record.source
    if source is None or source.origin is None or not same_file(source.origin, path):
        return None
    return source.parts


def to_dict(fmt: Format, record: Any) -> dict[str, Any]:
    """The front matter as plain JSON data: YAML key names, schema order, date-times as text."""
    if not isinstance(record, fmt.root):
        raise EmitError(f"a {type(record).__name__} is not a {fmt.name} record")
    try:
        data: dict[str, Any] = fmt.converter.unstructure(record)
    except (ValueError, TypeError, AttributeError) as error:
        raise EmitError(f"cannot convert the record to data: {error}") from None
    return data


def from_dict(fmt: Format, data: dict[str, Any], *, body: str = "", strict: bool = True) -> Any:
    """A new record (with no source text) from plain JSON data, validated against the schema.

    Dates and datetimes may be strings or objects (as `yaml.safe_load` returns them).
    """
    from .validation import plain_datetimes

    data = plain_datetimes(data)
    _check(fmt, data, strict=strict)
    record: Any = fmt.converter.structure(data, fmt.root)
    record.body = body
    return record


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


def _parse(fmt: Format, text: str, path: str | None, strict: bool) -> Any:
    envelope = split_envelope(text)
    del text  # the envelope holds its pieces; a large record should not be held twice
    raw, dropped = _read_data(fmt, envelope)
    valid = _check(fmt, raw, strict=strict, envelope=envelope, dropped=dropped)
    record: Any = fmt.converter.structure(raw, fmt.root)
    record.body = envelope.body
    checked_by = fmt.validator if valid else None
    unread = 0 if dropped is None else dropped.count
    if unread:  # (lenient: a strict read refused them) read from the text on first use
        record.extra = UNREAD
    record._source = SourceDocument(path, envelope, raw, checked_by=checked_by,
                                    unread=unread)  # no evolve  # fmt: skip
    return record


# The YAML text's length (characters) from which a read drops unknown top-level keys: below
# it, what they cost is small beside the interpreter's own start-up.
DROP_UNKNOWN_FROM = 1 << 16


def _read_data(fmt: Format, envelope: Envelope) -> tuple[dict[str, Any], DroppingRoot | None]:
    """The record's data. A read of a large text, in a format whose root takes no key but its
    `properties`, keeps none other: a strict read refuses them anyway, a lenient one leaves
    them in the text for `extra` to read when asked (unread.py); a million need not be held
    (they are counted, the first named; see parse_known). A small text takes the plain read:
    the same verdict and record, without dropping's cost on every key."""
    if (
        len(envelope.yaml) < DROP_UNKNOWN_FROM
        or fmt.root_schema.get("additionalProperties") is not False
    ):
        return parse_data(envelope.yaml, first_line=envelope.yaml_line), None
    return _parse_known(fmt, envelope)


def _parse_known(fmt: Format, envelope: Envelope) -> tuple[dict[str, Any], DroppingRoot]:
    """The record's data without its unknown top-level keys, and what was dropped."""
    from .validator import UNKNOWN_KEYS_NAMED

    known = frozenset(fmt.root_schema.get("properties", {}))
    return parse_known(envelope.yaml, known, UNKNOWN_KEYS_NAMED, first_line=envelope.yaml_line)


def _check(
    fmt: Format, data: Any, *, strict: bool, envelope: Envelope | None = None,
    unchanged: Collection[str] = (), dropped: DroppingRoot | None = None,
    old: dict[str, Any] | None = None,
) -> bool:  # fmt: skip
    """Raise SchemaError for every violation; in lenient mode unknown keys only warn. Whether
    the data is valid (no warning either).

    Problems are placed in the text the data came from, when there is one. The values at the
    top-level keys `unchanged` passed this format's check before, and so did the data `old`
    whole, if given (see validate_changed). The keys `dropped` at the read are unknown ones the
    data no longer holds.
    """
    violations = fmt.validator.validate_changed(data, unchanged, old) if unchanged else (
        fmt.violations(data))  # fmt: skip
    if dropped is not None and dropped.count:
        violations = [*violations, *_dropped_violations(dropped)]
    if not violations:
        return True
    errors: list[Problem] = []
    for violation, problem in zip(violations, _placed(violations, envelope), strict=True):
        if violation.unknown_key and not strict:
            warnings.warn(RoundtripWarning(problem), stacklevel=_caller_level())
        else:
            errors.append(problem)
    if errors:
        errors.sort(key=lambda problem: (problem.line or 0, problem.column or 0))
        raise schema_error(errors)
    return False


def _dropped_violations(dropped: DroppingRoot) -> Iterator[Violation]:
    """The violations of the top-level unknown keys a read dropped: named as the schema check
    names them (the rest counted, not named)."""
    from .validator import Violation, unknown_keys

    unnamed = itertools.repeat("", dropped.count - len(dropped.names))
    for key, message in unknown_keys(itertools.chain(dropped.names, unnamed)):
        yield Violation((key,), message, True)


def _caller_level() -> int:
    """The stack level of the first caller outside this package, for warnings."""
    package = os.path.dirname(__file__)
    frame, level = sys._getframe(2), 2
    while frame.f_back is not None and frame.f_code.co_filename.startswith(package):
        frame, level = frame.f_back, level + 1
    return level


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
