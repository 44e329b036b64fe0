"""Benchmark `roundtrip verify` against the bare ruamel.yaml round trip (issue 5's targets).

Builds a corpus in a temporary directory by cycling through every record in golden/ (the two
seeds and all their style variants, file names made unique), then measures the contenders in
rounds, alternating them (A B C … then B C … A, …) so that drift on the machine hits all alike:

  A   the yardstick: ruamel.yaml's round-trip loader and dumper (preserve_quotes, wide lines,
      the seeds' indentation 2/4/2) on each file's front matter, output compared with the
      input; in-process, reading each file; no validation, no typed model
  B   libyaml's parse alone (ruamel.yaml.clib's CParser, every event) of the same front
      matter texts, already in memory
  B2  for scale: ruamel.yaml typ='safe' with the C loader (libyaml + building plain data)
  C   verify in-process: `roundtrip.verify.verify_paths(..., jobs=1)` — everything verify does,
      without the interpreter's start-up
  D   `roundtrip verify --jobs 1 --quiet DIR`, the real command in a subprocess
  E   `roundtrip verify --jobs 2 --quiet DIR`
  F   `roundtrip verify --jobs 1 --quiet DIR` over the 10x corpus (peak RSS from wait4)
  S   `roundtrip verify --jobs 1 --quiet FILE` on one seed: the start-up
  G   in-process `verify_file` on a seed and on the seed grown to 300 related entries

then peak memory (10x corpus with the default --jobs; one ~20 MiB record) and the start-up of
`roundtrip --help`, and prints a table of medians, ratios and PASS/FAIL per target. Every time
is taken as wall time and as CPU time: on a machine other work is using, the CPU-time ratios
are the steadier ones (the header says how busy the machine was).

Usage:  /tmp/dev/bin/python bench/bench_verify.py              # the full run (~5 minutes)
        /tmp/dev/bin/python bench/bench_verify.py --quick      # 200/2,000 files, 2 rounds
        ... --ratio               only B, C and V (validation alone): issue 9's per-record
                                  target, verify <= 2.5x libyaml's parse (~1 minute)
        ... --commit f07add7      measure roundtrip/ as committed there, not the work tree
        ... --save FILE           also write the table to FILE

Not part of the test run.
"""

from __future__ import annotations

import argparse
import gc
import os
import pathlib
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable

import benchlib as bl

MIB = bl.MIB


class Samples:
    """Wall and CPU times of one contender, and anything wrong it reported."""

    def __init__(self, label: str, count: int) -> None:
        self.label = label
        self.count = count  # records per sample
        self.wall: list[float] = []
        self.cpu: list[float] = []
        self.notes: set[str] = set()
        self.problems: list[str] = []

    def add(self, wall: float, cpu: float) -> None:
        self.wall.append(wall)
        self.cpu.append(cpu)

    @property
    def median(self) -> float:
        return statistics.median(self.wall)

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu)


