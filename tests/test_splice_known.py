"""An edit of a record whose unknown keys a lenient read left in its text (splice_known.py).

The edit is made on the known entries cut out of the text, and moved back: the unknown keys
are never read. Each edit is judged by PyYAML's reading of the written text and by the lines
it did not touch, byte for byte, and made a second time with the keys read (the plain path),
which must write the same text. Where the known entries cannot be edited alone, every key is
read and the edit is still right.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import roundtrip as rt
from roundtrip import records
from roundtrip.document import SourceDocument
from roundtrip.edit import set_bytes
from roundtrip.entries import entry_spans
from roundtrip.patching import patch
from roundtrip.plan import Edit
from roundtrip.splice_known import _moved
from roundtrip.unread import UNREAD, raw_extra

from .conftest import SEEDS
from .judge import equal_data, read_pyyaml
from .test_unknown_keys import SEED
from .texts import changed

pytestmark = pytest.mark.filterwarnings("ignore::roundtrip.RoundtripWarning")

UNKNOWN = "k0: 0\nk1: [a, {b: c}]\nk2:\n  deep: x\n"


@pytest.fixture
def all_reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Lenient reads of any size leave unknown keys unread; each read of them all is counted."""
    monkeypatch.setattr(records, "DROP_UNKNOWN_FROM", 0)
    reads: list[int] = []
    real = SourceDocument.all_data

    def counted(self: SourceDocument) -> dict[str, Any]:
        reads.append(1)
        return real(self)

    monkeypatch.setattr(SourceDocument, "all_data", counted)
    yield reads


def front(text: str) -> Any:
    return read_pyyaml(text.split("---\n", 2)[1])


def lenient(text: str) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return rt.loads(text, strict=False)


def edited(text: str, edit: Callable[[Any], None], *, lazy: bool) -> str:
    """The edit made on a lenient read that leaves the unknown keys unread (`lazy`) or reads
    them all."""
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(records, "DROP_UNKNOWN_FROM", 0 if lazy else 1 << 40)
        article = lenient(text)
        assert (raw_extra(article) is UNREAD) == lazy
        edit(article)
        return rt.dumps(article)


def set_heat(article: Any) -> None:
    article.heat = 5


def append_topic(article: Any) -> None:
    article.topics.append("Robots")


def set_quality(article: Any) -> None:
    article.related[1].quality = 99


def set_title_and_provider(article: Any) -> None:
    article.title = "New title"
    article.provider.name = "MIT"


EDITS = {
    "heat": (set_heat, lambda data: data.update(heat=5)),
    "topics": (append_topic, lambda data: data["topics"].append("Robots")),
    "quality": (set_quality, lambda data: data["related"][1].update(quality=99)),
    "two fields": (
        set_title_and_provider,
        lambda data: (data.update(title="New title"), data["provider"].update(name="MIT")),
    ),
}
# Where the unknown keys stand: first, between two known entries (right after a block list
# ends, with no blank line), and last.
PLACES = {
    "first": lambda text: text.replace("---\n", "---\n" + UNKNOWN, 1),
    "after topics": lambda text: text.replace("  - AI\n\n", "  - AI\n" + UNKNOWN + "\n", 1),
    "last": lambda text: text.replace('"\n---\n', '"\n' + UNKNOWN + "---\n", 1),
}


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("name", EDITS)
def test_an_edit_of_known_fields_reads_no_unknown_key(
    all_reads: list[int], name: str, place: str
) -> None:
    text = PLACES[place](SEED)
    assert text != SEED
    edit, expect = EDITS[name]
    article = lenient(text)
    assert raw_extra(article) is UNREAD and article.source.unread == 3
    edit(article)
    written = rt.dumps(article)
    assert not all_reads
    assert raw_extra(article) is UNREAD
    expected = front(text)
    expect(expected)
    assert equal_data(front(written), expected)
    assert written.split("---\n", 2)[2] == text.split("---\n", 2)[2]  # the body
    lines = changed(text, written)
    assert lines and not any(line[2:].startswith(("k0", "k1", "k2", "  deep")) for line in lines)
    assert len(lines) <= 4  # the edited lines, nothing else
    assert written == edited(text, edit, lazy=False)


def test_an_item_appended_at_the_border_goes_before_the_unknown_keys(
    all_reads: list[int],
) -> None:
    text = PLACES["after topics"](SEED)
    article = lenient(text)
    append_topic(article)
    written = rt.dumps(article)
    assert not all_reads
    assert "  - AI\n  - Robots\nk0: 0\n" in written
    assert written.replace("  - Robots\n", "", 1) == text


