"""Verify record files: parse, validate, type, emit from the model, compare the bytes."""

from __future__ import annotations

import itertools
import os
import warnings
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from .active_format import format_for
from .errors import Problem, RoundtripError, RoundtripWarning
from .records import emit_parts, loads, to_dict
from .walk import Found

if TYPE_CHECKING:
    from .active_format import Format, FormatSource
    from .links import LinkProblem, LinkReference, LinkRule, LinkTarget

T = TypeVar("T")


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
    """What verify checks; picklable, for the worker processes. `format`: the records'
    format, for a worker that does not share this process's choice (None: the current one)."""

    strict: bool = True
    max_bytes: int = 32 * 1024 * 1024
    keep_records: bool = False
    format: FormatSource | None = None

    def traveling(self) -> Options:
        """These options with the current format written in, for a worker elsewhere."""
        if self.format is not None:
            return self
        from .active_format import FormatSource, current_format

        return attrs.evolve(self, format=FormatSource.of(current_format()))


def verify_file(name: str, options: Options = Options()) -> FileResult:
    """Read one file (a local path or a URL) and verify it; a failed read is a Problem too."""
    from .sources import read_bytes

    try:
        data = read_bytes(name, options.max_bytes)
    except RoundtripError as error:
        return FileResult(name, problems=tuple(error.problems))
    return verify_bytes(name, data, options)


def verify_files(
    files: Sequence[Found], options: Options, base: str | None = None
) -> Iterator[FileResult]:
    """Read and verify `files` in order, URLs several at a time; relative local paths are
    read from `base` when given (a worker elsewhere) and reported as given. A place the walk
    could not read is a failed result, like a file that fails."""
    from .sources import read_listed

    for found, data in zip(files, read_listed(files, options.max_bytes, base), strict=True):
        if isinstance(data, RoundtripError):
            yield FileResult(found.path, problems=tuple(data.problems))
        else:
            yield verify_bytes(found.path, data, options)


def verify_bytes(name: str, data: bytes, options: Options = Options()) -> FileResult:
    """Verify one record's bytes, reported under `name`; every failure becomes a Problem.

    No file system here: the same function runs in this process, a worker process or on a
    Dask worker, whoever read the bytes.
    """
    fmt = format_for(options.format)
    kept: tuple[Problem, ...] = ()
    # Read with no path: a verified record is never written back, so it needs no origin (an
    # absolute path: a getcwd a record); its problems are reported under `name`.
    try:
        if options.strict:  # only lenient reading warns (of unknown keys)
            record = loads(fmt, data, max_bytes=options.max_bytes)
        else:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", RoundtripWarning)
                record = loads(fmt, data, strict=False, max_bytes=options.max_bytes)
            kept = tuple(
                w.message.problem for w in caught if isinstance(w.message, RoundtripWarning)
            )
        parts = emit_parts(fmt, record)
    except RoundtripError as error:
        return FileResult(name, problems=tuple(error.problems))
    except Exception as error:  # a bug of ours must not end a directory run
        return FileResult(name, problems=(Problem(f"internal error: {error!r}"),))
    diff = None
    if not _same_bytes(parts, data):
        diff = unified_diff(name, data, "".join(parts).encode("utf-8"))
    if not options.keep_records:
        return FileResult(name, warnings=kept, diff=diff)
    return FileResult(
        name,
        warnings=kept,
        diff=diff,
        record=to_dict(fmt, record),
        positions=_item_positions(record, fmt),
    )


# Up to this size, the emitted text is compared whole (one join, one encoding); a larger one
# part by part, so that it is never held encoded whole beside the file's bytes.
_COMPARED_WHOLE = 1024 * 1024


def _same_bytes(parts: tuple[str, ...], data: bytes) -> bool:
    """Whether the text in `parts`, encoded, is `data`."""
    if len(data) <= _COMPARED_WHOLE:
        return "".join(parts).encode("utf-8") == data
    offset = 0
    for part in parts:
        encoded = part.encode("utf-8")
        if not data.startswith(encoded, offset):
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


def _item_positions(record: Any, fmt: Format) -> dict[str, tuple[int, int]]:
    """File positions (line, column) of the linked list's items (`index`) and their fields
    (`index.field`), for --links to place its problems; empty when the format has no links."""
    source = record.source
    rule = fmt.links
    if source is None or rule is None:
        return {}
    positions: dict[str, tuple[int, int]] = {}
    listed = source.root.entry(rule.list)
    if listed is None or not hasattr(listed.value, "items"):
        return positions
    for index, item in enumerate(getattr(listed.value, "items", [])):
        positions[str(index)] = source.envelope.position(item.start)
        for entry in getattr(item, "entries", []):
            positions[f"{index}.{entry.name}"] = source.envelope.position(entry.key.start)
    return positions


