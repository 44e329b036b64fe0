"""The pieces of the write side, each on its own: apply, align, Lines, measure, the planner's
edits, and the coarse fallback (forced)."""

from __future__ import annotations

import difflib
from typing import Any

import pytest
import yaml
from ruamel.yaml import YAML

import roundtrip as rt
import roundtrip.splice as splice_module
from roundtrip.lines import Lines
from roundtrip.parse import parse_tree
from roundtrip.plan import Edit, align
from roundtrip.render import measure
from roundtrip.splice import apply, plan, splice

from .conftest import GOLDEN, SEEDS

SEED0 = SEEDS[0].read_text(encoding="utf-8")
SCHEMA = rt.ARTICLE.root_schema


@pytest.mark.parametrize("at", [0, 1, 5, 9, 10])
def test_apply_between_before_and_after_edits_anywhere(at: int) -> None:
    """Edits in either half of the text (each half is built its own way) within a frame."""
    text = "0123456789"
    edits = [Edit(at, at, "+"), Edit(at, min(at + 1, 10), "\u201cx\u201d")]
    expected = "<" + text[:at] + "+\u201cx\u201d" + text[min(at + 1, 10) :] + ">"
    assert apply(text, edits, "<", ">") == expected
    assert apply(text, [Edit(at, at, "")], "<", ">") == "<" + text + ">"


def test_apply_makes_every_edit_and_refuses_overlaps() -> None:
    assert apply("abcdef", [Edit(4, 5, "E"), Edit(1, 1, "+"), Edit(1, 3, "")]) == "a+dEf"
    with pytest.raises(rt.EmitError, match="overlapping"):
        apply("abcdef", [Edit(1, 3, ""), Edit(2, 4, "x")])


@pytest.mark.parametrize(
    ("old", "new", "pairs", "removed", "before", "inserted"),
    [
        ([1, 2, 3], [1, 3], [], [1], 2, []),
        ([1, 2, 3], [1, 2, 9, 3], [], [], 2, [9]),
        ([1, 2, 3], [0, 2, 4], [(0, 0), (1, 1), (2, 2)], [], 3, []),
        ([1, 2, 3, 4], [9, 2, 3], [(0, 0), (1, 1), (2, 2)], [3], 4, []),
        ([1, 1], [1], [], [1], 2, []),
    ],
)
def test_align_keeps_equal_ends_and_pairs_the_middle(
    old: list[int], new: list[int], pairs: list[tuple[int, int]], removed: list[int],
    before: int, inserted: list[int],
) -> None:  # fmt: skip
    alignment = align(old, new)
    assert (alignment.pairs, alignment.removed) == (pairs, removed)
    assert (alignment.inserted_before, alignment.inserted) == (before, inserted)
    # Replaying the alignment on `old` gives `new`.
    result = [new[j] if (i, j) in alignment.pairs else x for i, x in enumerate(old)
              for j in [next((j for k, j in alignment.pairs if k == i), -1)]]  # fmt: skip
    kept = [x for i, x in enumerate(result) if i not in alignment.removed]
    at = alignment.inserted_before - len(
        [i for i in alignment.removed if i < alignment.inserted_before]
    )
    assert kept[:at] + alignment.inserted + kept[at:] == new


def test_lines_answer_from_the_text() -> None:
    text = "a: 1\r\nb:\r\n  - &x\r\n    c: 2  # note\r\n? d\r\n: 3\r\n"
    lines = Lines(text, "\r\n")
    root = parse_tree(text)
    b_items = root.entries[1].value
    item = b_items.items[0]  # type: ignore[union-attr]
    assert text[lines.dash(item)] == "-" and lines.column(lines.dash(item)) == 2
    assert text[lines.content_end(root.entries[1].value) - 1] == "2"
    assert lines.end(0) == 4 and lines.after(0) == 6 and lines.start(7) == 6
    assert text[lines.entry_head(root.entries[2])] == "?"
    assert lines.owns(text.index("c:")) and not lines.owns(text.index("&x"))
    assert text[lines.properties_end(text.index(":", 6) + 1) :].startswith("\r\n")
    assert lines.break_before(len(text)) == ""
    assert Lines("a: 1", "\n").break_before(4) == "\n"


