"""Safe writes among other processes and real file system objects (issue 11).

Compare-and-swap and the lock (no lost update), only regular files (no hang), a walk that passes
over nothing silently, and a rewrite that keeps what the file was. Real processes, FIFOs,
sockets, device nodes, hard links, xattrs and another user (a forked child that drops root),
not mocks of the file system.
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import roundtrip as rt
from roundtrip import files
from roundtrip.cli import main
from roundtrip.walk import walk

from .conftest import GOLDEN, ROOT

SEED = GOLDEN / "000_6bef1e912cfb9f3e.txt"
SEED_BYTES = SEED.read_bytes()
ROUNDTRIP = [sys.executable, "-m", "roundtrip"]
NOBODY = 65534
IS_ROOT = os.geteuid() == 0
needs_root = pytest.mark.skipif(not IS_ROOT, reason="needs root: to chown, mknod or become nobody")


def run(*args: str, timeout: float = 60, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """The real command; a timeout fails the test instead of hanging the run."""
    return subprocess.run(
        [*ROUNDTRIP, *args], capture_output=True, text=True, timeout=timeout, cwd=ROOT, **kwargs
    )


@pytest.fixture
def record(tmp_path: Path) -> Path:
    path = tmp_path / "record.txt"
    path.write_bytes(SEED_BYTES)
    return path


def others(directory: Path, *keep: str) -> list[str]:
    return sorted(name for name in os.listdir(directory) if name not in keep)


# -- 1. compare-and-swap ------------------------------------------------------------------------


def test_dump_refuses_when_the_file_changed_since_it_was_read(record: Path) -> None:
    article = rt.load(record)
    article.heat = 80
    theirs = SEED_BYTES.replace(b"quality: 57", b"quality: 58")
    record.write_bytes(theirs)  # another process's edit, after our read
    with pytest.raises(rt.ConflictError) as caught:
        rt.dump(article, record)
    assert isinstance(caught.value, rt.RoundtripError)
    assert caught.value.path == str(record)
    assert "changed since the record was read" in str(caught.value)
    assert "force=True" in str(caught.value)
    assert record.read_bytes() == theirs, "the other edit was lost"
    assert others(record.parent, record.name) == []
    rt.dump(article, record, force=True)  # force overwrites, on purpose
    assert b"heat: 80" in record.read_bytes() and b"quality: 57" in record.read_bytes()


def test_a_change_of_content_is_a_conflict_even_with_the_same_size_and_time(record: Path) -> None:
    article = rt.load(record)
    article.heat = 80
    before = os.stat(record)
    theirs = SEED_BYTES.replace(b"heat: 77", b"heat: 78")
    record.write_bytes(theirs)
    os.utime(record, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(record).st_size == before.st_size
    with pytest.raises(rt.ConflictError):
        rt.dump(article, record)
    assert record.read_bytes() == theirs


# A record with a BOM, CRLF, characters of two, three and four bytes, and a body; and other
# processes' edits of it that the compare must see, wherever they fall.
WIDE = (
    (
        "\ufeff"
        + SEED_BYTES.decode().replace("How Meta", "Ça coûte 5 € 🙂 How Meta", 1)
        + "Body one.\n"
    )
    .replace("\n", "\r\n")
    .encode()
)
THEIRS = {
    "a character of the same size": WIDE.replace("€".encode(), "₤".encode()),
    "in the body": WIDE.replace(b"one", b"two"),
    "one byte more": WIDE + b"\n",
    "one byte less": WIDE[:-1],
    "the BOM gone": WIDE[3:],
}


@pytest.mark.parametrize("at_once", [None, 1, 2, 5])
@pytest.mark.parametrize("change", [None, *THEIRS])
def test_the_text_read_is_compared_with_the_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, at_once: int | None, change: str | None
) -> None:
    # The compare goes a slice of the text at a time: slices of 1, 2 and 5 characters cut
    # between the bytes of one character's encoding as often as not.
    if at_once is not None:
        monkeypatch.setattr(files, "_COMPARED_AT_ONCE", at_once)
    path = tmp_path / "wide.txt"
    path.write_bytes(WIDE)
    article = rt.load(path, strict=False)
    article.heat = 80
    if change is None:
        rt.dump(article, path)
        assert path.read_bytes() == WIDE.replace(b"heat: 77", b"heat: 80")
        return
    path.write_bytes(THEIRS[change])
    with pytest.raises(rt.ConflictError):
        rt.dump(article, path)
    assert path.read_bytes() == THEIRS[change]


def test_a_removed_file_is_a_conflict(record: Path) -> None:
    article = rt.load(record)
    record.unlink()
    with pytest.raises(rt.ConflictError) as caught:
        rt.dump(article, record)
    assert "was removed" in str(caught.value)
    assert not record.exists()


def test_dumping_again_after_a_dump_is_no_conflict(record: Path) -> None:
    article = rt.load(record)
    for heat in (80, 81, 82):
        article.heat = heat
        rt.dump(article, record)
    assert rt.load(record).heat == 82
    # A copy made before the last dump holds older text than the file: a conflict.
    stale = rt.load(record)
    article.heat = 83
    rt.dump(article, record)
    stale.quality = 1
    with pytest.raises(rt.ConflictError):
        rt.dump(stale, record)
    assert rt.load(record).heat == 83


def test_compare_and_swap_applies_to_the_file_the_record_came_from(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_bytes(SEED_BYTES)
    b.write_bytes(SEED_BYTES.replace(b"heat: 77", b"heat: 1"))
    article = rt.load(a)
    rt.dump(article, b)  # another file: written (as before), and the record now comes from b
    assert b.read_bytes() == SEED_BYTES
    b.write_bytes(SEED_BYTES.replace(b"heat: 77", b"heat: 2"))
    with pytest.raises(rt.ConflictError):
        rt.dump(article, b)
    assert b"heat: 2" in b.read_bytes()
    # Through another spelling of the same file, and from `loads` with a path, CAS holds.
    text = a.read_bytes()
    from_text = rt.loads(text, path=str(a))
    a.write_bytes(text.replace(b"heat: 77", b"heat: 5"))
    with pytest.raises(rt.ConflictError):
        rt.dump(from_text, tmp_path / "." / "a.txt")


def test_a_waiting_writer_locks_the_new_file_not_the_replaced_one(
    record: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writer 2 opens the file while writer 1 holds its lock; writer 1 replaces the inode.
    Writer 2 must not proceed on the dead inode: it locks again and sees writer 1's edit."""
    real_flock = files.fcntl.flock
    waiting = threading.Event()
    locks: dict[str, list[int]] = {"first": [], "second": []}  # inodes each writer locked

    def flock(fd: int, operation: int) -> None:
        name = threading.current_thread().name
        locks["second" if name == "second" else "first"].append(os.fstat(fd).st_ino)
        if name == "second":
            waiting.set()
        real_flock(fd, operation)

    monkeypatch.setattr(files.fcntl, "flock", flock)

    def first_change(data: bytes) -> bytes:
        thread = threading.Thread(target=second, name="second")
        thread.start()
        threads.append(thread)
        assert waiting.wait(30), "the second writer never reached the lock"
        return data.replace(b"heat: 77", b"heat: 1")

    seen: list[bytes] = []

    def second_change(data: bytes) -> bytes:
        seen.append(data)
        return data.replace(b"quality: 57", b"quality: 2")

    def second() -> None:
        files.edit_file(str(record), second_change, max_bytes=1 << 20)

    threads: list[threading.Thread] = []
    old_inode = os.stat(record).st_ino
    files.edit_file(str(record), first_change, max_bytes=1 << 20)
    threads[0].join(30)
    assert not threads[0].is_alive()
    first_new_inode = locks["first"][1]  # the first writer's new file, locked before its rename
    # The second writer locked the old file, found it replaced, and locked the new one.
    assert locks["second"][:2] == [old_inode, first_new_inode], locks
    assert seen and b"heat: 1" in seen[0], "the second writer read the replaced file"
    data = record.read_bytes()
    assert b"heat: 1" in data and b"quality: 2" in data


