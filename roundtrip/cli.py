"""The `roundtrip` command line: verify, fmt, set and schema export.

Only argparse loads up front; each command imports the engine when it runs, so `--help` is fast.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from . import __version__
from .errors import Problem, RoundtripError, RoundtripWarning

if TYPE_CHECKING:
    from .verify import FileResult, Options

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
DEFAULT_MAX_BYTES = 32 * 1024 * 1024

VERIFY_EXAMPLES = """\
examples:
  roundtrip verify golden/                 every record under golden/, all cores
  roundtrip verify --jobs 1 a.txt b.txt    two files, one process
  roundtrip verify --links articles/       also check related entries against their records
  roundtrip verify --format github .       annotations for a GitHub Actions log
  roundtrip verify --format json . | jq '.summary'
  roundtrip verify s3://bucket/articles/    any fsspec URL (needs roundtrip[fsspec] and s3fs)
  roundtrip verify --scheduler local:2 .   on a local Dask cluster of two processes
  roundtrip verify --scheduler tcp://scheduler:8786 s3://bucket/articles/
"""
FMT_EXAMPLES = """\
examples:
  roundtrip fmt articles/           rewrite every record in house style (data never changes)
  roundtrip fmt --check articles/   list records not in house style; exit 1 if any
"""
SET_EXAMPLES = """\
examples:
  roundtrip set a.txt heat 80                      only the `heat:` line changes
  roundtrip set a.txt related.0.quality 17
  roundtrip set a.txt provider.name "MIT Technology Review"
  roundtrip set a.txt topics '["AI", "Policy"]'     arrays and objects as JSON
  roundtrip set a.txt ampWebUrl --unset            remove an optional field
"""
SCHEMA_EXAMPLES = """\
examples:
  roundtrip schema export                          the JSON Schema on stdout
  roundtrip schema export --lang typescript -o article.d.ts
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="roundtrip",
        description="Read, validate, edit and write YAML front matter article records "
        "without changing a byte you did not ask to change.",
        epilog="Run `roundtrip COMMAND --help` for each command's options and examples.",
    )
    parser.add_argument("--version", action="version", version=f"roundtrip {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    raw = argparse.RawDescriptionHelpFormatter

    verify = commands.add_parser(
        "verify", help="check that records parse, validate and round-trip byte for byte",
        description="Parse each file, validate it against the schema, build the typed model, "
        "write it back from the model and compare the bytes.",
        epilog=VERIFY_EXAMPLES, formatter_class=raw,
    )  # fmt: skip
    verify.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="files or directories (recursive, dotfiles skipped)",
    )
    verify.add_argument("--jobs", "-j", type=_positive, default=None, metavar="N",
                        help="processes (default: idle cores; one below 100 files)")  # fmt: skip
    verify.add_argument("--scheduler", metavar="ADDRESS",
                        help="run on a Dask cluster: its scheduler's address, or local[:N] for a "
                        "new local cluster of N processes (needs roundtrip[dask])")  # fmt: skip
    verify.add_argument("--format", choices=("human", "json", "github"), default="human",
                        help="output format (default: human)")  # fmt: skip
    verify.add_argument(
        "--quiet", "-q", action="store_true", help="print only failures and the summary"
    )
    verify.add_argument("--links", action="store_true",
                        help="check related entries against the records they link to")  # fmt: skip
    _add_input_options(verify)

    fmt = commands.add_parser(
        "fmt", help="rewrite records in the canonical house style",
        description="Rewrite records in house style. The data and body are compared before "
        "writing; writes are atomic.", epilog=FMT_EXAMPLES, formatter_class=raw,
    )  # fmt: skip
    fmt.add_argument("paths", nargs="+", metavar="PATH", help="files or directories")
    fmt.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if any file would change"
    )
    _add_input_options(fmt)

    set_ = commands.add_parser(
        "set", help="set one field in place with the smallest diff",
        description="Set FIELD (a dotted path of YAML keys and list indexes) to VALUE, read as "
        "the schema's type for that field. An invalid value leaves the file as it was.",
        epilog=SET_EXAMPLES, formatter_class=raw,
    )  # fmt: skip
    set_.add_argument("file", metavar="FILE")
    set_.add_argument("field", metavar="FIELD")
    set_.add_argument("value", metavar="VALUE", nargs="?")
    set_.add_argument(
        "--unset", action="store_true", help="remove the field (optional fields only)"
    )
    _add_input_options(set_)

    schema = commands.add_parser(
        "schema", help="the article schema", description="The article schema."
    )
    schema_commands = schema.add_subparsers(
        dest="schema_command", metavar="SUBCOMMAND", required=True
    )
    export = schema_commands.add_parser(
        "export", help="print the schema as JSON Schema or TypeScript declarations",
        description="Export the schema for other languages, generated from the JSON Schema.",
        epilog=SCHEMA_EXAMPLES, formatter_class=raw,
    )  # fmt: skip
    export.add_argument("--lang", choices=("jsonschema", "typescript"), default="jsonschema")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    return parser


