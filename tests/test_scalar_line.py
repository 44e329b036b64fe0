"""A one-line entry `key: scalar` is told from its line, without a parse, in the focused tree
and in the read-back (scalar_line.py); any other line is parsed, as before.

Each case forces one path — seen by what the focused tree parses, which texts are read back,
and what the shortcut answered — and judges the edited text by independent means: PyYAML and
ruamel.yaml's pure-Python parser read the expected data, and every line but the edited one is
byte for byte the same. What the shortcut finds is compared with libyaml's events on every
golden record.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import yaml
from ruamel.yaml import YAML

import roundtrip as rt
import roundtrip.focus as focus
import roundtrip.focus_parse as focus_parse
import roundtrip.records as records
import roundtrip.splice as splice
from roundtrip.entries import entry_heads
from roundtrip.items import item_heads, item_keys
from roundtrip.parse import parse_data
from roundtrip.scalar_line import holds_scalar, scalar_entry
from roundtrip.tree import Sequence

from .conftest import GOLDEN_FILES, SEEDS
from .texts import changed as _changed
from .texts import front as _front
from .texts import replaced as _with

SEED = SEEDS[0].read_text(encoding="utf-8")


class Seen:
    """What an edit parsed in the focused tree, read back by a parse, checked whole, and what
    the shortcut answered (focused tree: the entry or None; read-back: True or False)."""

    def __init__(self) -> None:
        self.parses: list[tuple[int, int | None]] = []
        self.read_back: list[str] = []
        self.whole: list[str] = []
        self.entries: list[Any] = []
        self.holds: list[bool] = []


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> Iterator[Seen]:
    record = Seen()
    parse, read, check = focus_parse.parse_part, splice.parse_data, records._check_written
    entry, holds = focus.scalar_entry, splice.holds_scalar

    def spy_parse(text: str, old: Any, wanted: Any, start: int = 0, end: int | None = None,
                  line: int = 0) -> Any:  # fmt: skip
        record.parses.append((start, end))
        return parse(text, old, wanted, start, end, line)

    def spy_read(text: str, **kwargs: Any) -> Any:
        record.read_back.append(text)
        return read(text, **kwargs)

    def spy_check(text: str, data: Any) -> None:
        record.whole.append(text)
        check(text, data)

    def spy_entry(*args: Any) -> Any:
        record.entries.append(entry(*args))
        return record.entries[-1]

    def spy_holds(*args: Any) -> bool:
        record.holds.append(holds(*args))
        return record.holds[-1]

    monkeypatch.setattr(focus_parse, "parse_part", spy_parse)
    monkeypatch.setattr(splice, "parse_data", spy_read)
    monkeypatch.setattr(records, "_check_written", spy_check)
    monkeypatch.setattr(focus, "scalar_entry", spy_entry)
    monkeypatch.setattr(splice, "holds_scalar", spy_holds)
    yield record


def _edit(text: str, change: Callable[[Any], None], plain: Callable[[Any], None]) -> str:
    """The edited record, both parsers finding the original's data with `plain` made to it."""
    article = rt.loads(text)
    change(article)
    edited = rt.dumps(article)
    expected = yaml.safe_load(_front(text))
    plain(expected)
    assert yaml.safe_load(_front(edited)) == expected
    assert YAML(typ="safe", pure=True).load(_front(edited)) == expected
    return edited


def _heat(value: int) -> tuple[Callable[[Any], None], Callable[[Any], None]]:
    return lambda a: setattr(a, "heat", value), lambda d: d.__setitem__("heat", value)


def _quality(value: int) -> tuple[Callable[[Any], None], Callable[[Any], None]]:
    return (lambda a: setattr(a.related[0], "quality", value),
            lambda d: d["related"][0].__setitem__("quality", value))  # fmt: skip


def _title(value: str) -> tuple[Callable[[Any], None], Callable[[Any], None]]:
    return lambda a: setattr(a, "title", value), lambda d: d.__setitem__("title", value)


