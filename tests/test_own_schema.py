"""A team's own schema from the shell: `--schema FILE` and `[tool.roundtrip] schema = "..."`.

The real command (`python -m roundtrip`) runs on real files in a project directory; no Python is
written by the "team". Outputs are judged by reading the files back with PyYAML.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

from .test_schema_export import TypeCheck, TypeChecked, diagnostic_text, typecheck

ROUNDTRIP = [sys.executable, "-m", "roundtrip"]


def roundtrip(*argv: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The command, run for real in `cwd`."""
    return subprocess.run(
        [*ROUNDTRIP, *argv], cwd=cwd, input=stdin, capture_output=True, text=True, check=False
    )


# -- the config key ----------------------------------------------------------------------------


def test_a_missing_schema_file_names_the_pyproject_and_the_key(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.roundtrip]\nschema = "schema/post.json"\n', encoding="utf-8"
    )
    (tmp_path / "a.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    result = roundtrip("verify", "a.md", cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (
        f"roundtrip: error: {tmp_path / 'pyproject.toml'}: tool.roundtrip.schema: "
        f"no such schema file: {tmp_path / 'schema' / 'post.json'}\n"
    )


@pytest.mark.parametrize("value", ["3", '""', '["a.json"]'])
def test_a_schema_key_that_is_not_a_path_is_refused(tmp_path: Path, value: str) -> None:
    (tmp_path / "pyproject.toml").write_text(
        f"[tool.roundtrip]\nschema = {value}\n", encoding="utf-8"
    )
    result = roundtrip("get", "a.md", cwd=tmp_path)
    assert result.returncode == 2
    assert (
        f"{tmp_path / 'pyproject.toml'}: tool.roundtrip.schema: must be the path of a JSON "
        "Schema file, relative to this pyproject.toml"
    ) in result.stderr


def test_the_schema_is_relative_to_the_pyproject_not_the_working_directory(
    tmp_path: Path,
) -> None:
    project = tmp_path / "site"
    (project / "content" / "posts").mkdir(parents=True)
    (project / "pyproject.toml").write_text(
        '[tool.roundtrip]\nschema = "nowhere.json"\n', encoding="utf-8"
    )
    record = project / "content" / "posts" / "a.md"
    record.write_text("---\ntitle: x\n---\n", encoding="utf-8")
    result = roundtrip("verify", str(record), cwd=tmp_path)
    assert f"no such schema file: {project / 'nowhere.json'}" in result.stderr


def test_schema_export_of_the_article_by_default(tmp_path: Path) -> None:
    result = roundtrip("schema", "export", cwd=tmp_path)
    assert result.returncode == 0
    assert json.loads(result.stdout)["title"] == "Article"


# -- a project with its own schema ---------------------------------------------------------------

