"""Edits through the attrs objects change only what they touch."""

from __future__ import annotations

import difflib
from datetime import datetime, timedelta, timezone
from typing import Any

import attrs
import pytest

import roundtrip as rt

from .conftest import GOLDEN, SEEDS

SEED0 = SEEDS[0].read_text(encoding="utf-8")
SEED2 = SEEDS[1].read_text(encoding="utf-8")


def golden(name: str) -> str:
    return (GOLDEN / name).read_bytes().decode("utf-8")


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """(removed lines, added lines) between two texts, line endings kept."""
    removed: list[str] = []
    added: list[str] = []
    a, b = before.splitlines(keepends=True), after.splitlines(keepends=True)
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            removed += a[i1:i2]
            added += b[j1:j2]
    return removed, added


def test_scalar_edit_rewrites_only_its_line() -> None:
    article = rt.loads(SEED0)
    article.heat = 80
    assert changed_lines(SEED0, rt.dumps(article)) == (["heat: 77\n"], ["heat: 80\n"])


def test_nested_edits_keep_quoting_style() -> None:
    article = rt.loads(SEED0)
    article.related[0].quality = 5
    article.related[1].title = 'A "quoted" title'
    article.provider.name = "Technology Review"
    removed, added = changed_lines(SEED0, rt.dumps(article))
    assert added == [
        "  name: Technology Review\n",
        "    quality: 5\n",
        '  - title: "A \\"quoted\\" title"\n',
    ]
    assert len(removed) == 3


@pytest.mark.parametrize(
    ("name", "before", "after"),
    [
        ("000_6bef1e912cfb9f3e.single-quoted.txt", "'news'", "'it''s news'"),
        ("002_a1f7abd1a28687f0.double-quoted.txt", '"news"', '"it\'s news"'),
        ("000_6bef1e912cfb9f3e.plain.txt", "news", "it's news"),
    ],
)
def test_edit_keeps_the_fields_own_quoting(name: str, before: str, after: str) -> None:
    text = golden(name)
    article = rt.loads(text)
    article.category = "it's news"
    removed, added = changed_lines(text, rt.dumps(article))
    assert len(removed) == len(added) == 1
    assert removed[0].replace(before, after) == added[0]


def test_plain_value_that_needs_quotes_gets_double_quotes() -> None:
    article = rt.loads(SEED0)
    article.category = "yes: no"
    assert changed_lines(SEED0, rt.dumps(article))[1] == ['category: "yes: no"\n']


def test_value_set_back_gives_the_original_bytes() -> None:
    for path in GOLDEN.iterdir():
        text = path.read_bytes().decode("utf-8")
        article = rt.loads(text)
        original = article.heat
        article.heat = original + 1
        assert rt.dumps(article) != text
        article.heat = original
        assert rt.dumps(article) == text, path.name


def test_evolve_keeps_the_source() -> None:
    article = attrs.evolve(rt.loads(SEED0), heat=5)
    assert changed_lines(SEED0, rt.dumps(article)) == (["heat: 77\n"], ["heat: 5\n"])


def test_new_optional_fields_go_in_schema_order() -> None:
    article = rt.loads(SEED2)
    article.amp_web_url = "https://example.com/amp"
    article.images = [rt.Image(url="https://example.com/a.jpg", width=1, height=2, is_cached=False)]
    out = rt.dumps(article)
    lines = out.splitlines()
    assert lines[lines.index(next(line for line in lines if line.startswith("webUrl"))) + 1] == (
        'ampWebUrl: "https://example.com/amp"'
    )
    assert '  - AI\n\nimages:\n  - url: "https://example.com/a.jpg"\n    width: 1\n' in out
    assert "    isCached: false\n\nrelated:\n" in out
    assert changed_lines(SEED2, out)[0] == []