def _add_input_options(parser: argparse.ArgumentParser) -> None:
    lenient_help = "keep unknown keys (reported as warnings) instead of failing"
    parser.add_argument("--lenient", action="store_true", help=lenient_help)
    size_help = f"refuse files larger than N bytes (default: {DEFAULT_MAX_BYTES})"
    parser.add_argument(
        "--max-bytes", type=_positive, default=DEFAULT_MAX_BYTES, metavar="N", help=size_help
    )


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    _escape_unencodable_output()
    try:
        if args.command == "verify":
            return run_verify(args)
        if args.command == "fmt":
            return run_fmt(args)
        if args.command == "set":
            return run_set(args)
        return run_schema_export(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_FAILED


def _escape_unencodable_output() -> None:
    """Print file names that are not valid UTF-8 (str holds their bytes as lone surrogates,
    PEP 383) as escapes instead of failing: `\\udcff` (JSON reads it back as that character)."""
    for stream in (sys.stdout, sys.stderr):
        if getattr(stream, "errors", None) == "strict" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def _missing_paths(paths: Sequence[str], exists: Callable[[str], bool] | None = None) -> bool:
    """Report paths that do not exist; without `exists`, a writing command's: local only."""
    if exists is None:
        from .sources import is_url

        urls = [path for path in paths if is_url(path)]
        for url in urls:
            print(f"roundtrip: error: writing commands take local paths only: {url}",
                  file=sys.stderr)  # fmt: skip
        if urls:
            return True
        exists = os.path.exists
    missing = [path for path in paths if not exists(path)]
    for path in missing:
        print(f"roundtrip: error: no such file or directory: {path}", file=sys.stderr)
    return bool(missing)


# -- verify --------------------------------------------------------------------------------


def run_verify(args: argparse.Namespace) -> int:
    from .sources import exists
    from .verify import Options, check_links, verify_paths

    try:
        if _missing_paths(args.paths, exists):
            return EXIT_USAGE
    except RoundtripError as error:
        print(f"roundtrip: error: {error.message}", file=sys.stderr)
        return EXIT_USAGE
    options = Options(strict=not args.lenient, max_bytes=args.max_bytes, keep_records=args.links)
    report = _reporter(args)
    if args.scheduler is not None:
        return _verify_on_cluster(args, options, report)
    results: list[FileResult] = []
    with _progress(report, args.paths) as (paths, advance):
        for result in verify_paths(paths, options, args.jobs):
            advance()
            if args.links:
                results.append(result)
            else:
                report.file(result)
    if args.links:
        link_problems = check_links(results)
        for result in results:
            extra = tuple(link_problems.get(result.path, ()))
            report.file(_with_problems(result, extra) if extra else result)
    return report.finish()


def _verify_on_cluster(args: argparse.Namespace, options: Options, report: Reporter) -> int:
    from .distributed import connect, verify_on_cluster

    try:
        with connect(args.scheduler) as client:
            for result in verify_on_cluster(client, args.paths, options, links=args.links):
                report.file(result)
    except RoundtripError as error:
        print(f"roundtrip: error: {error.message}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as error:  # the cluster's own failures: a worker lost too often...
        print(f"roundtrip: error: the Dask cluster failed: {error!r}", file=sys.stderr)
        return EXIT_FAILED
    return report.finish()


@contextlib.contextmanager
def _progress(
    report: Reporter, paths: list[str]
) -> Iterator[tuple[Iterable[str], Callable[[], None]]]:
    """A progress bar under the output, on a terminal only (it needs the file count first)."""
    if report.console is None:
        yield paths, lambda: None
        return
    from rich.progress import Progress

    from .sources import list_files

    files = [found.path for found in list_files(paths)]
    with Progress(console=report.console, transient=True) as progress:
        task = progress.add_task("verifying", total=len(files))
        yield files, lambda: progress.advance(task)


def _with_problems(result: FileResult, extra: tuple[Problem, ...]) -> FileResult:
    import attrs

    return attrs.evolve(result, problems=result.problems + extra)


class Reporter:
    """Human output: one line per file, diffs, a summary; colour only on a terminal."""

    def __init__(self, out: TextIO, quiet: bool) -> None:
        self.out = out
        self.quiet = quiet
        self.verified = 0
        self.failed = 0
        self.console: Any = None
        if out.isatty() and "NO_COLOR" not in os.environ:
            from rich.console import Console

            self.console = Console(
                file=out,
                highlight=False,
                soft_wrap=True,
                force_terminal=True,
                color_system="standard",
            )

    def line(self, text: str, style: str | None = None) -> None:
        if self.console is not None:
            from rich.text import Text

            self.console.print(Text(text, style=style or ""))
        else:
            self.out.write(text + "\n")

    def file(self, result: FileResult) -> None:
        if result.ok:
            self.verified += 1
            if not self.quiet:
                self.line(f"ok   {result.path}", "green")
        else:
            self.failed += 1
            for problem in result.problems:
                self.line(f"FAIL {problem.describe(result.path)}", "bold red")
            if result.diff is not None:
                if not result.problems:
                    self.line(
                        f"FAIL {result.path}: emitting from the model changed the bytes", "bold red"
                    )
                for diff_line in result.diff.splitlines():
                    style = (
                        "red"
                        if diff_line.startswith("-")
                        else "green"
                        if diff_line.startswith("+")
                        else None
                    )
                    self.line(diff_line, style)
        if not self.quiet or not result.ok:
            for warning in result.warnings:
                self.line(f"warn {warning.describe(result.path)}", "yellow")

    def finish(self) -> int:
        self.line(f"{self.verified} verified, {self.failed} failed", "bold")
        return EXIT_FAILED if self.failed else EXIT_OK


class JsonReporter(Reporter):
    """One JSON document with every file's result and a summary."""

    def __init__(self, out: TextIO) -> None:
        super().__init__(out, quiet=True)
        self.console = None
        self.files: list[dict[str, Any]] = []

    def file(self, result: FileResult) -> None:
        self.verified += result.ok
        self.failed += not result.ok
        self.files.append({
            "path": result.path,
            "ok": result.ok,
            "errors": [_problem_json(problem) for problem in result.problems],
            "warnings": [_problem_json(problem) for problem in result.warnings],
            "diff": result.diff,
        })  # fmt: skip

    def finish(self) -> int:
        summary = {
            "files": self.verified + self.failed,
            "verified": self.verified,
            "failed": self.failed,
        }
        json.dump({"files": self.files, "summary": summary}, self.out, indent=2, ensure_ascii=False)
        self.out.write("\n")
        return EXIT_FAILED if self.failed else EXIT_OK


class GithubReporter(Reporter):
    """GitHub workflow commands: `::error file=…,line=…,col=…::message` per problem."""

    def __init__(self, out: TextIO) -> None:
        super().__init__(out, quiet=True)
        self.console = None

    def file(self, result: FileResult) -> None:
        self.verified += result.ok
        self.failed += not result.ok
        for problem in result.problems:
            self._annotate("error", result.path, problem)
        if result.diff is not None and not result.problems:
            self._annotate(
                "error", result.path, Problem("emitting from the model changed the bytes")
            )
        for problem in result.warnings:
            self._annotate("warning", result.path, problem)

    def _annotate(self, level: str, path: str, problem: Problem) -> None:
        props = [f"file={_gh_property(path)}"]
        if problem.line is not None:
            props.append(f"line={problem.line}")
        if problem.column is not None:
            props.append(f"col={problem.column}")
        message = f"{problem.field}: {problem.message}" if problem.field else problem.message
        self.out.write(f"::{level} {','.join(props)}::{_gh_data(message)}\n")


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def _problem_json(problem: Problem) -> dict[str, Any]:
    return {
        "line": problem.line,
        "column": problem.column,
        "field": problem.field,
        "message": problem.message,
    }


def _reporter(args: argparse.Namespace) -> Reporter:
    if args.format == "json":
        return JsonReporter(sys.stdout)
    if args.format == "github":
        return GithubReporter(sys.stdout)
    return Reporter(sys.stdout, quiet=args.quiet)


# -- fmt and set ---------------------------------------------------------------------------


def run_fmt(args: argparse.Namespace) -> int:
    from .edit import format_file
    from .walk import walk

    if _missing_paths(args.paths):
        return EXIT_USAGE
    changed = unchanged = failed = 0
    for path, unreadable in walk(args.paths):
        if unreadable is not None:
            failed += 1
            print(f"FAIL {path}: {unreadable}")
            continue
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", RoundtripWarning)
                was_changed = format_file(
                    path, check=args.check, strict=not args.lenient, max_bytes=args.max_bytes
                )
        except RoundtripError as error:
            failed += 1
            for problem in error.problems:
                print(f"FAIL {problem.describe(path)}")
            continue
        _print_warnings(caught, path)
        if was_changed:
            changed += 1
            print(f"{'would reformat' if args.check else 'reformatted'} {path}")
        else:
            unchanged += 1
    verb = "would be reformatted" if args.check else "reformatted"
    print(f"{changed} {verb}, {unchanged} unchanged, {failed} failed")
    return EXIT_FAILED if failed or (args.check and changed) else EXIT_OK


def _print_warnings(caught: list[warnings.WarningMessage], path: str) -> None:
    for problem in dict.fromkeys(
        w.message.problem for w in caught if isinstance(w.message, RoundtripWarning)
    ):
        print(f"warn {problem.describe(path)}", file=sys.stderr)


def run_set(args: argparse.Namespace) -> int:
    from .edit import set_field

    if (args.value is None) == (not args.unset):
        print("roundtrip set: error: give a VALUE, or --unset to remove the field", file=sys.stderr)
        return EXIT_USAGE
    if _missing_paths([args.file]):
        return EXIT_USAGE
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", RoundtripWarning)
            changed = set_field(
                args.file, args.field, args.value, strict=not args.lenient, max_bytes=args.max_bytes
            )
    except RoundtripError as error:
        for problem in error.problems:
            print(f"FAIL {problem.describe(args.file)}", file=sys.stderr)
        return EXIT_FAILED
    _print_warnings(caught, args.file)
    print(f"{'updated' if changed else 'unchanged'} {args.file}: {args.field}")
    return EXIT_OK


# -- schema export -------------------------------------------------------------------------


def run_schema_export(args: argparse.Namespace) -> int:
    from .article_schema import validation_schema

    document = validation_schema()
    if args.lang == "typescript":
        from .typescript import render_typescript

        text = render_typescript(document)
    else:
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if args.output is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        with open(args.output, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
    except OSError as error:
        print(f"roundtrip: error: cannot write {args.output}: {error.strerror}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK
