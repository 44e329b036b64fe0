"""The writing commands: `set`, `patch`, `apply` and `fmt`.

Each validates before writing, writes atomically, and honours `--dry-run` (write nothing; exit 1
when anything would change) and `--diff` (print what is or would be written).
"""

from __future__ import annotations

import argparse
import functools
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, TypeVar

import attrs

from .cli import missing_paths
from .errors import Problem, RoundtripError, RoundtripWarning
from .select import STDIN

if TYPE_CHECKING:
    from .cli import Reporter
    from .writes import WriteMode

T = TypeVar("T")
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
LIST_ACTIONS = ("append", "insert", "delete")


def write_mode(args: argparse.Namespace) -> WriteMode:
    from .writes import WriteMode

    return WriteMode(dry_run=args.dry_run, diff=args.diff)


def _warned(path: str, write: Callable[[], T]) -> T:
    """Run `write`, printing the RoundtripWarnings it raises (metadata a write could not keep)
    as `warn` lines on stderr, as `set` prints a record's warnings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RoundtripWarning)
        result = write()
    for problem in dict.fromkeys(
        w.message.problem for w in caught if isinstance(w.message, RoundtripWarning)
    ):
        print(f"warn {problem.describe(path)}", file=sys.stderr)
    return result


def _fail(path: str, error: RoundtripError, prefix: str = "") -> None:
    for problem in error.problems:
        print(f"FAIL {prefix}{problem.describe(error.path or path)}", file=sys.stderr)


# -- set -----------------------------------------------------------------------------------


def run_set(args: argparse.Namespace) -> int:
    from .edit import list_edit_bytes, set_bytes
    from .select import read_input
    from .writes import edit

    action = next((name for name in LIST_ACTIONS if getattr(args, name)), None)
    takes_value = action in (None, "append", "insert") and not args.unset
    if sum(map(bool, (args.unset, action))) > 1 or (args.value is None) == takes_value:
        print(
            "roundtrip set: error: give a VALUE (with --append or --insert, the new item), "
            "or one of --unset / --delete",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if args.file != STDIN and missing_paths([args.file]):
        return EXIT_USAGE
    strict, limit = not args.lenient, args.max_bytes
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", RoundtripWarning)

            def change(data: bytes) -> bytes:
                if action is None:
                    return set_bytes(data, args.file, args.field, args.value, strict=strict,
                                     max_bytes=limit)  # fmt: skip
                return list_edit_bytes(data, args.file, args.field, action, args.value,
                                       strict=strict, max_bytes=limit)  # fmt: skip

            if args.file == STDIN:  # the edited record on stdout, as `fmt -` does
                sys.stdout.buffer.write(change(read_input(STDIN, limit)))
                sys.stdout.flush()
                return EXIT_OK
            changed = edit(args.file, change, write_mode(args), sys.stdout, max_bytes=limit)
    except RoundtripError as error:
        _fail(args.file, error)
        return EXIT_FAILED
    for problem in dict.fromkeys(
        w.message.problem for w in caught if isinstance(w.message, RoundtripWarning)
    ):
        print(f"warn {problem.describe(args.file)}", file=sys.stderr)
    verb = ("would update" if args.dry_run else "updated") if changed else "unchanged"
    print(f"{verb} {args.file}: {args.field}")
    return EXIT_FAILED if args.dry_run and changed else EXIT_OK


# -- patch ---------------------------------------------------------------------------------


def run_patch(args: argparse.Namespace, files: Iterable[str]) -> int:
    from .patching import load_operations

    if args.patch == STDIN and STDIN in args.paths:
        print(
            "roundtrip patch: error: stdin cannot be both the patch and a record", file=sys.stderr
        )
        return EXIT_USAGE
    try:
        if args.patch == STDIN:
            text = sys.stdin.read()
        else:
            with open(args.patch, encoding="utf-8") as stream:
                text = stream.read()
        operations = load_operations(text, source=args.patch)
    except OSError as error:
        print(f"roundtrip: error: cannot read {args.patch}: {error.strerror}", file=sys.stderr)
        return EXIT_USAGE
    except RoundtripError as error:
        _fail(args.patch, error)
        return EXIT_USAGE
    counts = {"patched": 0, "unchanged": 0, "skipped": 0, "failed": 0}
    for path in files:
        counts[_patch_one(path, operations, args)] += 1
    verb = "would be patched" if args.dry_run else "patched"
    print(f"{counts['patched']} {verb}, {counts['unchanged']} unchanged, "
          f"{counts['skipped']} skipped, {counts['failed']} failed")  # fmt: skip
    changed_in_dry_run = args.dry_run and counts["patched"]
    return EXIT_FAILED if counts["failed"] or changed_in_dry_run else EXIT_OK


def _patch_one(path: str, operations: list[dict[str, object]], args: argparse.Namespace) -> str:
    from .active_format import current_format
    from .api import dumps
    from .patching import PatchTestFailed, patch
    from .select import read_input
    from .writes import edit

    strict = not args.lenient

    def change(before: bytes) -> bytes:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RoundtripWarning)
            record = current_format().loads(before, path=path, strict=strict,
                                            max_bytes=args.max_bytes)  # fmt: skip
            return dumps(patch(record, operations, strict=strict)).encode("utf-8")

    try:
        if path == STDIN:
            before = read_input(path, args.max_bytes)
            after = change(before)
            sys.stdout.buffer.write(after)
            sys.stdout.flush()
            return "patched" if after != before else "unchanged"
        changed = _warned(
            path, lambda: edit(path, change, write_mode(args), sys.stdout, max_bytes=args.max_bytes)
        )
    except PatchTestFailed as error:
        print(f"skipped {path}: {error.message}")
        return "skipped"
    except RoundtripError as error:
        _fail(path, error)
        return "failed"
    if changed:
        print(f"{'would patch' if args.dry_run else 'patched'} {path}")
    return "patched" if changed else "unchanged"


# -- apply ---------------------------------------------------------------------------------


def run_apply(args: argparse.Namespace) -> int:
    if args.input == STDIN:
        return _apply(args, sys.stdin)
    try:
        with open(args.input, encoding="utf-8") as stream:
            return _apply(args, stream)
    except OSError as error:
        print(f"roundtrip: error: cannot read {args.input}: {error.strerror}", file=sys.stderr)
        return EXIT_USAGE


def _apply(args: argparse.Namespace, lines: Iterable[str]) -> int:
    from .jsonl import apply_change, parse_line
    from .writes import edit

    updated = unchanged = refused = 0
    strict = not args.lenient
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RoundtripWarning)
        for number, text in enumerate(lines, start=1):
            if not text.strip():
                continue
            path = args.input
            try:
                path, record, body = parse_line(text)
                change = apply_change(path, record, body, strict=strict, max_bytes=args.max_bytes)
                mode = write_mode(args)
                write = functools.partial(edit, path, change, mode, sys.stdout)
                changed = _warned(path, functools.partial(write, max_bytes=args.max_bytes))
            except RoundtripError as error:
                refused += 1
                _fail(path, error, prefix=f"line {number}: ")
                continue
            if changed:
                updated += 1
                print(f"{'would update' if args.dry_run else 'updated'} {path}")
            else:
                unchanged += 1
    verb = "would be updated" if args.dry_run else "updated"
    print(f"{updated} {verb}, {unchanged} unchanged, {refused} refused")
    return EXIT_FAILED if refused or (args.dry_run and updated) else EXIT_OK


# -- fmt -----------------------------------------------------------------------------------


@attrs.frozen
class Formatted:
    """One file in house style: its bytes before and after, or why it could not be formatted."""

    path: str
    before: bytes = b""
    after: bytes = b""
    problems: tuple[Problem, ...] = ()


def format_one(path: str, *, strict: bool, max_bytes: int) -> Formatted:
    """Format one file's bytes (nothing written); every failure becomes a Problem."""
    from .edit import format_bytes
    from .select import read_input

    try:
        before = read_input(path, max_bytes)
        return Formatted(
            path, before, format_bytes(before, path, strict=strict, max_bytes=max_bytes)
        )
    except RoundtripError as error:
        return Formatted(path, problems=tuple(error.problems))
    except Exception as error:  # a bug of ours must not end a directory run
        return Formatted(path, problems=(Problem(f"internal error: {error!r}"),))


