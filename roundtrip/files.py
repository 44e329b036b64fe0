"""Record files on disk: read only regular files, replace them atomically under a lock, keep
what the file was (mode, owner, group, extended attributes) and never lose another writer's edit.

Locking. A write replaces the file's inode (a new file renamed over the old name), so a lock on
the file alone would not serialise writers: a writer waiting on the old inode would wake up
holding a lock on a file nobody can see any more. Every writer therefore takes an exclusive
`flock` on the inode the name points to, then checks that the name still points to that inode,
and starts again if it does not (another writer renamed a new file in while it waited). The
new file is locked *before* it is renamed into place, so a writer that arrives just after the
rename waits until the first one has finished. A lock on the directory would also work but
would serialise every file of a directory; a sidecar lock file would be litter that cannot be
removed without a race. Readers take no lock: a rename shows them the old file or the new one,
whole. The lock is advisory: programs that do not take it (editors) are not kept out, though
`rt.dump`'s compare-and-swap notices what they wrote since the record was read.

The temporary is `.roundtrip-NAME.tmp` beside the file: one name per file, used only by the
holder of the file's lock, so the next writer removes what a killed one left behind.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import warnings
from collections.abc import Callable, Iterator, Sequence

from .errors import ConflictError, EmitError, LimitError, Problem, RoundtripError, RoundtripWarning

DEFAULT_MAX_BYTES = 32 * 1024 * 1024
# Temporary files are dotfiles with this prefix: directory walks never take them for records.
TEMPORARY_PREFIX = ".roundtrip-"
TEMPORARY_SUFFIX = ".tmp"

_KINDS = {
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFDIR: "a directory",
}


def read_regular(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """A regular file's bytes; anything else (FIFO, device, socket) is refused without blocking."""
    descriptor = _open_regular(path, path, RoundtripError, "read")
    assert descriptor is not None
    try:
        return _read(descriptor, path, max_bytes)
    finally:
        os.close(descriptor)


def edit_file(path: str, change: Callable[[bytes], bytes | None], *, max_bytes: int) -> bool:
    """Read `path`, let `change` turn its bytes into new ones (None: no change) and write them,
    all under the file's lock; returns whether the file was written.

    Every command that edits a file goes through here, so concurrent edits of one file are
    serialised and none is lost.
    """
    target = os.path.realpath(path)  # through a symlink, the target is replaced, the link kept
    with _failures_named(path), _locked(target, path) as held:
        if held is None:
            raise RoundtripError("cannot read the file: No such file or directory", path=path)
        descriptor, status = held
        payload = change(_read(descriptor, path, max_bytes))
        if payload is None:
            return False
        _replace(target, payload, descriptor, status, path)
        return True


def write_file(path: str, payload: bytes, *, expected: bytes | Sequence[str] | None = None) -> None:
    """Write `payload` to `path` atomically under the file's lock, creating it if need be.

    With `expected` (bytes, or a text in pieces), only if the file still holds exactly that:
    else ConflictError.
    """
    target = os.path.realpath(path)
    while True:
        with _failures_named(path), _locked(target, path) as held:
            if held is None:
                if expected is not None:
                    raise _conflict("was removed", path)
                if _create(target, payload, path):
                    return
                continue  # another writer created the file meanwhile: start again
            descriptor, status = held
            if expected is not None and not _holds(descriptor, status, expected, path):
                raise _conflict("changed", path)
            _replace(target, payload, descriptor, status, path)
            return


@contextlib.contextmanager
def _failures_named(path: str) -> Iterator[None]:
    """Any other failure of the file system (a lock it does not support, an attribute it will
    not list) as an EmitError naming the file: never a bare OSError."""
    try:
        yield
    except OSError as error:
        raise EmitError(f"cannot write the file: {_reason(error)}", path=path) from None


def _holds(
    descriptor: int, status: os.stat_result, expected: bytes | Sequence[str], path: str
) -> bool:
    """Whether the open file holds exactly `expected` (its content, not only its size or time):
    bytes, or a text in pieces, compared in UTF-8 a slice at a time (a large record's text is
    not encoded whole)."""
    if isinstance(expected, bytes):
        return (
            status.st_size == len(expected) and _read(descriptor, path, len(expected)) == expected
        )
    content = memoryview(_read(descriptor, path, status.st_size))
    at = 0
    for part in expected:
        for start in range(0, len(part), _COMPARED_AT_ONCE):
            piece = part[start : start + _COMPARED_AT_ONCE].encode("utf-8")
            if content[at : at + len(piece)] != piece:
                return False
            at += len(piece)
    return at == len(content)


_COMPARED_AT_ONCE = 1 << 20  # characters


def _conflict(happened: str, path: str) -> ConflictError:
    return ConflictError(
        f"the file {happened} since the record was read from it; not written"
        " (load it again and redo the edit, or pass force=True to overwrite)",
        path=path,
    )


def same_file(a: str, b: str) -> bool:
    """Whether two names lead to the same place (both need not exist)."""
    return os.path.realpath(a) == os.path.realpath(b)


