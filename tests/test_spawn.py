"""Worker processes started by spawn (where a platform cannot fork) use the chosen format.

This machine forks, so these tests make `workers.can_fork` say no: the pools then start real
interpreters, which have only the article built in and must be handed the format.
"""

from __future__ import annotations

import datetime
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

import roundtrip.active_format
import roundtrip.workers
from roundtrip.cli import main

BLOG = Path(__file__).parent / "formats" / "blog"
GOLDEN = sorted((BLOG / "golden").iterdir())


@pytest.fixture(autouse=True)
def _no_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(roundtrip.workers, "can_fork", lambda: False)
    # `main(... --schema ...)` in this process makes that format current: undo it afterwards,
    # or the tests after these would read articles with the blog's schema.
    monkeypatch.setattr(roundtrip.active_format, "_current", roundtrip.active_format._current)


def _front_matter(path: Path) -> Any:
    """The front matter as ruamel.yaml's pure-Python reader (YAML 1.2) has it, dates as text:
    house style writes a quoted date plain (a YAML 1.2 reader makes that a date, ours text)."""
    data = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8").split("---", 2)[1])
    return _dates_as_text(data)


def _dates_as_text(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _dates_as_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_dates_as_text(item) for item in value]
    return value.isoformat() if isinstance(value, datetime.date) else value


def test_spawned_verify_workers_check_against_the_chosen_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for path in GOLDEN:
        shutil.copy(path, tmp_path / path.name)
    shutil.copy(BLOG / "invalid" / "author-email.md", tmp_path / "zz-invalid.md")
    schema = str(BLOG / "schema.json")

    argv = ["verify", "--jobs", "2", "--no-cache", "--format", "json", "--schema", schema]
    assert main([*argv, str(tmp_path)]) == 1

    files = json.loads(capsys.readouterr().out)["files"]
    # Under the article's schema, every blog post would fail.
    assert [Path(f["path"]).name for f in files if f["ok"]] == [path.name for path in GOLDEN]
    [failed] = [f for f in files if not f["ok"]]
    assert Path(failed["path"]).name == "zz-invalid.md"
    assert [error["field"] for error in failed["errors"]] == ["author.email"]


def test_spawned_fmt_workers_format_with_the_chosen_schema(tmp_path: Path) -> None:
    for path in GOLDEN:
        shutil.copy(path, tmp_path / path.name)
    schema = str(BLOG / "schema.json")

    assert main(["fmt", "--jobs", "2", "--quiet", "--schema", schema, str(tmp_path)]) == 0

    rewritten = [path.name for path in GOLDEN if (tmp_path / path.name).read_bytes()
                 != path.read_bytes()]  # fmt: skip
    assert "migration.pyyaml-flow.md" in rewritten  # house style is block style
    for path in GOLDEN:
        assert _front_matter(tmp_path / path.name) == _front_matter(path)
    assert main(["fmt", "--check", "--jobs", "2", "--schema", schema, str(tmp_path)]) == 0