def test_adding_the_seeds_optional_fields_gives_the_other_seeds_layout() -> None:
    # Seed 000 minus its optional fields, then the fields put back, is seed 000 again.
    article = rt.loads(SEED0)
    kept = (article.amp_web_url, article.cdn_amp_web_url, article.images)
    article.amp_web_url = article.cdn_amp_web_url = article.images = None
    stripped = rt.dumps(article)
    assert "images" not in stripped and "\n\n\n" not in stripped
    again = rt.loads(stripped)
    again.amp_web_url, again.cdn_amp_web_url, again.images = kept
    assert rt.dumps(again) == SEED0


def test_new_parts_follow_the_documents_indentation() -> None:
    text = golden("002_a1f7abd1a28687f0.indentless-sequences.txt")
    article = rt.loads(text)
    article.images = [rt.Image(url="https://example.com/a.jpg", width=1, height=2, is_cached=True)]
    article.topics.append("Policy")
    added = changed_lines(text, rt.dumps(article))[1]
    assert "- Policy\n" in added
    assert "images:\n" in added and '- url: "https://example.com/a.jpg"\n' in added
    assert "  width: 1\n" in added

    text = golden("000_6bef1e912cfb9f3e.indent-4.txt")
    article = rt.loads(text)
    article.related[1].images = [
        rt.Image(url="https://example.com/b.jpg", width=3, height=4, is_cached=True)
    ]
    added = changed_lines(text, rt.dumps(article))[1]
    column = next(line for line in text.splitlines() if "quality: 12" in line).index("quality")
    assert added[0] == " " * column + "images:\n"
    assert added[1].strip().startswith("-   url:") or added[1].strip().startswith("- url:")
    assert rt.to_dict(rt.loads(rt.dumps(article)))["related"][1]["images"][0]["width"] == 3


def test_removed_field_takes_its_lines_and_nothing_else() -> None:
    article = rt.loads(SEED0)
    article.cdn_amp_web_url = None
    removed, added = changed_lines(SEED0, rt.dumps(article))
    assert added == [] and len(removed) == 1 and removed[0].startswith("cdnAmpWebUrl:")


def test_removed_block_field_takes_one_blank_line_with_it() -> None:
    article = rt.loads(SEED0)
    article.images = None
    block = SEED0[SEED0.index("\nimages:") : SEED0.index("\nrelated:")]
    assert block.count("\n") == 6  # the blank line before `images:` and its five lines
    assert rt.dumps(article) == SEED0.replace(block, "", 1)


def test_list_items_appended_and_removed() -> None:
    article = rt.loads(SEED2)
    article.related.append(attrs.evolve(article.related[1], title="Another"))
    out = rt.dumps(article)
    removed, added = changed_lines(SEED2, out)
    assert removed == [] and added[0] == '  - title: "Another"\n'
    assert out.index('title: "Another"') > out.index("name: TechRound")

    article = rt.loads(SEED2)
    del article.related[0]
    removed, added = changed_lines(SEED2, rt.dumps(article))
    assert added == [] and len(removed) == 16
    assert removed[0].startswith('  - title: "How Meta')


def test_comments_and_line_endings_stay() -> None:
    text = golden("002_a1f7abd1a28687f0.comments-crlf.txt")
    article = rt.loads(text)
    article.quality = 99
    article.topics.append("Policy")
    out = rt.dumps(article)
    assert out.count("#") == text.count("#")
    assert "\n" not in out.replace("\r\n", "")
    removed, added = changed_lines(text, out)
    assert len(removed) == 1 and "quality" in removed[0]
    assert all(line.endswith("\r\n") for line in added)


def test_edit_of_an_anchored_value_writes_out_its_aliases() -> None:
    text = golden("000_6bef1e912cfb9f3e.anchors.txt")
    article = rt.loads(text)
    article.provider.name = "MIT"
    out = rt.dumps(article)
    data = rt.to_dict(rt.loads(out))
    assert data["provider"]["name"] == "MIT"
    # The related entry that aliased the provider keeps its own (old) value.
    assert data["related"][1]["provider"]["name"] == "MIT Technology Review"