# -- reading -------------------------------------------------------------------------------------


def _open_regular(
    path: str, shown: str, error: type[RoundtripError], verb: str, missing_ok: bool = False
) -> int | None:
    """A descriptor on the regular file at `path`, checked before and after opening (None when
    there is no file and `missing_ok`); errors name the file `shown`.

    Checked before, so that a device is never opened (opening one can have effects); opened
    with O_NONBLOCK, so that a FIFO swapped in between cannot block; checked again on the
    descriptor, which is what is read.
    """
    try:
        _refuse_irregular(os.stat(path).st_mode, shown, error, verb)
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        if missing_ok:
            return None
        raise error(f"cannot {verb} the file: No such file or directory", path=shown) from None
    except OSError as failure:
        raise error(f"cannot {verb} the file: {_reason(failure)}", path=shown) from None
    try:
        _refuse_irregular(os.fstat(descriptor).st_mode, shown, error, verb)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def _refuse_irregular(mode: int, path: str, error: type[RoundtripError], verb: str) -> None:
    if not stat.S_ISREG(mode):
        kind = _KINDS.get(stat.S_IFMT(mode), "not a regular file")
        raise error(
            f"cannot {verb} the file: it is {kind}, not a regular file; left alone", path=path
        )


def _read(descriptor: int, path: str, max_bytes: int) -> bytes:
    """The bytes of an open file, refused before reading when larger than `max_bytes`."""
    try:
        size = os.fstat(descriptor).st_size
        if size > max_bytes:
            raise too_large(size, max_bytes).with_path(path)
        # Up to size + 1 bytes (not max_bytes + 1: that allocates the whole limit), by pread
        # from the start: one call for any file under 2 GiB.
        chunks: list[bytes] = []
        offset = 0
        while offset <= size:
            chunk = os.pread(descriptor, size + 1 - offset, offset)
            if not chunk:
                break
            chunks.append(chunk)
            offset += len(chunk)
        data = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    except OSError as error:
        raise RoundtripError(f"cannot read the file: {_reason(error)}", path=path) from None
    if len(data) > max_bytes:  # a file that grew while we read it
        raise too_large(len(data), max_bytes).with_path(path)
    return data


def too_large(size: int, limit: int) -> LimitError:
    """The error for input of `size` bytes (or characters) over the limit."""
    return LimitError(
        f"file is {size:,} bytes, over the limit of {limit:,}"
        " (raise it with max_bytes / --max-bytes)"
    )


# -- the lock ------------------------------------------------------------------------------------


@contextlib.contextmanager
def _locked(target: str, path: str) -> Iterator[tuple[int, os.stat_result] | None]:
    """Hold the exclusive lock of the file at `target`: its descriptor and status, or None
    when there is no file (creating one is made safe by `_create` itself)."""
    while True:
        descriptor = _open_regular(target, path, EmitError, "write", missing_ok=True)
        if descriptor is None:
            yield None
            return
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            held = os.fstat(descriptor)
            try:
                now = os.stat(target)
            except FileNotFoundError:
                now = None
        except BaseException:
            os.close(descriptor)
            raise
        if now is not None and (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino):
            break
        os.close(descriptor)  # the name moved on to a new file while we waited: lock that one
    try:
        yield descriptor, held
    finally:
        os.close(descriptor)  # closing releases the lock


# -- writing -------------------------------------------------------------------------------------


def _replace(target: str, payload: bytes, old: int, status: os.stat_result, path: str) -> None:
    """Replace the locked file `old` with `payload`, keeping its mode, owner, group and xattrs."""
    if status.st_nlink > 1:
        raise EmitError(
            f"the file has {status.st_nlink} hard links; replacing it would leave the other"
            " names with the old text, so it is not written (copy it to a file of its own first)",
            path=path,
        )
    if not _may_write(target, status):
        raise EmitError("the file is read-only; not written", path=path)
    directory, name = os.path.split(target)
    with _new_file(directory, _own_temporary(name), path) as (descriptor, temporary):
        _write(descriptor, payload, path)
        _keep_metadata(old, status, descriptor, path)
        _name(lambda: os.replace(temporary, target), path)
    _fsync_directory(directory)


def _create(target: str, payload: bytes, path: str) -> bool:
    """Create `target` holding `payload`; False (nothing written) if it appeared meanwhile."""
    directory = os.path.dirname(target)
    with _new_file(directory, None, path) as (descriptor, temporary):
        _write(descriptor, payload, path)
        _chmod(descriptor, 0o666 & ~_umask(), path)
        try:
            # link(2) never replaces a file: one that another writer created first is kept.
            os.link(temporary, target)
        except FileExistsError:
            os.unlink(temporary)
            return False
        except OSError as error:
            if error.errno not in (errno.EPERM, errno.EOPNOTSUPP):
                raise EmitError(f"cannot write the file: {_reason(error)}", path=path) from None
            # A file system without hard links: a rename, which could replace a file created
            # in the last instant, is the best it allows.
            _name(lambda: os.replace(temporary, target), path)
        else:
            os.unlink(temporary)
    _fsync_directory(directory)
    return True


