"""The corpus commands (issue 10), run for real on real files: get, export, apply, patch, set's
list operations, --dry-run/--diff, fmt's reporters, include/exclude, stdin, --changed, the cache."""

from __future__ import annotations

import difflib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

import roundtrip as rt
from roundtrip.cli import main

from .conftest import GOLDEN, GOLDEN_FILES, SEEDS

FIRST, SECOND = SEEDS

# The command from this interpreter: the tests need not run inside an activated venv.
ROUNDTRIP = [sys.executable, "-m", "roundtrip"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def front_matter(path: Path) -> dict[str, object]:
    """The front matter as PyYAML reads it (an independent parser)."""
    loaded = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    assert isinstance(loaded, dict)
    return loaded


def changed_lines(before: bytes, after: bytes) -> tuple[list[str], list[str]]:
    """Lines only in `before`, lines only in `after` (by position-free multiset difference)."""
    old, new = before.decode().splitlines(), after.decode().splitlines()
    return [line for line in old if line not in new], [line for line in new if line not in old]


@pytest.fixture
def records(tmp_path: Path) -> Path:
    """Both seeds, plus a README and an image, which are not records."""
    directory = tmp_path / "records"
    directory.mkdir()
    for seed in SEEDS:
        shutil.copy(seed, directory / seed.name)
    (directory / "README.md").write_text("# Records\n\nNot a record.\n", encoding="utf-8")
    (directory / "cover.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0")
    return directory


# -- get -----------------------------------------------------------------------------------


def test_get_prints_the_front_matter_and_fields(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "get", str(FIRST))
    assert code == 0
    whole = json.loads(out)
    assert whole["heat"] == 77 and whole["related"][0]["provider"]["name"] == "TechRound"
    assert whole["publishedDateTime"] == "2023-10-19T09:00:00Z"
    assert run(capsys, "get", str(FIRST), "related.0.provider.name")[1] == '"TechRound"\n'
    assert run(capsys, "get", "--raw", str(FIRST), "related.0.provider.name")[1] == "TechRound\n"
    assert json.loads(run(capsys, "get", "--raw", str(FIRST), "topics")[1]) == ["AI"]
    assert run(capsys, "get", str(FIRST), "heat")[1] == "77\n"


def test_get_names_a_missing_field(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "get", str(FIRST), "related.9.title")
    assert code == 1 and out == ""
    assert f"FAIL {FIRST}: related.9: index 9 is out of range (0-1)" in err
    code, _, err = run(capsys, "get", str(FIRST), "provider.nope")
    assert code == 1 and "provider.nope: no such field" in err


def test_get_reads_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin(monkeypatch, SECOND.read_bytes())
    assert run(capsys, "get", "-", "heat") == (0, "-1\n", "")


# -- export --------------------------------------------------------------------------------


def test_export_streams_json_lines_in_walk_order(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "export", str(GOLDEN))
    assert code == 0 and err == ""
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["path"] for line in lines] == [str(path) for path in GOLDEN_FILES]
    for line in lines[:5]:
        article = rt.load(line["path"])
        assert line["record"] == rt.to_dict(article) and line["body"] == article.body


def test_export_no_body_to_a_file_and_failures(
    capsys: pytest.CaptureFixture[str], records: Path, tmp_path: Path
) -> None:
    bad = records / "bad.txt"
    bad.write_text(
        FIRST.read_text(encoding="utf-8").replace("heat: 77", "heat: hot"), encoding="utf-8"
    )
    output = tmp_path / "out.jsonl"
    code, out, err = run(capsys, "export", "--no-body", "-o", str(output), str(records))
    assert code == 1 and out == ""
    assert f"FAIL {bad}:12:7: heat: expected an integer" in err
    lines = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert [Path(line["path"]).name for line in lines] == [FIRST.name, SECOND.name]
    assert all(set(line) == {"path", "record"} for line in lines)


# -- apply ---------------------------------------------------------------------------------


def _export_lines(capsys: pytest.CaptureFixture[str], *paths: Path) -> list[dict[str, object]]:
    code, out, _ = run(capsys, "export", *map(str, paths))
    assert code == 0
    return [json.loads(line) for line in out.splitlines()]


