"""Validation alone: the compiled check against jsonschema and (when installed) jsonschema-rs.

Validates the data of every golden record (x4) with each contender, in rounds with the order
rotated, and prints the median CPU time per record. jsonschema-rs is measured twice: with its
own formats off, and with our format checks as Python callbacks (the only way it could give our
verdicts: with its own formats it rejects golden records, whose date-times use the space
separator). It is not a dependency: `pip install jsonschema-rs` to include it.

Usage:  python bench/bench_validation.py [--rounds 7]

Not part of the test run.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import benchlib as bl

import roundtrip as rt
from roundtrip.article_schema import article_validator, validation_schema
from roundtrip.formats import FORMATS

NOTES: list[str] = []


def contenders() -> list[tuple[str, Callable[[Any], object]]]:
    validator = article_validator()
    found: list[tuple[str, Callable[[Any], object]]] = [
        ("roundtrip compiled check (fastcheck.py)", validator.check),
        (
            "jsonschema 4.26, our formats and patterns (the error path)",
            lambda data: validator.validate(data, fast=False),
        ),
    ]
    try:
        import jsonschema_rs
    except ImportError:
        NOTES.append("jsonschema-rs is not installed: left out")
        return found
    schema = validation_schema()
    callbacks = {name: _callback(function) for name, function in FORMATS.items()}
    own = jsonschema_rs.Draft202012Validator(schema, validate_formats=True)
    off = jsonschema_rs.Draft202012Validator(schema, validate_formats=False)
    ours = jsonschema_rs.Draft202012Validator(schema, validate_formats=True, formats=callbacks)
    datas = [rt.to_dict(rt.load(path)) for path in bl.golden_files()]
    rejected = sum(not own.is_valid(data) for data in datas)
    NOTES.append(
        f"jsonschema-rs {importlib.metadata.version('jsonschema-rs')} with its own formats "
        f"rejects {rejected} of {len(datas)} golden records"
    )
    return [
        *found,
        ("jsonschema-rs, its formats off", off.is_valid),
        ("jsonschema-rs, our format checks as callbacks", ours.is_valid),
    ]


def _callback(function: Callable[[object], bool]) -> Callable[[object], bool]:
    return lambda value: bool(function(value))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    datas = [rt.to_dict(rt.load(path)) for path in bl.golden_files()] * 4
    runs = contenders()
    times: dict[str, list[float]] = {name: [] for name, _ in runs}
    for index in range(args.rounds):
        shift = index % len(runs)
        for name, check in runs[shift:] + runs[:shift]:
            start = time.process_time()
            for data in datas:
                check(data)
            times[name].append((time.process_time() - start) / len(datas) * 1e6)
    for name, values in times.items():
        print(f"{name:<60} {statistics.median(values):7.1f} µs/record (cpu)")
    print(*NOTES, sep="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
