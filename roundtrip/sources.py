"""Where records come from: local paths, or fsspec URLs (`s3://…`, `memory://…`, `file://…`).

Reading commands list files with `list_files` and read each one's bytes with `read_bytes`;
verification itself never touches a file system. fsspec (the `roundtrip[fsspec]` extra) is
imported only when a URL is given, so local paths work without it.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from .errors import RoundtripError
from .walk import Found, skipped, walk

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


def list_files(paths: Iterable[str]) -> Iterator[Found]:
    """The files under `paths`, in name order, dotfiles skipped: local paths by `walk` (which
    also yields the places it could not read), URLs through their file system."""
    for path in paths:
        if is_url(path):
            yield from (Found(name) for name in _list_url(path))
        else:
            yield from walk([path])


def read_bytes(name: str, max_bytes: int) -> bytes:
    """One file's bytes, refused when larger than `max_bytes`; failures are RoundtripErrors."""
    (data,) = read_many([name], max_bytes)
    if isinstance(data, RoundtripError):
        raise data
    return data


def read_listed(
    files: Sequence[Found], max_bytes: int, base: str | None = None
) -> Iterator[bytes | RoundtripError]:
    """Each listed file's bytes (or why not), in order, URLs several at a time; relative local
    paths are read from `base` when given (a worker elsewhere). A place the walk could not
    read is its problem, as an error."""
    names = [found.path for found in files if found.problem is None]
    if base is not None:
        names = [name if is_url(name) else os.path.join(base, name) for name in names]
    contents = read_many(names, max_bytes)
    for found in files:
        yield next(contents) if found.problem is None else RoundtripError(found.problem)


# Reads in flight at once from one file system: an object store answers each GET after tens
# of milliseconds, so a batch read one file at a time would mostly wait.
CONCURRENT_READS = 16


def read_many(names: Sequence[str], max_bytes: int) -> Iterator[bytes | RoundtripError]:
    """Each name's bytes (or why not), in order; URLs fetched CONCURRENT_READS at a time
    through the file system's `cat_ranges` (concurrent on async ones: s3, gcs, http...)."""
    from .files import read_regular

    for start in range(0, len(names), CONCURRENT_READS):
        group = names[start : start + CONCURRENT_READS]
        urls = [name for name in group if is_url(name)]
        fetched = iter(_fetch_urls(urls, max_bytes) if urls else ())
        for name in group:
            if is_url(name):
                yield next(fetched)
                continue
            try:
                yield read_regular(name, max_bytes)
            except RoundtripError as error:
                yield error


def _fetch_urls(urls: list[str], max_bytes: int) -> list[bytes | RoundtripError]:
    """One ranged read per URL: a file over the limit costs at most max_bytes + 1 bytes."""
    try:
        opened = [_file_system(url) for url in urls]
    except RoundtripError:
        return [_read_one(url, max_bytes) for url in urls]  # each says what is wrong with it
    fs = opened[0][0]
    if any(other is not fs for other, _ in opened):
        return [_read_one(url, max_bytes) for url in urls]
    paths = [path for _, path in opened]
    ends = [max_bytes + 1] * len(paths)
    found = fs.cat_ranges(paths, [0] * len(paths), ends, on_error="return")
    return [
        _checked(url, fs, path, data, max_bytes)
        for url, path, data in zip(urls, paths, found, strict=True)
    ]


def _read_one(url: str, max_bytes: int) -> bytes | RoundtripError:
    try:
        fs, path = _file_system(url)
        data = fs.cat_file(path, start=0, end=max_bytes + 1)
    except RoundtripError as error:
        return error
    except Exception as error:  # each file system raises its own kinds
        data = error
    return _checked(url, fs, path, data, max_bytes)


def _checked(url: str, fs: Any, path: str, data: Any, max_bytes: int) -> bytes | RoundtripError:
    if isinstance(data, BaseException):
        reason = getattr(data, "strerror", None) or str(data) or type(data).__name__
        return RoundtripError(f"cannot read the file: {reason}", path=url)
    if len(data) > max_bytes:
        try:
            size = f"{fs.size(path)} bytes"
        except Exception:
            size = "larger than that"
        return RoundtripError(f"the file is {size}, over the limit of {max_bytes}", path=url)
    return bytes(data)


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
        subdirectories[:] = sorted(d for d in subdirectories if not skipped(d))
        for name in sorted(files):
            if name and not skipped(name):
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
