"""Shared pieces of the benchmark scripts: the corpus, the yardsticks, timing and machine facts.

Not part of the test run and not part of the package: `bench_verify.py` and `profile_verify.py`
import it from this folder.
"""

from __future__ import annotations

import io
import os
import pathlib
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "golden"
SEED = GOLDEN / "000_6bef1e912cfb9f3e.txt"
MIB = 1024 * 1024


# -- the corpus ------------------------------------------------------------------------------


def golden_files() -> list[pathlib.Path]:
    """Every record in golden/ (seeds and style variants), in name order."""
    return sorted(p for p in GOLDEN.glob("*.txt") if p.is_file())


def build_corpus(directory: pathlib.Path, count: int) -> list[pathlib.Path]:
    """`count` files cycling through golden/, each under a unique name: `00042-<golden name>`."""
    directory.mkdir(parents=True, exist_ok=True)
    sources = [(p.name, p.read_bytes()) for p in golden_files()]
    paths = []
    for index in range(count):
        name, data = sources[index % len(sources)]
        path = directory / f"{index:05d}-{name}"
        path.write_bytes(data)
        paths.append(path)
    return paths


def with_related(seed_text: str, *, count: int | None = None, min_bytes: int | None = None) -> str:
    """The seed record with its `related:` list grown to `count` entries (or to `min_bytes`).

    The seed's own entries are repeated in turn, each copy's title made unique (`[7] …`), so
    the record stays valid and every entry is different data.
    """
    lines = seed_text.split("\n")
    start = lines.index("related:")
    end = start + 1
    while end < len(lines) and lines[end].startswith("  "):
        end += 1
    items: list[list[str]] = []
    for line in lines[start + 1 : end]:
        if line.startswith("  - "):
            items.append([line])
        else:
            items[-1].append(line)
    head = "\n".join(lines[: start + 1]) + "\n"
    tail = "\n".join(lines[end:])
    size = len(head.encode()) + len(tail.encode())
    chunks: list[str] = []
    k = 0
    while (count is not None and k < count) or (min_bytes is not None and size < min_bytes):
        item = list(items[k % len(items)])
        item[0] = item[0].replace('title: "', f'title: "[{k}] ', 1)
        chunk = "\n".join(item) + "\n"
        chunks.append(chunk)
        size += len(chunk.encode())
        k += 1
    return head + "".join(chunks) + tail


# -- the yardsticks --------------------------------------------------------------------------


def front_matter(text: str) -> str:
    """The YAML between the `---` fences, as a user without this toolkit would cut it out."""
    if text.startswith("\ufeff"):
        text = text[1:]
    newline = "\r\n" if text.startswith("---\r\n") else "\n"
    lines = text.split(newline)
    try:
        end = lines.index("---", 1)
    except ValueError:
        end = len(lines)
    return newline.join(lines[1:end]) + newline


def make_ruamel() -> Any:
    """ruamel.yaml's round-trip YAML, set up as a user would for these records."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt", pure=False)
    yaml.preserve_quotes = True
    yaml.width = 1 << 30
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


@dataclass
class RuamelOutcome:
    identical: int = 0
    different: int = 0
    errors: int = 0


def ruamel_roundtrip(yaml: Any, paths: Sequence[pathlib.Path]) -> RuamelOutcome:
    """The bare yardstick: read each file, load its front matter, dump it, compare the text."""
    outcome = RuamelOutcome()
    for path in paths:
        with open(path, encoding="utf-8", newline="") as stream:
            text = front_matter(stream.read())
        try:
            data = yaml.load(text)
            out = io.StringIO()
            yaml.dump(data, out)
        except Exception:
            outcome.errors += 1
            continue
        if out.getvalue() == text:
            outcome.identical += 1
        else:
            outcome.different += 1
    return outcome


def read_front_matters(paths: Sequence[pathlib.Path]) -> list[str]:
    result = []
    for path in paths:
        with open(path, encoding="utf-8", newline="") as stream:
            result.append(front_matter(stream.read()))
    return result


def libyaml_events(texts: Sequence[str]) -> int:
    """libyaml's parse alone (ruamel.yaml.clib's CParser): every event of every text."""
    from _ruamel_yaml import CParser, StreamEndEvent

    events = 0
    for text in texts:
        parser = CParser(text)
        while type(parser.get_event()) is not StreamEndEvent:
            events += 1
    return events


def ruamel_safe_load(texts: Sequence[str]) -> int:
    """libyaml's parse plus building plain Python data: ruamel.yaml typ='safe' with the C loader."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=False)
    loaded = 0
    for text in texts:
        try:
            yaml.load(text)
            loaded += 1
        except Exception:
            pass
    return loaded


