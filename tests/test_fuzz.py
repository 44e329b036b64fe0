"""Mutation fuzzing of the golden records with hypothesis.

Each example takes a golden file and applies a few mutations — byte flips, truncations,
insertions of random bytes or of YAML-significant text, duplicated, deleted or swapped lines,
a value replaced — and requires that the result either raises RoundtripError (placed inside
the file, when placed) or loads and writes back byte for byte. A record that loads must also
take a one-field edit without any other data changing. The coverage-guided counterpart is
tests/fuzz/atheris_roundtrip.py.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import roundtrip as rt

from .conftest import GOLDEN

FILES = sorted(p for p in GOLDEN.glob("*.txt"))

# Text that means something to YAML, to the envelope or to UTF-8.
SIGNIFICANT = [
    b":", b": ", b"- ", b"-", b"#", b" #", b"&a ", b"*a", b"&b ", b"*b", b"!!str ", b"!!int ",
    b"!x ", b"!!python/object/apply:os.system ", b"'", b'"', b"''", b'\\"', b"\\", b"\\x",
    b"\\u", b"|", b"|-", b"|+", b">", b"{", b"}", b"[", b"]", b",", b"?", b"? ", b"%", b"@",
    b"`", b"\t", b"\r", b"\n", b"\r\n", b" ", b"  ", b"---", b"---\n", b"...", b"... ",
    b"\xef\xbb\xbf", b"\x00", b"\xff", b"\xc3", b"\xe2\x80\xa8", b"\xc2\x85", b"~", b"null",
    b"true", b"True", b"yes", b"0x1F", b"0o17", b"1e3", b"1_000", b".inf", b".nan", b"<<: ",
    b"2023-02-30T00:00:00Z", b"2023-10-19 09:00:00+02:00", b"\xf0\x9f\x98\x80",
]  # fmt: skip
VALUES = [
    b"", b"~", b"null", b"true", b"'true'", b"57", b"57.0", b"-1", b"0x39", b"[]", b"{}",
    b"[a, b]", b"{a: 1}", b'""', b"''", b"|\n  text", b">-\n  folded\n  text", b"*a", b"&a 1",
    b"2023-10-19T09:00:00Z", b"2023-10-19", b'"2023-10-19T09:00:00+14:00"', b"!!str 57",
    b"\"\\u00e9\\t\"", b"'it''s'",
]  # fmt: skip

Mutation = Callable[[st.DrawFn, bytes], bytes]


@functools.cache
def original(path: Path) -> bytes:
    return path.read_bytes()


def _position(draw: st.DrawFn, data: bytes) -> int:
    return draw(st.integers(0, len(data)))


def flip(draw: st.DrawFn, data: bytes) -> bytes:
    if not data:
        return data
    pos = draw(st.integers(0, len(data) - 1))
    return data[:pos] + bytes([data[pos] ^ draw(st.integers(1, 255))]) + data[pos + 1 :]


def truncate(draw: st.DrawFn, data: bytes) -> bytes:
    return data[: _position(draw, data)]


def insert_random(draw: st.DrawFn, data: bytes) -> bytes:
    pos = _position(draw, data)
    return data[:pos] + draw(st.binary(min_size=1, max_size=8)) + data[pos:]


def insert_significant(draw: st.DrawFn, data: bytes) -> bytes:
    pos = _position(draw, data)
    return data[:pos] + draw(st.sampled_from(SIGNIFICANT)) + data[pos:]


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True) or [b""]


def duplicate_line(draw: st.DrawFn, data: bytes) -> bytes:
    lines = _lines(data)
    index = draw(st.integers(0, len(lines) - 1))
    lines.insert(index, lines[index])
    return b"".join(lines)


def delete_line(draw: st.DrawFn, data: bytes) -> bytes:
    lines = _lines(data)
    del lines[draw(st.integers(0, len(lines) - 1))]
    return b"".join(lines)


def swap_lines(draw: st.DrawFn, data: bytes) -> bytes:
    lines = _lines(data)
    i = draw(st.integers(0, len(lines) - 1))
    j = draw(st.integers(0, len(lines) - 1))
    lines[i], lines[j] = lines[j], lines[i]
    return b"".join(lines)


def replace_value(draw: st.DrawFn, data: bytes) -> bytes:
    """The text after the `: ` of one `key: value` line, replaced by another YAML value."""
    lines = _lines(data)
    candidates = [i for i, line in enumerate(lines) if b": " in line]
    if not candidates:
        return data
    index = draw(st.sampled_from(candidates))
    line = lines[index]
    head = line[: line.index(b": ") + 2]
    ending = b"\r\n" if line.endswith(b"\r\n") else b"\n" if line.endswith(b"\n") else b""
    lines[index] = head + draw(st.sampled_from(VALUES)) + ending
    return b"".join(lines)


MUTATIONS: list[Mutation] = [
    flip, truncate, insert_random, insert_significant, duplicate_line, delete_line, swap_lines,
    replace_value,
]  # fmt: skip


@st.composite
def mutated_records(draw: st.DrawFn) -> bytes:
    data = original(draw(st.sampled_from(FILES)))
    for mutation in draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=4)):
        data = mutation(draw, data)
    return data


EXAMPLES = max(300, 4 * settings.default.max_examples)
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def load(data: bytes, strict: bool) -> rt.Article | None:
    """The record, or None after checking that the error it raised is placed in the file."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", rt.RoundtripWarning)
            return rt.loads(data, strict=strict)
    except rt.RoundtripError as error:
        lines = data.count(b"\n") + 1
        for problem in error.problems:
            if problem.line is not None:
                assert 1 <= problem.line <= lines, f"{error} (the file has {lines} lines)"
            if problem.column is not None:
                assert problem.column >= 1, str(error)
        return None


@FUZZ
@given(mutated_records())
def test_mutated_record_raises_or_round_trips(data: bytes) -> None:
    for strict in (True, False):
        article = load(data, strict)
        if article is not None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", rt.RoundtripWarning)
                assert rt.dumps(article).encode("utf-8") == data


@FUZZ
@given(mutated_records(), st.integers(-(10**6), 10**6))
def test_mutated_record_that_loads_takes_an_edit(data: bytes, heat: int) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rt.RoundtripWarning)
        article = load(data, strict=False)
        if article is None:
            return
        expected = rt.to_dict(article)
        expected["heat"] = article.heat = heat
        try:
            text = rt.dumps(article)
        except rt.RoundtripError:
            return  # refusing to write is allowed; writing something else is not
        again = rt.loads(text, strict=False)
    assert rt.to_dict(again) == expected
    assert again.body == article.body


@FUZZ
@given(st.sampled_from(FILES), st.data())
def test_truncated_golden_file_raises_or_round_trips(path: Path, data: st.DataObject) -> None:
    whole = original(path)
    cut = data.draw(st.integers(0, len(whole)))
    for strict in (True, False):
        article = load(whole[:cut], strict)
        if article is not None:
            assert rt.dumps(article).encode("utf-8") == whole[:cut]
