"""Writes: atomic (temporary in the same directory, fsync, rename), permissions kept, and never
a record that fails validation; a failure or a kill mid-write leaves the old file whole.

`rt.dump`, `roundtrip fmt` and `roundtrip set` all write through `roundtrip.files`;
each is driven here (the commands in process, so that failures can be injected, and as
subprocesses where the exit status and output are what is tested).
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import roundtrip as rt
from roundtrip import files
from roundtrip.cli import main

from .conftest import GOLDEN, ROOT

SEED_PATH = GOLDEN / "000_6bef1e912cfb9f3e.txt"
SEED_BYTES = SEED_PATH.read_bytes()
# A record not in house style, so that `fmt` has something to write.
FOREIGN_PATH = GOLDEN / "000_6bef1e912cfb9f3e.flow.txt"
ROUNDTRIP = [sys.executable, "-m", "roundtrip"]


def others(directory: Path, *keep: str) -> list[str]:
    """Names in `directory` other than `keep`: temporaries left behind."""
    return sorted(name for name in os.listdir(directory) if name not in keep)


def mode_of(path: Path) -> int:
    return os.stat(path).st_mode & 0o7777


@pytest.fixture
def record(tmp_path: Path) -> Path:
    path = tmp_path / "record.txt"
    path.write_bytes(SEED_BYTES)
    os.chmod(path, 0o640)
    return path


def dump_heat(path: Path) -> None:
    article = rt.load(path)
    article.heat = 80
    rt.dump(article, path)


def fmt(path: Path) -> None:
    assert main(["fmt", str(path)]) == 0


def set_heat(path: Path) -> None:
    assert main(["set", str(path), "heat", "80"]) == 0


WRITERS: dict[str, tuple[Callable[[Path], None], Path]] = {
    "rt.dump": (dump_heat, SEED_PATH),
    "roundtrip fmt": (fmt, FOREIGN_PATH),
    "roundtrip set": (set_heat, SEED_PATH),
}


@pytest.fixture(params=list(WRITERS))
def writer(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[Callable[[Path], None], Path]]:
    write, source = WRITERS[request.param]
    path = tmp_path / "record.txt"
    path.write_bytes(source.read_bytes())
    yield write, path


# -- atomic -------------------------------------------------------------------------------------


def test_writes_go_through_a_synced_temporary_renamed_over_the_file(
    writer: tuple[Callable[[Path], None], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    write, path = writer
    before = path.read_bytes()
    events: list[tuple[str, ...]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    def replace(src: Any, dst: Any) -> None:
        events.append(("replace", os.fspath(src), os.fspath(dst), Path(src).read_bytes().decode()))
        real_replace(src, dst)

    monkeypatch.setattr(files.os, "fsync", fsync)
    monkeypatch.setattr(files.os, "replace", replace)
    write(path)
    after = path.read_bytes()
    assert after != before
    replaces = [event for event in events if event[0] == "replace"]
    assert len(replaces) == 1, events
    _, temporary, target, written = replaces[0]
    assert os.path.abspath(target) == str(path)
    assert os.path.dirname(temporary) == str(path.parent), "temporary not beside the file"
    assert temporary != str(path)
    assert written.encode() == after, "the temporary held something else than the result"
    synced = [index for index, event in enumerate(events) if event == ("fsync", temporary)]
    assert synced and synced[0] < events.index(replaces[0]), f"no fsync before rename: {events}"
    assert others(path.parent, path.name) == []


@pytest.mark.parametrize("mode", [0o640, 0o600, 0o604, 0o664, 0o755])
def test_permissions_survive_the_write(
    writer: tuple[Callable[[Path], None], Path], mode: int
) -> None:
    write, path = writer
    os.chmod(path, mode)
    write(path)
    assert mode_of(path) == mode, f"{mode_of(path):o} != {mode:o}"


def test_a_new_file_gets_the_umask_mode(tmp_path: Path) -> None:
    article = rt.load(SEED_PATH)
    old = os.umask(0o027)
    try:
        rt.dump(article, tmp_path / "new.txt")
    finally:
        os.umask(old)
    assert mode_of(tmp_path / "new.txt") == 0o640
    assert (tmp_path / "new.txt").read_bytes() == SEED_BYTES
    assert others(tmp_path, "new.txt") == []


def test_writing_through_a_symlink_updates_the_target_and_keeps_the_link(tmp_path: Path) -> None:
    target_dir = tmp_path / "store"
    target_dir.mkdir()
    target = target_dir / "record.txt"
    target.write_bytes(SEED_BYTES)
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    dump_heat(link)
    assert link.is_symlink(), "the symlink was replaced by a copy"
    assert b"heat: 80" in target.read_bytes()
    assert others(tmp_path, "store", "link.txt") == []
    assert others(target_dir, "record.txt") == []


# -- never an invalid record --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [("quality", "notanumber"), ("quality", 1.5), ("title", ""), ("published", "true"),
     ("secured", "abc"), ("topics", [""])],
)  # fmt: skip
def test_model_value_that_fails_validation_is_never_written(
    record: Path, field: str, value: Any
) -> None:
    stat = os.stat(record)
    article = rt.load(record)
    setattr(article, field, value)
    with pytest.raises(rt.RoundtripError) as caught:
        rt.dump(article, record)
    error = caught.value
    assert isinstance(error, rt.SchemaError)
    assert error.path == str(record)
    assert error.field is not None and error.field.startswith(field)
    assert str(error).startswith(f"{record}: {error.field}: ")
    assert record.read_bytes() == SEED_BYTES
    assert os.stat(record).st_mtime_ns == stat.st_mtime_ns
    assert others(record.parent, record.name) == []


def test_cli_set_of_an_invalid_value_leaves_the_file_as_it_was(record: Path) -> None:
    stat = os.stat(record)
    done = subprocess.run(
        [*ROUNDTRIP, "set", str(record), "quality", "notanumber"],
        capture_output=True, text=True, timeout=60, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stdout == ""
    assert re.fullmatch(
        rf"FAIL {re.escape(str(record))}:11:\d+: quality: expected an integer, got 'notanumber'\n",
        done.stderr,
    ), done.stderr
    assert "quality" in done.stderr and "notanumber" in done.stderr
    assert "Traceback" not in done.stderr
    assert record.read_bytes() == SEED_BYTES
    assert os.stat(record).st_mtime_ns == stat.st_mtime_ns
    assert others(record.parent, record.name) == []


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("published", "yes", "true or false"),
        ("publishedDateTime", "2023-02-30T00:00:00Z", "2023-02-30"),
        ("provider.name", "", "empty"),
        ("topics", "[1", "JSON"),
        ("topics", "[1]", "string"),
        ("images.0.width", "-5", "minimum"),
        ("related.7.quality", "1", "range"),
        ("nosuch", "1", "no such field"),
        ("secured", "abc", "secured"),
    ],
)
def test_cli_set_refuses_bad_values_in_process(
    record: Path, capsys: pytest.CaptureFixture[str], field: str, value: str, says: str
) -> None:
    assert main(["set", str(record), field, value]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"FAIL {record}"), err
    assert says.lower() in err.lower(), err
    assert record.read_bytes() == SEED_BYTES
    assert others(record.parent, record.name) == []


def test_fmt_and_set_leave_an_invalid_file_alone(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    data = SEED_BYTES.replace(b"quality: 57", b"quality: high")
    bad.write_bytes(data)
    assert main(["fmt", str(bad)]) == 1
    assert main(["set", str(bad), "heat", "1"]) == 1
    assert bad.read_bytes() == data
    assert others(tmp_path, "bad.txt") == []


def test_text_that_cannot_be_encoded_is_not_written(record: Path) -> None:
    article = rt.load(record)
    article.body = "lone surrogate \ud800\n"
    with pytest.raises(rt.EmitError) as caught:
        rt.dump(article, record)
    assert caught.value.path == str(record)
    assert record.read_bytes() == SEED_BYTES
    assert others(record.parent, record.name) == []


def test_writing_where_no_file_can_be_is_an_emit_error(tmp_path: Path) -> None:
    article = rt.load(SEED_PATH)
    for path in (tmp_path / "no" / "such" / "dir.txt", tmp_path):
        with pytest.raises(rt.EmitError) as caught:
            rt.dump(article, path)
        assert "cannot write" in caught.value.message
        assert caught.value.path == str(path)
    assert others(tmp_path) == []


# -- failures in the middle of a write ------------------------------------------------------------


def short_write(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make os.write write half of what it is given, then fail as a full disk does."""
    real_write = os.write
    calls = []

    def write(fd: int, data: Any) -> int:
        calls.append(fd)
        if len(calls) == 1:
            return real_write(fd, bytes(data)[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(files.os, "write", write)


def _fail(code: int) -> Callable[..., Any]:
    def fail(*args: object, **kwargs: object) -> Any:
        raise OSError(code, os.strerror(code))

    return fail


def inject(monkeypatch: pytest.MonkeyPatch, where: str) -> str:
    """Make one step of a write fail; returns the strerror the error should carry."""
    if where == "write":
        short_write(monkeypatch)
        return os.strerror(errno.ENOSPC)
    code = {"fsync": errno.EIO, "fchmod": errno.EPERM, "replace": errno.EXDEV}[where]
    monkeypatch.setattr(files.os, where, _fail(code))
    return os.strerror(code)


STEPS = ["write", "fsync", "fchmod", "replace"]


@pytest.mark.parametrize("where", STEPS)
def test_failure_mid_write_keeps_the_old_file_and_leaves_no_temporary(
    record: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    article = rt.load(record)
    article.heat = 80
    reason = inject(monkeypatch, where)
    with pytest.raises(rt.EmitError) as caught:
        rt.dump(article, record)
    monkeypatch.undo()
    error = caught.value
    assert error.path == str(record)
    assert "cannot write" in error.message and reason in error.message, error.message
    assert record.read_bytes() == SEED_BYTES
    assert mode_of(record) == 0o640
    assert others(record.parent, record.name) == []
    rt.dump(article, record)  # and the next write works
    assert b"heat: 80" in record.read_bytes()


@pytest.mark.parametrize("where", STEPS)
@pytest.mark.parametrize("command", ["set", "fmt"])
def test_failure_mid_write_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    where: str, command: str,
) -> None:  # fmt: skip
    source = SEED_PATH if command == "set" else FOREIGN_PATH
    path = tmp_path / "record.txt"
    path.write_bytes(source.read_bytes())
    reason = inject(monkeypatch, where)
    argv = ["set", str(path), "heat", "80"] if command == "set" else ["fmt", str(path)]
    assert main(argv) == 1
    monkeypatch.undo()
    captured = capsys.readouterr()
    output = captured.out + captured.err
    # (The write failure has no place in the text; `set` may still name the field's line.)
    pattern = rf"FAIL {re.escape(str(path))}(:\d+:\d+)?: cannot write the file: {reason}\n"
    assert re.fullmatch(pattern, output.splitlines(keepends=True)[0]), output
    assert path.read_bytes() == source.read_bytes()
    assert others(tmp_path, "record.txt") == []


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt, MemoryError])
def test_interrupt_mid_write_leaves_no_temporary(
    record: Path, monkeypatch: pytest.MonkeyPatch, interrupt: type[BaseException]
) -> None:
    def fsync(fd: int) -> None:
        raise interrupt()

    article = rt.load(record)
    article.heat = 80
    monkeypatch.setattr(files.os, "fsync", fsync)
    with pytest.raises(interrupt):
        rt.dump(article, record)
    monkeypatch.undo()
    assert record.read_bytes() == SEED_BYTES
    assert others(record.parent, record.name) == []