# -- running things --------------------------------------------------------------------------


# Interpreters started here get -P: with `-c` the current directory would come first on
# sys.path, and from the work tree's root that would import ./roundtrip, not the one measured.


def roundtrip_command() -> list[str]:
    """The installed `roundtrip` console script beside this interpreter, else `python -m`."""
    script = pathlib.Path(sys.executable).parent / "roundtrip"
    if script.exists():
        return [str(script)]
    found = shutil.which("roundtrip")
    return [found] if found else [sys.executable, "-m", "roundtrip"]


@dataclass
class Run:
    seconds: float
    max_rss_kib: int  # of the largest single process: the child or any child it waited for
    returncode: int
    stdout: str
    cpu_seconds: float  # user + system, of the child and the children it waited for
    tree_pss_kib: int | None = None  # sampled peak of the whole process tree's PSS, when asked


# Peak RSS comes from wait4 in a small intermediary process: on Linux a child's ru_maxrss
# starts from the RSS of the process that forked it (the high-water mark of the old address
# space is kept across exec), so measured straight from this big benchmark process every child
# would look at least as large as the benchmark. The intermediary also times the child, so its
# own start-up is not counted.
_MEASURE = """
import os, subprocess, sys, time
start = time.perf_counter()
child = subprocess.Popen(sys.argv[2:], stdin=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
seconds = time.perf_counter() - start
cpu = usage.ru_utime + usage.ru_stime
with open(sys.argv[1], "w") as stream:
    stream.write(f"{seconds} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)} {cpu}")
"""


def run_command(
    argv: Sequence[str], *, sample_tree: bool = False, env: dict[str, str] | None = None
) -> Run:
    """Run `argv`: its wall time, and its peak RSS (exact, from wait4, not sampled)."""
    with _TempOut() as out, tempfile.NamedTemporaryFile("r", suffix=".rusage") as report:
        wrapper = subprocess.Popen(
            [sys.executable, "-S", "-c", _MEASURE, report.name, *argv],
            stdin=subprocess.DEVNULL,
            stdout=out.file,
            stderr=subprocess.STDOUT,
            env=env,
        )
        sampler = _TreeSampler(wrapper.pid) if sample_tree else None
        wrapper.wait()
        tree = sampler.stop() if sampler is not None else None
        fields = report.read().split()
        if wrapper.returncode != 0 or len(fields) != 4:
            raise RuntimeError(f"could not run {argv}: {out.text()[-500:]}")
        seconds, max_rss, returncode = float(fields[0]), int(fields[1]), int(fields[2])
        return Run(seconds, max_rss, returncode, out.text(), float(fields[3]), tree)


class _TempOut:
    def __enter__(self) -> _TempOut:
        self.file = tempfile.TemporaryFile()
        return self

    def text(self) -> str:
        self.file.seek(0)
        return self.file.read().decode("utf-8", "replace")

    def __exit__(self, *exc: object) -> None:
        self.file.close()