def verify_ok(run: bl.Run, count: int) -> str | None:
    """None when the command verified all `count` files, else what went wrong."""
    if run.returncode == 0 and f"{count} verified, 0 failed" in run.stdout:
        return None
    tail = run.stdout.strip().splitlines()[-1:] or ["(no output)"]
    return f"exit {run.returncode}: {tail[0][:120]}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="200/2,000 files, 2 rounds, a 4 MiB big record: a smoke run",
    )
    parser.add_argument("--rounds", type=int, help="rounds of alternation (default 7; quick 2)")
    parser.add_argument(
        "--ratio",
        action="store_true",
        help="only verify per record against libyaml's parse (B, C, V), 15 rounds by default",
    )
    parser.add_argument(
        "--commit", metavar="REV", help="measure roundtrip/ as committed at REV, not the work tree"
    )
    parser.add_argument("--save", type=pathlib.Path, help="also write the table to this file")
    parser.add_argument("--json", type=pathlib.Path, help="write every sample (raw) as JSON here")
    parser.add_argument("--keep", action="store_true", help="keep the corpus directory")
    args = parser.parse_args(argv)
    bl.use_commit(args.commit)
    bl.cache_bytecode()

    small_n, large_n = (200, 2_000) if args.quick else (1_000, 10_000)
    rounds = args.rounds or (15 if args.ratio else 2 if args.quick else 7)
    big_bytes = 4 * MIB if args.quick else 20 * MIB

    header = ["roundtrip verify benchmark (issue 5)", *bl.machine_header()]
    if args.quick:
        header.append("QUICK RUN: smaller corpus and record, 2 rounds; not the issue's yardstick")
    load = bl.load_average()
    header.append(f"load:     {load:.2f} (1-min average) before the run")
    for line in header:
        progress(line)

    others = bl.OtherLoad()
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="roundtrip-bench-"))
    try:
        if args.ratio:
            lines = run_ratio(tmp, small_n, rounds)
        else:
            lines = run_all(
                tmp, small_n, large_n, rounds, big_bytes, bl.roundtrip_command(), args.json
            )
    finally:
        if args.keep:
            progress(f"corpus kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    busy = others.cores()
    if busy is not None:
        header[-1] += (
            f"; other processes kept {busy:.2f} of {os.cpu_count()} cores busy "
            "during the run" + (" (NOT a quiet machine)" if busy > 0.15 else "")
        )
    text = "\n".join([*header, "", *lines]) + "\n"
    print(text)
    if args.save:
        args.save.write_text(text, encoding="utf-8")
    return 0


def run_all(
    tmp: pathlib.Path,
    small_n: int,
    large_n: int,
    rounds: int,
    big_bytes: int,
    command: list[str],
    raw: pathlib.Path | None = None,
) -> list[str]:
    from roundtrip.verify import Options, verify_file, verify_paths

    progress(f"building the corpus in {tmp} …")
    small_dir, large_dir = tmp / f"c{small_n}", tmp / f"c{large_n}"
    small_paths = bl.build_corpus(small_dir, small_n)
    bl.build_corpus(large_dir, large_n)
    small_bytes = sum(p.stat().st_size for p in small_paths)
    seed_text = bl.SEED.read_text(encoding="utf-8")
    seed, related, big = tmp / "seed.txt", tmp / "related-300.txt", tmp / "big.txt"
    seed.write_text(seed_text, encoding="utf-8", newline="")
    related.write_text(bl.with_related(seed_text, count=300), encoding="utf-8", newline="")
    big.write_text(bl.with_related(seed_text, min_bytes=big_bytes), encoding="utf-8", newline="")
    seed_size, related_size, big_size = (p.stat().st_size for p in (seed, related, big))
    if big_size > 32 * MIB:
        raise SystemExit("the big record is over verify's default --max-bytes (32 MiB)")

    progress("warming up (imports, caches, bytecode) …")
    for warm in (["verify", "--no-cache", "--jobs", "1", "--quiet", str(seed)], ["--help"]):
        bl.run_command([*command, *warm])
    options = Options()
    list(verify_paths([str(bl.GOLDEN)], options, 1))
    yaml = bl.make_ruamel()
    bl.ruamel_roundtrip(yaml, bl.golden_files())
    texts = bl.read_front_matters(small_paths)
    bl.libyaml_events(texts[:50])
    bl.ruamel_safe_load(texts[:50])
    for path in (seed, related):
        result = verify_file(str(path), options)
        if not result.ok:
            raise SystemExit(f"{path.name} does not verify: {result.problems or result.diff}")

    # -- the alternating rounds ---------------------------------------------------------------
    s = {
        "A": Samples(f"A ruamel.yaml rt load+dump+compare ({small_n:,} files)", small_n),
        "B": Samples(f"B libyaml parse alone, CParser events ({small_n:,})", small_n),
        "B2": Samples(f"B2 ruamel.yaml safe C load, libyaml + data ({small_n:,})", small_n),
        "C": Samples(f"C verify in-process, verify_paths jobs 1 ({small_n:,})", small_n),
        "D": Samples(f"D `roundtrip verify --jobs 1` ({small_n:,} files)", small_n),
        "E": Samples(f"E `roundtrip verify --jobs 2` ({small_n:,} files)", small_n),
        "F": Samples(f"F `roundtrip verify --jobs 1` ({large_n:,} files)", large_n),
        "S": Samples("S `roundtrip verify --jobs 1`, one seed (start-up)", 1),
        "Gs": Samples(f"G verify_file: seed, {seed_size:,} B (per call)", 1),
        "Gr": Samples(f"G verify_file: 300 related, {related_size:,} B (per call)", 1),
    }
    rss_large: list[int] = []
    seed_reps = 100
    related_reps = max(2, round(seed_reps * seed_size / related_size * 1.5))

    def in_process(key: str, function: Callable[[], object]) -> object:
        wall, cpu, result = bl.timed(function)
        s[key].add(wall, cpu)
        return result

    def contender_a() -> None:
        outcome = in_process("A", lambda: bl.ruamel_roundtrip(yaml, small_paths))
        assert isinstance(outcome, bl.RuamelOutcome)
        s["A"].notes.add(
            f"output identical to the input for {outcome.identical:,} files, "
            f"different for {outcome.different:,}, ruamel.yaml error on "
            f"{outcome.errors:,}"
        )

    def contender_b() -> None:
        events = in_process("B", lambda: bl.libyaml_events(texts))
        s["B"].notes.add(f"{events / len(texts):.0f} events per record")  # type: ignore[operator]

    def contender_b2() -> None:
        in_process("B2", lambda: bl.ruamel_safe_load(texts))

    def contender_c() -> None:
        ok = in_process("C", lambda: sum(r.ok for r in verify_paths([str(small_dir)], options, 1)))
        if ok != small_n:
            s["C"].problems.append(f"only {ok} of {small_n} verified")

    def command_run(key: str, target: pathlib.Path, count: int, jobs: int) -> None:
        run = bl.run_command(
            [*command, "verify", "--no-cache", "--jobs", str(jobs), "--quiet", str(target)]
        )
        s[key].add(run.seconds, run.cpu_seconds)
        if key == "F":
            rss_large.append(run.max_rss_kib)
        problem = verify_ok(run, count)
        if problem:
            s[key].problems.append(problem)

    def contender_g() -> None:
        for key, path, reps in (("Gs", seed, seed_reps), ("Gr", related, related_reps)):
            name = str(path)
            wall, cpu, _ = bl.timed(lambda: [verify_file(name, options) for _ in range(reps)])  # noqa: B023
            s[key].add(wall / reps, cpu / reps)

    contenders: list[tuple[str, Callable[[], None]]] = [
        ("A", contender_a),
        ("B", contender_b),
        ("B2", contender_b2),
        ("C", contender_c),
        ("D", lambda: command_run("D", small_dir, small_n, 1)),
        ("E", lambda: command_run("E", small_dir, small_n, 2)),
        ("F", lambda: command_run("F", large_dir, large_n, 1)),
        ("S", lambda: command_run("S", seed, 1, 1)),
        ("G", contender_g),
    ]
    for index in range(rounds):
        shift = index % len(contenders)
        order = contenders[shift:] + contenders[:shift]
        progress(f"round {index + 1}/{rounds}: {' '.join(key for key, _ in order)}")
        for _, run in order:
            gc.collect()
            run()

    # -- memory -------------------------------------------------------------------------------
    progress("memory: the large corpus with the default --jobs, the big record …")
    jobs_default = bl.run_command(
        [*command, "verify", "--no-cache", "--quiet", str(large_dir)], sample_tree=True
    )
    default_problem = verify_ok(jobs_default, large_n)
    seed_runs = [
        bl.run_command([*command, "verify", "--no-cache", "--jobs", "1", "--quiet", str(seed)])
        for _ in range(3)
    ]
    startup_rss = statistics.median(r.max_rss_kib for r in seed_runs)
    big_runs = [
        bl.run_command([*command, "verify", "--no-cache", "--jobs", "1", "--quiet", str(big)])
        for _ in range(1 if big_bytes < 20 * MIB else 2)
    ]
    big_problem = next((p for p in (verify_ok(r, 1) for r in big_runs) if p), None)
    big_rss = max(r.max_rss_kib for r in big_runs)
    big_wall = statistics.median(r.seconds for r in big_runs)
    big_cpu = statistics.median(r.cpu_seconds for r in big_runs)

    # -- start-up -----------------------------------------------------------------------------
    progress("start-up: `roundtrip --help`, `import roundtrip` …")
    starts: dict[str, list[float]] = {"help": [], "cold": [], "import": [], "python": []}
    for _ in range(11):
        starts["help"].append(bl.run_command([*command, "--help"]).seconds)
        starts["cold"].append(
            bl.run_command([*command, "--help"], env=bl.no_bytecode_env()).seconds
        )
        starts["import"].append(
            bl.run_command([sys.executable, "-P", "-c", "import roundtrip"]).seconds
        )
        starts["python"].append(bl.run_command([sys.executable, "-P", "-c", "pass"]).seconds)
    heavy = heavy_modules_after_help()
    start = {key: statistics.median(values) for key, values in starts.items()}

    if raw is not None:
        import json

        raw.write_text(
            json.dumps(
                {
                    "samples": {
                        key: {"label": x.label, "records": x.count, "wall": x.wall, "cpu": x.cpu}
                        for key, x in s.items()
                    },
                    "rss_kib": {
                        "large --jobs 1": rss_large,
                        "large default jobs": jobs_default.max_rss_kib,
                        "large default jobs, tree PSS": jobs_default.tree_pss_kib,
                        "start-up": [r.max_rss_kib for r in seed_runs],
                        "big": [r.max_rss_kib for r in big_runs],
                    },
                    "sizes": {"seed": seed_size, "related": related_size, "big": big_size},
                    "start-up seconds": starts,
                },
                indent=1,
            )
        )

    # -- the table ----------------------------------------------------------------------------
    m = {key: sample.median for key, sample in s.items()}
    c = {key: sample.median_cpu for key, sample in s.items()}

    def ratio(top: str, bottom: str, cpu: bool = False) -> float:
        """The median over rounds of top/bottom, each pair measured in the same round."""
        a, b = (s[top].cpu, s[bottom].cpu) if cpu else (s[top].wall, s[bottom].wall)
        return statistics.median(x / y for x, y in zip(a, b, strict=True))

    out: list[str] = [
        f"corpus:   {small_n:,} files ({small_bytes / MIB:.1f} MiB) and {large_n:,} files, cycling "
        f"through the {len(bl.golden_files())} records of golden/; {rounds} rounds, contenders "
        "alternated; medians (ratios: median over rounds of the ratio within a round)",
        "",
        f"{'contender':<58} {'wall':>9} {'cpu':>9} {'wall/record':>12}  wall range",
    ]
    for key in ("A", "B", "B2", "C", "D", "E", "F", "S"):
        sample = s[key]
        out.append(
            f"{sample.label:<58} {m[key]:>7.3f} s {c[key]:>7.3f} s "
            f"{m[key] / sample.count * 1e3:>9.3f} ms  "
            f"{min(sample.wall):.3f}-{max(sample.wall):.3f}"
        )
    for key, size in (("Gs", seed_size), ("Gr", related_size)):
        out.append(
            f"{s[key].label:<58} {m[key] * 1e3:>6.2f} ms {c[key] * 1e3:>6.2f} ms "
            f"{m[key] / size * 1e9:>9.1f} ns/B"
        )
    out.append(
        f"{f'I `roundtrip verify --jobs 1`, one {big_size / MIB:.1f} MiB record':<58} "
        f"{big_wall:>7.3f} s {big_cpu:>7.3f} s {big_wall / big_size * 1e9:>9.1f} ns/B"
    )
    for label, key in (
        ("H `roundtrip --help` (11 runs)", "help"),
        ("  the same, roundtrip/ compiled from source each run", "cold"),
        ("  `python -c 'import roundtrip'`", "import"),
        ("  `python -c pass` (the interpreter alone)", "python"),
    ):
        out.append(f"{label:<58} {start[key] * 1e3:>6.1f} ms")
    out.append("")
    for key in ("A", "B"):
        out.extend(f"{key}: {note}" for note in sorted(s[key].notes))
    for key, sample in s.items():
        out.extend(f"PROBLEM {key}: {problem}" for problem in sorted(set(sample.problems)))
    for label, problem in (("default --jobs", default_problem), ("big record", big_problem)):
        if problem:
            out.append(f"PROBLEM {label}: {problem}")
    out.append("")

    rows: list[tuple[str, str, str, str, str]] = []

    def row(
        name: str,
        wall: float | None,
        cpu: float | None,
        fmt: str,
        target: str,
        ok: Callable[[float], bool] | None = None,
    ) -> None:
        verdict = ""
        if ok is not None and wall is not None:
            verdict = "PASS" if ok(wall) else "FAIL"
            if cpu is not None and ok(cpu) != ok(wall):
                verdict += f" (cpu: {'PASS' if ok(cpu) else 'FAIL'})"
        rows.append(
            (
                name,
                "" if wall is None else fmt.format(wall),
                "" if cpu is None else fmt.format(cpu),
                target,
                verdict,
            )
        )

    row(
        "1  verify --jobs 1 / ruamel.yaml rt (D / A)",
        ratio("D", "A"),
        ratio("D", "A", True),
        "{:.3f}x",
        "<= 0.10x",
        lambda r: r <= 0.10,
    )
    row(
        "   stretch",
        ratio("D", "A"),
        ratio("D", "A", True),
        "{:.3f}x",
        "<= 0.05x",
        lambda r: r <= 0.05,
    )
    row("   in-process, no start-up (C / A)", ratio("C", "A"), ratio("C", "A", True), "{:.3f}x", "")
    row(
        "2  verify per record / libyaml alone (C / B)",
        ratio("C", "B"),
        ratio("C", "B", True),
        "{:.2f}x",
        "<= 5x",
        lambda r: r <= 5,
    )
    row(
        "   with the command's start-up (D / B)",
        ratio("D", "B"),
        ratio("D", "B", True),
        "{:.2f}x",
        "",
    )
    row(
        "   verify / ruamel safe C load (C / B2)",
        ratio("C", "B2"),
        ratio("C", "B2", True),
        "{:.2f}x",
        "",
    )
    row(
        f"3  --jobs 2 speed-up ({small_n:,} files, D / E)",
        ratio("D", "E"),
        None,
        "{:.2f}x",
        ">= 1.7x",
        lambda r: r >= 1.7,
    )
    serial = m["S"] - m["C"] / small_n
    ceiling = m["D"] / (serial + (m["D"] - serial) / 2)
    row(f"   ceiling with a serial start-up of {serial * 1e3:.0f} ms", ceiling, None, "{:.2f}x", "")
    per_byte, per_byte_cpu = (
        statistics.median(
            (r / related_size) / (q / seed_size)
            for r, q in zip(
                s["Gr"].wall if not cpu else s["Gr"].cpu,
                s["Gs"].wall if not cpu else s["Gs"].cpu,
                strict=True,
            )
        )
        for cpu in (False, True)
    )
    row(
        "4a per byte: 300 related / seed (G)",
        per_byte,
        per_byte_cpu,
        "{:.2f}x",
        "<= 1.3x",
        lambda r: r <= 1.3,
    )
    row(
        f"4b {large_n:,} files / {small_n:,} files (F / D)",
        ratio("F", "D"),
        ratio("F", "D", True),
        "{:.2f}x",
        "<= 10.5x",
        lambda r: r <= 10.5,
    )
    row(
        f"5a peak RSS, --jobs 1, {large_n:,} files",
        max(rss_large) / 1024,
        None,
        "{:.1f} MiB",
        "< 150 MiB",
        lambda v: v < 150,
    )
    row(
        f"   default --jobs ({os.cpu_count()}): largest process",
        jobs_default.max_rss_kib / 1024,
        None,
        "{:.1f} MiB",
        "< 150 MiB",
        lambda v: v < 150,
    )
    if jobs_default.tree_pss_kib:
        row(
            "   default --jobs: all processes (PSS, sampled)",
            jobs_default.tree_pss_kib / 1024,
            None,
            "{:.1f} MiB",
            "",
        )
    extra = (big_rss - startup_rss) * 1024 / big_size
    row(
        f"5b {big_size / MIB:.1f} MiB record: (peak - start-up RSS) / size",
        extra,
        None,
        "{:.1f}x",
        "< 10x",
        lambda v: v < 10,
    )
    row(
        f"   peak {big_rss / 1024:.0f} MiB, start-up {startup_rss / 1024:.0f} MiB: peak / size",
        big_rss * 1024 / big_size,
        None,
        "{:.1f}x",
        "",
    )
    row(
        "6  import + `roundtrip --help` (wall)",
        start["help"],
        None,
        "{:.3f} s",
        "< 0.3 s",
        lambda v: v < 0.3,
    )
    rows.append(("   heavy modules loaded by --help", ", ".join(heavy) or "none", "", "", ""))

    out.append(f"{'target':<52} {'wall':>10} {'cpu':>10}  {'target':<10} result")
    for name, wall_text, cpu_text, target, verdict in rows:
        out.append(f"{name:<52} {wall_text:>10} {cpu_text:>10}  {target:<10} {verdict}".rstrip())
    return out


def run_ratio(tmp: pathlib.Path, count: int, rounds: int) -> list[str]:
    """Issue 9's target alone: verify per record (C) against libyaml's parse (B), alternated,
    and V, the schema validation of the same records' data alone, for where the time goes."""
    from roundtrip.article_schema import validate
    from roundtrip.verify import Options, verify_paths

    directory = tmp / f"c{count}"
    paths = bl.build_corpus(directory, count)
    texts = bl.read_front_matters(paths)
    options = Options()
    datas = [
        result.record for result in verify_paths([str(directory)], Options(keep_records=True), 1)
    ]
    bl.libyaml_events(texts[:50])
    s = {
        "B": Samples(f"B libyaml parse alone, CParser events ({count:,})", count),
        "C": Samples(f"C verify in-process, verify_paths jobs 1 ({count:,})", count),
        "V": Samples(f"V schema validation alone, validate(data) ({count:,})", count),
    }

    def add(key: str, function: Callable[[], object]) -> None:
        wall, cpu, _ = bl.timed(function)
        s[key].add(wall, cpu)

    contenders: list[tuple[str, Callable[[], object]]] = [
        ("B", lambda: bl.libyaml_events(texts)),
        ("C", lambda: sum(r.ok for r in verify_paths([str(directory)], options, 1))),
        ("V", lambda: [validate(data) for data in datas]),
    ]
    for _, function in contenders:  # warm up
        function()
    for index in range(rounds):
        shift = index % len(contenders)
        order = contenders[shift:] + contenders[:shift]
        progress(f"round {index + 1}/{rounds}: {' '.join(key for key, _ in order)}")
        for key, function in order:
            gc.collect()
            add(key, function)

    def ratio(top: str, bottom: str, cpu: bool) -> float:
        a, b = (s[top].cpu, s[bottom].cpu) if cpu else (s[top].wall, s[bottom].wall)
        return statistics.median(x / y for x, y in zip(a, b, strict=True))

    out = [
        f"corpus:   {count:,} files cycling through the {len(bl.golden_files())} records of "
        f"golden/; {rounds} rounds, contenders alternated; medians",
        "",
        f"{'contender':<58} {'wall/record':>12} {'cpu/record':>12}",
    ]
    for sample in s.values():
        out.append(
            f"{sample.label:<58} {sample.median / count * 1e6:>9.1f} µs "
            f"{sample.median_cpu / count * 1e6:>9.1f} µs"
        )
    wall, cpu = ratio("C", "B", False), ratio("C", "B", True)
    verdict = "PASS" if wall <= 2.5 else "FAIL"
    out += [
        "",
        f"verify per record / libyaml's parse (C / B): {wall:.2f}x wall, {cpu:.2f}x cpu "
        f"(median over rounds of the ratio within a round); target <= 2.5x: {verdict}",
        f"validation's share of verify (V / C): {ratio('V', 'C', False):.1%}",
    ]
    return out


def heavy_modules_after_help() -> list[str]:
    """Which heavy dependencies `--help` imports (it should import none of them)."""
    code = (
        "import contextlib, io, sys\n"
        "from roundtrip import cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        "        cli.main(['--help'])\n"
        "    except SystemExit:\n"
        "        pass\n"
        "heavy = ('jsonschema', 'ruamel.yaml', '_ruamel_yaml', 'cattrs', 'attrs', 'rich',\n"
        "         'referencing', 'rfc3986_validator', 'multiprocessing')\n"
        "print(' '.join(name for name in heavy if name in sys.modules))\n"
    )
    run = bl.run_command([sys.executable, "-P", "-c", code])
    return run.stdout.split() if run.returncode == 0 else [f"(check failed: {run.stdout[-200:]})"]


def progress(text: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
