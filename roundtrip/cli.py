"""The `roundtrip` command line: verify, fmt, set, get, export, apply, patch, schema export.

Only argparse loads up front; each command imports the engine when it runs, so `--help` is fast.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from . import __version__
from .errors import Problem, RoundtripError

if TYPE_CHECKING:
    from .active_format import Format
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
  roundtrip verify --changed                changed against HEAD, plus untracked files
  roundtrip verify --changed origin/main content/
  roundtrip verify --include '*.md' --exclude 'drafts/*' content/
  roundtrip verify - < a.txt                one record from stdin
  roundtrip verify s3://bucket/articles/    any fsspec URL (needs roundtrip[fsspec] and s3fs)
  roundtrip verify --scheduler local:2 .   on a local Dask cluster of two processes
  roundtrip verify --scheduler tcp://scheduler:8786 s3://bucket/articles/
  roundtrip verify --schema schema/post.schema.json content/   records of another schema
                                           (or set schema = "..." in [tool.roundtrip])
"""
FMT_EXAMPLES = """\
examples:
  roundtrip fmt articles/           rewrite every record in house style (data never changes)
  roundtrip fmt --check articles/   list records not in house style; exit 1 if any
  roundtrip fmt --dry-run --diff articles/   show what would change, change nothing
  roundtrip fmt - < a.txt > b.txt   format stdin to stdout (as black does)
"""
SET_EXAMPLES = """\
examples:
  roundtrip set a.txt heat 80                      only the `heat:` line changes
  roundtrip set a.txt related.0.quality 17
  roundtrip set a.txt provider.name "MIT Technology Review"
  roundtrip set a.txt topics '["AI", "Policy"]'     arrays and objects as JSON
  roundtrip set a.txt ampWebUrl --unset            remove an optional field
  roundtrip set a.txt topics Policy --append       add an item at the end of a list
  roundtrip set a.txt topics.0 Policy --insert     insert an item before item 0
  roundtrip set a.txt related.0 --delete           delete a list item
  roundtrip set --dry-run --diff a.txt heat 80     show the edit, write nothing
  roundtrip set - heat 80 < a.txt > b.txt          stdin to stdout
"""
GET_EXAMPLES = """\
examples:
  roundtrip get a.txt                               the whole front matter as JSON
  roundtrip get a.txt related.0.provider.name       one value (a JSON string)
  roundtrip get --raw a.txt title                   a string printed bare
  roundtrip get - heat < a.txt
"""
EXPORT_EXAMPLES = """\
examples:
  roundtrip export golden/ > records.jsonl          one {"path","record","body"} a line
  roundtrip export --no-body -o records.jsonl articles/
  roundtrip export articles/ | jq -c 'select(.record.heat > 70) | .path'
  roundtrip export --scheduler local:2 -o records.jsonl s3://bucket/articles/
"""
APPLY_EXAMPLES = """\
examples:
  roundtrip apply edited.jsonl                      write each line's record to its path
  roundtrip apply --dry-run --diff edited.jsonl     show the edits, write nothing
  roundtrip export articles/ | jq -c '.record.heat += 1' | roundtrip apply -
"""
PATCH_EXAMPLES = """\
examples:
  roundtrip patch articles/ --patch bump.json       an RFC 6902 JSON Patch on every record
  echo '[{"op": "add", "path": "/topics/-", "value": "AI"}]' | roundtrip patch a.txt --patch -
  echo '[{"op": "test", "path": "/heat", "value": 77},
         {"op": "replace", "path": "/heat", "value": 80}]' | roundtrip patch . --patch -
"""
SCHEMA_EXAMPLES = """\
examples:
  roundtrip schema export                          the JSON Schema on stdout
  roundtrip schema export --lang typescript -o article.d.ts
  roundtrip schema export --lang python --schema schema/post.schema.json
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
        nargs="*",
        metavar="PATH",
        help="files or directories (recursive, dotfiles skipped), `-` for stdin "
        "(default with --changed: .)",
    )
    verify.add_argument("--jobs", "-j", type=_positive, default=None, metavar="N",
                        help="processes (default: idle cores; one below 250 files)")  # fmt: skip
    _add_scheduler_option(verify)
    verify.add_argument("--format", choices=("human", "json", "github"), default="human",
                        help="output format (default: human)")  # fmt: skip
    verify.add_argument(
        "--quiet", "-q", action="store_true", help="print only failures and the summary"
    )
    verify.add_argument("--links", action="store_true",
                        help="check each record's links against the records they name "
                        "(the schema's x-roundtrip-links rule)")  # fmt: skip
    verify.add_argument("--changed", nargs="?", const="HEAD", metavar="REF",
                        help="only records changed against the git REF (default: HEAD), "
                        "plus untracked files")  # fmt: skip
    verify.add_argument("--no-cache", action="store_true",
                        help="check every file, even contents verified clean before")  # fmt: skip
    _add_selection_options(verify)
    _add_input_options(verify)

    fmt = commands.add_parser(
        "fmt", help="rewrite records in the canonical house style",
        description="Rewrite records in house style. The data and body are compared before "
        "writing; writes are atomic.", epilog=FMT_EXAMPLES, formatter_class=raw,
    )  # fmt: skip
    fmt.add_argument("paths", nargs="+", metavar="PATH",
                     help="files or directories, or `-`: stdin formatted to stdout")  # fmt: skip
    fmt.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if any file would change"
    )
    fmt.add_argument("--jobs", "-j", type=_positive, default=os.cpu_count() or 1, metavar="N",
                     help="worker processes (default: all cores)")  # fmt: skip
    fmt.add_argument("--format", choices=("human", "json", "github"), default="human",
                     help="output format (default: human)")  # fmt: skip
    fmt.add_argument(
        "--quiet", "-q", action="store_true", help="print only failures and the summary"
    )
    _add_write_options(fmt)
    _add_selection_options(fmt)
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
    lists = set_.add_mutually_exclusive_group()
    lists.add_argument("--append", action="store_true",
                       help="add VALUE as a new last item of the list FIELD")  # fmt: skip
    lists.add_argument("--insert", action="store_true",
                       help="insert VALUE before the item FIELD (e.g. topics.0)")  # fmt: skip
    lists.add_argument("--delete", action="store_true",
                       help="delete the list item FIELD (e.g. related.1)")  # fmt: skip
    _add_write_options(set_)
    _add_input_options(set_)

    get = commands.add_parser(
        "get", help="print a record's front matter, or one field, as JSON",
        description="Print the front matter of FILE (`-` for stdin) as JSON, or the value at "
        "FIELD, a dotted path of keys and list indexes.",
        epilog=GET_EXAMPLES, formatter_class=raw,
    )  # fmt: skip
    get.add_argument("file", metavar="FILE")
    get.add_argument("field", metavar="FIELD", nargs="?")
    get.add_argument("--raw", action="store_true", help="print a string value bare, not as JSON")
    _add_input_options(get)

    export_ = commands.add_parser(
        "export", help="write records as JSON Lines",
        description='Write each record as one JSON line {"path", "record", "body"}, in walk '
        "order, streaming. A record that fails is reported on stderr and left out (exit 1).",
        epilog=EXPORT_EXAMPLES, formatter_class=raw,
    )  # fmt: skip
    export_.add_argument("paths", nargs="+", metavar="PATH", help="files or directories, `-`")
    export_.add_argument("-o", "--output", metavar="FILE", help="write to FILE, not stdout")
    export_.add_argument("--no-body", action="store_true", help="leave the bodies out")
    _add_scheduler_option(export_)
    _add_selection_options(export_)
    _add_input_options(export_)

    apply = commands.add_parser(
        "apply", help="write JSON Lines (export's shape) back to their records",
        description="Write each line's record to its path as a minimal edit: only changed "
        "values are touched, an unchanged record is not rewritten. An invalid line is refused "
        "with its line number; nothing is written for it. A line without `body` keeps the body.",
        epilog=APPLY_EXAMPLES, formatter_class=raw,
    )  # fmt: skip
    apply.add_argument("input", metavar="FILE.jsonl", help="JSON Lines file, or `-` for stdin")
    _add_write_options(apply)
    _add_input_options(apply)

    patch = commands.add_parser(
        "patch", help="apply an RFC 6902 JSON Patch to records",
        description="Apply a JSON Patch (add, remove, replace, move, copy, test) to every "
        "record, as minimal edits. A failing `test` skips that record (not an error). "
        "A record given as `-` is read from stdin and written patched to stdout.",
        epilog=PATCH_EXAMPLES, formatter_class=raw,
    )  # fmt: skip
    patch.add_argument("paths", nargs="+", metavar="PATH", help="files or directories, `-`")
    patch.add_argument("--patch", required=True, metavar="FILE",
                       help="the JSON Patch document, `-` for stdin")  # fmt: skip
    _add_write_options(patch)
    _add_selection_options(patch)
    _add_input_options(patch)

    schema = commands.add_parser(
        "schema", help="the records' schema", description="The records' schema (the format)."
    )
    schema_commands = schema.add_subparsers(
        dest="schema_command", metavar="SUBCOMMAND", required=True
    )
    export = schema_commands.add_parser(
        "export", help="print the schema as JSON Schema, TypeScript or Python classes",
        description="Export the format for other languages, generated from its JSON Schema.",
        epilog=SCHEMA_EXAMPLES, formatter_class=raw,
    )  # fmt: skip
    export.add_argument("--lang", choices=("jsonschema", "typescript", "python"),
                        default="jsonschema")  # fmt: skip
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    _add_schema_option(export)
    return parser


def _add_schema_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--schema", metavar="FILE",
                        help="the records' JSON Schema (default: `schema` in [tool.roundtrip] "
                        "of the nearest pyproject.toml, else the built-in article)")  # fmt: skip


def _add_input_options(parser: argparse.ArgumentParser) -> None:
    _add_schema_option(parser)
    lenient_help = "keep unknown keys (reported as warnings) instead of failing"
    parser.add_argument("--lenient", action="store_true", help=lenient_help)
    size_help = f"refuse files larger than N bytes (default: {DEFAULT_MAX_BYTES})"
    parser.add_argument(
        "--max-bytes", type=_positive, default=DEFAULT_MAX_BYTES, metavar="N", help=size_help
    )


def _add_scheduler_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="run on a Dask cluster: its scheduler's address, or local[:N] for a "
                        "new local cluster of N processes (needs roundtrip[dask])")  # fmt: skip


def _add_write_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dry-run", action="store_true",
                        help="write nothing; exit 1 if anything would change")  # fmt: skip
    parser.add_argument("--diff", action="store_true",
                        help="print a unified diff of what is (or would be) written")  # fmt: skip


def _add_selection_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--include", action="append", metavar="GLOB",
                        help="which files in walked directories are records (repeatable; "
                        "replaces the default *.txt, *.md, *.markdown)")  # fmt: skip
    parser.add_argument("--exclude", action="append", metavar="GLOB",
                        help="files or directories to skip (repeatable; added to the defaults "
                        "README*, CHANGELOG*, CONTRIBUTING*, LICENSE*)")  # fmt: skip


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
        return _dispatch(args)
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


def _dispatch(args: argparse.Namespace) -> int:
    from . import cli_read, cli_write
    from .active_format import choose_format

    try:
        choose_format(args.schema, _config_start(args))
    except RoundtripError as error:
        print(f"roundtrip: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "verify":
        return run_verify(args)
    if args.command == "set":
        return cli_write.run_set(args)
    if args.command == "get":
        return cli_read.run_get(args)
    if args.command == "apply":
        return cli_write.run_apply(args)
    if args.command == "schema":
        return run_schema_export(args)
    from .sources import exists

    # export reads, so it takes URLs; fmt and patch write, so they take local paths only.
    files = _record_files(args, exists=exists if args.command == "export" else None)
    if files is None:
        return EXIT_USAGE
    if args.command == "export":
        return cli_read.run_export(args, files)
    if args.command == "patch":
        return cli_write.run_patch(args, files)
    return cli_write.run_fmt(args, files)


def _config_start(args: argparse.Namespace) -> str:
    """Where the nearest pyproject.toml is looked up from: the first path a command names."""
    from .select import STDIN

    named = [*(getattr(args, "paths", None) or ()), getattr(args, "file", None)]
    return next((path for path in named if path and path != STDIN), ".")


def _record_files(
    args: argparse.Namespace,
    changed: str | None = None,
    exists: Callable[[str], bool] | None = None,
) -> Iterator[str] | None:
    """The records a walking command works on; None (after saying why) on a usage error.

    `exists` tells whether a path or URL exists for a reading command; without it, the
    command writes and takes local paths only.
    """
    from .corpus import record_files
    from .select import selection_for

    try:
        if missing_paths(args.paths, exists):
            return None
    except RoundtripError as error:
        print(f"roundtrip: error: {error.message}", file=sys.stderr)
        return None
    try:
        selection = selection_for(args.paths, args.include, args.exclude)
        return record_files(args.paths, selection, changed=changed)
    except RoundtripError as error:
        print(f"roundtrip: error: {error}", file=sys.stderr)
        return None


def missing_paths(paths: Sequence[str], exists: Callable[[str], bool] | None = None) -> bool:
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
    missing = [path for path in paths if path != "-" and not exists(path)]
    for path in missing:
        print(f"roundtrip: error: no such file or directory: {path}", file=sys.stderr)
    return bool(missing)


# -- verify --------------------------------------------------------------------------------


def run_verify(args: argparse.Namespace) -> int:
    from .corpus import verify_files
    from .sources import exists
    from .verify import Options, check_links, required_link_rule

    if args.links:
        try:
            required_link_rule()
        except RoundtripError as error:
            print(f"roundtrip: error: {error.message}", file=sys.stderr)
            return EXIT_USAGE
    changed = _changed_ref(args)
    if not args.paths:
        if changed is None:
            print("roundtrip verify: error: give PATHs (or --changed)", file=sys.stderr)
            return EXIT_USAGE
        args.paths = ["."]
    files = _record_files(args, changed, exists)
    if files is None:
        return EXIT_USAGE
    options = Options(strict=not args.lenient, max_bytes=args.max_bytes, keep_records=args.links)
    report = _reporter(args)
    if args.scheduler is not None:
        return _verify_on_cluster(args.scheduler, files, options, report, links=args.links)
    results: list[FileResult] = []
    with _progress(report, files) as (paths, advance):
        for result in verify_files(paths, options, args.jobs, use_cache=not args.no_cache):
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


def _changed_ref(args: argparse.Namespace) -> str | None:
    """`--changed REF`; a REF git does not know but that names a path is taken as a path."""
    if args.changed is None or args.changed == "HEAD":
        return None if args.changed is None else "HEAD"
    from .changed import is_ref

    if not is_ref(args.changed) and os.path.exists(args.changed):
        args.paths.insert(0, args.changed)
        return "HEAD"
    return str(args.changed)


def _verify_on_cluster(
    scheduler: str, files: Iterable[str], options: Options, report: Reporter, *, links: bool
) -> int:
    from .distributed import connect, verify_on_cluster

    try:
        with connect(scheduler) as client:
            for result in verify_on_cluster(client, files, options, links=links):
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
    report: Reporter, paths: Iterable[str]
) -> Iterator[tuple[Iterable[str], Callable[[], None]]]:
    """A progress bar under the output, on a terminal only (it needs the file count first)."""
    if report.console is None:
        yield paths, lambda: None
        return
    from rich.progress import Progress

    files = list(paths)
    with Progress(console=report.console, transient=True) as progress:
        task = progress.add_task("verifying", total=len(files))
        yield files, lambda: progress.advance(task)


def _with_problems(result: FileResult, extra: tuple[Problem, ...]) -> FileResult:
    import attrs

    return attrs.evolve(result, problems=result.problems + extra)


class Reporter:
    """Human output: one line per file, diffs, a summary; colour only on a terminal.

    `diff_fails` and `diff_message` say what a diff means: for verify a failed round trip,
    for `fmt` a reformatted file (a failure only when checking).
    """

    diff_fails = True
    diff_message = "emitting from the model changed the bytes"

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
        ok = not result.problems and (result.diff is None or not self.diff_fails)
        self.verified += ok
        self.failed += not ok
        self.files.append({
            "path": result.path,
            "ok": ok,
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
        ok = not result.problems and (result.diff is None or not self.diff_fails)
        self.verified += ok
        self.failed += not ok
        for problem in result.problems:
            self._annotate("error", result.path, problem)
        if result.diff is not None and not result.problems:
            level = "error" if self.diff_fails else "notice"
            self._annotate(level, result.path, Problem(self.diff_message))
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


# -- schema export -------------------------------------------------------------------------


def run_schema_export(args: argparse.Namespace) -> int:
    from .active_format import current_format

    fmt = current_format()
    try:
        text = _exported_schema(fmt, args.lang)
    except ValueError as error:  # a schema TypeScript cannot say: where and why
        print(f"roundtrip: error: {fmt.path}: {error}", file=sys.stderr)
        return EXIT_USAGE
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


def _exported_schema(fmt: Format, lang: str) -> str:
    """The format's schema for another language: `jsonschema`, `typescript` or `python`."""
    if lang == "typescript":
        from .typescript import render_typescript

        return render_typescript(fmt.export_schema())
    if lang == "python":
        return fmt.python_source()
    return json.dumps(fmt.export_schema(), indent=2, ensure_ascii=False) + "\n"
