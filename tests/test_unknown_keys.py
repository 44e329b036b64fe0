"""Records with many unknown keys: a capped list of them, named and placed (issue 11, item 5).

A mapping's first UNKNOWN_KEYS_NAMED unknown keys are reported one by one, then one entry
counts the rest, placed at the first key not named. The cost of a million such keys is
measured in bench/bench_hostile.py, not here.
"""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import roundtrip as rt
from roundtrip.formats import portable
from roundtrip.validator import UNKNOWN_KEYS_NAMED, Validator

from .conftest import GOLDEN, ROOT

ROUNDTRIP = [sys.executable, "-m", "roundtrip"]
SEED = (GOLDEN / "000_6bef1e912cfb9f3e.txt").read_text(encoding="utf-8")
UNKNOWN = "unknown field (not in the schema)"
NAMED = UNKNOWN_KEYS_NAMED


def with_unknown_keys(count: int, nested: int = 0) -> str:
    """The seed with `count` unknown top-level keys `k0`... after `heat:`, and `nested` ones
    `n0`... in `provider`."""
    keys = "".join(f"k{i}: {i}\n" for i in range(count))
    inner = "".join(f"  n{i}: {i}\n" for i in range(nested))
    assert "heat: 77\n" in SEED and "  domain: technologyreview.com\n" in SEED
    text = SEED.replace("heat: 77\n", "heat: 77\n" + keys, 1)
    return text.replace(
        "  domain: technologyreview.com\n", "  domain: technologyreview.com\n" + inner, 1
    )


def line_of(text: str, line: str) -> int:
    return text.splitlines().index(line) + 1


def more(count: int) -> str:
    return f"and {count:,} more unknown fields from here on (not in the schema)"


def expected_problems(text: str, count: int) -> list[tuple[str, int, int, str]]:
    """(field, line, column, message) of the capped report on `count` top-level unknown keys."""
    named = [(f"k{i}", line_of(text, f"k{i}: {i}"), 1, UNKNOWN) for i in range(min(count, NAMED))]
    if count > NAMED:
        named.append((f"k{NAMED}", line_of(text, f"k{NAMED}: {NAMED}"), 1, more(count - NAMED)))
    return named


# -- the validator ------------------------------------------------------------------------------

SCHEMA = {
    "type": "object",
    "properties": {
        "a": {"type": "integer"},
        "inner": {"type": "object", "properties": {"b": {}}, "additionalProperties": False},
        "open": {"type": "object", "additionalProperties": {"type": "integer"}},
    },
    "additionalProperties": False,
}


def test_unknown_keys_are_named_up_to_the_cap_then_counted_per_mapping() -> None:
    validator = Validator(portable(SCHEMA))
    data = {
        "a": 1,
        **{f"x{i}": i for i in range(NAMED + 7)},
        "inner": {"b": 1, **{f"y{i}": i for i in range(NAMED + 1)}},
    }
    found = [(v.path, v.message, v.unknown_key) for v in validator.validate(data)]
    assert sorted(found, key=repr) == sorted(
        [((f"x{i}",), UNKNOWN, True) for i in range(NAMED)]
        + [((f"x{NAMED}",), more(7), True)]
        + [(("inner", f"y{i}"), UNKNOWN, True) for i in range(NAMED)]
        + [(("inner", f"y{NAMED}"), more(1), True)],
        key=repr,
    )


def test_the_known_keys_come_from_the_schema_and_no_message_lists_every_key() -> None:
    validator = Validator(portable(SCHEMA))
    exactly = {f"x{i}": i for i in range(NAMED)}
    found = validator.validate({"a": 1, "inner": {"b": 2}, **exactly})
    assert [(v.path, v.message) for v in found] == [((key,), UNKNOWN) for key in exactly]
    # `additionalProperties` as a schema: other keys are allowed, their values judged.
    found = validator.validate({"open": {"z": "text", "w": 3}})
    assert [(v.path, v.unknown_key) for v in found] == [(("open", "z"), False)]
    many = validator.validate({f"key-{i}": i for i in range(1_000)})
    assert len(many) == NAMED + 1
    assert all("key-999" not in violation.message for violation in many)


# -- loading, strict and lenient ----------------------------------------------------------------


# (A strict load's capped list, each placed: test_a_strict_read_reports_the_same_whether_it_
# drops_keys_or_not, below, for both reads.)