EVENT_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Event",
    "description": "An event page's front matter.",
    "type": "object",
    "properties": {
        "slug": {"type": "string", "minLength": 1},
        "title": {"type": "string", "minLength": 1},
        "starts-at": {"type": "string", "format": "date-time"},
        "status": {"enum": ["planned", "cancelled", "done"]},
        "capacity": {"type": ["integer", "null"], "minimum": 0},
        "price": {"type": "number"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "venue": {
            "type": "object",
            "properties": {"name": {"type": "string"}, "city": {"type": "string"}},
            "required": ["name"],
            "additionalProperties": False,
        },
        "see-also": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"slug": {"type": "string"}, "title": {"type": "string"}},
                "required": ["slug", "title"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["slug", "title", "starts-at", "status"],
    "additionalProperties": False,
    "x-roundtrip-links": {"key": "slug", "list": "see-also", "fields": ["title"]},
}

LAUNCH = """\
---
slug: launch
title: Launch party
starts-at: 2024-05-01T18:00:00Z
status: planned
capacity: 120
price: 12.50
tags: [party, launch]
venue:
  name: The Hall
  city: Leeds
see-also:
  - slug: retro
    title: "Retro night"
---
Doors at six.
"""

RETRO = """\
---
slug: retro
title: 'Retro night'
starts-at: 2024-06-01 20:00:00+01:00
status: done
venue: {name: Club, city: York}   # flow style: not the house style
see-also:
- slug: launch
  title: Launch party
---
"""


def _write_schema(directory: Path, schema: dict[str, object] = EVENT_SCHEMA) -> Path:
    path = directory / "event.schema.json"
    path.write_text(json.dumps(schema, indent=2), encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A site whose pyproject.toml names its schema; two event records and a README."""
    (tmp_path / "schema").mkdir()
    _write_schema(tmp_path / "schema")
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "site"\n\n[tool.roundtrip]\nschema = "schema/event.schema.json"\n',
        encoding="utf-8",
    )
    content = tmp_path / "content"
    content.mkdir()
    (content / "launch.md").write_text(LAUNCH, encoding="utf-8")
    (content / "retro.md").write_text(RETRO, encoding="utf-8")
    (content / "README.md").write_text("# Events\n", encoding="utf-8")
    return tmp_path


def _loose_in(directory: Path) -> tuple[Path, Path]:
    content = directory / "content"
    content.mkdir()
    (content / "launch.md").write_text(LAUNCH, encoding="utf-8")
    (content / "retro.md").write_text(RETRO, encoding="utf-8")
    return content, _write_schema(directory)


@pytest.fixture
def loose(tmp_path: Path) -> tuple[Path, Path]:
    """The same records in a directory no pyproject.toml configures, and the schema's path."""
    return _loose_in(tmp_path)


def _front_matter(path: Path) -> object:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def test_verify_content_just_works_in_a_configured_project(project: Path) -> None:
    result = roundtrip("verify", "content/", cwd=project)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        "ok   content/launch.md",
        "ok   content/retro.md",
        "2 verified, 0 failed",
    ]
    # The same files judged as articles fail: the schema really came from the config.
    (project / "pyproject.toml").write_text('[project]\nname = "site"\n', encoding="utf-8")
    assert roundtrip("verify", "content/", cwd=project).returncode == 1


def test_verify_names_line_column_and_field_of_a_bad_record(project: Path) -> None:
    bad = project / "content" / "bad.md"
    bad.write_text(LAUNCH.replace("status: planned", "status: maybe"), encoding="utf-8")
    result = roundtrip("verify", "--jobs", "1", "content/", cwd=project)
    assert result.returncode == 1
    failures = [line for line in result.stdout.splitlines() if line.startswith("FAIL")]
    assert len(failures) == 1
    assert failures[0].startswith("FAIL content/bad.md:5:9: status: ")
    assert "maybe" in failures[0]


def test_schema_option_with_every_reading_command(loose: tuple[Path, Path]) -> None:
    content, schema = loose
    cwd = content.parent
    verified = roundtrip("verify", "--schema", str(schema), "content/", cwd=cwd)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert roundtrip("verify", "content/", cwd=cwd).returncode == 1  # as articles: no
    got = roundtrip("get", "--schema", str(schema), "content/launch.md", "venue.city", cwd=cwd)
    assert (got.returncode, got.stdout) == (0, '"Leeds"\n')
    whole = roundtrip("get", "--schema", str(schema), "content/retro.md", cwd=cwd)
    assert json.loads(whole.stdout)["starts-at"] == "2024-06-01 20:00:00+01:00"
    exported = roundtrip("export", "--schema", str(schema), "content/", cwd=cwd)
    assert exported.returncode == 0, exported.stderr
    lines = [json.loads(line) for line in exported.stdout.splitlines()]
    assert [line["path"] for line in lines] == ["content/launch.md", "content/retro.md"]
    assert lines[0]["record"]["price"] == 12.5 and lines[0]["body"] == "Doors at six.\n"
    assert lines[1]["record"]["venue"] == {"name": "Club", "city": "York"}


def test_set_edits_only_its_line_and_reads_values_by_the_schema(loose: tuple[Path, Path]) -> None:
    content, schema = loose
    launch = content / "launch.md"
    before = launch.read_text(encoding="utf-8")
    for field, value, line in [
        ("capacity", "null", "capacity: null"),
        ("price", "15", "price: 15"),
        ("venue.city", "York", "  city: York"),
        ("status", "done", "status: done"),
    ]:
        result = roundtrip("set", "--schema", str(schema), str(launch), field, value, cwd=content)
        assert result.returncode == 0, result.stderr
        assert line in launch.read_text(encoding="utf-8").splitlines()
    after = launch.read_text(encoding="utf-8").splitlines()
    pairs = enumerate(zip(before.splitlines(), after, strict=True))
    assert [number for number, (old, new) in pairs if old != new] == [4, 5, 6, 10]
    refused = roundtrip("set", "--schema", str(schema), str(launch), "status", "maybe", cwd=content)
    assert refused.returncode == 1 and "FAIL" in refused.stderr and "status" in refused.stderr
    assert launch.read_text(encoding="utf-8").splitlines() == after  # left as it was
    appended = roundtrip("set", "--schema", str(schema), str(launch), "tags", "music",
                         "--append", cwd=content)  # fmt: skip
    assert appended.returncode == 0, appended.stderr
    assert _front_matter(launch)["tags"] == ["party", "launch", "music"]  # type: ignore[index]


def test_fmt_writes_the_house_style_of_the_schema_and_keeps_the_data(
    loose: tuple[Path, Path],
) -> None:
    content, schema = loose
    retro = content / "retro.md"
    data = _front_matter(retro)
    check = roundtrip("fmt", "--check", "--schema", str(schema), str(content), cwd=content)
    assert check.returncode == 1 and f"would reformat {retro}" in check.stdout
    done = roundtrip("fmt", "--schema", str(schema), str(content), cwd=content)
    assert done.returncode == 0, done.stdout + done.stderr
    assert _front_matter(retro) == data
    text = retro.read_text(encoding="utf-8")
    assert "venue:\n  name: Club\n  city: York\n" in text and "{" not in text
    again = roundtrip("fmt", "--check", "--schema", str(schema), str(content), cwd=content)
    assert again.returncode == 0, again.stdout


def test_export_then_apply_and_patch_with_the_schema(loose: tuple[Path, Path]) -> None:
    content, schema = loose
    cwd = content.parent
    exported = roundtrip("export", "--schema", str(schema), "--no-body", "content/", cwd=cwd)
    lines = [json.loads(line) for line in exported.stdout.splitlines()]
    lines[0]["record"]["capacity"] = 150
    edited = "".join(json.dumps(line) + "\n" for line in lines)
    before = (content / "launch.md").read_text(encoding="utf-8")
    applied = roundtrip("apply", "--schema", str(schema), "-", cwd=cwd, stdin=edited)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert applied.stdout.splitlines()[-1] == "1 updated, 1 unchanged, 0 refused"
    after = (content / "launch.md").read_text(encoding="utf-8")
    assert after == before.replace("capacity: 120", "capacity: 150")
    lines[1]["record"]["status"] = "sold out"
    refused = roundtrip("apply", "--schema", str(schema), "-", cwd=cwd,
                        stdin=json.dumps(lines[1]) + "\n")  # fmt: skip
    assert refused.returncode == 1 and "line 1: content/retro.md" in refused.stderr
    operations = '[{"op": "test", "path": "/status", "value": "done"},' \
        ' {"op": "add", "path": "/tags", "value": ["archive"]}]'  # fmt: skip
    patched = roundtrip("patch", "--schema", str(schema), "content/", "--patch", "-", cwd=cwd,
                        stdin=operations)  # fmt: skip
    assert patched.returncode == 0, patched.stdout + patched.stderr
    assert patched.stdout.splitlines()[-1] == "1 patched, 0 unchanged, 1 skipped, 0 failed"
    assert _front_matter(content / "retro.md")["tags"] == ["archive"]  # type: ignore[index]


def test_jobs_and_the_cache_with_another_schema(loose: tuple[Path, Path], tmp_path: Path) -> None:
    content, schema = loose
    for number in range(40):
        slug = f"event-{number:02}"
        text = LAUNCH.replace("slug: launch", f"slug: {slug}")
        (content / f"{slug}.md").write_text(text, encoding="utf-8")
    (content / "event-07.md").write_text(LAUNCH.replace("price: 12.50", "price: free"),
                                          encoding="utf-8")  # fmt: skip
    cwd = content.parent
    one = roundtrip("verify", "--schema", str(schema), "--jobs", "1", "--no-cache", "content/",
                    cwd=cwd)  # fmt: skip
    two = roundtrip("verify", "--schema", str(schema), "--jobs", "2", "--no-cache", "content/",
                    cwd=cwd)  # fmt: skip
    assert one.stdout == two.stdout and one.returncode == two.returncode == 1
    assert "41 verified, 1 failed" in one.stdout
    assert "FAIL content/event-07.md:7:8: price" in one.stdout
    # The cache is keyed by the format: a stricter schema never reuses the old verdicts.
    env_cache = {"ROUNDTRIP_CACHE_DIR": str(tmp_path / "cache")}
    first = _with_env(env_cache, "verify", "--schema", str(schema), "content/", cwd=cwd)
    (old_key,) = (tmp_path / "cache").glob("verified-*.txt")
    assert first.returncode == 1 and len(old_key.read_text(encoding="ascii").split()) == 41
    stricter = json.loads(schema.read_text(encoding="utf-8"))
    stricter["properties"]["capacity"]["maximum"] = 100
    schema.write_text(json.dumps(stricter), encoding="utf-8")
    second = _with_env(env_cache, "verify", "--schema", str(schema), "content/", cwd=cwd)
    assert second.returncode == 1
    assert second.stdout.count("capacity") == 41  # every record with capacity 120 fails now
    (new_key,) = set((tmp_path / "cache").glob("verified-*.txt")) - {old_key}
    retro = hashlib.sha256((content / "retro.md").read_bytes()).hexdigest()
    assert new_key.read_text(encoding="ascii").split() == [retro]  # the one still clean


def _with_env(env: dict[str, str], *argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run([*ROUNDTRIP, *argv], cwd=cwd, capture_output=True, text=True,
                          check=False, env={**os.environ, **env})  # fmt: skip


def _link_with_a_stale_title(content: Path) -> None:
    """The retro's link to the launch party names it by an old title (`--links` finds it)."""
    text = RETRO.replace("  title: Launch party", "  title: Launch")
    (content / "retro.md").write_text(text, encoding="utf-8")


def test_links_follow_the_schemas_rule(loose: tuple[Path, Path]) -> None:
    content, schema = loose
    _link_with_a_stale_title(content)
    cwd = content.parent
    result = roundtrip("verify", "--links", "--jobs", "1", "--schema", str(schema), "content/",
                       cwd=cwd)  # fmt: skip
    assert result.returncode == 1
    assert [line for line in result.stdout.splitlines() if line.startswith("FAIL")] == [
        "FAIL content/retro.md:9:3: see-also.0.title: disagrees with content/launch.md: "
        "'Launch' here, 'Launch party' there"
    ]
    unlinked = dict(EVENT_SCHEMA)
    del unlinked["x-roundtrip-links"]
    plain = _write_schema(content.parent / "content", unlinked)
    refused = roundtrip("verify", "--links", "--schema", str(plain), "content/", cwd=cwd)
    assert refused.returncode == 2 and refused.stdout == ""
    assert "defines no links" in refused.stderr and "x-roundtrip-links" in refused.stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not a JSON schema"),
        (
            '{"type": "object", "properties": {"a": {"$ref": "other.json#/A"}}}',
            "#/properties/a/$ref: $ref 'other.json#/A' leaves this schema",
        ),
    ],
    ids=["not-json", "unsupported-keyword"],
)
def test_a_bad_schema_is_a_clear_usage_error(
    loose: tuple[Path, Path], text: str, message: str
) -> None:
    content, schema = loose
    schema.write_text(text, encoding="utf-8")
    for argv in (["verify", "content/"], ["get", "content/launch.md"], ["schema", "export"]):
        result = roundtrip(*argv, "--schema", str(schema), cwd=content.parent)
        assert result.returncode == 2 and result.stdout == "", argv
        assert result.stderr.startswith(f"roundtrip: error: --schema: {schema}")
        assert message in result.stderr and "Traceback" not in result.stderr