# -- the shortcut ----------------------------------------------------------------------------


def test_a_top_level_scalar_edit_parses_nothing_and_reads_its_line_back(seen: Seen) -> None:
    edited = _edit(SEED, *_heat(80))
    assert seen.parses == [] and seen.read_back == [] and seen.whole == []
    assert [entry is not None for entry in seen.entries] == [True] and seen.holds == [True]
    assert _changed(SEED, edited) == ["- heat: 77\n", "+ heat: 80\n"]


def test_an_item_appended_to_a_list_of_scalars_parses_nothing(seen: Seen) -> None:
    edited = _edit(SEED, lambda a: a.topics.append("Policy"),
                   lambda d: d["topics"].append("Policy"))  # fmt: skip
    assert seen.parses == [] and seen.read_back == [] and seen.whole == []
    assert [entry is not None for entry in seen.entries] == [True] and seen.holds == [True]
    assert _changed(SEED, edited) == ["+   - Policy\n"]


def test_an_items_scalar_edit_parses_nothing_and_reads_its_line_back(seen: Seen) -> None:
    edited = _edit(SEED, *_quality(5))
    assert seen.parses == [] and seen.read_back == [] and seen.whole == []
    assert [entry is not None for entry in seen.entries] == [True] and seen.holds == [True]
    assert _changed(SEED, edited) == ["-     quality: 17\n", "+     quality: 5\n"]


def test_a_quoted_scalar_is_told_from_its_line(seen: Seen) -> None:
    # The title is double-quoted, with `:`, `#` and `'` inside; the new one is written quoted.
    text = _with(SEED, 'title: "How Meta', "title: \"A #1: it's How Meta")
    edited = _edit(text, *_title("Policy: #2"))
    assert seen.parses == [] and seen.read_back == [] and seen.whole == []
    assert [entry is not None for entry in seen.entries] == [True] and seen.holds == [True]
    assert [line[2:].startswith("title: ") for line in _changed(text, edited)] == [True, True]


# Lines the focused tree parses (old line -> its data is left as it is), each edited to 80.
_REFUSED_OLD = {
    "a comment": "heat: 77 # warm",
    "an anchor": "heat: &h 77",
    "a tag": "heat: !!int 77",
    "a trailing space": "heat: 77 ",
    "a quoted key": '"heat": 77',
    "a comment line after": "heat: 77\n  # a comment line after",
    "a second line": "heat:\n  77",
    "an explicit key": "? heat\n: 77",
}


@pytest.mark.parametrize("name", list(_REFUSED_OLD))
def test_an_old_line_out_of_shape_is_parsed(name: str, seen: Seen) -> None:
    text = _with(SEED, "heat: 77", _REFUSED_OLD[name])
    edited = _edit(text, *_heat(80))
    assert all(entry is None for entry in seen.entries)
    assert seen.parses  # the entry, or the whole text, parsed as before
    start = text.index(_REFUSED_OLD[name])
    assert edited.startswith(text[:start]) and edited.endswith(text[text.index("published:") :])


# New titles the renderer cannot write as one line in the shape: read back by a parse.
_REFUSED_NEW = {
    "escapes": "He said \"no\"\tand 'yes'",
    "a line break": "two\nlines",
}


@pytest.mark.parametrize("name", list(_REFUSED_NEW))
def test_a_written_line_out_of_shape_is_read_back_by_a_parse(name: str, seen: Seen) -> None:
    edited = _edit(SEED, *_title(_REFUSED_NEW[name]))
    assert seen.holds == [False]
    assert seen.read_back or seen.whole
    assert [entry is not None for entry in seen.entries] == [True]  # the old line was fine
    start, end = SEED.index("title:"), SEED.index("excerpt:")
    assert edited.startswith(SEED[:start]) and edited.endswith(SEED[end:])


def test_an_old_title_with_escapes_is_parsed(seen: Seen) -> None:
    text = _with(SEED, 'title: "How Meta', 'title: "How \\"Meta\\"')
    _edit(text, *_title("Plain"))
    assert seen.entries == [None] and seen.parses and seen.holds == [True]


