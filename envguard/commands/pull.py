"""``envguard pull URI [-o FILE]``: the target's variables as a .env file (mode 0600) or stdout."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path

from envguard import envfile, files, targets
from envguard.errors import EXIT_OK, InputError

# keys a .env line can carry and every loader reads back as the same name
_PORTABLE_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")


def pull(
    ref: str, output: Path | None = None, environ: Mapping[str, str] | None = None, *, force: bool = False
) -> int:
    """Write the variables of ``ref`` to ``output`` atomically (0600), or to stdout.

    Values are quoted so that python-dotenv (and envguard) read back exactly what the target
    holds, multi-line values included. Keys that no .env line can hold are skipped with a warning.
    A file that holds variables is never replaced by an empty result, and not without ``force``
    when it holds keys the target lacks.
    """
    environ = os.environ if environ is None else environ
    uri = targets.resolve(ref)
    remote = targets.readable(targets.open_target(str(uri), environ))
    values = remote.values
    for key in remote.unreadable:
        print(f"envguard: warning: {key}: {remote.why}; not pulled", file=sys.stderr)
    text, skipped = render(values, str(uri))
    if output is not None:
        _guard(output, {k for k in values if k not in skipped}, str(uri), force)
    report = sys.stderr if output is None else sys.stdout
    for key in skipped:
        print(f"envguard: warning: {key!r} is not a valid env key; skipped", file=sys.stderr)
    where = ""
    if output is None:
        sys.stdout.write(text)
    else:
        where = f" into {files.shown(output, _write(output, text))}"
    kept = len(values) - len(skipped)
    print(f"Pulled {kept} variable(s) from {uri}{where}", file=report)
    return EXIT_OK


def _guard(output: Path, pulled: set[str], uri: str, force: bool) -> None:
    """Refuse to lose variables of an existing ``output`` (InputError, exit 2)."""
    try:
        held = envfile.read(output).values()
    except InputError:
        return  # no file yet (or not a readable one: the write reports it)
    if not held:
        return
    if not pulled:
        raise InputError(
            f"{output} holds {len(held)} variable(s) and {uri} none: not replaced with an empty file",
            hint="check the target; delete the file first if an empty one is really wanted",
        )
    lacking = sorted(k for k in held if k not in pulled)
    if lacking and not force:
        names = ", ".join(lacking[:10]) + (", ..." if len(lacking) > 10 else "")
        raise InputError(
            f"{output} holds {len(lacking)} key(s) that {uri} lacks: {names}",
            hint="pass --force to replace the file anyway, or -o another file",
        )


def _write(output: Path, text: str) -> Path:
    """Write the file atomically with mode 0600 (owner and group kept; a link written through);
    an OS failure is an InputError, not a traceback. Returns the file written."""
    try:
        return envfile.atomic_write(output, text, mode=0o600)
    except OSError as exc:
        raise InputError(f"{output}: cannot write ({exc.strerror or exc})") from None


def render(values: Mapping[str, str], source: str) -> tuple[str, list[str]]:
    """The .env text for ``values`` (sorted by key) and the keys left out."""
    lines = [f"# pulled from {source} by envguard"]
    skipped: list[str] = []
    for key in sorted(values):
        if _PORTABLE_KEY.fullmatch(key) and envfile.looks_like_name(key):
            lines.append(f"{key}={envfile.quote(values[key], key)}")
        else:
            skipped.append(key)
    return "\n".join(lines) + "\n", skipped