def test_a_bad_link_rule_is_refused_by_every_command(loose: tuple[Path, Path]) -> None:
    content, schema = loose
    broken = json.loads(json.dumps(EVENT_SCHEMA))
    broken["x-roundtrip-links"]["fields"] = ["title", "venue"]
    schema.write_text(json.dumps(broken), encoding="utf-8")
    result = roundtrip("get", "--schema", str(schema), "content/launch.md", cwd=content.parent)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"roundtrip: error: --schema: {schema}: #/x-roundtrip-links/fields/1: 'venue' is not a "
        "property of both the record and the items of 'see-also'\n"
    )


def test_schema_export_of_another_format(loose: tuple[Path, Path]) -> None:
    content, schema = loose
    cwd = content.parent
    exported = roundtrip("schema", "export", "--schema", str(schema), cwd=cwd)
    assert json.loads(exported.stdout)["properties"]["starts-at"]["format"] == "date-time"
    typescript = roundtrip("schema", "export", "--lang", "typescript", "--schema", str(schema),
                           cwd=cwd).stdout  # fmt: skip
    assert "export interface Event {" in typescript
    assert '  "starts-at": string;' in typescript
    assert '  status: "planned" | "cancelled" | "done";' in typescript
    assert "  capacity?: number | null;" in typescript
    assert '  "see-also"?: SeeAlso[];' in typescript
    python = roundtrip("schema", "export", "--lang", "python", "--schema", str(schema), cwd=cwd)
    assert python.returncode == 0, python.stderr
    assert "class Event(" in python.stdout and "starts_at:" in python.stdout


