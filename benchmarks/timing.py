"""Time child processes: wall clock, CPU and peak memory of each run, medians over repetitions."""

from __future__ import annotations

import os
import statistics
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Sample:
    """One run of one command."""

    wall: float
    cpu: float
    peak_rss_mb: float
    exit_code: int


@dataclass(frozen=True)
class Summary:
    """Medians over the repetitions of one tool on one case."""

    tool: str
    wall: float
    cpu: float
    peak_rss_mb: float
    runs: int
    exit_codes: tuple[int, ...]

    def as_dict(self) -> dict[str, object]:
        """JSON-ready fields, times in seconds rounded to the millisecond."""
        return {
            "tool": self.tool,
            "wall_s": round(self.wall, 4),
            "cpu_s": round(self.cpu, 4),
            "peak_rss_mb": round(self.peak_rss_mb, 1),
            "runs": self.runs,
            "exit_codes": list(self.exit_codes),
        }


def run_once(argv: Sequence[str], cwd: Path, timeout: float) -> Sample:
    """Run ``argv`` once (output discarded) and measure it with ``wait4``: the child's own usage."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        list(argv), cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL
    )
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
    wall = time.perf_counter() - start
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    # Linux reports the child together with the children it reaped (detect-secrets' worker pool);
    # ru_maxrss is in KiB
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, code)


def summarise(tool: str, samples: Sequence[Sample]) -> Summary:
    """Medians of wall time, CPU time and peak RSS."""
    return Summary(
        tool=tool,
        wall=statistics.median(s.wall for s in samples),
        cpu=statistics.median(s.cpu for s in samples),
        peak_rss_mb=statistics.median(s.peak_rss_mb for s in samples),
        runs=len(samples),
        exit_codes=tuple(sorted({s.exit_code for s in samples})),
    )


def alternate(
    commands: dict[str, Sequence[str]], cwd: Path, repetitions: int, timeout: float
) -> dict[str, Summary]:
    """Run every command ``repetitions`` times, interleaved (A B C, B C A, ...), and summarise.

    Interleaving spreads background load and cache effects evenly over the tools; rotating the
    order keeps any one tool from always running first.
    """
    names = list(commands)
    samples: dict[str, list[Sample]] = {name: [] for name in names}
    for rep in range(repetitions):
        order = names[rep % len(names) :] + names[: rep % len(names)]
        for name in order:
            samples[name].append(run_once(commands[name], cwd, timeout))
    return {name: summarise(name, samples[name]) for name in names}
