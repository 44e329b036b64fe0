"""An edit parses only the top-level entries it opens (focus.py, entries.py), and checks only
the changed values (Validator.validate_changed); everything else falls back to the whole text.

Each case forces one path (the shortcut, or one of its fallbacks, seen by which parts of the
text the focused tree parses) and judges the edited text by independent means: PyYAML reads
the expected data, and every line but the edited ones is byte for byte the same.
"""

from __future__ import annotations

import copy
import pickle
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

import roundtrip as rt
import roundtrip.focus as focus
import roundtrip.focus_parse as focus_parse
from roundtrip.entries import entry_heads
from roundtrip.lines import Lines
from roundtrip.plan import Edit, ends_in_block_scalar
from roundtrip.splice import apply, plan
from roundtrip.validator import Validator

from .conftest import GOLDEN, SEEDS
from .texts import changed as _changed
from .texts import front as _front
from .texts import replaced as _with

SEED = SEEDS[0].read_text(encoding="utf-8")


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[int, int | None]]]:
    """The parts of the text the focused tree parses: (start, end), (0, None) for all of it."""
    calls: list[tuple[int, int | None]] = []
    real = focus_parse.parse_part

    def spy(text: str, old: Any, wanted: Any, start: int = 0, end: int | None = None,
            line: int = 0) -> Any:  # fmt: skip
        calls.append((start, end))
        return real(text, old, wanted, start, end, line)

    monkeypatch.setattr(focus_parse, "parse_part", spy)
    yield calls


def _edit(text: str, change: Callable[[Any], None]) -> tuple[str, dict[str, Any]]:
    """The edited text, and the data it should hold (PyYAML's reading of the original, with
    the change made the same way on plain data)."""
    article = rt.loads(text)
    change(article)
    return rt.dumps(article), yaml.safe_load(_front(text))


def _only_parts(calls: list[tuple[int, int | None]]) -> bool:
    return bool(calls) and all(end is not None for _, end in calls)


# -- the shortcut ----------------------------------------------------------------------------


def test_a_scalar_edit_parses_only_its_entry(
    parses: list[tuple[int, int | None]], monkeypatch: pytest.MonkeyPatch
) -> None:
    # (A one-line `key: scalar` is told without a parse where it can be: see
    # tests/test_scalar_line.py. Here it is parsed, as any other entry.)
    monkeypatch.setattr(focus, "scalar_entry", lambda *args: None)
    edited, data = _edit(SEED, lambda a: setattr(a, "heat", 80))
    assert parses == [(SEED.index("heat:") - 4, SEED.index("published:") - 4)]  # after `---\n`
    assert _changed(SEED, edited) == ["- heat: 77\n", "+ heat: 80\n"]
    data["heat"] = 80
    assert yaml.safe_load(_front(edited)) == data


def test_a_removed_entry_takes_its_lines_found_from_the_text(
    parses: list[tuple[int, int | None]],
) -> None:
    edited, data = _edit(SEED, lambda a: setattr(a, "images", None))
    assert parses == []  # nothing opened: the removed entry's end comes from its lines
    start = SEED.index("images:")
    removed = SEED[start : SEED.index("related:")]
    assert edited == SEED[:start] + SEED[start + len(removed) :]
    del data["images"]
    assert yaml.safe_load(_front(edited)) == data


def test_a_new_key_goes_after_an_entry_whose_lines_cannot_tell_its_end(
    parses: list[tuple[int, int | None]],
) -> None:
    # webUrl ends in a quoted scalar followed by a comment line: the comment might be the
    # scalar's text, so that entry alone is parsed to find where it ends.
    text = SEED.replace(
        'ampWebUrl: "https://www.technologyreview.com/2023/10/19/1081974/meta-realeyes-'
        'artificial-intelligence-hollywood-actors-strike/amp/"\n',
        "# where the AMP page was\n",
    )
    web = text.index("webUrl:")
    edited, data = _edit(text, lambda a: setattr(a, "amp_web_url", "https://amp.example/"))
    assert parses == [(web - 4, text.index("cdnAmpWebUrl:") - 4)]
    assert _changed(text, edited) == ['+ ampWebUrl: "https://amp.example/"\n']
    after_web = edited.index("\n", edited.index("webUrl:")) + 1
    assert edited[after_web:].startswith('ampWebUrl: "https://amp.example/"\n# where the AMP')
    data["ampWebUrl"] = "https://amp.example/"
    assert yaml.safe_load(_front(edited)) == data