KILLED = textwrap.dedent(
    """
    import os, signal, sys
    import roundtrip as rt
    from roundtrip import files
    def die(fd):
        os.kill(os.getpid(), signal.SIGKILL)
    files.os.fsync = die
    article = rt.load(sys.argv[1])
    article.heat = 80
    rt.dump(article, sys.argv[1])
    """
)


def test_killed_mid_write_the_old_file_is_whole(record: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", KILLED, str(record)], capture_output=True, timeout=60, cwd=ROOT
    )
    assert done.returncode == -signal.SIGKILL
    assert record.read_bytes() == SEED_BYTES
    # A kill cannot clean up: what it leaves is the file's own temporary, a dotfile that
    # verify and fmt skip, and that the next write of the file removes.
    left = others(record.parent, record.name)
    assert left == [f".roundtrip-{record.name}.tmp"], left
    assert main(["verify", "--jobs", "1", str(record.parent)]) == 0
    dump_heat(record)
    assert b"heat: 80" in record.read_bytes()
    assert others(record.parent, record.name) == []


# -- concurrent writers and a reader ------------------------------------------------------------

WRITER = textwrap.dedent(
    """
    import sys, time
    import roundtrip as rt
    path, first, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    article = rt.load(path)
    deadline = time.monotonic() + seconds
    count = 0
    while time.monotonic() < deadline:
        article.heat = first + count % 50
        article.quality = first + 7
        rt.dump(article, path, force=True)  # the writers race on purpose: the last one wins
        count += 1
    print(count)
    """
)


