"""The cattrs converter between records and plain data with the schema's key names.

One converter per format, generated from its model specs (model_spec.py): field names map by a
rename override per attribute; optional fields that are None are left out; keys the schema
does not know travel in each class's `extra`.
"""

from __future__ import annotations

import operator
import types
import typing
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Literal, TypeVar

import attrs
import cattrs
from cattrs.fns import identity
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from .model_spec import ABSENT, EXTRA, ClassSpec, FieldSpec, dependency_order
from .unread import UNREAD, raw_extra, raw_extra_getter

T = TypeVar("T")
# Attributes of a root class that are not front matter fields.
_NOT_FIELDS = frozenset({EXTRA, ABSENT, "body", "_source"})


def parse_date_time(text: str) -> datetime:
    """A schema date-time string as an aware datetime (`Z`, offsets, a space separator)."""
    return datetime.fromisoformat(_iso(text))


def _iso(text: str) -> str:
    """A schema date-time as `datetime.fromisoformat` reads it."""
    return text.upper().replace(" ", "T", 1)


class DateTime(datetime):
    """A datetime read from text, carrying that text (`raw`), as tomlkit's DateTime does.

    A datetime cannot hold everything RFC 3339 can (a fraction finer than a microsecond, `t`,
    `-00:00`, a space separator): an unedited value is written back as the text it was read
    from, so no data changes. Arithmetic and `replace` give values without `raw`: new values
    are written in RFC 3339 form.
    """

    __slots__ = ("raw",)
    raw: str

    @classmethod
    def from_text(cls, text: str) -> DateTime:
        """The date-time `text` holds, keeping `text`."""
        kept = cls.fromisoformat(_iso(text))  # a DateTime: the classmethod builds a `cls`
        kept.raw = text
        return kept

    def __reduce__(self) -> Any:  # copies and pickles keep the text
        raw = getattr(self, "raw", None)
        return (DateTime.from_text, (raw,)) if raw is not None else super().__reduce__()

    def __reduce_ex__(self, protocol: Any) -> Any:
        return self.__reduce__()


def format_date_time(value: datetime) -> str:
    """An aware datetime as RFC 3339, UTC written as `Z`: `2023-10-19T09:00:00Z`."""
    offset = value.utcoffset()
    if offset is None:
        raise ValueError(f"{value.isoformat()} has no timezone; records need aware datetimes")
    if offset.microseconds or offset.seconds % 60:
        raise ValueError(f"{value.isoformat()}: RFC 3339 offsets are whole minutes")
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class WholeNumber(int):
    """An integer written as a float (`3000.0`): JSON Schema's integers include it, and the
    model holds an int, but the YAML data is a float, so it is written back as one."""

    __slots__ = ()


def _structure_int(value: Any, cls: type[int]) -> int:
    # Registered for int, this hook also receives bool fields (bool is an int subclass).
    return WholeNumber(value) if cls is int and isinstance(value, float) else cls(value)


def _structure_float(value: Any, _: type) -> Any:
    # An integer in a `number` field stays an integer: 4 and 4.0 are different YAML data.
    kind = type(value)
    if kind is float or kind is int:  # what the parser gives
        return value
    return value if isinstance(value, int | float) and not isinstance(value, bool) else float(value)


def _keep(value: Any, _: Any) -> Any:
    """The structure hook of a value kept as it is (the data has passed the schema)."""
    return value


def owned(value: Any) -> Any:
    """Free-form data for a record of its own: its maps and lists copied, so that an edit in
    place changes the record and not the source data it is compared with (and an alias's
    two places become two values, each edited alone)."""
    if isinstance(value, dict):
        return {key: owned(item) for key, item in value.items()}
    if isinstance(value, list):
        return [owned(item) for item in value]
    return value


def _passes_through(kind: Any) -> bool:
    """Any, unions and Literal types: the data has passed the schema, so it is kept as it is."""
    if kind is Any or typing.get_origin(kind) is Literal:
        return True
    if typing.get_origin(kind) not in (typing.Union, types.UnionType):
        return False
    return len([arg for arg in typing.get_args(kind) if arg is not type(None)]) > 1