@pytest.mark.parametrize(
    ("scalar", "own"),
    [
        ("|-\n   news \n    \n", "|-\n   news \n    "),  # 4 spaces at indentation 3: a space
        ("|-\n   news\n   \n\n", "|-\n   news"),  # 3 spaces: an empty line
        ("|2-\n    news\n     \n", "|2-\n    news\n     "),  # indicator: value "  news\n   "
        ("|1\n  news\n \n\n", "|1\n  news"),
        (">-\n  news\n\n  \n", ">-\n  news"),
        ("|\r\n   a\r\n    \r\n   \r\n", "|\r\n   a\r\n    "),
        ("|-  # note\n\n", "|-  # note"),
    ],
)
def test_a_block_scalar_ends_at_its_last_content_line(scalar: str, own: str) -> None:
    # libyaml's end mark is past the trailing empty lines; a line with more spaces than the
    # scalar's indentation is content all the same.
    newline = "\r\n" if "\r" in scalar else "\n"
    text = f"k: {scalar}q: 1{newline}"
    node = parse_tree(text).entries[0].value
    assert text[node.start : Lines(text, newline).content_end(node)] == own


def test_replacing_a_block_scalar_takes_its_lines_of_spaces_along(seed_text: str) -> None:
    text = seed_text.replace("type: article\n", "type: |-\n   news \n    \n", 1)
    article = rt.loads(text)
    assert article.type == "news \n "  # the line of 4 spaces holds a space of the value
    article.type = "other\n 50%"
    written = rt.dumps(article)
    expected = yaml.safe_load(text.split("---\n")[1])
    expected["type"] = "other\n 50%"
    assert yaml.safe_load(written.split("---\n")[1]) == expected
    changed = [line for line in difflib.ndiff(text.splitlines(), written.splitlines())
               if line[:1] in "+-"]  # fmt: skip
    assert changed == ["-    news ", "-     ", "+    other", "+     50%"]  # "- " + the line


@pytest.mark.parametrize("header", ["|-", ">1-", "|2-"])
def test_a_nested_block_scalar_set_to_a_value_starting_with_a_space(header: str) -> None:
    # An indentation indicator counts from the parent mapping's indentation (6 here), not
    # from column 0: the value is written in double quotes instead.
    content = " " * (6 + int(header[1])) if header[1].isdigit() else " " * 8
    text = (
        (GOLDEN / "000_6bef1e912cfb9f3e.txt")
        .read_text(encoding="utf-8")
        .replace(
            "      domain: technologyreview.com\n", f"      domain: {header}\n{content}actors\n", 1
        )
    )
    article = rt.loads(text)
    assert article.related[1].provider.domain == "actors"
    article.related[1].provider.domain = " 7 spaces|"
    expected = yaml.safe_load(text.split("---\n")[1])
    expected["related"][1]["provider"]["domain"] = " 7 spaces|"
    source = article.source
    assert source is not None
    fine = splice(source.envelope.yaml, source.root, source.data, rt.to_dict(article),
                  rt.ARTICLE.root_schema, "\n")  # fmt: skip
    assert yaml.safe_load(fine) == expected  # the finest plan, before any fallback
    written = rt.dumps(article)
    assert yaml.safe_load(written.split("---\n")[1]) == expected
    changed = [line for line in difflib.ndiff(text.splitlines(), written.splitlines())
               if line[:1] in "+-"]  # fmt: skip
    assert sorted(changed) == sorted([f"-       domain: {header}", f"- {content}actors",
                                      '+       domain: " 7 spaces|"'])  # fmt: skip


def test_measure_reads_the_documents_layout() -> None:
    yaml_text = SEED0[4 : SEED0.index("\n---\n", 3) + 1]
    house = measure(parse_tree(yaml_text), Lines(yaml_text, "\n"))
    assert (house.mapping, house.sequence, house.item) == (2, 2, 2)
    assert not house.flow_leaves and not house.sorted_keys
    data = rt.to_dict(rt.loads(SEED0))
    for options, flow in (({}, False), ({"default_flow_style": None}, True)):
        text = yaml.safe_dump(data, allow_unicode=True, width=1000, **options)
        layout = measure(parse_tree(text), Lines(text, "\n"))
        assert layout.sorted_keys and layout.flow_leaves is flow and layout.sequence == 0


