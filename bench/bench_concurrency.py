"""Lost updates under concurrency: pairs of `roundtrip set` processes on one file at once.

Each pair starts two real `roundtrip set` processes on a fresh copy of a seed, one setting
`heat`, the other `quality`, and counts the pairs where both edits are in the file afterwards
(both processes must also exit 0). Not part of the test run (tests/test_safety.py runs 50 pairs).

    python bench/bench_concurrency.py                  # 200 pairs with this checkout
    python bench/bench_concurrency.py --against /work/main   # and the same with another checkout
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "golden" / "000_6bef1e912cfb9f3e.txt"
ROUNDTRIP = [sys.executable, "-m", "roundtrip"]


def run_pairs(checkout: Path, pairs: int, at_once: int) -> tuple[int, int, float]:
    """(pairs with both edits kept, processes that failed, seconds) for `checkout`'s code."""
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    kept = failed = 0
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bench-concurrency-") as scratch:
        for first in range(0, pairs, at_once):
            batch = range(first, min(first + at_once, pairs))
            running = []
            for pair in batch:
                path = Path(scratch) / f"pair{pair}.txt"
                path.write_bytes(SEED.read_bytes())
                for field, value in (("heat", 1000 + pair), ("quality", 2000 + pair)):
                    command = [*ROUNDTRIP, "set", str(path), field, str(value)]
                    running.append(
                        subprocess.Popen(
                            command,
                            cwd=checkout,
                            env=env,
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL,
                        )
                    )
            for process in running:
                failed += process.wait(timeout=300) != 0
            for pair in batch:
                text = (Path(scratch) / f"pair{pair}.txt").read_text(encoding="utf-8")
                kept += f"\nheat: {1000 + pair}\n" in text and f"\nquality: {2000 + pair}\n" in text
    return kept, failed, time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--at-once", type=int, default=1, help="pairs (on different files) at once")
    parser.add_argument("--against", type=Path, help="another checkout to run the same pairs with")
    args = parser.parse_args()
    checkouts = [("this checkout", ROOT)]
    if args.against is not None:
        checkouts.append((str(args.against), args.against.resolve()))
    print(f"{args.pairs} pairs of concurrent `roundtrip set` (heat, quality) on one file each")
    for name, checkout in checkouts:
        kept, failed, seconds = run_pairs(checkout, args.pairs, args.at_once)
        print(
            f"{name:30} both edits kept: {kept}/{args.pairs}  lost: {args.pairs - kept}"
            f"  failed processes: {failed}  ({seconds:.1f} s)"
        )


if __name__ == "__main__":
    main()
