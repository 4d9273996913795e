"""``envguard protect FILE...``: refuse to commit plaintext secrets (the ``envguard-protect`` hook).

A file fails when committing it would publish a secret (``envguard.plaintext`` says what counts):
``.env.keys`` always; any file holding a private key; an env file for production or staging with
a plaintext secret value; an example file with a real-looking credential. Encrypted values pass.
Every message names the file, the line and the key, never the value.
"""

from __future__ import annotations

import sys
from pathlib import Path

from envguard import envfile, keys, plaintext, sources
from envguard.errors import EXIT_FINDINGS, EXIT_OK, InputError
from envguard.findings import Environment

_HINT_KEYS = (
    "unstage it (git rm --cached {file}), add .env.keys to .gitignore, keep the keys in a secret manager"
)
_HINT_PRIVATE = "remove the key from the file and rotate it; keep private keys out of git"
_HINT_STRICT = "encrypt it (envguard encrypt {file}) or keep the file out of git (.gitignore)"
_HINT_EXAMPLE = "replace it with a placeholder such as your-key-here, and rotate the credential"


def protect(files: tuple[Path, ...], env: Environment | None = None) -> int:
    """Check each file a commit would add; print one line per problem; exit 1 when any."""
    refused = 0
    for path in files:
        problems = _problems(path, env)
        for line in problems:
            print(line)
        refused += bool(problems)
    if refused:
        print(
            f"envguard protect: refused {refused} {'file' if refused == 1 else 'files'}; "
            "no value was printed",
            file=sys.stderr,
        )
        return EXIT_FINDINGS
    return EXIT_OK


def _problems(path: Path, env: Environment | None) -> list[str]:
    """The lines to print for one file; empty when it may be committed."""
    shown = sources.display(path)
    if path.name == keys.KEYS_FILE:
        hint = _HINT_KEYS.format(file=shown)
        return [
            f"{shown}: .env.keys holds the private keys of encrypted env files; never commit it "
            f"(hint: {hint})"
        ]
    if not path.is_file():
        raise InputError(f"{shown}: no such file")
    if not sources.is_env_file(path.name):
        return [
            f"{shown}:{n}: holds a PEM private key (hint: {_HINT_PRIVATE})"
            for n in plaintext.pem_lines(_text(path))
        ]
    env, schema = plaintext.judged_as(path, env)
    text = envfile.decode(envfile.read_bytes(path), path)
    return [_line(shown, env, e) for e in plaintext.judge_text(text, str(path), env, schema)]


def _line(shown: str, env: Environment, exposure: plaintext.Exposure) -> str:
    """``FILE:LINE: KEY holds ... (env file) (hint: ...)``."""
    who = exposure.key or "this line"
    if "private key" in exposure.what:
        hint = _HINT_PRIVATE
    elif env is Environment.EXAMPLE:
        hint = _HINT_EXAMPLE
    else:
        hint = _HINT_STRICT.format(file=shown)
    article = "an" if env is Environment.EXAMPLE else "a"
    return f"{shown}:{exposure.line}: {who} holds {exposure.what} in {article} {env} file (hint: {hint})"


def _text(path: Path) -> str:
    """A non-env file's text for the private-key scan; binary files read as empty."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{sources.display(path)}: cannot read ({exc.strerror or exc})") from None
    if b"\0" in data[:8192]:
        return ""
    return data.decode("utf-8", "replace")
