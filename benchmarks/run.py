"""Time ``envguard`` against the peers users pick instead: secretlint, gitleaks, detect-secrets and more.

    .venv/bin/python -m benchmarks.run            # the full run (about 15 minutes on 2 cores)
    .venv/bin/python -m benchmarks.run --quick    # CI-sized: smaller inputs, fewer repetitions

Cases: (a) a typical production file, a cold process per run as a hook runs it; (b) 100,000 lines
``KEY_i_TOKEN=<24-48 random characters>``; a realistic 100,000-line file (numbered copies of the
typical one); (c) a tree of 2,000 env files of 48 lines in nested folders; (d) that tree committed
in git, ``check . --git`` against ``gitleaks git``; the help and listing commands against a typical
check; then ``push`` of 500 variables to each target (``benchmarks/push.py``). secretlint and
gitleaks are installed into a cache folder on first use (``benchmarks/peers.py``). The tools run
interleaved, medians over the repetitions; the table goes to stdout and the numbers to
``benchmarks/results/latest.json`` (``--output benchmarks/results-reference.json`` for the
reference run).
"""

from __future__ import annotations

import argparse
import compileall
import datetime
import json
import os
import platform
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from benchmarks import corpus, inputs, peers, push, timing

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "benchmarks" / "results" / "latest.json"
#: the ratios issue 15 asks for: envguard's median wall time over the peer's, per case
TARGETS = {
    ("typical", "detect-secrets"): 0.5,
    ("typical", "secretlint"): 0.5,
    ("tokens", "secretlint"): 1.0,
    ("tree", "secretlint"): 1.0,
    ("git", "gitleaks"): 1.0,
    **{(f"help: {name}", "check"): 0.5 for name in ("-h", "check -h", "rules", "rule EG201", "schema list")},
}
#: the help and listing commands, timed against a typical check
HELP = {
    "-h": ["-h"],
    "check -h": ["check", "-h"],
    "rules": ["rules"],
    "rule EG201": ["rule", "EG201"],
    "schema list": ["schema", "list"],
}


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="CI-sized run: 10,000 lines, 200 files, 5 and 1 repetitions"
    )
    parser.add_argument("--repetitions", type=int, help="runs per tool on the typical file (default 15)")
    parser.add_argument(
        "--heavy-repetitions", type=int, help="runs per tool on the large file and the tree (default 3)"
    )
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
    # the installed console script, as a hook or CI runs it
    return [str(BIN / "envguard"), *args]


def _commands(case: str, target: Path) -> dict[str, list[str]]:
    """The command each tool runs for one case; every tool reads the same bytes."""
    if case == "git":
        return {
            "envguard": _envguard("check", "-q", ".", "--git"),
            "gitleaks": [peers.gitleaks(), "git", "--no-banner", str(target)],
        }
    files = sorted(str(p) for p in target.rglob("*") if p.is_file()) if target.is_dir() else [str(target)]
    found = {
        # a folder is searched for env files by envguard itself: scanning is part of the job
        "envguard": _envguard("check", "-q", str(target)),
        "secretlint": [*peers.secretlint(), f"{target}/**/*" if target.is_dir() else str(target)],
        "gitleaks": [peers.gitleaks(), "dir", "--no-banner", str(target)],
        # --no-verify: no network calls to providers (detect-secrets verifies some keys by default)
        "detect-secrets": [str(BIN / "detect-secrets"), "scan", "--no-verify", "--all-files", str(target)],
        # minutes on 100,000 lines: timed on the typical file and the tree only
        "dotenv-linter": [str(BIN / "dotenv-linter"), *files],
    }
    if case in ("tokens", "large"):
        del found["dotenv-linter"]
    return found


def _cases(work: Path, args: argparse.Namespace) -> list[tuple[str, Path, int]]:
    """(name, input, repetitions) for the check cases, written into ``work``."""
    for folder in ("typical", "tokens", "large"):
        (work / folder).mkdir(parents=True)
    typical = corpus.write_typical(work / "typical" / ".env.production")
    tokens = inputs.write_tokens(work / "tokens" / ".env.production", args.lines)
    large = corpus.write_large(work / "large" / ".env.production", args.lines)
    tree = corpus.write_tree(work / "tree", args.files)
    repo = inputs.commit_all(corpus.write_tree(work / "git", args.files))
    heavy = args.heavy_repetitions
    return [
        ("typical", typical, args.repetitions),
        ("tokens", tokens, heavy),
        ("large", large, heavy),
        ("tree", tree, heavy),
        ("git", repo, heavy),
    ]


