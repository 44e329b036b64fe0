"""Reading as YAML 1.2 does, keeping what the model cannot hold, and placing bad input.

Each test here names a case from issues 8 and 11 that failed before (see the commit log).
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

import roundtrip as rt
from roundtrip.builders import DataBuilder, Places, TreeBuilder
from roundtrip.edit import format_file
from roundtrip.events import c_events
from roundtrip.tree import Mapping, Scalar, Sequence

from .conftest import GOLDEN
from .judge import equal_data
from .yaml_styles import oracle_load

SEED = (GOLDEN / "000_6bef1e912cfb9f3e.txt").read_text(encoding="utf-8")


def _record(old: str, new: str, text: str = SEED) -> str:
    """The seed with its first line matching `old` (a regex) replaced by `new`."""
    changed, count = re.subn(old, new, text, count=1, flags=re.MULTILINE)
    assert count == 1, old
    return changed


def _changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


# -- values the model cannot hold exactly ------------------------------------------------------

FINE = "2023-10-19T09:00:00.123456789Z"


def test_sub_microsecond_date_time_is_kept_while_unedited() -> None:
    text = _record(r"^publishedDateTime: .*$", f"publishedDateTime: {FINE}")
    article = rt.loads(text)
    assert rt.to_dict(article)["publishedDateTime"] == FINE
    article.heat = 80
    written = rt.dumps(article)
    assert _changed_lines(text, written) == ["-heat: 77", "+heat: 80"]
    # A new record from that data (what `fmt` writes) keeps the value too.
    fresh = rt.dumps(rt.from_dict(rt.to_dict(article)))
    assert f"publishedDateTime: {FINE}\n" in fresh


@pytest.mark.parametrize(
    "written",
    [FINE, "2023-10-19t09:00:00z", "2023-10-19 09:00:00-00:00", "2023-10-19T09:00:00.000Z"],
)
def test_fmt_never_changes_a_date_time_text(tmp_path: Path, written: str) -> None:
    """fmt rewrote `.123456789Z` as `.123456Z` and reported success."""
    path = tmp_path / "a.txt"
    path.write_text(_record(r"^publishedDateTime: .*$", f"publishedDateTime: {written}"))
    format_file(str(path), check=False)
    after = yaml.safe_load(path.read_text().split("---\n")[1])["publishedDateTime"]
    assert str(after) == str(yaml.safe_load(f"x: {written}")["x"])
    assert rt.to_dict(rt.load(path))["publishedDateTime"] == written


def test_a_new_date_time_is_written_in_rfc3339() -> None:
    article = rt.loads(_record(r"^publishedDateTime: .*$", f"publishedDateTime: {FINE}"))
    from datetime import timedelta

    article.published_date_time += timedelta(hours=1)
    assert "publishedDateTime: 2023-10-19T10:00:00.123456Z\n" in rt.dumps(article)


# -- YAML 1.2, not libyaml's YAML 1.1 --------------------------------------------------------


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029"])
def test_nel_ls_ps_inside_a_quoted_scalar_are_characters(char: str) -> None:
    """libyaml read a raw NEL in a quoted title as a space."""
    text = _record(r'^title: ".*"$', f'title: "Meta{char}AI"')
    article = rt.loads(text)
    assert article.title == f"Meta{char}AI"
    article.heat = 1
    assert _changed_lines(text, rt.dumps(article)) == ["-heat: 77", "+heat: 1"]


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029"])
def test_nel_ls_ps_in_plain_scalars_and_comments(char: str) -> None:
    # In a comment, a YAML 1.1 reader would end the comment and read `heat: 5` as a key.
    text = _record(r"^type: article$", f"type: art{char}icle # note{char}heat: 5")
    article = rt.loads(text)
    assert article.type == f"art{char}icle"
    assert article.heat == 77
    assert rt.dumps(article) == text


def test_nel_in_a_text_using_every_private_use_character_is_refused_clearly() -> None:
    every = "".join(chr(code) for code in range(0xE000, 0xF900))
    error = _error(_record(r"^heat: 77$", f'heat: 77\nx: "{every}"\ny: "a\x85b"'))
    assert isinstance(error, rt.ParseError)
    assert (error.line, error.column) == (14, 6)
    assert "U+0085" in error.message


def test_non_specific_tag_makes_a_string() -> None:
    """`heat: ! 77` is the string "77" in YAML 1.2; it read as the integer 77."""
    text = _record(r"^heat: 77$", "heat: ! 77")
    with pytest.raises(rt.SchemaError) as caught:
        rt.loads(text)
    assert caught.value.field == "heat"
    assert caught.value.line == 12
    extra = _record(r"^heat: 77$", "heat: 77\nnote: ! 77")
    assert rt.to_dict(rt.loads(extra, strict=False))["note"] == "77"


def test_colon_inside_a_flow_plain_scalar_is_read_and_edited() -> None:
    """`topics: [AI:ML]` is valid YAML 1.2 (js-yaml and `yaml` write it); libyaml refuses it."""
    text = _record(r"^topics:\n  - AI$", "topics: [AI:ML, news]")
    article = rt.loads(text)
    assert article.topics == ["AI:ML", "news"]
    assert rt.dumps(article) == text
    article.heat = 78
    assert _changed_lines(text, rt.dumps(article)) == ["-heat: 77", "+heat: 78"]
    article.topics.append("x")
    written = rt.dumps(article)
    assert rt.loads(written).topics == ["AI:ML", "news", "x"]
    assert sorted(_changed_lines(text, written)) == [
        "+heat: 78",
        "+topics: [AI:ML, news, x]",
        "-heat: 77",
        "-topics: [AI:ML, news]",
    ]


def test_a_file_only_the_pure_parser_reads_keeps_its_folded_scalars() -> None:
    """The pure parser reads the whole file: a folded scalar elsewhere in it reads as YAML 1.2
    has it (ruamel.yaml's round-trip scanner would mark each fold with a BEL)."""
    text = _record(r"^topics:\n  - AI$", "topics: [AI:ML]\nnote: >-\n  folded here,\n  and here")
    data = rt.to_dict(rt.loads(text, strict=False))
    assert data["note"] == "folded here, and here"
    assert data["topics"] == ["AI:ML"]


@pytest.mark.parametrize(
    ("flow", "items"), [("[AI:ML, a::b]", ["AI:ML", "a::b"]), ("[:x]", [":x"])]
)
def test_colons_in_flow_plain_scalars_read_as_yaml_1_2_reads_them(
    flow: str, items: list[str]
) -> None:
    text = _record(r"^topics:\n  - AI$", f"topics: {flow}")
    assert rt.loads(text).topics == items


def test_an_invalid_flow_node_is_not_called_unclosed() -> None:
    error = _error(_record(r"^topics:\n  - AI$", "topics: [a, ]]"))
    assert "not closed" not in error.message


# -- new bodies ------------------------------------------------------------------------------


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("body", ["\nfoo\n", "\n", "\n\nfoo"])
def test_a_body_starting_with_a_line_break_keeps_it(newline: str, body: str) -> None:
    """With no blank line after the closing fence, `body = "\\nfoo\\n"` read back as "foo\\n"."""
    text = SEED[: SEED.rindex("---\n") + 4].replace("\n", newline)
    article = rt.loads(text)
    assert article.body == ""
    article.body = body.replace("\n", newline)
    assert rt.loads(rt.dumps(article)).body == body.replace("\n", newline)


# -- bad input, placed where the fix goes ------------------------------------------------------


def _error(text: str) -> rt.RoundtripError:
    with pytest.raises(rt.RoundtripError) as caught:
        rt.loads(text)
    return caught.value


def test_bom_at_the_start_of_a_yaml_line_is_refused_at_read() -> None:
    error = _error(_record(r"^heat: 77$", "\ufeffheat: 77"))
    assert (error.line, error.column) == (12, 1)
    assert "U+FEFF" in error.message
    error = _error(_record(r"^category: news$", "\ufeffcategory: news"))
    assert (error.line, error.column) == (2, 1)


def test_duplicate_key_names_the_line_of_its_first_occurrence() -> None:
    error = _error(_record(r"^published: true$", "published: true\nheat: 5"))
    assert (error.line, error.column) == (14, 1)
    assert "first at line 12" in error.message
    nested = _error(_record(r"^  domain: technologyreview.com$", "  domain: a.b\n  name: x"))
    assert (nested.line, nested.column) == (18, 3)
    assert "first at line 16" in nested.message
    assert (error.field, nested.field) == ("heat", "provider.name")


def test_error_inside_an_unclosed_flow_collection_points_at_its_bracket() -> None:
    error = _error(_record(r"^topics:\n  - AI$", "topics: [AI, news"))
    assert (error.line, error.column) == (19, 9)
    assert "bracket" in error.message
    error = _error(_record(r"^provider:\n.*\n.*$", "provider: {name: x, domain: y"))
    assert (error.line, error.column) == (15, 11)


@pytest.mark.parametrize("directive", ["%YAML 1.2", "%TAG !e! tag:example.com,2000:"])
def test_a_directive_inside_the_fences_is_refused_at_its_line(directive: str) -> None:
    error = _error(_record(r"^category: news$", f"{directive}\ncategory: news"))
    assert (error.line, error.column) == (2, 1)
    assert "directives" in error.message and "not allowed" in error.message
    later = _error(_record(r"^heat: 77$", f"heat: 77\n{directive}"))
    assert later.line == 13
    assert "directives" in later.message


def test_an_over_long_implicit_key_points_at_the_key() -> None:
    key = "k" * 1100
    error = _error(_record(r"^heat: 77$", f"heat: 77\nprovider2:\n  {key}: 1"))
    assert (error.line, error.column) == (14, 3)
    assert "1024" in error.message


def test_limit_error_for_a_huge_integer_names_its_field() -> None:
    error = _error(_record(r"^    quality: 17$", "    quality: " + "9" * 5000))
    assert isinstance(error, rt.LimitError)
    assert error.field == "related.0.quality"
    assert (error.line, error.column) == (37, 14)


def test_max_bytes_counts_utf8_bytes_for_str_as_for_bytes() -> None:
    text = _record(r'^title: ".*"$', 'title: "' + "\u65e5" * 100 + '"')
    size = len(text.encode("utf-8"))
    assert len(text) < size
    for data in (text, text.encode("utf-8")):
        rt.loads(data, max_bytes=size)
        with pytest.raises(rt.LimitError):
            rt.loads(data, max_bytes=size - 1)


# -- the builders, each alone ------------------------------------------------------------------


def test_data_builder_alone() -> None:
    text = "a: [1, x, &n {b: true}]\nc: *n\n"
    builder = DataBuilder(Places(text), budget=100)
    for event in c_events(text):
        name = type(event).__name__
        if name == "ScalarEvent":
            builder.scalar(event)
        elif name in ("MappingStartEvent", "SequenceStartEvent"):
            builder.start(event, name == "MappingStartEvent")
        elif name.endswith("EndEvent") and name not in ("StreamEndEvent", "DocumentEndEvent"):
            builder.end()
        elif name == "AliasEvent":
            builder.alias(event)
    assert builder.root == {"a": [1, "x", {"b": True}], "c": {"b": True}}


def test_tree_builder_alone() -> None:
    text = "a: [1, 'x']\nb:\n  c: d\n"
    tree = TreeBuilder(text)
    for event in c_events(text):
        name = type(event).__name__
        if name == "ScalarEvent":
            tree.scalar(event, event.value)
        elif name in ("MappingStartEvent", "SequenceStartEvent"):
            tree.start(event, name == "MappingStartEvent", {} if "Mapping" in name else [])
        elif name in ("MappingEndEvent", "SequenceEndEvent"):
            tree.end(event)
    root = tree.root
    assert isinstance(root, Mapping)
    seq = root.entries[0].value
    assert isinstance(seq, Sequence) and seq.flow and text[seq.start : seq.end] == "[1, 'x']"
    quoted = seq.items[1]
    assert isinstance(quoted, Scalar) and quoted.style == "'"
    assert text[quoted.start : quoted.end] == "'x'"
    inner = root.entries[1].value
    assert isinstance(inner, Mapping) and not inner.flow
    assert text[inner.start : inner.end] == "c: d"


# DataBuilder.feed (parse_data's loop, the common cases inline) and the span tree's path (the
# builders' methods, event by event) must read every text alike: the same data, or the same
# error at the same place naming the same field.
_BOTH_PATHS = [
    "a: 1\nb: [x, 2.5, -3, 0x1F, 0o17, .inf, ~, null, TRUE, false, '7', \"8\"]\n",
    "a: {b: {c: [1, {d: e}]}}\nf: []\ng: {}\n",
    "a: &x [1, 2]\nb: *x\nc: &y text\nd: *y\ne: &z {k: v}\nf: [*z, *z]\n",
    "a: !!int '12'\nb: !!str 12\nc: ! 12\nd: !!float 3\ne: !!bool true\nf: !!null ''\n",
    "a: !!map {b: 1}\nc: !!seq [1]\n",
    "a: !!binary aGk=\n",
    "a: !foo [1]\n",
    "a: *nowhere\n",
    "a: &r [1, *r]\n",
    "1: a\n",
    "~: a\n",
    "? [a, b]\n: c\n",
    "? {a: b}\n: c\n",
    "a: 1\na: 2\n",
    "a:\n  b: 1\n  c:\n    b: 2\n    b: 3\n",
    "a: 99" + "9" * 5000 + "\n",
    "a: [1e400]\n",
    "a: " + "[" * 70 + "]" * 70 + "\n",
    "a: " + "[" * 63 + "]" * 63 + "\n",
    "a: 1\n---\nb: 2\n",
    "just text\n",
    "- a\n- b\n",
    "",
    "# only a comment\n",
    "a: x\u2028y\nb: 'p\x85q'\n",
    "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: [*c, *c, *c]\n",
]


@pytest.mark.parametrize("text", _BOTH_PATHS)
@pytest.mark.parametrize("max_nodes", [None, 12])
def test_the_data_loop_reads_as_the_span_tree_does(text: str, max_nodes: int | None) -> None:
    from roundtrip.parse import parse_data, parse_tree

    def read(parse: Any) -> Any:
        try:
            result = parse(text, max_nodes=max_nodes, first_line=3)
        except rt.RoundtripError as error:
            return type(error).__name__, str(error), error.line, error.column, error.field
        return result if isinstance(result, dict) else result.data

    data, tree_data = read(parse_data), read(parse_tree)
    if isinstance(data, tuple):  # an error
        assert data == tree_data
        return
    assert equal_data(data, tree_data)
    if isinstance(data, dict) and not any(char in text for char in "!\u2028\x85"):
        assert equal_data(data, oracle_load(text))  # and as a YAML 1.2 reader (PyYAML's events)


# -- placing problems without the span tree ----------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (r"^heat: 77$", "heat: high\nextra1: 1\nextra2: &a [1, 2]"),  # type, unknown keys
        (r"^  domain: technologyreview.com$", "  domain: !!str 5\n  since: 1899"),  # nested
        (r"^    quality: 17$", "    quality: &q '17'\n    notes: *q"),  # anchor, alias key
        (r"^category: news\n", ""),  # a missing required field: placed at its mapping
        (r"^images:\n  - url: .*$", "images:\n  - url: 5\n    alt: x"),  # in a sequence item
        (r"^topics:\n  - AI$", "topics: [AI:ML, {x: 1}]"),  # the pure parser's events
        # Below an alias: only the span tree can follow it to the anchor's nodes.
        (r"^images:\n(?:  .*\n)+", "images:\n  - &i {url: 5, width: 1, height: 1}\n  - *i\n"),
    ],
)
def test_problems_are_placed_as_the_span_tree_places_them(old: str, new: str) -> None:
    from roundtrip.article_schema import validate
    from roundtrip.envelope import split_envelope
    from roundtrip.parse import parse_data, parse_tree
    from roundtrip.records import _place, _placed

    envelope = split_envelope(_record(old, new))
    violations = validate(parse_data(envelope.yaml))
    assert violations
    root = parse_tree(envelope.yaml)
    assert list(_placed(violations, envelope)) == [_place(v, root, envelope) for v in violations]


