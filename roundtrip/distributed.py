"""`verify --scheduler`: the same checks on a Dask cluster (the `roundtrip[dask]` extra).

Names are listed once, here; batches of names go to the workers, which read the bytes
themselves (local paths must be visible to the workers at the same place, URLs anywhere) and
send back one verdict per file, only the name for a clean pass. At most a few batches per
worker thread are in flight, and results come back as they complete and are printed in
listing order, so the client holds a bounded window whatever the corpus size. A task is a
pure function of its names, so a lost worker's batches are simply run again by Dask: no
result is lost or reported twice. `--links` is a join over webUrl: each batch splits the
linked fields of its records by a hash of the URL, one task per partition joins them, and
only the disagreements come back.
"""

from __future__ import annotations

import contextlib
import logging
import os
import zlib
from collections.abc import Iterable, Iterator
from typing import Any

import attrs

from .errors import RoundtripError
from .verify import (
    FileResult,
    LinkProblem,
    LinkReference,
    LinkTarget,
    Options,
    Verdict,
    compact,
    join_links,
    link_facts,
    verify_bytes,
)

# Files per task. Measured here (bench/bench_scale.py): verifying a file costs ~0.35 ms and a
# Dask task ~2 ms of scheduling and transfer, so a batch of b files spends 2 / (0.35 b) of its
# work on overhead: under 5% from b = 115. 256 leaves room for a slower scheduler; reading
# from an object store only adds work per file, which lowers the share further.
BATCH_SIZE = 256
# Batches in flight per worker thread: enough to keep every worker busy while results travel.
IN_FLIGHT_PER_THREAD = 3

Batch = tuple[int, list[str]]  # the listing position of its first name, and the names


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
                dashboard_address=None,
                silence_logs=logging.ERROR,
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
    from .sources import list_names

    batches = _batches(list_names(paths), batch_size)
    base = os.getcwd()  # relative local paths are read from here on the workers
    if links:
        yield from _with_links(client, batches, options, base, timeout)
        return
    window = IN_FLIGHT_PER_THREAD * max(1, sum(client.nthreads().values()))

    def submit(batch: Batch) -> Any:
        return client.submit(_verify_batch, batch[1], options, base, pure=False)

    for verdicts in _in_order(client, batches, submit, window, timeout):
        yield from _results(verdicts)


def _batches(names: Iterable[str], size: int) -> Iterator[Batch]:
    batch: list[str] = []
    first = 0
    for name in names:
        batch.append(name)
        if len(batch) == size:
            yield first, batch
            first += size
            batch = []
    if batch:
        yield first, batch


def _in_order(
    client: Any,
    batches: Iterator[Batch],
    submit: Any,
    window: int,
    timeout: float | None,
) -> Iterator[Any]:
    """Each batch's result in batch order, with at most `window` batches submitted ahead of
    the oldest one not yet handed on (results arriving early wait here)."""
    from distributed import as_completed

    submitted: dict[Any, int] = {}
    done: dict[int, Any] = {}
    next_out = next_in = 0
    completed = as_completed(timeout=timeout)

    def fill() -> None:
        nonlocal next_in
        while next_in < next_out + window:
            batch = next(batches, None)
            if batch is None:
                return
            future = submit(batch)
            submitted[future] = next_in
            completed.add(future)
            next_in += 1

    fill()
    for future in completed:
        done[submitted.pop(future)] = future.result()
        future.release()
        while next_out in done:
            yield done.pop(next_out)
            next_out += 1
        fill()


def _results(verdicts: list[Verdict]) -> Iterator[FileResult]:
    for verdict in verdicts:
        yield FileResult(verdict) if isinstance(verdict, str) else verdict


def _verify_named(name: str, base: str, options: Options) -> FileResult:
    """Read `name` on this worker (relative local paths from the client's directory), verify."""
    from .sources import is_url, read_bytes

    where = name if is_url(name) else os.path.join(base, name)
    try:
        data = read_bytes(where, options.max_bytes)
    except RoundtripError as error:
        return FileResult(name, problems=tuple(error.problems))
    return verify_bytes(name, data, options)


def _verify_batch(names: list[str], options: Options, base: str) -> list[Verdict]:
    return [compact(_verify_named(name, base, options)) for name in names]


# -- --links: a join over webUrl ------------------------------------------------------------

Facts = tuple[list[LinkTarget], list[LinkReference]]


def _with_links(
    client: Any, batches: Iterator[Batch], options: Options, base: str, timeout: float | None
) -> Iterator[FileResult]:
    from distributed import wait

    keeping = attrs.evolve(options, keep_records=True)
    partitions = max(1, len(client.nthreads()))
    tasks = [
        (batch[0], client.submit(_verify_batch_links, batch, keeping, base, partitions, pure=False))
        for batch in batches
    ]  # the names travel with their batch: only the first one's position stays here
    joins = [
        client.submit(
            _join_partition, *[client.submit(_partition, task, p) for _, task in tasks], pure=False
        )
        for p in range(partitions)
    ]
    wait(joins, timeout=timeout)
    found: dict[int, list[LinkProblem]] = {}
    for join in joins:
        for problem in join.result():
            found.setdefault(problem[0], []).append(problem)
        join.release()
    for first, task in tasks:
        verdicts, _ = task.result(timeout=timeout)
        task.release()
        for order, result in enumerate(_results(verdicts), start=first):
            extra = sorted(found.pop(order, ()), key=lambda problem: problem[:3])
            if extra:
                result = attrs.evolve(result, problems=result.problems + tuple(p[4] for p in extra))
            yield result


def _verify_batch_links(
    batch: Batch, options: Options, base: str, partitions: int
) -> tuple[list[Verdict], list[Facts]]:
    """Verdicts without records, and the records' linked fields split by hash of webUrl."""
    first, names = batch
    parts: list[Facts] = [([], []) for _ in range(partitions)]
    verdicts: list[Verdict] = []
    for order, name in enumerate(names, start=first):
        result = _verify_named(name, base, options)
        targets, references = link_facts(order, result)
        for target in targets:
            parts[_partition_of(target[0], partitions)][0].append(target)
        for reference in references:
            parts[_partition_of(reference[0], partitions)][1].append(reference)
        verdicts.append(compact(attrs.evolve(result, record=None, positions={})))
    return verdicts, parts


def _partition_of(url: str | None, partitions: int) -> int:
    # crc32, not hash(): every worker process must agree, whatever its PYTHONHASHSEED.
    return zlib.crc32((url or "").encode("utf-8", "surrogatepass")) % partitions


def _partition(task_result: tuple[list[Verdict], list[Facts]], index: int) -> Facts:
    return task_result[1][index]


def _join_partition(*parts: Facts) -> list[LinkProblem]:
    targets = [target for part in parts for target in part[0]]
    references = [reference for part in parts for reference in part[1]]
    return join_links(targets, references)
