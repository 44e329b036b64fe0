"""`verify --scheduler` and `export --scheduler`: the same work on a Dask cluster (the
`roundtrip[dask]` extra).

Names are listed once, here; batches of names go to the workers, which read the bytes
themselves (local paths must be visible to the workers at the same place, URLs anywhere) and
send back only the results worth printing (a clean pass costs nothing; an export sends each
file's line). At most a few batches per worker thread are in flight, and results come back as
they complete and are printed in listing order, so the client holds a bounded window whatever
the corpus size. A task is a pure function of its names, so a lost worker's batches are simply
run again by Dask: no result is lost or reported twice. `--links` is a join over the format's
link key (the article's webUrl): each batch splits the linked fields of its records by a hash
of the key, one task per partition joins them, and only the disagreements come back.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import zlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import attrs

from .errors import Problem, RoundtripError
from .jsonl import Exported, ExportOptions, export_listed
from .links import LinkProblem, LinkReference, LinkRule, LinkTarget, join_links
from .verify import FileResult, Options, chunks, result_link_facts, verify_files
from .walk import Found

# Files per task. Measured here (bench/bench_scale.py, a busy 2-core machine): verifying a
# file costs ~0.4 ms and a Dask task ~4.3 ms of scheduling and transfer, so overhead stays
# under 5% of the work from 4.3 / (0.05 x 0.4) = 216 files a batch. Reading from an object
# store only adds work per file, which lowers the share further.
BATCH_SIZE = 256
# Batches in flight per worker thread: enough to keep every worker busy while results travel.
IN_FLIGHT_PER_THREAD = 3

Batch = tuple[int, list[Found]]  # the listing position of its first file, and the files
Packed = str | bytes  # a batch's files as they travel: see _pack


@contextlib.contextmanager
def connect(scheduler: str) -> Iterator[Any]:
    """A Client for `ADDRESS`, or for a new LocalCluster of processes: `local` or `local:N`."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise RoundtripError("--scheduler needs Dask: pip install 'roundtrip[dask]'") from None
    if scheduler == "local" or scheduler.startswith("local:"):
        workers = _local_workers(scheduler)
        with (
            LocalCluster(
                n_workers=workers,
                threads_per_worker=1,  # verification holds the GIL: one process per core
                processes=True,
                dashboard_address=":0",  # any free port: never a clash
                silence_logs=logging.CRITICAL,  # shutdown chatter; failures reach us as errors
            ) as cluster,
            Client(cluster) as client,
        ):
            yield client
        return
    try:
        client = Client(scheduler, timeout="20s")
    except (OSError, TimeoutError, ValueError) as error:
        raise RoundtripError(f"cannot reach the scheduler at {scheduler}: {error}") from None
    with client:
        yield client


def _local_workers(scheduler: str) -> int:
    count = scheduler.partition(":")[2]
    if not count:
        return os.cpu_count() or 1
    if not count.isdigit() or int(count) < 1:
        raise RoundtripError(f"--scheduler {scheduler}: expected local or local:N, N >= 1")
    return int(count)


def verify_on_cluster(
    client: Any,
    paths: Iterable[str],
    options: Options,
    *,
    links: bool = False,
    batch_size: int = BATCH_SIZE,
    timeout: float | None = None,
) -> Iterator[FileResult]:
    """Verify every file under `paths` on the cluster; results in listing order, streaming."""
    from .sources import list_files

    batches = _batches(list_files(paths), batch_size)
    base = os.getcwd()  # relative local paths are read from here on the workers
    options = options.traveling()  # the schema's text, not a path: workers may be elsewhere
    if links:
        from .verify import required_link_rule

        rule = required_link_rule()
        yield from _with_links(client, batches, options, rule, base, timeout)
        return
    for batch, payload in _streamed(client, batches, _verify_batch, (options, base), timeout):
        yield from _results(batch, payload)