def test_a_dask_cluster_gets_the_schema_not_the_article(loose: tuple[Path, Path]) -> None:
    """The workers are other processes: they build the format from the schema's text."""
    pytest.importorskip("distributed")
    content, schema = loose
    _link_with_a_stale_title(content)
    cwd = content.parent
    local = roundtrip("verify", "--links", "--jobs", "1", "--schema", str(schema), "content/",
                      cwd=cwd)  # fmt: skip
    assert local.returncode == 1 and "see-also.0.title: disagrees" in local.stdout
    cluster = roundtrip("verify", "--links", "--scheduler", "local:1", "--schema", str(schema),
                        "content/", cwd=cwd)  # fmt: skip
    assert (cluster.returncode, cluster.stdout) == (local.returncode, local.stdout)
    exported = roundtrip("export", "--scheduler", "local:1", "--schema", str(schema),
                         "content/", cwd=cwd)  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    assert [json.loads(line)["record"]["slug"] for line in exported.stdout.splitlines()] == [
        "launch",
        "retro",
    ]


def test_python_verify_get_and_patch_take_any_format(project: Path) -> None:
    import roundtrip as rt

    content = project / "content"
    schema = project / "schema" / "event.schema.json"
    # The project's own schema by default (as the command line), or one given.
    assert [result.ok for result in rt.verify([str(content)])] == [True, True]
    event = rt.Format.from_schema(schema)
    assert [result.ok for result in rt.verify([str(content)], schema=event)] == [True, True]
    assert [result.ok for result in rt.verify([str(content)], schema=rt.ARTICLE)] == [False] * 2
    record = event.load(content / "launch.md")
    assert rt.get(record, "see-also.0.title") == "Retro night"
    patched = rt.patch(record, [{"op": "replace", "path": "/status", "value": "done"}])
    assert rt.dumps(patched) == LAUNCH.replace("status: planned", "status: done")
    with pytest.raises(rt.SchemaError, match="status"):
        rt.patch(record, [{"op": "replace", "path": "/status", "value": "maybe"}])


