"""`verify --jobs N` on one machine: this process and N - 1 forked helpers share the files.

The serial part is what limits a small run, so it is cut to the bone: the helpers are forked
before the engine is imported (each process imports it at the same time as the others, and
this one lists the files meanwhile), this process verifies chunks too instead of only
dispatching (N processes for N cores, not N + 1), and a clean pass comes back as its bare name.
Chunks are handed out on demand, two ahead per helper, so a slow process takes fewer; results
are put back in listing order before they are handed on.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections.abc import Iterable, Iterator
from multiprocessing.connection import Connection, wait
from typing import Any, cast

from .verify import FileResult, Options, Verdict, chunks, compact, verify_files, warm_up
from .walk import Found

CHUNK = 32  # files per message: the pipe's round trip (~0.1 ms) is paid once per chunk
AHEAD = 2  # chunks queued at each helper, so that it never waits for this process


def verify_forked(files: Iterable[Found], options: Options, jobs: int) -> Iterator[FileResult]:
    """Verify `files` in this process and `jobs - 1` forked helpers; results in order."""
    context = multiprocessing.get_context("fork")
    helpers: list[tuple[Any, Connection]] = []
    try:
        for _ in range(jobs - 1):
            mine, theirs = context.Pipe()
            process = context.Process(target=_helper, args=(theirs, options), daemon=True)
            process.start()
            theirs.close()
            helpers.append((process, mine))
        yield from _share(files, options, [connection for _, connection in helpers])
    finally:
        for process, connection in helpers:
            with contextlib.suppress(OSError):  # it is gone already
                connection.send(None)
            connection.close()
            process.join(timeout=5)
            if process.is_alive():
                process.kill()


def _helper(connection: Connection, options: Options) -> None:
    warm_up(options.format)
    while True:
        try:
            task = connection.recv()
        except EOFError:
            return
        if task is None:
            return
        number, files = task
        connection.send((number, [compact(result) for result in verify_files(files, options)]))


Chunk = tuple[int, list[Found]]  # its place in the listing, and its files


def _share(
    files: Iterable[Found], options: Options, helpers: list[Connection]
) -> Iterator[FileResult]:
    """Hand chunks to the helpers, verify chunks here meanwhile, yield results in order.

    A helper that dies takes nothing with it: its unanswered chunks are verified again.
    """
    fresh = enumerate(chunks(files, CHUNK))
    again: list[Chunk] = []  # chunks a dead helper did not answer
    sent: dict[Connection, list[Chunk]] = {helper: [] for helper in helpers}
    done: dict[int, list[Verdict]] = {}
    next_out = 0
    warmed = False

    def take() -> Chunk | None:
        return again.pop() if again else next(fresh, None)

    def feed(helper: Connection) -> None:
        while len(sent[helper]) < AHEAD:
            chunk = take()
            if chunk is None:
                return
            try:
                helper.send(chunk)
            except OSError:
                again.append(chunk)
                again.extend(sent.pop(helper))
                return
            sent[helper].append(chunk)

    for helper in helpers:
        feed(helper)
    chunk = take()
    while True:
        busy = [helper for helper, chunks in sent.items() if chunks]
        # Answers first (so no helper runs dry), then a chunk of our own while any is left.
        for ready in wait(busy, timeout=0 if chunk is not None else None) if busy else []:
            helper = cast(Connection, ready)
            try:
                number, verdicts = helper.recv()
            except (EOFError, OSError):  # it died: its chunks are done again
                again.extend(sent.pop(helper))
                continue
            done[number] = verdicts
            sent[helper].pop(0)  # a helper answers in the order it was sent
            feed(helper)
        if chunk is None:
            chunk = take()  # a dead helper's chunk, if any
        if chunk is not None:
            if not warmed:
                warm_up(options.format)
                warmed = True
            number, own = chunk
            done[number] = [compact(result) for result in verify_files(own, options)]
            chunk = take()
        while next_out in done:
            for verdict in done.pop(next_out):
                yield FileResult(verdict) if isinstance(verdict, str) else verdict
            next_out += 1
        if chunk is None and not any(sent.values()) and not done:
            return


def can_fork() -> bool:
    """Whether helpers can be forked here (not on Windows)."""
    return hasattr(os, "fork")
