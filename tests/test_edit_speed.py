"""The work an edit shares or skips to be fast (issue 8 item 6), each shortcut forced and its
fallback forced, judged by PyYAML, ruamel.yaml's pure parser and byte comparison.

- the text check (lone surrogates, huge integers) follows the paths to what changed, and
  checks new keys, new items and changed kinds whole;
- the read-back takes the entry, item and key heads the focused tree found from the lines,
  and finds them itself on a full tree;
- a focused tree's entries the edit does not open are stubs whose key and value are made only
  when the planner asks (a key removed or added beside them).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import yaml
from ruamel.yaml import YAML

import roundtrip as rt
import roundtrip.items as items
import roundtrip.records as records
import roundtrip.splice as splice
from roundtrip.focus import focused_tree
from roundtrip.focus_stubs import EntryStub, Items, KeyedItem, Root
from roundtrip.plan import needs

from .conftest import SEEDS
from .texts import changed as _changed
from .texts import front as _front

SEED = SEEDS[0].read_text(encoding="utf-8")


def _data(text: str) -> Any:
    """The front matter's data as PyYAML reads it, checked against ruamel.yaml's pure parser."""
    data = yaml.safe_load(_front(text))
    assert YAML(typ="safe", pure=True).load(_front(text)) == data
    return data


# -- the text check follows what changed -----------------------------------------------------


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str | int, ...]]]:
    """The paths `_check_text` is called on from `emit_parts` (not its own recursion)."""
    paths: list[tuple[str | int, ...]] = []
    check = records._check_text
    depth = [0]

    def spy(data: Any, path: tuple[str | int, ...]) -> None:
        if not depth[0]:
            paths.append(path)
        depth[0] += 1
        try:
            check(data, path)
        finally:
            depth[0] -= 1

    monkeypatch.setattr(records, "_check_text", spy)
    yield paths


def _surrogate_title(index: int) -> Callable[[rt.Article], None]:
    def change(article: rt.Article) -> None:
        article.related[index].title = "half \ud800 a pair"

    return change


def _appended_with_surrogate(article: rt.Article) -> None:
    article.related.append(rt.loads(SEED).related[0])
    article.related[-1].title = "half \ud800 a pair"


def _provider_replaced(article: rt.Article) -> None:  # a changed kind: checked whole
    article.topics = ["AI", "half \ud800 a pair"]


@pytest.mark.parametrize(
    ("change", "paths", "field"),
    [
        # the shortcut: only the changed leaf, deep in one item, is checked
        (_surrogate_title(1), [("related", 1, "title")], "related.1.title"),
        # the fallbacks: a list that changes length, checked whole
        (_appended_with_surrogate, [("related",)], "related.2.title"),
        (_provider_replaced, [("topics",)], "topics.1"),
    ],
    ids=["leaf in an item", "item appended", "list grown"],
)
def test_the_text_check_follows_the_changed_paths_and_still_refuses(
    change: Callable[[rt.Article], None], paths: list[tuple[str | int, ...]], field: str,
    checked: list[tuple[str | int, ...]],
) -> None:  # fmt: skip
    article = rt.loads(SEED)
    change(article)
    with pytest.raises(rt.EmitError) as caught:
        rt.dumps(article)
    assert caught.value.field == field
    assert "surrogate" in str(caught.value)
    assert checked == paths


def test_a_new_key_is_text_checked_whole(checked: list[tuple[str | int, ...]]) -> None:
    article = rt.loads(SEED)
    huge = 10**5000
    article.related[0].images = [rt.Image(url="https://x.example/a.jpg", width=huge,
                                          height=1, is_cached=False)]  # fmt: skip
    with pytest.raises(rt.EmitError) as caught:
        rt.dumps(article)
    assert caught.value.field == "related.0.images.0.width"
    assert "too large" in str(caught.value)
    assert checked == [("related", 0, "images")]  # the item's new key, whole


def test_a_checked_edit_writes_what_pyyaml_reads(checked: list[tuple[str | int, ...]]) -> None:
    article = rt.loads(SEED)
    article.related[1].provider.name = "MIT"
    edited = rt.dumps(article)
    assert checked == [("related", 1, "provider", "name")]
    expected = _data(SEED)
    expected["related"][1]["provider"]["name"] = "MIT"
    assert _data(edited) == expected
    assert _changed(SEED, edited) == [
        "-       name: MIT Technology Review\n",
        "+       name: MIT\n",
    ]


# -- the read-back reuses the heads the focused tree found -----------------------------------


def _edited(change: Callable[[rt.Article], None]) -> tuple[rt.Article, dict[str, Any]]:
    article = rt.loads(SEED)
    change(article)
    return article, rt.to_dict(article)


_EDITS: dict[str, Callable[[rt.Article], None]] = {
    "scalar": lambda a: setattr(a, "heat", 80),
    "item field": lambda a: setattr(a.related[0], "quality", 5),
    "two items": lambda a: [setattr(a.related[i], "quality", 5) for i in (0, 1)],
    "item appended": lambda a: a.topics.append("Policy"),
    "key removed": lambda a: setattr(a, "images", None),
}


@pytest.fixture
def found(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The calls the read-back makes to find heads from the lines itself."""
    calls: list[str] = []
    heads, keys = splice.item_heads, splice.item_keys

    def spy_heads(*args: Any) -> Any:
        calls.append("item_heads")
        return heads(*args)

    def spy_keys(*args: Any) -> Any:
        calls.append("item_keys")
        return keys(*args)

    monkeypatch.setattr(splice, "item_heads", spy_heads)
    monkeypatch.setattr(splice, "item_keys", spy_keys)
    yield calls


