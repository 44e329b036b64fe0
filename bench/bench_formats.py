"""Verify per record against libyaml's event parse, for every format in the tests (issue 9).

For the article (golden/) and each format in tests/formats/ (its golden/ records): B is
libyaml's event parse of each record's front matter, C is `verify_bytes` of the record's bytes
under its format (parse, validate, build the record, write it back and compare), in rounds
that alternate the two; the ratio is the median over rounds of C / B within a round (CPU time).

Usage:  python bench/bench_formats.py [--rounds 9] [--repeat 20]

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
    args = parser.parse_args()
    print("\n".join(bl.machine_header()))
    print()
    print(f"{'format':10s} {'records':>7s} {'B events':>12s} {'C verify':>12s} {'C / B':>7s}")
    for name, (fmt, paths) in formats().items():
        b_us, c_us, ratio, count = measure(fmt, paths, args.rounds, args.repeat)
        print(f"{name:10s} {count:7d} {b_us:9.1f} µs {c_us:9.1f} µs {ratio:6.2f}x")
    print("\ntarget: C / B <= 2.5x for every format")


if __name__ == "__main__":
    main()
