"""Where records come from: local paths, or fsspec URLs (`s3://…`, `memory://…`, `file://…`).

Reading commands list names with `list_names` and read each name's bytes with `read_bytes`;
verification itself never touches a file system. fsspec (the `roundtrip[fsspec]` extra) is
imported only when a URL is given, so local paths work without it.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Iterator
from typing import Any

from .errors import RoundtripError

_GLOB_CHARACTERS = frozenset("*?[")


def is_url(path: str) -> bool:
    """Whether `path` names a file system by protocol (`s3://…`) rather than a local path."""
    return "://" in path


def exists(path: str) -> bool:
    """Whether `path` (a local path or URL; a glob when it has any match) exists."""
    if not is_url(path):
        import os

        return os.path.exists(path)
    fs, root = _file_system(path)
    if _GLOB_CHARACTERS.intersection(root):
        return bool(fs.glob(root))
    return bool(fs.exists(root))


def list_names(paths: Iterable[str]) -> Iterator[str]:
    """The files under `paths`, in name order, dotfiles skipped; URLs through their file system."""
    for path in paths:
        if is_url(path):
            yield from _list_url(path)
        else:
            from .verify import iter_files

            yield from iter_files([path])


def read_bytes(name: str, max_bytes: int) -> bytes:
    """One file's bytes, refused when larger than `max_bytes`; failures are RoundtripErrors."""
    from .api import read_limited

    if not is_url(name):
        return read_limited(name, max_bytes)
    try:
        fs, path = _file_system(name)
        # One ranged read: a file over the limit costs at most max_bytes + 1 bytes.
        data: bytes = fs.cat_file(path, start=0, end=max_bytes + 1)
        if len(data) > max_bytes:
            data = b""
            size = fs.size(path)
            raise RoundtripError(
                f"the file is {size} bytes, over the limit of {max_bytes}", path=name
            )
    except RoundtripError:
        raise
    except Exception as error:  # each file system raises its own kinds
        reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
        raise RoundtripError(f"cannot read the file: {reason}", path=name) from None
    return data


def _list_url(url: str) -> Iterator[str]:
    """Files under one URL, named as the user wrote the URL plus each file's relative path."""
    fs, root = _file_system(url)
    if _GLOB_CHARACTERS.intersection(root):
        for found in sorted(fs.glob(root)):
            if fs.isfile(found):
                yield fs.unstrip_protocol(found)
        return
    if not fs.isdir(root):
        yield url
        return
    prefix = url.rstrip("/")
    root = root.rstrip("/")
    for directory, subdirectories, files in fs.walk(root, detail=False):
        # Pruned in place, as with os.walk: the same order and skips as a local directory.
        subdirectories[:] = sorted(d for d in subdirectories if not d.startswith("."))
        for name in sorted(files):
            if name and not name.startswith("."):
                relative = posixpath.relpath(posixpath.join(directory, name), root)
                yield f"{prefix}/{relative}"


def _file_system(url: str) -> tuple[Any, str]:
    try:
        from fsspec.core import url_to_fs
    except ImportError:
        raise RoundtripError(
            f"reading {url} needs fsspec: pip install 'roundtrip[fsspec]'", path=url
        ) from None
    try:
        fs, path = url_to_fs(url)
    except (ImportError, ValueError) as error:  # no such protocol, or its package is missing
        raise RoundtripError(f"cannot open {url}: {error}", path=url) from None
    return fs, path
