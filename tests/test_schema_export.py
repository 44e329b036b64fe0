"""`roundtrip schema export`: the JSON Schema and TypeScript it exports, checked by JS tools.

The JavaScript checks (Ajv 2020-12 with ajv-formats, and `tsc --strict`) live in tests/js and
need its node_modules: `npm ci --prefix tests/js`. Without node, npm or those modules they are
skipped; the unit tests of render_typescript always run.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from roundtrip.typescript import render_typescript

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_FILE = ROOT / "schema" / "article.schema.json"
SEED_000 = ROOT / "golden" / "000_6bef1e912cfb9f3e.txt"
SEED_002 = ROOT / "golden" / "002_a1f7abd1a28687f0.txt"
SEEDS = [SEED_000, SEED_002]
JS_DIR = ROOT / "tests" / "js"


def _js_skip_reason() -> str | None:
    missing = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    if missing:
        return f"{' and '.join(missing)} not installed: the JavaScript checks need Node.js"
    if not (JS_DIR / "node_modules").is_dir():
        return "tests/js/node_modules is missing: run `npm ci --prefix tests/js`"
    return None


_JS_SKIP = _js_skip_reason()
needs_js = pytest.mark.skipif(_JS_SKIP is not None, reason=_JS_SKIP or "")


def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return loaded


def run_export(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the real command `python -m roundtrip schema export ARGS` from ``cwd``."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    return subprocess.run(
        [sys.executable, "-m", "roundtrip", "schema", "export", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def export(*args: str, cwd: Path) -> str:
    """Standard output of a `schema export` that must succeed."""
    result = run_export(*args, cwd=cwd)
    assert result.returncode == 0, result.stderr
    return result.stdout


def edited_seed(tmp_path: Path, seed: Path, old: str, new: str, name: str = "bad.txt") -> Path:
    """Copy ``seed`` into tmp_path with its one occurrence of ``old`` replaced by ``new``."""
    text = seed.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur exactly once in {seed.name}"
    path = tmp_path / name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def node(script: str, *args: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["node", str(JS_DIR / script), *map(str, args)],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


class TypeCheck(NamedTuple):
    """Records to type as `type` from the TypeScript `declarations`."""

    declarations: Path
    type: str
    records: list[Path]


class TypeChecked(NamedTuple):
    """tsc's diagnostics on a TypeCheck: its declarations', and each record's in order."""

    declarations: list[dict[str, Any]]
    records: list[list[dict[str, Any]]]


def typecheck(*checks: TypeCheck) -> list[TypeChecked]:
    """Every check in one `tsc --strict` program (tests/js/typecheck.mjs): tsc's start-up is
    most of a check's cost, so a test module gathers its records into one run."""
    plan = [
        {"declarations": str(c.declarations), "type": c.type, "records": list(map(str, c.records))}
        for c in checks
    ]
    result = node("typecheck.mjs", stdin=json.dumps(plan))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["global"] == [], report["global"]
    return [TypeChecked(group["declarations"], group["records"]) for group in report["groups"]]


def diagnostic_text(diagnostics: list[dict[str, Any]]) -> str:
    """The diagnostics as tsc words them, related information included, one per line."""
    return "\n".join(
        f"error TS{d['code']}: " + " ".join([d["message"], *d["related"]]) for d in diagnostics
    )