def test_a_removal_after_a_block_scalar_keeps_the_scalars_text(
    parses: list[tuple[int, int | None]],
) -> None:
    # topics ends in a literal scalar: removing images below it must not leave lines that
    # would become the scalar's text; the entry is parsed alone to see how it ends.
    text = _with(SEED, "topics:\n  - AI\n", "topics:\n  - |-\n    AI\n  # kept\n")
    edited, data = _edit(text, lambda a: setattr(a, "images", None))
    assert (text.index("topics:") - 4, text.index("images:") - 4) in parses
    assert _only_parts(parses)
    del data["images"]
    assert yaml.safe_load(_front(edited)) == data
    assert "  # kept\n" in edited
    assert all(line.startswith("- ") for line in _changed(text, edited))


def test_an_anchor_without_aliases_keeps_the_shortcut(
    parses: list[tuple[int, int | None]],
) -> None:
    text = _with(SEED, "topics:\n  - AI\n", "topics: &topics\n  - AI\n")
    edited, data = _edit(text, lambda a: a.topics.append("Policy"))
    assert _only_parts(parses)
    assert _changed(text, edited) == ["+   - Policy\n"]
    assert "topics: &topics\n" in edited
    data["topics"].append("Policy")
    assert yaml.safe_load(_front(edited)) == data


# -- the fallbacks: the whole text parsed (or the full tree built) ----------------------------


def _indented(text: str) -> str:
    """The record with every YAML line two columns further in."""
    lines = _front(text).splitlines(keepends=True)
    return "---\n" + "".join("  " + line if line.strip() else line for line in lines) + "---\n"


_FALLBACKS: dict[str, Callable[[str], str]] = {
    "alias": lambda text: _with(
        _with(text, "heat: 77\n", "heat: &h 77\n"), "    quality: 17\n", "    quality: *h\n"
    ),
    "explicit key": lambda text: _with(text, "heat: 77\n", "? heat\n: 77\n"),
    "indented root": _indented,
    "anchored key": lambda text: _with(text, "heat: 77\n", "&k heat: 77\n"),
    "tagged key": lambda text: _with(text, "heat: 77\n", "!!str heat: 77\n"),
    "flow continuation at column 0": lambda text: _with(
        text, "topics:\n  - AI\n", "topics: [AI,\nPolicy]\n"
    ),
    "lone CR": lambda text: _with(text, "quality: 57\nheat: 77\n", "quality: 57\rheat: 77\n"),
    "NEL in a scalar": lambda text: _with(text, "How Meta", "How\x85Meta"),
    "quoted continuation at column 0": lambda text: _with(
        text, " companies recruited striking", " companies recruited\nstriking"
    ),
}


@pytest.mark.parametrize("name", list(_FALLBACKS))
def test_the_shortcut_falls_back_where_the_lines_cannot_tell(
    name: str, parses: list[tuple[int, int | None]]
) -> None:
    text = _FALLBACKS[name](SEED)
    yaml_text = _front(text)
    if name != "alias":  # (an alias is refused before the lines are looked at)
        assert entry_heads(yaml_text, len(yaml.safe_load(yaml_text))) is None
    edited, expected = _edit(text, lambda a: setattr(a, "heat", 80))
    assert not _only_parts(parses)  # the whole text parsed, or the full tree built
    expected["heat"] = 80
    heat = _heat_line(text)
    changed = [f"- {heat}", f"+ {heat.replace('77', '80')}"]
    if name == "alias":  # the alias keeps the value it had: written out
        expected["related"][0]["quality"] = 77
        changed = [*changed, "-     quality: *h\n", "+     quality: 77\n"]
    assert yaml.safe_load(_front(edited)) == expected
    assert _changed(text, edited) == changed


def test_a_flow_root_is_parsed_whole(parses: list[tuple[int, int | None]]) -> None:
    text = (GOLDEN / f"{SEEDS[0].stem}.flow-document.txt").read_text(encoding="utf-8")
    edited, data = _edit(text, lambda a: setattr(a, "heat", 80))
    assert parses == [(0, None)]
    line = _heat_line(text)
    assert _changed(text, edited) == [f"- {line}", f"+ {line.replace('heat: 77', 'heat: 80')}"]
    data["heat"] = 80
    assert yaml.safe_load(_front(edited)) == data


def _heat_line(text: str) -> str:
    """The line that holds heat's value (77 in the seed)."""
    return next(line for line in text.splitlines(keepends=True)
                if line.rstrip().endswith(" 77") or " 77," in line)  # fmt: skip


