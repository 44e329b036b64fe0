"""Verify per record against libyaml's event parse, for every format in the tests (issue 9).

For the article (golden/) and each format in tests/formats/ (its golden/ records): B is
libyaml's event parse of each record's front matter, C is `verify_bytes` of the record's bytes
under its format (parse, validate, build the record, write it back and compare), in rounds
that alternate the two; the ratio is the median over rounds of C / B within a round (CPU time).

Usage:  python bench/bench_formats.py [--rounds 9] [--repeat 20] [--save FILE]

Not part of the test run.
"""

from __future__ import annotations

import argparse
import pathlib
import statistics
import time

import benchlib as bl

import roundtrip as rt
from roundtrip.active_format import FormatSource
from roundtrip.verify import Options, verify_bytes

FORMATS = bl.ROOT / "tests" / "formats"


def formats() -> dict[str, tuple[rt.Format, list[pathlib.Path]]]:
    """Each format and its golden records."""
    found = {"article": (rt.ARTICLE, bl.golden_files())}
    for schema in sorted(FORMATS.glob("*/schema.json")):
        fmt = rt.Format.from_schema(schema)
        found[schema.parent.name] = (fmt, sorted((schema.parent / "golden").iterdir()))
    return found


def cpu(function: object, repeat: int) -> float:
    start = time.process_time()
    for _ in range(repeat):
        function()  # type: ignore[operator]
    return time.process_time() - start


def measure(
    fmt: rt.Format, paths: list[pathlib.Path], rounds: int, repeat: int
) -> tuple[float, float, float, int]:
    """(B µs, C µs a record, median C / B, records) for one format's records."""
    records = [(str(path), path.read_bytes()) for path in paths]
    texts = [bl.front_matter(data.decode("utf-8")) for _, data in records]
    options = Options(format=FormatSource.of(fmt))
    for path, data in records:  # every record verifies cleanly under its format
        result = verify_bytes(path, data, options)
        assert result.ok and result.diff is None, (path, result.problems)

    def parse() -> None:
        bl.libyaml_events(texts)

    def verify() -> None:
        for path, data in records:
            verify_bytes(path, data, options)

    ratios, parses, verifies = [], [], []
    for round_number in range(rounds):
        pair = (parse, verify) if round_number % 2 == 0 else (verify, parse)
        seconds = {id(f): cpu(f, repeat) for f in pair}
        ratios.append(seconds[id(verify)] / seconds[id(parse)])
        parses.append(seconds[id(parse)])
        verifies.append(seconds[id(verify)])
    per = len(records) * repeat
    return (statistics.median(parses) / per * 1e6, statistics.median(verifies) / per * 1e6,
            statistics.median(ratios), len(records))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--repeat", type=int, default=20, help="passes over the records a round")
    parser.add_argument("--save", type=pathlib.Path, help="also write the table to this file")
    args = parser.parse_args()
    lines = [*bl.machine_header()]
    load = bl.load_average()
    others = bl.OtherLoad()
    rows = [f"{'format':10s} {'records':>7s} {'B events':>12s} {'C verify':>12s} {'C / B':>7s}"]
    worst = 0.0
    for name, (fmt, paths) in formats().items():
        b_us, c_us, ratio, count = measure(fmt, paths, args.rounds, args.repeat)
        rows.append(f"{name:10s} {count:7d} {b_us:9.1f} µs {c_us:9.1f} µs {ratio:6.2f}x")
        worst = max(worst, ratio)
    busy = others.cores()
    if load is not None:
        during = f"; other processes kept {busy:.2f} cores busy during it" if busy else ""
        lines.append(f"load:     {load:.2f} (1-min average) before the run{during}")
    verdict = "PASS" if worst <= 2.5 else "FAIL"
    text = "\n".join([*lines, "", *rows, "", f"target: C / B <= 2.5x for every format: {verdict}"])
    print(text)
    if args.save:
        args.save.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
