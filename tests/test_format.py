"""A format from any schema (issue 9): classes, names, types, presence and writing, judged by
reading the written text back with PyYAML and comparing bytes of untouched lines."""

from __future__ import annotations

import copy
import datetime
import importlib.util
import json
import sys
import types
import typing
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml

import roundtrip as rt
from roundtrip.model_spec import attribute_name, class_name

HERE = Path(__file__).parent
POST_SCHEMA = HERE / "schemas" / "post.schema.json"
ROOT = HERE.parent

POST = """\
---
title: "Hello"
date: 2024-01-05
tags: [a, b]
reading-time: 3
class: note
price: 4.50
subtitle: null
status: draft
author:
  name: Ann
cover-image: {image: x.png}
params:
  foo: 1
  bar: [1, 2]
---
Body
"""


@pytest.fixture(scope="module")
def post() -> rt.Format:
    return rt.Format.from_schema(POST_SCHEMA)


def front(text: str) -> Any:
    """The front matter as PyYAML reads it (dates as strings: JSON data, as the schema sees)."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor(
        "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
    )
    return yaml.load(text.split("---\n")[1], Loader=Loader)


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    old, new = before.splitlines(), after.splitlines()
    assert len(old) == len(new), (before, after)
    return [(a, b) for a, b in zip(old, new, strict=True) if a != b]


# -- names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "attribute"),
    [
        ("publishedDateTime", "published_date_time"),
        ("cdnAmpWebUrl", "cdn_amp_web_url"),
        ("reading-time", "reading_time"),
        ("originalURL", "original_url"),
        ("HTMLParser", "html_parser"),
        ("class", "class_"),
        ("import", "import_"),
        ("title", "title"),
    ],
)
def test_attribute_names_follow_the_documented_rule(key: str, attribute: str) -> None:
    assert attribute_name(key) == attribute


@pytest.mark.parametrize(
    ("text", "name"),
    [("cover-image", "CoverImage"), ("RelatedArticle", "RelatedArticle"), ("Cover image",
     "CoverImage"), ("author", "Author")],
)  # fmt: skip
def test_class_names_are_pascal_case(text: str, name: str) -> None:
    assert class_name(text) == name


def test_classes_are_named_by_x_python_class_defs_name_title_or_key(post: rt.Format) -> None:
    # Writer: x-python-class over the $defs name Author; CoverImage: from the key.
    assert list(post.classes) == ["Post", "Writer", "CoverImage"]
    fields = [field.name for field in attrs.fields(post.root)]
    assert fields[:7] == ["title", "date", "draft", "tags", "reading_time", "css_class", "price"]
    assert fields[-4:] == ["extra", "_absent", "body", "_source"]


def _schema(properties: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {"title": "Thing", "type": "object", "properties": properties, **more}


def test_two_keys_with_one_attribute_are_an_error_naming_both() -> None:
    schema = _schema({"readingTime": {"type": "integer"}, "reading-time": {"type": "integer"}})
    with pytest.raises(rt.FormatError) as caught:
        rt.Format.from_schema(schema)
    message = str(caught.value)
    assert "'readingTime'" in message and "'reading-time'" in message
    assert "#/properties/reading-time" in message


def test_a_key_that_would_be_a_reserved_attribute_is_an_error() -> None:
    with pytest.raises(rt.FormatError, match=r"extra.*x-python-name"):
        rt.Format.from_schema(_schema({"extra": {"type": "string"}}))
    renamed = rt.Format.from_schema(
        _schema({"extra": {"type": "string", "x-python-name": "extra_text"}})
    )
    assert renamed.loads("---\nextra: x\n---\n").extra_text == "x"


def test_two_object_schemas_with_one_class_name_are_an_error() -> None:
    obj = {"type": "object", "properties": {"a": {"type": "string"}}}
    schema = _schema({"one": {**obj, "title": "Part"}, "two": {**obj, "title": "Part", "x": 1}})
    with pytest.raises(rt.FormatError, match=r"'Part'.*#/properties/one"):
        rt.Format.from_schema(schema)


# -- $ref within the schema's own document -------------------------------------------------


def test_refs_resolve_within_their_own_schema_only() -> None:
    other = _schema(
        {"provider": {"$ref": "#/$defs/Provider"}},
        **{"$defs": {"Provider": {"type": "object", "properties": {"url": {"type": "string"}},
                                  "required": ["url"]}}},
    )  # fmt: skip
    fmt = rt.Format.from_schema(other)
    record = fmt.loads("---\nprovider:\n  url: x\n---\n")
    assert [f.name for f in attrs.fields(type(record.provider))] == ["url", "extra"]
    assert type(record.provider) is not rt.Provider
    with pytest.raises(rt.SchemaError, match=r"provider\.url"):
        fmt.loads("---\nprovider: {name: a, domain: b}\n---\n")


def test_a_ref_out_of_the_document_is_refused_with_its_place() -> None:
    schema = _schema({"a": {"$ref": "other.json#/$defs/A"}})
    with pytest.raises(rt.FormatError) as caught:
        rt.Format.from_schema(schema)
    assert caught.value.field == "#/properties/a/$ref"
    assert "leaves this schema" in str(caught.value)


def test_a_ref_to_nothing_is_refused() -> None:
    with pytest.raises(rt.FormatError, match="names nothing"):
        rt.Format.from_schema(_schema({"a": {"$ref": "#/$defs/Missing"}}))


def test_a_recursive_schema_builds_and_round_trips() -> None:
    schema = _schema(
        {"tree": {"$ref": "#/$defs/Node"}},
        **{"$defs": {"Node": {"type": "object", "properties": {
            "name": {"type": "string"},
            "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}}}}}},
    )  # fmt: skip
    fmt = rt.Format.from_schema(schema)
    text = "---\ntree:\n  name: a\n  children:\n    - name: b\n      children: []\n---\n"
    record = fmt.loads(text)
    assert record.tree.children[0].name == "b"
    record.tree.children[0].name = "c"
    assert rt.dumps(record) == text.replace("name: b", "name: c")


# -- types --------------------------------------------------------------------------------


def test_types_come_from_the_schema(post: rt.Format) -> None:
    hints = typing.get_type_hints(post.root)
    assert hints["date"] is datetime.date
    assert hints["draft"] is bool
    assert hints["tags"] == list[str] | None
    assert hints["price"] == float | None
    assert hints["subtitle"] == str | None
    assert hints["status"] == typing.Literal["draft", "live"] | None
    assert hints["author"] == post.classes["Writer"] | None
    assert hints["params"] == dict[str, Any] | None


def test_a_post_loads_with_its_types(post: rt.Format) -> None:
    record = post.loads(POST)
    assert record.date == datetime.date(2024, 1, 5)
    assert record.draft is False  # absent: the schema's default
    assert record.reading_time == 3 and record.css_class == "note"
    assert record.price == 4.5 and record.subtitle is None and record.status == "draft"
    assert record.author.name == "Ann" and record.author.email is None
    assert record.cover_image.image == "x.png"
    assert record.params == {"foo": 1, "bar": [1, 2]}
    assert rt.dumps(record) == POST


def test_an_edit_keeps_floats_as_written_and_absent_defaults_absent(post: rt.Format) -> None:
    record = post.loads(POST)
    record.reading_time = 4
    text = rt.dumps(record)
    assert changed_lines(POST, text) == [("reading-time: 3", "reading-time: 4")]
    assert "price: 4.50" in text and "\ndraft:" not in text and "subtitle: null" in text


def test_a_value_equal_to_its_default_that_was_written_stays_written(post: rt.Format) -> None:
    text = POST.replace("date: 2024-01-05\n", "date: 2024-01-05\ndraft: false\n")
    record = post.loads(text)
    record.tags.append("c")
    written = rt.dumps(record)
    assert "draft: false" in written
    assert front(written) == {**front(text), "tags": ["a", "b", "c"]}


def test_a_record_built_in_code_leaves_defaults_and_nulls_out(post: rt.Format) -> None:
    record = post.root(title="T", date=datetime.date(2024, 1, 2), draft=False, subtitle=None)
    assert post.to_dict(record) == {"title": "T", "date": "2024-01-02"}
    record.draft = True
    assert post.to_dict(record)["draft"] is True


def test_from_dict_writes_back_exactly_the_keys_it_was_given(post: rt.Format) -> None:
    data = {"title": "T", "date": "2024-01-02", "draft": False, "subtitle": None}
    assert post.to_dict(post.from_dict(data)) == data


def test_what_a_record_had_not_travels_with_it_not_with_its_place(post: rt.Format) -> None:
    # Two authors in a list, one written with `email: null`: moving them keeps each as written.
    schema = json.loads(POST_SCHEMA.read_text())
    schema["properties"]["authors"] = {"type": "array", "items": {"$ref": "#/$defs/Author"}}
    schema["$defs"]["Author"]["properties"]["email"]["type"] = ["string", "null"]
    fmt = rt.Format.from_schema(schema)
    text = POST.replace("author:\n", "authors:\n  - name: A\n    email: null\n  - name: B\n"
                        "author:\n")  # fmt: skip
    record = fmt.loads(text)
    record.authors.reverse()
    written = fmt.dumps(record)
    assert front(written)["authors"] == [{"name": "B"}, {"name": "A", "email": None}]
    evolved = fmt.to_dict(attrs.evolve(record, title="E"))  # evolve carries what each had not
    assert "draft" not in evolved and evolved["authors"][1] == {"name": "A", "email": None}


def test_changing_a_default_writes_it_and_null_can_be_set(post: rt.Format) -> None:
    record = post.loads(POST)
    record.draft = True
    record.subtitle = "Sub"
    written = rt.dumps(record)
    assert front(written) == {**front(POST), "draft": True, "subtitle": "Sub"}


def test_an_int_in_a_number_field_stays_an_int(post: rt.Format) -> None:
    record = post.loads(POST.replace("price: 4.50", "price: 4"))
    assert type(record.price) is int
    record.title = "New"
    assert "price: 4\n" in rt.dumps(record)


def test_a_date_is_written_as_a_full_date(post: rt.Format) -> None:
    record = post.loads(POST)
    record.date = datetime.date(2025, 2, 3)
    assert changed_lines(POST, rt.dumps(record)) == [("date: 2024-01-05", "date: 2025-02-03")]


def test_the_free_form_map_takes_any_json(post: rt.Format) -> None:
    record = post.loads(POST)
    record.params["nested"] = {"deep": [1, {"x": None}]}
    written = rt.dumps(record)
    assert front(written)["params"] == {
        "foo": 1,
        "bar": [1, 2],
        "nested": {"deep": [1, {"x": None}]},
    }
    assert written.startswith(POST.split("params:")[0])


def test_enum_values_are_checked(post: rt.Format) -> None:
    with pytest.raises(rt.SchemaError) as caught:
        post.loads(POST.replace("status: draft", "status: gone"))
    assert caught.value.field == "status" and caught.value.line == 9


def test_an_unknown_key_is_refused_where_the_schema_is_closed(post: rt.Format) -> None:
    with pytest.raises(rt.SchemaError, match="unknown field"):
        post.loads(POST.replace("class: note", "klass: note"))


# -- new records ----------------------------------------------------------------------------


def test_a_new_record_leaves_defaults_and_absent_fields_out(post: rt.Format) -> None:
    record = post.from_dict({"title": "New", "date": datetime.date(2024, 2, 1), "tags": ["x"]})
    text = rt.dumps(record)
    assert text == '---\ntitle: "New"\ndate: 2024-02-01\n\ntags:\n  - x\n---\n\n'
    assert post.to_dict(record) == {"title": "New", "date": "2024-02-01", "tags": ["x"]}


def test_the_layout_annotation_sets_the_house_style() -> None:
    schema = json.loads(POST_SCHEMA.read_text())
    schema["x-roundtrip-layout"] = {"indent": 4, "sequenceIndent": 0, "blankLines": False}
    fmt = rt.Format.from_schema(schema)
    record = fmt.from_dict({"title": "T", "date": "2024-02-01", "tags": ["x"],
                            "author": {"name": "A"}})  # fmt: skip
    assert fmt.dumps(record) == (
        '---\ntitle: "T"\ndate: 2024-02-01\ntags:\n- x\nauthor:\n    name: A\n---\n\n'
    )


@pytest.mark.parametrize(
    "layout", [{"indent": 0}, {"indent": "2"}, {"blankLines": 1}, {"width": 80}, []]
)
def test_a_bad_layout_annotation_is_refused(layout: Any) -> None:
    schema = json.loads(POST_SCHEMA.read_text())
    schema["x-roundtrip-layout"] = layout
    with pytest.raises(rt.FormatError) as caught:
        rt.Format.from_schema(schema)
    assert str(caught.value.field).startswith("#/x-roundtrip-layout")


# -- the public surface --------------------------------------------------------------------


def test_rt_dump_writes_a_record_of_any_format(post: rt.Format, tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    path.write_text(POST, encoding="utf-8")
    record = post.load(path)
    record.title = "Changed"
    rt.dump(record, path)
    assert changed_lines(POST, path.read_text()) == [('title: "Hello"', 'title: "Changed"')]
    assert rt.to_dict(record)["title"] == "Changed"


def test_a_record_of_one_format_is_not_written_by_another(post: rt.Format) -> None:
    article = rt.load(ROOT / "golden" / "000_6bef1e912cfb9f3e.txt")
    with pytest.raises(rt.EmitError, match="not a Post record"):
        post.dumps(article)


def test_the_same_schema_gives_the_same_format_and_the_article_schema_gives_article() -> None:
    assert rt.Format.from_schema(POST_SCHEMA) is rt.Format.from_schema(POST_SCHEMA)
    assert rt.Format.from_schema(ROOT / "schema" / "article.schema.json") is rt.ARTICLE
    assert rt.Format.from_schema(rt.schema()) is rt.ARTICLE
    assert rt.ARTICLE.root is rt.Article and rt.ARTICLE.classes["Image"] is rt.Image


def test_format_schema_is_a_copy(post: rt.Format) -> None:
    copied = post.schema()
    copied["properties"].clear()
    assert post.schema()["properties"]
    assert post.export_schema()["properties"]["date"]["format"] == "date"


def test_a_schema_dict_given_is_not_shared() -> None:
    schema = json.loads(POST_SCHEMA.read_text())
    fmt = rt.Format.from_schema(schema)
    before = copy.deepcopy(fmt.schema())
    schema["properties"].clear()
    assert fmt.schema() == before


def test_a_bad_schema_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"type": "object",\n  "properties": }\n')
    with pytest.raises(rt.FormatError) as caught:
        rt.Format.from_schema(bad)
    assert caught.value.path == str(bad) and caught.value.line == 2
    with pytest.raises(rt.FormatError, match="cannot read"):
        rt.Format.from_schema(tmp_path / "missing.json")
    with pytest.raises(rt.FormatError, match=r"root .* object with properties"):
        rt.Format.from_schema({"type": "string"})


# -- generated classes ----------------------------------------------------------------------


def test_the_checked_in_article_classes_are_what_the_schema_generates() -> None:
    from roundtrip.python_export import schema_module
    from roundtrip.schema_doc import read_schema

    generated = schema_module(read_schema(ROOT / "schema" / "article.schema.json"),
                              "schema/article.schema.json")  # fmt: skip
    assert (ROOT / "roundtrip" / "model.py").read_text(encoding="utf-8") == generated


def test_generated_classes_import_and_match_the_run_time_ones(
    post: rt.Format, tmp_path: Path
) -> None:
    module_path = tmp_path / "post_model.py"
    module_path.write_text(post.python_source(), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("post_model", module_path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["post_model"] = module
    try:
        spec.loader.exec_module(module)
        for name, cls in post.classes.items():
            generated = getattr(module, name)
            assert [(f.name, f.default) for f in attrs.fields(generated)] == [
                (f.name, f.default) for f in attrs.fields(cls)
            ]
            hints = typing.get_type_hints(generated)
            runtime = typing.get_type_hints(cls)
            assert {k: _canon(v) for k, v in hints.items()} == {
                k: _canon(v) for k, v in runtime.items()
            }
    finally:
        del sys.modules["post_model"]


def _canon(kind: Any) -> Any:
    """A type as comparable data: classes by name, unions as sets, whatever their spelling."""
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        return frozenset(_canon(arg) for arg in typing.get_args(kind))
    if origin is not None:
        return (origin, tuple(_canon(arg) for arg in typing.get_args(kind)))
    return getattr(kind, "__name__", kind)


@pytest.mark.parametrize(
    ("node", "pointer"),
    [
        ({"type": "array", "contains": {"type": "string"}}, "#/properties/a/contains"),
        ({"type": "string", "format": "ipv4"}, "#/properties/a/format"),
        ({"type": "object", "patternProperties": {"^x": {}}}, "#/properties/a/patternProperties"),
    ],
)
def test_a_keyword_the_toolkit_does_not_support_is_refused_with_its_place(
    node: dict[str, Any], pointer: str, tmp_path: Path
) -> None:
    path = tmp_path / "thing.schema.json"
    path.write_text(json.dumps(_schema({"a": node})), encoding="utf-8")
    with pytest.raises(rt.FormatError) as caught:
        rt.Format.from_schema(path)
    assert caught.value.field == pointer
    assert str(caught.value).startswith(f"{path}: {pointer}")


def test_a_misspelt_attribute_is_an_error_as_in_the_generated_classes(post: rt.Format) -> None:
    record = post.loads(POST)
    with pytest.raises(AttributeError):
        record.titel = "x"  # type: ignore[attr-defined]


@pytest.mark.parametrize("value", [[1, None, "x"], {}, {"a": [1]}])
def test_a_scalar_in_a_flow_map_becomes_a_collection(post: rt.Format, value: Any) -> None:
    text = POST.replace("params:\n  foo: 1\n  bar: [1, 2]\n", "params: {foo: 1, bar: [1, 2]}\n")
    record = post.loads(text)
    record.params["foo"] = value
    written = rt.dumps(record)
    assert front(written)["params"] == {"foo": value, "bar": [1, 2]}
    assert [old for old, _ in changed_lines(text, written)] == ["params: {foo: 1, bar: [1, 2]}"]


def test_a_link_rule_that_does_not_fit_the_schema_refuses_the_format() -> None:
    schema = json.loads(POST_SCHEMA.read_text())
    schema["x-roundtrip-links"] = {"key": "slug", "list": "tags", "fields": ["title"]}
    with pytest.raises(rt.RoundtripError, match="x-roundtrip-links/key"):
        rt.Format.from_schema(schema)
    assert rt.ARTICLE.links is not None and rt.ARTICLE.links.list == "related"
    assert rt.Format.from_schema(POST_SCHEMA).links is None
