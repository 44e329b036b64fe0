"""A lenient read of a large text leaves unknown top-level keys in the text (unread.py).

Only a large text is read so (records.DROP_UNKNOWN_FROM): the `reading` fixture runs each test
both ways, the threshold lowered so that a small text is read lazily too ("lazy") and raised
so that none is ("plain"), and the two must give the same results. Data is judged by PyYAML's
reading of the texts, untouched lines byte by byte.
"""

from __future__ import annotations

import copy
import pickle
import subprocess
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import roundtrip as rt
from roundtrip import records
from roundtrip.edit import format_bytes
from roundtrip.unread import UNREAD, LazyExtra, raw_extra
from roundtrip.verify import Options, verify_bytes

from .conftest import ROOT
from .judge import equal_data, read_pyyaml
from .test_unknown_keys import NAMED, ROUNDTRIP, UNKNOWN, line_of, more, with_unknown_keys

pytestmark = pytest.mark.filterwarnings("ignore::roundtrip.RoundtripWarning")  # edits warn again
KNOWN = frozenset(rt.ARTICLE.root_schema["properties"])


def front(text: str) -> Any:
    """The front matter of a record's text as PyYAML reads it."""
    return read_pyyaml(text.split("---\n", 2)[1])


def unknown_of(text: str) -> dict[str, Any]:
    """The unknown top-level keys of a record's text, as PyYAML reads them."""
    return {key: value for key, value in front(text).items() if key not in KNOWN}


def warned(text: str, count: int) -> list[tuple[str, int, int, str]]:
    """(field, line, column, message) of the capped warnings on `count` unknown keys `k0`..."""
    lines = text.splitlines()
    named = [line for line in lines if line.startswith("k")][: NAMED + 1]
    found = [(f"k{i}", lines.index(line) + 1, 1, UNKNOWN) for i, line in enumerate(named)]
    if count > NAMED:
        found[NAMED] = (*found[NAMED][:3], more(count - NAMED))
    return found[: NAMED + 1] if count > NAMED else found[:count]


