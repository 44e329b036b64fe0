"""Benchmark `roundtrip verify` past one process: --jobs, and Dask (issue 12).

Measures, each contender alternated with the others over several rounds (medians):

  jobs     `roundtrip verify -q --jobs 1` / `--jobs 2` / default `--jobs` on 1,000 and 10,000
           files: the local speed-up, and whether the default is ever slower than --jobs 1
  scale    `--jobs 1`, `--jobs 2`, `--scheduler local:1`, `--scheduler local:2` on the big corpus
           (100,000 files by default): files per second, and the client's peak RSS (the
           command's own process, sampled every 10 ms; Dask's workers are other processes)
  costs    per-file work (in-process verify_bytes on bytes in memory), per-task overhead of
           Dask (tasks that do nothing, sent and fetched the way verify sends batches) and the
           batch size that keeps overhead under 5% of the work; then the cost model for
           10 million records on N workers

Usage:  .venv/bin/python bench/bench_scale.py                  # ~15 minutes on a quiet machine
        .venv/bin/python bench/bench_scale.py --quick          # 10,000-file big corpus, 2 rounds
        ... --only jobs|scale|costs     one part;  --save FILE   also write the report there

Not part of the test run. Needs `pip install -e '.[dask]'` (psutil comes with distributed).
"""

from __future__ import annotations

import argparse
import logging
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from typing import Any

import benchlib as bl
import psutil

MIB = 1024 * 1024


class Measured:
    """One contender's wall times, peak client RSS and exit status over the rounds."""

    def __init__(self, label: str, argv: list[str], files: int) -> None:
        self.label = label
        self.argv = argv
        self.files = files
        self.wall: list[float] = []
        self.rss: list[int] = []

    @property
    def median(self) -> float:
        return statistics.median(self.wall)