@pytest.mark.parametrize("number", ["1e400", "-1.5e309", "1e-400", "0.5e-330"])
def test_a_number_past_a_double_is_refused_not_changed(number: str) -> None:
    """`x: 1e400` read as infinity, and `fmt` wrote `.inf`: another number."""
    error = _error(_record(r"^heat: 77$", f"heat: 77\nx: {number}"))
    assert isinstance(error, rt.LimitError)
    assert error.field == "x" and error.line == 13
    assert (
        rt.to_dict(rt.loads(_record(r"^heat: 77$", "heat: 77\nx: 1e300"), strict=False))["x"]
        == 1e300
    )


def test_an_integer_written_as_a_float_stays_a_float(tmp_path: Path) -> None:
    """`width: 3000.0` is a valid integer (JSON Schema); the model holds 3000, the YAML a float."""
    text = _record(r"^    width: 3000$", "    width: 3000.0")
    article = rt.loads(text)
    assert article.images is not None and article.images[0].width == 3000
    assert rt.to_dict(article)["images"][0]["width"] == 3000.0
    article.heat = 5
    assert _changed_lines(text, rt.dumps(article)) == ["-heat: 77", "+heat: 5"]
    path = tmp_path / "a.txt"
    path.write_text(text)
    format_file(str(path), check=False)
    width = yaml.safe_load(path.read_text().split("---\n")[1])["images"][0]["width"]
    assert type(width) is float and width == 3000.0  # 3000 == 3000.0 in Python: check the type
    article.images[0].width = 3001
    assert "    width: 3001\n" in rt.dumps(article)