@pytest.mark.parametrize(
    ("where", "code"), [("fcntl.flock", errno.ENOLCK), ("os.listxattr", errno.EACCES)]
)
def test_a_file_system_failure_around_the_write_is_an_emit_error(
    record: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    where: str, code: int,
) -> None:  # fmt: skip
    """A lock the file system does not support, an attribute list it will not give: a clear
    EmitError naming the file (a FAIL line on the command line), the file untouched."""
    module, name = where.split(".")

    def fail(*args: object) -> None:
        raise OSError(code, os.strerror(code))

    article = rt.load(record)
    article.heat = 80
    monkeypatch.setattr(getattr(files, module), name, fail)
    with pytest.raises(rt.EmitError) as caught:
        rt.dump(article, record)
    assert str(caught.value) == f"{record}: cannot write the file: {os.strerror(code)}"
    assert main(["set", str(record), "heat", "80"]) == 1
    monkeypatch.undo()
    assert capsys.readouterr().err == f"FAIL {record}: cannot write the file: {os.strerror(code)}\n"
    assert record.read_bytes() == SEED_BYTES
    assert others(record.parent, record.name) == []


SET_PAIRS = 50
PAIRS_AT_ONCE = 5  # pairs on different files run side by side, to keep the test short


def _set_in_a_process(path: Path, field: str, value: int) -> tuple[int, str]:
    """`roundtrip set` in a process of its own, forked from this one: the command as the shell
    runs it, without an interpreter start and imports per command, so that 50 pairs stay quick."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)

    def child() -> None:
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            status = main(["set", str(path), field, str(value)])
        writer.send((status, out.getvalue()))

    process = context.Process(target=child)
    process.start()
    return process, reader  # type: ignore[return-value]


def _lost_edits(tmp_path: Path, pairs: range, run: Callable[[Path, str, int], Any]) -> list[Any]:
    """Run `set heat` and `set quality` at once on each pair's file; the pairs whose file lost
    one of the two edits."""
    lost = []
    for first in range(pairs.start, pairs.stop, PAIRS_AT_ONCE):
        batch = range(first, min(first + PAIRS_AT_ONCE, pairs.stop))
        running = []
        for pair in batch:
            path = tmp_path / f"pair{pair}.txt"
            path.write_bytes(SEED_BYTES)
            for field, value in (("heat", 100 + pair), ("quality", 200 + pair)):
                running.append(run(path, field, value))
        for finish in running:
            status, out = finish()
            assert status == 0, out
            assert out.startswith("updated "), out
        for pair in batch:
            article = rt.load(tmp_path / f"pair{pair}.txt")
            if (article.heat, article.quality) != (100 + pair, 200 + pair):
                lost.append((pair, article.heat, article.quality))
    assert others(tmp_path, *(f"pair{n}.txt" for n in pairs)) == []
    return lost


def test_concurrent_set_commands_on_different_fields_both_land(tmp_path: Path) -> None:
    def forked(path: Path, field: str, value: int) -> Callable[[], tuple[int, str]]:
        process, reader = _set_in_a_process(path, field, value)

        def finish() -> tuple[int, str]:
            result: tuple[int, str] = reader.recv()
            process.join(60)  # type: ignore[attr-defined]
            return result

        return finish

    lost = _lost_edits(tmp_path, range(SET_PAIRS), forked)
    assert lost == [], f"{len(lost)} of {SET_PAIRS} pairs lost an edit: {lost[:5]}"


def test_concurrent_set_commands_from_the_shell_both_land(tmp_path: Path) -> None:
    def spawned(path: Path, field: str, value: int) -> Callable[[], tuple[int, str]]:
        process = subprocess.Popen(
            [*ROUNDTRIP, "set", str(path), field, str(value)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT,
        )  # fmt: skip

        def finish() -> tuple[int, str]:
            out, _ = process.communicate(timeout=120)
            return process.returncode, out

        return finish

    lost = _lost_edits(tmp_path, range(PAIRS_AT_ONCE), spawned)
    assert lost == [], f"{len(lost)} of {PAIRS_AT_ONCE} pairs lost an edit: {lost}"


# -- 2. only regular files ------------------------------------------------------------------------


LOAD = """
import sys, roundtrip as rt
try:
    rt.load(sys.argv[1])