def test_lenient_load_warns_the_capped_list_and_keeps_every_key() -> None:
    count = 2_000
    text = with_unknown_keys(count)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        article = rt.loads(text, strict=False)
    placed = [w.message.problem for w in caught if isinstance(w.message, rt.RoundtripWarning)]
    assert [(p.field, p.line, p.column, p.message) for p in placed] == expected_problems(
        text, count
    )
    assert article.extra == {f"k{i}": i for i in range(count)}


def test_few_unknown_keys_are_each_named_with_no_count() -> None:
    text = with_unknown_keys(NAMED)
    with pytest.raises(rt.SchemaError) as caught:
        rt.loads(text)
    found = [(p.field, p.line, p.column, p.message) for p in caught.value.problems]
    assert found == expected_problems(text, NAMED)
    assert all(p.message == UNKNOWN for p in caught.value.problems)


# -- the command line ---------------------------------------------------------------------------


def verify(path: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ROUNDTRIP, "verify", "--jobs", "1", "--no-cache", *options, str(path)],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )  # fmt: skip


def test_verify_shows_the_capped_list_in_human_output(tmp_path: Path) -> None:
    count = 500
    text = with_unknown_keys(count)
    path = tmp_path / "record.txt"
    path.write_text(text, encoding="utf-8")
    expected = [
        f"{path}:{line}:{column}: {field}: {message}"
        for field, line, column, message in expected_problems(text, count)
    ]
    lenient = verify(path, "--lenient")
    assert lenient.returncode == 0, lenient.stdout + lenient.stderr
    lines = lenient.stdout.splitlines()
    assert [line for line in lines if line.startswith("warn ")] == [
        f"warn {line}" for line in expected
    ]
    assert f"ok   {path}" in lines
    strict = verify(path)
    assert strict.returncode == 1
    failed = [line for line in strict.stdout.splitlines() if line.startswith("FAIL ")]
    assert failed == [f"FAIL {line}" for line in expected], strict.stdout


def test_verify_shows_the_capped_list_in_json_output(tmp_path: Path) -> None:
    count = 500
    text = with_unknown_keys(count)
    path = tmp_path / "record.txt"
    path.write_text(text, encoding="utf-8")
    expected = [
        {"line": line, "column": column, "field": field, "message": message}
        for field, line, column, message in expected_problems(text, count)
    ]
    lenient = verify(path, "--lenient", "--format", "json")
    assert lenient.returncode == 0, lenient.stdout + lenient.stderr
    (result,) = json.loads(lenient.stdout)["files"]
    assert result["ok"] is True
    assert result["warnings"] == expected
    strict = verify(path, "--format", "json")
    assert strict.returncode == 1
    (result,) = json.loads(strict.stdout)["files"]
    assert result["ok"] is False
    assert result["errors"] == expected


# -- a strict read keeps no unknown top-level key (parse_known) ---------------------------------
# Only a large text is read so (records.DROP_UNKNOWN_FROM): these tests lower the threshold so
# that a small one is too, and the first runs both reads to require the same report.