def _register(
    converter: cattrs.Converter, cls: type[Any], spec: ClassSpec, table: dict[type, Any]
) -> None:
    keys = spec.keys()
    known = frozenset(keys.values())
    dropped_if_none = frozenset(
        field.key for field in spec.fields if field.omittable and not field.nullable
    )
    overrides: dict[str, Any] = {name: override(rename=key) for name, key in keys.items()}
    overrides.update({
        field.name: override(omit=True) for field in attrs.fields(cls) if field.name in _NOT_FIELDS
    })  # fmt: skip
    structure_known = make_dict_structure_fn(cls, converter, **overrides)
    unstructure_known = make_dict_unstructure_fn(cls, converter, **overrides)
    hiding = [field for field in spec.fields if field.hides_absence]
    hidden = frozenset(field.key for field in hiding)

    def structure(data: dict[str, Any], _: type) -> Any:
        if data.keys() <= known:
            record = structure_known(data, cls)
        else:
            # No set of the unknown keys: a record may hold a million of them.
            record = structure_known({k: v for k, v in data.items() if k in known}, cls)
            record.extra = {k: owned(v) for k, v in data.items() if k not in known}
        if hidden:
            record._absent = hidden.difference(data)
        return record

    def unstructure(record: Any) -> Any:
        if not isinstance(record, cls):
            return record
        # Dropping absent optional fields here, not with omit_if_default, keeps schema order.
        data: dict[str, Any] = {
            key: value
            for key, value in unstructure_known(record).items()
            if value is not None or key not in dropped_if_none
        }
        for key, value in data.items():
            if type(value) is WholeNumber:  # unedited: the float it was read as
                data[key] = float(value)
        if hiding:
            _leave_out_absent(data, hiding, record._absent)
        if record.extra:
            _check_extra(record.extra)
            data.update(record.extra)
        return data

    table[cls] = structure
    # Classes registered later (their parents) call this one directly.
    converter.register_structure_hook(cls, structure)
    converter.register_unstructure_hook(cls, unstructure)


def _leave_out_absent(
    data: dict[str, Any], hiding: list[FieldSpec], absent: frozenset[str] | None
) -> None:
    """Leave out the keys that were absent (any, for a record built in code) and still hold
    what an absent key reads as: writing must not add a key the text had not."""
    for field in hiding:
        if (absent is None or field.key in absent) and field.key in data:
            value = data[field.key]
            if value is None or same(value, field.absent_value()):
                del data[field.key]


def make_converter(specs: dict[str, ClassSpec], classes: dict[str, type]) -> cattrs.Converter:
    """The converter for one format's classes."""
    conv = cattrs.Converter()
    conv.register_structure_hook(datetime, lambda value, _: DateTime.from_text(value))
    conv.register_structure_hook(date, lambda value, _: date.fromisoformat(value))
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(float, _structure_float)
    conv.register_structure_hook_func(_passes_through, lambda value, _: owned(value))
    # The data has passed the schema: strings and booleans are kept as they are, and an
    # optional field's hook is its type's, called only for a value.
    conv.register_structure_hook(str, _keep)
    conv.register_structure_hook(bool, _keep)
    conv.register_structure_hook_factory(_is_optional, lambda kind: _optional_hook(conv, kind))
    conv.register_structure_hook_factory(_is_list, lambda kind: _list_in(conv, kind))
    conv.register_unstructure_hook(datetime, _unstructure_date_time)
    conv.register_unstructure_hook(date, _unstructure_date)
    conv.register_unstructure_hook_factory(_is_list, lambda kind: _list_hook(conv, kind))
    conv.register_unstructure_hook_factory(_is_optional, lambda kind: _optional_out(conv, kind))
    # Each class's hook looks its generated function up when called, so classes may use each
    # other (or themselves) in any order.
    table: dict[type, Any] = {}
    for cls in classes.values():
        conv.register_structure_hook(cls, lambda data, kind: table[kind](data, kind))
    for spec in dependency_order(specs):  # leaves first: unstructure hooks capture children's
        _register(conv, classes[spec.name], spec, table)
    return conv