def test_block_scalar_and_flow_edits() -> None:
    text = golden("000_6bef1e912cfb9f3e.block-scalars.txt")
    article = rt.loads(text)
    article.excerpt = "Short."
    out = rt.dumps(article)
    assert rt.loads(out).excerpt == "Short."
    assert rt.to_dict(rt.loads(out)) == {**rt.to_dict(rt.loads(text)), "excerpt": "Short."}

    text = golden("000_6bef1e912cfb9f3e.flow.txt")
    article = rt.loads(text)
    article.topics.append("Policy")
    article.provider.domain = "example.com"
    out = rt.dumps(article)
    assert rt.to_dict(rt.loads(out))["topics"] == ["AI", "Policy"]
    removed, added = changed_lines(text, out)
    assert len(removed) == len(added) == 2


def test_datetime_edit_keeps_the_offset_and_style() -> None:
    article = rt.loads(SEED0)
    article.published_date_time += timedelta(hours=1)
    assert changed_lines(SEED0, rt.dumps(article))[1] == [
        "publishedDateTime: 2023-10-19T10:00:00Z\n"
    ]
    article.published_date_time = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=2)))
    assert changed_lines(SEED0, rt.dumps(article))[1] == [
        "publishedDateTime: 2024-01-02T03:04:05+02:00\n"
    ]


def test_body_edit_keeps_the_front_matter() -> None:
    article = rt.loads(SEED0)
    article.body = "# Heading\n\n---\n\nText.\n"
    out = rt.dumps(article)
    assert out == SEED0 + "# Heading\n\n---\n\nText.\n"
    assert rt.loads(out).body == article.body


def test_invalid_edit_is_refused() -> None:
    article = rt.loads(SEED0)
    article.quality = "high"  # type: ignore[assignment]
    with pytest.raises(rt.SchemaError) as caught:
        rt.dumps(article)
    assert caught.value.field == "quality"
    article = rt.loads(SEED0)
    article.published_date_time = datetime(2023, 1, 1)
    with pytest.raises(rt.SchemaError, match="with an offset") as caught:
        rt.dumps(article)
    assert caught.value.field == "publishedDateTime"
    article = rt.loads(SEED0)
    article.topics = "AI"  # type: ignore[assignment]
    with pytest.raises(rt.SchemaError, match="expected an array") as caught:
        rt.dumps(article)
    assert caught.value.field == "topics"


def test_flow_collections_are_edited_in_place() -> None:
    text = golden("000_6bef1e912cfb9f3e.flow-document.txt")
    article = rt.loads(text)
    article.images = None
    article.topics.insert(0, "First")
    article.topics.append("Last")
    article.related[0].images = [
        rt.Image(url="https://a.example/i.png", width=1, height=1, is_cached=True)
    ]
    out = rt.dumps(article)
    removed, added = changed_lines(text, out)
    assert len(removed) == 5 and len(added) == 2  # topics+images lines, the related entry
    assert "topics: [First, AI, Last]," in out
    assert (
        'quality: 17, images: [{url: "https://a.example/i.png", width: 1, height: 1, '
        "isCached: true}]}" in out
    )
    assert rt.to_dict(rt.loads(out)) == rt.to_dict(article)


def test_removing_flow_items_takes_their_commas() -> None:
    text = golden("000_6bef1e912cfb9f3e.flow.txt")
    article = rt.loads(text)
    del article.related[0]
    removed, added = changed_lines(text, rt.dumps(article))
    assert added == [] and len(removed) == 4 and removed[0].lstrip().startswith("{title:")


def test_folded_scalars_stay_folded() -> None:
    text = golden("002_a1f7abd1a28687f0.block-scalars.txt")
    article = rt.loads(text)
    article.related[0].excerpt = "Changed\n\nexcerpt"
    article.provider.name = "X Y"
    out = rt.dumps(article)
    again = rt.loads(out)
    assert again.related[0].excerpt == "Changed\n\nexcerpt" and again.provider.name == "X Y"
    _, added = changed_lines(text, out)
    assert added[0].strip() == "X Y" and "      Changed\n" in added
    assert not any(line.strip().startswith(("|", '"')) for line in added)


