"""A record's unknown top-level keys left in its text until read: `extra`, built on first use.

A lenient read of a large text keeps no unknown top-level key as data (records._read_data):
a million of them would cost many times the file. The record's `extra` then holds `UNREAD`,
and its source counts the keys it left in the text (SourceDocument.unread). The root class's
`extra` attribute is a `LazyExtra`: the first access reads those keys from the text, as the
plain dict every other read gives, and keeps it. Writing an untouched record back needs none
of them: its text holds them already (convert.make_changes tells an `UNREAD` extra apart).
Nor does an edit through plain data that leaves them alone (`set`, a patch of known keys):
`left_unread` gives the data without them, and the edited record gets `UNREAD` back.
"""

from __future__ import annotations

import contextlib
import operator
from collections.abc import Callable, Collection, Iterator
from typing import Any

from .model_spec import EXTRA


class _Unread:
    """The `extra` of a record whose unknown top-level keys are still only in its text."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "UNREAD"


UNREAD: Any = _Unread()


class LazyExtra:
    """The `extra` attribute of a root class: its slot, read from the source on first use
    when it holds `UNREAD`."""

    def __init__(self, slot: Any, known: frozenset[str]) -> None:
        self.slot = slot  # the attribute's own slot (a member descriptor)
        self.known = known  # the root's known keys: every other key is an unknown one

    def __get__(self, record: Any, owner: type | None = None) -> Any:
        if record is None:
            return self
        value = self.slot.__get__(record, owner)
        if value is UNREAD:
            value = self.read(record)
            self.slot.__set__(record, value)
        return value

    def __set__(self, record: Any, value: Any) -> None:
        self.slot.__set__(record, value)

    def __delete__(self, record: Any) -> None:
        self.slot.__delete__(record)

    def raw(self, record: Any) -> Any:
        """What the slot holds: the extra dict, or `UNREAD`."""
        return self.slot.__get__(record, type(record))

    def read(self, record: Any) -> dict[str, Any]:
        """The unknown top-level keys of the record's source, as the record's own data."""
        from .convert import owned

        source = record._source
        data = {} if source is None else source.all_data()
        return {key: owned(value) for key, value in data.items() if key not in self.known}


def make_lazy(cls: type, known: frozenset[str]) -> None:
    """Give a root class's `extra` attribute the lazy reading (once per class)."""
    slot = cls.__dict__[EXTRA]
    if not isinstance(slot, LazyExtra):
        setattr(cls, EXTRA, LazyExtra(slot, known))


def raw_extra_getter(cls: type) -> Callable[[Any], Any]:
    """`raw_extra` for records of `cls`, its class looked at once."""
    lazy = cls.__dict__.get(EXTRA)
    if isinstance(lazy, LazyExtra):
        getter: Callable[[Any], Any] = lazy.slot.__get__  # the slot's own: no lazy read
        return getter
    return operator.attrgetter(EXTRA)


def raw_extra(record: Any) -> Any:
    """A record's `extra` without reading it: `UNREAD` while its keys are only in the text."""
    lazy = type(record).__dict__.get(EXTRA)
    return lazy.raw(record) if isinstance(lazy, LazyExtra) else getattr(record, EXTRA)


@contextlib.contextmanager
def left_unread(record: Any, names: Collection[str] = ()) -> Iterator[bool]:
    """Within, a record whose unknown keys are still unread has the empty `extra`, so that its
    data (`to_dict`) is the known keys', read without the others; unless `names`, the
    top-level keys an edit of that data names, holds an unknown one. Yields whether it has:
    then the record made from the edited data takes `UNREAD` as its `extra` (its source's
    text holds those keys)."""
    lazy = type(record).__dict__.get(EXTRA)
    if (not isinstance(lazy, LazyExtra) or lazy.raw(record) is not UNREAD
            or not lazy.known.issuperset(names)):  # fmt: skip
        yield False
        return
    lazy.slot.__set__(record, {})
    try:
        yield True
    finally:
        lazy.slot.__set__(record, UNREAD)