def test_a_key_the_lines_cannot_place_reads_every_key(all_reads: list[int]) -> None:
    # A quoted known key: its entry is not found from the lines, so every key is read.
    text = PLACES["after topics"](SEED).replace("heat: 77\n", '"heat": 77\n', 1)
    article = lenient(text)
    set_heat(article)
    written = rt.dumps(article)
    assert all_reads
    expected = front(text)
    expected["heat"] = 5
    assert equal_data(front(written), expected)
    assert changed(text, written) == ['- "heat": 77\n', '+ "heat": 5\n']


def test_set_and_patch_of_known_fields_read_no_unknown_key(all_reads: list[int]) -> None:
    text = PLACES["after topics"](SEED)
    written = set_bytes(text.encode(), "record.txt", "related.0.quality", "5", strict=False)
    patched = rt.dumps(patch(lenient(text), [{"op": "add", "path": "/topics/-", "value": "X"}],
                             strict=False))  # fmt: skip
    assert not all_reads
    expected = front(text)
    expected["related"][0]["quality"] = 5
    assert equal_data(front(written.decode()), expected)
    expected = front(text)
    expected["topics"].append("X")
    assert equal_data(front(patched), expected)


@pytest.mark.parametrize(
    "operation",
    [
        {"op": "remove", "path": "/k1"},
        {"op": "replace", "path": "/k0", "value": 5},
        {"op": "move", "from": "/k0", "path": "/k9"},
        {"op": "add", "path": "", "value": {}},
    ],
)
def test_a_patch_naming_an_unknown_key_reads_them(
    all_reads: list[int], operation: dict[str, Any]
) -> None:
    text = PLACES["after topics"](SEED)
    expected = front(text)
    if operation["op"] == "add":  # the whole data replaced: an invalid record, refused
        with pytest.raises(rt.SchemaError):
            patch(lenient(text), [operation], strict=False)
        assert all_reads
        return
    patched = rt.dumps(patch(lenient(text), [operation], strict=False))
    assert all_reads
    if operation["op"] == "remove":
        del expected["k1"]
    elif operation["op"] == "replace":
        expected["k0"] = 5
    else:
        expected["k9"] = expected.pop("k0")
    assert equal_data(front(patched), expected)


# Unknown entries of many shapes, each ending its last line.
SHAPES = [
    "k: 1\n",
    "k: [a, {b: c}]\n",
    "k:\n  deep: x\n",
    "k:\n- a\n- b\n",
    "k: |\n  text\n\n",
    "k: >-\n  folded\n  text\n",
    "k: 'two\n  lines'\n",
    "# a comment\nk: x\n",
    "\nk: 2\n\n",
    "k: &a 5\n",
    "k:\n  - {x: 1}\n  # a comment\n",
    "k: plain\n  continued\n",
]


def set_width(article: Any) -> None:
    (article.images or article.related[0].images)[0].width = 10


def expect_width(data: dict[str, Any]) -> None:
    (data.get("images") or data["related"][0]["images"])[0]["width"] = 10


def set_title_and_body(article: Any) -> None:
    article.title = "T"
    article.body = "\nA new body.\n"


# More edits, each with what it does to the data (the body aside).
MORE_EDITS = {
    **EDITS,
    "width": (set_width, expect_width),
    "drop topic": (lambda article: article.topics.pop(), lambda data: data["topics"].pop()),
    "related title": (
        lambda article: setattr(article.related[-1], "title", "Another: title"),
        lambda data: data["related"][-1].update(title="Another: title"),
    ),
    "title and body": (set_title_and_body, lambda data: data.update(title="T")),
}


@st.composite
def with_unknown_entries(draw: st.DrawFn) -> str:
    """A golden seed with unknown entries before some of its top-level keys (or at the end)."""
    text = draw(st.sampled_from(SEEDS)).read_text(encoding="utf-8")
    yaml_start = text.index("\n") + 1
    yaml_end = text.index("\n---\n", yaml_start) + 1
    heads = [yaml_start + match.start() for match in
             re.finditer(r"^[A-Za-z]", text[yaml_start:yaml_end], re.M)]  # fmt: skip
    places = draw(st.lists(st.sampled_from([*heads, yaml_end]), min_size=1, max_size=4))
    for number, at in enumerate(sorted(places, reverse=True)):
        shape = draw(st.sampled_from(SHAPES)).replace("k", f"k{number}", 1)
        shape = shape.replace("&a", f"&a{number}")  # (PyYAML refuses an anchor made twice)
        text = text[:at] + shape + text[at:]
    return text