# -- what the shortcut reads, against libyaml -------------------------------------------------

_REAL_LINES = [
    "key: plain text_with-signs.+~/",
    "key: -1",
    "key: -.inf",
    "key: 017",
    "key: 0x1F",
    "key: 1e3",
    "key: 2024-01-02",
    "key: yes",
    "key: ~",
    "key: null",
    "key: .nan",
    "key: 'single # : quoted'",
    'key: "double # : quoted"',
    "key: ''",
    'key: ""',
    "key:    spaced",
    "key : spaced",
    "key_2-x: v",
    "key:\n  - AI\n  - 'b c'\n  - \"d: e\"\n  - 017\n  - -1\n  -   spaced",
    "key:\n    - deeper",
    "key :\n  - x\n\n\n",
]


def _cases() -> Iterator[tuple[str, str, Any, int, int, int, int]]:
    """(text, key, value, start, end, line, column) of every entry the lines find in the
    golden records (top-level entries, and the entries but the first of items of block
    sequences), and of the lines above as top-level entries and as an item's entries."""
    texts = [_front(path.read_text(encoding="utf-8")) for path in GOLDEN_FILES
             if path.suffix == ".txt"]  # fmt: skip
    texts += ["a: 1\n" + line + "\nz: 2\n" for line in _REAL_LINES]
    texts += ["a:\n  - b: 1\n    " + line + "\n\n    z: 2\nc: 3\n" for line in _REAL_LINES]
    for text in texts:
        try:
            data = parse_data(text)
        except rt.RoundtripError:
            continue
        if type(data) is not dict:
            continue
        heads = entry_heads(text, len(data))
        if heads is None:
            continue
        ends = [*heads[1:], len(text)]
        for (name, value), start, end in zip(data.items(), heads, ends, strict=True):
            yield text, name, value, start, end, text.count("\n", 0, start), 0
            if type(value) is not list or not all(type(item) is dict for item in value):
                continue
            found = item_heads(text, start, end, name, len(value))
            if found is None:
                continue
            column, items = found
            for item, head, stop in zip(value, items, [*items[1:], end], strict=True):
                keys = item_keys(text, head, stop, column, list(item))
                if keys is None:
                    continue
                indent, at = keys
                pairs = list(item.items())[1:]
                for (key, inner), key_start, key_end in zip(pairs, at[1:], [*at[2:], stop],
                                                           strict=True):  # fmt: skip
                    line = text.count("\n", 0, key_start)
                    yield text, key, inner, key_start, key_end, line, indent


def test_what_the_shortcut_reads_is_what_libyaml_parses() -> None:
    told = lists = 0
    for text, name, value, start, end, line, column in _cases():
        entry = scalar_entry(text, name, value, start, end, line, column)
        if entry is None:
            continue
        told += 1
        parsed = focus_parse.entry_alone(text, name, value, {}, start, end, line)
        assert parsed is not None
        pairs = [(entry.key, parsed.key), (entry.value, parsed.value)]
        if isinstance(entry.value, Sequence):
            assert isinstance(parsed.value, Sequence), text[start:end]
            assert len(entry.value.items) == len(parsed.value.items), text[start:end]
            pairs += zip(entry.value.items, parsed.value.items, strict=True)
            lists += 1
        for mine, theirs in pairs:
            skip = ("data", "items")
            assert [getattr(mine, slot) for slot in mine.__slots__ if slot not in skip] == [
                getattr(theirs, slot) for slot in theirs.__slots__ if slot not in skip
            ], text[start:end]
            assert _same_data(mine.data, theirs.data)
        # The written line read back alone holds the same value.
        assert holds_scalar(text[start:end], column, name, value)
    assert told > 100 and lists > 10


def _same_data(a: Any, b: Any) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(map(_same_data, a, b))
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b


# -- refusals of the text, whatever the data says ---------------------------------------------

