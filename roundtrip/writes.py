"""How every writing command ends: compare, show a diff, write atomically unless it is a dry run."""

from __future__ import annotations

import os
from typing import TextIO

import attrs

from .api import write_atomic


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


def commit(path: str, before: bytes, after: bytes, mode: WriteMode, out: TextIO) -> bool:
    """Write `after` over `path` (which held `before`) as `mode` says; True when it differs.

    The caller has validated `after`; the write is atomic, so an error leaves the old file whole.
    """
    if after == before:
        return False
    if mode.diff:
        out.write(text_diff(path, before, after))
    if not mode.dry_run:
        write_atomic(path, after)
    return True
