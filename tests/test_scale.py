"""Verify past one machine: fsspec URLs, a real Dask LocalCluster of processes, a lost worker.

The corpus is generated from golden/ (every style of both seeds) with some records broken on
purpose; the cluster's results must equal the local run's, file by file and in order.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from roundtrip.cli import main
from roundtrip.distributed import IN_FLIGHT_PER_THREAD, export_on_cluster, verify_on_cluster
from roundtrip.errors import Problem
from roundtrip.jsonl import ExportOptions, export
from roundtrip.select import Selection, select_files
from roundtrip.verify import FileResult, Options, check_links, verify_paths

from .conftest import GOLDEN, ROOT

distributed = pytest.importorskip("distributed")
fsspec = pytest.importorskip("fsspec")

TEMPLATES = sorted((p.name, p.read_bytes()) for p in GOLDEN.glob("*.txt"))
CORPUS_SIZE = 5_000  # 20 batches of 256: many windows of batches in flight on two workers
TIMEOUT = 240  # seconds for any one cluster run: a broken cluster fails the test, never hangs


def _broken(number: int, data: bytes) -> bytes:
    """One of several kinds of broken record, chosen by `number`."""
    kind = number % 4
    if kind == 0:  # no closing fence
        return data.replace(b"\n---", b"\n--x", 1)
    if kind == 1:  # a key the schema does not know
        first, _, rest = data.partition(b"\n")
        return first + b"\nbogus: 1\n" + rest
    if kind == 2:  # not UTF-8
        first, _, rest = data.partition(b"\n")
        return first + b"\ntitle2: \xff\n" + rest
    wrong = data.replace(b"quality: 57", b"quality: high").replace(b"quality: 22", b"quality: x")
    return wrong if wrong != data else _broken(0, data)


def write_corpus(directory: Path, count: int) -> None:
    """`count` records cycling through golden/, in subdirectories, every 37th one broken."""
    for number in range(count):
        name, data = TEMPLATES[number % len(TEMPLATES)]
        folder = directory / f"part{number // 2500:02d}"
        if number % 2500 == 0:
            folder.mkdir(parents=True)
        if number % 37 == 0:
            data = _broken(number // 37, data)
        (folder / f"{number:05d}-{name}").write_bytes(data)
    (directory / ".hidden.txt").write_bytes(b"not a record")  # skipped by every listing


def comparable(result: FileResult, prefix: str = "") -> tuple[Any, ...]:
    """A result as plain data, its name relative to `prefix` (to compare different roots)."""
    name = result.path.removeprefix(prefix)
    diff = result.diff.replace(result.path, name) if result.diff else None
    return name, result.problems, result.warnings, diff


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("corpus")
    write_corpus(directory, CORPUS_SIZE)
    return directory


@pytest.fixture(scope="module")
def local_results(corpus: Path) -> list[tuple[Any, ...]]:
    """The reference: the local run, in this process."""
    return [comparable(r) for r in verify_paths([str(corpus)], Options(), jobs=1)]


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """A real LocalCluster: two worker processes behind nannies (which restart a lost one)."""
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            silence_logs=50,
        ) as cluster,
        distributed.Client(cluster, timeout="60s") as client,
    ):
        yield client


def test_corpus_has_every_kind_of_result(local_results: list[tuple[Any, ...]]) -> None:
    assert len(local_results) == CORPUS_SIZE
    failed = [r for r in local_results if r[1] or r[3]]
    assert [int(r[0].rsplit("/", 1)[1][:5]) for r in failed] == list(range(0, CORPUS_SIZE, 37))
    messages = " ".join(f"{p.field}: {p.message}" for r in failed for p in r[1])
    for expected in ("closing fence", "bogus: unknown field", "not UTF-8", "expected an integer"):
        assert expected in messages


def test_cluster_results_equal_the_local_run(
    client: Any, corpus: Path, local_results: list[tuple[Any, ...]]
) -> None:
    results = verify_on_cluster(client, [str(corpus)], Options(), timeout=TIMEOUT)
    assert [comparable(r) for r in results] == local_results


def test_a_lost_worker_loses_and_repeats_nothing(
    client: Any, corpus: Path, local_results: list[tuple[Any, ...]]
) -> None:
    pids = client.run(os.getpid)
    victim_pid = sorted(pids.items())[0][1]
    parts = [str(corpus / "part00"), str(corpus / "part01")]  # the first 5,000 files
    stream = verify_on_cluster(client, parts, Options(), batch_size=32, timeout=TIMEOUT)
    received = [comparable(next(stream)) for _ in range(300)]
    # Batches are in flight on both workers now (at most a few ahead of what was received).
    os.kill(victim_pid, signal.SIGKILL)
    received += [comparable(r) for r in stream]
    assert received == local_results[:5000]
    client.wait_for_workers(2, timeout=TIMEOUT)
    assert victim_pid not in client.run(os.getpid).values()  # the worker really died


def test_cli_on_a_cluster_prints_what_a_local_run_prints(
    client: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_corpus(tmp_path, 400)
    part = str(tmp_path)
    address = client.scheduler.address
    for output in ("human", "json", "github"):
        local_code = main(["verify", "--jobs", "1", "--format", output, part])
        local_out = capsys.readouterr().out
        cluster_code = main(["verify", "--scheduler", address, "--format", output, part])
        cluster_out = capsys.readouterr().out
        assert (cluster_code, cluster_out) == (local_code, local_out)
        assert local_code == 1
        assert "FAIL" in local_out or "::error" in local_out or '"ok": false' in local_out


def _export_outputs(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["export", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    "options", [(), ("--no-body",), ("--include", "*.txt", "--exclude", "*aligned*")]
)
def test_export_on_a_cluster_writes_what_a_local_export_writes(
    client: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], options: tuple[str, ...]
) -> None:
    write_corpus(tmp_path, 400)
    (tmp_path / "part00" / "README.md").write_text("not a record\n", encoding="utf-8")
    local = _export_outputs(capsys, *options, str(tmp_path))
    on_cluster = _export_outputs(capsys, "--scheduler", client.scheduler.address, *options,
                                 str(tmp_path))  # fmt: skip
    assert on_cluster == local
    code, out, err = local
    lines = [json.loads(line) for line in out.splitlines()]
    failed = [line.split(":", 1)[0] for line in err.splitlines() if line.startswith("FAIL ")]
    # Judged against the files themselves: the selection, in listing order, each record once.
    selected = [
        path
        for path in sorted(tmp_path.glob("part*/*.txt"))
        if "--exclude" not in options or "aligned" not in path.name
    ]
    broken = {path for path in selected if int(path.name[:5]) % 37 == 0}
    assert [line["path"] for line in lines] == [str(p) for p in selected if p not in broken]
    assert failed == [f"FAIL {p}" for p in selected if p in broken]
    assert code == 1 and 0 < len(broken) < len(selected)
    assert all(("body" in line) == ("--no-body" not in options) for line in lines)
    assert err.endswith(f"roundtrip export: {len(broken)} record(s) failed and were left out\n")


def test_export_on_a_cluster_writes_the_same_file_with_output(
    client: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_corpus(tmp_path / "corpus", 300)
    monkeypatch.chdir(tmp_path)  # relative paths: the workers read them from this directory
    local = _export_outputs(capsys, "-o", "local.jsonl", "corpus")
    address = client.scheduler.address
    on_cluster = _export_outputs(capsys, "--scheduler", address, "-o", "cluster.jsonl", "corpus")
    assert on_cluster == local
    assert local[0] == 1 and local[1] == ""
    written = (tmp_path / "cluster.jsonl").read_bytes()
    assert written == (tmp_path / "local.jsonl").read_bytes()
    assert len(written.splitlines()) == 300 - len(range(0, 300, 37))
    assert json.loads(written.splitlines()[0])["path"] == "corpus/part00/00001-" + TEMPLATES[1][0]


def test_export_on_a_cluster_streams_a_bounded_window_in_order(client: Any, tmp_path: Path) -> None:
    write_corpus(tmp_path, 400)
    options = ExportOptions(body=False)
    local = list(export(select_files([str(tmp_path)], Selection()), options))
    before = set(client.futures)
    stream = export_on_cluster(client, [str(tmp_path)], options, batch_size=4, timeout=TIMEOUT)
    received = [next(stream)]
    in_flight = set(client.futures) - before
    window = IN_FLIGHT_PER_THREAD * sum(client.nthreads().values())
    assert 0 < len(in_flight) <= window < 100  # 100 batches; only a window of them submitted
    received += stream
    assert received == local
    assert sum(item.line is None for item in local) == len(range(0, 400, 37))


def test_export_on_a_cluster_refuses_standard_input(
    client: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _export_outputs(capsys, "--scheduler", client.scheduler.address, "-")
    assert (code, out) == (2, "")
    assert "standard input (`-`) cannot go there" in err


def test_export_names_a_cluster_failure_not_the_output_file(
    client: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Dask's connection errors are OSErrors; with -o they must not read as a write failure."""
    from roundtrip import distributed as cluster_module
    from roundtrip.jsonl import Exported

    def failing(*_args: Any, **_kwargs: Any) -> Iterator[Exported]:
        yield Exported("a.txt", "{}")
        raise ConnectionError("scheduler gone")

    monkeypatch.setattr(cluster_module, "export_on_cluster", failing)
    out = tmp_path / "out.jsonl"
    code, _, err = _export_outputs(
        capsys, "--scheduler", client.scheduler.address, "-o", str(out), str(GOLDEN)
    )
    assert code == 1
    assert err == "roundtrip: error: the Dask cluster failed: ConnectionError('scheduler gone')\n"
    assert (
        main(["export", "--scheduler", client.scheduler.address, "-o", str(tmp_path), str(GOLDEN)])
        == 1
    )
    assert f"cannot write {tmp_path}: Is a directory" in capsys.readouterr().err


