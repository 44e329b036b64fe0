"""Broken and hostile input: clear errors, bounded cost, nothing lost.

Every bad record must fail with a RoundtripError subclass that says what is wrong and, where
the text has a place for it, where (1-based line and column in the file, and the field).
Nothing but a RoundtripError may escape `loads`, `load`, `dumps` or `dump`. Hostile input
(tags naming code, alias bombs, deep nesting, huge files) must be refused without running
anything and within bounded time and memory. `roundtrip verify` reports each problem as one
`FAIL path:line:col: field: message` line and never prints a traceback.
"""

from __future__ import annotations

import gzip
import json
import pickle
import random
import re
import subprocess
import sys
import textwrap
import tracemalloc
import warnings
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

import roundtrip as rt
from roundtrip.cli import main

from .conftest import GOLDEN, ROOT, SEEDS

SEED_PATH = GOLDEN / "000_6bef1e912cfb9f3e.txt"
SEED_BYTES = SEED_PATH.read_bytes()
SEED = SEED_BYTES.decode("utf-8")
SECURED = re.search(r'secured: "([^"]*)"', SEED).group(1)  # type: ignore[union-attr]
TITLE_LINE = 'title: "How Meta and AI companies recruited striking actors to train AI"\n'
ROUNDTRIP = [sys.executable, "-m", "roundtrip"]
MiB = 1024 * 1024


def at(text: str | bytes, needle: str | bytes, occurrence: int = 1) -> tuple[int, int]:
    """1-based (line, column) of the `occurrence`-th `needle` in `text`."""
    pos = -1
    for _ in range(occurrence):
        pos = text.find(needle, pos + 1)  # type: ignore[arg-type]
        assert pos >= 0, f"{needle!r} not in the text"
    newline = "\n" if isinstance(text, str) else b"\n"
    line_start = text.rfind(newline, 0, pos) + 1  # type: ignore[arg-type]
    return text.count(newline, 0, pos) + 1, pos - line_start + 1  # type: ignore[arg-type]


def replaced(old: str, new: str, text: str = SEED) -> str:
    assert old in text, f"{old!r} is not in the seed"
    return text.replace(old, new, 1)


def insert_after_heat(lines: str) -> str:
    return replaced("heat: 77\n", "heat: 77\n" + lines)


# -- the cases ------------------------------------------------------------------------------


@attrs.frozen
class Case:
    """A bad record and what the error about it must say."""

    name: str
    data: bytes
    error: type[rt.RoundtripError]
    line: int | None
    column: int | None
    field: str | None = None
    says: tuple[str, ...] = ()  # each must appear in the message (case-insensitive)
    problems: int | None = None  # how many problems, when it is more than one


def case(
    name: str, text: str | bytes, error: type[rt.RoundtripError], where: tuple[int, int] | None,
    field: str | None = None, *says: str, problems: int | None = None,
) -> Case:  # fmt: skip
    data = text.encode("utf-8") if isinstance(text, str) else text
    line, column = where if where is not None else (None, None)
    return Case(name, data, error, line, column, field, says, problems)