def test_an_entry_only_the_pure_parser_reads_is_edited_by_the_full_tree(
    parses: list[tuple[int, int | None]],
) -> None:
    # libyaml refuses `[AI:ML]` (YAML 1.2 reads it): opening that entry falls back.
    text = _with(SEED, "topics:\n  - AI\n", "topics: [AI:ML]\n")
    article = rt.loads(text)
    source = article.source
    assert source is not None
    wanted = {"topics": {}}
    assert focus.focused_tree(source.envelope.yaml, source.data, wanted) is None
    parses.clear()
    edited, data = _edit(text, lambda a: a.topics.append("Policy"))
    topics = text.index("topics:") - 4
    assert parses == [(topics, text.index("images:") - 4)]  # tried alone, then the full tree
    assert _changed(text, edited) == ["- topics: [AI:ML]\n", "+ topics: [AI:ML, Policy]\n"]
    data["topics"].append("Policy")
    assert yaml.safe_load(_front(edited)) == data
    assert YAML(typ="safe", pure=True).load(_front(edited)) == data


def test_an_entry_only_the_pure_parser_reads_can_stay_a_stub(
    parses: list[tuple[int, int | None]],
) -> None:
    text = _with(SEED, "topics:\n  - AI\n", "topics: [AI:ML]\n")
    edited, data = _edit(text, lambda a: setattr(a, "images", None))
    assert parses == []  # topics is not opened: where it ends comes from its lines
    start = text.index("images:")
    assert edited == text[:start] + text[text.index("related:") :]
    del data["images"]
    assert YAML(typ="safe", pure=True).load(_front(edited)) == data


# -- the stubs against PyYAML ----------------------------------------------------------------


def _last_leaf(node: Any) -> Any:
    while isinstance(node, MappingNode | SequenceNode) and not node.flow_style:
        node = node.value[-1][1] if isinstance(node, MappingNode) else node.value[-1]
    return node


def _line_of_end(text: str, leaf: Any) -> int:
    """The line (0-based) a leaf's own text ends on (a block scalar's trailing blank lines are
    not its own)."""
    end = leaf.end_mark.index
    if isinstance(leaf, ScalarNode) and leaf.style in ("|", ">"):
        start = leaf.start_mark.index
        end = start + len(text[start:end].rstrip(" \t\r\n"))
    return text.count("\n", 0, end)


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("*.txt")), ids=lambda p: p.name)
def test_every_stub_ends_where_ruamels_parser_sees_its_last_leaf_end(path: Any) -> None:
    """The stubs' ends against ruamel.yaml's pure-Python parser (not libyaml, which the
    product uses), entry by entry."""
    source = rt.loads(path.read_bytes()).source
    assert source is not None
    text, data = source.envelope.yaml, source.data
    tree = focus.focused_tree(text, data, {})
    if tree is None:  # aliases: the full tree is used
        assert "*" in text
        return
    # (tabs as spaces: it refuses some tabs libyaml takes as separation; the offsets stay)
    spaced = text.replace("\t", " ")
    composed = YAML(typ="safe", pure=True).compose(spaced)
    assert [entry.name for entry in tree.entries] == [key.value for key, _ in composed.value]
    lines = Lines(text, "\n")
    for entry, (key, value) in zip(tree.entries, composed.value, strict=True):
        assert lines.entry_head(entry) == key.start_mark.index
        leaf = _last_leaf(value)
        end = lines.content_end(entry.value)
        assert text.count("\n", 0, end) == _line_of_end(text, leaf), entry.name
        block = isinstance(leaf, ScalarNode) and leaf.style in ("|", ">")
        assert ends_in_block_scalar(entry.value) is block, entry.name


# -- validating only what changed ------------------------------------------------------------

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 200) | st.text(max_size=8)
    | st.sampled_from(["https://x.example/", "2023-10-19T09:00:00Z", "news", "article"]),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.sampled_from(["name", "domain", "url", "x"]), children, max_size=3),
    max_leaves=6,
)  # fmt: skip
_KEYS = [*rt.ARTICLE.root_schema["properties"], "unknown"]