def export_on_cluster(
    client: Any,
    paths: Iterable[str],
    options: ExportOptions,
    *,
    batch_size: int = BATCH_SIZE,
    timeout: float | None = None,
) -> Iterator[Exported]:
    """Export every file under `paths` on the cluster; lines in listing order, streaming."""
    from .sources import list_files

    batches = _batches(list_files(paths), batch_size)
    base = os.getcwd()
    options = options.traveling()
    for batch, payload in _streamed(client, batches, _export_batch, (options, base), timeout):
        yield from _exported(batch, payload)


def _streamed(
    client: Any,
    batches: Iterator[Batch],
    task: Callable[..., bytes],
    arguments: tuple[Any, ...],
    timeout: float | None,
) -> Iterator[tuple[Batch, bytes]]:
    """`task(packed batch, *arguments)` run on the cluster for each batch; each batch with its
    result in batch order, a few batches in flight per worker thread."""
    window = IN_FLIGHT_PER_THREAD * max(1, sum(client.nthreads().values()))

    def submit(batch: Batch) -> Any:
        return client.submit(task, _pack(batch), *arguments, pure=False)

    return _in_order(batches, submit, window, timeout)


def _batches(files: Iterable[Found], size: int) -> Iterator[Batch]:
    first = 0
    for batch in chunks(files, size):
        yield first, batch
        first += len(batch)


def _in_order(
    batches: Iterator[Batch], submit: Callable[[Batch], Any], window: int, timeout: float | None
) -> Iterator[tuple[Batch, bytes]]:
    """Each batch with its task's result in batch order, with at most `window` batches
    submitted ahead of the oldest one not yet handed on (results arriving early wait here)."""
    from distributed import as_completed

    submitted: dict[Any, int] = {}
    waiting: dict[int, Batch] = {}
    done: dict[int, bytes] = {}
    next_out = next_in = 0
    # with_results: results are fetched as tasks finish, not one round trip per .result().
    completed = as_completed(with_results=True, timeout=timeout)

    def fill() -> None:
        nonlocal next_in
        while next_in < next_out + window:
            batch = next(batches, None)
            if batch is None:
                return
            future = submit(batch)
            submitted[future] = next_in
            waiting[next_in] = batch
            completed.add(future)
            next_in += 1

    fill()
    for future, payload in completed:
        done[submitted.pop(future)] = payload
        future.release()
        while next_out in done:
            yield waiting.pop(next_out), done.pop(next_out)
            next_out += 1
        fill()


# What travels is bytes: Dask walks lists and tuples element by element (~10 ms for a list of
# 256 names, measured here), one string or one pickle it passes as it is.
def _pack(batch: Batch) -> Packed:
    """The names joined by NUL (the one character no path or URL holds); a batch with a place
    the walk could not read (rare) goes pickled, with its problem."""
    if any(found.problem is not None for found in batch[1]):
        return pickle.dumps(batch[1], protocol=pickle.HIGHEST_PROTOCOL)
    return "\0".join(found.path for found in batch[1])


def _unpack(packed: Packed) -> list[Found]:
    if isinstance(packed, bytes):
        files: list[Found] = pickle.loads(packed)
        return files
    return [Found(name) for name in packed.split("\0")]


def _results(batch: Batch, payload: bytes) -> Iterator[FileResult]:
    """The batch's results: a bare FileResult for each file the payload does not mention."""
    remarkable: dict[int, FileResult] = pickle.loads(payload)
    for index, found in enumerate(batch[1]):
        yield remarkable.get(index) or FileResult(found.path)


def _verify_batch(packed: Packed, options: Options, base: str) -> bytes:
    """Only the results worth sending (a failure, a warning), by position in the batch."""
    remarkable = {}
    for index, result in enumerate(verify_files(_unpack(packed), options, base)):
        if not _clean(result):
            remarkable[index] = result
    return pickle.dumps(remarkable, protocol=pickle.HIGHEST_PROTOCOL)


def _clean(result: FileResult) -> bool:
    return result.ok and not result.warnings


def _export_batch(packed: Packed, options: ExportOptions, base: str) -> bytes:
    """Each file's line, or its problems, in batch order."""
    exported = export_listed(_unpack(packed), options, base)
    outcomes = [item.line if item.line is not None else item.problems for item in exported]
    return pickle.dumps(outcomes, protocol=pickle.HIGHEST_PROTOCOL)