def make_changes(
    conv: cattrs.Converter,
    specs: dict[str, ClassSpec],
    classes: dict[str, type[Any]],
    root: type[Any],
) -> Callable[[Any], dict[str, Any] | None]:
    """What a record changed since it was read: the values `to_dict` gives the top-level keys
    whose fields differ ({} when the record provably still holds the data it was read from), or
    None when not proven.

    The check of `rt.dumps` and `verify` is `same(source.data, to_dict(record))`; this walks
    the record against its source data instead of building `to_dict`'s copy: a field holding
    the very object the data holds (the common case: nothing edited) is not written out, and
    nested records are walked the same way. It mirrors `unstructure` (renamed keys, None left
    out, WholeNumber, absent keys); anything it does not handle (a key that comes or goes,
    unknown keys in `extra`, an unexpected type) is None: "not proven", and the caller builds
    the data and compares. An `extra` still UNREAD (unread.py) is the unknown keys the source's
    text holds, unchanged. The other keys hold what the source data holds, so the record's data
    is the source's with the changes, without `to_dict`'s copy of the rest. A field reported
    may still be `same` as before."""
    matches = _matchers(conv, specs, classes)[root]

    def changes(record: Any) -> dict[str, Any] | None:
        source = getattr(record, "_source", None)
        if type(record) is not root or source is None or not _keeps_unread(record, source):
            return None
        found: dict[str, Any] = {}
        try:
            return found if matches(record, source.data, found) else None
        except (TypeError, ValueError, AttributeError, RecursionError):
            return None  # to_dict words what is wrong

    return changes


def _matchers(
    conv: cattrs.Converter, specs: dict[str, ClassSpec], classes: dict[str, type[Any]]
) -> dict[type, Callable[..., bool]]:
    """Each record class's matcher (see `_record_matcher`)."""
    table: dict[type, Callable[..., bool]] = {}
    known = frozenset(classes.values())
    for spec in specs.values():
        table[classes[spec.name]] = _record_matcher(conv, classes[spec.name], spec, known, table)
    return table


_PLAIN = frozenset({str, int, float, bool})


_RECORD, _RECORDS, _PLAIN_LIST, _OTHER = range(4)  # how a field's value is compared