def test_apply_of_an_unchanged_export_rewrites_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    corpus = tmp_path / "golden"
    shutil.copytree(GOLDEN, corpus)
    stats = {path: os.stat(path) for path in corpus.iterdir()}
    export = tmp_path / "all.jsonl"
    assert main(["export", "-o", str(export), str(corpus)]) == 0
    code, out, _ = run(capsys, "apply", str(export))
    assert code == 0
    assert out.splitlines()[-1] == f"0 updated, {len(GOLDEN_FILES)} unchanged, 0 refused"
    for path, before in stats.items():  # not even replaced by identical bytes
        after = os.stat(path)
        assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_apply_writes_only_the_changed_values(
    capsys: pytest.CaptureFixture[str], records: Path, tmp_path: Path
) -> None:
    first, second = records / FIRST.name, records / SECOND.name
    lines = _export_lines(capsys, records)
    lines[0]["record"]["heat"] = 78  # type: ignore[index]
    lines[0]["record"]["topics"].append("Labour")  # type: ignore[index]
    edited = tmp_path / "edited.jsonl"
    edited.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    before, untouched = first.read_bytes(), os.stat(second)
    code, out, _ = run(capsys, "apply", str(edited))
    assert code == 0 and out.splitlines() == [
        f"updated {first}",
        "1 updated, 1 unchanged, 0 refused",
    ]
    assert changed_lines(before, first.read_bytes()) == (["heat: 77"], ["heat: 78", "  - Labour"])
    assert front_matter(first)["topics"] == ["AI", "Labour"]
    assert os.stat(second).st_ino == untouched.st_ino


def test_apply_refuses_an_invalid_line_by_number_and_field(
    capsys: pytest.CaptureFixture[str], records: Path, tmp_path: Path
) -> None:
    first, second = records / FIRST.name, records / SECOND.name
    lines = _export_lines(capsys, records)
    lines[0]["record"]["related"][0]["quality"] = "high"  # type: ignore[index]
    lines[1]["record"]["heat"] = 5  # type: ignore[index]
    edited = tmp_path / "edited.jsonl"
    text = json.dumps(lines[0]) + "\n\nnot json\n" + json.dumps(lines[1]) + "\n"
    edited.write_text(text, encoding="utf-8")
    before = first.read_bytes()
    code, out, err = run(capsys, "apply", str(edited))
    assert code == 1
    text_lines = before.decode().splitlines()
    quality_line = text_lines.index("    quality: 17", text_lines.index("related:")) + 1
    message = 'related.0.quality: expected an integer, got string "high"'
    assert f"FAIL line 1: {first}:{quality_line}:5: {message}" in err
    assert "FAIL line 3: " in err and "not JSON" in err
    assert first.read_bytes() == before
    assert front_matter(second)["heat"] == 5
    assert out.splitlines()[-1] == "1 updated, 0 unchanged, 2 refused"