def _check_results(work: Path, args: argparse.Namespace) -> dict[str, dict[str, timing.Summary]]:
    results = {}
    for name, target, reps in _cases(work, args):
        print(f"timing {name} ({reps} runs per tool)...", file=sys.stderr, flush=True)
        results[name] = timing.alternate(
            _commands(name, target), target if name == "git" else target.parent, reps, args.timeout
        )
    print(f"timing help and listings ({args.repetitions} runs each)...", file=sys.stderr, flush=True)
    typical = work / "typical"
    commands = {
        "check": _envguard("check", "-q", str(typical / ".env.production")),
        **{name: _envguard(*argv) for name, argv in HELP.items()},
    }
    timed = timing.alternate(commands, typical, args.repetitions, args.timeout)
    for name in HELP:
        results[f"help: {name}"] = {"envguard": timed[name], "check": timed["check"]}
    return results


def _ratios(results: dict[str, dict[str, timing.Summary]]) -> list[dict[str, object]]:
    """envguard over each peer, and over the fastest peer, per case."""
    rows = []
    for case, tools in results.items():
        mine = tools["envguard"]
        others = {name: s for name, s in tools.items() if name != "envguard"}
        fastest = min(others, key=lambda name: others[name].wall)
        for peer, summary in others.items():
            ratio = mine.wall / summary.wall
            goal = TARGETS.get((case, peer))
            rows.append(
                {
                    "case": case,
                    "peer": peer,
                    "ratio": round(ratio, 4),
                    "target": goal,
                    "met": None if goal is None else ratio <= goal,
                    "fastest": peer == fastest,
                }
            )
    return rows


def _table(
    results: dict[str, dict[str, timing.Summary]],
    ratios: list[dict[str, object]],
    pushes: list[push.PushResult],
) -> str:
    lines = [f"{'case':<18} {'tool':<15} {'wall s':>9} {'cpu s':>9} {'peak MB':>8}"]
    for case, tools in results.items():
        for name, summary in tools.items():
            lines.append(
                f"{case:<18} {name:<15} {summary.wall:>9.3f} {summary.cpu:>9.3f} {summary.peak_rss_mb:>8.1f}"
            )
    lines.append("")
    lines.append(f"{'case':<18} {'envguard / peer':<26} {'ratio':>7} {'target':>7}  met")
    for row in ratios:
        goal = "-" if row["target"] is None else f"{row['target']:.2f}"
        met = "-" if row["met"] is None else ("yes" if row["met"] else "NO")
        peer = f"envguard / {row['peer']}" + (" *" if row["fastest"] else "")
        lines.append(f"{row['case']!s:<18} {peer:<26} {row['ratio']:>7.3f} {goal:>7}  {met}")
    lines.append("(* the fastest peer on that case)")
    if pushes:
        lines.append("")
        lines.append(f"{'push 500 vars':<9} {'step':<20} {'requests':>9} {'wall s':>8} {'exit':>5}")
        for result in pushes:
            lines.append(
                f"{result.target:<13} {result.step:<20} {result.requests:>9} {result.wall:>8.3f} "
                f"{result.exit_code:>5}"
            )
    return "\n".join(lines)


def _machine(note: str) -> dict[str, object]:
    import resource

    # a child's peak RSS starts at the runner's (fork copies it): smaller peaks read as this value
    runner_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "note": note,
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "load_average": list(os.getloadavg()),
        "runner_peak_rss_mb": round(runner_mb, 1),
    }


def _compile_envguard() -> None:
    """Write envguard's bytecode, as ``pip install`` does for the peers and for users' installs.

    An editable checkout under ``PYTHONDONTWRITEBYTECODE=1`` would otherwise compile every module
    from source on each cold start, and time that instead of envguard."""
    compileall.compile_dir(ROOT / "envguard", quiet=1)


def main(argv: Sequence[str] | None = None) -> int:
    """Run every benchmark, print the table, write the JSON; returns 0 (targets are reported)."""
    args = _arguments(argv)
    _compile_envguard()
    with tempfile.TemporaryDirectory(prefix="envguard-bench-") as tmp:
        results = _check_results(Path(tmp), args)
    print("timing push...", file=sys.stderr, flush=True)
    pushes = [] if args.no_push else push.bench_all()
    ratios = _ratios(results)
    print(_table(results, ratios, pushes))
    report = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": _machine(args.machine),
        "settings": {
            "quick": args.quick,
            "repetitions": args.repetitions,
            "heavy_repetitions": args.heavy_repetitions,
            "lines": args.lines,
            "files": args.files,
        },
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
