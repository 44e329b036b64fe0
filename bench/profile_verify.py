"""Where `roundtrip verify --jobs 1` spends its time, stage by stage (issue 5).

Over a corpus cycling through golden/ (1,000 files by default), in-process, after a warm-up:

1. the plain time of `verify_paths(..., jobs=1)`, for reference;
2. stage times with light instrumentation: each stage's entry function (found by name in the
   roundtrip modules, so nothing in roundtrip/ is edited) is wrapped with a timer that keeps
   exclusive time; the parts that are inline code (reading the file, the warnings context, the
   byte comparison) and the split of parse_tree between libyaml and the tree are measured
   separately on the same data;
3. a cProfile run: the same stages' cumulative times under the profiler, and the top
   functions by cumulative and by own time. The profiler inflates code made of many small
   Python calls (jsonschema above all), so its percentages run higher than step 2's.

Usage:  /tmp/dev/bin/python bench/profile_verify.py [--commit REV] [--files 1000]
            [--output bench/PROFILE-before.txt]

Not part of the test run.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import io
import pathlib
import pstats
import re
import statistics
import sys
import tempfile
import time
import warnings
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import benchlib as bl

# Entry functions of each stage, as `module.function` (the last part of the module's name), and
# what their exclusive time covers. Names of several versions of roundtrip are listed; the ones
# a version lacks are reported as not found.
STAGES: dict[str, str] = {
    "verify.verify_file": "verify_file's own code (read, warnings, encode, compare, result)",
    "api.loads": "loads glue",
    "api._decode": "decode UTF-8 + size check",
    "api._parse": "_parse glue (attrs.evolve, SourceDocument)",
    "envelope.split_envelope": "envelope: split BOM/fences/body",
    "parse.parse_tree": "parse_tree: libyaml events + node tree",
    "parse.parse_data": "parse_data: libyaml events + plain data",
    "api._check": "_check glue (placing problems)",
    "schema.validate": "jsonschema validation",
    "article_schema.validate": "schema validation",
    "schema.load_schema": "load_schema (cached)",
    "article_schema.load_schema": "load_schema (cached)",
    "convert.structure": "cattrs structure",
    "convert.normalize": "normalize (source data as the model writes it)",
    "api.dumps": "dumps glue",
    "api.to_dict": "to_dict (cattrs unstructure)",
    "splice.same": "same(): source data vs model data",
    "convert.same": "same(): source data vs model data",
    # Since issue 9 the engine is records.py, for records of any format.
    "records.loads": "loads glue",
    "records._decode": "decode UTF-8 + size check",
    "records._parse": "_parse glue (attrs.evolve, SourceDocument)",
    "records._check": "validation and its glue (placing problems)",
    "records.to_dict": "to_dict (cattrs unstructure)",
    "records.emit_parts": "emit_parts glue (dumps)",
    "envelope.render": "Envelope.render (the emitted text)",
}
RECURSIVE = {
    "convert.normalize",
    "splice.same",
    "convert.same",
}  # wrapped outside their module: outermost only


def stage_key(function: Any) -> str:
    return f"{getattr(function, '__module__', '').rsplit('.', 1)[-1]}.{function.__name__}"


class StageClock:
    def __init__(self) -> None:
        self.exclusive: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.stack: list[list[Any]] = []

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        perf, stack, exclusive, calls = time.perf_counter, self.stack, self.exclusive, self.calls

        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            frame: list[Any] = [name, 0.0]
            stack.append(frame)
            start = perf()
            try:
                return function(*args, **kwargs)
            finally:
                elapsed = perf() - start
                stack.pop()
                exclusive[name] += elapsed - frame[1]
                calls[name] += 1
                if stack:
                    stack[-1][1] += elapsed

        timed.__wrapped_original__ = function  # type: ignore[attr-defined]
        return timed


def install(clock: StageClock) -> tuple[Callable[[], None], set[str]]:
    """Wrap every stage function wherever a roundtrip module refers to it; returns the undo."""
    modules = {
        name: module
        for name, module in sys.modules.items()
        if name == "roundtrip" or name.startswith("roundtrip.")
    }
    originals: dict[int, tuple[str, Callable[..., Any]]] = {}
    for module in modules.values():
        for value in vars(module).values():
            if (
                callable(value)
                and hasattr(value, "__name__")
                and not isinstance(value, type)
                and getattr(value, "__module__", "").startswith("roundtrip")
                and stage_key(value) in STAGES
            ):
                originals[id(value)] = (stage_key(value), value)
    wrappers = {key: clock.wrap(name, fn) for key, (name, fn) in originals.items()}
    found: set[str] = set()
    undo: list[Callable[[], None]] = []
    for module in modules.values():
        namespace = vars(module)
        for attribute, value in list(namespace.items()):
            key = id(value)
            if key not in wrappers:
                continue
            name, function = originals[key]
            if name in RECURSIVE and function.__module__ == module.__name__:
                continue
            namespace[attribute] = wrappers[key]
            undo.append(functools.partial(namespace.__setitem__, attribute, value))
        for value in list(namespace.values()):  # methods: Envelope.render
            if isinstance(value, type) and value.__module__ == module.__name__:
                method = value.__dict__.get("render")
                if callable(method) and stage_key(method) in STAGES:
                    setattr(value, "render", clock.wrap(stage_key(method), method))  # noqa: B010
                    undo.append(functools.partial(setattr, value, "render", method))
                    found.add(stage_key(method))
    found.update(name for name, _ in originals.values())

    def restore() -> None:
        for step in reversed(undo):
            step()

    return restore, found


def median_time(function: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def short(filename: str) -> str:
    if "/roundtrip/" in filename and "site-packages" not in filename:
        return "roundtrip/" + filename.rsplit("/roundtrip/", 1)[1]
    for marker in ("site-packages/", "/work/main/", "/lib/python3"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5, help="runs per timing (median)")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--memory-mib", type=int, default=4, help="size of the big record (MiB)")
    parser.add_argument("--output", type=pathlib.Path, help="write the summary here too")
    parser.add_argument(
        "--commit", metavar="REV", help="measure roundtrip/ as committed at REV, not the work tree"
    )
    args = parser.parse_args(argv)
    bl.use_commit(args.commit)
    bl.cache_bytecode()

    from roundtrip.verify import Options, verify_paths

    out: list[str] = [
        "roundtrip verify --jobs 1: where the time goes (issue 5)",
        *bl.machine_header(),
    ]
    load = bl.load_average()
    out.append(f"load:     {load:.2f} (1-min average) before the run")
    n = args.files
    others = bl.OtherLoad()
    with tempfile.TemporaryDirectory(prefix="roundtrip-profile-") as tmp:
        paths = bl.build_corpus(pathlib.Path(tmp) / "corpus", n)
        directory = str(pathlib.Path(tmp) / "corpus")
        options = Options()

        def run() -> int:
            return sum(r.ok for r in verify_paths([directory], options, 1))

        list(verify_paths([str(bl.GOLDEN)], options, 1))  # warm-up: imports, caches
        ok = run()
        out.append(
            f"corpus:   {n:,} files cycling through the {len(bl.golden_files())} records "
            f"of golden/; {ok:,} verified; timings are medians of {args.runs} runs"
        )
        # -- plain and instrumented runs, alternated -----------------------------------------
        clock = StageClock()
        per_run: list[dict[str, float]] = []
        plains: list[float] = []
        instrumented: list[float] = []
        found: set[str] = set()
        for _ in range(args.runs):
            plains.append(median_time(run, 1))
            restore, found = install(clock)
            try:
                clock.exclusive.clear()
                start = time.perf_counter()
                run()
                instrumented.append(time.perf_counter() - start)
                per_run.append(dict(clock.exclusive))
            finally:
                restore()
        stage = {name: statistics.median(r.get(name, 0.0) for r in per_run) for name in found}
        calls = {name: clock.calls[name] // args.runs for name in found}
        plain = statistics.median(plains)
        total_instrumented = statistics.median(instrumented)

        # -- the inline parts, measured on their own -------------------------------------------
        micro = measure_inline(paths, args.runs)
        profile_lines = profile_section(run, args.top, n)
        memory_lines = memory_section(pathlib.Path(tmp), args.memory_mib * bl.MIB)
    startup_lines = startup_section(args.runs)

    busy = others.cores()
    if busy is not None:
        out[-2] += f"; other processes kept {busy:.2f} cores busy during the timings"
    out.append("")
    out.append(
        f"plain verify_paths(jobs=1): {plain:.3f} s = {plain / n * 1e6:.0f} µs per record "
        f"(fastest run {min(plains) / n * 1e6:.0f} µs)"
    )
    out.append(
        f"instrumented:               {total_instrumented:.3f} s "
        f"({(total_instrumented / plain - 1) * 100:+.1f}% for the timers; "
        "the % column below is of this total)"
    )
    out.append("")
    out.extend(stage_table(stage, calls, micro, plain, total_instrumented, n))
    out.append("")
    out.extend(memory_lines)
    out.append("")
    out.extend(startup_lines)
    out.append("")
    out.extend(profile_lines)
    text = "\n".join(out) + "\n"
    print(text)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    return 0


def measure_inline(paths: list[pathlib.Path], runs: int) -> dict[str, float]:
    """The inline parts of verify_file and the libyaml share of parse_tree, on the same data."""
    from roundtrip.envelope import split_envelope
    from roundtrip.errors import RoundtripWarning

    names = [str(p) for p in paths]
    datas = [p.read_bytes() for p in paths]
    yamls = [split_envelope(d.decode("utf-8")).yaml for d in datas]
    emitted = [d.decode("utf-8") for d in datas]
    limit = 32 * 1024 * 1024 + 1

    def read() -> None:
        for name in names:
            with open(name, "rb") as stream:
                stream.read(limit)

    def catch() -> None:
        for _ in names:
            with warnings.catch_warnings(record=True):
                warnings.simplefilter("always", RoundtripWarning)

    def compare() -> None:
        for text, data in zip(emitted, datas, strict=True):
            _ = text.encode("utf-8") != data

    def walk() -> None:
        from roundtrip.walk import walk as walk_paths

        for _ in walk_paths([str(paths[0].parent)]):
            pass

    return {
        "read": median_time(read, runs),
        "catch_warnings": median_time(catch, runs),
        "encode+compare": median_time(compare, runs),
        "walk (os.scandir)": median_time(walk, runs),
        "libyaml events": median_time(lambda: bl.libyaml_events(yamls), runs),
    }


def stage_table(
    stage: dict[str, float],
    calls: dict[str, int],
    micro: dict[str, float],
    plain: float,
    instrumented: float,
    n: int,
) -> list[str]:
    """Stages grouped as the issue names them, in µs per record and % of the plain time."""

    def total(*keys: str) -> float | None:
        present = [stage[key] for key in keys if key in stage]
        return sum(present) if present else None

    own = stage.get("verify.verify_file", 0.0)
    inline = micro["read"] + micro["catch_warnings"] + micro["encode+compare"]
    parsing = total("parse.parse_tree", "parse.parse_data")
    rows: list[tuple[str, float | None, str]] = [
        ("read (open + read bytes)", micro["read"], "measured alone"),
        ("warnings.catch_warnings context", micro["catch_warnings"], "measured alone"),
        ("decode UTF-8", total("api._decode", "records._decode"), "_decode"),
        ("envelope", total("envelope.split_envelope"), "split_envelope"),
        ("libyaml events (CParser)", micro["libyaml events"], "measured alone"),
        (
            "tree building (parse minus libyaml)",
            None if parsing is None else parsing - micro["libyaml events"],
            "parse_tree / parse_data",
        ),
        (
            "schema validation",
            total("schema.validate", "article_schema.validate", "api._check", "records._check"),
            "validate + _check",
        ),
        ("cattrs structure", total("convert.structure"), "convert.structure"),
        ("normalize", total("convert.normalize"), "convert.normalize"),
        (
            "SourceDocument / evolve / loads glue",
            total(
                "api._parse",
                "api.loads",
                "schema.load_schema",
                "article_schema.load_schema",
                "records._parse",
                "records.loads",
            ),
            "_parse, loads",
        ),
        ("to_dict (cattrs unstructure)", total("api.to_dict", "records.to_dict"), "to_dict"),
        ("same() data comparison", total("splice.same", "convert.same"), "same"),
        (
            "render + dumps glue",
            total("envelope.render", "api.dumps", "records.emit_parts"),
            "render, dumps, emit_parts",
        ),
        ("encode + compare bytes", micro["encode+compare"], "measured alone"),
        (
            "verify_file rest: freeing the record, result",
            max(own - inline, 0.0),
            "verify_file - above",
        ),
    ]
    accounted = sum(stage.values()) - own + inline + max(own - inline, 0.0)
    rows.append(("outside: walk, loop, timers", instrumented - accounted, "instrumented - all"))
    lines = [f"{'stage':<46} {'µs/record':>10} {'%':>10}  from"]
    for name, seconds, source in rows:
        if seconds is None:
            lines.append(f"{name:<46} {'n/a':>10} {'':>10}  {source} (not found)")
            continue
        lines.append(
            f"{name:<46} {seconds / n * 1e6:>10.1f} {seconds / instrumented * 100:>9.1f}%  {source}"
        )
    lines.append(f"{'(instrumented total)':<46} {instrumented / n * 1e6:>10.1f} {100:>9.1f}%")
    lines.append(f"{'(plain total, no timers)':<46} {plain / n * 1e6:>10.1f}")
    lines.append(f"(the walk alone: {micro['walk (os.scandir)'] / n * 1e6:.1f} µs/record)")
    lines.append(
        "(calls per record: " + ", ".join(f"{k} {v / n:g}" for k, v in calls.items() if v) + ")"
    )
    return lines


def memory_section(directory: pathlib.Path, size: int) -> list[str]:
    """Live Python memory (tracemalloc) as each stage of verify_file returns, on one big record."""
    import gc
    import tracemalloc

    from roundtrip.verify import Options, verify_file

    path = directory / "big.txt"
    path.write_text(
        bl.with_related(bl.SEED.read_text(encoding="utf-8"), min_bytes=size),
        encoding="utf-8",
        newline="",
    )
    size = path.stat().st_size
    marks: list[tuple[str, int, int]] = []
    clock = StageClock()
    original_wrap = clock.wrap

    def wrap(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        timed = original_wrap(name, function)

        def marked(*args: Any, **kwargs: Any) -> Any:
            result = timed(*args, **kwargs)
            if not name.endswith("load_schema"):
                current, peak = tracemalloc.get_traced_memory()
                marks.append((name, current, peak))
            return result

        return marked

    clock.wrap = wrap  # type: ignore[method-assign]
    restore, _ = install(clock)
    gc.collect()
    tracemalloc.start()
    try:
        result = verify_file(str(path), Options())
        after_current, after_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        restore()
    lines = [
        f"memory of one {size / bl.MIB:.1f} MiB record ({'verified' if result.ok else 'FAILED'})"
        ": live Python memory (tracemalloc) as each stage returns, in multiples of the size"
    ]
    lines.append(f"  {'stage returned':<32} {'live':>8} {'peak so far':>12}")
    for name, current, peak in marks:
        lines.append(f"  {name:<32} {current / size:>7.1f}x {peak / size:>11.1f}x")
    lines.append(
        f"  {'(verify_file done)':<32} {after_current / size:>7.1f}x {after_peak / size:>11.1f}x"
    )
    return lines


_THIRD_PARTY = {
    "jsonschema",
    "referencing",
    "rpds",
    "jsonschema_specifications",
    "ruamel",
    "_ruamel_yaml",
    "cattrs",
    "attrs",
    "attr",
    "rfc3986_validator",
    "rich",
    "typing_extensions",
    "exceptiongroup",
    "markdown_it",
    "pygments",
}
_FIRST_USE = """
import json, sys, time
t0 = time.perf_counter()
import roundtrip.verify as verify
t1 = time.perf_counter()
import roundtrip.api
t2 = time.perf_counter()
verify.verify_file(sys.argv[1])
t3 = time.perf_counter()
verify.verify_file(sys.argv[1])
t4 = time.perf_counter()
print(json.dumps([t1 - t0, t2 - t1, t3 - t2, t4 - t3]))
"""


def startup_section(runs: int) -> list[str]:
    """What a `roundtrip verify` process pays before its first record, and for its first."""
    import json
    import subprocess

    seed = str(bl.SEED)
    phases: list[list[float]] = []
    bare: list[float] = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-P", "-c", _FIRST_USE, seed],
            capture_output=True,
            text=True,
            check=True,
        )
        phases.append(json.loads(done.stdout))
        bare.append(bl.run_command([sys.executable, "-P", "-c", "pass"]).seconds)
    names = [
        "import roundtrip.verify (attrs)",
        "import the engine (roundtrip.api)",
        "first verify_file (builds validator, converter)",
        "second verify_file",
    ]
    lines = [f"start-up of a verify process (fresh interpreters, medians of {runs}):"]
    lines.append(
        f"  {'interpreter alone (python -c pass)':<50} {statistics.median(bare) * 1e3:7.1f} ms"
    )
    for index, name in enumerate(names):
        lines.append(f"  {name:<50} {statistics.median(p[index] for p in phases) * 1e3:7.1f} ms")
    code = (
        "import sys\nfrom roundtrip.cli import main\n"
        "sys.exit(main(['verify', '--jobs', '1', '--quiet', sys.argv[1]]))"
    )
    done = subprocess.run(
        [sys.executable, "-P", "-X", "importtime", "-c", code, seed], capture_output=True, text=True
    )
    by_package: dict[str, int] = defaultdict(int)
    stdlib: dict[str, int] = defaultdict(int)
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        own, _cumulative, name = line.split(":", 1)[1].split("|")
        if own.strip().isdigit():
            package = name.strip().split(".")[0]
            if package == "roundtrip":
                package = name.strip()
            elif package not in _THIRD_PARTY:
                stdlib[package] += int(own)
                package = "(standard library)"
            by_package[package] += int(own)
    total = sum(by_package.values())
    lines.append(
        f"  imports by `roundtrip verify` of one file (-X importtime, own time by package, "
        f"one run; {total / 1e3:.0f} ms in all):"
    )
    for name, us in sorted(by_package.items(), key=lambda item: -item[1])[:14]:
        lines.append(f"    {name:<48} {us / 1e3:7.1f} ms")
    top = sorted(stdlib.items(), key=lambda item: -item[1])[:10]
    lines.append(
        "    (standard library, by package: "
        + ", ".join(f"{k} {v / 1e3:.1f}" for k, v in top)
        + " ms)"
    )
    return lines


def profile_section(run: Callable[[], int], top: int, n: int) -> list[str]:
    profiler = cProfile.Profile()
    profiler.enable()
    run()
    profiler.disable()
    stats = pstats.Stats(profiler)
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = stats.total_tt  # type: ignore[attr-defined]
    lines = [f"cProfile, one run over {n:,} files: {total:.3f} s under the profiler"]
    lines.append("")
    lines.append(
        f"{'stage entry (cumulative, under cProfile)':<52} {'cum s':>8} {'%':>6} {'calls':>8}"
    )
    for name in STAGES:
        module, _, wanted = name.rpartition(".")
        for (filename, line, function), (_cc, calls, _tt, cumulative, _callers) in raw.items():
            if (
                function == wanted
                and filename.endswith(f"/roundtrip/{module}.py")
                and "site-packages" not in filename
            ):
                where = f"{wanted} ({short(filename)}:{line})"
                lines.append(
                    f"{where:<52} {cumulative:>8.3f} {cumulative / total * 100:>5.1f}% {calls:>8}"
                )
    for key, title in (("cumulative", "cumulative time"), ("tottime", "own time")):
        lines.append("")
        lines.append(f"top {top} functions by {title}:")
        buffer = io.StringIO()
        printer = pstats.Stats(profiler, stream=buffer)
        printer.sort_stats(key).print_stats(top)
        body = buffer.getvalue().split("\n")
        start = next(i for i, line in enumerate(body) if line.lstrip().startswith("ncalls"))
        for line in body[start:]:
            if line.strip():
                line = re.sub(r"/\S*/site-packages/|/\S*/(?=roundtrip/)|/work/main/", "", line)
                lines.append(line)
    return lines


if __name__ == "__main__":
    sys.exit(main())