def _record_matcher(
    conv: cattrs.Converter,
    cls: type[Any],
    spec: ClassSpec,
    known: frozenset[type],
    table: dict[type, Callable[..., bool]],
) -> Callable[..., bool]:
    """Whether a record of `cls` unstructures to what `data` holds (see make_changes).

    Given a dict `changes`, a field whose value differs does not end the walk: its key and
    what `unstructure` writes it as go into `changes` (see make_changes)."""
    by_attribute = {field.attribute: field for field in spec.fields}
    hiding = any(field.hides_absence for field in spec.fields)
    # (key, unstructure hook, how, its record class, left out when None, hides absence,
    #  its absent value), and the attributes' names
    fields: list[tuple[str, Callable[[Any], Any], int, Any, bool, bool, Any]] = []
    names: list[str] = []
    for attribute in attrs.fields(cls):
        field = by_attribute.get(attribute.name)
        if field is None:
            continue
        kind = attribute.type
        if _is_optional(kind):
            kind = next(arg for arg in typing.get_args(kind) if arg is not type(None))
        item = typing.get_args(kind)[0] if typing.get_origin(kind) is list else None
        if kind in known:
            how, inner = _RECORD, kind
        elif item in known:
            how, inner = _RECORDS, item
        elif item is not None and conv.get_unstructure_hook(item) is identity:
            how, inner = _PLAIN_LIST, None
        else:
            how, inner = _OTHER, None
        fields.append((
            field.key, conv.get_unstructure_hook(attribute.type), how, inner,
            field.omittable and not field.nullable, field.hides_absence, field.absent_value(),
        ))  # fmt: skip
        names.append(field.attribute)
    values = _getter(names)
    item_hooks = {field[3]: conv.get_unstructure_hook(field[3]) for field in fields
                  if field[2] == _RECORDS}  # fmt: skip

    # The record's `extra` as its slot holds it (UNREAD: the unknown keys the text holds, as
    # they were), without reading it: a root class's is lazy (unread.py), the others plain.
    extra_of = raw_extra_getter(cls)

    def matches(record: Any, data: Any, changes: dict[str, Any] | None = None) -> bool:
        if type(record) is not cls or type(data) is not dict:
            return False
        extra = extra_of(record)
        if extra and extra is not UNREAD:
            return False
        absent = record._absent if hiding else None
        found = 0
        for (key, hook, how, inner, dropped, hides, absent_value), value in zip(
            fields, values(record), strict=True
        ):
            given = data.get(key, _MISSING)
            if given is _MISSING:  # then the written data must leave the key out too
                if value is None and dropped:
                    continue
                if (
                    hides
                    and absent is not None
                    and key in absent
                    and (value is None or _writes_as(hook, value, absent_value))
                ):
                    continue  # left out as absent, as _leave_out_absent does
                return False
            found += 1
            if hides and (absent is None or key in absent):
                return False  # a key the record calls absent: not handled here
            if value is given and type(value) in _PLAIN:
                continue  # written out as it is (no hook changes a plain value)
            if value is None:
                if dropped:
                    return False  # the key goes
                held = given is None
            elif how == _RECORD and type(value) is inner:
                held = table[inner](value, given)
            elif how == _RECORDS and type(value) is list and changes is not None:
                if type(given) is not list or len(given) != len(value):
                    changes[key] = hook(value)
                    continue
                start = first_mismatch(inner, value, given)
                if start < len(value):  # (the walk goes on from there, writing what differs)
                    changes[key] = records_written(inner, value, given, start)
                continue
            elif how != _OTHER and type(value) is list:
                held = items_match(how, inner, value, given)
            else:
                held = _writes_as(hook, value, given)
            if not held:
                if changes is None:
                    return False
                out = hook(value)
                changes[key] = float(out) if type(out) is WholeNumber else out
        return found == len(data)

    def items_match(how: int, inner: Any, value: list[Any], given: Any) -> bool:
        if type(given) is not list or len(given) != len(value):
            return False
        if how == _RECORDS:
            return first_mismatch(inner, value, given) == len(value)
        for each, other in zip(value, given, strict=True):  # items written out as they are
            if each is not other and not same(other, each):
                return False
        return True

    def first_mismatch(inner: Any, value: list[Any], given: list[Any]) -> int:
        """The index of the first record of `value` that does not write `given`'s item at
        that index (len(value) when none: the lists are as long)."""
        check = table[inner]
        for index, (each, other) in enumerate(zip(value, given, strict=True)):
            if type(each) is not inner or not check(each, other):
                return index
        return len(value)

    def records_written(inner: Any, value: list[Any], given: list[Any], start: int) -> list[Any]:
        """What `unstructure` writes a list of records as, its items before `start` known to
        be `given`'s: from there, an item that matches is the data's very object, one that
        differs in some fields is the data's with those (as make_changes does for the root),
        and any other what its hook writes; so the comparisons that follow find what stayed
        at once."""
        check, each_hook = table[inner], item_hooks[inner]
        out = given[:start]
        for each, other in zip(value[start:], given[start:], strict=True):
            item = other
            if type(each) is not inner:
                item = each_hook(each)
            else:
                fields: dict[str, Any] = {}
                if not check(each, other, fields):
                    item = each_hook(each)
                elif fields:
                    item = {**other, **fields}
            out.append(item)
        return out

    return matches


_MISSING = object()


def _keeps_unread(record: Any, source: Any) -> bool:
    """Whether the record still has the unknown keys its source's data leaves unread (its
    `extra` not read yet): else the matchers, which compare with that data, cannot tell."""
    return not source.unread or raw_extra(record) is UNREAD


