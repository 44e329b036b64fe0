"""The cattrs converter between records and plain data with the schema's key names.

Field names map by a rename override per attribute (snake_case to camelCase); optional fields
that are None are left out; keys the schema does not know travel in each class's `extra`.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from .model import NOT_FIELDS, RECORD_CLASSES

T = TypeVar("T")


def camel_case(name: str) -> str:
    """The schema key for an attribute name: `published_date_time` -> `publishedDateTime`."""
    first, *rest = name.split("_")
    return first + "".join(part.capitalize() for part in rest)


def parse_date_time(text: str) -> datetime:
    """A schema date-time string as an aware datetime (`Z`, offsets, a space separator)."""
    return datetime.fromisoformat(text.upper().replace(" ", "T", 1))


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
        value = parse_date_time(text)
        kept = cls(
            value.year, value.month, value.day, value.hour, value.minute, value.second,
            value.microsecond, value.tzinfo, fold=value.fold,
        )  # fmt: skip
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


def field_keys(cls: type) -> dict[str, str]:
    """The front matter fields of a record class: attribute name -> schema key, in order."""
    return {
        field.name: camel_case(field.name)
        for field in attrs.fields(cls)
        if field.name not in NOT_FIELDS
    }


def _register(converter: cattrs.Converter, cls: type[Any]) -> None:
    keys = field_keys(cls)
    known = frozenset(keys.values())
    fields = attrs.fields_dict(cls)
    optional = frozenset(key for name, key in keys.items() if fields[name].default is None)
    overrides: dict[str, Any] = {name: override(rename=key) for name, key in keys.items()}
    overrides.update({name: override(omit=True) for name in fields if name in NOT_FIELDS})
    structure_known = make_dict_structure_fn(cls, converter, **overrides)
    unstructure_known = make_dict_unstructure_fn(cls, converter, **overrides)

    def structure(data: dict[str, Any], _: type) -> Any:
        if data.keys() <= known:
            return structure_known(data, cls)
        # No set of the unknown keys: a record may hold a million of them.
        record = structure_known({k: v for k, v in data.items() if k in known}, cls)
        record.extra = {k: v for k, v in data.items() if k not in known}
        return record

    def unstructure(record: Any) -> Any:
        if not isinstance(record, cls):
            return record
        # Dropping absent optional fields here, not with omit_if_default, keeps schema order.
        data: dict[str, Any] = {
            key: value
            for key, value in unstructure_known(record).items()
            if value is not None or key not in optional
        }
        for key, value in data.items():
            if type(value) is WholeNumber:  # unedited: the float it was read as
                data[key] = float(value)
        if record.extra:
            _check_extra(record.extra)
            data.update(record.extra)
        return data

    converter.register_structure_hook(cls, structure)
    converter.register_unstructure_hook(cls, unstructure)


@functools.cache
def converter() -> cattrs.Converter:
    """The converter for all record classes (built once)."""
    conv = cattrs.Converter()
    conv.register_structure_hook(datetime, lambda value, _: DateTime.from_text(value))
    conv.register_structure_hook(int, _structure_int)
    conv.register_unstructure_hook(datetime, _unstructure_date_time)
    conv.register_unstructure_hook_factory(_is_list, lambda kind: _list_hook(conv, kind))
    for cls in reversed(RECORD_CLASSES):  # leaves first: generated hooks capture their children's
        _register(conv, cls)
    return conv


# Writing a record, a value of the wrong type is passed through unchanged rather than coerced
# (cattrs would turn the string "AI" for `topics` into ["A", "I"]): the schema check that
# follows then names the field and the problem.


def _unstructure_date_time(value: Any) -> Any:
    if not isinstance(value, datetime):
        return value
    raw = getattr(value, "raw", None)
    if raw is not None:
        return raw
    if value.utcoffset() is None:
        return value.isoformat()  # no offset: the schema says so, naming the field
    return format_date_time(value)


def _is_list(kind: Any) -> bool:
    return typing.get_origin(kind) is list


def _list_hook(conv: cattrs.Converter, kind: Any) -> Callable[[Any], Any]:
    (item,) = typing.get_args(kind)
    each = conv.get_unstructure_hook(item)
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


def structure(data: dict[str, Any], cls: type[T]) -> T:
    """Build a record of `cls` from plain data that has passed the schema."""
    return converter().structure(data, cls)


def unstructure(record: object) -> dict[str, Any]:
    """A record as plain data with the schema's key names, in the schema's order."""
    data: dict[str, Any] = converter().unstructure(record)
    return data


def same(a: Any, b: Any) -> bool:
    """Equality that also tells 1 from True and 1.0 from 1, as YAML does (and NaN is NaN)."""
    if type(a) is not type(b):
        return False
    if type(a) is float and a != a:
        return bool(b != b)
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[key], b[key]) for key in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)