@pytest.fixture(scope="module")
def exported_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The schema exported as JSON Schema and as TypeScript with `-o`."""
    out = tmp_path_factory.mktemp("export")
    export("--lang", "jsonschema", "-o", str(out / "article.schema.json"), cwd=out)
    export("--lang", "typescript", "-o", str(out / "article.ts"), cwd=out)
    return out


# --- the command -----------------------------------------------------------------------------


def without_format_patterns(node: Any) -> tuple[Any, list[str]]:
    """`node` less the `pattern` beside each `format`, and the formats that had one."""
    if isinstance(node, list):
        pairs = [without_format_patterns(item) for item in node]
        return [item for item, _ in pairs], [name for _, names in pairs for name in names]
    if not isinstance(node, dict):
        return node, []
    stripped, found = {}, []
    for key, value in node.items():
        if key == "pattern" and "format" in node:
            found.append(node["format"])
            continue
        stripped[key], names = without_format_patterns(value)
        found.extend(names)
    return stripped, found


def format_uses(node: Any) -> list[str]:
    if isinstance(node, list):
        return [name for item in node for name in format_uses(item)]
    if not isinstance(node, dict):
        return []
    own = [node["format"]] if isinstance(node.get("format"), str) else []
    return own + [name for value in node.values() for name in format_uses(value)]


def test_export_defaults_to_json_schema_on_stdout(tmp_path: Path) -> None:
    stripped, _ = without_format_patterns(json.loads(export(cwd=tmp_path)))
    assert stripped == schema()


def test_export_is_the_schema_with_a_pattern_beside_every_format(exported_dir: Path) -> None:
    exported = json.loads((exported_dir / "article.schema.json").read_text(encoding="utf-8"))
    stripped, patterned = without_format_patterns(exported)
    assert stripped == schema()
    assert sorted(patterned) == sorted(format_uses(schema()))
    assert {"date-time", "uri"} <= set(patterned)


def test_export_typescript_is_render_typescript(tmp_path: Path, exported_dir: Path) -> None:
    expected = render_typescript(schema())
    assert export("--lang", "typescript", cwd=tmp_path) == expected
    assert (exported_dir / "article.ts").read_text(encoding="utf-8") == expected


def test_export_rejects_unknown_language(tmp_path: Path) -> None:
    result = run_export("--lang", "cobol", cwd=tmp_path)
    assert result.returncode != 0
    assert "cobol" in result.stderr


# --- the exported JSON Schema, through Ajv ---------------------------------------------------


def ajv(schema_file: Path, *records: Path) -> list[dict[str, Any]]:
    result = node("validate.mjs", schema_file, *records)
    assert result.returncode in (0, 1), result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["file"] for line in lines] == [str(record) for record in records]
    return lines


@pytest.fixture(scope="module")
def ajv_reports(
    tmp_path_factory: pytest.TempPathFactory, exported_dir: Path
) -> dict[str, dict[str, Any]]:
    """Ajv's report on each seed and each bad record (BAD_RECORDS), by name: one node run."""
    out = tmp_path_factory.mktemp("bad")
    records = {seed.name: seed for seed in SEEDS} | {
        case: edited_seed(out, bad.seed, bad.old, bad.new, name=f"{case}.txt")
        for case, bad in BAD_RECORDS.items()
    }
    reports = ajv(exported_dir / "article.schema.json", *records.values())
    return dict(zip(records, reports, strict=True))


@needs_js
def test_ajv_accepts_the_seeds(ajv_reports: dict[str, dict[str, Any]]) -> None:
    reports = [ajv_reports[seed.name] for seed in SEEDS]
    assert [(r["valid"], r["errors"]) for r in reports] == [(True, [])] * len(SEEDS)


class Bad(NamedTuple):
    """A seed with ``old`` replaced by ``new``, and the Ajv errors that must name it.

    ``keyword`` names the failing keyword; ``pattern+format`` where the value breaks both a
    format and the pattern the export adds beside it.
    """

    seed: Path
    old: str
    new: str
    instance_path: str
    keyword: str
    params: dict[str, str]


TOP_DATE = "\npublishedDateTime: 2023-10-19T09:00:00Z\n"
BAD_RECORDS = {
    "quality-as-string": Bad(
        SEED_000, "\nquality: 57\n", '\nquality: "57"\n', "/quality", "type", {}
    ),
    "missing-required": Bad(
        SEED_000, "\nheat: 77\n", "\n", "", "required", {"missingProperty": "heat"}
    ),
    "unknown-top-level-key": Bad(
        SEED_002,
        "\npublished: false\n",
        "\npublished: false\nmood: calm\n",
        "",
        "additionalProperties",
        {"additionalProperty": "mood"},
    ),
    "unknown-key-in-related": Bad(
        SEED_000,
        "\n    quality: 17\n",
        "\n    quality: 17\n    mood: calm\n",
        "/related/0",
        "additionalProperties",
        {"additionalProperty": "mood"},
    ),
    "impossible-date": Bad(
        SEED_000,
        TOP_DATE,
        TOP_DATE.replace("2023-10-19", "2023-02-30"),
        "/publishedDateTime",
        "format",
        {"format": "date-time"},
    ),
    "date-without-offset": Bad(
        SEED_000,
        TOP_DATE,
        TOP_DATE.replace("Z", ""),
        "/publishedDateTime",
        "pattern+format",
        {"format": "date-time"},
    ),
    "related-date-without-offset": Bad(
        SEED_002,
        "    publishedDateTime: 2023-10-20T13:15:00Z\n",
        "    publishedDateTime: 2023-10-20T13:15:00\n",
        "/related/1/publishedDateTime",
        "pattern+format",
        {"format": "date-time"},
    ),
    "secured-too-short": Bad(
        SEED_000, 'secured: "c3AV', 'secured: "3AV', "/secured", "pattern", {}
    ),
    "secured-without-semicolon": Bad(SEED_000, "==;6w0T", "==6w0T", "/secured", "pattern", {}),
}