def test_cli_starts_a_local_cluster(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_corpus(tmp_path, 60)
    assert main(["verify", "--scheduler", "local:1", "-q", str(tmp_path)]) == 1
    cluster_out = capsys.readouterr().out
    assert main(["verify", "--jobs", "1", "-q", str(tmp_path)]) == 1
    assert cluster_out == capsys.readouterr().out
    assert cluster_out.endswith("\n58 verified, 2 failed\n")


def write_linked_corpus(directory: Path) -> None:
    """Eight groups of every golden record, each group with its own two webUrls; some
    qualities changed so that related entries disagree with the records they link to."""
    directory.mkdir(exist_ok=True)
    for group in range(8):
        for number, (name, data) in enumerate(TEMPLATES):
            data = data.replace(b"1081974", b"1081974%d" % group)
            data = data.replace(b"1082022", b"1082022%d" % group)
            if (number + group) % 7 == 0:
                data = data.replace(b"quality: 57", b"quality: 58")
            (directory / f"{group}-{name}").write_bytes(data)


def test_links_on_the_cluster_equal_links_locally(
    client: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_linked_corpus(tmp_path)
    local = [comparable(r) for r in _local_links(tmp_path)]
    assert sum("disagrees with" in p.message for r in local for p in r[1]) > 20
    assert any("more)" in p.message for r in local for p in r[1])
    cluster = verify_on_cluster(client, [str(tmp_path)], Options(), links=True, timeout=TIMEOUT)
    assert [comparable(r) for r in cluster] == local
    small_batches = verify_on_cluster(
        client, [str(tmp_path)], Options(), links=True, batch_size=7, timeout=TIMEOUT
    )
    assert [comparable(r) for r in small_batches] == local
    address = client.scheduler.address
    assert main(["verify", "--links", "--jobs", "1", str(tmp_path)]) == 1
    local_out = capsys.readouterr().out
    assert main(["verify", "--links", "--scheduler", address, str(tmp_path)]) == 1
    assert capsys.readouterr().out == local_out


def _local_links(directory: Path) -> list[FileResult]:
    import attrs

    results = list(verify_paths([str(directory)], Options(keep_records=True), jobs=1))
    found = check_links(results)
    return [attrs.evolve(r, problems=r.problems + tuple(found.get(r.path, ()))) for r in results]


# -- fsspec ---------------------------------------------------------------------------------


def test_memory_file_system_equals_local(tmp_path: Path) -> None:
    write_corpus(tmp_path, 300)
    memory = fsspec.filesystem("memory")
    for path in tmp_path.rglob("*"):
        if path.is_file():
            memory.pipe(f"/scale-test/{path.relative_to(tmp_path)}", path.read_bytes())
    try:
        local = [comparable(r, f"{tmp_path}/") for r in verify_paths([str(tmp_path)], Options(), 1)]
        url = "memory://scale-test/"
        remote = [comparable(r, url) for r in verify_paths([url], Options(), 1)]
        assert remote == local
        assert len(local) == 300
        assert remote[1][0] == "part00/00001-" + TEMPLATES[1][0]
    finally:
        memory.rm("/scale-test", recursive=True)


def test_export_and_get_read_urls_and_select_records_as_locally(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_corpus(tmp_path, 4)
    (tmp_path / "part00" / "README.md").write_text("not a record\n", encoding="utf-8")
    memory = fsspec.filesystem("memory")
    for path in tmp_path.rglob("*"):
        if path.is_file():
            memory.pipe(f"/export-test/{path.relative_to(tmp_path)}", path.read_bytes())
    try:
        # Record 0 is broken: reported on stderr, exit 1, the other three exported.
        assert main(["export", "--no-body", str(tmp_path)]) == 1
        local = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        assert main(["export", "--no-body", "memory://export-test/"]) == 1
        remote = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        assert len(local) == 3  # the README is not a record, here or there
        assert [r["record"] for r in remote] == [r["record"] for r in local]
        assert [r["path"].removeprefix("memory://export-test/") for r in remote] == [
            os.path.relpath(r["path"], tmp_path) for r in local
        ]
        first = remote[0]["path"]
        assert main(["get", first, "heat"]) == 0
        assert json.loads(capsys.readouterr().out) == remote[0]["record"]["heat"]
    finally:
        memory.rm("/export-test", recursive=True)


def test_local_directory_through_fsspec_on_the_cluster(client: Any, tmp_path: Path) -> None:
    write_corpus(tmp_path, 300)
    local = [comparable(r, f"{tmp_path}/") for r in verify_paths([str(tmp_path)], Options(), 1)]
    url = f"file://{tmp_path}/"
    here = [comparable(r, url) for r in verify_paths([url], Options(), 1)]
    on_cluster = verify_on_cluster(client, [url], Options(), timeout=TIMEOUT)
    there = [comparable(r, url) for r in on_cluster]
    assert here == local
    assert there == local


def test_urls_are_read_with_the_size_limit_and_globs(tmp_path: Path) -> None:
    write_corpus(tmp_path, 3)
    url = f"file://{tmp_path}/part00/*.txt"
    results = list(verify_paths([url], Options(max_bytes=2000), 1))
    assert [r.path.rsplit("/", 1)[1][:5] for r in results] == ["00000", "00001", "00002"]
    assert all("over the limit of 2000" in r.problems[0].message for r in results)
    missing = list(verify_paths([f"file://{tmp_path}/part00/nothing.txt"], Options(), 1))
    assert "cannot read the file" in missing[0].problems[0].message


def test_cli_url_errors_are_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "memory://no-such-place/"]) == 2
    assert "no such file or directory: memory://no-such-place/" in capsys.readouterr().err
    assert main(["verify", "nosuchprotocol://x/"]) == 2
    assert "cannot open nosuchprotocol://x/" in capsys.readouterr().err


# -- without the extras ---------------------------------------------------------------------

RUN_CLI = "import sys\nfrom roundtrip.cli import main\nsys.exit(main(sys.argv[1:]))\n"
BLOCK_EXTRAS = (
    "import sys\n"
    "for name in ('dask', 'distributed', 'fsspec'):\n"
    "    sys.modules[name] = None  # import fails, as when the extra is not installed\n"
) + RUN_CLI


def _run(*argv: str, code: str = BLOCK_EXTRAS) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, *argv],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=TIMEOUT,
        check=False,
    )


