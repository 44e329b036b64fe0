"""Walk the paths a command is given: every file to check, and every place it could not look.

Directories are walked in name order (a directory's files, then its sub-directories), dotfiles
and dot-directories skipped (the writers' temporaries are dotfiles too). Nothing is passed over
silently: a sub-directory that cannot be read is yielded with a problem; anything that is not a
directory (a FIFO, a socket, a device, a broken symlink) is yielded like a file, and reading it
then refuses it without blocking. Symlinked directories are followed; a directory reached a
second time (a symlink loop, or two links to one directory) is not walked again, since its
files were or are being checked already.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from .files import TEMPORARY_PREFIX


class Found(NamedTuple):
    """A path the walk found: a file to check, or, with `problem`, a place it could not read."""

    path: str
    problem: str | None = None


def walk(paths: Iterable[str]) -> Iterator[Found]:
    """Everything to check under `paths`, streaming, in order."""
    seen: set[tuple[int, int]] = set()
    for path in paths:
        try:
            status = os.stat(path)
        except OSError:
            yield Found(path)  # reading it says what is wrong
            continue
        if stat.S_ISDIR(status.st_mode):
            yield from _walk_directory(path, status, seen)
        else:
            yield Found(path)


def skipped(name: str) -> bool:
    """Whether a walk leaves out a directory entry of this name (dotfiles, our temporaries)."""
    return name.startswith(".") or name.startswith(TEMPORARY_PREFIX)


def _walk_directory(
    top: str, status: os.stat_result, seen: set[tuple[int, int]]
) -> Iterator[Found]:
    # An explicit stack, not recursion: a deep tree must not exhaust Python's stack.
    pending: list[tuple[str, os.stat_result]] = [(top, status)]
    while pending:
        directory, status = pending.pop()
        key = (status.st_dev, status.st_ino)
        if key in seen:
            continue
        seen.add(key)
        try:
            with os.scandir(directory) as scan:
                entries = sorted(
                    (entry for entry in scan if not skipped(entry.name)), key=lambda e: e.name
                )
        except OSError as error:
            yield Found(directory, f"cannot read the directory: {error.strerror or error}")
            continue
        subdirectories: list[tuple[str, os.stat_result]] = []
        for entry in entries:
            try:
                entry_status = entry.stat()  # follows symlinks
            except OSError:
                yield Found(entry.path)  # a broken symlink: reading it says so
                continue
            if stat.S_ISDIR(entry_status.st_mode):
                subdirectories.append((entry.path, entry_status))
            else:
                yield Found(entry.path)
        pending.extend(reversed(subdirectories))
