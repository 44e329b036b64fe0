"""Formats of other shapes: each test format's schema, golden files, invalid records and the
property tests, run over every format (issue 9).

tests/formats/<name>/ holds a format: `schema.json` (JSON Schema draft 2020-12), `golden/`
(records as people and tools write them; each must load and write back byte for byte) and
`invalid/` (records the format refuses, with the field named in `invalid/expected.json`). The
article, the built-in format, is one of them: its goldens are golden/ and tests/verdicts/.

Independent judges first (PyYAML's parser with YAML 1.2 core resolution, `jsonschema` with its
own FormatChecker): the goldens are valid and the invalid records are not, whatever the product
says. Then the product, `rt.Format.from_schema(schema)`: golden round trips, refusals naming
the field, and the properties of tests/test_properties.py with data drawn from each schema
(tests/schema_strategies.py): from_dict round trip, stable house style, any YAML style read
back exactly, and random edits changing only their field's lines.
"""

from __future__ import annotations

import copy
import functools
import json
import keyword
import re
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import roundtrip as rt

from . import test_properties as P
from . import yaml_styles as Y
from .formats import make_goldens
from .judge import disagreeing_readers, equal_data
from .schema_strategies import ANNOTATIONS, SchemaData
from .test_schema_export import ajv, needs_js
from .test_verdicts import missing_needs

ROOT = Path(__file__).resolve().parent.parent
FORMATS_DIR = ROOT / "tests" / "formats"
SCHEMA_FILES: dict[str, Path] = {
    "article": ROOT / "schema" / "article.schema.json",
    **{path.parent.name: path for path in sorted(FORMATS_DIR.glob("*/schema.json"))},
}
SCHEMAS: dict[str, dict[str, Any]] = {
    name: json.loads(path.read_text(encoding="utf-8")) for name, path in SCHEMA_FILES.items()
}
DATA: dict[str, SchemaData] = {name: SchemaData(schema) for name, schema in SCHEMAS.items()}
OTHER_FORMATS = [name for name in SCHEMA_FILES if name != "article"]
GOLDENS = sorted(
    path for name in OTHER_FORMATS for path in (FORMATS_DIR / name / "golden").iterdir()
)
EXPECTED: dict[Path, dict[str, Any]] = {
    FORMATS_DIR / name / "invalid" / file: expected
    for name in OTHER_FORMATS
    for file, expected in json.loads(
        (FORMATS_DIR / name / "invalid" / "expected.json").read_text(encoding="utf-8")
    ).items()
}
INVALID: list[tuple[Path, str]] = [(path, expected["field"]) for path, expected in EXPECTED.items()]

# The keywords issue 9 supports: everything else in a test format would test nothing.
SUPPORTED = frozenset(
    {"type", "properties", "required", "additionalProperties", "items", "$ref", "$defs", "enum",
     "const", "minLength", "maxLength", "pattern", "format", "minimum", "maximum",
     "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems", "maxItems", "uniqueItems",
     "default", "x-yaml-style", "x-python-name", "x-python-class", "x-roundtrip-layout",
     "x-roundtrip-links"}
) | ANNOTATIONS  # fmt: skip
_SUBSCHEMA_MAPS = ("properties", "$defs")
_DATA_KEYWORDS = ("const", "enum", "default", "examples", "required")