def _format_all(files: Iterable[str], args: argparse.Namespace) -> Iterator[Formatted]:
    work = functools.partial(format_one, strict=not args.lenient, max_bytes=args.max_bytes)
    names = list(files)  # names only: a pool is not worth starting for one file (pre-commit)
    if min(args.jobs, len(names)) <= 1:
        yield from map(work, names)
        return
    import multiprocessing

    from .active_format import FormatSource, current_format, use_source
    from .workers import can_fork

    context = multiprocessing.get_context("fork" if can_fork() else "spawn")
    source = FormatSource.of(current_format())  # a spawned process starts with the article
    with context.Pool(args.jobs, initializer=use_source, initargs=(source,)) as pool:
        yield from pool.imap(work, names, chunksize=16)


def run_fmt(args: argparse.Namespace, files: Iterable[str]) -> int:
    if STDIN in args.paths:
        if args.paths != [STDIN]:
            print("roundtrip fmt: error: `-` (stdin) must be the only path", file=sys.stderr)
            return EXIT_USAGE
        return _fmt_stdin(args)
    dry_run = args.check or args.dry_run
    mode = attrs.evolve(write_mode(args), dry_run=dry_run, diff=False)
    if args.format != "human":
        return _fmt_report(args, files, mode)
    from .writes import commit, text_diff

    changed = unchanged = failed = 0
    for item in _format_all(files, args):
        problems = item.problems
        if not problems:
            try:
                write = functools.partial(commit, item.path, item.before, item.after, mode)
                was_changed = _warned(item.path, functools.partial(write, sys.stdout))
            except RoundtripError as error:
                problems = tuple(error.problems)
        if problems:
            failed += 1
            for problem in problems:
                print(f"FAIL {problem.describe(item.path)}")
        elif was_changed:
            changed += 1
            if dry_run or not args.quiet:
                print(f"{'would reformat' if dry_run else 'reformatted'} {item.path}")
            if args.diff:
                sys.stdout.write(text_diff(item.path, item.before, item.after))
        else:
            unchanged += 1
    verb = "would be reformatted" if dry_run else "reformatted"
    print(f"{changed} {verb}, {unchanged} unchanged, {failed} failed")
    return EXIT_FAILED if failed or (dry_run and changed) else EXIT_OK


