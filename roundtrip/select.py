"""Which files are records: include/exclude globs over the directory walk, and project config.

Files named on the command line are always taken; only files found by walking a directory are
filtered. Defaults come from `[tool.roundtrip]` in the nearest `pyproject.toml`, else from the
names records have (`*.txt`, `*.md`, `*.markdown`, not READMEs and the like). The same table
may name the records' schema (`schema = "..."`, relative to that pyproject.toml).
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
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
    schema: str | None = None  # the records' JSON Schema file (None: the built-in article)


@attrs.frozen
class Selection:
    """The globs that pick records out of a directory walk.

    A glob without `/` matches the file name (and, for exclude, any directory on the way);
    a glob with `/` matches the whole /-separated path under the walked directory.
    """

    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    _included: _Globs = attrs.field(init=False, eq=False, repr=False)
    _excluded: _Globs = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        # Compiled once: a walk asks about every file, 10,000 of them in a large corpus.
        object.__setattr__(self, "_included", _Globs(self.include))
        object.__setattr__(self, "_excluded", _Globs(self.exclude))

    def takes(self, relative: str) -> bool:
        """Whether the file at `relative` (a /-separated path under the walk) is a record."""
        parts = relative.split("/")
        excluded = self._excluded
        if excluded.path(relative) or any(excluded.name(part) for part in parts):
            return False
        return self._included.name(parts[-1]) or self._included.path(relative)

    def describe(self) -> str:
        """The globs, as a reader would write them."""
        return f"include {', '.join(self.include)}; exclude {', '.join(self.exclude) or 'nothing'}"


class _Globs:
    """Globs compiled to two regular expressions: one for names, one for relative paths."""

    def __init__(self, globs: Sequence[str]) -> None:
        names = [fnmatch.translate(glob) for glob in globs if "/" not in glob]
        paths = [fnmatch.translate(glob.lstrip("/")) for glob in globs if "/" in glob]
        self.name = _matcher(names)
        self.path = _matcher(paths)


def _matcher(patterns: list[str]) -> Callable[[str], bool]:
    if not patterns:
        return lambda _text: False
    compiled = re.compile("|".join(f"(?:{pattern})" for pattern in patterns))
    return lambda text: compiled.match(text) is not None


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
        schema=_schema_file(table, path),
    )


def _schema_file(table: dict[str, Any], path: Path) -> str | None:
    """`schema = "..."`: a JSON Schema file, relative to the pyproject.toml naming it."""
    value = table.get("schema")
    if value is None:
        return None
    field = "tool.roundtrip.schema"
    if not isinstance(value, str) or not value:
        raise RoundtripError(
            "must be the path of a JSON Schema file, relative to this pyproject.toml",
            path=str(path),
            field=field,
        )
    schema = path.parent / value
    if not schema.is_file():
        raise RoundtripError(f"no such schema file: {schema}", path=str(path), field=field)
    return str(schema)


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
    from .sources import is_url, list_files
    from .walk import walk

    for path in paths:
        if is_url(path):
            # A URL names one file, a directory or a glob: files it lists are walked ones.
            prefix = len(path.rstrip("/")) + 1
            for listed in list_files([path]):
                if listed.path == path or selection.takes(listed.path[prefix:]):
                    yield listed.path
            continue
        if path == STDIN or not os.path.isdir(path):
            yield path
            continue
        prefix = len(os.path.join(path, ""))
        for found, unreadable in walk([path]):
            # A directory the walk could not read is passed on: reading it names the problem.
            if unreadable is not None or selection.takes(found[prefix:].replace(os.sep, "/")):
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
    """A record's bytes from a file or URL, or from standard input for `-`."""
    from .sources import is_url, read_bytes

    if is_url(path):
        return read_bytes(path, max_bytes)
    if path != STDIN:
        from .files import read_regular

        if os.path.isdir(path):  # one the walk could not read: say why, as verify does
            try:
                os.scandir(path).close()
            except OSError as error:
                message = f"cannot read the directory: {error.strerror or error}"
                raise RoundtripError(message, path=path) from None
        return read_regular(path, max_bytes)
    import sys

    data = sys.stdin.buffer.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise RoundtripError(f"input is over the limit of {max_bytes:,} bytes", path=STDIN)
    return data