JS_DIR = Path(__file__).resolve().parent / "js"
FORMATS = sorted(path.parent for path in (JS_DIR.parent / "formats").glob("*/schema.json"))
needs_tsc = pytest.mark.skipif(
    shutil.which("node") is None or not (JS_DIR / "node_modules" / "typescript").is_dir(),
    reason="needs node and tests/js/node_modules (npm ci --prefix tests/js)",
)


class Exported(NamedTuple):
    """`schema export --lang typescript` of a schema, and tsc's verdict on records typed by it."""

    run: subprocess.CompletedProcess[str]
    root: str | None  # the first interface declared: the record's
    checked: TypeChecked | None  # None when the export failed


@pytest.fixture(scope="module")
def exported_typescript(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Exported]:
    """Each schema exported from the shell as TypeScript, then the records typed by it in one
    tsc run (its start-up is most of a check's cost): "loose" is the event schema with LAUNCH,
    RETRO and a record with a bad status; each test format (by name) with its goldens."""
    directory = tmp_path_factory.mktemp("typescript")
    content, schema = _loose_in(directory)
    bad = content / "bad.md"
    bad.write_text(LAUNCH.replace("status: planned", "status: maybe"), encoding="utf-8")
    jobs = {"loose": (schema, [content / "launch.md", content / "retro.md", bad])}
    for format_dir in FORMATS:
        jobs[format_dir.name] = (format_dir / "schema.json", sorted(format_dir.glob("golden/*.md")))
    runs, roots, checks = {}, {}, {}
    for name, (schema_file, records) in jobs.items():
        declarations = directory / f"{name}.ts"
        export = ["schema", "export", "--lang", "typescript", "--schema", str(schema_file)]
        runs[name] = roundtrip(*export, "-o", str(declarations), cwd=directory)
        root = re.search(r"^export interface (\w+) ", declarations.read_text(encoding="utf-8"),
                         re.M) if runs[name].returncode == 0 else None  # fmt: skip
        if root is not None:
            roots[name] = root[1]
            checks[name] = TypeCheck(declarations, root[1], records)
    results = dict(zip(checks, typecheck(*checks.values()), strict=True)) if checks else {}
    return {name: Exported(run, roots.get(name), results.get(name)) for name, run in runs.items()}