def test_links_agree_on_one_instant_spelled_two_ways(tmp_path: Path) -> None:
    """Date-times keep their text; `verify --links` still compares them as instants."""
    from roundtrip.cli import main

    from .conftest import SEEDS

    for seed in SEEDS:
        (tmp_path / seed.name).write_bytes(seed.read_bytes())
    linked = tmp_path / SEEDS[0].name
    text = linked.read_text(encoding="utf-8")
    linked.write_text(
        text.replace(
            "publishedDateTime: 2023-10-19T09:00:00Z",
            "publishedDateTime: 2023-10-19 09:00:00+00:00",
            1,
        ),
        encoding="utf-8",
    )
    assert main(["verify", "--links", "--jobs", "1", str(tmp_path)]) == 0
    linked.write_text(
        text.replace(
            "publishedDateTime: 2023-10-19T09:00:00Z", "publishedDateTime: 2023-10-19T09:00:01Z", 1
        ),
        encoding="utf-8",
    )
    assert main(["verify", "--links", "--jobs", "1", str(tmp_path)]) == 1


@pytest.fixture
def sharing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every parse in the test shares strings, as a large text's does (builders.SHARE_FROM)."""
    from roundtrip import builders

    monkeypatch.setattr(builders, "SHARE_FROM", 0)