class _TreeSampler:
    """Samples the summed PSS (proportional set size) of a process and its descendants."""

    def __init__(self, pid: int, interval: float = 0.02) -> None:
        self.pid = pid
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.is_set():
            total = sum(_pss_kib(pid) for pid in _tree(self.pid)[1:])  # not the intermediary
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)

    def stop(self) -> int | None:
        self._stop.set()
        self._thread.join()
        return self.peak or None


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as stream:
                    todo.extend(int(child) for child in stream.read().split())
        except OSError:
            pass
    return found


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as stream:
            for line in stream:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def timed(function: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall time, CPU time (this process) and the result of `function()`."""
    cpu = time.process_time()
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, time.process_time() - cpu, result


# -- the machine -----------------------------------------------------------------------------


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as stream:
            for line in stream:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def versions() -> str:
    parts = []
    for name in ("roundtrip", "ruamel.yaml", "ruamel.yaml.clib", "jsonschema", "cattrs", "attrs"):
        try:
            parts.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name} (not installed)")
    return ", ".join(parts)


def use_commit(revision: str | None) -> None:
    """Re-run this script against roundtrip/ as committed at `revision` (a snapshot on PYTHONPATH).

    Lets the numbers be taken on a known state while the work tree changes; subprocesses
    (the `roundtrip` console script) inherit PYTHONPATH and import the same snapshot.
    """
    if revision is None or os.environ.get("ROUNDTRIP_BENCH_SNAPSHOT"):
        return
    sha = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", revision],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    target = pathlib.Path(tempfile.gettempdir()) / f"roundtrip-bench-snapshot-{sha}"
    if not (target / "roundtrip" / "__init__.py").exists():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", sha], capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    env = dict(os.environ, ROUNDTRIP_BENCH_SNAPSHOT=sha)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(target), env.get("PYTHONPATH")]))
    os.execve(sys.executable, [sys.executable, *sys.argv], env)


PYCACHE = pathlib.Path(tempfile.gettempdir()) / "roundtrip-bench-pycache"


def cache_bytecode() -> None:
    """Let the processes this benchmark starts keep bytecode, outside the work tree.

    An installed roundtrip has compiled bytecode; here PYTHONDONTWRITEBYTECODE may be set and
    roundtrip/ has no __pycache__, so every start would compile the package from source. The
    cache goes under PYCACHE (PYTHONPYCACHEPREFIX), never into roundtrip/.
    """
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(PYCACHE)


def no_bytecode_env() -> dict[str, str]:
    """The environment as this machine sets it: roundtrip/ compiled from source at every start."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    env.pop("PYTHONPYCACHEPREFIX", None)
    return env


def roundtrip_source() -> str:
    """Which roundtrip this benchmark measures: the work tree, or a committed snapshot."""
    snapshot = os.environ.get("ROUNDTRIP_BENCH_SNAPSHOT")
    if snapshot:
        return f"roundtrip as committed at {snapshot} (snapshot on PYTHONPATH)"
    return f"roundtrip from the work tree, {git_state()}"


def git_state() -> str:
    try:
        head = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "roundtrip"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "git: unknown"
    return f"git {head}" + (" + uncommitted changes in roundtrip/" if dirty else "")


class OtherLoad:
    """How busy other processes kept the CPUs while this benchmark ran (in cores, on average).

    /proc/stat's busy time of all CPUs, less the CPU time of this process and its children.
    """

    def __init__(self) -> None:
        self.start = (time.perf_counter(), _busy_seconds(), _own_seconds())

    def cores(self) -> float | None:
        wall, busy, own = self.start
        now_busy = _busy_seconds()
        if busy is None or now_busy is None:
            return None
        return max(0.0, (now_busy - busy) - (_own_seconds() - own)) / (time.perf_counter() - wall)


def _busy_seconds() -> float | None:
    try:
        with open("/proc/stat") as stream:
            fields = [int(x) for x in stream.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    busy = sum(fields[:8]) - idle  # user nice system idle iowait irq softirq steal
    return busy / os.sysconf("SC_CLK_TCK")


def _own_seconds() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def load_average() -> float | None:
    """The 1-minute load average (other work on the machine skews every number here)."""
    try:
        return os.getloadavg()[0]
    except OSError:
        return None


def machine_header() -> list[str]:
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return [
        f"date:     {now}",
        f"machine:  {cpu_model()}, {os.cpu_count()} cores ({affinity} usable); "
        f"{platform.system()} {platform.release()}",
        f"python:   {platform.python_implementation()} {platform.python_version()} "
        f"({sys.executable})",
        f"versions: {versions()}",
        f"measured: {roundtrip_source()}",
    ]
