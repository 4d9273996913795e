"""Time ``envguard check`` against detect-secrets and dotenv-linter, and ``push`` against the targets.

    .venv/bin/python -m benchmarks.run            # the full run (several minutes)
    .venv/bin/python -m benchmarks.run --quick    # CI-sized: smaller inputs, fewer repetitions

Cases: (a) a typical 40-variable production file, a cold process per run as a hook runs it; (b) one
100,000-line env file; (c) a tree of 2,000 env files in nested folders; then ``push`` of 500
variables to Vault (a ``bao server -dev`` started here), Railway and Render (the loopback servers of
``tests/servers``). The tools run interleaved, medians over the repetitions; the table goes to
stdout and the numbers to ``benchmarks/results/latest.json``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from benchmarks import corpus, push, timing

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "benchmarks" / "results" / "latest.json"
#: the ratios README promises: envguard's median wall time over the peer's, per case
TARGETS = {
    ("typical", "detect-secrets"): 0.5,
    ("typical", "dotenv-linter"): 0.8,
    ("large", "detect-secrets"): 0.1,
    ("tree", "detect-secrets"): 0.1,
}


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="CI-sized run: 10,000 lines, 200 files, 5 and 1 repetitions")
    parser.add_argument("--repetitions", type=int, help="runs per tool on the typical file (default 15)")
    parser.add_argument("--heavy-repetitions", type=int,
                        help="runs per tool on the large file and the tree (default 3)")
    parser.add_argument("--lines", type=int, help="lines of the large file (default 100,000)")
    parser.add_argument("--files", type=int, help="files in the tree (default 2,000)")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds before a run is killed")
    parser.add_argument("--no-push", action="store_true", help="skip the push benchmark")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write the JSON")
    parser.add_argument("--machine", default="", help="a note on the machine, kept in the JSON")
    args = parser.parse_args(argv)
    quick = args.quick
    args.repetitions = args.repetitions or (5 if quick else 15)
    args.heavy_repetitions = args.heavy_repetitions or (1 if quick else 3)
    args.lines = args.lines or (10_000 if quick else 100_000)
    args.files = args.files or (200 if quick else 2_000)
    return args


def _envguard(*args: str) -> list[str]:
    # the installed console script, as a hook or CI runs it; -q: no summary line
    return [str(BIN / "envguard"), "check", "-q", *args]


def _commands(case: str, target: Path) -> dict[str, list[str]]:
    """The command each tool runs for one case; every tool reads the same bytes."""
    files = sorted(str(p) for p in target.rglob("*") if p.is_file()) if target.is_dir() else [str(target)]
    return {
        # a folder is searched for env files by envguard itself: scanning is part of the job
        "envguard": _envguard(str(target)),
        # --no-verify: no network calls to providers (detect-secrets verifies some keys by default)
        "detect-secrets": [str(BIN / "detect-secrets"), "scan", "--no-verify", "--all-files", str(target)],
        "dotenv-linter": [str(BIN / "dotenv-linter"), *files],
    }


def _cases(work: Path, args: argparse.Namespace) -> list[tuple[str, Path, int]]:
    """(name, input, repetitions) for the three check cases, written into ``work``."""
    for folder in ("typical", "large"):
        (work / folder).mkdir(parents=True)
    typical = corpus.write_typical(work / "typical" / ".env.production")
    large = corpus.write_large(work / "large" / ".env.production", args.lines)
    tree = corpus.write_tree(work / "tree", args.files)
    return [("typical", typical, args.repetitions), ("large", large, args.heavy_repetitions),
            ("tree", tree, args.heavy_repetitions)]


def _check_results(work: Path, args: argparse.Namespace) -> dict[str, dict[str, timing.Summary]]:
    results = {}
    for name, target, reps in _cases(work, args):
        print(f"timing {name} ({reps} runs per tool)...", file=sys.stderr, flush=True)
        results[name] = timing.alternate(_commands(name, target), target.parent, reps, args.timeout)
    return results


def _ratios(results: dict[str, dict[str, timing.Summary]]) -> list[dict[str, object]]:
    rows = []
    for case, tools in results.items():
        mine = tools["envguard"]
        for peer in ("detect-secrets", "dotenv-linter"):
            ratio = mine.wall / tools[peer].wall
            goal = TARGETS.get((case, peer))
            rows.append({"case": case, "peer": peer, "ratio": round(ratio, 4), "target": goal,
                         "met": None if goal is None else ratio <= goal})
    return rows


def _table(results: dict[str, dict[str, timing.Summary]], ratios: list[dict[str, object]],
           pushes: list[push.PushResult]) -> str:
    lines = [f"{'case':<9} {'tool':<15} {'wall s':>9} {'cpu s':>9} {'peak MB':>8}"]
    for case, tools in results.items():
        for summary in tools.values():
            lines.append(f"{case:<9} {summary.tool:<15} {summary.wall:>9.3f} {summary.cpu:>9.3f} "
                         f"{summary.peak_rss_mb:>8.1f}")
    lines.append("")
    lines.append(f"{'case':<9} {'envguard / peer':<22} {'ratio':>7} {'target':>7}  met")
    for row in ratios:
        goal = "-" if row["target"] is None else f"{row['target']:.2f}"
        met = "-" if row["met"] is None else ("yes" if row["met"] else "NO")
        lines.append(f"{row['case']!s:<9} {'envguard / ' + str(row['peer']):<22} {row['ratio']:>7.3f} "
                     f"{goal:>7}  {met}")
    if pushes:
        lines.append("")
        lines.append(f"{'push 500 vars':<9} {'step':<20} {'requests':>9} {'wall s':>8} {'exit':>5}")
        for result in pushes:
            lines.append(f"{result.target:<13} {result.step:<20} {result.requests:>9} {result.wall:>8.3f} "
                         f"{result.exit_code:>5}")
    return "\n".join(lines)


def _machine(note: str) -> dict[str, object]:
    import resource

    # a child's peak RSS starts at the runner's (fork copies it): smaller peaks read as this value
    runner_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"note": note, "cpus": os.cpu_count(), "platform": platform.platform(),
            "python": platform.python_version(), "load_average": list(os.getloadavg()),
            "runner_peak_rss_mb": round(runner_mb, 1)}


def main(argv: Sequence[str] | None = None) -> int:
    """Run every benchmark, print the table, write the JSON; returns 0 (targets are reported)."""
    args = _arguments(argv)
    with tempfile.TemporaryDirectory(prefix="envguard-bench-") as tmp:
        results = _check_results(Path(tmp), args)
    print("timing push...", file=sys.stderr, flush=True)
    pushes = [] if args.no_push else push.bench_all()
    ratios = _ratios(results)
    print(_table(results, ratios, pushes))
    report = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": _machine(args.machine),
        "settings": {"quick": args.quick, "repetitions": args.repetitions,
                     "heavy_repetitions": args.heavy_repetitions, "lines": args.lines, "files": args.files},
        "check": {case: {t: s.as_dict() for t, s in tools.items()} for case, tools in results.items()},
        "ratios": ratios,
        "push": [r.as_dict() for r in pushes],
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