def test_a_large_text_shares_its_keys_by_default() -> None:
    from roundtrip.builders import SHARE_FROM
    from roundtrip.parse import parse_data

    line = "  - {title: t, quality: 1}\n"
    items = parse_data("items:\n" + line * (SHARE_FROM // len(line) + 1))["items"]
    assert len({id(key) for item in items for key in item if key == "title"}) == 1


@pytest.mark.parametrize("parse_name", ["parse_data", "parse_tree"])
def test_a_key_read_many_times_is_one_string(parse_name: str, sharing: None) -> None:
    """A long list of mappings holds each of its keys once, not once an item (memory)."""
    from roundtrip import parse

    text = "items:\n" + "".join(f"  - {{title: t{k}, quality: {k}}}\n" for k in range(50))
    result = getattr(parse, parse_name)(text)
    items = (result if isinstance(result, dict) else result.data)["items"]
    titles = {id(key) for item in items for key in item if key == "title"}
    assert len(titles) == 1
    assert equal_data(result if isinstance(result, dict) else result.data, oracle_load(text))


def test_a_short_value_read_many_times_is_one_string(sharing: None) -> None:
    from roundtrip.builders import SHARED_TEXT
    from roundtrip.parse import parse_data

    short, long = "article", "x" * (SHARED_TEXT + 1)
    text = "items:\n" + "".join(f"  - {{type: {short}, note: '{long}'}}\n" for _ in range(20))
    items = parse_data(text)["items"]
    assert len({id(item["type"]) for item in items}) == 1
    assert equal_data(parse_data(text), oracle_load(text))


def test_keys_past_the_shared_ones_are_read_as_written(sharing: None) -> None:
    from roundtrip.builders import SHARED_KEYS
    from roundtrip.parse import parse_data

    keys = [f"k{n}" for n in range(SHARED_KEYS + 20)]
    text = "items:\n" + "".join(
        "  - {" + ", ".join(f"{key}: {n}" for n, key in enumerate(keys)) + "}\n"
        for _ in range(2)
    )  # fmt: skip
    data = parse_data(text)
    assert equal_data(data, oracle_load(text))
    first, second = data["items"]
    assert next(iter(first)) is next(iter(second))  # the first keys are shared
    last = keys[-1]
    assert second[last] == len(keys) - 1