@needs_js
@pytest.mark.parametrize("case", BAD_RECORDS)
def test_ajv_rejects_bad_record(ajv_reports: dict[str, dict[str, Any]], case: str) -> None:
    bad, report = BAD_RECORDS[case], ajv_reports[case]
    assert report["valid"] is False
    found = [(error["instancePath"], error["keyword"]) for error in report["errors"]]
    keywords = bad.keyword.split("+")
    assert found == [(bad.instance_path, keyword) for keyword in keywords], report["errors"]
    assert report["errors"][-1]["params"].items() >= bad.params.items()


# --- the exported TypeScript, through tsc --strict -------------------------------------------


MISTYPED = {
    "quality-as-string": ("\nquality: 57\n", '\nquality: "57"\n', "from property 'quality'"),
    "missing-required": ("\nheat: 77\n", "\n", "Property 'heat' is missing"),
    "missing-in-related": ("\n    quality: 17\n", "\n", "Property 'quality' is missing"),
    "unknown-key": (
        "\nheat: 77\n",
        "\nheat: 77\nmood: calm\n",
        "'\"mood\"' does not exist in type 'Article'",
    ),
}


@pytest.fixture(scope="module")
def typechecked(
    tmp_path_factory: pytest.TempPathFactory, exported_dir: Path
) -> dict[str, list[dict[str, Any]]]:
    """tsc's diagnostics on each seed and each mistyped record, by name: one tsc run."""
    out = tmp_path_factory.mktemp("mistyped")
    records = {seed.name: seed for seed in SEEDS} | {
        case: edited_seed(out, SEED_000, old, new, name=f"{case}.txt")
        for case, (old, new, _) in MISTYPED.items()
    }
    [checked] = typecheck(TypeCheck(exported_dir / "article.ts", "Article", [*records.values()]))
    assert checked.declarations == [], checked.declarations
    return dict(zip(records, checked.records, strict=True))


@needs_js
def test_tsc_accepts_the_seeds(typechecked: dict[str, list[dict[str, Any]]]) -> None:
    for seed in SEEDS:
        assert typechecked[seed.name] == [], diagnostic_text(typechecked[seed.name])


@needs_js
@pytest.mark.parametrize("case", MISTYPED)
def test_tsc_rejects_mistyped_record(
    typechecked: dict[str, list[dict[str, Any]]], case: str
) -> None:
    diagnostics = typechecked[case]
    assert diagnostics != []
    assert {d["category"] for d in diagnostics} == {"error"}
    assert MISTYPED[case][2] in diagnostic_text(diagnostics), diagnostics


# --- render_typescript -----------------------------------------------------------------------


def interface(source: str, name: str) -> str:
    match = re.search(rf"^export interface {name} \{{\n(.*?)^\}}", source, re.M | re.S)
    assert match, f"no interface {name}"
    return match.group(1)


def test_renders_one_interface_per_object_schema() -> None:
    source = render_typescript(schema())
    names = re.findall(r"^export interface (\w+) \{", source, re.M)
    assert names == ["Article", "Provider", "Image", "RelatedArticle"]


@pytest.mark.parametrize("name", ["Article", "Provider", "Image", "RelatedArticle"])
def test_properties_keep_schema_names_order_and_optionality(name: str) -> None:
    full = schema()
    sub = full if name == "Article" else full["$defs"][name]
    body = interface(render_typescript(full), name)
    declared = re.findall(r"^  (\w+)(\??): ", body, re.M)
    required = set(sub["required"])
    assert declared == [(key, "" if key in required else "?") for key in sub["properties"]]


