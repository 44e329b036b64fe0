"""Files changed against a git ref, plus untracked ones: what `verify --changed` checks."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence

from .errors import RoundtripError


def _git(arguments: Sequence[str], cwd: str) -> str:
    try:
        completed = subprocess.run(
            ["git", *arguments], cwd=cwd, capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise RoundtripError("--changed needs git, which is not installed") from None
    if completed.returncode != 0:
        message = completed.stderr.strip().splitlines()[-1:] or ["git failed"]
        raise RoundtripError(f"git {arguments[0]}: {message[0]}")
    return completed.stdout


def is_ref(text: str, cwd: str = ".") -> bool:
    """Whether git knows `text` as a commit (so `--changed X` is a ref, not a path)."""
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{text}^{{commit}}"], cwd)
    except RoundtripError:
        return False
    return True


def changed_files(ref: str, paths: Sequence[str]) -> list[str]:
    """Existing files under `paths` that differ from `ref` or are untracked, in name order.

    Paths are returned as the caller wrote them (relative to the current directory or absolute),
    so that output names files the way `verify PATH` would.
    """
    cwd = os.getcwd()
    top = _git(["rev-parse", "--show-toplevel"], cwd).strip()
    pathspecs = ["--", *[os.path.abspath(path) for path in paths]]
    names = _git(["diff", "--name-only", "-z", "--no-renames", ref, *pathspecs], top).split("\0")
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z", *pathspecs], top)
    names += untracked.split("\0")
    found = []
    for name in sorted(set(filter(None, names))):
        absolute = os.path.join(top, name)
        if os.path.isfile(absolute):
            found.append(_as_given(absolute, paths))
    return found


def _as_given(absolute: str, paths: Sequence[str]) -> str:
    """`absolute` written under whichever given path contains it, in that path's form."""
    for path in paths:
        root = os.path.abspath(path)
        if absolute == root:
            return path
        if absolute.startswith(root.rstrip(os.sep) + os.sep):
            return os.path.join(path, os.path.relpath(absolute, root))
    return os.path.relpath(absolute)