def test_local_paths_without_the_extras_behave_as_before(tmp_path: Path) -> None:
    write_corpus(tmp_path, 300)
    with_extras = _run("verify", "--format", "json", str(tmp_path), code=RUN_CLI)
    without = _run("verify", "--format", "json", str(tmp_path))
    assert (without.returncode, without.stdout) == (with_extras.returncode, with_extras.stdout)
    assert without.returncode == 1 and without.stderr == ""
    assert json.loads(without.stdout)["summary"]["files"] == 300
    url = _run("verify", f"file://{tmp_path}")
    assert url.returncode == 2
    assert "needs fsspec: pip install 'roundtrip[fsspec]'" in url.stderr
    cluster = _run("verify", "--scheduler", "local:1", str(tmp_path))
    assert cluster.returncode == 2
    assert "needs Dask: pip install 'roundtrip[dask]'" in cluster.stderr


def test_importing_roundtrip_imports_neither_dask_nor_fsspec(tmp_path: Path) -> None:
    write_corpus(tmp_path, 3)
    probe = (
        "import sys, roundtrip, roundtrip.cli, roundtrip.verify, roundtrip.sources\n"
        "roundtrip.cli.main(['verify', '-q', sys.argv[1]])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed',"
        " 'fsspec')))\n"
    )
    run = _run(str(tmp_path), code=probe)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == "[]"
    assert "2 verified, 1 failed" in run.stdout


