"""A team's own schema from the shell: `--schema FILE` and `[tool.roundtrip] schema = "..."`.

The real command (`python -m roundtrip`) runs on real files in a project directory; no Python is
written by the "team". Outputs are judged by reading the files back with PyYAML.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

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
