"""Cost of hostile records: many unknown keys (issue 11, item 5), measured in child processes.

Not part of the test run. Each measurement is one child process: `rt.loads` of one record
(lenient: unknown keys are kept and the first ones warned about; strict: refused with the
first ones placed), reporting its wall time and peak RSS; a start-up child (import + one
seed) is the baseline.
Runs alternate between sizes, and the median of `--rounds` is reported, with the ratios:

- linear cost: time(4n keys) / time(n keys), which a quadratic look-up would put near 16;
- memory: (peak RSS - start-up RSS) / file size, target < 10.

The 1M-key record is also verified (`verify --lenient`: `verify_bytes`, as one job does),
and read leniently and written back unedited (`lenient+dumps`, the text compared whole), with
one field edited (`lenient+edit`), and edited as `roundtrip set --lenient FILE heat 5` edits it
(`lenient+set`: `edit.set_bytes`, the file's bytes in and the new bytes out), and loaded
from a file, edited and written back to it (`lenient+dump`: `rt.load`, `rt.dump`).

    python bench/bench_hostile.py            # 5k / 20k keys x 5 rounds, and the 1M-key record
    python bench/bench_hostile.py --quick    # 3 rounds, 1M keys once
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchlib import MIB, SEED, machine_header

CHILD = """
import json, sys, time, warnings
import roundtrip as rt
import roundtrip.api
rt.loads(open(sys.argv[2], "rb").read())
warnings.simplefilter("ignore")
data = open(sys.argv[1], "rb").read() if sys.argv[1] != "-" else None
start = time.perf_counter()
error = None
mode = sys.argv[3]
if data is not None:
    try:
        if mode == "verify --lenient":  # in this process (--jobs 1)
            from roundtrip.verify import Options, verify_bytes
            result = verify_bytes("record", data, Options(strict=False))
            assert result.ok and result.diff is None, result.problems
        elif mode == "lenient+dump":  # rt.load, one edit, rt.dump back to the file
            import shutil
            shutil.copy(sys.argv[1], sys.argv[1] + ".copy")
            del data
            record = rt.load(sys.argv[1] + ".copy", strict=False)
            record.heat = 5
            rt.dump(record, sys.argv[1] + ".copy")
        elif mode != "lenient+set":
            record = rt.loads(data, strict=mode == "strict")
        if mode == "lenient+dumps":  # the text back, compared with the file's
            assert rt.dumps(record) == data.decode("utf-8")
        elif mode == "lenient+edit":
            record.heat = 5
            assert "heat: 5" in rt.dumps(record)
        elif mode == "lenient+set":  # what `roundtrip set --lenient FILE heat 5` does
            from roundtrip.edit import set_bytes
            assert b"heat: 5" in set_bytes(data, "record", "heat", "5", strict=False)
    except rt.RoundtripError as caught:
        error = type(caught).__name__
seconds = time.perf_counter() - start
# VmHWM: this process's own peak (ru_maxrss can carry the parent's across fork and exec).
status = open("/proc/self/status").read()
peak = int(status.split("VmHWM:")[1].split()[0]) * 1024
print(json.dumps({"seconds": seconds, "peak": peak, "error": error}))
"""


def record_with_unknown_keys(count: int) -> bytes:
    """The seed with `count` unknown top-level keys after `heat:`."""
    seed = SEED.read_text(encoding="utf-8")
    keys = "".join(f"k{i}: 1\n" for i in range(count))
    return seed.replace("heat: 77\n", "heat: 77\n" + keys, 1).encode("utf-8")


def measure(path: str, mode: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, path, str(SEED), mode],
        capture_output=True, text=True, check=True, timeout=600,
    )  # fmt: skip
    result: dict[str, float] = json.loads(done.stdout.splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--million-rounds", type=int, default=None)
    options = parser.parse_args()
    rounds = options.rounds or (3 if options.quick else 5)
    million_rounds = options.million_rounds or (1 if options.quick else 3)
    print("\n".join(machine_header()))
    with tempfile.TemporaryDirectory() as directory:
        files = {}
        for count in (5_000, 20_000, 1_000_000):
            path = Path(directory) / f"keys-{count}.txt"
            path.write_bytes(record_with_unknown_keys(count))
            files[count] = str(path)
        for mode in ("strict", "lenient"):
            times: dict[int, list[float]] = {5_000: [], 20_000: []}
            for _ in range(rounds):  # alternate the sizes within each round
                for count in times:
                    times[count].append(measure(files[count], mode)["seconds"])
            ratios = [big / small for small, big in zip(times[5_000], times[20_000], strict=True)]
            print(
                f"{mode:16} 5,000 keys {statistics.median(times[5_000]):.3f} s, 20,000 keys "
                f"{statistics.median(times[20_000]):.3f} s: ratio {statistics.median(ratios):.2f}"
                " (linear 4, quadratic 16)"
            )
        size = Path(files[1_000_000]).stat().st_size
        for mode in ("lenient", "strict", "verify --lenient", "lenient+dumps", "lenient+edit",
                     "lenient+set", "lenient+dump"):  # fmt: skip
            startups, peaks, seconds = [], [], []
            for _ in range(million_rounds):
                startups.append(measure("-", mode)["peak"])
                result = measure(files[1_000_000], mode)
                peaks.append(result["peak"])
                seconds.append(result["seconds"])
            startup, peak = statistics.median(startups), statistics.median(peaks)
            print(
                f"{mode:16} 1,000,000 keys, {size / MIB:.1f} MiB ({result['error'] or 'loaded'}):"
                f" {statistics.median(seconds):.1f} s, peak RSS {peak / MIB:.0f} MiB,"
                f" start-up {startup / MIB:.0f} MiB, (peak - start-up) / size"
                f" {(peak - startup) / size:.1f}x (target < 10x)"
            )


if __name__ == "__main__":
    main()