@example(changes={"unknown": 1})
@example(changes={"heat": "hot"})
@example(changes={"provider": None})
@example(changes={"heat": 5, "topics": ["AI", "Policy"]})
@given(changes=st.dictionaries(st.sampled_from(_KEYS), st.none() | _JSON, min_size=1, max_size=3))
def test_checking_the_changed_values_gives_the_full_checks_verdict(
    changes: dict[str, Any],
) -> None:
    old = rt.to_dict(rt.loads(SEED))
    new = dict(old)
    for key, value in changes.items():
        if value is None:
            new.pop(key, None)  # None stands for a removed key
        else:
            new[key] = value
    unchanged = {key for key in old if key in new and new[key] is old[key]}
    validator = rt.ARTICLE.validator
    assert validator.validate_changed(new, unchanged) == validator.validate(new)


_LISTS = [key for key, value in rt.to_dict(rt.loads(SEED)).items() if type(value) is list]


@example(key="related", index=0, value={"title": "T", "quality": "high"})
@example(key="related", index=0, value={"quality": 5})
@example(key="images", index=0, value={"url": "not a url"})
@example(key="images", index=0, value={"width": "wide"})
@example(key="related", index=1, value={"title": "T"})
@example(key="topics", index=0, value="")
@example(key="images", index=0, value=None)
@given(key=st.sampled_from(_LISTS), index=st.integers(0, 3), value=st.none() | _JSON)
def test_checking_the_changed_items_gives_the_full_checks_verdict(
    key: str, index: int, value: Any
) -> None:
    """A list of the same length with one item replaced: only that item is checked (the
    items' schema judges them one by one), with the verdict of the full check."""
    old = rt.to_dict(rt.loads(SEED))
    items = list(old[key])
    if isinstance(value, dict) and items and isinstance(items[0], dict):
        value = {**items[index % len(items)], **value}  # mostly valid, sometimes not
    items[index % len(items)] = value
    new = {**old, key: items}
    validator = rt.ARTICLE.validator
    verdict = validator.validate(new)
    assert validator.validate_changed(new, old.keys() - {key}, old) == verdict
    assert validator.validate_changed(new, old.keys() - {key}) == verdict


def test_only_the_changed_items_are_checked_where_the_schema_judges_them_one_by_one() -> None:
    validator = Validator({
        "type": "object",
        "properties": {"a": {"type": "array", "items": {"type": "integer"}, "maxItems": 3},
                       "u": {"type": "array", "items": {"type": "integer"},
                             "uniqueItems": True}},
    })  # fmt: skip
    old = {"a": [1, 2], "u": [1, 2]}
    # A bad item that is the old list's own object is taken as passed, as `unchanged` keys
    # are (only what was checked before may be): it shows that only new items are checked.
    bad = ["x"]
    assert (
        validator.validate_changed({"a": [bad, 3], "u": [1, 2]}, {"u"}, {**old, "a": [bad, 2]})
        == []
    )
    assert validator.validate_changed({"a": [bad, 3], "u": [1, 2]}, {"u"}) != []
    assert validator.validate_changed({"a": [1, "y"], "u": [1, 2]}, {"u"}, old) != []
    # uniqueItems looks at several items: the list is checked whole
    assert validator.validate_changed({"a": [1, 2], "u": [2, 2]}, {"a"}, old) != []
    # another length: checked whole (maxItems)
    assert validator.validate_changed({"a": [1, 2, 3, 4], "u": [1, 2]}, {"u"}, old) != []


def test_an_item_that_keeps_its_keys_has_only_its_new_values_checked() -> None:
    """Where the items' schema judges an item's values one by one (type object, properties,
    required, additionalProperties: derived from the schema, through its $ref), an item that
    keeps its keys has only the values that are not the old item's very objects checked."""
    validator = Validator({
        "type": "object",
        "properties": {"a": {"type": "array", "items": {"$ref": "#/$defs/A"}}},
        "$defs": {"A": {"type": "object", "required": ["n"], "additionalProperties": False,
                        "properties": {"n": {"type": "integer"}, "m": {"type": "string"}}}},
    })  # fmt: skip
    bad = ["x"]  # taken as passed when it is the old item's own (see the test above)
    old = {"a": [{"n": bad, "m": "x"}]}
    assert validator.validate_changed({"a": [{"n": bad, "m": "y"}]}, set(), old) == []
    assert validator.validate_changed({"a": [{"n": bad, "m": "y"}]}, set()) != []
    assert validator.validate_changed({"a": [{"n": 1, "m": 2}]}, set(), old) != []
    assert validator.validate_changed({"a": [{"n": bad}]}, set(), old) != []  # keys differ
    assert validator.validate_changed({"a": [{"n": 1, "z": 2}]}, set(), old) != []
    assert validator.validate_changed({"a": [{"n": 1, "m": "z"}]}, set(), old) == []


