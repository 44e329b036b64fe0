"""Verify record files: parse, validate, type, emit from the model, compare the bytes."""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Iterator
from typing import Any

import attrs

from .errors import Problem, RoundtripError, RoundtripWarning
from .walk import Found, walk


@attrs.frozen
class FileResult:
    """The verdict on one file; `record` is kept only for the cross-record link check."""

    path: str
    problems: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    diff: str | None = None
    record: dict[str, Any] | None = None
    positions: dict[str, tuple[int, int]] = attrs.field(factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems and self.diff is None


@attrs.frozen
class Options:
    """What verify checks; picklable, for the worker processes."""

    strict: bool = True
    max_bytes: int = 32 * 1024 * 1024
    keep_records: bool = False


def verify_file(path: str, options: Options = Options()) -> FileResult:
    """Verify one file; every failure, however bad the input, becomes a Problem."""
    from .api import emit_parts, loads, to_dict
    from .files import read_regular

    try:
        data = read_regular(path, options.max_bytes)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", RoundtripWarning)
            article = loads(data, path=path, strict=options.strict, max_bytes=options.max_bytes)
        kept = tuple(w.message.problem for w in caught if isinstance(w.message, RoundtripWarning))
        parts = emit_parts(article)
    except RoundtripError as error:
        return FileResult(path, problems=tuple(error.problems))
    except Exception as error:  # a bug of ours must not end a directory run
        return FileResult(path, problems=(Problem(f"internal error: {error!r}"),))
    diff = None
    if not _same_bytes(parts, data):
        diff = unified_diff(path, data, "".join(parts).encode("utf-8"))
    if not options.keep_records:
        return FileResult(path, warnings=kept, diff=diff)
    return FileResult(
        path,
        warnings=kept,
        diff=diff,
        record=to_dict(article),
        positions=_related_positions(article),
    )


def _same_bytes(parts: tuple[str, ...], data: bytes) -> bool:
    """Whether the text in `parts`, encoded, is `data`, encoding one part at a time."""
    view = memoryview(data)
    offset = 0
    for part in parts:
        encoded = part.encode("utf-8")
        if view[offset : offset + len(encoded)] != encoded:
            return False
        offset += len(encoded)
    return offset == len(data)


def unified_diff(path: str, before: bytes, after: bytes) -> str:
    """A unified diff of two versions of a file, line endings shown so they can be seen."""
    import difflib

    old = before.decode("utf-8", "replace").splitlines(keepends=True)
    new = after.decode("utf-8", "replace").splitlines(keepends=True)
    lines = difflib.unified_diff(old, new, f"{path} (file)", f"{path} (emitted)")
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
                   for line in lines).replace("\r\n", "\\r\n")  # fmt: skip


def _related_positions(article: Any) -> dict[str, tuple[int, int]]:
    """File positions (line, column) of the related entries' fields, keyed `index.field`."""
    source = article.source
    if source is None:
        return {}
    positions: dict[str, tuple[int, int]] = {}
    related = source.root.entry("related")
    if related is None or not hasattr(related.value, "items"):
        return positions
    for index, item in enumerate(getattr(related.value, "items", [])):
        positions[str(index)] = source.envelope.position(item.start)
        for entry in getattr(item, "entries", []):
            positions[f"{index}.{entry.name}"] = source.envelope.position(entry.key.start)
    return positions


def verify_paths(paths: Iterable[str], options: Options, jobs: int) -> Iterator[FileResult]:
    """Verify every file under `paths`, in order, streaming; `jobs` worker processes.

    A place the walk could not read is a failed result, like a file that fails.
    """
    found = walk(paths)
    if jobs <= 1:
        for item in found:
            yield _verify_found(item, options)
        return
    import multiprocessing

    _warm_up()  # forked workers inherit the built converter and schema check
    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    with context.Pool(jobs, initializer=_warm_up) as pool:
        # Chunks amortise the inter-process round trip (~0.1 ms) over many small files.
        yield from pool.imap(_Worker(options), found, chunksize=32)


def _warm_up() -> None:
    """Build the engine's converter and schema check once per process, not per file."""
    from .article_schema import fast_check
    from .convert import converter

    converter()
    fast_check()


@attrs.frozen
class _Worker:
    options: Options

    def __call__(self, found: Found) -> FileResult:
        return _verify_found(found, self.options)


def _verify_found(found: Found, options: Options) -> FileResult:
    if found.problem is not None:
        return FileResult(found.path, problems=(Problem(found.problem),))
    return verify_file(found.path, options)


LINKED_FIELDS = (
    "title", "excerpt", "publishedDateTime", "type", "provider", "quality",
    "ampWebUrl", "cdnAmpWebUrl", "images",
)  # fmt: skip


def check_links(results: list[FileResult]) -> dict[str, list[Problem]]:
    """Problems, by path, where a related entry disagrees with the record it links to."""
    by_url: dict[str, list[FileResult]] = {}
    for result in results:
        if result.record is not None:
            by_url.setdefault(result.record["webUrl"], []).append(result)
    found: dict[str, list[Problem]] = {}
    for result in results:
        if result.record is None:
            continue
        for index, related in enumerate(result.record.get("related", [])):
            targets = [t for t in by_url.get(related.get("webUrl"), []) if t is not result]
            for field in LINKED_FIELDS:
                mine = related.get(field)
                disagreeing = [
                    t for t in targets if t.record is not None and t.record.get(field) != mine
                ]
                if not disagreeing:
                    continue
                first = disagreeing[0]
                theirs = first.record.get(field) if first.record is not None else None
                others = f" (and {len(disagreeing) - 1} more)" if len(disagreeing) > 1 else ""
                line, column = result.positions.get(
                    f"{index}.{field}", result.positions.get(str(index), (0, 0))
                )
                found.setdefault(result.path, []).append(
                    Problem(
                        f"disagrees with {first.path}{others}: {_brief(mine)} here, "
                        f"{_brief(theirs)} there",
                        line=line or None,
                        column=column or None,
                        field=f"related.{index}.{field}",
                    )
                )
    return found


def _brief(value: Any) -> str:
    if value is None:
        return "absent"
    text = repr(value)
    return text if len(text) <= 50 else text[:47] + "..."