@needs_tsc
def test_the_exported_typescript_types_the_records_as_javascript_reads_them(
    exported_typescript: dict[str, Exported],
) -> None:
    exported = exported_typescript["loose"]
    assert exported.run.returncode == 0, exported.run.stderr
    assert exported.root == "Event" and exported.checked is not None
    assert exported.checked.declarations == []
    launch, retro, bad = exported.checked.records
    assert (launch, retro) == ([], []), diagnostic_text(launch + retro)
    refused = diagnostic_text(bad)
    assert """error TS2322: Type '"maybe"' is not assignable""" in refused, bad
    assert "from property 'status'" in refused, bad


@pytest.mark.parametrize(
    ("schema", "text", "value"),
    [
        ({"type": ["integer", "null"]}, "null", None),
        ({"type": ["integer", "null"]}, " 7", 7),
        ({"type": "number"}, "4.50", 4.5),
        ({"type": "number"}, "-1e3", -1000.0),
        ({"type": "number"}, "12", 12),
        ({"type": "boolean"}, "TRUE", True),
        ({"enum": [1, 2, 3]}, "2", 2),
        ({"enum": ["a", "b"]}, "null", "null"),
        ({"const": False}, "false", False),
        ({"type": ["string", "array"]}, '["x"]', ["x"]),
        ({"type": ["string", "array"]}, "x", "x"),
        ({"type": "string"}, "12", "12"),
        ({"type": "object", "additionalProperties": {"type": "string"}}, '{"a": "b"}', {"a": "b"}),
        ({}, "anything", "anything"),
    ],
)
def test_a_set_value_is_read_as_the_fields_types(schema: dict[str, object], text: str,
                                                 value: object) -> None:  # fmt: skip
    from roundtrip.edit import parse_value

    parsed = parse_value(text, schema, "f")
    assert parsed == value and type(parsed) is type(value)