def _name(rename: Callable[[], None], path: str) -> None:
    try:
        rename()
    except OSError as error:
        raise EmitError(f"cannot write the file: {_reason(error)}", path=path) from None


def _own_temporary(name: str) -> str | None:
    """The temporary for replacing the file `name`: one name per file, used only under the
    file's lock, so the next write removes what a writer killed mid-write left behind (None,
    for a random name, when the name would be too long)."""
    temporary = f"{TEMPORARY_PREFIX}{name}{TEMPORARY_SUFFIX}"
    return temporary if len(os.fsencode(temporary)) <= 255 else None


@contextlib.contextmanager
def _new_file(directory: str, temporary: str | None, path: str) -> Iterator[tuple[int, str]]:
    """A new, locked temporary file in `directory`: named `temporary` (a stale file of that name
    is removed first), or a fresh random dotfile; removed if anything fails before its rename."""
    try:
        descriptor, name = _open_temporary(directory, temporary)
    except OSError as error:
        raise EmitError(f"cannot write the file: {_reason(error)}", path=path) from None
    try:
        # Locked before it gets the record's name, so that a writer arriving after the rename
        # waits until this one has finished.
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield descriptor, name
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
    finally:
        os.close(descriptor)


_TEMPORARY_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


def _open_temporary(directory: str, temporary: str | None) -> tuple[int, str]:
    if temporary is not None:
        name = os.path.join(directory, temporary)
        try:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(name)
            return os.open(name, _TEMPORARY_FLAGS, 0o600), name
        except PermissionError:  # another user's leftover in a sticky directory: leave it be
            pass
    while True:
        name = os.path.join(directory, f"{TEMPORARY_PREFIX}{os.urandom(6).hex()}{TEMPORARY_SUFFIX}")
        try:
            return os.open(name, _TEMPORARY_FLAGS, 0o600), name
        except FileExistsError:
            continue


def _write(descriptor: int, payload: bytes, path: str) -> None:
    """Write all of `payload` and make it durable before the file gets its name."""
    view = memoryview(payload)
    try:
        while view:
            view = view[os.write(descriptor, view) :]
        os.fsync(descriptor)
    except OSError as error:
        raise EmitError(f"cannot write the file: {_reason(error)}", path=path) from None


def _may_write(target: str, status: os.stat_result) -> bool:
    """Whether the user may write the file itself, not only rename over it in its directory.

    root may write any file, so for root a file is read-only when no one has write permission
    on it (as `rm` and editors treat it); anyone else needs write permission as open(2) grants
    it (mode bits, ACLs, a read-only mount).
    """
    if os.geteuid() == 0:
        return bool(status.st_mode & 0o222)
    return os.access(target, os.W_OK, effective_ids=os.access in os.supports_effective_ids)


def _keep_metadata(old: int, status: os.stat_result, new: int, path: str) -> None:
    """Give the new file the old one's owner, group, mode and extended attributes."""
    try:
        os.fchown(new, status.st_uid, status.st_gid)
    except PermissionError:
        with contextlib.suppress(PermissionError):  # a group of ours may still be kept
            os.fchown(new, -1, status.st_gid)
        now = os.fstat(new)
        lost = [
            f"{what} {was} -> {became}"
            for what, was, became in (
                ("owner", status.st_uid, now.st_uid),
                ("group", status.st_gid, now.st_gid),
            )
            if was != became
        ]
        if lost:
            message = (
                f"not kept: {', '.join(lost)} (only root may give a file to another user,"
                " or to a group it is not in)"
            )
            warnings.warn(RoundtripWarning(Problem(message)), stacklevel=2)
    except OSError as error:
        raise EmitError(f"cannot write the file: {_reason(error)}", path=path) from None
    # After chown, which clears the set-user-ID and set-group-ID bits.
    _chmod(new, stat.S_IMODE(status.st_mode), path)
    for attribute, value in _xattrs(old):
        try:
            os.setxattr(new, attribute, value)
        except OSError as error:
            raise EmitError(
                f"cannot keep the extended attribute {attribute}: {_reason(error)}; not written",
                path=path,
            ) from None


def _xattrs(descriptor: int) -> list[tuple[str, bytes]]:
    if not hasattr(os, "listxattr"):
        return []
    try:
        return [(name, os.getxattr(descriptor, name)) for name in os.listxattr(descriptor)]
    except OSError as error:
        if error.errno in (errno.ENOTSUP, errno.EOPNOTSUPP):
            return []
        raise


def _chmod(descriptor: int, mode: int, path: str) -> None:
    try:
        os.fchmod(descriptor, mode)
    except OSError as error:
        raise EmitError(f"cannot write the file: {_reason(error)}", path=path) from None


def _fsync_directory(directory: str) -> None:
    """Make the rename itself durable, where the platform allows opening a directory."""
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _reason(error: OSError) -> str:
    return error.strerror or str(error)