def test_bad_scheduler_specs_are_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "--scheduler", "local:0", str(GOLDEN)]) == 2
    assert "expected local or local:N, N >= 1" in capsys.readouterr().err


def test_writing_commands_refuse_urls(capsys: pytest.CaptureFixture[str]) -> None:
    memory = fsspec.filesystem("memory")
    memory.pipe("/writes/a.txt", TEMPLATES[0][1])
    try:
        for argv in (["fmt", "memory://writes/"], ["set", "memory://writes/a.txt", "heat", "8"]):
            assert main(argv) == 2
            assert "writing commands take local paths only" in capsys.readouterr().err
        assert memory.cat_file("/writes/a.txt") == TEMPLATES[0][1]
    finally:
        memory.rm("/writes", recursive=True)


def test_places_the_walk_cannot_read_fail_alike_everywhere(
    client: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unreadable directory (the walk's Found with a problem; root reads every directory,
    so the walk's answer is stood in for here) is a failed result in every kind of run."""
    from roundtrip import sources
    from roundtrip.walk import Found

    write_corpus(tmp_path, 300)
    listed = list(sources.list_files([str(tmp_path)]))
    unreadable = Found(str(tmp_path / "locked"), "cannot read the directory: Permission denied")
    monkeypatch.setattr(
        sources, "list_files", lambda _: iter([*listed[:100], unreadable, *listed[100:]])
    )
    serial = [comparable(r) for r in verify_paths([str(tmp_path)], Options(), 1)]
    assert serial[100] == (unreadable.path, (Problem(unreadable.problem or ""),), (), None)
    assert [comparable(r) for r in verify_paths([str(tmp_path)], Options(), 2)] == serial
    on_cluster = verify_on_cluster(client, [str(tmp_path)], Options(), timeout=TIMEOUT)
    assert [comparable(r) for r in on_cluster] == serial


def test_apply_refuses_a_url_line_and_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = tmp_path / "in.jsonl"
    lines.write_text('{"path": "memory://x/a.txt", "record": {}}\n', encoding="utf-8")
    assert main(["apply", str(lines)]) == 1
    assert "line 1: memory://x/a.txt: path: writing commands take local paths only" in (
        capsys.readouterr().err
    )