def verify_paths(
    paths: Iterable[str], options: Options, jobs: int | None = None
) -> Iterator[FileResult]:
    """Verify every file under `paths` (local paths or URLs), in order, streaming.

    `jobs` processes; None: the idle cores (`default_jobs`), one for a run too small to pay
    for a second process.
    """
    from .sources import list_files

    files: Iterable[Found] = list_files(paths)
    if jobs is None:
        first = list(itertools.islice(files, SMALL_RUN))
        jobs = 1 if len(first) < SMALL_RUN else default_jobs()
        files = itertools.chain(first, files)
    if jobs <= 1:
        for chunk in chunks(files, LOCAL_CHUNK):
            yield from verify_files(chunk, options)
        return
    from .workers import can_fork, verify_forked

    if can_fork():
        yield from verify_forked(files, options, jobs)
        return
    import multiprocessing

    options = options.traveling()  # a spawned process starts with the article
    with multiprocessing.get_context("spawn").Pool(jobs, initializer=warm_up) as pool:
        for verdicts in pool.imap(_Worker(options), chunks(files, LOCAL_CHUNK)):
            for verdict in verdicts:
                yield FileResult(verdict) if isinstance(verdict, str) else verdict


def default_jobs() -> int:
    """The cores nothing else is using: all of them on an idle machine, one on a busy one.

    A second process only helps when a core is free for it: on a machine whose cores are busy
    (load average >= cores) it adds its start-up and hand-off to a share of CPU time that
    does not grow (the kernel shares CPU time between sessions, not processes). One process of
    load is not counted: it is most often the caller's own last run (a previous verify keeps the
    1-minute average near 1 on an otherwise idle machine).
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    others = max(0.0, load - 1)
    return max(1, min(cores or 1, round((cores or 1) - others)))


LOCAL_CHUNK = 32
# Below this many files, the default --jobs is 1: forking and joining a helper costs about
# what a second core saves on this many files (bench/bench_scale.py on 2 idle cores: --jobs 2
# is 0.95x of --jobs 1 on 100 files, 1.4x on 1,000).
SMALL_RUN = 250


def chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """`items` in lists of `size` (the last one shorter), as they come."""
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def warm_up(source: FormatSource | None = None) -> None:
    """Build the engine's converter and schema check once per process, not per file."""
    from .active_format import format_for

    fmt = format_for(source)
    fmt.converter  # noqa: B018 - built here, once
    fmt.validator  # noqa: B018


Verdict = str | FileResult  # a bare name: the file passed with nothing to say


def compact(result: FileResult) -> Verdict:
    """What a worker sends back: only the name for a clean pass (most files), else all of it."""
    if result.ok and not result.warnings and result.record is None:
        return result.path
    return result


@attrs.frozen
class _Worker:
    options: Options

    def __call__(self, files: list[Found]) -> list[Verdict]:
        return [compact(result) for result in verify_files(files, self.options)]


def check_links(
    results: list[FileResult], rule: LinkRule | None = None
) -> dict[str, list[Problem]]:
    """Problems, by path, where a list item disagrees with the record it links to (`rule`:
    the current format's, which must define links)."""
    from .links import join_links

    rule = rule or required_link_rule()
    targets: list[LinkTarget] = []
    references: list[LinkReference] = []
    for order, result in enumerate(results):
        more_targets, more_references = result_link_facts(rule, order, result)
        targets += more_targets
        references += more_references
    found: dict[str, list[Problem]] = {}
    for *_, name, problem in sorted(join_links(rule, targets, references), key=_problem_order):
        found.setdefault(name, []).append(problem)
    return found


def result_link_facts(
    rule: LinkRule, order: int, result: FileResult
) -> tuple[list[LinkTarget], list[LinkReference]]:
    """The join's inputs from one verified file (nothing when it kept no record)."""
    from .links import link_facts

    return link_facts(rule, order, result.path, result.record, result.positions)


def required_link_rule() -> LinkRule:
    """The current format's link rule; RoundtripError when it defines none."""
    from .active_format import current_format

    fmt = current_format()
    rule = fmt.links
    if rule is None:
        raise RoundtripError(
            f"--links: the format {fmt.name} ({fmt.path}) defines no links: "
            'its schema has no "x-roundtrip-links" annotation'
        )
    return rule


def _problem_order(found: LinkProblem) -> tuple[int, int, int]:
    return found[0], found[1], found[2]