def test_apply_reads_stdin_in_a_subprocess(
    records: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = _export_lines(capsys, records / SECOND.name)
    lines[0]["record"]["published"] = True  # type: ignore[index]
    lines[0]["body"] = "A new body.\n"
    result = subprocess.run(
        [*ROUNDTRIP, "apply", "-"], input=json.dumps(lines[0]) + "\n",
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    article = rt.load(records / SECOND.name)
    assert article.published is True and article.body == "A new body.\n"


# -- patch ---------------------------------------------------------------------------------


def _patch_file(tmp_path: Path, operations: list[dict[str, object]]) -> str:
    path = tmp_path / "patch.json"
    path.write_text(json.dumps(operations), encoding="utf-8")
    return str(path)


def test_patch_appends_and_deletes_items_as_minimal_edits(
    capsys: pytest.CaptureFixture[str], records: Path, tmp_path: Path
) -> None:
    first = records / FIRST.name
    before_data, before = front_matter(first), first.read_bytes()
    operations = [
        {"op": "add", "path": "/topics/-", "value": "Labour"},
        {"op": "remove", "path": "/related/0"},
    ]
    code, out, _ = run(capsys, "patch", str(first), "--patch", _patch_file(tmp_path, operations))
    assert code == 0 and out.splitlines() == [
        f"patched {first}",
        "1 patched, 0 unchanged, 0 skipped, 0 failed",
    ]
    after = front_matter(first)
    assert after["topics"] == ["AI", "Labour"]
    assert after["related"] == before_data["related"][1:]  # type: ignore[index]
    # Byte for byte: one line added, the first related entry's lines gone, nothing else.
    text = before.decode().splitlines(keepends=True)
    start = text.index(
        '  - title: "Music Companies Take Legal Action Against Amazon-Backed AI Startup"\n'
    )
    end = next(i for i in range(start + 1, len(text)) if text[i].startswith("  - "))
    expected = "".join(text[:start] + text[end:]).replace("  - AI\n", "  - AI\n  - Labour\n")
    assert first.read_text(encoding="utf-8") == expected


def test_patch_test_operation_selects_records(
    capsys: pytest.CaptureFixture[str], records: Path, tmp_path: Path
) -> None:
    second_before = (records / SECOND.name).read_bytes()
    operations = [
        {"op": "test", "path": "/heat", "value": 77},
        {"op": "replace", "path": "/heat", "value": 80},
    ]
    code, out, err = run(
        capsys, "patch", str(records), "--patch", _patch_file(tmp_path, operations)
    )
    assert code == 0 and err == ""
    assert out.splitlines()[-1] == "1 patched, 0 unchanged, 1 skipped, 0 failed"
    assert f"skipped {records / SECOND.name}: test failed" in out
    assert front_matter(records / FIRST.name)["heat"] == 80
    assert (records / SECOND.name).read_bytes() == second_before


@pytest.mark.parametrize(
    ("operations", "message"),
    [
        (
            [{"op": "replace", "path": "/heat", "value": "hot"}],
            ':12:1: heat: expected an integer, got string "hot"',
        ),
        ([{"op": "remove", "path": "/related/7"}], "cannot apply the patch"),
        ([{"op": "remove", "path": "/title"}], "title: required field is missing"),
    ],
)
def test_patch_failures_leave_the_file_alone(
    capsys: pytest.CaptureFixture[str],
    records: Path,
    tmp_path: Path,
    operations: list[dict[str, object]],
    message: str,
) -> None:
    first = records / FIRST.name
    before = first.read_bytes()
    code, out, err = run(capsys, "patch", str(first), "--patch", _patch_file(tmp_path, operations))
    assert code == 1 and message in err
    assert first.read_bytes() == before
    assert out.splitlines()[-1] == "0 patched, 0 unchanged, 0 skipped, 1 failed"


def test_patch_stdin_record_to_stdout(records: Path, tmp_path: Path) -> None:
    operations = [{"op": "replace", "path": "/heat", "value": 1}]
    result = subprocess.run(
        [*ROUNDTRIP, "patch", "-", "--patch", _patch_file(tmp_path, operations)],
        input=FIRST.read_bytes(), capture_output=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    record = result.stdout.split(b"1 patched,")[0]
    assert record == FIRST.read_bytes().replace(b"heat: 77", b"heat: 1")


def test_patch_from_stdin_with_a_bad_patch(
    capsys: pytest.CaptureFixture[str], records: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin(monkeypatch, b'{"op": "add"}')
    code, _, err = run(capsys, "patch", str(records), "--patch", "-")
    assert code == 2 and "must be a JSON array" in err


# -- set: list operations ------------------------------------------------------------------


def test_set_appends_inserts_and_deletes_items(
    capsys: pytest.CaptureFixture[str], records: Path
) -> None:
    path = records / FIRST.name
    original = front_matter(path)
    assert run(capsys, "set", str(path), "topics", "Labour", "--append")[0] == 0
    assert run(capsys, "set", str(path), "topics.0", "Policy", "--insert")[0] == 0
    assert front_matter(path)["topics"] == ["Policy", "AI", "Labour"]
    before = path.read_bytes()
    assert run(capsys, "set", str(path), "related.0", "--delete")[0] == 0
    assert front_matter(path)["related"] == original["related"][1:]  # type: ignore[index]
    text = before.decode().splitlines(keepends=True)
    start = text.index("related:\n") + 1
    end = next(i for i in range(start + 1, len(text)) if text[i].startswith("  - "))
    assert path.read_text(encoding="utf-8") == "".join(text[:start] + text[end:])
    assert run(capsys, "set", str(path), "images", '{"url": "https://e.com/a.png", "width": 1, '
               '"height": 2, "isCached": false}', "--append")[0] == 0  # fmt: skip
    assert front_matter(path)["images"][-1]["height"] == 2  # type: ignore[index]


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["topics", "--delete"], 1, "needs a list index at the end"),
        (["related", "{}", "--append"], 1, "related.2.title: required field is missing"),
        (["heat", "1", "--append"], 1, "no such list in the schema"),
        (["topics.0", "--insert"], 2, "give a VALUE"),
        (["topics.0", "x", "--unset", "--delete"], 2, "give a VALUE"),
    ],
)
def test_set_list_operations_refused(
    capsys: pytest.CaptureFixture[str], records: Path, argv: list[str], code: int, message: str
) -> None:
    path = records / FIRST.name
    before = path.read_bytes()
    got, _, err = run(capsys, "set", str(path), *argv)
    assert got == code and message in err
    assert path.read_bytes() == before


# -- --dry-run and --diff on every writing command -----------------------------------------


def _writing_commands(
    records: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> dict[str, list[str]]:
    first = records / FIRST.name
    lines = _export_lines(capsys, first)
    lines[0]["record"]["heat"] = 80  # type: ignore[index]
    edited = tmp_path / "edited.jsonl"
    edited.write_text(json.dumps(lines[0]) + "\n", encoding="utf-8")
    foreign = records / "foreign.txt"
    shutil.copy(GOLDEN / "000_6bef1e912cfb9f3e.pyyaml-default.txt", foreign)
    return {
        "set": ["set", str(first), "heat", "80"],
        "patch": [
            "patch",
            str(first),
            "--patch",
            _patch_file(tmp_path, [{"op": "replace", "path": "/heat", "value": 80}]),
        ],
        "apply": ["apply", str(edited)],
        "fmt": ["fmt", "--jobs", "1", str(foreign)],
    }


@pytest.mark.parametrize("command", ["set", "patch", "apply", "fmt"])
def test_dry_run_writes_nothing_and_fails_when_something_would_change(
    capsys: pytest.CaptureFixture[str], records: Path, tmp_path: Path, command: str
) -> None:
    argv = _writing_commands(records, tmp_path, capsys)[command]
    snapshot = {path: path.read_bytes() for path in records.iterdir()}
    code, out, _ = run(capsys, *argv, "--dry-run", "--diff")
    assert code == 1
    assert {path: path.read_bytes() for path in records.iterdir()} == snapshot
    if command == "fmt":
        assert "-publishedDateTime: 2023-10-19 09:00:00+00:00" in out.splitlines()
    else:
        assert "-heat: 77" in out.splitlines() and "+heat: 80" in out.splitlines()
    assert "\n--- " in "\n" + out and "\n+++ " in out
    code, out, _ = run(capsys, *argv, "--diff")  # now for real: the same diff, and written
    assert code == 0 and "\n+++ " in out
    assert run(capsys, *argv, "--dry-run")[0] == 0  # nothing left to change


def test_diff_is_a_patch_that_reproduces_the_write(
    capsys: pytest.CaptureFixture[str], records: Path, tmp_path: Path
) -> None:
    if shutil.which("patch") is None:
        pytest.skip("needs patch(1)")
    path = records / FIRST.name
    copy = tmp_path / "copy.txt"
    shutil.copy(path, copy)
    code, out, _ = run(capsys, "set", "--diff", str(path), "topics", "Labour", "--append")
    assert code == 0
    diff = out.split("updated ")[0]
    subprocess.run(["patch", "-s", str(copy)], input=diff, text=True, check=True)
    assert copy.read_bytes() == path.read_bytes()


# -- fmt: jobs, quiet, reporters, stdin ----------------------------------------------------


def test_fmt_json_and_github_reporters(capsys: pytest.CaptureFixture[str], records: Path) -> None:
    foreign = records / "foreign.txt"
    shutil.copy(GOLDEN / "002_a1f7abd1a28687f0.yaml-js-default.txt", foreign)
    before = foreign.read_bytes()
    code, out, _ = run(capsys, "fmt", "--check", "--format", "json", "--jobs", "2", str(records))
    assert code == 1
    document = json.loads(out)
    assert document["summary"] == {"files": 3, "verified": 2, "failed": 1}
    failed = [entry for entry in document["files"] if not entry["ok"]]
    assert [entry["path"] for entry in failed] == [str(foreign)]
    assert failed[0]["diff"].startswith(f"--- {foreign}\n+++ {foreign}\n")
    code, out, _ = run(capsys, "fmt", "--check", "--format", "github", str(records))
    assert (
        code == 1 and out == f"::error file={foreign}::not in house style\n2 verified, 1 failed\n"
    )
    assert foreign.read_bytes() == before
    code, out, _ = run(capsys, "fmt", "--format", "github", str(records))
    assert code == 0 and out == f"::notice file={foreign}::reformatted\n3 verified, 0 failed\n"
    assert foreign.read_bytes() == SECOND.read_bytes()


def test_fmt_jobs_and_quiet(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    corpus = tmp_path / "golden"
    shutil.copytree(GOLDEN, corpus)
    inodes = {path: path.stat().st_ino for path in corpus.iterdir()}
    code, out, _ = run(capsys, "fmt", "--quiet", "--jobs", "2", str(corpus))
    assert code == 0
    unchanged = sum(path.stat().st_ino == inode for path, inode in inodes.items())  # not rewritten
    assert 0 < unchanged < len(inodes)
    assert out == f"{len(inodes) - unchanged} reformatted, {unchanged} unchanged, 0 failed\n"
    assert run(capsys, "fmt", "--check", "--jobs", "1", str(corpus))[0] == 0


def test_fmt_stdin_to_stdout() -> None:
    foreign = (GOLDEN / "000_6bef1e912cfb9f3e.flow.txt").read_bytes()
    result = subprocess.run(
        [*ROUNDTRIP, "fmt", "-"], input=foreign, capture_output=True, check=False
    )
    assert result.returncode == 0 and result.stdout == FIRST.read_bytes()
    result = subprocess.run(
        [*ROUNDTRIP, "fmt", "--check", "-"], input=foreign, capture_output=True, check=False
    )
    assert result.returncode == 1 and result.stdout == b""
    bad = foreign.replace(b"heat: 77", b"heat: [")
    result = subprocess.run([*ROUNDTRIP, "fmt", "-"], input=bad, capture_output=True, check=False)
    assert result.returncode == 1 and result.stdout == b"" and b"FAIL -:" in result.stderr


# -- choosing files ------------------------------------------------------------------------


def test_a_readme_and_an_image_beside_records_are_not_records(
    capsys: pytest.CaptureFixture[str], records: Path
) -> None:
    code, out, _ = run(capsys, "verify", "--jobs", "1", str(records))
    assert code == 0 and out.splitlines()[-1] == "2 verified, 0 failed"
    assert "README" not in out and "cover.png" not in out


def test_include_and_exclude_globs(capsys: pytest.CaptureFixture[str], records: Path) -> None:
    drafts = records / "drafts"
    drafts.mkdir()
    shutil.copy(FIRST, drafts / "draft.md")
    code, out, _ = run(capsys, "verify", "--jobs", "1", "--exclude", "drafts", str(records))
    assert code == 0 and out.count("ok   ") == 2 and "draft.md" not in out
    code, out, _ = run(capsys, "verify", "--jobs", "1", "--include", "*.md", str(records))
    assert code == 0 and out.splitlines() == [f"ok   {drafts / 'draft.md'}", "1 verified, 0 failed"]
    code, out, _ = run(capsys, "export", "--exclude", "0*", str(records))
    assert [Path(json.loads(line)["path"]).name for line in out.splitlines()] == ["draft.md"]
    archive = records / "archive" / "2019"
    archive.mkdir(parents=True)
    shutil.copy(SECOND, archive / "old.txt")
    code, out, _ = run(
        capsys, "export", "--exclude", "archive/20*", "--exclude", "0*", str(records)
    )
    assert [Path(json.loads(line)["path"]).name for line in out.splitlines()] == ["draft.md"]
    code, out, _ = run(capsys, "export", "--include", "archive/*/*.txt", str(records))
    assert [json.loads(line)["path"] for line in out.splitlines()] == [str(archive / "old.txt")]
    # A file named on the command line is taken whatever the globs say.
    code, out, _ = run(
        capsys, "verify", "--jobs", "1", "--include", "*.md", str(records / FIRST.name)
    )
    assert code == 0 and out.count("ok   ") == 1


def test_pyproject_table_gives_the_defaults(
    capsys: pytest.CaptureFixture[str], records: Path
) -> None:
    (records / "one.record").write_bytes(FIRST.read_bytes())
    (records.parent / "pyproject.toml").write_text(
        '[project]\nname = "site"\n\n[tool.roundtrip]\ninclude = ["*.record"]\n', encoding="utf-8"
    )
    code, out, _ = run(capsys, "verify", "--jobs", "1", str(records))
    assert code == 0 and out.splitlines() == [
        f"ok   {records / 'one.record'}",
        "1 verified, 0 failed",
    ]
    (records.parent / "pyproject.toml").write_text(
        '[tool.roundtrip]\ninclude = "*.txt"\n', encoding="utf-8"
    )
    code, _, err = run(capsys, "verify", str(records))
    assert code == 2 and "tool.roundtrip.include: must be a list of glob strings" in err


@pytest.mark.parametrize("command", [["verify"], ["fmt"], ["export"], ["patch", "--patch", "-"]])
def test_a_walk_that_finds_no_record_is_an_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: list[str]
) -> None:
    (tmp_path / "README.md").write_text("hi\n", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    code, out, err = run(capsys, *command, str(tmp_path), str(tmp_path / "empty"))
    assert code == 2 and out == ""
    assert f"no records found under {tmp_path}, {tmp_path / 'empty'}" in err


def test_verify_reads_one_record_from_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin(monkeypatch, FIRST.read_bytes())
    assert run(capsys, "verify", "-")[1] == "ok   -\n1 verified, 0 failed\n"
    stdin(monkeypatch, FIRST.read_bytes().replace(b"quality: 57", b"quality: high"))
    code, out, _ = run(capsys, "verify", "-")
    assert code == 1 and 'FAIL -:11:10: quality: expected an integer, got string "high"' in out


# -- verify --changed ----------------------------------------------------------------------


def _git(cwd: Path, *argv: str) -> None:
    subprocess.run(["git", *argv], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def repository(records: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    if shutil.which("git") is None:
        pytest.skip("needs git")
    _git(records, "init", "-q", "-b", "main")
    _git(
        records,
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@e",
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        "empty",
    )
    _git(records, "add", ".")
    _git(records, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-q", "-m", "records")
    monkeypatch.chdir(records)
    return records


def test_verify_changed_checks_changed_and_untracked_records(
    capsys: pytest.CaptureFixture[str], repository: Path
) -> None:
    code, out, _ = run(capsys, "verify", "--changed", "--jobs", "1")
    assert code == 0 and out == "0 verified, 0 failed\n"
    first = Path(FIRST.name)
    first.write_text(
        first.read_text(encoding="utf-8").replace("heat: 77", "heat: 7"), encoding="utf-8"
    )
    shutil.copy(SECOND, "new.txt")
    Path("notes.rst").write_text("not a record\n", encoding="utf-8")
    code, out, _ = run(capsys, "verify", "--changed", "--jobs", "1")
    assert code == 0
    assert out.splitlines() == [f"ok   ./{FIRST.name}", "ok   ./new.txt", "2 verified, 0 failed"]
    # Against the first commit every record changed; a path after --changed is still a path.
    code, out, _ = run(capsys, "verify", "--jobs", "1", "--changed", "HEAD~1", ".")
    assert out.splitlines()[-1] == "3 verified, 0 failed"
    code, out, _ = run(capsys, "verify", "--jobs", "1", "--changed", FIRST.name)
    assert out.splitlines() == [f"ok   {FIRST.name}", "1 verified, 0 failed"]


def test_verify_changed_outside_git_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(FIRST, tmp_path / FIRST.name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    code, _, err = run(capsys, "verify", "--changed")
    assert code == 2 and "git rev-parse" in err


# -- the verify cache ----------------------------------------------------------------------


@pytest.fixture
def verified_paths(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths verify really checks (in process, --jobs 1), cached ones being skipped."""
    import roundtrip.verify
    from roundtrip.verify import Options

    checked: list[str] = []
    real = roundtrip.verify.verify_bytes

    def counting(path: str, data: bytes, options: Options = Options()) -> object:  # noqa: B008
        checked.append(os.path.basename(path))
        return real(path, data, options)

    monkeypatch.setattr(roundtrip.verify, "verify_bytes", counting)
    return checked


def test_second_verify_skips_unchanged_clean_files(
    capsys: pytest.CaptureFixture[str], records: Path, verified_paths: list[str]
) -> None:
    bad = records / "bad.txt"
    bad.write_text(
        FIRST.read_text(encoding="utf-8").replace("heat: 77", "heat: x"), encoding="utf-8"
    )
    first = run(capsys, "verify", "--jobs", "1", str(records))
    assert sorted(verified_paths) == sorted([FIRST.name, SECOND.name, "bad.txt"])
    verified_paths.clear()
    assert run(capsys, "verify", "--jobs", "1", str(records)) == first  # same output, exit 1
    assert verified_paths == ["bad.txt"]  # only the failure is checked again
    verified_paths.clear()
    (records / SECOND.name).write_bytes(SECOND.read_bytes().replace(b"heat: -1", b"heat: 2"))
    run(capsys, "verify", "--jobs", "1", str(records))
    assert sorted(verified_paths) == sorted([SECOND.name, "bad.txt"])  # changed content
    verified_paths.clear()
    run(capsys, "verify", "--no-cache", "--jobs", "1", str(records))
    assert len(verified_paths) == 3


def test_a_new_version_or_schema_invalidates_the_cache(
    capsys: pytest.CaptureFixture[str],
    records: Path,
    verified_paths: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run(capsys, "verify", "--jobs", "1", str(records))
    verified_paths.clear()
    run(capsys, "verify", "--jobs", "1", str(records))
    assert verified_paths == []
    monkeypatch.setattr(rt, "__version__", "999.0")
    run(capsys, "verify", "--jobs", "1", str(records))
    assert len(verified_paths) == 2
    verified_paths.clear()
    schema = records.parent / "article.schema.json"  # the article's, reworded: another key
    schema.write_text(json.dumps(dict(rt.schema(), description="Reworded.")), encoding="utf-8")
    run(capsys, "verify", "--jobs", "1", "--schema", str(schema), str(records))
    assert len(verified_paths) == 2
    verified_paths.clear()
    run(capsys, "verify", "--jobs", "1", "--schema", str(schema), str(records))
    assert verified_paths == []  # cached under that schema now
    run(capsys, "verify", "--jobs", "1", str(records))
    assert verified_paths == []  # and still under the article's
    run(capsys, "verify", "--jobs", "1", "--lenient", str(records))  # other options: other verdicts
    assert len(verified_paths) == 2


def test_the_cache_lives_in_the_configured_directory(
    capsys: pytest.CaptureFixture[str], records: Path
) -> None:
    directory = Path(os.environ["ROUNDTRIP_CACHE_DIR"])
    run(capsys, "verify", "--jobs", "2", str(records))
    (cache_file,) = directory.glob("verified-*.txt")
    digests = cache_file.read_text(encoding="ascii").split()
    import hashlib

    assert sorted(digests) == sorted(
        hashlib.sha256(seed.read_bytes()).hexdigest() for seed in SEEDS
    )


# -- the Python API ------------------------------------------------------------------------


def test_api_get_patch_validate() -> None:
    article = rt.load(FIRST)
    assert rt.get(article, "related.0.quality") == 17
    assert rt.get(rt.to_dict(article), "provider.domain") == "technologyreview.com"
    patched = rt.patch(article, [{"op": "add", "path": "/topics/-", "value": "Labour"}])
    assert rt.dumps(patched) == rt.dumps(article).replace("  - AI\n", "  - AI\n  - Labour\n")
    assert article.topics == ["AI"]  # the original record is unchanged
    with pytest.raises(rt.PatchTestFailed):
        rt.patch(article, [{"op": "test", "path": "/heat", "value": 1}])
    with pytest.raises(rt.SchemaError):
        rt.patch(article, [{"op": "replace", "path": "/heat", "value": "x"}])
    assert rt.validate(rt.to_dict(article)) == []
    problems = rt.validate({**rt.to_dict(article), "heat": "x", "extra": 1})
    assert {(p.field, p.message) for p in problems} == {
        ("heat", 'expected an integer, got string "x"'),
        ("extra", "unknown field (not in the schema)"),
    }


def test_api_verify_yields_what_the_command_prints(
    capsys: pytest.CaptureFixture[str], records: Path
) -> None:
    (records / "bad.txt").write_text(
        FIRST.read_text(encoding="utf-8").replace("heat: 77", "heat: x"), encoding="utf-8"
    )
    results = list(rt.verify([str(records)], jobs=1))
    _, out, _ = run(capsys, "verify", "--jobs", "1", str(records))
    printed = [line for line in out.splitlines()[:-1]]
    expected = [
        f"ok   {r.path}" if r.ok else f"FAIL {r.problems[0].describe(r.path)}" for r in results
    ]
    assert printed == expected and len(results) == 3


def test_from_dict_takes_yaml_safe_load_output() -> None:
    data = front_matter(FIRST)
    article = rt.from_dict(data, body=rt.load(FIRST).body)
    assert rt.dumps(article) == FIRST.read_text(encoding="utf-8")
    naive = dict(data, publishedDateTime=yaml.safe_load("2023-10-19 09:00:00"))
    with pytest.raises(rt.SchemaError) as raised:
        rt.from_dict(naive)
    assert raised.value.field == "publishedDateTime" and "no timezone" in str(raised.value)


def test_set_on_a_missing_file_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "set", str(tmp_path / "nope.txt"), "heat", "1")
    assert code == 2 and "no such file or directory" in err


def test_set_reads_stdin_and_writes_the_record_to_stdout() -> None:
    result = subprocess.run(
        [*ROUNDTRIP, "set", "-", "topics", "Labour", "--append"],
        input=FIRST.read_bytes(), capture_output=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout == FIRST.read_bytes().replace(b"  - AI\n", b"  - AI\n  - Labour\n")
    result = subprocess.run(
        [*ROUNDTRIP, "set", "-", "heat", "x"],
        input=FIRST.read_bytes(),
        capture_output=True,
        check=False,
    )
    assert result.returncode == 1 and result.stdout == b""
    assert b"FAIL -:12:1: heat: expected an integer" in result.stderr


def test_a_file_edited_while_verified_is_not_cached_under_its_old_content(
    capsys: pytest.CaptureFixture[str], records: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import roundtrip.verify

    path = records / FIRST.name
    invalid = FIRST.read_bytes().replace(b"heat: 77", b"heat: x")
    path.write_bytes(invalid)
    real = roundtrip.verify.verify_files

    def fixed_meanwhile(files: Any, options: roundtrip.verify.Options) -> object:
        if str(path) in [found.path for found in files]:  # hashed as invalid, then fixed
            path.write_bytes(FIRST.read_bytes())  # before verify reads it
        return real(files, options)

    monkeypatch.setattr(roundtrip.verify, "verify_files", fixed_meanwhile)
    assert run(capsys, "verify", "--jobs", "1", str(records))[0] == 0
    monkeypatch.setattr(roundtrip.verify, "verify_files", real)
    path.write_bytes(invalid)
    code, out, _ = run(capsys, "verify", "--jobs", "1", str(records))
    assert code == 1 and f"FAIL {path}:12:7: heat" in out


@pytest.mark.parametrize("command", ["get", "export", "apply", "patch"])
def test_new_commands_have_help_with_examples(
    capsys: pytest.CaptureFixture[str], command: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])
    assert exited.value.code == 0
    assert f"examples:\n  roundtrip {command} " in capsys.readouterr().out


def test_apply_never_creates_a_file(
    capsys: pytest.CaptureFixture[str], records: Path, tmp_path: Path
) -> None:
    (line,) = _export_lines(capsys, records / FIRST.name)
    line["path"] = str(records / "new.txt")
    edited = tmp_path / "edited.jsonl"
    edited.write_text(json.dumps(line) + "\n", encoding="utf-8")
    code, _, err = run(capsys, "apply", str(edited))
    assert code == 1 and f"FAIL line 1: {records / 'new.txt'}: cannot read the file" in err
    assert not (records / "new.txt").exists()


def test_patch_move_and_copy(
    capsys: pytest.CaptureFixture[str], records: Path, tmp_path: Path
) -> None:
    path = records / FIRST.name
    before = front_matter(path)
    operations = [
        {"op": "move", "from": "/related/1", "path": "/related/0"},
        {"op": "copy", "from": "/provider/name", "path": "/related/0/provider/name"},
    ]
    assert run(capsys, "patch", str(path), "--patch", _patch_file(tmp_path, operations))[0] == 0
    after = front_matter(path)
    related = before["related"]  # type: ignore[index]
    moved = dict(related[1], provider=dict(related[1]["provider"], name=before["provider"]["name"]))  # type: ignore[index]
    assert after["related"] == [moved, related[0]]
    assert {k: v for k, v in after.items() if k != "related"} == {
        k: v for k, v in before.items() if k != "related"
    }


def test_export_reads_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin(monkeypatch, SECOND.read_bytes())
    code, out, _ = run(capsys, "export", "-")
    (line,) = out.splitlines()
    assert code == 0 and json.loads(line) == {
        "path": "-",
        "record": rt.to_dict(rt.load(SECOND)),
        "body": rt.load(SECOND).body,
    }


def test_help_and_import_load_no_optional_library() -> None:
    probe = (
        "import sys, roundtrip, roundtrip.cli\n"
        "try:\n    roundtrip.cli.main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('jsonpatch', 'platformdirs', 'roundtrip.corpus', 'roundtrip.api')"
        " if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines()[-1] == "[]"


def _pyyaml_front_matter(data: bytes) -> object:
    """The front matter as PyYAML reads it, from any golden style (BOM, CRLF, flow)."""
    lines = data.decode("utf-8-sig").replace("\r\n", "\n").split("\n")
    closing = lines.index("---", 1)
    # PyYAML's scanner refuses tabs that YAML allows as separation (after a value, before a
    # comment); both sides of a comparison read the same way, so spaces do for them.
    return yaml.safe_load("\n".join(lines[1:closing]).replace("\t", " "))


@pytest.mark.parametrize("path", GOLDEN_FILES, ids=lambda p: p.name)
def test_patch_in_every_golden_style_changes_only_its_values(
    path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / path.name
    shutil.copy(path, copy)
    operations = [
        {"op": "replace", "path": "/heat", "value": 5},
        {"op": "add", "path": "/topics/-", "value": "Labour"},
    ]
    assert run(capsys, "patch", str(copy), "--patch", _patch_file(tmp_path, operations))[0] == 0
    before, after = path.read_bytes(), copy.read_bytes()
    expected = _pyyaml_front_matter(before)
    assert isinstance(expected, dict)
    expected["heat"] = 5
    expected["topics"] = [*expected["topics"], "Labour"]
    assert _pyyaml_front_matter(after) == expected
    old, new = before.decode().splitlines(), after.decode().splitlines()
    diff = list(difflib.unified_diff(old, new, lineterm="", n=0))
    removed = [line for line in diff[2:] if line.startswith("-")]
    added = [line for line in diff[2:] if line.startswith("+")]
    # The heat line and, in flow style, the topics line are rewritten; a block list gains a line.
    assert len(removed) <= 2 and len(added) <= 2, diff
    assert before[before.index(b"\n---") :] == after[after.index(b"\n---") :]  # the body


def test_old_verdict_files_are_pruned(capsys: pytest.CaptureFixture[str], records: Path) -> None:
    from roundtrip.cache import KEPT_KEYS

    directory = Path(os.environ["ROUNDTRIP_CACHE_DIR"])
    directory.mkdir(exist_ok=True)
    old = [directory / f"verified-{index:032x}.txt" for index in range(KEPT_KEYS + 3)]
    for age, path in enumerate(old):
        path.write_text("0" * 64 + "\n", encoding="ascii")
        os.utime(path, ns=(10**18 - age * 10**9, 10**18 - age * 10**9))  # old[0] the newest
    unrelated = directory / "notes.txt"
    unrelated.write_text("mine\n", encoding="utf-8")
    run(capsys, "verify", "--jobs", "1", str(records))
    kept = sorted(p.name for p in directory.glob("verified-*.txt"))
    (current,) = set(kept) - {p.name for p in old}
    assert kept == sorted([current, *(p.name for p in old[: KEPT_KEYS - 1])])
    assert unrelated.exists()


def test_concurrent_list_edits_all_land(records: Path) -> None:
    path = records / FIRST.name
    topics = [f"T{index}" for index in range(4)]
    processes = [
        subprocess.Popen(
            [*ROUNDTRIP, "set", str(path), "topics", topic, "--append"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for topic in topics
    ]
    for process in processes:
        _, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
    landed = front_matter(path)["topics"]
    assert isinstance(landed, list) and landed[0] == "AI" and sorted(landed[1:]) == topics