def _lol(levels: int, width: int = 10) -> str:
    lines = ["a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for level in range(1, levels):
        refs = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


_UNCLOSED_END = replaced(SECURED + '"', SECURED)
_UNCLOSED_TITLE = replaced(TITLE_LINE, TITLE_LINE.replace('AI"', "AI"))
_TAB = replaced("  name: MIT", "\tname: MIT")
_DUP = insert_after_heat("heat: 78\n")
_DUP_NESTED = replaced(
    "  domain: technologyreview.com\n", "  domain: technologyreview.com\n  name: x\n"
)
_INT_KEY = insert_after_heat("1: x\n")
_COMPLEX_KEY = insert_after_heat("? [a]\n: x\n")
_NULL_KEY = insert_after_heat("~: x\n")
_PY_TAG = replaced("heat: 77\n", 'heat: !!python/object/apply:os.system ["touch /tmp/pwned"]\n')
_DEEP_BLOCK = "---\n" + "".join(" " * i + f"k{i}:\n" for i in range(3000)) + "---\n"
_NON_UTF8 = SEED_BYTES.replace(b"category: news", b"category: n\xffws", 1)
_NUL = SEED_BYTES.replace(b"category: news", b"category: n\x00ws", 1)
_SET = replaced("topics:\n  - AI\n", "topics: !!set {AI}\n")
_TWO_DOCS = replaced("---\ncategory", "---\na: 1\n...\n--- |\n  x\ncategory")
_NO_CLOSE = SEED.replace("\n---\n", "\n")
_DATE_AT = at(SEED, "2023-10-19T09:00:00Z")
_SECURED_AT = at(SEED, '"' + SECURED)

CASES = [
    # The envelope.
    case("missing_opening_fence", SEED[4:], rt.EnvelopeError, (1, 1), None, "opening fence", "---"),
    case("blank_line_before_fence", "\n" + SEED, rt.EnvelopeError, (1, 1), None, "opening fence"),
    case("missing_closing_fence", _NO_CLOSE, rt.EnvelopeError, (_NO_CLOSE.count("\n"), 1), None,
         "closing fence"),
    case("only_opening_fence", "---\n", rt.EnvelopeError, (1, 1), None, "closing fence"),
    case("empty_file", b"", rt.EnvelopeError, (1, 1), None, "empty"),
    case("fences_with_nothing_between", "---\n---\n", rt.ParseError, (2, 1), None, "empty"),
    case("fences_with_a_comment_between", "---\n# nothing\n---\nbody\n", rt.ParseError, (2, 1),
         None, "empty"),
    # YAML syntax.
    case("unclosed_quote_at_end", _UNCLOSED_END, rt.ParseError, _SECURED_AT, None, "quote"),
    case("unclosed_quote_in_title", _UNCLOSED_TITLE, rt.ParseError, at(SEED, '"How Meta'), None,
         "quote"),
    case("tab_as_indentation", _TAB, rt.ParseError, at(_TAB, "\tname"), None, "tab"),
    case("unclosed_flow_sequence", replaced("topics:\n  - AI\n", "topics: [AI\n"), rt.ParseError,
         None, None, "flow sequence"),
    case("duplicate_key", _DUP, rt.ParseError, at(_DUP, "heat", 2), None, "duplicate", "heat"),
    case("duplicate_nested_key", _DUP_NESTED, rt.ParseError, at(_DUP_NESTED, "name: x"), None,
         "duplicate", "name"),
    case("integer_key", _INT_KEY, rt.ParseError, at(_INT_KEY, "1: x"), None, "key", "string"),
    case("complex_key", _COMPLEX_KEY, rt.ParseError, at(_COMPLEX_KEY, "[a]"), None, "key",
         "string"),
    case("null_key", _NULL_KEY, rt.ParseError, at(_NULL_KEY, "~: x"), None, "key", "string"),
    case("undefined_alias", replaced("heat: 77", "heat: *nope"), rt.ParseError, (12, 7), None,
         "*nope", "anchor"),
    case("two_documents", _TWO_DOCS, rt.ParseError, at(_TWO_DOCS, "--- |"), None, "document"),
    # Tags that would run code elsewhere, and tags records do not use.
    case("python_apply_tag", _PY_TAG, rt.ParseError, at(_PY_TAG, "!!python"), None,
         "unsupported tag", "python/object/apply:os.system"),
    case("python_name_tag_on_root", replaced("---\ncategory", "---\n!!python/object:os.system\n"
         "category"), rt.ParseError, (2, 1), None, "unsupported tag", "python/object:os.system"),
    case("ruby_tag", replaced("category: news", "category: !ruby/object:Gem::Installer news"),
         rt.ParseError, (2, 11), None, "unsupported tag", "ruby/object"),
    case("js_function_tag", replaced("category: news", "category: !!js/function 'f()'"),
         rt.ParseError, (2, 11), None, "unsupported tag", "js/function"),
    case("verbatim_tag", replaced("category: news", "category: !<tag:x,2000:eval> news"),
         rt.ParseError, (2, 11), None, "unsupported tag"),
    case("binary_tag", replaced("category: news", "category: !!binary aGVsbG8="), rt.ParseError,
         (2, 11), None, "unsupported tag", "binary"),
    case("set_tag", _SET, rt.ParseError, at(_SET, "!!set"), None, "unsupported tag", "set"),
    case("int_tag_on_text", replaced("heat: 77", 'heat: !!int "77"'), rt.ParseError, (12, 7),
         None, "!!int"),
    # Bounds.
    case("alias_bomb", "---\n" + _lol(9) + "---\n", rt.LimitError, None, None, "alias"),
    case("alias_bomb_in_record", insert_after_heat(_lol(9)), rt.LimitError, None, None, "alias"),
    case("deep_flow_sequences", "---\nx: " + "[" * 5000 + "]" * 5000 + "\n---\n", rt.LimitError,
         (2, 3 + 64), None, "nesting", "64"),
    case("deep_flow_mappings", "---\nx: " + "{a: " * 5000 + "1" + "}" * 5000 + "\n---\n",
         rt.LimitError, (2, 4 + 63 * 4), None, "nesting"),
    case("deep_block_mappings", _DEEP_BLOCK, rt.LimitError, (66, 65), None, "nesting"),
    case("deep_block_sequences", "---\nx:\n" + "- " * 3000 + "a\n---\n", rt.LimitError,
         (3, 1 + 63 * 2), None, "nesting"),
    # Bytes that are not text.
    case("not_utf8", _NON_UTF8, rt.EnvelopeError, at(_NON_UTF8, b"\xff"), None, "UTF-8", "0xff"),
    case("not_utf8_in_body", SEED_BYTES + b"caf\xe9 au lait\n", rt.EnvelopeError,
         (SEED.count("\n") + 1, 4), None, "UTF-8", "0xe9"),
    case("not_utf8_first_byte", b"\xfe---\n", rt.EnvelopeError, (1, 1), None, "UTF-8"),
    case("utf16_file", SEED.encode("utf-16"), rt.EnvelopeError, (1, 1), None, "UTF-8"),
    case("utf8_encoded_surrogate", SEED_BYTES.replace(b"news", b"n\xed\xa0\x80s", 1),
         rt.EnvelopeError, (2, 12), None, "UTF-8"),
    case("cut_inside_a_character", SEED_BYTES + "café".encode()[:-1], rt.EnvelopeError,
         (SEED.count("\n") + 1, 4), None, "UTF-8"),
    case("nul_byte", _NUL, rt.EnvelopeError, at(_NUL, b"\x00"), None, "NUL"),
    case("nul_byte_in_body", SEED_BYTES + b"ab\x00c\n", rt.EnvelopeError,
         (SEED.count("\n") + 1, 3), None, "NUL"),
    case("binary_bytes", bytes(range(256)) * 4, rt.EnvelopeError, None, None),
    case("gzip_of_a_record", gzip.compress(SEED_BYTES, mtime=0), rt.EnvelopeError, None, None),
    case("control_character_in_yaml", replaced("category: news", "category: n\x07ws"),
         rt.ParseError, (2, 12), None),
    # The root.
    case("root_is_a_list", "---\n- a\n- b\n---\n", rt.ParseError, (2, 1), None, "mapping"),
    case("root_is_a_flow_list", "---\n[a, b]\n---\n", rt.ParseError, (2, 1), None, "mapping"),
    case("root_is_a_scalar", "---\nhello\n---\n", rt.ParseError, (2, 1), None, "mapping"),
    case("root_is_a_number", "---\n42\n---\nbody\n", rt.ParseError, (2, 1), None, "mapping"),
    # The schema.
    case("quality_is_a_string", replaced("quality: 57", 'quality: "57"'), rt.SchemaError,
         (11, 10), "quality", "integer", '"57"'),
    case("quality_is_a_word", replaced("quality: 57", "quality: high"), rt.SchemaError,
         (11, 10), "quality", "integer", "high"),
    case("quality_is_nan", replaced("quality: 57", "quality: .nan"), rt.SchemaError,
         (11, 10), "quality", "integer"),
    case("heat_is_a_boolean", replaced("heat: 77", "heat: true"), rt.SchemaError, (12, 7),
         "heat", "integer", "true"),
    case("published_is_a_string", replaced("published: true", 'published: "true"'),
         rt.SchemaError, (13, 12), "published", "boolean", '"true"'),
    case("width_has_a_fraction", replaced("width: 3000", "width: 3000.5"), rt.SchemaError,
         (24, 12), "images.0.width", "integer", "3000.5"),
    case("width_is_negative", replaced("width: 3000", "width: -1"), rt.SchemaError, (24, 12),
         "images.0.width", "minimum"),
    case("topics_is_a_string", replaced("topics:\n  - AI\n", "topics: AI\n"), rt.SchemaError,
         (19, 9), "topics", "array"),
    case("missing_title", replaced(TITLE_LINE, ""), rt.SchemaError, (2, 1), "title", "required",
         "missing"),
    case("missing_two_fields", replaced("type: article\nquality", "quality",
         replaced("category: news\n", "")), rt.SchemaError, (2, 1), None, "required",
         problems=2),
    case("missing_nested_field", replaced("  name: MIT Technology Review\n", ""), rt.SchemaError,
         (16, 3), "provider.name", "required"),
    case("title_is_null", replaced(TITLE_LINE, "title: null\n"), rt.SchemaError, (3, 8), "title",
         "string", "null"),
    case("title_is_empty", replaced(TITLE_LINE, "title:\n"), rt.SchemaError, (3, 7), "title",
         "string", "null"),
    case("provider_is_null", replaced("provider:\n  name: MIT Technology Review\n  domain: "
         "technologyreview.com\n", "provider: ~\n"), rt.SchemaError, (15, 11), "provider",
         "object"),
    case("unknown_key", insert_after_heat("foo: bar\n"), rt.SchemaError, (13, 1), "foo",
         "unknown"),
    case("unknown_nested_key", replaced("  domain: technologyreview.com\n",
         "  domain: technologyreview.com\n  foo: bar\n"), rt.SchemaError, (18, 3), "provider.foo",
         "unknown"),
    case("merge_key", insert_after_heat("<<: {foo: 1}\n"), rt.SchemaError, (13, 1), "<<",
         "unknown"),
    case("impossible_date", replaced("2023-10-19T09:00:00Z", "2023-02-30T09:00:00Z"),
         rt.SchemaError, _DATE_AT, "publishedDateTime", "2023-02-30T09:00:00Z"),
    case("hour_25", replaced("2023-10-19T09:00:00Z", "2023-10-19T25:00:00Z"), rt.SchemaError,
         _DATE_AT, "publishedDateTime", "2023-10-19T25:00:00Z"),
    case("leap_second", replaced("2023-10-19T09:00:00Z", "2016-12-31T23:59:60Z"), rt.SchemaError,
         _DATE_AT, "publishedDateTime"),
    case("date_without_offset", replaced("2023-10-19T09:00:00Z", "2023-10-19T09:00:00"),
         rt.SchemaError, _DATE_AT, "publishedDateTime", "offset"),
    case("date_only", replaced("2023-10-19T09:00:00Z", "2023-10-19"), rt.SchemaError, _DATE_AT,
         "publishedDateTime", "2023-10-19"),
    case("offset_out_of_range", replaced("2023-10-19T09:00:00Z", "2023-10-19T09:00:00+24:00"),
         rt.SchemaError, _DATE_AT, "publishedDateTime"),
    case("related_impossible_date", replaced("2023-10-20T13:15:00Z", "2023-13-20T13:15:00Z"),
         rt.SchemaError, at(SEED, "2023-10-20T13:15:00Z"), "related.0.publishedDateTime"),
    case("secured_too_short", replaced(SECURED, SECURED[4:]),
         rt.SchemaError, _SECURED_AT, "secured", "secured"),
    case("secured_without_semicolon", replaced(SECURED, SECURED.replace(";", "A")),
         rt.SchemaError, _SECURED_AT, "secured", "secured"),
    case("secured_bad_character", replaced(SECURED, "!" + SECURED[1:]), rt.SchemaError,
         _SECURED_AT, "secured", "secured"),
    case("secured_is_a_number", replaced('"' + SECURED + '"', "12"), rt.SchemaError,
         _SECURED_AT, "secured", "string"),
    case("secured_is_empty", replaced('"' + SECURED + '"', '""'), rt.SchemaError, _SECURED_AT,
         "secured"),
]  # fmt: skip
CASE_IDS = [c.name for c in CASES]
BY_NAME = {c.name: c for c in CASES}


def load_error(data: bytes | str, **options: Any) -> rt.RoundtripError:
    """The RoundtripError `loads` raises; any other exception fails the test as it is."""
    with pytest.raises(rt.RoundtripError) as caught:
        rt.loads(data, **options)
    return caught.value


def assert_says(message: str, *needles: str) -> None:
    for needle in needles:
        assert needle.lower() in message.lower(), f"{needle!r} not in the message {message!r}"


@pytest.mark.parametrize("bad", CASES, ids=CASE_IDS)
def test_bad_record_raises_a_clear_error(bad: Case) -> None:
    error = load_error(bad.data)
    assert type(error) is bad.error, f"{type(error).__name__}: {error}"
    assert_says(error.message, *bad.says)
    assert error.line is not None and error.column is not None, f"no place given: {error}"
    if bad.line is not None:
        assert (error.line, error.column) == (bad.line, bad.column), str(error)
    if bad.field is not None:
        assert error.field == bad.field, str(error)
    assert error.problems, "an error carries at least one problem"
    first = error.problems[0]
    assert (first.message, first.line, first.column, first.field) == (
        error.message, error.line, error.column, error.field,
    )  # fmt: skip
    if bad.problems is not None:
        assert len(error.problems) == bad.problems, str(error)
    descriptions = [problem.describe() for problem in error.problems]
    assert len(set(descriptions)) == len(descriptions), f"problems repeated:\n{error}"
    if error.line is not None:
        assert str(error).startswith(f"{error.line}:{error.column}: ")


@pytest.mark.parametrize("bad", CASES, ids=CASE_IDS)
def test_bad_file_error_names_the_file(bad: Case, tmp_path: Path) -> None:
    path = tmp_path / f"{bad.name}.txt"
    path.write_bytes(bad.data)
    with pytest.raises(rt.RoundtripError) as caught:
        rt.load(path)
    error, same = caught.value, load_error(bad.data)
    assert type(error) is bad.error
    assert error.path == str(path)
    assert (error.line, error.column, error.field) == (same.line, same.column, same.field)
    assert str(error).startswith(str(path) + ":")


# Words a person should not have to read in an error about their record.
JARGON = ("NoneType", "a int", "null null", "internal error", "Traceback", "set_int_max_str")


@pytest.mark.parametrize("bad", CASES, ids=CASE_IDS)
def test_messages_speak_of_the_record_not_of_python(bad: Case) -> None:
    message = str(load_error(bad.data))
    for word in JARGON:
        assert word not in message, f"{word!r} in {message!r}"


# -- nothing but RoundtripError escapes -------------------------------------------------------

# Inputs that may load (a valid record must then round-trip) but must never crash.
HUGE_DIGITS = "9" * 5000
EITHER = {
    "huge_decimal_integer": replaced("quality: 57", "quality: " + HUGE_DIGITS),
    "huge_decimal_integer_in_unknown_key": insert_after_heat("x: " + HUGE_DIGITS + "\n"),
    "huge_negative_integer_key": insert_after_heat("-" + HUGE_DIGITS + ": 1\n"),
    "huge_hex_integer": replaced("quality: 57", "quality: 0x" + "f" * 5000),
    "huge_float": replaced("quality: 57", "quality: 1" + "0" * 5000 + ".5"),
    "float_overflow": replaced("width: 3000", "width: 1e400"),
    "lone_surrogate_escape": replaced("category: news", 'category: "\\ud800"'),
    "bom_inside": replaced("heat: 77", "heat: \ufeff77"),
    "two_boms": "\ufeff\ufeff" + SEED,
    "bare_cr_line_endings": SEED.replace("\n", "\r"),
    "mixed_line_endings": replaced("heat: 77\n", "heat: 77\r\n"),
    "nel_and_line_separator": replaced("category: news", "category: a\x85b\u2028c"),
    "fence_with_trailing_text": replaced("---\ncategory", "--- x\ncategory"),
    "closing_fence_indented": replaced("\n---\n", "\n ---\n"),
    "three_dashes_in_a_scalar": replaced("category: news", "category: |\n  ---"),
    "directive_before_fence": "%YAML 1.2\n" + SEED,
    "directive_inside": replaced("---\ncategory", "---\n%YAML 1.2\n---\ncategory"),
    "anchor_on_root": replaced("---\ncategory", "---\n&r\ncategory"),
    "alias_to_root_inside": insert_after_heat("self: *r\n").replace("---\ncategory",
                                                                    "---\n&r\ncategory", 1),
    "lenient_unknown_with_aliases": insert_after_heat("x: &x [1, 2]\ny: *x\n"),
    "very_long_line": replaced("category: news", "category: " + "n" * 200_000),
    "many_keys": insert_after_heat("".join(f"k{i}: {i}\n" for i in range(1000))),
}  # fmt: skip
EITHER_BYTES = {name: text.encode("utf-8") for name, text in EITHER.items()}
EVERYTHING = {**{c.name: c.data for c in CASES}, **EITHER_BYTES}


def load_or_refuse(load: Callable[[], rt.Article], data: bytes) -> rt.Article | None:
    """Call `load`: a RoundtripError is fine; a record that loads must round-trip exactly."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", rt.RoundtripWarning)
            article = load()
    except rt.RoundtripError:
        return None
    assert rt.dumps(article).encode("utf-8") == data, "loaded, but did not round-trip"
    return article


@pytest.mark.parametrize("name", list(EVERYTHING), ids=list(EVERYTHING))
def test_only_roundtrip_errors_escape(name: str, tmp_path: Path) -> None:
    data = EVERYTHING[name]
    path = tmp_path / "record.txt"
    path.write_bytes(data)
    for strict in (True, False):
        article = load_or_refuse(lambda s=strict: rt.loads(data, strict=s), data)
        load_or_refuse(lambda s=strict: rt.load(path, strict=s), data)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            load_or_refuse(lambda s=strict, t=text: rt.loads(t, strict=s), data)
        if article is None:
            continue
        # The record loads: writing it back, afresh and after an edit, must not crash either.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", rt.RoundtripWarning)
            rt.dump(article, path)
            assert path.read_bytes() == data
            try:
                fresh = rt.from_dict(rt.to_dict(article), body=article.body, strict=strict)
                rt.loads(rt.dumps(fresh), strict=strict)
                article.heat += 1
                rt.loads(rt.dumps(article), strict=strict)
            except rt.RoundtripError:
                pass


def test_lone_surrogate_in_str_input_is_a_roundtrip_error() -> None:
    """A Python str can hold what UTF-8 cannot; `loads(str)` must still only raise our errors."""
    for text in (replaced("category: news", "category: n\ud800ws"), SEED + "body \udcff\n"):
        error = load_error(text)
        assert isinstance(error, rt.EnvelopeError | rt.ParseError)


def test_huge_integers_do_not_crash_parse_or_emit() -> None:
    """Python refuses int() of more than 4,300 digits; that must not surface as ValueError."""
    for text in (EITHER["huge_decimal_integer"], EITHER["huge_hex_integer"]):
        article = load_or_refuse(lambda t=text: rt.loads(t), text.encode())
        if article is None:
            continue
        # A record that loads must also be writable afresh, as `roundtrip fmt` writes it.
        fresh = rt.from_dict(rt.to_dict(article), body=article.body)
        try:
            written = rt.dumps(fresh)
        except rt.RoundtripError as error:
            pytest.fail(f"loads accepts it, but it cannot be written afresh (fmt): {error}")
        assert rt.loads(written).quality == article.quality
    article = rt.loads(SEED)
    article.quality = 10**5000
    try:
        text = rt.dumps(article)
    except rt.RoundtripError as error:
        assert error.field == "quality", f"the field is not named: {error}"
    else:
        assert rt.loads(text).quality == 10**5000


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029", "\r"], ids=["NEL", "LS", "PS", "CR"])
def test_line_numbers_count_only_newlines(char: str) -> None:
    """YAML reads NEL, LS, PS and a lone CR as line breaks; editors, grep and GitHub do not.

    A quoted value on line 2 holding one must not shift the place of an error on line 11.
    """
    text = replaced("category: news", f'category: "a{char}b"')
    text = replaced("quality: 57", "quality: high", text)
    error = load_error(text)
    assert (error.line, error.column, error.field) == (11, 10, "quality"), str(error)
    text = replaced(
        "quality: 57", "quality: [", replaced("category: news", f'category: "a{char}b"')
    )
    plain = replaced("quality: 57", "quality: [")
    assert load_error(text).line == load_error(plain).line


# -- bad values set through the model are refused by dumps/dump ---------------------------------

MODEL_EDITS: dict[str, tuple[Callable[[rt.Article], None], str | None]] = {
    "quality_word": (lambda a: setattr(a, "quality", "notanumber"), "quality"),
    "quality_float": (lambda a: setattr(a, "quality", 1.5), "quality"),
    "quality_decimal": (lambda a: setattr(a, "quality", Decimal(57)), "quality"),
    "title_none": (lambda a: setattr(a, "title", None), "title"),
    "published_string": (lambda a: setattr(a, "published", "true"), "published"),
    "width_string": (lambda a: setattr(a.images[0], "width", "3000"), "images.0.width"),
    "provider_name_none": (lambda a: setattr(a.provider, "name", None), "provider.name"),
    "topic_number": (lambda a: setattr(a, "topics", [1]), "topics.0"),
    "secured_short": (lambda a: setattr(a, "secured", "abc"), "secured"),
    "naive_datetime": (lambda a: setattr(a, "published_date_time", __import__("datetime")
                                         .datetime(2023, 1, 1)), "publishedDateTime"),
    "datetime_as_text": (lambda a: setattr(a, "published_date_time", "2023-01-01"),
                         "publishedDateTime"),
    "provider_none": (lambda a: setattr(a, "provider", None), "provider"),
    "image_as_dict": (lambda a: setattr(a, "images", [{"url": "x"}]), "images.0"),
    "unwritable_extra_value": (lambda a: a.extra.update(x=object()), "x"),
    "non_string_extra_key": (lambda a: a.extra.update({1: 2}), None),
    "body_none": (lambda a: setattr(a, "body", None), None),
}  # fmt: skip


@pytest.mark.parametrize("name", list(MODEL_EDITS), ids=list(MODEL_EDITS))
def test_bad_model_values_are_refused_with_a_roundtrip_error(name: str, tmp_path: Path) -> None:
    edit, field = MODEL_EDITS[name]
    path = tmp_path / "record.txt"
    path.write_bytes(SEED_BYTES)
    article = rt.load(path)
    edit(article)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rt.RoundtripWarning)
        with pytest.raises(rt.RoundtripError) as caught:
            rt.dumps(article)
        if field is not None:
            assert field in str(caught.value), f"{field!r} not named in {caught.value}"
        with pytest.raises(rt.RoundtripError):
            rt.dump(article, path)
    assert path.read_bytes() == SEED_BYTES
    assert [p.name for p in tmp_path.iterdir()] == ["record.txt"]


def test_text_that_dumps_writes_always_loads_back() -> None:
    """`dumps` must not produce a record `loads` refuses (NUL in the body, for one)."""
    for edit in ("body", "title"):
        article = rt.loads(SEED)
        setattr(article, edit, "a\x00b")
        try:
            text = rt.dumps(article)
        except rt.RoundtripError:
            continue
        assert getattr(rt.loads(text), edit) == "a\x00b"


# -- tags never run code ------------------------------------------------------------------------

CODE_TAGS = [
    '!!python/object/apply:os.system ["touch {p}"]',
    "!!python/object/apply:subprocess.check_call [[touch, {p}]]",
    "!!python/object/new:subprocess.Popen [[touch, {p}]]",
    "!!python/object/apply:builtins.exec [\"open('{p}', 'w').close()\"]",
    '!!python/name:os.system ""',
]


@pytest.mark.parametrize("tag", CODE_TAGS)
@pytest.mark.parametrize("place", ["value", "unknown_key", "item", "root", "key"])
def test_code_tags_are_refused_and_nothing_runs(tag: str, place: str, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    node = tag.format(p=marker)
    text = {
        "value": replaced("heat: 77", f"heat: {node}"),
        "unknown_key": insert_after_heat(f"x: {node}\n"),
        "item": replaced("  - AI\n", f"  - AI\n  - {node}\n"),
        "root": replaced("---\ncategory", f"---\n{node.split(' ')[0]}\ncategory"),
        "key": insert_after_heat(f"? {node}\n: 1\n"),
    }[place]
    for strict in (True, False):
        error = load_error(text, strict=strict)
        assert isinstance(error, rt.ParseError)
        assert_says(error.message, "unsupported tag", "python/")
        assert error.line is not None and error.column is not None
        assert text.splitlines()[error.line - 1][error.column - 1 :].startswith("!!python")
    assert not marker.exists(), "a tag ran code"


def test_cli_refuses_code_tags_and_nothing_runs(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    record = tmp_path / "record.txt"
    record.write_text(insert_after_heat(f'x: !!python/object/apply:os.system ["touch {marker}"]\n'))
    for args in (["verify", "--lenient"], ["fmt", "--lenient"], ["set", "--lenient"]):
        argv = [*args, str(record)] + (["heat", "1"] if args[0] == "set" else [])
        assert main(argv) == 1
    assert not marker.exists()


# -- bounded cost: alias bombs, quadratic aliases, nesting ---------------------------------------

# Run in a child so that a regression cannot hang or swamp the test run; the child measures its
# own time and peak traced memory around the one call.
BOUNDED = textwrap.dedent(
    """
    import json, sys, time, tracemalloc, warnings
    import roundtrip as rt
    import roundtrip.api  # the engine imported before measuring
    rt.loads(open(sys.argv[2], "rb").read())
    data = open(sys.argv[1], "rb").read()
    strict = sys.argv[3] == "strict"
    warnings.simplefilter("ignore")

    def attempt():
        try:
            rt.loads(data, strict=strict)
            return {"error": None}
        except rt.RoundtripError as error:
            return {"error": type(error).__name__, "message": error.message, "line": error.line}
        except BaseException as error:
            return {"error": "escaped " + type(error).__name__, "message": str(error)[:300]}

    start = time.perf_counter()
    result = attempt()
    result["seconds"] = time.perf_counter() - start
    if result["seconds"] < 5:  # the peak, measured again under tracemalloc (which is slow)
        tracemalloc.start()
        attempt()
        result["peak"] = tracemalloc.get_traced_memory()[1]
    print(json.dumps(result))
    """
)


def run_bounded(
    tmp_path: Path, data: str, timeout: float, *, strict: bool = False
) -> dict[str, Any]:
    """Time and peak memory of one `loads` of `data`, in a child killed after `timeout`."""
    path = tmp_path / "input.txt"
    path.write_text(data, encoding="utf-8")
    mode = "strict" if strict else "lenient"
    try:
        done = subprocess.run(
            [sys.executable, "-c", BOUNDED, str(path), str(SEED_PATH), mode],
            capture_output=True, text=True, timeout=timeout, cwd=ROOT,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        pytest.fail(f"loads did not answer within {timeout} s")
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def _block_lol(levels: int, width: int = 10) -> str:
    lines = ["b0: &b0", *(["  - lol"] * width)]
    for level in range(1, levels):
        lines += [f"b{level}: &b{level}", *([f"  - *b{level - 1}"] * width)]
    return "\n".join(lines) + "\n"


def _mapping_lol(levels: int, width: int = 10) -> str:
    lines = ["m0: &m0 {" + ", ".join(f"k{i}: lol" for i in range(width)) + "}"]
    for level in range(1, levels):
        refs = ", ".join(f"k{i}: *m{level - 1}" for i in range(width))
        lines.append(f"m{level}: &m{level} {{{refs}}}")
    return "\n".join(lines) + "\n"


BOMBS = {
    "flow_9_levels": "---\n" + _lol(9) + "---\n",
    "flow_30_levels_of_2": "---\n" + _lol(30, width=2) + "---\n",
    "block_8_levels": "---\n" + _block_lol(8) + "---\n",
    "mappings_8_levels": "---\n" + _mapping_lol(8) + "---\n",
    "inside_a_valid_record": insert_after_heat(_lol(9)),
    "wide_3_levels_in_a_record": replaced("related:\n", "x: &x [" + ", ".join(["lol"] * 100)
                                          + "]\ny: &y [" + ", ".join(["*x"] * 100) + "]\nz: ["
                                          + ", ".join(["*y"] * 100) + "]\nrelated:\n"),
}  # fmt: skip


@pytest.mark.parametrize("name", list(BOMBS), ids=list(BOMBS))
def test_alias_bombs_are_refused_in_bounded_time_and_memory(name: str, tmp_path: Path) -> None:
    result = run_bounded(tmp_path, BOMBS[name], timeout=30)
    assert result["error"] == "LimitError", result
    assert_says(result["message"], "alias")
    assert result["line"] is not None
    assert result.get("peak", 0) < 32 * MiB, result


def test_many_aliases_of_a_long_string_cost_linear_time(tmp_path: Path) -> None:
    """Aliases are cheap to write; each must not cost a full re-check of what it points at.

    2,000 aliases of an image whose URL is 200,000 characters: 0.2 MB of text, which the
    library must refuse or accept in about the time it takes to read it (not 2,000 times over).
    """
    image = (
        '  - &i {url: "https://e.com/' + "a" * 200_000 + '", width: 1, height: 1, isCached: true}\n'
    )
    old = SEED[SEED.index("images:\n") : SEED.index("related:\n")]
    text = replaced(old, "images:\n" + image + "  - *i\n" * 2000 + "\n")
    result = run_bounded(tmp_path, text, timeout=10)
    assert result["error"] in (None, "LimitError"), result


# The cost of many unknown keys (linear, bounded memory) is measured in bench/bench_hostile.py:
# timing ratios do not belong in a test run that must pass on any machine under any load. How
# many unknown keys are named, and where, is tested in test_unknown_keys.py.


DEEP = {
    "flow_sequences_100k": "---\nx: " + "[" * 100_000 + "]" * 100_000 + "\n---\n",
    "flow_mappings_20k": "---\nx: " + "{a: " * 20_000 + "1" + "}" * 20_000 + "\n---\n",
    "block_mappings_3k": _DEEP_BLOCK,
    "block_sequences_3k": "---\nx:\n" + "".join(" " * i + "-\n" for i in range(3000)) + "---\n",
    "compact_sequences_5k": "---\nx:\n" + "- " * 5000 + "a\n---\n",
    "in_an_unknown_key": insert_after_heat("x: " + "[" * 10_000 + "]" * 10_000 + "\n"),
    "unclosed": "---\nx: " + "[" * 100_000 + "\n---\n",
}


@pytest.mark.parametrize("name", list(DEEP), ids=list(DEEP))
def test_deep_nesting_is_refused_without_recursion(name: str, tmp_path: Path) -> None:
    result = run_bounded(tmp_path, DEEP[name], timeout=30)
    assert result["error"] in ("LimitError", "ParseError"), result
    assert result["line"] is not None, result
    assert result.get("peak", 0) < 32 * MiB, result


@pytest.mark.parametrize("name", ["flow_sequences_100k", "block_mappings_3k"])
def test_deep_nesting_refused_in_process_too(name: str) -> None:
    error = load_error(DEEP[name])
    assert isinstance(error, rt.LimitError)
    assert_says(error.message, "nesting", "64")
    assert error.line is not None and error.column is not None


# -- truncation ---------------------------------------------------------------------------------


def _cuts(data: bytes) -> list[int]:
    """Every line boundary and every byte near the fences and the end; a stride elsewhere."""
    points = set(range(0, len(data) + 1, 7))
    for pos, byte in enumerate(data):
        if byte == 0x0A:
            points.update(range(max(0, pos - 4), min(len(data), pos + 5) + 1))
    points.update(range(max(0, len(data) - 40), len(data) + 1))
    return sorted(points)


TRUNCATED_FILES = [
    *SEEDS,
    GOLDEN / "000_6bef1e912cfb9f3e.data-emoji.txt",
    GOLDEN / "000_6bef1e912cfb9f3e.markdown-body.txt",
    GOLDEN / "002_a1f7abd1a28687f0.crlf-bom.txt",
    GOLDEN / "000_6bef1e912cfb9f3e.block-scalars.txt",
]


@pytest.mark.parametrize("path", TRUNCATED_FILES, ids=lambda p: p.name)
def test_truncated_file_raises_or_round_trips(path: Path) -> None:
    data = path.read_bytes()
    loaded = 0
    for cut in _cuts(data):
        if load_or_refuse(lambda c=cut: rt.loads(data[:c]), data[:cut]) is not None:
            loaded += 1
    assert loaded >= 1  # at least the whole file


@pytest.mark.parametrize("path", TRUNCATED_FILES, ids=lambda p: p.name)
def test_truncated_front_matter_with_its_fence_raises_or_round_trips(path: Path) -> None:
    """Cut inside the YAML and put the closing fence back: the parser sees every partial state."""
    text = path.read_bytes().decode("utf-8")
    newline = "\r\n" if "\r\n" in text else "\n"
    envelope = rt.loads(text).source.envelope  # type: ignore[union-attr]
    head = envelope.bom + envelope.open_fence
    for cut in range(0, len(envelope.yaml) + 1, 5):
        yaml = envelope.yaml[:cut]
        data = (head + yaml + ("" if yaml.endswith("\n") else newline) + "---" + newline).encode()
        load_or_refuse(lambda d=data: rt.loads(d), data)
        try:
            rt.loads(data)
        except rt.RoundtripError as error:
            if error.line is not None:
                assert 1 <= error.line <= data.count(b"\n") + 1, str(error)


# -- size ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 64 MiB file: a valid record, then a body padded out (sparse, so cheap to make)."""
    path = tmp_path_factory.mktemp("big") / "big.txt"
    with open(path, "wb") as stream:
        stream.write(SEED_BYTES)
        stream.truncate(64 * MiB)
    return path


def test_64_mib_file_is_refused_fast_without_reading_it(big_file: Path) -> None:
    import roundtrip.api  # noqa: F401  (the engine's own imports are not the file's cost)

    tracemalloc.start()
    try:
        with pytest.raises(rt.LimitError) as caught:
            rt.load(big_file)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    error = caught.value
    assert peak < 4 * MiB, f"peak {peak:,} bytes: the file was read"
    assert error.path == str(big_file)
    assert_says(error.message, "67,108,864", "33,554,432", "max_bytes")


def test_size_limit_applies_to_loads_too() -> None:
    with pytest.raises(rt.LimitError) as caught:
        rt.loads(SEED_BYTES, max_bytes=100)
    assert_says(caught.value.message, f"{len(SEED_BYTES):,}", "100")
    with pytest.raises(rt.LimitError):
        rt.loads(SEED, max_bytes=100)


def test_max_bytes_raises_and_lowers_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "record.txt"
    record = SEED + "x" * (3 * MiB) + "\n"
    path.write_text(record)
    with pytest.raises(rt.LimitError):
        rt.load(path, max_bytes=2 * MiB)
    with pytest.raises(rt.LimitError):
        rt.load(SEED_PATH, max_bytes=len(SEED_BYTES) - 1)
    rt.load(SEED_PATH, max_bytes=len(SEED_BYTES))  # the limit is inclusive
    article = rt.load(path, max_bytes=4 * MiB)
    assert rt.dumps(article) == record


def test_cli_refuses_a_64_mib_file_fast_and_says_its_size(big_file: Path) -> None:
    done = subprocess.run(
        [*ROUNDTRIP, "verify", "--jobs", "1", str(big_file)],
        capture_output=True, text=True, timeout=30, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 1
    line = done.stdout.splitlines()[0]
    assert line.startswith(f"FAIL {big_file}: ")
    assert_says(line, "33,554,432", "--max-bytes")
    stated = re.findall(r"file is ([\d,]+) bytes", line)
    assert stated in ([], ["67,108,864"]), f"the file is 67,108,864 bytes, not as said: {line}"
    assert "Traceback" not in done.stdout + done.stderr


def test_cli_max_bytes_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    size = len(SEED_BYTES)
    assert main(["verify", "--jobs", "1", "--max-bytes", str(size - 1), str(SEED_PATH)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"FAIL {SEED_PATH}: ")
    assert re.findall(r"file is ([\d,]+) bytes", out) in ([], [f"{size:,}"]), out
    assert main(["verify", "--jobs", "1", "--max-bytes", str(size), str(SEED_PATH)]) == 0


# -- unknown keys in lenient mode ---------------------------------------------------------------

UNKNOWN = (
    replaced("heat: 77\n", "heat: 77\nfoo: bar  # kept\n")
    .replace("  domain: technologyreview.com\n",
             "  domain: technologyreview.com\n  since: 1899\n", 1)
    .replace("    isCached: true\n", "    isCached: true\n    alt: 'An actress'\n", 1)
    .replace("    quality: 17\n",
             "    quality: 17\n    notes:\n      - {a: 1}\n      - [x, y]\n", 1)
)  # fmt: skip


def test_unknown_keys_fail_by_default_each_placed() -> None:
    error = load_error(UNKNOWN)
    assert isinstance(error, rt.SchemaError)
    found = {(p.field, p.line, p.column) for p in error.problems}
    assert found == {
        ("foo", *at(UNKNOWN, "foo:")),
        ("provider.since", *at(UNKNOWN, "since:")),
        ("images.0.alt", *at(UNKNOWN, "alt:")),
        ("related.0.notes", *at(UNKNOWN, "notes:")),
    }
    assert all("unknown" in p.message for p in error.problems)


def test_unknown_keys_lenient_warn_are_kept_and_written_back_unchanged(tmp_path: Path) -> None:
    with pytest.warns(rt.RoundtripWarning) as caught:
        article = rt.loads(UNKNOWN, strict=False)
    warned = sorted(str(w.message) for w in caught if isinstance(w.message, rt.RoundtripWarning))
    assert warned == sorted([
        f"{at(UNKNOWN, 'foo:')[0]}:1: foo: unknown field (not in the schema)",
        f"{at(UNKNOWN, 'since:')[0]}:3: provider.since: unknown field (not in the schema)",
        f"{at(UNKNOWN, 'alt:')[0]}:5: images.0.alt: unknown field (not in the schema)",
        f"{at(UNKNOWN, 'notes:')[0]}:5: related.0.notes: unknown field (not in the schema)",
    ])  # fmt: skip
    assert article.extra == {"foo": "bar"}
    assert article.provider.extra == {"since": 1899}
    assert article.images is not None and article.images[0].extra == {"alt": "An actress"}
    assert article.related[0].extra == {"notes": [{"a": 1}, ["x", "y"]]}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rt.RoundtripWarning)
        assert rt.dumps(article) == UNKNOWN
        path = tmp_path / "record.txt"
        rt.dump(article, path)
        assert path.read_text() == UNKNOWN
        article.heat = 78  # an edit elsewhere keeps every unknown line as it was
        edited = rt.dumps(article)
    assert edited == UNKNOWN.replace("heat: 77", "heat: 78", 1)


def test_a_warning_survives_pickling_as_it_crosses_processes() -> None:
    """A worker process (Dask, pytest-xdist) sends a warning back pickled or rebuilt from its
    args: it must come back with its problem and message."""
    with pytest.warns(rt.RoundtripWarning) as caught:
        rt.loads(UNKNOWN, strict=False)
    warning = caught[0].message
    assert isinstance(warning, rt.RoundtripWarning)
    for copy in (pickle.loads(pickle.dumps(warning)), type(warning)(*warning.args)):
        assert isinstance(copy, rt.RoundtripWarning)
        assert copy.problem == warning.problem
        assert str(copy) == str(warning) == warning.problem.describe()


def test_cli_lenient_reports_warnings_and_passes(tmp_path: Path) -> None:
    path = tmp_path / "record.txt"
    path.write_text(UNKNOWN)
    done = subprocess.run(
        [*ROUNDTRIP, "verify", "--jobs", "1", "--lenient", str(path)],
        capture_output=True, text=True, timeout=60, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert f"ok   {path}" in lines
    line, column = at(UNKNOWN, "since:")
    assert (
        f"warn {path}:{line}:{column}: provider.since: unknown field (not in the schema)" in lines
    )
    assert sum(line.startswith("warn ") for line in lines) == 4
    assert lines[-1] == "1 verified, 0 failed"
    strict = subprocess.run(
        [*ROUNDTRIP, "verify", "--jobs", "1", str(path)],
        capture_output=True, text=True, timeout=60, cwd=ROOT,
    )  # fmt: skip
    assert strict.returncode == 1
    assert f"FAIL {path}:{line}:{column}: provider.since: unknown field" in strict.stdout


def test_cli_set_and_fmt_lenient_report_warnings_as_lines_not_python_warnings(
    tmp_path: Path,
) -> None:
    path = tmp_path / "record.txt"
    path.write_text(UNKNOWN)
    line, column = at(UNKNOWN, "since:")
    for argv in (["set", "--lenient", str(path), "heat", "1"], ["fmt", "--lenient", str(path)]):
        done = subprocess.run(
            [*ROUNDTRIP, *argv], capture_output=True, text=True, timeout=60, cwd=ROOT
        )
        assert done.returncode == 0, done.stderr
        output = done.stdout + done.stderr
        assert "RoundtripWarning" not in output and ".py:" not in output, output
        warned = [text for text in output.splitlines() if text.startswith("warn ")]
        expected = f"warn {path}:{line}:{column}: provider.since: unknown field (not in the schema)"
        assert warned == [] or expected in warned, output
    assert rt.to_dict(rt.loads(path.read_text(), strict=False))["provider"]["since"] == 1899


# -- the command line on a directory of bad and good files -----------------------------------------

GOOD = [
    *SEEDS,
    GOLDEN / "000_6bef1e912cfb9f3e.crlf.txt",
    GOLDEN / "002_a1f7abd1a28687f0.anchors.txt",
]
FAIL_LINE = re.compile(
    r"FAIL (?P<path>[^:]+?)(?::(?P<line>\d+):(?P<column>\d+))?: "
    r"(?:(?P<field>[A-Za-z<][\w.<]*): )?(?P<message>.+)"
)


@pytest.fixture(scope="module")
def bad_directory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("records")
    for bad in CASES:
        (directory / f"bad_{bad.name}.txt").write_bytes(bad.data)
    for name, data in EITHER_BYTES.items():
        (directory / f"either_{name}.txt").write_bytes(data)
    for path in GOOD:
        (directory / f"good_{path.name}").write_bytes(path.read_bytes())
    return directory


def test_cli_verify_reports_every_problem_on_one_line(bad_directory: Path) -> None:
    done = subprocess.run(
        [*ROUNDTRIP, "verify", "--jobs", "2", str(bad_directory)],
        capture_output=True, text=True, timeout=90, cwd=ROOT,
    )  # fmt: skip
    output = done.stdout + done.stderr
    assert done.returncode == 1
    assert "Traceback" not in output
    assert "internal error" not in output
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    for path in GOOD:
        assert f"ok   {bad_directory / ('good_' + path.name)}" in lines
    failed = {line.split(":")[0].removeprefix("FAIL ") for line in lines if line.startswith("FAIL")}
    for bad in CASES:
        path = str(bad_directory / f"bad_{bad.name}.txt")
        error = load_error(bad.data)
        mine = [line for line in lines if line.startswith(f"FAIL {path}:")]
        assert mine == [f"FAIL {problem.describe(path)}" for problem in error.problems], bad.name
        assert len(set(mine)) == len(mine), f"repeated lines for {bad.name}"
        for line in mine:
            match = FAIL_LINE.fullmatch(line)
            assert match is not None, line
            if bad.line is not None:
                assert match["line"] is not None and match["column"] is not None, line
        if bad.field is not None:
            assert f": {bad.field}: " in mine[0]
    assert (
        lines[-1]
        == f"{len(GOOD) + len(EITHER) + len(CASES) - len(failed)} verified, {len(failed)} failed"
    )


def test_cli_fmt_and_set_never_print_a_traceback(bad_directory: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [*ROUNDTRIP, "fmt", "--check", str(bad_directory)],
        capture_output=True, text=True, timeout=90, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    for line in done.stdout.splitlines()[:-1]:
        assert line.startswith(("FAIL ", "would reformat ")), line
    # `set` on every bad file: refused, file untouched (in process: an escaping exception fails).
    for bad in CASES:
        path = tmp_path / f"{bad.name}.txt"
        path.write_bytes(bad.data)
        assert main(["set", str(path), "heat", "1"]) == 1, bad.name
        assert path.read_bytes() == bad.data
    for name, data in EITHER_BYTES.items():
        path = tmp_path / f"{name}.txt"
        path.write_bytes(data)
        with warnings.catch_warnings():  # (how `set` shows warnings is tested above)
            warnings.simplefilter("ignore", rt.RoundtripWarning)
            assert main(["set", "--lenient", str(path), "heat", "1"]) in (0, 1), name


# -- fuzzing ------------------------------------------------------------------------------------
# tests/fuzz/atheris_roundtrip.py ran 1,452,820 inputs (two 10-minute runs) without a finding;
# a future finding goes here, reduced, as a case of its own. The bugs above were found by hand
# and by growing inputs past what the fuzzer's length limit reaches (huge integers, many keys,
# many aliases).


def test_random_binary_input_is_refused() -> None:
    generator = random.Random(4)
    for _ in range(200):
        data = bytes(generator.randrange(256) for _ in range(generator.randrange(1, 400)))
        load_or_refuse(lambda d=data: rt.loads(d), data)
        load_or_refuse(
            lambda d=data: rt.loads(b"---\n" + d + b"\n---\n"), b"---\n" + data + b"\n---\n"
        )