@example(text=PLACES["after topics"](SEED), name="topics")
@example(text=PLACES["last"](SEED), name="title and body")
@given(text=with_unknown_entries(), name=st.sampled_from(sorted(MORE_EDITS)))
def test_an_edit_with_unread_keys_writes_what_reading_them_writes(text: str, name: str) -> None:
    """Whatever the unknown entries and wherever they stand, the edit made without reading
    them holds the edited data (PyYAML), keeps every unknown entry's lines, and is the text
    the edit writes when they are read."""
    edit, expect = MORE_EDITS[name]
    written = edited(text, edit, lazy=True)
    expected = front(text)
    expect(expected)
    assert equal_data(front(written), expected)
    for line in text.split("\n---\n", 1)[0].splitlines():
        if line.startswith("k"):  # an unknown key's line
            assert line in written.splitlines()
    assert written == edited(text, edit, lazy=False)


# -- the pieces ------------------------------------------------------------------------------

TEXT = "a: 1\nz: 0\nb:\n  - x\ny: 0\nc: 3\n"  # known a, b, c; unknown z, y


def test_entry_spans_keeps_only_the_entries_asked_for() -> None:
    assert entry_spans(TEXT, ["a", "b", "c"], 5) == [(0, 5), (10, 19), (24, 29)]
    assert entry_spans(TEXT, ["a", "b", "c"], 4) is None  # not the count the parse found
    assert entry_spans(TEXT, ["a", "c", "b"], 5) is None  # not in the text's order
    assert entry_spans("# c\n" + TEXT, ["a"], 5) == [(4, 9)]
    assert entry_spans("ab: 1\na: 2\n", ["a"], 2) == [(6, 11)]  # not a key that starts so
    assert entry_spans("a:b: 1\na: 2\n", ["a"], 2) == [(7, 12)]


@pytest.mark.parametrize("name", ["null", "True", "y", "1a", "a b", "'a'", "-a", ""])
def test_entry_spans_takes_only_keys_that_read_as_themselves(name: str) -> None:
    assert entry_spans(f"{name}: 1\n", [name], 1) is None


def test_entry_spans_refuses_what_entry_heads_refuses() -> None:
    assert entry_spans("a: 1\n&x z: 2\n", ["a"], 2) is None  # a property on a key line
    assert entry_spans("  a: 1\n", ["a"], 1) is None  # not at column 0
    assert entry_spans("a: 1\rz: 2\n", ["a"], 1) is None  # a lone CR breaks a line


# The joined text of TEXT's known entries, and where they stand in TEXT.
KNOWN = "a: 1\nb:\n  - x\nc: 3\n"
SPANS = [(0, 5), (10, 19), (24, 29)]


def moved(edits: list[Edit], edited: tuple[bool, bool, bool] = (True, True, True)) -> Any:
    return _moved(KNOWN, edits, SPANS, len(TEXT), list(edited))


def test_an_edit_inside_an_entry_moves_by_its_offset() -> None:
    assert moved([Edit(3, 4, "5")]) == [Edit(3, 4, "5")]
    assert moved([Edit(12, 13, "w")]) == [Edit(17, 18, "w")]


def test_an_insertion_at_a_border_goes_to_the_entry_before_if_it_changes() -> None:
    assert moved([Edit(14, 14, "  - y\n")]) == [Edit(19, 19, "  - y\n")]  # after b, not at c
    assert moved([Edit(14, 14, "  - y\n")], (True, False, True)) is None
    assert moved([Edit(14, 14, "  - y")]) is None  # the next key would continue its line
    assert moved([Edit(0, 0, "d: 4\n")]) == [Edit(0, 0, "d: 4\n")]  # the text's start


def test_an_edit_that_would_meet_an_unknown_entry_is_not_moved() -> None:
    assert moved([Edit(3, 7, "1\nb: 2")]) is None  # across two entries that unknown ones part
    assert moved([Edit(5, 6, "  b")]) is None  # an indented line after the unknown `z`
    assert moved([Edit(5, 6, "#b")]) is None  # a comment: the lines after it continue `z`
    assert moved([Edit(13, 14, "y")]) is None  # `b`'s last line break: `y` would continue it
    assert moved([Edit(12, 14, "w")]) is None
    assert moved([Edit(12, 14, "w\n")]) == [Edit(17, 19, "w\n")]  # its line still ends there
    assert moved([Edit(5, 6, "d")]) == [Edit(10, 11, "d")]  # a key at column 0 is kept
