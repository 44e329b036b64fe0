"""`verify --jobs` on one machine: forked helpers give the local run's results, in order."""

from __future__ import annotations

import multiprocessing
import os
import signal
from pathlib import Path
from typing import Any

import pytest

from roundtrip import verify, workers
from roundtrip.verify import FileResult, Options, verify_paths

from .test_scale import write_corpus


def plain(results: Any) -> list[tuple[Any, ...]]:
    return [(r.path, r.problems, r.warnings, r.diff) for r in results]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("local-corpus")
    write_corpus(directory, 700)
    return directory


def test_helpers_give_the_serial_results_in_order(corpus: Path) -> None:
    serial = plain(verify_paths([str(corpus)], Options(), jobs=1))
    assert len(serial) == 700 and sum(bool(r[1]) for r in serial) == 19
    for jobs in (2, 3):
        assert plain(verify_paths([str(corpus)], Options(), jobs=jobs)) == serial
    lenient = Options(strict=False)
    assert plain(verify_paths([str(corpus)], lenient, 2)) == plain(
        verify_paths([str(corpus)], lenient, 1)
    )
    assert any(r.warnings for r in verify_paths([str(corpus)], lenient, 2))


def test_stopping_early_leaves_no_helper_behind(corpus: Path) -> None:
    results = verify_paths([str(corpus)], Options(), jobs=3)
    first = [next(results) for _ in range(40)]
    assert all(isinstance(r, FileResult) for r in first)
    results.close()
    assert multiprocessing.active_children() == []


def test_default_jobs_forks_nothing_for_a_small_run(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_fork(*_: Any) -> Any:
        raise AssertionError("forked for a small run")

    monkeypatch.setattr(workers, "verify_forked", no_fork)
    small = [str(corpus / "part00" / name) for name in sorted(os.listdir(corpus / "part00"))]
    few = small[: verify.SMALL_RUN - 1]
    assert len(plain(verify_paths(few, Options()))) == len(few)
    monkeypatch.setattr(verify, "default_jobs", lambda: 2)
    with pytest.raises(AssertionError, match="forked"):
        list(verify_paths(small[: verify.SMALL_RUN], Options()))


def test_default_jobs_leaves_busy_cores_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1, 2, 3})
    for load, expected in ((0.1, 4), (1.2, 4), (2.6, 2), (3.9, 1), (12.0, 1)):
        monkeypatch.setattr(os, "getloadavg", lambda load=load: (load, load, load))
        assert verify.default_jobs() == expected
    # Two cores, the caller's own last run in the average: both cores; another session busy
    # on top of it: one.
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1})
    for load, expected in ((1.06, 2), (2.0, 1), (5.0, 1)):
        monkeypatch.setattr(os, "getloadavg", lambda load=load: (load, load, load))
        assert verify.default_jobs() == expected


def test_a_killed_helper_loses_and_repeats_nothing(corpus: Path) -> None:
    serial = plain(verify_paths([str(corpus)], Options(), jobs=1))
    results = verify_paths([str(corpus)], Options(), jobs=3)
    received = plain([next(results)])  # the helpers are running now
    victim = multiprocessing.active_children()[0]
    os.kill(victim.pid or 0, signal.SIGKILL)
    received += plain(results)
    assert received == serial
    assert multiprocessing.active_children() == []