except rt.RoundtripError as error:
    print(error)
"""


def special(tmp_path: Path, kind: str) -> Iterator[Path]:
    """A FIFO, a socket or a character device (/dev/null's numbers) at tmp_path/kind.txt (named
    like a record, so that a directory walk takes it)."""
    path = tmp_path / f"{kind}.txt"
    if kind == "fifo":
        os.mkfifo(path)
        yield path
    elif kind == "socket":
        with socket.socket(socket.AF_UNIX) as server:
            server.bind(str(path))
            yield path
    else:
        if not IS_ROOT:
            pytest.skip("mknod needs root")
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        yield path


SPECIALS = {"fifo": "a named pipe (FIFO)", "socket": "a socket", "device": "a character device"}


@pytest.fixture(params=list(SPECIALS))
def not_regular(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Path, str]]:
    for path in special(tmp_path, request.param):
        yield path, SPECIALS[request.param]


def test_loading_a_non_regular_file_is_refused_without_blocking(
    not_regular: tuple[Path, str],
) -> None:
    path, kind = not_regular
    done = subprocess.run(
        [sys.executable, "-c", LOAD, str(path)], capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0, done.stderr
    assert (
        done.stdout
        == f"{path}: cannot read the file: it is {kind}, not a regular file; left alone\n"
    )


def test_dump_refuses_to_replace_a_non_regular_file(not_regular: tuple[Path, str]) -> None:
    path, kind = not_regular
    before = os.lstat(path)
    with pytest.raises(rt.EmitError) as caught:
        rt.dump(rt.load(SEED), path)
    assert f"it is {kind}, not a regular file" in str(caught.value)
    after = os.lstat(path)
    assert (after.st_ino, stat.S_IFMT(after.st_mode)) == (
        before.st_ino,
        stat.S_IFMT(before.st_mode),
    )
    assert others(path.parent, path.name) == []


def test_set_and_fmt_refuse_a_fifo_without_blocking(tmp_path: Path) -> None:
    for fifo in special(tmp_path, "fifo"):
        for argv in (["set", str(fifo), "heat", "1"], ["fmt", str(fifo)], ["verify", str(fifo)]):
            done = run(*argv, timeout=30)
            assert done.returncode == 1, (argv, done)
            assert "a named pipe (FIFO), not a regular file" in done.stdout + done.stderr
            assert "Traceback" not in done.stderr
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_verify_reports_a_fifo_in_a_directory_and_does_not_hang(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(SEED_BYTES)
    for fifo in special(tmp_path, "fifo"):
        for jobs in ("1", "2"):
            done = run("verify", "--jobs", jobs, str(tmp_path), timeout=30)
            assert done.returncode == 1
            assert f"ok   {tmp_path / 'a.txt'}\n" in done.stdout
            assert f"FAIL {fifo}: cannot read the file: it is a named pipe (FIFO)" in done.stdout
            assert done.stdout.endswith("1 verified, 1 failed\n")


def test_walk_follows_symlinked_directories_once_and_reports_broken_links(tmp_path: Path) -> None:
    store = tmp_path / "store"
    (store / "deep").mkdir(parents=True)
    (store / "deep" / "r.txt").write_bytes(SEED_BYTES)
    top = tmp_path / "top"
    top.mkdir()
    (top / "linked").symlink_to(store)
    (store / "deep" / "loop").symlink_to(store)  # a loop back to an ancestor
    (top / "broken.txt").symlink_to(tmp_path / "nowhere")
    (top / ".roundtrip-r.txt.tmp").write_bytes(b"half a rec")  # a killed writer's leftover
    found = list(walk([str(top)]))
    assert found == [
        (str(top / "broken.txt"), None),
        (str(top / "linked" / "deep" / "r.txt"), None),
    ]
    done = run("verify", "--jobs", "1", str(top))
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        f"FAIL {top / 'broken.txt'}: cannot read the file: No such file or directory",
        f"ok   {top / 'linked' / 'deep' / 'r.txt'}",
        "1 verified, 1 failed",
    ]


# -- as another user ---------------------------------------------------------------------------


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A directory anyone may enter (pytest's tmp_path is private to root)."""
    path = Path(tempfile.mkdtemp(prefix="roundtrip-safety-"))
    os.chmod(path, 0o755)
    try:
        yield path
    finally:
        for root, dirs, _ in os.walk(path):
            for name in dirs:
                os.chmod(os.path.join(root, name), 0o755)
        shutil.rmtree(path)