def test_body_added_after_a_fence_without_newline() -> None:
    text = golden("000_6bef1e912cfb9f3e.no-final-newline.txt")
    article = rt.loads(text)
    article.body = "Hello\n"
    out = rt.dumps(article)
    assert out == text + "\n\nHello\n"
    assert rt.loads(out).body == "Hello\n"


def _large_record(items: int) -> str:
    """SEED0 with `related` grown to `items` one-line flow mappings."""
    head, tail = SEED0[: SEED0.index("related:")], SEED0[SEED0.index("\nsecured:") + 1 :]
    lines = [
        f'  - {{title: "[{k}] \u201cquoted\u201d", excerpt: "About {k}.", '
        f'publishedDateTime: "2023-10-20T13:15:00Z", webUrl: "https://example.com/{k}", '
        f"type: article, provider: {{name: TechRound, domain: techround.co.uk}}, quality: {k}}}\n"
        for k in range(items)
    ]
    return head + "related:\n" + "".join(lines) + tail


def _front(text: str) -> Any:
    import yaml

    return yaml.safe_load(text.split("---\n")[1])


@pytest.mark.parametrize("where", ["heat", "related.7.title", "secured"])
def test_an_edit_of_a_large_record_reads_back(where: str) -> None:
    """A large record's edit (its unedited fields taken from the source data, its text built
    around the edit) holds the new value and nothing else changed (read by PyYAML)."""
    text = _large_record(600)
    assert len(text) > 100_000
    article = rt.loads(text)
    expected = _front(text)
    if where == "heat":
        article.heat = 5
        expected["heat"] = 5
    elif where == "secured":
        secured = ("A" if article.secured[0] != "A" else "B") + article.secured[1:]
        article.secured = expected["secured"] = secured
    else:
        article.related[7].title = "new \u2018title\u2019"
        expected["related"][7]["title"] = "new \u2018title\u2019"
    written = rt.dumps(article)
    assert _front(written) == expected
    assert written.endswith(text[text.rindex("---\n") :])
    assert len(changed_lines(text, written)[1]) == 1


def _with_type(block: str) -> str:
    assert "type: article\n" in SEED0
    return SEED0.replace("type: article\n", block, 1)


@pytest.mark.parametrize("style", [">-", "|-", ">", "|"])
@pytest.mark.parametrize("value", ["\nsJ", "\n\na b\n\nc", "x\n\ny\n"])
def test_a_block_scalar_set_to_a_value_with_leading_line_breaks_reads_back(
    style: str, value: str
) -> None:
    # Found by exploration (seed 7): a folded scalar wrote a leading line break as two (leading
    # empty lines are not folded), so "\nsJ" read back as "\n\nsJ" and the edit was refused.
    import yaml

    text = _with_type(f"type: {style}\n  d|tech\n")
    article = rt.loads(text)
    article.type = value
    written = rt.dumps(article)
    assert yaml.safe_load(written.split("---\n")[1])["type"] == value
    removed, _ = changed_lines(text, written)
    assert removed and set(removed) <= {f"type: {style}\n", "  d|tech\n"}


@pytest.mark.parametrize(
    ("value", "header"),
    [
        ("foo bar\n", "type: |  # why\n"),
        ("x\ny", "type: |-  # why\n"),
        ("\tx", 'type: "\\tx"  # why\n'),
    ],
)
def test_a_block_scalars_header_comment_stays_when_its_value_is_replaced(
    value: str, header: str
) -> None:
    import yaml

    text = _with_type("type: |  # why\n  d|tech\n")
    article = rt.loads(text)
    article.type = value
    written = rt.dumps(article)
    assert header in written
    assert yaml.safe_load(written.split("---\n")[1])["type"] == value
