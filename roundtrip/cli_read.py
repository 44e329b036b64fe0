"""The reading commands: `get` (one record's data as JSON) and `export` (JSON Lines)."""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, TextIO

from .errors import RoundtripError, RoundtripWarning

if TYPE_CHECKING:
    from .jsonl import Exported, ExportOptions

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def run_get(args: argparse.Namespace) -> int:
    from .active_format import current_format
    from .query import get
    from .select import read_input

    try:
        data = read_input(args.file, args.max_bytes)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RoundtripWarning)
            record = current_format().loads(
                data, path=args.file, strict=not args.lenient, max_bytes=args.max_bytes
            )
        value = get(record, args.field or "")
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
    from .jsonl import ExportOptions, export

    options = ExportOptions(
        body=not args.no_body, strict=not args.lenient, max_bytes=args.max_bytes
    )
    if args.scheduler is not None:
        return _export_on_cluster(args, files, options)
    return _write_to(args.output, export(files, options))


def _export_on_cluster(
    args: argparse.Namespace, files: Iterable[str], options: ExportOptions
) -> int:
    from .distributed import connect, export_on_cluster
    from .select import STDIN

    if STDIN in args.paths:
        print("roundtrip: error: --scheduler reads files on the workers; "
              "standard input (`-`) cannot go there", file=sys.stderr)  # fmt: skip
        return EXIT_USAGE
    try:
        with connect(args.scheduler) as client:
            exported = _cluster_failures(export_on_cluster(client, files, options))
            return _write_to(args.output, exported)
    except RoundtripError as error:
        print(f"roundtrip: error: {error.message}", file=sys.stderr)
        return EXIT_USAGE
    except _ClusterFailed as failed:  # a worker lost too often, the scheduler gone...
        print(f"roundtrip: error: the Dask cluster failed: {failed.cause!r}", file=sys.stderr)
        return EXIT_FAILED


class _ClusterFailed(Exception):
    """The cluster's own failure, kept apart from the output file's OSErrors (Dask's
    connection errors are OSErrors too)."""

    def __init__(self, cause: Exception) -> None:
        super().__init__(cause)
        self.cause = cause


def _cluster_failures(exported: Iterator[Exported]) -> Iterator[Exported]:
    try:
        yield from exported
    except RoundtripError:
        raise
    except Exception as error:
        raise _ClusterFailed(error) from error


def _write_to(output: str | None, exported: Iterable[Exported]) -> int:
    """The lines on stdout or in `output`, failures on stderr; the exit status."""
    if output is None:
        return _write(exported, sys.stdout)
    try:
        with open(output, "w", encoding="utf-8", newline="\n") as out:
            return _write(exported, out)
    except OSError as error:
        print(f"roundtrip: error: cannot write {output}: {error.strerror}", file=sys.stderr)
        return EXIT_FAILED


def _write(exported: Iterable[Exported], out: TextIO) -> int:
    failed = 0
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
