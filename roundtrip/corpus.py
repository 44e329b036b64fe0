"""Verify a corpus: choose the files, skip contents already verified, run the rest.

`verify` here is what the command line prints and what `rt.verify` yields.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from .active_format import format_for
from .cache import VerifiedCache, cache_key, content_hash
from .errors import Problem, RoundtripError
from .select import STDIN, Selection, require_records, select_files
from .verify import FileResult, Options, verify_bytes, verify_paths

if TYPE_CHECKING:
    from .active_format import Format


def record_files(
    paths: Sequence[str], selection: Selection, *, changed: str | None = None
) -> Iterator[str]:
    """The records to check: the selection of `paths`, or of what changed against a git ref.

    Raises NoRecordsError when a walk finds no record (nothing changed is not an error).
    """
    if changed is None:
        return require_records(paths, selection)
    from .changed import changed_files

    changed_set = set(changed_files(changed, paths))
    return (path for path in select_files(paths, selection) if path in changed_set)


def verify(
    paths: Sequence[str],
    *,
    include: Sequence[str] | None = None,
    exclude: Sequence[str] | None = None,
    changed: str | None = None,
    strict: bool = True,
    max_bytes: int = 32 * 1024 * 1024,
    jobs: int = 1,
    use_cache: bool = False,
    schema: str | os.PathLike[str] | Format | None = None,
) -> Iterator[FileResult]:
    """Verify the records under `paths` in a stable order, yielding each file's result.

    `include`/`exclude` are globs for directory walks (defaults from `[tool.roundtrip]`),
    `changed` a git ref to check only what changed since, `use_cache` skips unchanged contents
    that verified clean before (off by default here; the command line uses it unless told not),
    `schema` the records' format (a schema file or an `rt.Format`; default: `schema` in
    `[tool.roundtrip]`, else the article).
    """
    from .active_format import FormatSource, find_format
    from .select import STDIN, selection_for

    selection = selection_for(paths, include, exclude)
    start = next((path for path in paths if path != STDIN), ".")
    source = FormatSource.of(find_format(schema, start))
    files = record_files(paths, selection, changed=changed)
    options = Options(strict=strict, max_bytes=max_bytes, format=source)
    yield from verify_files(files, options, jobs, use_cache)


def verify_files(
    files: Iterable[str], options: Options, jobs: int, use_cache: bool
) -> Iterator[FileResult]:
    """Results for `files` in order; with the cache, a known-clean content is not checked again."""
    if not use_cache or options.keep_records:
        yield from _verify_uncached(files, options, jobs)
        return
    fingerprint = format_for(options.format).fingerprint
    cache = VerifiedCache(cache_key(fingerprint, _verdict_options(options)))
    digests: dict[str, str] = {}
    misses: list[str] = []
    order: list[str] = []
    for path in files:
        order.append(path)
        digest = _digest(path, options.max_bytes)
        if digest is not None and digest in cache:
            continue
        if digest is not None:
            digests[path] = digest
        misses.append(path)
    checked = _verify_uncached(misses, options, jobs)
    missed = set(misses)
    try:
        for path in order:
            if path not in missed:
                yield FileResult(path)
                continue
            result = next(checked)
            # Cached only if the file still holds what was hashed: an edit while it was being
            # verified must not mark the new content as verified.
            digest = digests.get(path)
            clean = result.ok and not result.warnings
            if digest is not None and clean and _digest(path, options.max_bytes) == digest:
                cache.add([digest])
            yield result
    finally:
        cache.save()


def _verdict_options(options: Options) -> dict[str, Any]:
    return {"strict": options.strict, "max_bytes": options.max_bytes}


def _digest(path: str, max_bytes: int) -> str | None:
    """The content hash of a file small enough to verify; None when it cannot be read."""
    if path == STDIN:
        return None
    from .files import read_regular

    try:
        return content_hash(read_regular(path, max_bytes))  # a FIFO is refused, never waited on
    except RoundtripError:
        return None


def _verify_uncached(files: Iterable[str], options: Options, jobs: int) -> Iterator[FileResult]:
    """verify_paths, with `-` read from stdin in this process."""
    pending: list[str] = []
    for path in files:
        if path != STDIN:
            pending.append(path)
            continue
        yield from verify_paths(pending, options, jobs)
        pending = []
        yield verify_stdin(options)
    yield from verify_paths(pending, options, jobs)


def verify_stdin(options: Options) -> FileResult:
    """Verify one record read from standard input, reported as `-`."""
    data = sys.stdin.buffer.read(options.max_bytes + 1)
    if len(data) > options.max_bytes:
        message = f"input is over the limit of {options.max_bytes:,} bytes"
        return FileResult(STDIN, problems=(Problem(message),))
    return verify_bytes(STDIN, data, options)
