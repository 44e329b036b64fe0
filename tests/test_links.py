"""The link rule `verify --links` checks comes from the schema's `x-roundtrip-links`."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from roundtrip.links import LinkRule, LinkRuleError, join_links, link_facts

ROOT = Path(__file__).resolve().parents[1]

# A blog: posts are known by `slug`; each `seeAlso` entry repeats the title and date of the
# post it names. `date` is a date-time, so two spellings of one instant agree.
BLOG: dict[str, Any] = {
    "title": "Post",
    "type": "object",
    "properties": {
        "slug": {"type": "string"},
        "title": {"type": "string"},
        "date": {"type": "string", "format": "date-time"},
        "seeAlso": {"type": "array", "items": {"$ref": "#/$defs/Teaser"}},
    },
    "$defs": {
        "Teaser": {
            "type": "object",
            "properties": {
                "slug": {"type": "string"},
                "title": {"type": "string"},
                "date": {"type": "string", "format": "date-time"},
            },
        }
    },
    "x-roundtrip-links": {"key": "slug", "list": "seeAlso", "fields": ["title", "date"]},
}


def test_the_article_rule_is_read_from_its_schema() -> None:
    schema = json.loads((ROOT / "schema" / "article.schema.json").read_text(encoding="utf-8"))
    rule = LinkRule.from_schema(schema)
    assert rule == LinkRule(
        key="webUrl",
        list="related",
        fields=(
            "title",
            "excerpt",
            "publishedDateTime",
            "type",
            "provider",
            "quality",
            "ampWebUrl",
            "cdnAmpWebUrl",
            "images",
        ),
        instants=frozenset({"publishedDateTime"}),
    )


def test_another_rule_is_read_and_its_date_times_found() -> None:
    assert LinkRule.from_schema(BLOG) == LinkRule("slug", "seeAlso", ("title", "date"),
                                                  frozenset({"date"}))  # fmt: skip


def test_a_schema_without_the_annotation_has_no_links() -> None:
    schema = copy.deepcopy(BLOG)
    del schema["x-roundtrip-links"]
    assert LinkRule.from_schema(schema) is None


def _posts() -> list[tuple[str, dict[str, Any]]]:
    return [
        ("a.md", {"slug": "a", "title": "A", "date": "2024-01-01T10:00:00Z", "seeAlso": [
            {"slug": "b", "title": "B", "date": "2024-01-02T10:00:00+00:00"},  # same instant
            {"slug": "c", "title": "Old C", "date": "2024-01-03T10:00:00Z"},  # wrong title
        ]}),
        ("b.md", {"slug": "b", "title": "B", "date": "2024-01-02T10:00:00Z"}),
        ("c.md", {"slug": "c", "title": "C", "date": "2024-01-03T11:00:00+01:00", "seeAlso": [
            {"slug": "a", "title": "A", "date": "2024-01-01T09:00:00Z"},  # another instant
            {"slug": "nowhere", "title": "Gone", "date": "2024-01-01T09:00:00Z"},
        ]}),
    ]  # fmt: skip


def _join(rule: LinkRule, posts: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, str, str]]:
    targets, references = [], []
    for order, (path, record) in enumerate(posts):
        positions = {"0.title": (5, 5), "1": (9, 5)}
        more_targets, more_references = link_facts(rule, order, path, record, positions)
        targets += more_targets
        references += more_references
    return [
        (name, f"{problem.field}@{problem.line}", problem.message)
        for *_, name, problem in sorted(join_links(rule, targets, references))
    ]


def test_join_with_another_rule_names_list_index_and_field() -> None:
    rule = LinkRule.from_schema(BLOG)
    assert rule is not None
    assert _join(rule, _posts()) == [
        ("a.md", "seeAlso.1.title@9", "disagrees with c.md: 'Old C' here, 'C' there"),
        ("c.md", "seeAlso.0.date@None",
         "disagrees with a.md: '2024-01-01T09:00:00Z' here, '2024-01-01T10:00:00Z' there"),
    ]  # fmt: skip


def test_instants_are_compared_as_instants_only_where_the_schema_says_date_time() -> None:
    rule = LinkRule.from_schema(BLOG)
    assert rule is not None
    as_text = LinkRule(rule.key, rule.list, rule.fields)  # no field compared as an instant
    found = _join(as_text, _posts())
    assert ("a.md", "seeAlso.0.date@None",
            "disagrees with b.md: '2024-01-02T10:00:00+00:00' here, '2024-01-02T10:00:00Z' there"
            ) in found  # fmt: skip


def _broken(annotation: Any) -> dict[str, Any]:
    schema = copy.deepcopy(BLOG)
    schema["x-roundtrip-links"] = annotation
    return schema


@pytest.mark.parametrize(
    ("annotation", "message"),
    [
        ("slug", r"#/x-roundtrip-links: expected \{"),
        ({"key": "slug", "list": "seeAlso"}, r"#/x-roundtrip-links: expected"),
        ({"key": "slug", "list": "seeAlso", "fields": ["title"], "x": 1}, "expected"),
        ({"key": "id", "list": "seeAlso", "fields": ["title"]},
         r"#/x-roundtrip-links/key: 'id' is not a property of the record"),
        ({"key": "slug", "list": "related", "fields": ["title"]},
         r"#/x-roundtrip-links/list: 'related' is not a property"),
        ({"key": "slug", "list": "title", "fields": ["title"]},
         r"#/x-roundtrip-links/list: 'title' is not an array of objects"),
        ({"key": "slug", "list": "seeAlso", "fields": []}, "non-empty list of distinct"),
        ({"key": "slug", "list": "seeAlso", "fields": ["title", "title"]}, "distinct"),
        ({"key": "slug", "list": "seeAlso", "fields": ["title", "seeAlso"]},
         r"#/x-roundtrip-links/fields/1: 'seeAlso' is not a property of both the record and "
         r"the items of 'seeAlso'"),
    ],
    ids=["not-object", "no-fields", "unknown-key", "bad-key", "bad-list", "list-not-array",
         "no-field", "repeated-field", "field-not-in-items"],
)  # fmt: skip
def test_a_bad_rule_is_refused_naming_its_place(annotation: Any, message: str) -> None:
    with pytest.raises(LinkRuleError, match=message):
        LinkRule.from_schema(_broken(annotation))


def test_the_key_must_be_in_the_items_too() -> None:
    schema = copy.deepcopy(BLOG)
    del schema["$defs"]["Teaser"]["properties"]["slug"]
    with pytest.raises(LinkRuleError, match="the items of 'seeAlso' have no property 'slug'"):
        LinkRule.from_schema(schema)