def run_sampled(argv: Sequence[str]) -> tuple[float, int, str]:
    """Run the command: wall seconds, peak RSS of its own process (bytes), last output line."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        process = psutil.Process(child.pid)
        while not stop.is_set():
            try:
                peak = max(peak, process.memory_info().rss)
            except psutil.Error:
                return
            stop.wait(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = child.communicate()
    seconds = time.perf_counter() - start
    stop.set()
    sampler.join()
    last = out.strip().splitlines()[-1] if out.strip() else "(no output)"
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {child.returncode}: {out[-800:]}")
    return seconds, peak, last


def alternate(contenders: list[Measured], rounds: int) -> None:
    """Run every contender once per round, the starting one rotating from round to round."""
    for round_number in range(rounds):
        shift = round_number % len(contenders)
        for contender in contenders[shift:] + contenders[:shift]:
            seconds, peak, last = run_sampled(contender.argv)
            expected = f"{contender.files} verified, 0 failed"
            if last != expected:
                raise RuntimeError(f"{contender.label}: {last!r}, expected {expected!r}")
            contender.wall.append(seconds)
            contender.rss.append(peak)
        load = os.getloadavg()[0]
        print(f"  round {round_number + 1}/{rounds} done, load {load:.1f}", flush=True)


def verify_argv(directory: pathlib.Path, *options: str) -> list[str]:
    return [*bl.roundtrip_command(), "verify", "-q", "--no-cache", *options, str(directory)]


# -- parts ----------------------------------------------------------------------------------


def bench_jobs(root: pathlib.Path, rounds: int, report: list[str]) -> None:
    report.append("--jobs on this machine (wall medians; ratio = median over rounds of the ratio)")
    report.append(f"{'files':>8} {'--jobs 1':>10} {'--jobs 2':>10} {'default':>10} "
                  f"{'2 vs 1':>8} {'default vs 1':>13} {'target':>8}")  # fmt: skip
    for count, target in ((1, None), (100, None), (1_000, 1.5), (10_000, 1.8)):
        directory = root / f"jobs-{count}"
        bl.build_corpus(directory, count)
        one = Measured("--jobs 1", verify_argv(directory, "--jobs", "1"), count)
        two = Measured("--jobs 2", verify_argv(directory, "--jobs", "2"), count)
        default = Measured("default", verify_argv(directory), count)
        print(f"jobs: {count} files", flush=True)
        alternate([one, two, default], rounds if count < 10_000 else max(3, rounds // 2))
        speedup = statistics.median(a / b for a, b in zip(one.wall, two.wall, strict=True))
        default_ratio = statistics.median(
            a / b for a, b in zip(one.wall, default.wall, strict=True)
        )
        verdict = "" if target is None else ("PASS" if speedup >= target else "FAIL")
        goal = "" if target is None else f">= {target}x"
        report.append(
            f"{count:>8,} {one.median:>9.3f}s {two.median:>9.3f}s {default.median:>9.3f}s "
            f"{speedup:>7.2f}x {default_ratio:>12.2f}x {goal:>8} {verdict}"
        )


def bench_scale(root: pathlib.Path, count: int, rounds: int, report: list[str]) -> None:
    directory = root / "big"
    print(f"scale: writing {count:,} files", flush=True)
    bl.build_corpus(directory, count)
    contenders = [
        Measured("--jobs 1", verify_argv(directory, "--jobs", "1"), count),
        Measured("--jobs 2", verify_argv(directory, "--jobs", "2"), count),
        Measured("--scheduler local:1", verify_argv(directory, "--scheduler", "local:1"), count),
        Measured("--scheduler local:2", verify_argv(directory, "--scheduler", "local:2"), count),
    ]
    alternate(contenders, rounds)
    report.append(f"{count:,} files (wall medians of {rounds} alternated rounds; client = the "
                  "command's own process)")  # fmt: skip
    report.append(f"{'contender':<22} {'wall':>9} {'files/s':>9} {'vs --jobs 1':>12} "
                  f"{'client peak RSS':>16}")  # fmt: skip
    base = contenders[0]
    for contender in contenders:
        ratio = statistics.median(a / b for a, b in zip(base.wall, contender.wall, strict=True))
        report.append(
            f"{contender.label:<22} {contender.median:>8.2f}s {count / contender.median:>9,.0f} "
            f"{ratio:>11.2f}x {max(contender.rss) / MIB:>12.1f} MiB"
        )


def bench_costs(rounds: int, report: list[str]) -> dict[str, float]:
    """Per-file work and per-task overhead, measured here; the batch size they call for."""
    from roundtrip.verify import Options, verify_bytes, warm_up

    warm_up()
    records = [p.read_bytes() for p in bl.golden_files()]
    works = []
    for _ in range(max(3, rounds)):
        start = time.perf_counter()
        for _ in range(4):
            for data in records:
                verify_bytes("x", data, Options())
        works.append((time.perf_counter() - start) / (4 * len(records)))
    work = statistics.median(works)
    overhead = dask_task_overhead(rounds)
    batch = overhead / (0.05 * work)
    report.append("costs, measured here")
    report.append(f"  per-file work (verify_bytes, golden/ mix, in memory){work * 1e3:7.3f} ms")
    report.append(f"  per-task overhead, Dask local:2 (empty batches)     {overhead * 1e3:7.3f} ms")
    report.append(f"  batch size for overhead < 5% of work: > {overhead:.4f} / (0.05 x {work:.5f})"
                  f" = {batch:.0f} files; roundtrip uses 256")  # fmt: skip
    return {"work": work, "overhead": overhead}


def _empty_batch(names: str, options: Any, base: str) -> bytes:
    import pickle

    return pickle.dumps({}, protocol=pickle.HIGHEST_PROTOCOL)


def dask_task_overhead(rounds: int) -> float:
    """Seconds per task for tasks that do nothing, submitted and collected as verify does:
    a window of 6 in flight, results fetched as they complete, 256 names per task."""
    from distributed import Client, LocalCluster, as_completed

    from roundtrip.verify import Options

    names = "\0".join(f"corpus/{n:06d}-000_6bef1e912cfb9f3e.txt" for n in range(256))
    samples = []
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                     dashboard_address=":0", silence_logs=logging.CRITICAL) as cluster,
        Client(cluster) as client,
    ):  # fmt: skip
        for _ in range(max(3, rounds)):
            tasks = 600
            start = time.perf_counter()
            completed = as_completed(with_results=True)
            submitted = 0
            for _ in range(6):
                completed.add(client.submit(_empty_batch, names, Options(), "/", pure=False))
                submitted += 1
            for _ in completed:
                if submitted < tasks:
                    completed.add(client.submit(_empty_batch, names, Options(), "/", pure=False))
                    submitted += 1
            samples.append((time.perf_counter() - start) / tasks)
    return statistics.median(samples)


def cost_model(costs: dict[str, float], report: list[str]) -> None:
    """10 million records on N workers, from the measured costs and stated assumptions."""
    work, overhead = costs["work"], costs["overhead"]
    records, batch = 10_000_000, 256
    latency, listing_rate = 0.020, 10_000  # object store GET, LIST: stated assumptions
    report.append("")
    report.append("cost model: 10,000,000 records, batches of 256, one thread per worker")
    report.append(f"  assumptions: object-store GET {latency * 1e3:.0f} ms (read {batch} files "
                  f"in a batch 16 at a time), listing {listing_rate:,} names/s (LIST pages of "
                  "1,000), scheduler ~1 ms per task (Dask's own figure)")  # fmt: skip
    tasks = records / batch
    listing = records / listing_rate
    per_file_read = latency / 16
    report.append(f"{'N':>6} {'compute':>10} {'reads':>10} {'overhead':>10} {'listing':>9} "
                  f"{'total':>9}")  # fmt: skip
    for workers in (1, 2, 8, 32, 128, 512):
        compute = records * work / workers
        reads = records * per_file_read / workers
        task_overhead = max(tasks * overhead / workers, tasks * 0.001)
        total = max(listing, compute + reads + task_overhead)
        report.append(f"{workers:>6} {compute:>9.0f}s {reads:>9.0f}s {task_overhead:>9.0f}s "
                      f"{listing:>8.0f}s {total:>8.0f}s")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", choices=("jobs", "scale", "costs"))
    parser.add_argument("--files", type=int, help="size of the big corpus (default 100,000)")
    parser.add_argument("--rounds", type=int)
    parser.add_argument("--save", metavar="FILE")
    args = parser.parse_args()
    rounds = args.rounds or (2 if args.quick else 5)
    count = args.files or (10_000 if args.quick else 100_000)
    report = [*bl.machine_header(), f"load:     {os.getloadavg()} at start", ""]
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as temporary:
        root = pathlib.Path(temporary)
        if args.only in (None, "costs"):
            costs = bench_costs(rounds, report)
            cost_model(costs, report)
            report.append("")
        if args.only in (None, "jobs"):
            bench_jobs(root, rounds, report)
            report.append("")
        if args.only in (None, "scale"):
            bench_scale(root, count, max(2, rounds // 2), report)
    report.append(f"load:     {os.getloadavg()} at end")
    text = "\n".join(report) + "\n"
    print(text)
    if args.save:
        pathlib.Path(args.save).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
    main()
