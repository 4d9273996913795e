"""The ``envguard`` entry point: a plain ``check`` starts without building the typer app.

A pre-commit hook runs ``envguard check FILE...`` on every commit, and importing typer (and the
pydantic it uses to convert options) costs more than checking a file. So an invocation of ``check``
made only of the options below, in their plain spellings (``--schema S``, ``--schema=S``, ``-s S``),
with valid values, is parsed here and handed to ``commands.check.run`` inside the same error
boundary as the CLI. Anything else (help, an unknown or misspelled option, a bad value, combined
short flags, another command) goes to ``envguard.cli.main`` unchanged, so typer's own parsing and
messages stay the reference; a test runs both paths side by side on the same arguments.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from envguard.commands.check import CheckOptions
    from envguard.findings import Environment

_E = TypeVar("_E", bound=Enum)

#: options that take one value, long and short spellings, as the CLI declares them
_VALUED = {
    "--schema": "schema",
    "-s": "schema",
    "--env": "env",
    "-e": "env",
    "--format": "format",
    "-f": "format",
    "--fail-on": "fail_on",
    "--select": "select",
    "--ignore": "ignore",
    "--baseline": "baseline",
    "--write-baseline": "write_baseline",
    "--example": "example",
    "--pid": "pid",
    "--from": "from_uri",
    "--stdin-filename": "stdin_filename",
    "--output-file": "output_file",
    "-o": "output_file",
}
#: flags and the (field, value) each one sets
_FLAGS = {
    "--from-env": ("from_env", True),
    "--color": ("color", True),
    "--no-color": ("color", False),
    "--quiet": ("quiet", True),
    "-q": ("quiet", True),
    "--git": ("git", True),
    "--only-schema": ("only_schema", True),
    "--exit-zero": ("exit_zero", True),
    "--statistics": ("statistics", True),
}
_REPEATABLE = frozenset({"select", "ignore"})


class _NotPlain(Exception):
    """The arguments need the full CLI (help, an error message, an unusual spelling)."""


def main(argv: list[str] | None = None) -> None:
    """Entry point: a plain ``check`` runs directly, everything else through the typer app."""
    args = sys.argv[1:] if argv is None else list(argv)
    from envguard.pages import help_page, page

    # the rule and schema listings and the help, without importing the CLI or the rules
    answer = page(args) or help_page(args)
    if answer is not None:
        from envguard.errors import guarded

        sys.exit(guarded(lambda: sys.stdout.write(answer) and None))
    opts = plain_check(args)
    if opts is None:
        from envguard.cli import main as cli_main

        cli_main(args)
        return
    sys.exit(_guarded(opts))


def plain_check(args: list[str]) -> CheckOptions | None:
    """The options of a plain ``check`` invocation, or None when the CLI must parse the arguments."""
    if not args or args[0] != "check":
        return None
    try:
        return _options(_parse(args[1:]))
    except _NotPlain:
        return None


def _parse(args: list[str]) -> dict[str, Any]:
    """Option values as given (strings, lists for the repeatable ones, booleans for flags)."""
    raw: dict[str, Any] = {"paths": []}
    rest = iter(args)
    for arg in rest:
        if arg == "--":
            raw["paths"].extend(rest)
        elif not arg.startswith("-") or arg == "-":
            raw["paths"].append(arg)
        elif arg in _FLAGS:
            _set_once(raw, *_FLAGS[arg])
        else:
            name, eq, inline = arg.partition("=")
            if name not in _VALUED or (eq and not name.startswith("--")):
                raise _NotPlain(arg)
            value = inline if eq else next(rest, None)
            if value is None or (not eq and value.startswith("-")):
                raise _NotPlain(arg)
            field = _VALUED[name]
            if field in _REPEATABLE:
                raw.setdefault(field, []).append(value)
            else:
                _set_once(raw, field, value)
    return raw


def _set_once(raw: dict[str, Any], field: str, value: object) -> None:
    if field in raw:
        raise _NotPlain(field)  # repeated or contradictory: the CLI decides
    raw[field] = value


def _options(raw: dict[str, Any]) -> CheckOptions:
    """Typed options, converted as the CLI converts them; _NotPlain on a value it would reject."""
    from envguard.commands.check import CheckOptions
    from envguard.findings import Severity

    def path(field: str) -> Path | None:
        return Path(raw[field]) if field in raw else None

    def csv(field: str) -> tuple[str, ...]:
        return tuple(v.strip() for item in raw.get(field, ()) for v in item.split(",") if v.strip())

    return CheckOptions(
        paths=tuple(Path(p) for p in raw["paths"]),
        schema=raw.get("schema"),
        env=_environment(raw.get("env")),
        format=raw.get("format", "text"),
        fail_on=_choice(Severity, raw.get("fail_on")),
        select=csv("select"),
        ignore=csv("ignore"),
        baseline=path("baseline"),
        write_baseline=path("write_baseline"),
        example=path("example"),
        from_env=raw.get("from_env", False),
        pid=_integer(raw.get("pid")),
        from_uri=raw.get("from_uri"),
        color=raw.get("color"),
        quiet=raw.get("quiet", False),
        git=raw.get("git", False),
        only_schema=raw.get("only_schema", False),
        stdin_filename=raw.get("stdin_filename"),
        output_file=path("output_file"),
        exit_zero=raw.get("exit_zero", False),
        statistics=raw.get("statistics", False),
    )


def _environment(value: str | None) -> Environment | None:
    """``--env``, with the names file names use (``prod``), as the CLI reads it."""
    if value is None:
        return None
    from envguard.sources import env_named

    found = env_named(value)
    if found is None:
        raise _NotPlain(value)
    return found


def _choice(kind: type[_E], value: str | None) -> _E | None:
    """A case-insensitive enum choice (``--env PRODUCTION``)."""
    if value is None:
        return None
    for member in kind:
        if member.value.casefold() == value.casefold():
            return member
    raise _NotPlain(value)


def _integer(value: str | None) -> int | None:
    if value is None:
        return None
    if not (value.isascii() and value.isdigit()):
        raise _NotPlain(value)  # signs, spaces and underscores: the CLI's conversion decides
    return int(value)


def _guarded(opts: CheckOptions) -> int:
    """Run ``check`` inside the CLI's own boundary: one line and an exit code for every failure."""
    from envguard.commands import check
    from envguard.errors import guarded

    return guarded(lambda: check.run(opts))
