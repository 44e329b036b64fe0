"""Benchmark one edit of a record (issue 8 item 6, issue 11 item 5) against libyaml's parse.

Seeds: for each seed record, in rounds that alternate the contenders (A B C, then B C A, …) so
that drift on the machine hits all alike:

  B   libyaml's event parse alone (ruamel.yaml.clib's CParser, every event) of the seed's
      front matter, already in memory: the yardstick
  L   `rt.loads` of the seed
  E   `rt.loads` + one edit through the attrs objects + `rt.dumps`, for several edits
      (a scalar, a nested scalar, an item appended, a block field removed); in brackets,
      what the edit and `dumps` add to the load (E - L, in B's time)

Large record: the seed with `related` grown to N flow-style items (`- {title: …, provider:
{…}, …}` one a line; default 20,000, about 12 MiB), each contender in a fresh subprocess
(peak RSS: the child's VmHWM): the interpreter with roundtrip imported (start-up), `rt.load`
of the file alone, and `rt.load` + `heat` edited + `rt.dumps`. (`rt.load`, not `rt.loads` of
bytes the child read: a caller holding the file's bytes holds them whatever the library does,
about one more file's size than `rt.load`, which drops them once decoded.)

Usage:  python bench/bench_edit.py            # ~1 minute
        python bench/bench_edit.py --quick    # 3 rounds, 4,000 items
        ... --items N --rounds R --save FILE
        ... --commit e3d3c62      measure roundtrip/ as committed there, not the work tree

Not part of the test run. Times are CPU times (steadier than wall time when other work shares
the machine); ratios are medians over rounds of the ratio within a round.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

import benchlib as bl

import roundtrip as rt

REPEAT = 50  # calls per sample: one call is well under a millisecond


def edits() -> dict[str, Callable[[rt.Article], None]]:
    def scalar(article: rt.Article) -> None:
        article.heat = 80

    def nested(article: rt.Article) -> None:
        article.related[0].quality = 5

    def append(article: rt.Article) -> None:
        article.topics.append("Policy")

    def remove(article: rt.Article) -> None:
        article.images = None

    return {"heat = 80": scalar, "related.0.quality = 5": nested,
            "topics.append": append, "images = None": remove}  # fmt: skip


def per_call(function: Callable[[], Any]) -> float:
    """CPU time per call: on a machine other work is using, steadier than wall time (one
    thread: the two agree on a quiet machine)."""
    start = time.process_time()
    for _ in range(REPEAT):
        function()
    return (time.process_time() - start) / REPEAT


def seed_rounds(rounds: int) -> list[str]:
    from _ruamel_yaml import CParser, StreamEndEvent

    lines: list[str] = []
    for seed in bl.golden_files():
        if seed.name.count(".") != 1:
            continue
        text = seed.read_text(encoding="utf-8")
        yaml_text = bl.front_matter(text)

        def events(yaml_text: str = yaml_text) -> None:
            parser = CParser(yaml_text)
            while type(parser.get_event()) is not StreamEndEvent:
                pass

        contenders: dict[str, Callable[[], Any]] = {"B events": events}
        contenders["L loads"] = lambda text=text: rt.loads(text)
        for name, change in edits().items():

            def edit(text: str = text, change: Callable[[rt.Article], None] = change) -> None:
                article = rt.loads(text)
                change(article)
                rt.dumps(article)

            contenders[f"E {name}"] = edit
        names = list(contenders)
        samples: dict[str, list[float]] = {name: [] for name in names}
        ratios: dict[str, list[float]] = {name: [] for name in names}
        for round_ in range(rounds):
            order = names[round_ % len(names) :] + names[: round_ % len(names)]
            times = {name: per_call(contenders[name]) for name in order}
            for name in names:
                samples[name].append(times[name])
                ratios[name].append(times[name] / times["B events"])
        lines.append(f"seed {seed.name} ({len(text.encode()):,} B), {rounds} rounds, CPU medians")
        for name in names:
            median = statistics.median(samples[name]) * 1e3
            line = f"  {name:28s} {median:7.3f} ms  {statistics.median(ratios[name]):5.2f}x"
            if name.startswith("E "):  # what the edit and dumps add to the load, in events
                pairs = zip(ratios[name], ratios["L loads"], strict=True)
                beyond = statistics.median(edit - load for edit, load in pairs)
                line += f"  (edit + dumps {beyond:4.2f}x)"
            lines.append(line)
        worst = max(statistics.median(ratios[n]) for n in names if n.startswith("E "))
        lines.append(f"  target: load + edit + dumps <= 4x events: worst {worst:.2f}x "
                     + ("PASS" if worst <= 4 else "FAIL"))  # fmt: skip
    return lines


_CHILD = """
import json, sys, time
import roundtrip as rt
mode, path = sys.argv[1], sys.argv[2]
start = time.process_time()
if mode != "start-up":
    article = rt.load(path, max_bytes=1 << 31)
    if mode == "edit":
        article.heat = 5
        out = rt.dumps(article)
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across fork and exec.
with open("/proc/self/status") as status:
    peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