@pytest.mark.parametrize("name", list(_EDITS))
def test_the_read_back_region_is_the_same_from_the_focused_and_the_full_tree(
    name: str, found: list[str]
) -> None:
    article, new = _edited(_EDITS[name])
    source = article.source
    assert source is not None
    text, old, schema = source.envelope.yaml, source.data, rt.ARTICLE.root_schema
    focused, region = splice.spliced(text, lambda: source.root, old, new, schema, "\n")
    from_focus = list(found)
    full, full_region = splice.spliced(text, source.root, old, new, schema, "\n")
    assert focused == full
    assert region == full_region
    if name in ("item field", "two items"):  # the cases the shortcut must take
        assert region is not None and region.items is not None
    if region is not None and region.items is not None:
        assert from_focus == []  # the shortcut: the focused tree's heads
        assert "item_heads" in found  # the fallback: found from the lines on the full tree
    if region is not None and region.fields is not None:
        assert "item_keys" in found
    assert _as_json(_data("---\n" + focused + "---\n")) == new
    assert region is None or splice.region_holds(focused, region, new)


def _as_json(data: Any) -> Any:
    """PyYAML's data with its date-times as the record's data holds them (RFC 3339, `Z`)."""
    return json.loads(json.dumps(data, default=lambda d: d.isoformat().replace("+00:00", "Z")))


def test_the_focused_tree_keeps_the_heads_the_lines_gave() -> None:
    article, new = _edited(_EDITS["item field"])
    source = article.source
    assert source is not None
    text, old = source.envelope.yaml, source.data
    tree = focused_tree(text, old, {"related": needs(old["related"], new["related"])})
    assert isinstance(tree, Root)
    # every entry starts where ruamel.yaml's pure parser sees its key
    composed = YAML(typ="safe", pure=True).compose(text)
    assert tree.heads == [key.start_mark.index for key, _ in composed.value]
    related = tree.entries[list(old).index("related")].value
    assert isinstance(related, Items)
    items_node = dict((key.value, value) for key, value in composed.value)["related"]
    column, heads = related.heads
    dashes = [item.start_mark.index - 2 for item in items_node.value]  # `- ` before each
    assert column == 2 and [head + column for head in heads] == dashes
    item = related.items[0]
    assert isinstance(item, KeyedItem)
    indent, key_heads = item.keys
    assert indent == 4
    assert [head + (indent if i else 0) for i, head in enumerate(key_heads)] == [
        key.start_mark.index for key, _ in items_node.value[0].value
    ]


def test_without_a_focused_tree_the_read_back_finds_heads_itself() -> None:
    article, new = _edited(_EDITS["item field"])
    source = article.source
    assert source is not None
    text = source.envelope.yaml
    start = text.index("related:")
    heads = items.item_heads(text, start, text.index("secured:"), "related", 2)
    out, region = splice.spliced(text, source.root, source.data, new,
                                 rt.ARTICLE.root_schema, "\n")  # fmt: skip
    assert heads is not None and region is not None and region.items is not None
    assert region.fields == (("quality",), 4)
    assert out[region.start : region.end] == "    quality: 5\n"


# -- stubs made only when asked ---------------------------------------------------------------


def test_an_edit_that_keeps_the_keys_makes_no_stub_key_or_value() -> None:
    article, new = _edited(_EDITS["item field"])
    source = article.source
    assert source is not None
    text, old = source.envelope.yaml, source.data
    wanted = {"related": needs(old["related"], new["related"])}
    tree = focused_tree(text, old, wanted)
    assert tree is not None
    edits, planned = splice.plan(text, lambda: source.root, old, new, rt.ARTICLE.root_schema,
                                 "\n", wanted=wanted)  # fmt: skip
    stubs = [entry for entry in planned.entries if isinstance(entry, EntryStub)]
    assert len(stubs) == len(old) - 1
    for stub in stubs:  # the slots stay unset: asking for one makes it
        with pytest.raises(AttributeError):
            object.__getattribute__(stub, "key")
    assert [edit.text for edit in edits] == ["5"]


@pytest.mark.parametrize(
    "change",
    [
        lambda a: setattr(a, "images", None),  # a top-level key between stubs goes
        lambda a: (setattr(a.related[0], "quality", 5), setattr(a.related[0], "type", "x")),
    ],
    ids=["top-level key removed", "two entries of an item"],
)
def test_stubs_asked_for_their_place_give_the_lines_ruamel_sees(
    change: Callable[[rt.Article], None],
) -> None:
    article = rt.loads(SEED)
    change(article)
    edited = rt.dumps(article)
    expected = _data(SEED)
    change_plain(expected, article)
    assert _data(edited) == expected
    removed = [line for line in _changed(SEED, edited) if line.startswith("- ")]
    assert all(line.strip("- \n") in SEED for line in removed)


def change_plain(expected: dict[str, Any], article: rt.Article) -> None:
    """The record's data, as PyYAML would read it: what the edit made of `expected`."""
    if article.images is None:
        del expected["images"]
    expected["related"][0]["quality"] = article.related[0].quality
    expected["related"][0]["type"] = article.related[0].type


def test_a_key_removed_beside_stubs_changes_only_its_lines() -> None:
    article = rt.loads(SEED)
    article.images = None
    edited = rt.dumps(article)
    start = SEED.index("images:\n")
    end = SEED.index("related:\n")
    assert edited == SEED[:start] + SEED[end:]