_OUT_OF_SHAPE = [
    "key: 17 # comment",
    "key: &anchor 17",
    "key: !!int 17",
    "key: *alias",
    "key: 17 ",
    "key: 'it''s'",
    'key: "tab\\tescape"',
    "key: a:b",
    "key: a#b",
    "key: a  b",
    "key: [17]",
    "key: {a: 1}",
    "key: |",
    "key: - 17",
    "key: ? 17",
    "key: 2023-10-19T09:00:00Z",
    "key: %17",
    "key: @17",
    "key: `17`",
    '"key": 17',
    "'key': 17",
    "? key\n: 17",
    "key:\n  17",
    "key: 17\n  more",
    "key: 17\n# comment",
    "key:17",
    "key: \t17",
    "key: 17\r",
    "true: 17",
    "null: 17",
    "key:\n- 17",  # the dashes at the key's column
    "key:\n  - 17\n   - 18",  # the dashes at two columns
    "key:\n  - 17\n\n  - 18",  # a blank line between items
    "key:\n  - 17\n  # comment",
    "key:\n  - 17 # comment",
    "key:\n  - [17]",
    "key:\n  - a: 17",
    "key:\n  - - 17",
    "key:\n  -\n    17",
    "key: # comment\n  - 17",
    "key: \n  - 17",
    "key:\n  - &a 17",
]


@pytest.mark.parametrize("line", _OUT_OF_SHAPE)
def test_a_line_out_of_shape_is_left_to_the_parser(line: str) -> None:
    name = line.strip("'\"? ").split(":")[0].strip("'\"")
    text = line + "\n"
    # Whatever data it is said to hold (what a parse may find in it, or the text's words).
    for value in (17, "17", "key", None, True, line.split(":", 1)[-1].strip(), [17], [17, 18]):
        assert scalar_entry(text, name, value, 0, len(text), 0, 0) is None
        assert not holds_scalar(text, 0, name, value)


# A line in the shape whose scalar does not resolve to the data given: refused.
_RESOLVES_OTHERWISE: list[tuple[str, Any]] = [
    ("key: 017", "017"),
    ("key: 017", 15),
    ("key: 1e3", 1000),
    ("key: 1e3", "1e3"),
    ("key: yes", True),
    ("key: ~", "~"),
    ("key: null", "null"),
    ("key: .inf", ".inf"),
    ("key: 17", 17.0),
    ("key: 1", True),
    ("key: true", 1),
    ("key: '17'", 17),
    ('key: "true"', True),
    ("key: 2024-01-02", "2024-01-03"),
]


@pytest.mark.parametrize(("line", "value"), _RESOLVES_OTHERWISE)
def test_a_line_whose_scalar_resolves_otherwise_is_refused(line: str, value: Any) -> None:
    text = line + "\n"
    assert scalar_entry(text, "key", value, 0, len(text), 0, 0) is None
    assert not holds_scalar(text, 0, "key", value)
    # and it is told for the data it does hold (the reader's)
    held = parse_data(text)["key"]
    assert scalar_entry(text, "key", held, 0, len(text), 0, 0) is not None
    assert holds_scalar(text, 0, "key", held)


def test_the_key_must_be_the_one_named_at_its_column() -> None:
    text = "  key: 17\n"
    assert scalar_entry(text, "key", 17, 0, len(text), 0, 2) is not None
    assert scalar_entry(text, "other", 17, 0, len(text), 0, 2) is None
    assert scalar_entry(text, "key", 17, 0, len(text), 0, 0) is None
    assert scalar_entry(text, "key", 17, 0, len(text), 0, 1) is None
    assert not holds_scalar(text, 0, "key", 17) and holds_scalar(text, 2, "key", 17)


def test_an_integer_too_large_is_left_to_the_parser() -> None:
    text = "key: " + "9" * 5000 + "\n"
    assert scalar_entry(text, "key", 0, 0, len(text), 0, 0) is None
    assert not holds_scalar(text, 0, "key", 0)