# A few examples per test and format: the styled texts are dear, and the suite must stay
# fast (an eighth of the profile's: 12 by default, more under HYPOTHESIS_PROFILE=explore).
FEW = settings(
    max_examples=max(12, settings.default.max_examples // 8),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def format_of(path: Path) -> str:
    return path.relative_to(FORMATS_DIR).parts[0]


def front_matter(text: str) -> str:
    """The YAML between the `---` fences (LF or CRLF)."""
    found = re.match(r"---\r?\n(.*?)^---\r?$", text, re.DOTALL | re.MULTILINE)
    assert found is not None, text[:40]
    return found.group(1)


def _rfc3339_or_yaml(value: object) -> bool:
    """RFC 3339 date-time (rfc3339-validator), with YAML's space for the `T` allowed, as the
    schemas say (PyYAML writes it), and a lower-case `t` and `z` as RFC 3339 allows (5.6, NOTE)
    and rfc3339-validator does not."""
    from rfc3339_validator import validate_rfc3339

    if not isinstance(value, str):
        return True
    text = value[:10] + "T" + value[11:] if value[10:11] == " " else value
    return bool(validate_rfc3339(text.upper()))


@functools.cache
def reference_validator(name: str) -> jsonschema.Draft202012Validator:
    """Plain jsonschema with its own format checks: a judge the product did not write."""
    checker = copy.deepcopy(jsonschema.Draft202012Validator.FORMAT_CHECKER)
    # uri needs rfc3986-validator (installed with the toolkit), date-time rfc3339-validator.
    assert {"date", "uri", "email"} <= set(checker.checkers)
    checker.checks("date-time")(_rfc3339_or_yaml)
    return jsonschema.Draft202012Validator(SCHEMAS[name], format_checker=checker)


def reference_fields(name: str, data: Any) -> set[str]:
    """The dotted fields jsonschema finds wrong in `data` (a missing or unknown key by its
    own name, as the toolkit names it)."""
    fields = set()
    for error in reference_validator(name).iter_errors(data):
        path = [str(part) for part in error.absolute_path]
        if error.validator == "required":
            fields |= {".".join([*path, key]) for key in error.validator_value
                       if key not in error.instance}  # fmt: skip
        elif error.validator == "additionalProperties" and error.validator_value is False:
            known = error.schema.get("properties", {})
            fields |= {".".join([*path, key]) for key in error.instance if key not in known}
        else:
            fields.add(".".join(path))
    return fields


# -- the schemas ------------------------------------------------------------------------------


def _keywords(node: Any) -> set[str]:
    if isinstance(node, list):
        return set().union(*map(_keywords, node)) if node else set()
    if not isinstance(node, dict):
        return set()
    found = set(node)
    for key, value in node.items():
        if key in _SUBSCHEMA_MAPS:
            found |= set().union(*map(_keywords, value.values())) if value else set()
        elif key not in _DATA_KEYWORDS:
            found |= _keywords(value)
    return found


@pytest.mark.parametrize("name", OTHER_FORMATS)
def test_test_formats_use_only_supported_keywords(name: str) -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMAS[name])
    assert _keywords(SCHEMAS[name]) - SUPPORTED == set()


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_data_drawn_from_each_schema_is_valid(name: str) -> None:
    # The article's records are large (and test_properties draws hundreds of them): fewer.
    @settings(
        max_examples=60 if name == "article" else 200, suppress_health_check=list(HealthCheck)
    )
    @given(DATA[name].records())
    def check(data: dict[str, Any]) -> None:
        assert reference_fields(name, data) == set(), data

    check()


# -- golden and invalid files, judged independently -------------------------------------------


@pytest.mark.parametrize("path", GOLDENS, ids=lambda p: f"{format_of(p)}/{p.name}")
def test_golden_is_valid(path: Path) -> None:
    data = Y.oracle_load(front_matter(path.read_bytes().decode("utf-8")))
    assert reference_fields(format_of(path), data) == set()


@pytest.mark.parametrize(("path", "field"), INVALID, ids=lambda x: getattr(x, "name", x))
def test_invalid_file_is_invalid_in_its_field(path: Path, field: str) -> None:
    data = Y.oracle_load(front_matter(path.read_bytes().decode("utf-8")))
    assert field in reference_fields(format_of(path), data)


def test_machine_made_goldens_are_what_the_libraries_write() -> None:
    for path, data in make_goldens.goldens().items():
        assert path.read_bytes() == data, f"{path}: run tests/formats/make_goldens.py"


def test_each_format_has_goldens_in_several_styles() -> None:
    for name in OTHER_FORMATS:
        texts = [p.read_bytes() for p in (FORMATS_DIR / name / "golden").iterdir()]
        assert len(texts) >= 6
        assert any(b"\r\n" in t for t in texts) and any(b"&" in t and b"*" in t for t in texts)
        assert any(b"#" in t.split(b"\n---")[0] for t in texts)  # a comment in the front matter
        assert len(json.loads((FORMATS_DIR / name / "invalid" / "expected.json").read_text())) >= 3


# -- the product: goldens and refusals ----------------------------------------------------------


@functools.cache
def record_format(name: str) -> rt.Format:
    return rt.Format.from_schema(SCHEMA_FILES[name])


@pytest.mark.parametrize("path", GOLDENS, ids=lambda p: f"{format_of(p)}/{p.name}")
def test_golden_round_trips(path: Path) -> None:
    fmt = record_format(format_of(path))
    raw = path.read_bytes()
    record = fmt.loads(raw)
    assert fmt.dumps(record).encode("utf-8") == raw
    assert rt.dumps(record).encode("utf-8") == raw  # the module-level writer knows its format
    assert equal_data(fmt.to_dict(record), Y.oracle_load(front_matter(raw.decode("utf-8"))))


def _invalid_params(side: str) -> list[Any]:
    """The invalid files, a file whose verdict needs what the product lacks marked (as in
    tests/test_verdicts.py: strictly expected to fail until the product does it)."""
    params = []
    for path, field in INVALID:
        reasons = missing_needs(EXPECTED[path], side)
        marks = [pytest.mark.xfail(reason="; ".join(reasons), strict=True)] if reasons else []
        params.append(pytest.param(path, field, id=f"{format_of(path)}/{path.name}", marks=marks))
    return params


@pytest.mark.parametrize(("path", "field"), _invalid_params("python"))
def test_invalid_file_is_refused_naming_its_field(path: Path, field: str) -> None:
    with pytest.raises(rt.SchemaError) as refused:
        record_format(format_of(path)).loads(path.read_bytes())
    assert field in [problem.field for problem in refused.value.problems]


@needs_js
@pytest.mark.parametrize("name", OTHER_FORMATS)
def test_ajv_agrees_on_the_goldens_and_the_invalid_files(name: str, tmp_path: Path) -> None:
    exported = tmp_path / f"{name}.schema.json"
    exported.write_text(json.dumps(record_format(name).export_schema()), encoding="utf-8")
    goldens = sorted((FORMATS_DIR / name / "golden").iterdir())
    invalid = [path for path, _ in INVALID if format_of(path) == name]
    reports = ajv(exported, *goldens, *invalid)
    assert [(r["valid"], r["errors"]) for r in reports[: len(goldens)]] == [(True, [])] * len(
        goldens
    )
    accepted = {Path(r["file"]) for r in reports[len(goldens) :] if r["valid"]}
    # Only a file whose verdict needs a pattern the export lacks yet may pass Ajv.
    assert accepted == {path for path in invalid if missing_needs(EXPECTED[path], "javascript")}


# -- the product: properties over every format ------------------------------------------------


ALL_FORMATS = sorted(SCHEMAS)


@FEW
@pytest.mark.parametrize("name", ALL_FORMATS)
@given(draw=st.data())
def test_from_dict_round_trip(name: str, draw: st.DataObject) -> None:
    fmt = record_format(name)
    data = draw.draw(DATA[name].records(share=False), label="data")
    body = draw.draw(P.S.bodies(), label="body")
    expected = data  # a record built from data writes exactly its keys back
    record = fmt.from_dict(data, body=body)
    assert equal_data(fmt.to_dict(record), expected)
    text = fmt.dumps(record)
    again = fmt.loads(text)
    assert equal_data(fmt.to_dict(again), expected)
    assert again.body == body
    assert disagreeing_readers(P._front_matter(text), expected) == []


@FEW
@pytest.mark.parametrize("name", ALL_FORMATS)
@given(draw=st.data())
def test_house_style_is_stable(name: str, draw: st.DataObject) -> None:
    fmt = record_format(name)
    data = draw.draw(DATA[name].records(), label="data")
    text = fmt.dumps(fmt.from_dict(data, body=draw.draw(P.S.bodies(), label="body")))
    once = fmt.dumps(fmt.loads(text))
    assert once == text
    assert disagreeing_readers(P._front_matter(text), data) == []


@FEW
@pytest.mark.parametrize("name", ALL_FORMATS)
@given(draw=st.data())
def test_any_style_round_trips_exactly(name: str, draw: st.DataObject) -> None:
    fmt = record_format(name)
    styled = Y.styled_records(records=DATA[name].records(), explicit_keys=False)
    text, yaml_text, data, body = draw.draw(styled, label="record")
    assert equal_data(Y.oracle_load(yaml_text), data), "the test-side writer is wrong"
    record = fmt.loads(text)
    assert equal_data(fmt.to_dict(record), data)
    assert record.body == body
    assert fmt.dumps(record) == text
    assert fmt.dumps(fmt.loads(text.encode("utf-8"))).encode("utf-8") == text.encode("utf-8")


# -- edits through the attrs objects --------------------------------------------------------


def attribute_name(prop: dict[str, Any], key: str) -> str:
    """The Python name of a property, as issue 9 says: `x-python-name`, else the key in
    snake_case (camelCase and kebab-case), a keyword with a trailing `_`."""
    if "x-python-name" in prop:
        return str(prop["x-python-name"])
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", key).replace("-", "_").lower()
    return name + "_" if keyword.iskeyword(name) else name


class Fields:
    """Reads and writes a record's values at data paths, through its attrs objects."""

    def __init__(self, schema: SchemaData) -> None:
        self.schema = schema

    def _steps(self, path: P.Path) -> list[tuple[str | int, str | int]]:
        """Each part of `path` with what to look up: an attribute name, a key or an index."""
        steps: list[tuple[str | int, str | int]] = []
        node: dict[str, Any] | None = self.schema.schema
        for part in path:
            resolved = self.schema.resolve(node) if node is not None else {}
            props = resolved.get("properties", {})
            if isinstance(part, str) and part in props:
                steps.append((part, attribute_name(props[part], part)))
            else:
                steps.append((part, part))
            node = self.schema.child(node, part)
        return steps

    def get(self, record: Any, path: P.Path) -> Any:
        for part, name in self._steps(path):
            record = getattr(record, str(name)) if attrs.has(type(record)) else record[part]
        return record

    def set(self, record: Any, path: P.Path, value: Any) -> None:
        parent = self.get(record, path[:-1])
        part, name = self._steps(path)[-1]
        if attrs.has(type(parent)):
            assert isinstance(name, str) and name in attrs.fields_dict(type(parent)), (parent, name)
            setattr(parent, name, value)
        else:
            parent[part] = value


def _apply_to_record(
    fmt: rt.Format, fields: Fields, record: Any, edit: P.Edit, expected: dict[str, Any]
) -> Any:
    """Make `edit` through the attrs objects; returns a function that undoes it."""
    path = edit.path
    if edit.kind in ("set", "add"):
        typed = fields.get(fmt.from_dict(expected), path)
        old = fields.get(record, path)
        fields.set(record, path, typed)
        return lambda: fields.set(record, path, old)
    if edit.kind == "remove":
        old = fields.get(record, path)
        fields.set(record, path, None)
        return lambda: fields.set(record, path, old)
    items = fields.get(record, path[:-1])
    index = path[-1]
    assert isinstance(items, list) and isinstance(index, int)
    if edit.kind == "insert":
        items.insert(index, fields.get(fmt.from_dict(expected), path))
        return lambda: items.pop(index)
    old_item = items.pop(index)
    return lambda: items.insert(index, old_item)


def _nullable(prop: dict[str, Any]) -> bool:
    kinds = prop.get("type")
    return isinstance(kinds, list) and "null" in kinds


def _unwritten(prop: dict[str, Any], value: Any) -> bool:
    """Whether a new optional value cannot be told from an absent one (null or the default)."""
    return value is None or ("default" in prop and equal_data(value, prop["default"]))


def as_the_model_makes_it(name: str, before: dict[str, Any], edit: P.Edit) -> P.Edit | None:
    """`edit` as the attrs objects can make it (README, "any schema as a format"): None in a
    nullable field is null, so removing one sets it to null; a key the text had not, given the
    value an absent key reads as (null, or its default), stays absent (adding one changes
    nothing: None). New objects come from `from_dict`, so they write exactly their keys."""
    schema = DATA[name]
    if edit.kind == "remove":
        if _nullable(schema.resolve(P._schema_at(edit.path, schema))):
            return P.Edit("set", edit.path, None)
        return edit
    if edit.kind == "add" and _unwritten(schema.resolve(P._schema_at(edit.path, schema)),
                                         edit.value):  # fmt: skip
        return None
    return edit


def check_edit(name: str, text: str, drawn: P.Edit) -> None:
    """The checks of tests/test_properties.py `_check_edit`, for a record of any format."""
    fmt, schema = record_format(name), DATA[name]
    record = fmt.loads(text)
    before = fmt.to_dict(record)
    edit = as_the_model_makes_it(name, before, drawn)
    if edit is None:
        _apply_to_record(fmt, Fields(schema), record, drawn, before)
        assert equal_data(fmt.to_dict(record), before)
        assert fmt.dumps(record) == text
        return
    expected = P._apply_to_data(before, edit, schema)
    region = P._region(record, edit, before)
    undo = _apply_to_record(fmt, Fields(schema), record, edit, expected)
    assert equal_data(fmt.to_dict(record), expected), "the attrs edit gives other data"
    written = fmt.dumps(record)
    original = (P._between_fences(text), before)
    assert disagreeing_readers(P._between_fences(written), expected, baseline=original) == []
    again = fmt.loads(written)
    assert equal_data(fmt.to_dict(again), expected)
    assert again.body == record.body
    assert fmt.dumps(again) == written
    if equal_data(expected, before):
        assert written == text
    P._assert_changes_within(text, written, region, edit)
    undo()
    assert fmt.dumps(record) == text


@FEW
@pytest.mark.parametrize("name", OTHER_FORMATS)
@given(draw=st.data())
def test_edit_golden_changes_only_the_field(name: str, draw: st.DataObject) -> None:
    paths = sorted((FORMATS_DIR / name / "golden").iterdir())
    text = draw.draw(st.sampled_from(paths), label="golden").read_bytes().decode("utf-8")
    record = record_format(name).loads(text)
    before = record_format(name).to_dict(record)
    edit = draw.draw(P.edits(before, P._hot_paths(record), DATA[name]), label="edit")
    check_edit(name, text, edit)


@FEW
@pytest.mark.parametrize("name", ALL_FORMATS)
@given(draw=st.data())
def test_edit_any_style_changes_only_the_field(name: str, draw: st.DataObject) -> None:
    styled = Y.styled_records(records=DATA[name].records(), explicit_keys=False)
    text = draw.draw(styled, label="record")[0]
    record = record_format(name).loads(text)
    before, hot = record_format(name).to_dict(record), P._hot_paths(record)
    for index in range(draw.draw(st.integers(1, 3), label="edits")):
        edit = draw.draw(P.edits(before, hot, DATA[name]), label=f"edit {index}")
        try:
            check_edit(name, text, edit)
        except Exception as error:
            error.add_note(f"(failed at edit {index}: {edit})")
            raise


def test_a_path_reaches_the_record_through_attribute_names() -> None:
    steps = Fields(DATA["blog"])._steps(("cover-image", "relative"))
    assert steps == [("cover-image", "cover_image"), ("relative", "relative")]
    assert Fields(DATA["blog"])._steps(("class",)) == [("class", "class_")]
    assert Fields(DATA["blog"])._steps(("aliases", 0)) == [("aliases", "redirect_from"), (0, 0)]
    assert Fields(DATA["blog"])._steps(("params", "x-y")) == [("params", "params"), ("x-y", "x-y")]


# -- product bugs found by the properties above (strict: each fails until it is fixed) ---------


@pytest.mark.parametrize("index", [0, 1])
def test_inserting_or_deleting_an_item_keeps_the_other_items_as_written(index: int) -> None:
    fmt = record_format("event")
    text = (FORMATS_DIR / "event" / "golden" / "yaml-js.md").read_text(encoding="utf-8")
    record = fmt.loads(text)
    before = fmt.to_dict(record)
    if index == 0:
        record.tickets.pop(0)  # the second ticket has no `currency:`; the first had one
        expected = before["tickets"][1:]
    else:
        record.tickets.insert(0, fmt.classes["Ticket"](tier="free", price=0.0))
        expected = [{"tier": "free", "price": 0.0}, *before["tickets"]]
    assert fmt.to_dict(record)["tickets"] == expected
    assert fmt.to_dict(fmt.loads(fmt.dumps(record)))["tickets"] == expected


def test_a_ref_beside_an_annotation_is_the_same_class() -> None:
    schema = copy.deepcopy(SCHEMAS["event"])
    schema["properties"]["fallbackVenue"] = {
        "description": "Where the event moves in bad weather.",
        "$ref": "#/$defs/Place",
    }
    fmt = rt.Format.from_schema(schema)
    text = (FORMATS_DIR / "event" / "golden" / "all-fields.md").read_text(encoding="utf-8")
    record = fmt.loads(text)
    assert type(record.fallback_venue) is type(record.venue) is fmt.classes["Place"]


def test_a_change_deep_in_a_free_form_map_is_written() -> None:
    fmt = record_format("blog")
    text = (FORMATS_DIR / "blog" / "golden" / "hugo-hand.md").read_text(encoding="utf-8")
    text = text.replace("weight: 10\n", "weight: 10\nparams:\n  k:\n    on: []\n")
    record = fmt.loads(text)
    record.params["k"]["on"].append("y")
    assert fmt.to_dict(record)["params"] == {"k": {"on": ["y"]}}
    assert fmt.to_dict(fmt.loads(fmt.dumps(record)))["params"] == {"k": {"on": ["y"]}}


def test_an_edit_inside_an_aliased_free_form_value_is_written() -> None:
    fmt = record_format("blog")
    record = fmt.load(FORMATS_DIR / "blog" / "golden" / "anchors.md")
    record.params["written-by"]["url"] = "https://kim.example.org/"
    again = fmt.to_dict(fmt.loads(fmt.dumps(record)))
    assert again["params"]["written-by"]["url"] == "https://kim.example.org/"
    assert again["author"]["url"] == "https://kim.example.org/about"


def test_a_tagged_nullable_field_set_to_null() -> None:
    fmt = record_format("event")
    text = (FORMATS_DIR / "event" / "golden" / "all-fields.md").read_text(encoding="utf-8")
    record = fmt.loads(text.replace("ends: 2024", "ends: !!str 2024"))
    record.ends = None
    assert fmt.to_dict(fmt.loads(fmt.dumps(record)))["ends"] is None


@pytest.mark.parametrize("name", ALL_FORMATS)
def test_the_root_attributes_follow_the_naming_rule(name: str) -> None:
    root = DATA[name].resolve(SCHEMAS[name])
    names = [attribute_name(prop, key) for key, prop in root["properties"].items()]
    fields = list(attrs.fields_dict(record_format(name).root))
    assert fields[: len(names)] == names


@pytest.mark.parametrize(
    ("golden", "edit"),
    [
        # Found by exploration (seed 4): a new flow mapping's key holding `]` and `{` was written
        # plain inside the flow sequence, where they end or open a collection.
        (
            "astro-quoted.md",
            P.Edit("set", ("params", "related-posts", 1), {"a b": 8164451436, "ReVDF]XOE{": 0.0}),
        ),
        ("astro-quoted.md", P.Edit("set", ("params", "related-posts", 0), {"k,v": 1, "x:y": 2})),
    ],
)
def test_a_new_key_in_flow_style_is_quoted_where_it_holds_a_flow_indicator(
    golden: str, edit: P.Edit
) -> None:
    check_edit("blog", (FORMATS_DIR / "blog" / "golden" / golden).read_text(encoding="utf-8"), edit)


@pytest.mark.parametrize("key", ["x]{", "a,b", "c:d", "e?"])
def test_a_key_added_to_a_flow_mapping_is_quoted_where_it_holds_a_flow_indicator(key: str) -> None:
    text = (FORMATS_DIR / "blog" / "golden" / "astro-quoted.md").read_text(encoding="utf-8")
    assert "related-posts: [12, 14]" in text
    text = text.replace("related-posts: [12, 14]", "related-posts: [12, {a: 1}]", 1)
    check_edit("blog", text, P.Edit("set", ("params", "related-posts", 1), {"a": 1, key: 2}))
