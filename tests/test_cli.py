"""The command line, driven for real: `main(argv)` in process, and subprocesses for the entry
points."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import roundtrip as rt
from roundtrip.cli import main

from .conftest import GOLDEN, GOLDEN_FILES, ROOT, SEEDS


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def records(tmp_path: Path) -> Path:
    """A directory with copies of both seeds."""
    for seed in SEEDS:
        shutil.copy(seed, tmp_path / seed.name)
    return tmp_path


def _bad_copy(directory: Path) -> Path:
    bad = directory / "bad.txt"
    bad.write_text(
        SEEDS[0].read_text(encoding="utf-8").replace("quality: 57", "quality: high"),
        encoding="utf-8",
    )
    return bad


def test_verify_golden_passes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "verify", "--jobs", "1", str(GOLDEN))
    lines = out.splitlines()
    assert code == 0
    assert lines[-1] == f"{len(GOLDEN_FILES)} verified, 0 failed"
    assert lines[:-1] == [f"ok   {path}" for path in GOLDEN_FILES]


def test_verify_reports_failures_and_goes_on(
    capsys: pytest.CaptureFixture[str], records: Path
) -> None:
    bad = _bad_copy(records)
    (records / ".hidden.txt").write_text("not a record", encoding="utf-8")
    code, out, _ = run(capsys, "verify", "--jobs", "1", str(records))
    assert code == 1
    assert f'FAIL {bad}:11:10: quality: expected an integer, got string "high"' in out.splitlines()
    assert out.count("ok   ") == 2
    assert out.splitlines()[-1] == "2 verified, 1 failed"
    assert ".hidden" not in out


def test_verify_quiet_prints_failures_and_summary(
    capsys: pytest.CaptureFixture[str], records: Path
) -> None:
    _bad_copy(records)
    code, out, _ = run(capsys, "verify", "--quiet", "--jobs", "1", str(records))
    assert code == 1
    assert [line.split()[0] for line in out.splitlines()] == ["FAIL", "2"]


def test_verify_shows_a_diff_when_emission_changes_bytes(
    capsys: pytest.CaptureFixture[str], records: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import roundtrip.verify

    real = roundtrip.verify.emit_parts
    monkeypatch.setattr(
        roundtrip.verify,
        "emit_parts",
        lambda fmt, a: tuple(part.replace("heat: 77", "heat: 78") for part in real(fmt, a)),
    )
    code, out, _ = run(capsys, "verify", "--jobs", "1", str(records / SEEDS[0].name))
    assert code == 1
    assert "emitting from the model changed the bytes" in out
    assert "-heat: 77" in out.splitlines() and "+heat: 78" in out.splitlines()


def test_verify_json(capsys: pytest.CaptureFixture[str], records: Path) -> None:
    bad = _bad_copy(records)
    code, out, _ = run(capsys, "verify", "--format", "json", "--jobs", "1", str(records))
    document = json.loads(out)
    assert code == 1
    assert document["summary"] == {"files": 3, "verified": 2, "failed": 1}
    failed = next(f for f in document["files"] if not f["ok"])
    assert failed["path"] == str(bad)
    assert failed["errors"] == [
        {
            "line": 11,
            "column": 10,
            "field": "quality",
            "message": 'expected an integer, got string "high"',
        }
    ]
    assert failed["diff"] is None


def test_verify_github_annotations(capsys: pytest.CaptureFixture[str], records: Path) -> None:
    bad = _bad_copy(records)
    code, out, _ = run(capsys, "verify", "--format", "github", "--jobs", "1", str(records))
    assert code == 1
    assert out.splitlines() == [
        f'::error file={bad},line=11,col=10::quality: expected an integer, got string "high"',
        "2 verified, 1 failed",
    ]


def test_verify_links_agree_on_the_seeds(capsys: pytest.CaptureFixture[str], records: Path) -> None:
    code, out, _ = run(capsys, "verify", "--links", "--jobs", "1", str(records))
    assert code == 0, out


def test_verify_links_names_file_index_and_field(
    capsys: pytest.CaptureFixture[str], records: Path
) -> None:
    path = records / SEEDS[1].name
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    quality: 57", "    quality: 56"), encoding="utf-8")
    code, out, _ = run(capsys, "verify", "--links", "--jobs", "1", str(records))
    assert code == 1
    failures = [line for line in out.splitlines() if line.startswith("FAIL")]
    assert failures == [
        f"FAIL {path}:31:5: related.0.quality: disagrees with {records / SEEDS[0].name}:"
        " 56 here, 57 there"
    ]


def test_verify_jobs_keeps_order(capsys: pytest.CaptureFixture[str]) -> None:
    _, one, _ = run(capsys, "verify", "--jobs", "1", str(GOLDEN))
    _, two, _ = run(capsys, "verify", "--jobs", "2", str(GOLDEN))
    assert one == two


def test_verify_usage_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "verify", str(tmp_path / "missing"))
    assert code == 2 and "no such file or directory" in err
    with pytest.raises(SystemExit) as exited:
        main(["verify", "--jobs", "0", str(tmp_path)])
    assert exited.value.code == 2


def test_fmt_check_and_rewrite(capsys: pytest.CaptureFixture[str], records: Path) -> None:
    foreign = records / "foreign.txt"
    shutil.copy(GOLDEN / "000_6bef1e912cfb9f3e.pyyaml-default.txt", foreign)
    before = foreign.read_bytes()
    code, out, _ = run(capsys, "fmt", "--check", str(records))
    assert code == 1
    assert out.splitlines() == [
        f"would reformat {foreign}",
        "1 would be reformatted, 2 unchanged, 0 failed",
    ]
    assert foreign.read_bytes() == before

    code, out, _ = run(capsys, "fmt", str(records))
    assert code == 0 and f"reformatted {foreign}" in out
    # House style, but date-times keep their text: another spelling is other YAML data.
    spelled = iter(re.findall(r"publishedDateTime: (.*)\n", before.decode("utf-8")))
    expected = re.sub(
        r"(publishedDateTime: ).*\n",
        lambda match: f"{match[1]}{next(spelled)}\n",
        SEEDS[0].read_text(encoding="utf-8"),
    )
    assert foreign.read_bytes().decode("utf-8") == expected
    code, out, _ = run(capsys, "fmt", "--check", str(records))
    assert code == 0


@pytest.mark.parametrize("path", GOLDEN_FILES, ids=lambda p: p.name)
def test_fmt_never_changes_data(path: Path, tmp_path: Path) -> None:
    copy = tmp_path / path.name
    shutil.copy(path, copy)
    before = rt.load(copy)
    assert main(["fmt", str(copy)]) == 0
    after = rt.load(copy)
    assert rt.to_dict(after) == rt.to_dict(before) and after.body == before.body
    assert rt.dumps(rt.from_dict(rt.to_dict(after), body=after.body)) == copy.read_bytes().decode(
        "utf-8"
    )


def test_set_edits_one_field_in_place(capsys: pytest.CaptureFixture[str], records: Path) -> None:
    path = records / SEEDS[0].name
    code, out, _ = run(capsys, "set", str(path), "heat", "80")
    assert code == 0 and out == f"updated {path}: heat\n"
    assert path.read_text(encoding="utf-8") == SEEDS[0].read_text(encoding="utf-8").replace(
        "heat: 77", "heat: 80"
    )
    assert run(capsys, "set", str(path), "related.0.quality", "18")[0] == 0
    assert run(capsys, "set", str(path), "provider.name", "Tech Review")[0] == 0
    assert run(capsys, "set", str(path), "published", "false")[0] == 0
    assert run(capsys, "set", str(path), "topics", '["AI", "Policy"]')[0] == 0
    assert run(capsys, "set", str(path), "ampWebUrl", "--unset")[0] == 0
    data = rt.to_dict(rt.load(path))
    assert data["related"][0]["quality"] == 18
    assert data["provider"]["name"] == "Tech Review"
    assert data["published"] is False and data["topics"] == ["AI", "Policy"]
    assert "ampWebUrl" not in data


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["quality", "high"], "quality: expected an integer, got 'high'"),
        (["published", "maybe"], "published: expected true or false"),
        (["nosuch", "1"], "nosuch: no such field in the schema"),
        (["related.7.quality", "1"], "related.7: index 7 is out of range"),
        (["webUrl", "not a url"], 'webUrl: "not a url" is not an absolute URI'),
        (["title", "--unset"], "title: required field is missing"),
    ],
)
def test_set_refuses_invalid_values(
    capsys: pytest.CaptureFixture[str], records: Path, argv: list[str], message: str
) -> None:
    path = records / SEEDS[0].name
    before = path.read_bytes()
    code, _, err = run(capsys, "set", str(path), *argv)
    assert code == 1
    assert message in err and str(path) in err
    assert path.read_bytes() == before
    assert sorted(p.name for p in records.iterdir()) == sorted(s.name for s in SEEDS)


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.strip() == f"roundtrip {rt.__version__}"
    for command in (["verify"], ["fmt"], ["set"], ["schema", "export"]):
        with pytest.raises(SystemExit) as exited:
            main([*command, "--help"])
        assert exited.value.code == 0
        assert "examples:\n  roundtrip " in capsys.readouterr().out


def test_python_dash_m_and_console_script() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "roundtrip", "verify", "--jobs", "2", str(GOLDEN)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == f"{len(GOLDEN_FILES)} verified, 0 failed"
    assert "Traceback" not in result.stderr


def test_pre_commit_hooks() -> None:
    hooks = {
        hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    }
    assert set(hooks) == {"roundtrip-verify", "roundtrip-fmt"}
    assert hooks["roundtrip-verify"]["entry"].startswith("roundtrip verify")
    assert hooks["roundtrip-fmt"]["entry"] == "roundtrip fmt"
    for hook in hooks.values():
        assert hook["language"] == "python" and re.compile(hook["files"]).search("a/b.txt")


class _Terminal:
    """A stdout that says it is a terminal, keeping what is written."""

    def __init__(self) -> None:
        import io

        self.buffer = io.StringIO()

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        return self.buffer.write(text)

    def flush(self) -> None:
        pass


def test_colour_only_on_a_terminal(
    capsys: pytest.CaptureFixture[str], records: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _bad_copy(records)
    monkeypatch.delenv("NO_COLOR", raising=False)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    assert main(["verify", "--jobs", "1", str(records)]) == 1
    coloured = terminal.buffer.getvalue()
    assert "\x1b[" in coloured and "FAIL" in coloured
    monkeypatch.undo()
    code, plain, _ = run(capsys, "verify", "--jobs", "1", str(records))
    assert code == 1 and "\x1b[" not in plain
    monkeypatch.setenv("NO_COLOR", "1")
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    main(["verify", "--jobs", "1", str(records)])
    assert "\x1b[" not in terminal.buffer.getvalue()