@pytest.fixture
def dropping(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every strict read in the test drops unknown top-level keys, as a large text's does."""
    from roundtrip import parse, records

    calls: list[int] = []
    real = parse.parse_known

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(records, "DROP_UNKNOWN_FROM", 0)
    monkeypatch.setattr(records, "parse_known", counted)
    yield
    assert calls, "the test made no read that drops keys"


@pytest.mark.parametrize("drop", [True, False], ids=["dropping", "plain"])
def test_a_strict_read_reports_the_same_whether_it_drops_keys_or_not(
    drop: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from roundtrip import records

    monkeypatch.setattr(records, "DROP_UNKNOWN_FROM", 0 if drop else 1 << 40)
    spied: list[int] = []
    real = records.parse_known
    monkeypatch.setattr(records, "parse_known", lambda *a, **k: spied.append(1) or real(*a, **k))
    count = NAMED + 30
    text = with_unknown_keys(count, nested=NAMED + 2)
    with pytest.raises(rt.SchemaError) as caught:
        rt.loads(text)
    found = [(p.field, p.line, p.column, p.message) for p in caught.value.problems]
    nested = [
        (f"provider.n{i}", line_of(text, f"  n{i}: {i}"), 3, UNKNOWN) for i in range(NAMED)
    ] + [(f"provider.n{NAMED}", line_of(text, f"  n{NAMED}: {NAMED}"), 3, more(2))]
    assert sorted(found) == sorted(expected_problems(text, count) + nested)
    assert bool(spied) == drop
    assert rt.loads(SEED).title  # a valid record reads either way


def test_a_large_strict_read_drops_unknown_keys_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    from roundtrip import records

    spied: list[int] = []
    real = records.parse_known
    monkeypatch.setattr(records, "parse_known", lambda *a, **k: spied.append(1) or real(*a, **k))
    rt.loads(SEED)
    assert not spied  # a seed is far below the threshold
    count = records.DROP_UNKNOWN_FROM // len("k1000: 1000\n") + 1
    with pytest.raises(rt.SchemaError) as caught:
        rt.loads(with_unknown_keys(count))
    assert spied
    assert caught.value.problems[-1].message == more(count - NAMED)


def test_strict_read_refuses_a_duplicate_unknown_key_at_its_line(dropping: None) -> None:
    text = with_unknown_keys(NAMED + 5).replace("k3: 3\n", "k3: 3\nk3: 4\n", 1)
    with pytest.raises(rt.ParseError) as caught:
        rt.loads(text)
    error = caught.value
    assert "duplicate key 'k3'" in str(error)
    assert f"first at line {line_of(text, 'k3: 3')}" in str(error)
    assert (error.line, error.column) == (line_of(text, "k3: 4"), 1)


def test_strict_read_reports_other_problems_beside_the_dropped_keys(dropping: None) -> None:
    count = NAMED + 3
    text = with_unknown_keys(count).replace("heat: 77\n", "heat: high\n", 1)
    with pytest.raises(rt.SchemaError) as caught:
        rt.loads(text)
    found = [(p.field, p.line, p.column, p.message) for p in caught.value.problems]
    heat = ("heat", line_of(text, "heat: high"), 7, 'expected an integer, got string "high"')
    assert found == [heat, *expected_problems(text, count)]


def test_a_value_in_a_dropped_key_is_still_read_and_checked(dropping: None) -> None:
    # The value of an unknown key is dropped only after it was read: its errors still count,
    # and an anchor in it still serves an alias in a known field.
    text = with_unknown_keys(2).replace("k1: 1\n", "k1: [1, 99999999999999999999999e99999]\n")
    with pytest.raises(rt.RoundtripError) as caught:
        rt.loads(text)
    assert not isinstance(caught.value, rt.SchemaError)
    assert caught.value.line == line_of(text, "k1: [1, 99999999999999999999999e99999]")
    anchored = (
        with_unknown_keys(1)
        .replace("k0: 0\n", "k0: &h 77\n")
        .replace("heat: 77\n", "heat: *h\n", 1)
    )
    anchored = anchored.replace("heat: *h\nk0: &h 77\n", "k0: &h 77\nheat: *h\n")
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        assert rt.loads(anchored, strict=False).heat == 77
    with pytest.raises(rt.SchemaError) as refused:
        rt.loads(anchored)
    assert [p.field for p in refused.value.problems] == ["k0"]


def test_two_dropped_keys_whose_hashes_meet_are_read_again_in_full(
    monkeypatch: pytest.MonkeyPatch, dropping: None
) -> None:
    """Equal hashes are no proof of equal keys: the read that follows must find no duplicate
    and report the unknown keys as ever (a coincidence forced here: 64-bit ones are rare)."""
    from roundtrip.builders import DroppingRoot

    monkeypatch.setattr(DroppingRoot, "duplicated", lambda self: True)
    count = NAMED + 4
    text = with_unknown_keys(count)
    with pytest.raises(rt.SchemaError) as caught:
        rt.loads(text)
    found = [(p.field, p.line, p.column, p.message) for p in caught.value.problems]
    assert found == expected_problems(text, count)


def test_a_strict_read_that_libyaml_refuses_is_read_afresh_by_the_pure_parser(
    dropping: None,
) -> None:
    # `[AI:ML]` is YAML 1.2 that libyaml refuses after the keys before it were read: the pure
    # parser's read must keep and drop each key once, and report what the schema check would.
    text = with_unknown_keys(2).replace("k1: 1\n", "k1: [AI:ML]\n", 1)
    with pytest.raises(rt.SchemaError) as caught:
        rt.loads(text)
    found = [(p.field, p.line, p.message) for p in caught.value.problems]
    assert found == [
        ("k0", line_of(text, "k0: 0"), UNKNOWN),
        ("k1", line_of(text, "k1: [AI:ML]"), UNKNOWN),
    ]
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        assert rt.loads(text, strict=False).extra == {"k0": 0, "k1": ["AI:ML"]}