def _fmt_report(args: argparse.Namespace, files: Iterable[str], mode: WriteMode) -> int:
    """fmt's results through verify's JSON or GitHub reporter: a diff is what fmt changes."""
    from .cli import GithubReporter, JsonReporter
    from .verify import FileResult
    from .writes import commit, text_diff

    report: Reporter = (
        JsonReporter(sys.stdout) if args.format == "json" else GithubReporter(sys.stdout)
    )
    report.diff_fails = mode.dry_run
    report.diff_message = "not in house style" if mode.dry_run else "reformatted"
    for item in _format_all(files, args):
        problems, diff = item.problems, None
        if not problems and item.after != item.before:
            try:
                write = functools.partial(commit, item.path, item.before, item.after, mode)
                _warned(item.path, functools.partial(write, sys.stdout))
                diff = text_diff(item.path, item.before, item.after)
            except RoundtripError as error:
                problems = tuple(error.problems)
        report.file(FileResult(item.path, problems=problems, diff=diff))
    return report.finish()


def _fmt_stdin(args: argparse.Namespace) -> int:
    """`fmt -`: the formatted record on stdout, as black does; nothing on stdout on error."""
    item = format_one(STDIN, strict=not args.lenient, max_bytes=args.max_bytes)
    if item.problems:
        for problem in item.problems:
            print(f"FAIL {problem.describe(STDIN)}", file=sys.stderr)
        return EXIT_FAILED
    if args.diff:
        from .writes import text_diff

        sys.stdout.write(text_diff(STDIN, item.before, item.after))
    elif not (args.check or args.dry_run):
        sys.stdout.buffer.write(item.after)
        sys.stdout.flush()
    changed = item.after != item.before
    return EXIT_FAILED if (args.check or args.dry_run) and changed else EXIT_OK