def _getter(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """A function giving the tuple of an object's attributes `names`, in one call."""
    if len(names) > 1:
        return operator.attrgetter(*names)
    return lambda record: tuple(getattr(record, name) for name in names)


def _writes_as(hook: Callable[[Any], Any], value: Any, data: Any) -> bool:
    """Whether a field's value, as `unstructure` writes it out (by its type's `hook`), is
    `data`. Plain JSON data the same as `data` is written out as it is (every hook passes it
    through), so it needs no hook."""
    if same(data, value):
        return True
    out = hook(value)
    return same(data, float(out) if type(out) is WholeNumber else out)


# Writing a record, a value of the wrong type is passed through unchanged rather than coerced
# (cattrs would turn the string "AI" for `topics` into ["A", "I"]): the schema check that
# follows then names the field and the problem.


def _is_optional(kind: Any) -> bool:
    """`T | None` for one type T (other unions pass through: see _passes_through)."""
    if typing.get_origin(kind) not in (typing.Union, types.UnionType):
        return False
    args = typing.get_args(kind)
    return len(args) == 2 and type(None) in args


def _optional_hook(conv: cattrs.Converter, kind: Any) -> Callable[[Any, Any], Any]:
    (inner,) = (arg for arg in typing.get_args(kind) if arg is not type(None))
    if typing.get_origin(inner) is Literal:
        return _keep
    hook = conv.get_structure_hook(inner)
    if hook is _keep:  # None is kept as it is too
        return _keep
    return lambda value, _: None if value is None else hook(value, inner)


def _list_in(conv: cattrs.Converter, kind: Any) -> Callable[[Any, Any], Any]:
    # A list of values kept as they are is copied whole (the data has passed the schema).
    (item,) = typing.get_args(kind)
    hook = conv.get_structure_hook(item)
    if hook is _keep:
        return lambda value, _: list(value)
    return lambda value, _: [hook(each, item) for each in value]


def _optional_out(conv: cattrs.Converter, kind: Any) -> Callable[[Any], Any]:
    # cattrs's own hook for `T | None`, except that a type written out as it is (str, int,
    # Literal...) is written out as it is when optional too: cattrs then inlines it.
    (inner,) = (arg for arg in typing.get_args(kind) if arg is not type(None))
    hook = conv.get_unstructure_hook(inner)
    if hook is identity:
        return identity
    return lambda value: None if value is None else hook(value)


def _unstructure_date_time(value: Any) -> Any:
    if not isinstance(value, datetime):
        return value
    raw = getattr(value, "raw", None)
    if raw is not None:
        return raw
    if value.utcoffset() is None:
        return value.isoformat()  # no offset: the schema says so, naming the field
    return format_date_time(value)


def _unstructure_date(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _is_list(kind: Any) -> bool:
    return typing.get_origin(kind) is list


def _list_hook(conv: cattrs.Converter, kind: Any) -> Callable[[Any], Any]:
    (item,) = typing.get_args(kind)
    each = conv.get_unstructure_hook(item)
    if each is identity:
        return lambda value: list(value) if isinstance(value, list) else value
    return lambda value: [each(x) for x in value] if isinstance(value, list) else value


def _check_extra(extra: dict[Any, Any]) -> None:
    for key, value in extra.items():
        if not isinstance(key, str):
            raise TypeError(f"extra key {key!r} is not a string")
        if not _is_json(value):
            raise TypeError(f"extra field {key!r} holds something that is not JSON data")


def _is_json(value: Any) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_json(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_is_json(v) for v in value)
    return value is None or isinstance(value, str | int | float | bool)


def same(a: Any, b: Any) -> bool:
    """Equality that also tells 1 from True and 1.0 from 1, as YAML does (and NaN is NaN)."""
    if a is b:  # most leaves of a record's data and its source's are the same objects
        return True
    kind = type(a)
    if kind is not type(b):
        return False
    if kind is dict or isinstance(a, dict):
        if a.keys() != b.keys():
            return False
        for key, value in a.items():
            other = b[key]
            if value is not other and not same(value, other):
                return False
        return True
    if kind is list or isinstance(a, list):
        if len(a) != len(b):
            return False
        for value, other in zip(a, b, strict=True):
            if value is not other and not same(value, other):
                return False
        return True
    if kind is float and a != a:
        return bool(b != b)
    return bool(a == b)
