"""What ``envguard rules``, ``rule CODE``, ``schema list`` and every ``-h`` print, kept in ``pages.json``.

Those pages depend only on the rule registry, the built-in schemas and the CLI's declarations, yet
answering them the ordinary way imports typer, rich, pydantic and every rule module: more than a
typical ``check`` costs. ``python -m envguard.pages`` prints them through the real commands into
``pages.json`` (committed, shipped in the wheel); ``envguard.launch`` answers from it without
importing any of that. A test fails when the committed file is stale: regenerate it after changing
a rule, a built-in schema or an option.

**Help** is printed by typer (through rich) at :data:`HELP_WIDTH` columns at most (``cli.py`` holds
it there), once as rich writes it to a terminal (colours) and once as it writes it to a pipe. A
kept page is served only where typer would print exactly those bytes: a UTF-8 stream, a window at
least :data:`HELP_WIDTH` wide, no variable that changes how rich or typer render
(:data:`_RENDER_VARIABLES`), not Windows. Anywhere else typer prints it, as before.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

FILE = Path(__file__).with_name("pages.json")
#: the widest help is printed: wider windows get these 80 columns, as git's and ruff's help
HELP_WIDTH = 80
#: variables that change what rich or typer print, or its width: a kept page is not served
_RENDER_VARIABLES = (
    "COLUMNS",
    "FORCE_COLOR",
    "NO_COLOR",
    "PY_COLORS",
    "GITHUB_ACTIONS",
    "TERMINAL_WIDTH",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    "JUPYTER_COLUMNS",
    "JUPYTER_LINES",
    "_TYPER_FORCE_DISABLE_TERMINAL",
    "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION",
)
_HELP_FLAGS = ("-h", "--help")


def _printed(command: Callable[[], int]) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        command()
    return out.getvalue()


def build() -> dict[str, object]:
    """The pages, printed by the commands themselves: ``rules`` (text and json), each rule by code
    (names map to codes), ``schema list``."""
    from envguard.commands import rules, schema
    from envguard.rules import RULES

    listings = {fmt: _printed(functools.partial(rules.list_rules, fmt)) for fmt in ("text", "json")}
    shown = {rule.code: _printed(functools.partial(rules.show_rule, rule.code)) for rule in RULES}
    return {
        "rules": listings,
        "rule": shown,
        "names": {rule.name: rule.code for rule in RULES},
        "schema list": _printed(schema.list_schemas),
        "help": _all_helps(),
    }


def _all_helps() -> dict[str, dict[str, str]]:
    """Every command's kept help, printed by two processes at a time."""
    from concurrent.futures import ThreadPoolExecutor

    paths = list(command_paths())
    with ThreadPoolExecutor(max_workers=2) as pool:
        helps = list(pool.map(_helps, paths))
    return {" ".join(path): found for path, found in zip(paths, helps, strict=True)}


def command_paths() -> Iterator[list[str]]:
    """Every command's words (``[]`` for the top level, ``["schema", "list"]``), hidden ones left out."""
    import typer.main

    from envguard.cli import app

    def walk(command: Any, path: list[str]) -> Iterator[list[str]]:
        yield path
        for name, sub in getattr(command, "commands", {}).items():
            if not sub.hidden:
                yield from walk(sub, [*path, name])

    yield from walk(typer.main.get_group(app), [])


def _helps(path: list[str]) -> dict[str, str]:
    """``envguard PATH -h`` as typer prints it to a terminal (``tty``) and to a pipe (``pipe``)."""
    return {"tty": printed_help(path, tty=True), "pipe": printed_help(path, tty=False)}


#: how :func:`printed_help` starts envguard: the typer app itself, or the installed entry point
TYPER = "import sys; from envguard.cli import main; main(sys.argv[1:])"
ENTRY_POINT = "import sys; from envguard.launch import main; main(sys.argv[1:])"


