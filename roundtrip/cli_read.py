"""The reading commands: `get` (one record's data as JSON) and `export` (JSON Lines)."""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from collections.abc import Iterable
from typing import TextIO

from .errors import RoundtripError, RoundtripWarning

EXIT_OK, EXIT_FAILED = 0, 1


def run_get(args: argparse.Namespace) -> int:
    from .api import loads
    from .query import get
    from .select import read_input

    try:
        data = read_input(args.file, args.max_bytes)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RoundtripWarning)
            article = loads(data, path=args.file, strict=not args.lenient, max_bytes=args.max_bytes)
        value = get(article, args.field or "")
    except RoundtripError as error:
        for problem in error.problems:
            print(f"FAIL {problem.describe(args.file)}", file=sys.stderr)
        return EXIT_FAILED
    if args.raw and isinstance(value, str):
        sys.stdout.write(value + "\n")
    else:
        sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")
    return EXIT_OK


def run_export(args: argparse.Namespace, files: Iterable[str]) -> int:
    if args.output is None:
        return _export(args, files, sys.stdout)
    try:
        with open(args.output, "w", encoding="utf-8", newline="\n") as out:
            return _export(args, files, out)
    except OSError as error:
        print(f"roundtrip: error: cannot write {args.output}: {error.strerror}", file=sys.stderr)
        return EXIT_FAILED


def _export(args: argparse.Namespace, files: Iterable[str], out: TextIO) -> int:
    from .jsonl import export

    failed = 0
    exported = export(
        files, body=not args.no_body, strict=not args.lenient, max_bytes=args.max_bytes
    )
    for item in exported:
        if item.line is not None:
            out.write(item.line + "\n")
            continue
        failed += 1
        for problem in item.problems:
            print(f"FAIL {problem.describe(item.path)}", file=sys.stderr)
    if failed:
        print(f"roundtrip export: {failed} record(s) failed and were left out", file=sys.stderr)
    return EXIT_FAILED if failed else EXIT_OK