def _exported(batch: Batch, payload: bytes) -> Iterator[Exported]:
    outcomes: list[str | tuple[Problem, ...]] = pickle.loads(payload)
    for found, outcome in zip(batch[1], outcomes, strict=True):
        if isinstance(outcome, str):
            yield Exported(found.path, outcome)
        else:
            yield Exported(found.path, problems=outcome)


# -- --links: a join over the link key -----------------------------------------------------


def _with_links(
    client: Any,
    batches: Iterator[Batch],
    options: Options,
    rule: LinkRule,
    base: str,
    timeout: float | None,
) -> Iterator[FileResult]:
    from distributed import wait

    keeping = attrs.evolve(options, keep_records=True)
    partitions = max(1, len(client.nthreads()))
    tasks = [
        (batch[0], client.submit(
            _verify_batch_links, batch[0], _pack(batch), keeping, rule, base, partitions,
            pure=False,
        ))
        for batch in batches
    ]  # fmt: skip
    # The client keeps the first position of each batch; the names travel with their batch.
    joins = [
        client.submit(
            _join_partition,
            rule,
            *[client.submit(_partition, task, p) for _, task in tasks],
            pure=False,
        )
        for p in range(partitions)
    ]
    # Only the verdicts come here; the linked fields go from batch to join, worker to worker.
    heads = [(first, client.submit(_verdicts_of, task)) for first, task in tasks]
    del tasks  # Dask keeps each batch's result while a task above still needs it
    wait(joins, timeout=timeout)
    found: dict[int, list[LinkProblem]] = {}
    for join in joins:
        for problem in pickle.loads(join.result()):
            found.setdefault(problem[0], []).append(problem)
        join.release()
    for first, head in heads:
        packed, verdicts = head.result(timeout=timeout)
        head.release()
        batch = (first, _unpack(packed))
        for order, result in enumerate(_results(batch, verdicts), start=first):
            extra = sorted(found.pop(order, ()), key=lambda problem: problem[:3])
            if extra:
                result = attrs.evolve(result, problems=result.problems + tuple(p[4] for p in extra))
            yield result


def _verify_batch_links(
    first: int, packed: Packed, options: Options, rule: LinkRule, base: str, partitions: int
) -> tuple[Packed, bytes, list[bytes]]:
    """The packed files, the results worth sending, and the records' linked fields split by a hash
    of the link key into `partitions` parts (the records themselves stay here)."""
    parts: list[tuple[list[LinkTarget], list[LinkReference]]] = [
        ([], []) for _ in range(partitions)
    ]
    remarkable = {}
    for index, result in enumerate(verify_files(_unpack(packed), options, base)):
        targets, references = result_link_facts(rule, first + index, result)
        for target in targets:
            parts[_partition_of(target[0], partitions)][0].append(target)
        for reference in references:
            parts[_partition_of(reference[0], partitions)][1].append(reference)
        if not _clean(result):
            remarkable[index] = attrs.evolve(result, record=None, positions={})
    parted = [pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL) for part in parts]
    return packed, pickle.dumps(remarkable, protocol=pickle.HIGHEST_PROTOCOL), parted


def _partition_of(key: Any, partitions: int) -> int:
    # crc32, not hash(): every worker process must agree, whatever its PYTHONHASHSEED.
    text = key if isinstance(key, str) else repr(key)
    return zlib.crc32(text.encode("utf-8", "surrogatepass")) % partitions


def _partition(task_result: tuple[Packed, bytes, list[bytes]], index: int) -> bytes:
    return task_result[2][index]


def _verdicts_of(task_result: tuple[Packed, bytes, list[bytes]]) -> tuple[Packed, bytes]:
    return task_result[0], task_result[1]


def _join_partition(rule: LinkRule, *parts: bytes) -> bytes:
    targets: list[LinkTarget] = []
    references: list[LinkReference] = []
    for part in parts:
        more_targets, more_references = pickle.loads(part)
        targets += more_targets
        references += more_references
    return pickle.dumps(join_links(rule, targets, references), protocol=pickle.HIGHEST_PROTOCOL)
