"""How every writing command ends: compare, show a diff, write under the file's lock unless it
is a dry run (files.edit_file / files.write_file: atomic, locked, nothing lost or half-written)."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TextIO

import attrs


@attrs.frozen
class WriteMode:
    """`dry_run`: write nothing; `diff`: print a unified diff of what is or would be written."""

    dry_run: bool = False
    diff: bool = False


def text_diff(path: str, before: bytes, after: bytes) -> str:
    """A git-style unified diff of a file's old and new bytes."""
    import difflib

    old = before.decode("utf-8", "replace").splitlines(keepends=True)
    new = after.decode("utf-8", "replace").splitlines(keepends=True)
    name = os.path.normpath(path)
    before_label, after_label = (name, name) if os.path.isabs(name) else (f"a/{name}", f"b/{name}")
    lines = difflib.unified_diff(old, new, before_label, after_label)
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
                   for line in lines)  # fmt: skip


def edit(
    path: str, change: Callable[[bytes], bytes], mode: WriteMode, out: TextIO, *, max_bytes: int
) -> bool:
    """Read `path`, let `change` (which validates) make its new bytes, and write them as `mode`
    says, read and write under the file's lock; True when the bytes differ."""
    from .edit import warm_up
    from .files import edit_file, read_regular

    if mode.dry_run:
        before = read_regular(path, max_bytes)
        after = change(before)
        if mode.diff and after != before:
            out.write(text_diff(path, before, after))
        return after != before

    def locked(before: bytes) -> bytes | None:
        after = change(before)
        if after == before:
            return None
        if mode.diff:
            out.write(text_diff(path, before, after))
        return after

    warm_up()  # build the engine before taking the lock, so that the lock is held briefly
    return edit_file(path, locked, max_bytes=max_bytes)


def commit(path: str, before: bytes, after: bytes, mode: WriteMode, out: TextIO) -> bool:
    """Write `after` over `path`, which held `before` when it was read (ConflictError if it
    changed since, the file left as it is); True when the bytes differ."""
    from .files import write_file

    if after == before:
        return False
    if mode.diff:
        out.write(text_diff(path, before, after))
    if not mode.dry_run:
        write_file(path, after, expected=before)
    return True