def test_a_root_schema_that_judges_the_whole_mapping_is_checked_whole() -> None:
    validator = Validator({
        "type": "object",
        "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}},
        "anyOf": [{"required": ["a"]}, {"required": ["b"]}],
    })  # fmt: skip
    # `b` passed before, with `a` beside it; without `a` the root's anyOf still holds, but
    # with neither it fails, which checking `a` alone could not see.
    assert validator.validate_changed({"b": 1}, {"b"}) == []
    assert validator.validate_changed({"c": 1}, set()) != []
    assert validator.validate_changed({"a": "x", "b": 1}, {"b"}) != []


def test_a_record_read_with_warnings_is_checked_whole_when_written() -> None:
    text = _with(SEED, "  domain: technologyreview.com\n",
                 "  domain: technologyreview.com\n  founded: 1899\n")  # fmt: skip
    with pytest.warns(rt.RoundtripWarning, match="founded"):
        article = rt.loads(text, strict=False)
    article.heat = 80
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        edited = rt.dumps(article)
    assert any("founded" in str(warning.message) for warning in caught)
    assert _changed(text, edited) == ["- heat: 77\n", "+ heat: 80\n"]


def test_planning_with_the_changed_keys_named_gives_the_same_edits() -> None:
    article = rt.loads(SEED)
    article.related[0].quality = 5
    article.heat = 1
    article.images = None
    source = article.source
    assert source is not None
    old, new = source.data, rt.to_dict(article)
    args = (source.envelope.yaml, lambda: source.root, old, new, rt.ARTICLE.root_schema, "\n")
    edits, _ = plan(*args)
    assert plan(*args, changed=["related", "heat"])[0] == edits
    assert len(edits) == 3


@pytest.mark.parametrize(
    "edits",
    [[], [(0, 0, "<")], [(1, 2, "B"), (4, 4, "+")], [(7, 9, "")], [(2, 8, "x")], [(9, 10, "!")]],
    ids=["none", "at the start", "first half", "second half", "across", "at the end"],
)
def test_apply_frames_the_edited_text_wherever_the_edits_fall(
    edits: list[tuple[int, int, str]],
) -> None:
    text = "abcdefghij"
    expected = list(text)
    for start, end, replacement in sorted(edits, reverse=True):
        expected[start:end] = [replacement]
    written = apply(text, [Edit(*edit) for edit in edits], "<<", ">>")
    assert written == "<<" + "".join(expected) + ">>"


def test_a_new_key_after_a_block_scalar_ending_in_deeper_spaces_keeps_them(
    parses: list[tuple[int, int | None]],
) -> None:
    # The last line of topics' literal is 5 spaces: deeper than its indentation (4, as its
    # indicator says; its first line has 6), so text of the value, and the new entry goes
    # after it (the entry is parsed alone to see how it ends, and its text kept).
    start, end = SEED.index("images:"), SEED.index("related:")
    text = _with(
        SEED[:start] + SEED[end:], "topics:\n  - AI\n", "topics:\n  - |2-\n      AI\n     \n"
    )
    image = rt.Image(url="https://i.example/a.jpg", width=1, height=2, is_cached=False)
    edited, data = _edit(text, lambda a: setattr(a, "images", [image]))
    assert (text.index("topics:") - 4, text.index("related:") - 4) in parses
    assert _only_parts(parses)
    assert data["topics"] == ["  AI\n "]
    data["images"] = [{"url": "https://i.example/a.jpg", "width": 1, "height": 2,
                       "isCached": False}]  # fmt: skip
    assert yaml.safe_load(_front(edited)) == data
    assert all(line.startswith("+ ") for line in _changed(text, edited))


@pytest.mark.parametrize("clone", [copy.deepcopy, lambda a: pickle.loads(pickle.dumps(a))],
                         ids=["deepcopy", "pickle"])  # fmt: skip
def test_a_copied_record_is_checked_whole_and_edited_in_place(clone: Callable[[Any], Any]) -> None:
    article = rt.loads(SEED)
    source = article.source
    assert source is not None and source.checked_by is rt.ARTICLE.validator
    copied = clone(article)
    assert copied.source.checked_by is None  # the copy was not checked by this validator
    copied.heat = 80
    assert _changed(SEED, rt.dumps(copied)) == ["- heat: 77\n", "+ heat: 80\n"]
    copied.heat = "hot"
    with pytest.raises(rt.RoundtripError, match="heat"):
        rt.dumps(copied)