def test_property_types() -> None:
    body = interface(render_typescript(schema()), "Article")
    for line in [
        "  category: string;",
        "  publishedDateTime: string;",
        "  ampWebUrl?: string;",
        "  quality: number;",
        "  published: boolean;",
        "  provider: Provider;",
        "  topics: string[];",
        "  images?: Image[];",
        "  related: RelatedArticle[];",
    ]:
        assert line in body.splitlines()


def test_doc_comments_carry_title_description_and_lost_detail() -> None:
    source = render_typescript(schema())
    assert "/** Provider: Who published the article. */\nexport interface Provider {" in source
    assert "  /** Quality: Editorial quality score. (integer) */\n  quality: number;" in source
    assert (
        "  /** Web URL: Canonical web address of the article; records link to each other by it."
        " (format: uri) */\n  webUrl: string;"
    ) in source
    assert "(format: date-time) */\n  publishedDateTime: string;" in source


def test_small_schema_renders_exactly() -> None:
    thing = {
        "$id": "urn:thing",
        "title": "Thing",
        "type": "object",
        "properties": {
            "id": {"type": "integer", "minimum": 1},
            "note": {"title": "Note", "description": "Ends */ here.", "type": "string"},
            "tags": {"type": "array", "items": {"type": "integer"}, "x-anything": 1},
            "part": {"$ref": "#/$defs/Part"},
        },
        "required": ["id", "part"],
        "additionalProperties": False,
        "$defs": {
            "Part": {"type": "object", "properties": {"ok": {"type": "boolean"}}},
            "Label": {"description": "A label.", "type": "string", "format": "email"},
        },
    }
    before = copy.deepcopy(thing)
    assert render_typescript(thing) == (
        "// Generated by roundtrip from urn:thing; do not edit.\n"
        "\n"
        "/** Thing */\n"
        "export interface Thing {\n"
        "  /** integer */\n"
        "  id: number;\n"
        "  /** Note: Ends *\\/ here. */\n"
        "  note?: string;\n"
        "  /** items: integer */\n"
        "  tags?: number[];\n"
        "  part: Part;\n"
        "}\n"
        "\n"
        "export interface Part {\n"
        "  ok?: boolean;\n"
        "  [key: string]: unknown;\n"
        "}\n"
        "\n"
        "/** A label. (format: email) */\n"
        "export type Label = string;\n"
    )
    assert thing == before


def _with(path: list[str], value: Any) -> dict[str, Any]:
    """The article schema with the sub-schema at ``path`` replaced by ``value``."""
    changed = schema()
    target = changed
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return changed


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (
            ["properties", "category", "enum"],
            [{"a": 1}],
            r"#/properties/category/enum/0: only null, boolean, number and string literals",
        ),
        (
            ["$defs", "Image", "properties", "width", "type"],
            ["integer", "decimal"],
            r"#/\$defs/Image/properties/width: cannot translate type 'decimal'",
        ),
        (["properties", "heat", "type"], "decimal", "cannot translate type 'decimal'"),
        (["properties", "topics", "items", "not"], {}, r"#/properties/topics/items: .*'not'"),
        (["properties", "provider", "$ref"], "other.json#/Provider", "cannot translate \\$ref"),
        (["properties", "provider", "$ref"], "#/$defs/Nope", "cannot translate \\$ref"),
        (["properties", "provider", "type"], "string", r"#/properties/provider: .*\['type'\]"),
        (
            ["additionalProperties"],
            {"type": "string", "patternProperties": {}},
            r"#/additionalProperties: .*'patternProperties'",
        ),
        (["required"], ["category", "ghost"], r"required names undeclared properties \['ghost'\]"),
        (["title"], "123", "the root's 'x-python-class' or 'title' must name the record"),
        (["$defs", "Provider", "$id"], "urn:p", r"#/\$defs/Provider: .*'\$id'"),
        (
            ["properties", "images", "items"],
            {"title": "Provider", "type": "object", "properties": {}},
            r"#/properties/images/items: the name 'Provider' is already that of #/\$defs/Provider",
        ),
    ],
    ids=[
        "object-in-enum",
        "unknown-type-in-list",
        "unknown-type",
        "not",
        "remote-ref",
        "missing-def",
        "ref-with-type",
        "patternProperties",
        "undeclared-required",
        "root-title",
        "nested-id",
        "name-taken",
    ],
)
def test_untranslatable_schema_raises(path: list[str], value: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        render_typescript(_with(path, value))