SETPRIV = shutil.which("setpriv")
as_nobody_possible = pytest.mark.skipif(
    not IS_ROOT or SETPRIV is None, reason="needs root and setpriv to run as the user nobody"
)


def as_nobody(*argv: str) -> subprocess.CompletedProcess[str]:
    """Run python with `argv` as the user nobody (no root: permissions apply)."""
    assert SETPRIV is not None
    return subprocess.run(
        [SETPRIV, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", sys.executable,
         *argv],
        capture_output=True, text=True, timeout=60, cwd=ROOT,
    )  # fmt: skip


def cli(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(list(argv))
    return code, out.getvalue()


@as_nobody_possible
def test_an_unreadable_sub_directory_fails_the_walk(shared_dir: Path) -> None:
    (shared_dir / "a.txt").write_bytes(SEED_BYTES)
    hidden = shared_dir / "hidden"
    hidden.mkdir()
    (hidden / "b.txt").write_bytes(SEED_BYTES)
    os.chmod(hidden, 0)
    for command in (["verify", "--jobs", "1"], ["verify", "--jobs", "2"], ["fmt", "--check"]):
        done = as_nobody("-m", "roundtrip", *command, str(shared_dir))
        assert done.returncode == 1, done
        assert f"FAIL {hidden}: cannot read the directory: Permission denied\n" in done.stdout


DUMP_HEAT = """
import sys, roundtrip as rt
article = rt.load(sys.argv[1])
article.heat = 80
try:
    rt.dump(article, sys.argv[1])
except rt.RoundtripError as error:
    print(type(error).__name__, error)
"""


@as_nobody_possible
def test_a_file_the_user_may_not_write_is_refused_even_in_a_writable_directory(
    shared_dir: Path,
) -> None:
    os.chmod(shared_dir, 0o777)  # nobody may rename over the file, but not write it
    path = shared_dir / "record.txt"
    path.write_bytes(SEED_BYTES)
    os.chmod(path, 0o644)

    dump = as_nobody("-c", DUMP_HEAT, str(path))
    assert dump.stdout == f"EmitError {path}: the file is read-only; not written\n", dump
    done = as_nobody("-m", "roundtrip", "set", str(path), "heat", "80")
    assert (done.returncode, done.stderr) == (
        1,
        f"FAIL {path}: the file is read-only; not written\n",
    )
    assert path.read_bytes() == SEED_BYTES
    assert os.stat(path).st_uid == 0
    assert others(shared_dir, "record.txt") == []


@as_nobody_possible
def test_a_user_who_cannot_keep_the_owner_keeps_the_group_and_is_warned(
    shared_dir: Path,
) -> None:
    os.chmod(shared_dir, 0o777)
    path = shared_dir / "record.txt"
    foreign = GOLDEN / "000_6bef1e912cfb9f3e.flow.txt"  # not in house style: fmt rewrites it
    runs = ((SEED, ["set", str(path), "heat", "80"]), (foreign, ["fmt", str(path)]))
    for source, command in runs:
        path.write_bytes(source.read_bytes())
        os.chown(path, 0, NOBODY)
        os.chmod(path, 0o664)  # the group may write
        done = as_nobody("-m", "roundtrip", *command)
        assert done.returncode == 0, done
        assert done.stderr == (
            f"warn {path}: not kept: owner 0 -> {NOBODY} (only root may give a file to another"
            " user, or to a group it is not in)\n"
        )
        status = os.stat(path)
        assert (status.st_uid, status.st_gid) == (NOBODY, NOBODY)
        assert stat.S_IMODE(status.st_mode) == 0o664
        assert path.read_bytes() != source.read_bytes()


@as_nobody_possible
def test_another_users_leftover_temporary_in_a_sticky_directory_does_not_block_writes(
    shared_dir: Path,
) -> None:
    os.chmod(shared_dir, 0o1777)  # like /tmp: only a file's owner may remove it
    path = shared_dir / "record.txt"
    path.write_bytes(SEED_BYTES)
    os.chown(path, NOBODY, NOBODY)
    leftover = shared_dir / ".roundtrip-record.txt.tmp"
    leftover.write_bytes(b"a killed root writer's half")
    done = as_nobody("-m", "roundtrip", "set", str(path), "heat", "80")
    assert done.returncode == 0, done
    assert b"heat: 80" in path.read_bytes()
    assert leftover.read_bytes() == b"a killed root writer's half"
    assert others(shared_dir, path.name, leftover.name) == []


def test_root_is_refused_a_file_no_one_may_write(record: Path) -> None:
    os.chmod(record, 0o444)
    with pytest.raises(rt.EmitError, match="read-only"):
        rt.dump(rt.load(record), record)
    assert record.read_bytes() == SEED_BYTES


# -- 3. keep what the file was ------------------------------------------------------------------


def dump_heat(path: Path) -> None:
    article = rt.load(path)
    article.heat = 80
    rt.dump(article, path)


WRITERS: dict[str, Callable[[Path], None]] = {
    "rt.dump": dump_heat,
    "roundtrip set": lambda path: cli("set", str(path), "heat", "80"),
}


@needs_root
@pytest.mark.parametrize("writer", list(WRITERS))
def test_owner_group_and_mode_are_kept(record: Path, writer: str) -> None:
    os.chown(record, 1234, 5678)
    os.chmod(record, 0o2640)  # set-group-ID: chown after chmod would clear it
    WRITERS[writer](record)
    status = os.stat(record)
    assert b"heat: 80" in record.read_bytes()
    assert (status.st_uid, status.st_gid) == (1234, 5678)
    assert stat.S_IMODE(status.st_mode) == 0o2640


@pytest.mark.parametrize("writer", list(WRITERS))
def test_extended_attributes_are_kept(record: Path, writer: str) -> None:
    try:
        os.setxattr(record, "user.origin", b"wire")
        os.setxattr(record, "user.empty", b"")
    except OSError as error:
        pytest.skip(f"this file system has no user xattrs: {error.strerror}")
    WRITERS[writer](record)
    assert b"heat: 80" in record.read_bytes()
    assert sorted(os.listxattr(record)) == ["user.empty", "user.origin"]
    assert os.getxattr(record, "user.origin") == b"wire"
    assert os.getxattr(record, "user.empty") == b""


def test_a_hard_linked_file_is_refused_and_every_name_kept(record: Path) -> None:
    other = record.parent / "other-name.txt"
    os.link(record, other)
    with pytest.raises(rt.EmitError) as caught:
        dump_heat(record)
    assert "has 2 hard links" in str(caught.value)
    code, out = cli("set", str(other), "heat", "80")
    assert code == 1 and "has 2 hard links" in out, out
    assert record.read_bytes() == other.read_bytes() == SEED_BYTES
    assert os.stat(record).st_ino == os.stat(other).st_ino
    assert others(record.parent, record.name, other.name) == []


# -- names that are not UTF-8 -------------------------------------------------------------------


def test_a_file_name_that_is_not_utf8_never_makes_verify_print_a_traceback(tmp_path: Path) -> None:
    directory = os.fsencode(tmp_path)
    with open(os.path.join(directory, b"caf\xe9.txt"), "wb") as stream:
        stream.write(SEED_BYTES)
    with open(os.path.join(directory, b"bad\xff.txt"), "wb") as stream:
        stream.write(b"no fence\n")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    human = run("verify", "--jobs", "1", str(tmp_path), env=env)
    assert "Traceback" not in human.stderr, human.stderr
    assert human.returncode == 1
    assert f"ok   {tmp_path}/caf\\udce9.txt\n" in human.stdout
    assert f"FAIL {tmp_path}/bad\\udcff.txt:1:1: missing opening fence" in human.stdout
    as_json = run("verify", "--jobs", "1", "--format", "json", str(tmp_path), env=env)
    assert "Traceback" not in as_json.stderr, as_json.stderr
    document = json.loads(as_json.stdout)
    names = {os.fsencode(entry["path"]): entry["ok"] for entry in document["files"]}
    assert names == {
        os.path.join(directory, b"bad\xff.txt"): False,
        os.path.join(directory, b"caf\xe9.txt"): True,
    }