print(json.dumps({"seconds": time.process_time() - start, "peak_mib": peak / 1024}))
"""


def large_record(items: int, rounds: int) -> list[str]:
    seed = next(p for p in bl.golden_files() if p.name == "000_6bef1e912cfb9f3e.txt")
    text = flow_related(seed.read_text(encoding="utf-8"), items)
    size = len(text.encode())
    with tempfile.TemporaryDirectory(prefix="roundtrip-bench-") as tmp:
        path = pathlib.Path(tmp) / "large.txt"
        path.write_text(text, encoding="utf-8")
        results: dict[str, list[dict[str, float]]] = {"start-up": [], "load": [], "edit": []}
        for _ in range(rounds):
            for mode in results:
                run = subprocess.run(  # not from the work tree: `-c` puts the cwd first
                    [sys.executable, "-c", _CHILD, mode, str(path)],
                    capture_output=True, text=True, check=True, cwd=tmp,
                )  # fmt: skip
                results[mode].append(json.loads(run.stdout))
    mib = size / bl.MIB
    peak = {mode: statistics.median(r["peak_mib"] for r in runs) for mode, runs in results.items()}
    secs = {mode: statistics.median(r["seconds"] for r in runs) for mode, runs in results.items()}
    ratio = statistics.median(
        e["seconds"] / max(load["seconds"], 1e-9)
        for e, load in zip(results["edit"], results["load"], strict=True)
    )
    bound = 10 * mib + peak["start-up"]
    return [
        f"large record: {items:,} flow-style related items, {mib:.1f} MiB, {rounds} rounds "
        "(fresh process each)",
        f"  start-up (import roundtrip)      peak {peak['start-up']:7.1f} MiB",
        f"  load                  {secs['load']:7.2f} s CPU  peak {peak['load']:7.1f} MiB",
        f"  load + edit + dumps   {secs['edit']:7.2f} s CPU  peak {peak['edit']:7.1f} MiB",
        f"  target: edit / load <= a few times: {ratio:.2f}x",
        f"  target: peak <= 10 x file + start-up = {bound:.0f} MiB: edit {peak['edit']:.0f} MiB "
        + ("PASS" if peak["edit"] <= bound else "FAIL")
        + f" (load alone {peak['load']:.0f} MiB)",
    ]


def flow_related(seed_text: str, items: int) -> str:
    """The seed with `related` replaced by `items` one-line flow mappings (unique titles)."""
    data = rt.to_dict(rt.loads(seed_text))
    head = seed_text[: seed_text.index("related:")]
    tail = seed_text[seed_text.index("\nsecured:") + 1 :]
    chunks = []
    for k in range(items):
        item = data["related"][k % len(data["related"])]
        item = {**item, "title": f"[{k}] {item['title']}"}
        fields = ", ".join(
            f"{key}: {json.dumps(value, ensure_ascii=False)}"
            if not isinstance(value, dict)
            else f"{key}: {{{', '.join(f'{k2}: {v2}' for k2, v2 in value.items())}}}"
            for key, value in item.items()
        )
        chunks.append("  - {" + fields + "}\n")
    return head + "related:\n" + "".join(chunks) + "\n" + tail


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 rounds, 4,000 items")
    parser.add_argument("--rounds", type=int, help="rounds of alternation (default 9; quick 3)")
    parser.add_argument("--items", type=int, help="related items of the large record")
    parser.add_argument("--save", type=pathlib.Path, help="also write the table to this file")
    parser.add_argument(
        "--commit", metavar="REV", help="measure roundtrip/ as committed at REV, not the work tree"
    )
    args = parser.parse_args(argv)
    bl.use_commit(args.commit)
    rounds = args.rounds or (3 if args.quick else 9)
    items = args.items or (4_000 if args.quick else 20_000)
    header = ["roundtrip edit benchmark (issue 8 item 6, issue 11 item 5)", *bl.machine_header()]
    load = bl.load_average()
    others = bl.OtherLoad()
    lines = [*seed_rounds(rounds), "", *large_record(items, max(1, min(rounds, 3)))]
    busy = others.cores()
    header.append(
        f"load:     {load:.2f} (1-min average) before the run"
        + ("" if busy is None else f"; other processes kept {busy:.2f} of "
           f"{os.cpu_count()} cores busy during the run")
    )  # fmt: skip
    text = "\n".join([*header, "", *lines]) + "\n"
    print(text)
    if args.save:
        args.save.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
