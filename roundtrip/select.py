"""Which files are records: include/exclude globs over the directory walk, and project config.

Files named on the command line are always taken; only files found by walking a directory are
filtered. Defaults come from `[tool.roundtrip]` in the nearest `pyproject.toml`, else from the
names records have (`*.txt`, `*.md`, `*.markdown`, not READMEs and the like).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import attrs

from .errors import RoundtripError

DEFAULT_INCLUDE = ("*.txt", "*.md", "*.markdown")
DEFAULT_EXCLUDE = ("README*", "CHANGELOG*", "CONTRIBUTING*", "LICENSE*")
STDIN = "-"


class NoRecordsError(RoundtripError):
    """A walk found no record at all: a mistyped path or a wrong glob, not an empty success."""


@attrs.frozen
class ProjectConfig:
    """The `[tool.roundtrip]` table of a project; `source` is the pyproject.toml it came from."""

    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    source: str | None = None


@attrs.frozen
class Selection:
    """The globs that pick records out of a directory walk."""

    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE

    def takes(self, relative: str) -> bool:
        """Whether a file at `relative` (a /-separated path under a walked directory) is a record.

        A glob without `/` matches the file name (and, for exclude, any directory on the way);
        a glob with `/` matches the whole relative path.
        """
        parts = relative.split("/")
        if any(_matches(pattern, relative, parts[-1:]) for pattern in self.exclude):
            return False
        if any(
            _matches(pattern, relative, parts[:-1])
            for pattern in self.exclude
            if "/" not in pattern
        ):
            return False
        return any(_matches(pattern, relative, parts[-1:]) for pattern in self.include)

    def describe(self) -> str:
        """The globs, as a reader would write them."""
        return f"include {', '.join(self.include)}; exclude {', '.join(self.exclude) or 'nothing'}"


def _matches(pattern: str, relative: str, names: Sequence[str]) -> bool:
    if "/" in pattern:
        return fnmatchcase(relative, pattern.lstrip("/"))
    return any(fnmatchcase(name, pattern) for name in names)


def find_pyproject(start: str) -> Path | None:
    """The nearest pyproject.toml at or above `start`."""
    directory = Path(start).resolve()
    if not directory.is_dir():
        directory = directory.parent
    for candidate in (directory, *directory.parents):
        path = candidate / "pyproject.toml"
        if path.is_file():
            return path
    return None


def load_config(start: str = ".") -> ProjectConfig:
    """`[tool.roundtrip]` of the nearest pyproject.toml (defaults where there is none)."""
    path = find_pyproject(start)
    if path is None:
        return ProjectConfig()
    import tomllib

    try:
        with path.open("rb") as stream:
            document = tomllib.load(stream)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise RoundtripError(f"cannot read the project config: {error}", path=str(path)) from None
    table = document.get("tool", {}).get("roundtrip")
    if table is None:
        return ProjectConfig()
    return ProjectConfig(
        include=_globs(table, "include", DEFAULT_INCLUDE, path),
        exclude=_globs(table, "exclude", DEFAULT_EXCLUDE, path),
        source=str(path),
    )


def _globs(
    table: dict[str, Any], key: str, default: tuple[str, ...], path: Path
) -> tuple[str, ...]:
    value = table.get(key, default)
    if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
        raise RoundtripError(
            "must be a list of glob strings", path=str(path), field=f"tool.roundtrip.{key}"
        )
    return tuple(value)


def selection_for(
    paths: Sequence[str], include: Sequence[str] | None, exclude: Sequence[str] | None
) -> Selection:
    """The selection a command uses: `--include` replaces the configured includes, `--exclude`
    adds to the configured excludes; the config is the one nearest the first path."""
    start = next((path for path in paths if path != STDIN), ".")
    config = load_config(start)
    return Selection(
        include=tuple(include) if include else config.include,
        exclude=config.exclude + tuple(exclude or ()),
    )


def select_files(paths: Iterable[str], selection: Selection) -> Iterator[str]:
    """The record files under `paths`, in walk order: named files as given, walked ones filtered."""
    from .verify import iter_files

    for path in paths:
        if path == STDIN or not os.path.isdir(path):
            yield path
            continue
        for found in iter_files([path]):
            relative = os.path.relpath(found, path).replace(os.sep, "/")
            if selection.takes(relative):
                yield found


def require_records(paths: Sequence[str], selection: Selection) -> Iterator[str]:
    """`select_files`, raising NoRecordsError up front when the walk finds nothing."""
    files = select_files(paths, selection)
    first = next(files, None)
    if first is None:
        raise NoRecordsError(f"no records found under {', '.join(paths)} ({selection.describe()})")
    return _chain(first, files)


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


def read_input(path: str, max_bytes: int) -> bytes:
    """A record's bytes from a file, or from standard input for `-`."""
    if path != STDIN:
        from .api import read_limited

        return read_limited(path, max_bytes)
    import sys

    data = sys.stdin.buffer.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise RoundtripError(f"input is over the limit of {max_bytes:,} bytes", path=STDIN)
    return data
