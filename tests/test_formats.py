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
INVALID: list[tuple[Path, str]] = [
    (FORMATS_DIR / name / "invalid" / file, expected["field"])
    for name in OTHER_FORMATS
    for file, expected in json.loads(
        (FORMATS_DIR / name / "invalid" / "expected.json").read_text(encoding="utf-8")
    ).items()
]

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

# A few examples per test: the styled texts are dear, and the suite must stay fast.
FEW = settings(
    max_examples=12, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
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


@pytest.mark.parametrize(("path", "field"), INVALID, ids=lambda x: getattr(x, "name", x))
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
    assert [r["file"] for r in reports[len(goldens) :] if r["valid"]] == []


# -- the product: properties over every format ------------------------------------------------


@FEW
@given(st.sampled_from(sorted(SCHEMAS)), st.data())
def test_from_dict_round_trip(name: str, draw: st.DataObject) -> None:
    fmt = record_format(name)
    data = draw.draw(DATA[name].records(share=False), label="data")
    body = draw.draw(P.S.bodies(), label="body")
    record = fmt.from_dict(data, body=body)
    assert equal_data(fmt.to_dict(record), data)
    text = fmt.dumps(record)
    again = fmt.loads(text)
    assert equal_data(fmt.to_dict(again), data)
    assert again.body == body
    assert disagreeing_readers(P._front_matter(text), data) == []


@FEW
@given(st.sampled_from(sorted(SCHEMAS)), st.data())
def test_house_style_is_stable(name: str, draw: st.DataObject) -> None:
    fmt = record_format(name)
    data = draw.draw(DATA[name].records(), label="data")
    text = fmt.dumps(fmt.from_dict(data, body=draw.draw(P.S.bodies(), label="body")))
    once = fmt.dumps(fmt.loads(text))
    assert once == text
    assert disagreeing_readers(P._front_matter(text), data) == []


@FEW
@given(st.sampled_from(sorted(SCHEMAS)), st.data())
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


def check_edit(name: str, text: str, edit: P.Edit) -> None:
    """The checks of tests/test_properties.py `_check_edit`, for a record of any format."""
    fmt, schema = record_format(name), DATA[name]
    record = fmt.loads(text)
    before = fmt.to_dict(record)
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
@given(st.sampled_from(OTHER_FORMATS), st.data())
def test_edit_golden_changes_only_the_field(name: str, draw: st.DataObject) -> None:
    paths = sorted((FORMATS_DIR / name / "golden").iterdir())
    text = draw.draw(st.sampled_from(paths), label="golden").read_bytes().decode("utf-8")
    record = record_format(name).loads(text)
    before = record_format(name).to_dict(record)
    edit = draw.draw(P.edits(before, P._hot_paths(record), DATA[name]), label="edit")
    check_edit(name, text, edit)


@FEW
@given(st.sampled_from(sorted(SCHEMAS)), st.data())
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