def test_planner_edits_are_local() -> None:
    yaml_text = SEED0[4 : SEED0.index("\n---\n", 3) + 1]
    article = rt.loads(SEED0)
    source = article.source
    assert source is not None
    article.heat = 5
    edits, _ = plan(yaml_text, source.root, source.data, rt.to_dict(article), SCHEMA, "\n")
    assert len(edits) == 1 and yaml_text[edits[0].start : edits[0].end] == "77"


def _changed(before: str, after: str) -> list[str]:
    a, b = before.splitlines(), after.splitlines()
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    return [line for tag, i1, i2, _, _ in ops if tag != "equal" for line in a[i1:i2]]


def test_coarse_fallback_rewrites_one_top_level_value_in_the_documents_order() -> None:
    text = (GOLDEN / "000_6bef1e912cfb9f3e.shuffled-keys.txt").read_text(encoding="utf-8")
    yaml_text = text[4 : text.index("\n---\n", 3) + 1]
    article = rt.loads(text)
    source = article.source
    assert source is not None
    article.related[0].quality = 5
    new = rt.to_dict(article)
    out = splice(yaml_text, source.root, source.data, new, SCHEMA, "\n", coarse=True)
    old_lines = yaml_text.splitlines()
    related = old_lines.index("related:")
    changed = _changed(yaml_text, out)
    # Only lines of `related` change, and its items keep their keys in the text's order.
    assert changed and all(old_lines.index(line) > related for line in changed)
    item_keys = [line.split(":")[0].strip("- ") for line in out.splitlines()[related + 1 :][:8]]
    assert item_keys == [line.split(":")[0].strip("- ") for line in old_lines[related + 1 :][:8]]
    assert YAML(typ="safe", pure=True).load(out)["related"][0]["quality"] == 5


@pytest.mark.parametrize("broken", [0, 1])
def test_dumps_falls_back_to_coarser_splices_when_finer_ones_are_wrong(
    monkeypatch: pytest.MonkeyPatch, broken: int
) -> None:
    real_plan = splice_module.plan
    levels: list[int] = []

    def broken_plan(*args: Any, coarse: int = 0, **kwargs: Any) -> Any:
        levels.append(coarse)
        edits, tree = real_plan(*args, coarse=coarse, **kwargs)
        # Plans up to `broken` would break the YAML (as a planner bug would).
        return (edits if coarse > broken else [*edits, Edit(0, 0, "{")]), tree

    monkeypatch.setattr(splice_module, "plan", broken_plan)
    article = rt.loads(SEED0)
    article.provider.name = "Other"
    out = rt.dumps(article)
    assert levels == list(range(broken + 2))
    assert rt.loads(out).provider.name == "Other"
    # Coarser plans rewrite more (the provider mapping at level 2), in the document's layout.
    assert _changed(SEED0, out) == ["  name: MIT Technology Review"]


def test_every_plan_failing_its_check_is_an_emit_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real_plan = splice_module.plan

    def broken_plan(*args: Any, **kwargs: Any) -> Any:
        edits, tree = real_plan(*args, **kwargs)
        return [*edits, Edit(0, 0, "{")], tree

    monkeypatch.setattr(splice_module, "plan", broken_plan)
    article = rt.loads(SEED0)
    article.heat = 1
    with pytest.raises(rt.EmitError, match="does not parse"):
        rt.dumps(article)


def test_plain_ok_in_flow_agrees_with_libyaml() -> None:
    """Every string `plain_ok(..., flow=True)` accepts, libyaml reads back as that string."""
    from itertools import product

    from _ruamel_yaml import CParser, ScalarEvent

    from roundtrip.scalars import plain_ok

    chars = "a -?:,[]{}#&*!|>'\"%@`"
    accepted = 0
    for size in (1, 2, 3):
        for letters in product(chars, repeat=size):
            value = "".join(letters)
            if not plain_ok(value, flow=True):
                continue
            accepted += 1
            parser = CParser(f"[{value}, {{k: {value}}}]\n")
            scalars = []
            while (event := parser.get_event()) is not None and len(scalars) < 3:
                if isinstance(event, ScalarEvent):
                    scalars.append(event.value)
            assert scalars == [value, "k", value], value
    assert accepted > 100


