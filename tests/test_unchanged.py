"""The quick proof that a record still holds its source data (`Format.unchanged`, convert.py).

Writing and verifying skip building `to_dict`'s copy when this proof holds, so it must never
hold for a record whose data differs from its source: every edit below, on every golden
record of every format, must make it fail, and `same(source.data, to_dict(record))`, the
full comparison, confirms that each edit really changed the data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

import roundtrip as rt
from roundtrip.convert import same

from .conftest import SEEDS
from .test_formats import GOLDENS, format_of, record_format

RECORDS = [*SEEDS, *GOLDENS]
_NOT_FIELDS = {"extra", "_absent", "body", "_source"}

Step = str | int  # an attribute name or a list index
Edit = tuple[str, tuple[Step, ...], Callable[[Any], Any]]


def _fmt(path: Path) -> rt.Format:
    return rt.ARTICLE if path in SEEDS else record_format(format_of(path))


def _changed(value: Any) -> Iterator[tuple[str, Callable[[Any], Any]]]:
    """Ways to change a value: (name, function of the old value giving the new one)."""
    if isinstance(value, bool):
        yield "negated", lambda old: not old
    elif isinstance(value, int):
        yield "plus one", lambda old: old + 1
    elif isinstance(value, float):
        yield "plus 1.5", lambda old: old + 1.5
    elif isinstance(value, str):
        yield "longer", lambda old: old + "x"
    elif isinstance(value, dt.datetime | dt.date):
        yield "a day later", lambda old: old + dt.timedelta(days=1)
    if value is not None:
        yield "None", lambda old: None


def _edits(record: Any, path: tuple[Step, ...] = ()) -> Iterator[Edit]:
    """Every edit of every field of `record` and of the records and lists inside it."""
    for field in attrs.fields(type(record)):
        if field.name in _NOT_FIELDS:
            continue
        value = getattr(record, field.name)
        here = (*path, field.name)
        for name, change in _changed(value):
            yield name, here, change
        if attrs.has(type(value)):
            yield from _edits(value, here)
        elif isinstance(value, list):
            yield "item dropped (in place)", here, lambda old: old.pop() and old
            yield "item repeated (in place)", here, lambda old: old.append(old[0]) or old
            for index, item in enumerate(value):
                if attrs.has(type(item)):
                    yield from _edits(item, (*here, index))
        elif isinstance(value, dict):
            yield "key added (in place)", here, lambda old: old.update(zz=1) or old
    if not path:
        yield "unknown key added", ("extra",), lambda old: {**old, "zz-unknown": 1}


def _apply(record: Any, path: tuple[Step, ...], change: Callable[[Any], Any]) -> None:
    *way, last = path
    owner = record
    for step in way:
        owner = owner[step] if isinstance(step, int) else getattr(owner, step)
    if isinstance(last, int):
        owner[last] = change(owner[last])
    else:
        setattr(owner, last, change(getattr(owner, last)))


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_an_unedited_record_is_proven_to_hold_its_source(path: Path) -> None:
    fmt = _fmt(path)
    record = fmt.loads(path.read_bytes())
    assert fmt.unchanged(record)
    assert same(record.source.data, fmt.to_dict(record))


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_edit_passes_for_unchanged(path: Path) -> None:
    fmt = _fmt(path)
    raw = path.read_bytes()
    edits = list(_edits(fmt.loads(raw)))
    assert len(edits) > 10
    for name, where, change in edits:
        record = fmt.loads(raw)
        _apply(record, where, change)
        try:
            changed = not same(record.source.data, fmt.to_dict(record))
        except rt.RoundtripError:
            changed = True  # the record cannot even be written out as it is now
        if changed:
            assert not fmt.unchanged(record), f"{'.'.join(map(str, where))}: {name}"


def test_a_record_not_read_from_text_is_not_proven() -> None:
    record = rt.loads(SEEDS[0].read_bytes())
    fresh = rt.from_dict(rt.to_dict(record), body=record.body)
    assert not rt.ARTICLE.unchanged(fresh)
    assert not rt.ARTICLE.unchanged(object())


# -- the changed values, found by the same walk (`Format.changes`) ---------------------------


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_changes_with_the_source_data_are_the_records_data(path: Path) -> None:
    """Every edit: either the walk reports the changed values, and the source's data with
    them is `to_dict`'s data key for key (the shortcut `emit_parts` takes), or it gives None
    (not proven: the fallback builds `to_dict`'s copy). Both happen."""
    fmt = _fmt(path)
    raw = path.read_bytes()
    taken = fallen_back = 0
    unedited = fmt.loads(raw)
    assert fmt.changes(unedited) == {}
    for name, where, change in _edits(unedited):
        record = fmt.loads(raw)
        _apply(record, where, change)
        changes = fmt.changes(record)
        if changes is None:
            fallen_back += 1
            continue
        try:
            data = fmt.to_dict(record)
        except rt.RoundtripError:
            continue  # a value no record can hold: the schema check words it
        assert set(changes) <= set(record.source.data), name
        rebuilt = {**record.source.data, **changes}
        assert rebuilt.keys() == data.keys(), f"{'.'.join(map(str, where))}: {name}"
        assert same(rebuilt, data), f"{'.'.join(map(str, where))}: {name}"
        for key in record.source.data.keys() - changes.keys():
            assert same(record.source.data[key], data[key]), key  # unreported: unchanged
        taken += 1
    assert taken > 5 and fallen_back > 0


def test_changes_are_not_proven_for_a_key_that_goes_or_a_record_not_read() -> None:
    record = rt.loads(SEEDS[0].read_bytes())
    record.images = None  # the key goes
    assert rt.ARTICLE.changes(record) is None
    record = rt.loads(SEEDS[0].read_bytes())
    record.extra["zz-unknown"] = 1  # a key comes
    assert rt.ARTICLE.changes(record) is None
    record = rt.loads(SEEDS[0].read_bytes())
    fresh = rt.from_dict(rt.to_dict(record), body=record.body)
    assert rt.ARTICLE.changes(fresh) is None
    record = rt.loads(SEEDS[0].read_bytes())
    record.related[1].quality = 3
    changes = rt.ARTICLE.changes(record)
    assert changes is not None and list(changes) == ["related"]
    assert changes["related"][1]["quality"] == 3
    # the item that kept its data is the source data's own object, the other written anew
    assert changes["related"][0] is record.source.data["related"][0]
    assert changes["related"][1] is not record.source.data["related"][1]
    # and that one is the source's item with its changed field: the rest its own objects
    old_item = record.source.data["related"][1]
    assert changes["related"][1] == {**old_item, "quality": 3}
    assert list(changes["related"][1]) == list(old_item)
    assert changes["related"][1]["provider"] is old_item["provider"]
    record.related[0].provider.name = "Other"  # a change one level further down
    changes = rt.ARTICLE.changes(record)
    assert changes is not None
    assert changes["related"][0]["provider"]["name"] == "Other"
    assert changes["related"][0]["title"] is record.source.data["related"][0]["title"]
    assert same(changes["related"], rt.to_dict(record)["related"])