def printed_help(
    path: list[str],
    tty: bool,
    columns: int = HELP_WIDTH,
    env: dict[str, str] | None = None,
    code: str = TYPER,
) -> str:
    """What ``envguard PATH -h`` prints in a fresh process (``code`` starts it) whose stdin,
    stdout and stderr are a terminal ``columns`` wide (``tty``), or are not terminals at all.
    The environment is this one without :data:`_RENDER_VARIABLES`, ``TERM=xterm-256color``, then ``env``."""
    import subprocess

    clean = {k: v for k, v in os.environ.items() if k not in _RENDER_VARIABLES}
    clean.update({"TERM": "xterm-256color", "PYTHONIOENCODING": "utf-8", **(env or {})})
    argv = [sys.executable, "-c", code, *path, "-h"]
    if not tty:
        done = subprocess.run(argv, env=clean, stdin=subprocess.DEVNULL, capture_output=True, check=True)
        return done.stdout.decode("utf-8")
    return _in_terminal(argv, clean, columns)


def _in_terminal(argv: list[str], env: dict[str, str], columns: int) -> str:
    import fcntl
    import pty
    import struct
    import subprocess
    import termios
    import tty

    leader, follower = pty.openpty()
    try:
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 25, columns, 0, 0))
        tty.setraw(follower)  # no newline translation: the bytes as the program wrote them
        proc = subprocess.Popen(argv, env=env, stdin=follower, stdout=follower, stderr=follower)
        os.close(follower)
        follower = -1
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: every writer closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        if proc.wait() != 0:
            raise RuntimeError(f"{' '.join(argv[3:])} exited {proc.returncode}")
        return b"".join(chunks).decode("utf-8")
    finally:
        os.close(leader)
        if follower >= 0:
            os.close(follower)


def text() -> str:
    """``pages.json``'s content as :func:`build` makes it."""
    import json

    return json.dumps(build(), indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _load() -> dict[str, Any]:
    """The kept pages (json is imported here: a plain ``check`` never needs it)."""
    import json

    pages: dict[str, Any] = json.loads(FILE.read_text(encoding="utf-8"))
    return pages


def page(args: list[str]) -> str | None:
    """The page ``args`` prints when it is one of these plain invocations, else None."""
    if (
        args in (["rules"], ["schema", "list"])
        or (args[:1] == ["rules"] and args[1:2] in (["--format"], ["-f"]) and len(args) == 3)
        or (len(args) == 2 and args[0] == "rule")
    ):
        try:
            pages = _load()
        except (OSError, ValueError):
            return None
        if args[0] == "schema":
            return str(pages["schema list"])
        if args[0] == "rules":
            found = pages["rules"].get(args[2] if len(args) == 3 else "text")
        else:
            wanted = args[1].strip()
            found = pages["rule"].get(pages["names"].get(wanted, wanted.upper()))
        return found if isinstance(found, str) else None
    return None


def help_page(args: list[str], stream: TextIO | None = None) -> str | None:
    """The kept help for ``args`` (``-h``, ``check -h``, ``schema list --help``) when typer would
    print exactly it to ``stream`` (stdout), else None."""
    if not args or args[-1] not in _HELP_FLAGS or any(a.startswith("-") for a in args[:-1]):
        return None
    stream = sys.stdout if stream is None else stream
    if os.name == "nt" or any(name in os.environ for name in _RENDER_VARIABLES):
        return None
    if (getattr(stream, "encoding", None) or "").lower().replace("-", "") != "utf8":
        return None
    try:
        tty = stream.isatty()
    except ValueError:
        return None
    if tty and os.environ.get("TERM", "").lower() in ("", "dumb", "unknown"):
        return None
    if _window_columns() < HELP_WIDTH:
        return None
    try:
        pages = _load()
    except (OSError, ValueError):
        return None
    found = pages.get("help", {}).get(" ".join(args[:-1]))
    return found.get("tty" if tty else "pipe") if isinstance(found, dict) else None


def _window_columns() -> int:
    """The width rich finds: the first of stdin, stdout, stderr that is a terminal; else 80."""
    for fd in (0, 1, 2):
        try:
            columns = os.get_terminal_size(fd).columns
        except (AttributeError, ValueError, OSError):
            continue
        return columns or HELP_WIDTH
    return HELP_WIDTH


if __name__ == "__main__":
    FILE.write_text(text(), encoding="utf-8")
    print(f"wrote {FILE}")