def test_concurrent_writers_never_show_a_reader_a_partial_record(tmp_path: Path) -> None:
    path = tmp_path / "record.txt"
    path.write_bytes(SEED_BYTES)
    seed = SEED_BYTES.decode()
    expected = {SEED_BYTES}
    for first in (1000, 2000, 3000):
        for heat in range(first, first + 50):
            text = seed.replace("quality: 57", f"quality: {first + 7}", 1)
            expected.add(text.replace("heat: 77", f"heat: {heat}", 1).encode())
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(first), "2.0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for first in (1000, 2000, 3000)
    ]
    reads, seen = 0, set()
    deadline = time.monotonic() + 30
    try:
        while any(w.poll() is None for w in writers) and time.monotonic() < deadline:
            data = path.read_bytes()
            assert data in expected, f"a reader saw a record no writer wrote:\n{data[:300]!r}"
            article = rt.loads(data) if reads % 2 else rt.load(path)
            assert article.heat in range(1000, 3050) or article.heat == 77
            seen.add(data)
            reads += 1
    finally:
        for w in writers:
            if w.poll() is None:
                w.kill()
    counts = []
    for w in writers:
        out, err = w.communicate(timeout=30)
        assert w.returncode == 0, err
        counts.append(int(out))
    assert reads > 100 and min(counts) > 10, (reads, counts)
    assert len(seen) > 3, "the reader never saw the writers' records"
    assert rt.dumps(rt.load(path)).encode() == path.read_bytes()
    assert others(tmp_path, "record.txt") == []


def test_concurrent_command_line_sets_each_land_whole(tmp_path: Path) -> None:
    path = tmp_path / "record.txt"
    shutil.copy(SEED_PATH, path)
    processes = [
        subprocess.Popen(
            [*ROUNDTRIP, "set", str(path), field, value],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for field, value in [("heat", "1"), ("heat", "2"), ("quality", "3"), ("heat", "4")]
    ]
    for process in processes:
        _, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
    article = rt.load(path)  # whichever won, the file is one whole valid record
    assert rt.dumps(article).encode() == path.read_bytes()
    assert others(tmp_path, "record.txt") == []
