"""Benchmark the verify cache: a second `roundtrip verify` of an unchanged corpus (issue 10).

Builds a corpus of 10,000 distinct records (golden/ cycled, each file's `heat` made unique so
that no two contents share a hash), then in each round runs, alternating their order:

  cold    `roundtrip verify --quiet DIR` with an empty cache directory (it fills the cache)
  warm    the same command again, the cache now holding every file
  nocache `roundtrip verify --quiet --no-cache DIR` (the baseline: verify as before the cache)

each as a real subprocess (default --jobs: all cores), and prints medians and the ratios
cold/warm and nocache/warm. Target: warm at least 10x faster than cold.

Usage:  python bench/bench_cache.py [--files 10000] [--rounds 3]
Not part of the test run.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import re
import statistics
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from benchlib import golden_files, machine_header, roundtrip_command, run_command

HEAT = re.compile(rb"(heat['\"]?:\s*)(?:-1|77|0x4D)\b")


def build_distinct_corpus(directory: pathlib.Path, count: int) -> None:
    """`count` records cycling through golden/, each with its own `heat` (distinct contents)."""
    directory.mkdir(parents=True, exist_ok=True)
    sources = [(p.name, p.read_bytes()) for p in golden_files()]
    for index in range(count):
        name, data = sources[index % len(sources)]
        unique, replaced = HEAT.subn(rb"\g<1>" + str(index).encode(), data, count=1)
        if not replaced:
            raise RuntimeError(f"no heat line in {name}")
        (directory / f"{index:05d}-{name}").write_bytes(unique)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    command = roundtrip_command()
    times: dict[str, list[float]] = {"cold": [], "warm": [], "nocache": []}
    with tempfile.TemporaryDirectory(prefix="roundtrip-bench-cache-") as scratch:
        corpus = pathlib.Path(scratch) / "corpus"
        build_distinct_corpus(corpus, args.files)
        for round_number in range(args.rounds):
            cache = pathlib.Path(scratch) / f"cache-{round_number}"
            env = dict(os.environ, ROUNDTRIP_CACHE_DIR=str(cache))
            verify = [*command, "verify", "--quiet", str(corpus)]
            argv = {
                "cold": verify,
                "warm": verify,
                "nocache": [*verify[:-1], "--no-cache", str(corpus)],
            }
            # cold must precede warm within a round; nocache moves around them.
            order = [
                ["nocache", "cold", "warm"],
                ["cold", "nocache", "warm"],
                ["cold", "warm", "nocache"],
            ]
            for name in order[round_number % 3]:
                result = run_command(argv[name], env=env)
                expected = f"{args.files} verified, 0 failed"
                if result.returncode != 0 or expected not in result.stdout:
                    raise RuntimeError(f"{name}: {result.stdout[-500:]}")
                times[name].append(result.seconds)
    print("\n".join(machine_header()))
    print(f"corpus:   {args.files:,} distinct records (golden/ cycled, heat made unique)")
    print(f"rounds:   {args.rounds}, alternating order; wall seconds, median (all runs)")
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, values in times.items():
        print(f"  {name:8} {medians[name]:7.3f} s   ({', '.join(f'{v:.3f}' for v in values)})")
    ratio = medians["cold"] / medians["warm"]
    print(f"cold / warm    = {ratio:5.1f}x   (target >= 10x: {'PASS' if ratio >= 10 else 'FAIL'})")
    print(f"nocache / warm = {medians['nocache'] / medians['warm']:5.1f}x")


if __name__ == "__main__":
    main()
