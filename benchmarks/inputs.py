"""Write the inputs of issue 15 to a folder, to profile or time ``envguard check`` by hand.

    .venv/bin/python -m benchmarks.inputs /tmp/eg-inputs           # every input
    .venv/bin/python -m benchmarks.inputs /tmp/eg-inputs tokens    # only (b)

(a) ``typical/.env.production``: the typical production file of ``benchmarks.corpus``;
(b) ``tokens/.env.production``: 100,000 lines ``KEY_i_TOKEN=<24-48 random characters>``, every one a
secret by its name and none alike, the input on which secret scanners are compared;
(c) ``tree/``: 2,000 files of about 48 lines in nested folders (``corpus.write_tree``);
``large/.env.production``: a realistic 100,000-line file, numbered copies of the typical file;
(d) ``commit_all``: a tree committed in git, with a fixed identity and date.
Every input is seeded: two runs write the same bytes and the same commits.
"""

from __future__ import annotations

import argparse
import os
import random
import string
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path

from benchmarks import corpus

_TOKEN_ALPHABET = string.ascii_letters + string.digits
#: a fixed identity and date, and no user or system configuration (hooks, signing)
_GIT_ENV = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@envguard.invalid",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@envguard.invalid",
    "GIT_AUTHOR_DATE": "1700000000 +0000",
    "GIT_COMMITTER_DATE": "1700000000 +0000",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def tokens_file(lines: int = 100_000, seed: int = 4) -> str:
    """``lines`` lines ``KEY_i_TOKEN=<24-48 random letters and digits>``."""
    rng = random.Random(seed)
    return "".join(
        f"KEY_{i}_TOKEN={''.join(rng.choices(_TOKEN_ALPHABET, k=rng.randint(24, 48)))}\n"
        for i in range(lines)
    )


def write_tokens(path: Path, lines: int = 100_000, seed: int = 4) -> Path:
    """Write input (b) to ``path``."""
    path.write_text(tokens_file(lines, seed), encoding="utf-8")
    return path


def commit_all(root: Path) -> Path:
    """Make ``root`` a git repository whose one commit holds every file in it."""
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("GIT_")}, **_GIT_ENV}
    for args in (
        ["init", "-q", "-b", "main"],
        ["add", "-A", "-f"],
        ["commit", "-q", "--no-verify", "-m", "tree"],
    ):
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)
    return root


def _file(write: Callable[[Path], Path]) -> Callable[[Path], Path]:
    def into(folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        return write(folder / ".env.production")

    return into


def _tree(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return corpus.write_tree(folder)


#: each input by the folder it is written to
INPUTS: dict[str, Callable[[Path], Path]] = {
    "typical": _file(corpus.write_typical),
    "tokens": _file(write_tokens),
    "tree": _tree,
    "large": _file(corpus.write_large),
}


def main(argv: Sequence[str] | None = None) -> int:
    """Write the chosen inputs (every one by default) under the given folder."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.inputs", description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("names", nargs="*", help=f"inputs to write, of {', '.join(INPUTS)} (default: all)")
    args = parser.parse_args(argv)
    unknown = [name for name in args.names if name not in INPUTS]
    if unknown:
        parser.error(f"no input named {unknown[0]!r}")
    for name in args.names or INPUTS:
        print(INPUTS[name](args.folder / name))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
