"""Edits in place in every layout (issue 8, items 1 and 2).

Each test edits a record through the attrs objects (or `set_field`, the code behind
`roundtrip set`) and judges the result by independent means: the exact lines that changed
(every other line compared byte for byte) and the data an independent YAML reader (ruamel.yaml's
pure-Python YAML 1.2 loader) finds in the text before and after.
"""

from __future__ import annotations

import copy
import difflib
import pathlib
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from ruamel.yaml import YAML

import roundtrip as rt
from roundtrip.edit import set_field

from .conftest import GOLDEN, SEEDS

SEED0 = SEEDS[0].read_text(encoding="utf-8")
SEED2 = SEEDS[1].read_text(encoding="utf-8")
IMAGE = {"url": "https://x.example/i.png", "width": 1, "height": 2, "isCached": False}


def front_matter(text: str) -> str:
    """The YAML between the fences."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    return text[4 : text.index("\n---", 3) + 1]


def data_of(text: str) -> Any:
    """The front matter's data as ruamel.yaml's pure-Python YAML 1.2 reader sees it."""
    return YAML(typ="safe", pure=True).load(front_matter(text))


def changed(before: str, after: str) -> tuple[list[str], list[str]]:
    """(removed lines, added lines), line endings kept; all other lines are equal bytes."""
    a, b = before.splitlines(keepends=True), after.splitlines(keepends=True)
    removed: list[str] = []
    added: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            removed += a[i1:i2]
            added += b[j1:j2]
    return removed, added


def edit(text: str, change: Callable[[rt.Article], None]) -> str:
    article = rt.loads(text)
    change(article)
    return rt.dumps(article)


def expect_data(before: str, after: str, change: Callable[[Any], None]) -> None:
    """The data after is the data before with `change` made (judged by the independent reader)."""
    expected = copy.deepcopy(data_of(before))
    change(expected)
    assert data_of(after) == expected


def pyyaml_record(text: str, **options: Any) -> str:
    """The record's data written by PyYAML's safe_dump (sorted keys unless told otherwise)."""
    data = rt.to_dict(rt.loads(text))
    return "---\n" + yaml.safe_dump(data, allow_unicode=True, width=1000, **options) + "---\n"


SORTED = pyyaml_record(SEED2)
FLOW_LEAVES = pyyaml_record(SEED2, default_flow_style=None)


# -- a first key on the `- ` line ---------------------------------------------------------------


def test_unset_of_a_first_key_on_the_dash_line_moves_the_next_key_up(
    tmp_path: pathlib.Path,
) -> None:
    path = tmp_path / "sorted.txt"
    path.write_text(SORTED, encoding="utf-8")
    assert set_field(str(path), "related.0.ampWebUrl", None)
    after = path.read_text(encoding="utf-8")
    removed, added = changed(SORTED, after)
    assert [line.split(":")[0] for line in removed] == ["- ampWebUrl", "  cdnAmpWebUrl"]
    assert added == ["- " + removed[1][2:]]
    expect_data(SORTED, after, lambda d: d["related"][0].pop("ampWebUrl"))


def test_first_key_removed_before_a_comment_leaves_the_dash_alone() -> None:
    text = SORTED.replace("\n  cdnAmpWebUrl:", "\n  # the CDN copy\n  cdnAmpWebUrl:", 1)
    after = edit(text, lambda a: setattr(a.related[0], "amp_web_url", None))
    removed, added = changed(text, after)
    assert len(removed) == 1 and removed[0].startswith("- ampWebUrl:") and added == ["-\n"]
    assert "  # the CDN copy\n" in after
    expect_data(text, after, lambda d: d["related"][0].pop("ampWebUrl"))


def test_first_two_keys_removed_from_the_dash_line_in_crlf() -> None:
    text = SORTED.replace("\n", "\r\n")
    after = edit(text, lambda a: setattr(a.related[0], "amp_web_url", None) or setattr(
        a.related[0], "cdn_amp_web_url", None))  # fmt: skip
    removed, added = changed(text, after)
    assert len(removed) == 3 and added == ["- " + removed[2][2:]]
    assert added[0].startswith("- excerpt:") and added[0].endswith("\r\n")
    expect_data(
        text, after, lambda d: [d["related"][0].pop(k) for k in ("ampWebUrl", "cdnAmpWebUrl")]
    )


def test_explicit_key_removed_with_its_value_line() -> None:
    text = SEED0.replace("heat: 77\n", "? heat\n: 77\n")
    after = edit(text, lambda a: setattr(a, "cdn_amp_web_url", None) or setattr(a, "heat", 5))
    removed, added = changed(text, after)
    assert added == [": 5\n"] and len(removed) == 2 and removed[0].startswith("cdnAmpWebUrl:")
    expect_data(text, after, lambda d: d.pop("cdnAmpWebUrl") and d.update(heat=5))


# -- key order ----------------------------------------------------------------------------------


def test_new_key_in_a_sorted_record_goes_in_alphabetical_order() -> None:
    after = edit(SORTED, lambda a: setattr(a, "cdn_amp_web_url", "https://x.example/c"))
    removed, added = changed(SORTED, after)
    assert removed == [] and added == ['cdnAmpWebUrl: "https://x.example/c"\n']
    lines = after.splitlines()
    at = lines.index(added[0].rstrip("\n"))
    assert lines[at - 1].startswith("category:") and lines[at + 1].startswith("excerpt:")
    expect_data(SORTED, after, lambda d: d.update(cdnAmpWebUrl="https://x.example/c"))


def test_new_first_key_of_a_sorted_item_goes_on_the_dash_line() -> None:
    after = edit(SORTED, lambda a: setattr(a.related[1], "amp_web_url", "https://x.example/a"))
    removed, added = changed(SORTED, after)
    assert len(removed) == 1 and removed[0].startswith("- excerpt: A recent legal battle")
    assert added == ['- ampWebUrl: "https://x.example/a"\n', "  " + removed[0][2:]]
    expect_data(SORTED, after, lambda d: d["related"][1].update(ampWebUrl="https://x.example/a"))


def test_new_key_in_a_shuffled_record_goes_after_its_schema_predecessor() -> None:
    text = (GOLDEN / "000_6bef1e912cfb9f3e.shuffled-keys.txt").read_text(encoding="utf-8")
    stripped = edit(text, lambda a: setattr(a, "cdn_amp_web_url", None))
    after = edit(stripped, lambda a: setattr(a, "cdn_amp_web_url", "https://x.example/c"))
    removed, added = changed(stripped, after)
    assert removed == [] and added == ['cdnAmpWebUrl: "https://x.example/c"\n']
    lines = after.splitlines()
    assert lines[lines.index(added[0].rstrip("\n")) - 1].startswith("ampWebUrl:")


# -- bare dashes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "topics", ["  -\n   AI\n", "  - \n   AI\n", "  -  # a comment\n   AI\n", "-\n   AI\n"]
)
@pytest.mark.parametrize("index", [0, 1])
def test_items_beside_a_bare_dash_item(topics: str, index: int) -> None:
    text = SEED0.replace("topics:\n  - AI\n", "topics:\n" + topics)
    after = edit(text, lambda a: a.topics.insert(index, "ML"))
    removed, added = changed(text, after)
    dash = topics.index("-")
    assert removed == [] and added == [" " * dash + "- ML\n"]
    expect_data(text, after, lambda d: d["topics"].insert(index, "ML"))


# -- anchors and aliases ------------------------------------------------------------------------


@pytest.mark.parametrize("index", [0, 1])
def test_anchored_sequence_that_gains_an_item_keeps_its_anchor(index: int) -> None:
    text = (GOLDEN / "000_6bef1e912cfb9f3e.data-anchor-shared-image.txt").read_text(
        encoding="utf-8"
    )
    after = edit(
        text,
        lambda a: a.images.insert(
            index, rt.Image(url=IMAGE["url"], width=1, height=2, is_cached=False)
        ),
    )
    assert "images: &images\n" in after
    removed, added = changed(text, after)
    # The new item's four lines, and the alias that saw the old list written out.
    assert removed == ["    images: *images\n"]
    assert added[:4] == [
        '  - url: "https://x.example/i.png"\n',
        "    width: 1\n",
        "    height: 2\n",
        "    isCached: false\n",
    ]
    assert added[4] == "    images:\n" and len(added) == 9

    def change(d: Any) -> None:
        d["related"][1]["images"] = copy.deepcopy(d["images"])
        d["images"].insert(index, IMAGE)

    expect_data(text, after, change)


def test_item_after_one_whose_anchor_alone_is_on_its_dash_line_keeps_the_indentation() -> None:
    # `- &first` with the item's keys on the lines below: the new item's keys go two past its
    # dash, as the document's other block items do, not one past it (which is not YAML).
    # The last related item, its keys one column left of where `- ` would put them.
    head, _, tail = SEED0.rpartition("\n  - title:")
    item, blank, rest = ("    title:" + tail).partition("\n\n")
    item = "\n".join(line[1:] for line in item.split("\n"))
    text = head + "\n  - &last\n" + item + blank + rest
    after = edit(text, lambda a: a.related.append(a.related[0]))
    removed, added = changed(text, after)
    assert removed == []
    assert added[0].startswith('  - title: "Music Companies Take Legal Action')
    assert all(line.startswith("    ") for line in added[1:])
    expect_data(text, after, lambda d: d["related"].append(copy.deepcopy(d["related"][0])))


@pytest.mark.parametrize("indicator", ["|-", "|+", ">"])
def test_removing_the_entry_after_a_block_scalar_takes_its_comments_along(indicator: str) -> None:
    # The comment after `type:` is indented deeper than the block scalar above it would be:
    # left behind, it would become the block scalar's last line (and `|+` takes blank lines).
    block = f"category: {indicator}\n  news\n"
    text = SEED0.replace("category: news\n", block + "cdnAmpWebUrl: \"https://x.example/\"\n"
                         "   # the AMP cache\n\n", 1)  # fmt: skip
    text = text.replace('cdnAmpWebUrl: "https://www-tech', 'x: "', 1)
    text = text.replace('\nx: "', '\n# x: "', 1)
    after = edit(text, lambda a: setattr(a, "cdn_amp_web_url", None))
    removed, added = changed(text, after)
    assert added == []
    assert removed[0] == 'cdnAmpWebUrl: "https://x.example/"\n'
    assert removed[1:] in (["   # the AMP cache\n", "\n"], ["   # the AMP cache\n"])
    expect_data(text, after, lambda d: d.pop("cdnAmpWebUrl"))


def test_removed_anchored_item_writes_its_alias_out() -> None:
    text = (GOLDEN / "000_6bef1e912cfb9f3e.anchors.txt").read_text(encoding="utf-8")
    after = edit(text, lambda a: setattr(a, "images", None))
    expect_data(text, after, lambda d: d.pop("images"))
    assert "*image" not in after.replace("*images", "")


# -- multi-line scalars ---------------------------------------------------------------------------

PROVIDER = "    provider:\n      name: MIT Technology Review\n      domain: technologyreview.com\n"


@pytest.mark.parametrize(
    "name",
    [
        "MIT\n\n        Technology\n\n\n        Review",
        '"MIT\n\n        Review"',
        "'MIT\n\n        Review'",
        "|\n        MIT\n\n        Review\n",
        "|+\n        MIT\n\n        Review\n\n",
        ">\n        MIT\n\n        Review\n",
    ],
)
def test_removing_a_key_beside_a_multi_paragraph_scalar_takes_only_its_line(name: str) -> None:
    at = SEED2.index("    ampWebUrl")
    text = SEED2.replace(PROVIDER, "", 1)
    text = (
        text[:at]
        + "    provider:\n      domain: technologyreview.com\n      name: "
        + name
        + "\n"
        + text[at:]
    )
    after = edit(text, lambda a: setattr(a.related[0], "amp_web_url", None))
    removed, added = changed(text, after)
    assert added == [] and len(removed) == 1 and removed[0].startswith("    ampWebUrl:")
    expect_data(text, after, lambda d: d["related"][0].pop("ampWebUrl"))


# -- flow style -----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["what?", "a?b", "?x", "k:v", "[x]", "a, b"])
def test_new_string_in_a_flow_collection_is_quoted_where_plain_would_break(value: str) -> None:
    after = edit(FLOW_LEAVES, lambda a: a.topics.append(value))
    removed, added = changed(FLOW_LEAVES, after)
    assert removed == ["topics: [AI]\n"] and added == [f'topics: [AI, "{value}"]\n']
    expect_data(FLOW_LEAVES, after, lambda d: d["topics"].append(value))


def test_new_leaf_collections_go_in_flow_where_the_document_writes_them_so() -> None:
    image = rt.Image(url=IMAGE["url"], width=1, height=2, is_cached=False)
    after = edit(
        FLOW_LEAVES,
        lambda a: setattr(a, "images", [image]) or setattr(a.related[1], "images", [image]),
    )
    removed, added = changed(FLOW_LEAVES, after)
    flow = '- {height: 2, isCached: false, url: "https://x.example/i.png", width: 1}\n'
    assert removed == [] and added == ["images:\n", flow, "  images:\n", "  " + flow]
    expect_data(
        FLOW_LEAVES,
        after,
        lambda d: d.update(images=[IMAGE]) or d["related"][1].update(images=[IMAGE]),
    )


def test_new_collections_stay_block_in_a_block_document() -> None:
    after = edit(
        SORTED,
        lambda a: setattr(
            a, "images", [rt.Image(url=IMAGE["url"], width=1, height=2, is_cached=False)]
        ),
    )
    removed, added = changed(SORTED, after)
    assert removed == [] and added == [
        "images:\n",
        "- height: 2\n",
        "  isCached: false\n",
        '  url: "https://x.example/i.png"\n',
        "  width: 1\n",
    ]


def test_block_value_set_to_a_one_line_value_keeps_the_comment_after_its_key() -> None:
    text = (GOLDEN / "000_6bef1e912cfb9f3e.comments.txt").read_text(encoding="utf-8")
    after = edit(text, lambda a: a.topics.pop())
    assert "topics: [] # comment after a key whose value is a block sequence\n" in after
    expect_data(text, after, lambda d: d["topics"].pop())


# -- cases found by exploration (the property tests under random seeds) -----------------------

CASES = pathlib.Path(__file__).parent / "splice_cases"


def test_insert_into_a_sequence_of_mixed_dash_layouts_adds_only_the_new_item() -> None:
    """Quoted keys, a first key two spaces after its dash, bare `-` items, multi-line quotes."""
    text = (CASES / "insert-related-2.record.txt").read_text(encoding="utf-8")
    new = {"title": "New", "excerpt": "E", "publishedDateTime": "2024-01-02T03:04:05Z",
           "webUrl": "https://n.example/", "type": "article",
           "provider": {"name": "P", "domain": "p.example"}, "quality": 1}  # fmt: skip
    item = rt.from_dict({**rt.to_dict(rt.loads(text)), "related": [new]}).related[0]
    after = edit(text, lambda a: a.related.insert(2, item))
    removed, added = changed(text, after)
    assert removed == [] and len(added) == 9 and "New" in added[0]
    # ruamel.yaml's pure reader refuses this text's trailing tabs; PyYAML's libyaml reader judges.
    got = yaml.load(front_matter(after), Loader=yaml.CSafeLoader)
    inserted = got["related"].pop(2)
    assert got == yaml.load(front_matter(text), Loader=yaml.CSafeLoader)
    assert {k: v for k, v in inserted.items() if k != "publishedDateTime"} == {
        k: v for k, v in new.items() if k != "publishedDateTime"
    }


def test_explicit_key_with_a_colon_in_its_comment_takes_a_new_value_after_its_colon() -> None:
    text = SEED0.replace("topics:\n  - AI\n", "? topics # a: b\n:\n  - AI\n")
    after = edit(text, lambda a: a.topics.pop())
    removed, added = changed(text, after)
    assert removed == [":\n", "  - AI\n"] and added == [": []\n"]
    expect_data(text, after, lambda d: d["topics"].pop())


@pytest.mark.parametrize(
    ("topics", "index"),
    [
        ("topics:\n- a\n-  # 6\n !!str b\n", 1),
        ("topics:\n- a\n- no\n- C++\n-  # 6\n !!str don't\n", 3),
    ],
)
def test_insert_before_a_bare_dash_item_with_tagged_content_adds_one_line(
    topics: str, index: int
) -> None:
    text = SEED0.replace("topics:\n  - AI\n", topics)
    after = edit(text, lambda a: a.topics.insert(index, "in"))
    assert changed(text, after) == ([], ["- in\n"])
    expect_data(text, after, lambda d: d["topics"].insert(index, "in"))


def test_insert_into_a_styled_sequence_adds_only_the_new_item() -> None:
    """Quoted key with trailing spaces, a folded anchored item, bare dashes, `|-` items."""
    text = (CASES / "insert-topics-3.record.txt").read_text(encoding="utf-8")
    after = edit(text, lambda a: a.topics.insert(3, "in"))
    removed, added = changed(text, after)
    assert removed == [] and len(added) == 1 and added[0].lstrip("- ") == "in\n"
    got = yaml.load(front_matter(after), Loader=yaml.CSafeLoader)
    assert got["topics"].pop(3) == "in"
    assert got == yaml.load(front_matter(text), Loader=yaml.CSafeLoader)


@pytest.mark.parametrize("item", ["&a1 !!str AI", "!!str &a1 AI"])
def test_item_with_an_anchor_and_a_tag_goes_with_its_line(item: str) -> None:
    text = SEED0.replace("category: news", "category: !!str news").replace(
        "topics:\n  - AI\n", f"topics:\n- {item}\n- ML\n"
    )
    after = edit(text, lambda a: a.topics.pop(0))
    assert changed(text, after) == ([f"- {item}\n"], [])
    expect_data(text, after, lambda d: d["topics"].pop(0))


def test_tab_separated_values_keep_their_tabs_when_a_neighbour_goes() -> None:
    text = SORTED.replace(": ", ":\t")
    after = edit(
        text, lambda a: setattr(a.related[0], "amp_web_url", None) or setattr(a, "heat", 5)
    )
    removed, added = changed(text, after)
    assert [line.split(":")[0] for line in removed] == ["heat", "- ampWebUrl", "  cdnAmpWebUrl"]
    assert added == ["heat:\t5\n", "- " + removed[2][2:]]
    # ruamel.yaml's pure reader refuses a tab after `:`; PyYAML's libyaml reader judges.
    expected = yaml.load(front_matter(text), Loader=yaml.CSafeLoader)
    expected["related"][0].pop("ampWebUrl")
    expected["heat"] = 5
    assert yaml.load(front_matter(after), Loader=yaml.CSafeLoader) == expected


@pytest.mark.parametrize(
    "name", ["MIT\n\n      Technology\n\n\n      Review", "|-\n      MIT\n\n      Review"]
)
def test_removing_a_dash_line_key_of_an_item_with_a_multi_paragraph_scalar(name: str) -> None:
    item = SORTED.index("\n- ampWebUrl")
    at = SORTED.index("    name: MIT Technology Review\n", item)
    text = (
        SORTED[:at]
        + "    name: "
        + name
        + "\n"
        + SORTED[at + len("    name: MIT Technology Review\n") :]
    )
    after = edit(text, lambda a: setattr(a.related[0], "amp_web_url", None))
    removed, added = changed(text, after)
    assert [line.split(":")[0] for line in removed] == ["- ampWebUrl", "  cdnAmpWebUrl"]
    assert added == ["- " + removed[1][2:]]
    expect_data(text, after, lambda d: d["related"][0].pop("ampWebUrl"))