def lenient(text: str) -> tuple[Any, list[rt.Problem]]:
    """The record a lenient read gives, and the problems it warned of."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        record = rt.loads(text, strict=False)
    return record, [w.message.problem for w in caught if isinstance(w.message, rt.RoundtripWarning)]


def other_lines(before: str, after: str, changed: set[str]) -> None:
    """Every line of `before` but those in `changed` is in `after`, in order, unchanged."""
    kept = [line for line in before.splitlines() if line not in changed]
    assert [line for line in after.splitlines() if line in set(kept)] == kept


@pytest.fixture(params=["lazy", "plain"])
def reading(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[bool]:
    """Whether lenient reads leave unknown keys unread (True) or read them (False)."""
    lazy = request.param == "lazy"
    monkeypatch.setattr(records, "DROP_UNKNOWN_FROM", 0 if lazy else 1 << 40)
    reads: list[int] = []
    real = LazyExtra.read

    def counted(self: LazyExtra, record: Any) -> dict[str, Any]:
        reads.append(1)
        return real(self, record)

    monkeypatch.setattr(LazyExtra, "read", counted)
    yield lazy
    assert lazy or not reads  # the plain read never has anything left to read


def mixed(count: int) -> str:
    """The seed with `count` unknown top-level keys, some of them holding collections."""
    text = with_unknown_keys(count)
    text = text.replace("k1: 1\n", "k1: [a, 2, {b: c}]\n", 1)
    return text.replace("k2: 2\n", "k2:\n  deep:\n    - x\n    - 3.5\n", 1)


def test_extra_holds_the_unknown_keys_read_on_first_use_then_kept(reading: bool) -> None:
    count = 40
    text = mixed(count)
    article, problems = lenient(text)
    assert (raw_extra(article) is UNREAD) == reading
    assert article.source.unread == (count if reading else 0)
    assert [(p.field, p.line, p.column, p.message) for p in problems] == warned(text, count)
    extra = article.extra
    assert type(extra) is dict
    assert equal_data(extra, unknown_of(text))
    assert list(extra) == [f"k{i}" for i in range(count)]  # in the text's order
    assert article.extra is extra  # read once, then kept
    assert raw_extra(article) is extra


def test_both_reads_give_equal_records(monkeypatch: pytest.MonkeyPatch) -> None:
    text = mixed(30)
    monkeypatch.setattr(records, "DROP_UNKNOWN_FROM", 0)
    lazy, lazy_problems = lenient(text)
    monkeypatch.setattr(records, "DROP_UNKNOWN_FROM", 1 << 40)
    plain, plain_problems = lenient(text)
    assert raw_extra(lazy) is UNREAD and raw_extra(plain) is not UNREAD
    assert lazy_problems == plain_problems
    assert lazy == plain  # attrs' equality reads `extra`
    assert rt.to_dict(lazy) == rt.to_dict(plain)


def test_an_unedited_record_is_written_as_read_without_reading_extra(reading: bool) -> None:
    text = mixed(30)
    article, _ = lenient(text)
    assert rt.dumps(article) == text
    # Proven so without building the data (the plain read's keys in `extra` are not).
    assert (rt.ARTICLE.changes(article) == {}) == reading
    assert rt.ARTICLE.unchanged(article) == reading
    assert (raw_extra(article) is UNREAD) == reading
    article.extra = {}  # never read, now empty: the keys go
    assert rt.ARTICLE.changes(article) is None
    assert not rt.ARTICLE.unchanged(article)
    assert equal_data(
        front(rt.dumps(article)), {k: v for k, v in front(text).items() if k in KNOWN}
    )


def test_an_edit_of_another_field_is_spliced_without_reading_extra(reading: bool) -> None:
    text = mixed(30)
    article, _ = lenient(text)
    article.heat = 5
    article.topics.append("new topic")
    written = rt.dumps(article)
    assert (raw_extra(article) is UNREAD) == reading
    expected = front(text)
    expected["heat"] = 5
    expected["topics"].append("new topic")
    assert equal_data(front(written), expected)
    other_lines(text, written, {"heat: 77"})


@pytest.mark.parametrize("edit", ["change", "add", "delete", "clear", "replace"])
def test_an_edit_of_extra_is_written(reading: bool, edit: str) -> None:
    text = mixed(30)
    article, _ = lenient(text)
    expected = front(text)
    if edit == "change":
        article.extra["k3"] = "three"
        expected["k3"] = "three"
    elif edit == "add":
        article.extra["added"] = [1, 2]
        expected["added"] = [1, 2]
    elif edit == "delete":
        del article.extra["k1"]
        del expected["k1"]
    elif edit == "clear":
        article.extra.clear()
        expected = {key: value for key, value in expected.items() if key in KNOWN}
    else:  # a new dict, the old one never read
        article.extra = {"only": True}
        expected = {key: value for key, value in expected.items() if key in KNOWN}
        expected["only"] = True
    written = rt.dumps(article)
    assert equal_data(front(written), expected)
    assert written.split("---\n", 2)[2] == text.split("---\n", 2)[2]  # the body
    if edit in ("change", "add", "delete"):  # lines the edit did not touch stay as they were
        other_lines(text, written, {"k3: 3", "k1: [a, 2, {b: c}]"})


def test_anchors_and_aliases_across_unread_keys(reading: bool) -> None:
    # An anchor in an unread key serves an alias in a known field, and the other way round.
    text = (
        with_unknown_keys(3)
        .replace("heat: 77\n", "", 1)
        .replace("k0: 0\n", "k0: &h 77\nheat: *h\n", 1)
        .replace("category: news\n", "category: &c news\n", 1)
        .replace("k2: 2\n", "k2: [*c, *h]\n", 1)
    )
    article, _ = lenient(text)
    assert article.heat == 77
    assert rt.dumps(article) == text
    assert equal_data(article.extra, unknown_of(text))
    article.extra["k2"].append("more")
    written = rt.dumps(article)
    expected = front(text)
    expected["k2"].append("more")
    assert equal_data(front(written), expected)


def test_a_duplicate_unknown_key_is_refused_at_its_line(reading: bool) -> None:
    text = with_unknown_keys(30).replace("k3: 3\n", "k3: 3\nk3: 4\n", 1)
    with pytest.raises(rt.ParseError) as caught:
        rt.loads(text, strict=False)
    error = caught.value
    assert "duplicate key 'k3'" in str(error)
    assert f"first at line {line_of(text, 'k3: 3')}" in str(error)
    assert (error.line, error.column) == (line_of(text, "k3: 4"), 1)


def test_a_record_written_to_a_file_keeps_its_keys_unread(reading: bool, tmp_path: Path) -> None:
    text = mixed(30)
    path = tmp_path / "record.md"
    path.write_text(text, encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        article = rt.load(path, strict=False)
    rt.dump(article, path)  # unedited
    assert path.read_text(encoding="utf-8") == text
    article.heat = 6
    rt.dump(article, path)
    assert (raw_extra(article) is UNREAD) == reading
    assert article.source.unread == (30 if reading else 0)
    article.quality = 1  # a second edit, from the text the first one wrote
    rt.dump(article, path)
    written = path.read_text(encoding="utf-8")
    expected = front(text)
    expected.update(heat=6, quality=1)
    assert equal_data(front(written), expected)
    assert equal_data(article.extra, unknown_of(text))
    assert rt.dumps(article) == written


def test_copies_and_pickles_carry_the_unknown_keys(reading: bool) -> None:
    text = mixed(30)
    for copied in (copy.copy, copy.deepcopy, lambda a: pickle.loads(pickle.dumps(a))):
        article, _ = lenient(text)
        other = copied(article)
        assert equal_data(other.extra, unknown_of(text))
        assert rt.dumps(other) == text
        other.heat = 1
        assert equal_data(front(rt.dumps(other)), {**front(text), "heat": 1})


def test_formatting_keeps_the_unknown_keys(reading: bool) -> None:
    text = mixed(30).replace('title: "', "title:   '", 1).replace('AI"\n', "AI'\n", 1)
    formatted = format_bytes(text.encode("utf-8"), "record.md", strict=False).decode("utf-8")
    assert formatted != text
    assert equal_data(front(formatted), front(text))


def test_verify_lenient_passes_without_reading_extra(
    reading: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(self: LazyExtra, record: Any) -> Any:
        raise AssertionError("extra was read")

    monkeypatch.setattr(LazyExtra, "read", refuse)
    text = mixed(30)
    result = verify_bytes("record.md", text.encode("utf-8"), Options(strict=False))
    assert result.ok and result.diff is None
    assert [(p.field, p.line, p.column, p.message) for p in result.warnings] == warned(text, 30)


def test_a_large_lenient_read_leaves_its_unknown_keys_unread_by_default() -> None:
    small = mixed(30)
    article, _ = lenient(small)
    assert raw_extra(article) is not UNREAD
    count = records.DROP_UNKNOWN_FROM // len("k1000: 1000\n") + 1
    large = mixed(count)
    article, problems = lenient(large)
    assert raw_extra(article) is UNREAD
    assert rt.dumps(article) == large
    assert len(problems) == 21
    assert len(article.extra) == count


def test_verify_lenient_on_a_large_file(tmp_path: Path) -> None:
    count = records.DROP_UNKNOWN_FROM // len("k1000: 1000\n") + 1
    text = mixed(count)
    path = tmp_path / "record.md"
    path.write_text(text, encoding="utf-8")
    done = subprocess.run(
        [*ROUNDTRIP, "verify", "--jobs", "1", "--no-cache", "--lenient", str(path)],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert f"ok   {path}" in lines
    assert [line for line in lines if line.startswith("warn ")] == [
        f"warn {path}:{line}:{column}: {field}: {message}"
        for field, line, column, message in warned(text, count)
    ]


def test_formatting_that_would_change_an_unknown_key_is_refused(
    reading: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Fault injection: a house style that loses an unknown key's value must be caught by the
    # comparison of the two texts' data, unread keys included.
    real = records.house_style_parts

    def losing(fmt: Any, data: dict[str, Any], body: str) -> tuple[str, ...]:
        return real(fmt, {**data, "k5": "lost"}, body)

    monkeypatch.setattr(records, "house_style_parts", losing)
    text = mixed(30).replace('title: "', "title:   '", 1).replace('AI"\n', "AI'\n", 1)
    with pytest.raises(rt.EmitError, match="formatting would change the record's data"):
        format_bytes(text.encode("utf-8"), "record.md", strict=False)