def _some_edits(article: rt.Article) -> list[Any]:
    def heat(a: rt.Article) -> None:
        a.heat += 1

    def quality(a: rt.Article) -> None:
        a.related[0].quality += 1

    def title(a: rt.Article) -> None:
        a.related[-1].title = "Changed: title"

    def topic(a: rt.Article) -> None:
        a.topics.insert(0, "First?")

    def drop_related(a: rt.Article) -> None:
        del a.related[0]

    def images(a: rt.Article) -> None:
        a.images = (
            None
            if a.images
            else [rt.Image(url="https://i.example/", width=1, height=1, is_cached=True)]
        )

    def provider(a: rt.Article) -> None:
        a.provider.name = "P"

    def cdn(a: rt.Article) -> None:
        a.cdn_amp_web_url = None if a.cdn_amp_web_url else "https://c.example/"

    return [heat, quality, title, topic, drop_related, images, provider, cdn]


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("*.txt")), ids=lambda p: p.name)
def test_the_focused_tree_plans_the_same_edits_as_the_full_tree(path: Any) -> None:
    text = path.read_bytes().decode("utf-8")
    for change in _some_edits(rt.loads(text)):
        article = rt.loads(text)
        change(article)
        source = article.source
        assert source is not None
        yaml_text, full = source.envelope.yaml, source.root
        new = rt.to_dict(article)
        args = (source.data, new, SCHEMA, source.envelope.newline)
        focused_edits, tree = plan(yaml_text, lambda full=full: full, *args)
        full_edits, _ = plan(yaml_text, full, *args)
        assert focused_edits == full_edits, change.__name__
        assert ("*" in yaml_text) is (tree is full)


def _region_case(text: str, change: Any) -> tuple[str, Any, dict[str, Any], Any]:
    from roundtrip.splice import spliced

    article = rt.loads(text)
    change(article)
    source = article.source
    assert source is not None
    new = rt.to_dict(article)
    out, region = spliced(source.envelope.yaml, lambda: source.root, source.data, new,
                          SCHEMA, source.envelope.newline)  # fmt: skip
    return out, region, new, source


def test_the_edited_region_is_the_touched_top_level_entries_and_is_checked_alone() -> None:
    from roundtrip.splice import Region, region_holds

    out, region, new, _ = _region_case(SEED0, lambda a: setattr(a, "heat", 80))
    assert region is not None and out[region.start : region.end] == "heat: 80\n"
    assert region.keys == ["heat"] and region_holds(out, region, new)
    # A region that does not hold the new data, or cannot be read alone, is not passed.
    assert not region_holds(out, region, {**new, "heat": 81})
    indented = out[: region.start] + "  " + out[region.start :]
    assert not region_holds(indented, Region(region.start, region.end + 2, ["heat"]), new)
    # An edit at the border of two entries counts for both.
    out, region, new, _ = _region_case(SEED0, lambda a: setattr(a, "cdn_amp_web_url", None))
    assert region is not None and region.keys == ["ampWebUrl", "type"]


def test_no_region_is_offered_where_aliases_reach_across() -> None:
    text = (GOLDEN / "000_6bef1e912cfb9f3e.anchors.txt").read_text(encoding="utf-8")
    _, region, _, _ = _region_case(text, lambda a: setattr(a, "web_url", "https://w.example/"))
    assert region is None
    _, region, _, _ = _region_case(text, lambda a: setattr(a, "heat", 5))
    assert region is not None and region.keys == ["heat"]


def test_a_fine_plan_that_cannot_be_made_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    real_plan = splice_module.plan

    def failing_fine_plan(*args: Any, coarse: int = 0, **kwargs: Any) -> Any:
        if not coarse:
            raise rt.EmitError("cannot find the dash of a sequence item")
        return real_plan(*args, coarse=coarse, **kwargs)

    monkeypatch.setattr(splice_module, "plan", failing_fine_plan)
    article = rt.loads(SEED0)
    article.heat = 1
    assert _changed(SEED0, rt.dumps(article)) == ["heat: 77"]