@pytest.mark.parametrize(
    ("schema", "text", "message"),
    [
        ({"type": "integer"}, "high", "expected an integer, got 'high'"),
        ({"type": ["integer", "null"]}, "4.5", "expected an integer or null, got '4.5'"),
        ({"type": "boolean"}, "yes", "expected true or false, got 'yes'"),
        ({"type": "array"}, "[1,", "expected JSON for this array"),
    ],
)
def test_a_set_value_of_no_allowed_type_is_refused(schema: dict[str, object], text: str,
                                                   message: str) -> None:  # fmt: skip
    import roundtrip as rt
    from roundtrip.edit import parse_value

    with pytest.raises(rt.SchemaError, match=re.escape(message)):
        parse_value(text, schema, "f")


# -- the test formats (tests/formats/*), from the shell ------------------------------------------


@pytest.mark.parametrize("directory", FORMATS, ids=lambda path: path.name)
def test_each_test_format_from_the_shell(directory: Path, tmp_path: Path) -> None:
    """Goldens verify, invalid records fail, `fmt` keeps the data; all by --schema alone."""
    schema = str(directory / "schema.json")
    golden = roundtrip("verify", "--no-cache", "--schema", schema, str(directory / "golden"),
                       cwd=tmp_path)  # fmt: skip
    assert golden.returncode == 0, golden.stdout + golden.stderr
    invalid = sorted((directory / "invalid").glob("*.md"))
    refused = roundtrip("verify", "--no-cache", "--jobs", "1", "--schema", schema,
                        *map(str, invalid), cwd=tmp_path)  # fmt: skip
    assert refused.stdout.splitlines()[-1] == f"0 verified, {len(invalid)} failed"
    copies = tmp_path / "copies"
    shutil.copytree(directory / "golden", copies)
    before = {path.name: _yaml_data(path) for path in copies.iterdir()}
    formatted = roundtrip("fmt", "--schema", schema, str(copies), cwd=tmp_path)
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr
    assert {path.name: _yaml_data(path) for path in copies.iterdir()} == before
    again = roundtrip("fmt", "--check", "--schema", schema, str(copies), cwd=tmp_path)
    assert again.returncode == 0, again.stdout


def _yaml_data(path: Path) -> object:
    """The front matter as a YAML 1.2 reader sees it (the tests' own oracle, not the product):
    a date quoted or plain is the same string there, as it is to the schema."""
    from .yaml_styles import oracle_load

    lines = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n").split("\n")
    return oracle_load("\n".join(lines[1 : lines.index("---", 1)]) + "\n")


@needs_tsc
@pytest.mark.parametrize("directory", FORMATS, ids=lambda path: path.name)
def test_each_test_formats_typescript_types_its_goldens(
    directory: Path, exported_typescript: dict[str, Exported]
) -> None:
    exported = exported_typescript[directory.name]
    assert exported.run.returncode == 0, exported.run.stderr
    assert exported.root is not None and exported.checked is not None
    assert exported.checked.declarations == []
    goldens = sorted(directory.glob("golden/*.md"))
    assert len(exported.checked.records) == len(goldens) > 0
    for golden, diagnostics in zip(goldens, exported.checked.records, strict=True):
        assert diagnostics == [], (golden.name, diagnostic_text(diagnostics))
