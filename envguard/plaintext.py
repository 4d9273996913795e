"""Plaintext secrets a commit would carry: what ``protect`` refuses and ``check --git`` looks for.

One judgement, shared by the commit hook and the history scan, so that a file the hook lets through
is never reported later as a leak in history. What counts depends on the environment a file is for:

* everywhere: a dotenvx private key (``DOTENV_PRIVATE_KEY*``) or a PEM private key block;
* production and staging: any plaintext value of a secret (``Context.role``, the judgement every
  rule and source shares) that is a literal: not empty, an "unset" literal such as ``null``, a
  placeholder, a published default in an example or a ``${REFERENCE}``; encrypted values pass;
* development and test: a credential in a live provider format (``sk_live_...``, a GitHub token);
* examples: a real-looking credential: a provider format, or a random-looking value of a secret.

Exposures name a line and a key and carry a keyed fingerprint, never the value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from envguard import catalog, config, envfile, keys, sources
from envguard.envfile import EnvFile
from envguard.findings import Environment
from envguard.judge.formats import Token
from envguard.model import Context, Run, Variable
from envguard.rules.leak.examples import random_part
from envguard.schema import GENERIC, Schema

#: the opening line of a PEM private key (RSA, EC, OpenSSH, PKCS#8, encrypted or not, PGP)
PEM_PRIVATE = re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----")


@dataclass(frozen=True, slots=True)
class Exposure:
    """One plaintext secret at one place; ``what`` reads well after "holds"."""

    line: int
    key: str | None
    what: str
    fingerprint: str | None = None


def judged_as(
    path: Path,
    env: Environment | None = None,
    configs: config.Configs | None = None,
    *,
    cfg: config.Config | None = None,
    schema_of: Callable[[str, Path], Schema] = catalog.load,
) -> tuple[Environment, Schema]:
    """The environment and schema a file is judged with: ``env`` if given, else the project
    configuration (``cfg``, the one governing the file's folder, or looked up through ``configs``,
    one run's lookups, when given), else its name (``sources.infer_env``). ``schema_of`` loads a
    schema by reference (a run's loads, when given)."""
    if cfg is None:
        cfg = (configs or config.Configs()).find(path)
    ref = cfg.schema_for(path)
    schema = schema_of(ref, cfg.root or Path.cwd()) if ref else GENERIC
    return env or cfg.env_for(path) or sources.infer_env(path, schema.default_env), schema


def holds_pem_private(text: str) -> bool:
    """Whether ``text`` holds the opening line of a PEM private key (``PEM_PRIVATE``)."""
    return "PRIVATE KEY" in text and PEM_PRIVATE.search(text) is not None  # the pattern's literal first


def pem_lines(text: str) -> list[int]:
    """Line numbers (1-based) where a PEM private key block starts."""
    if not holds_pem_private(text):  # most files: one scan for the literal, no line split
        return []
    return [n for n, line in enumerate(text.splitlines(), 1) if PEM_PRIVATE.search(line)]


def exposures(
    parsed: EnvFile,
    env: Environment,
    schema: Schema = GENERIC,
    key: bytes | None = None,
    run: Run | None = None,
) -> list[Exposure]:
    """The plaintext secrets of one env file meant for ``env``, in line order."""
    ctx = Context(
        source=str(parsed.path),
        env=env,
        variables=sources.file_variables(parsed),
        records=parsed.records,
        schema=schema,
        run=run or Run(key),
    )
    return context_exposures(ctx)


def context_exposures(ctx: Context) -> list[Exposure]:
    """:func:`exposures` of a file already made into a context (by ``check``, judging it with the
    same environment and schema, no encrypted value opened): its variables' readings and roles are
    not decided twice."""
    found = []
    strict = ctx.env.strict
    for var in ctx.variables:
        what = _judge(ctx, var, strict)
        if what is not None:
            value = var.value or ""
            found.append(Exposure(var.line or 0, var.key, what, ctx.fingerprint(value) if value else None))
    return found


def _judge(ctx: Context, var: Variable, strict: bool) -> str | None:
    """What ``var`` exposes in plaintext, or None when committing it is fine; ``strict``: whether
    ``ctx``'s environment is judged strictly."""
    value = (var.value or "").strip()
    if var.encrypted or not value:
        return None
    if var.key.startswith(keys.PRIVATE):
        return "a dotenvx private key"
    if holds_pem_private(value):
        return "a PEM private key"
    if strict and not ctx.role(var).secret:  # most variables of a production file: asked first
        return None
    literal = ctx.reading(var).judged
    if literal is None or keys.stays_plain(var.key) or ctx.placeholder(var):
        return None
    token = ctx.token(var)
    if strict:
        return f"a plaintext secret ({token.label})" if token is not None else "a plaintext secret"
    if ctx.env is Environment.EXAMPLE:
        return _real_looking(ctx, var, literal, token)
    if token is not None and _credential(token) and not token.test:
        return f"a plaintext credential ({token.label})"
    return None


def _real_looking(ctx: Context, var: Variable, value: str, token: Token | None) -> str | None:
    """In an example file, what the example rules (EG301, EG302) call a leak: a credential format,
    a generated-looking password in a URL, or a generated-looking secret."""
    if ctx.shipped(value):
        return None
    if token is not None:
        return f"a real-looking credential ({token.label})" if _credential(token) else None
    part = random_part(ctx, var, value)
    if part is None:
        return None
    return "a real-looking password inside a URL" if "URL" in part else "a real-looking secret"


def _credential(token: Token) -> bool:
    """A format that works as a credential (an unprivileged JWT is a session, not a key)."""
    return token.secret and not (token.jwt and not token.privileged)


def judge_text(
    text: str,
    name: str,
    env: Environment,
    schema: Schema = GENERIC,
    key: bytes | None = None,
    run: Run | None = None,
) -> list[Exposure]:
    """Exposures of an env file's text (a staged or historical version) named ``name``."""
    return judge_parsed(envfile.parse_text(text, Path(name)), text, env, schema, key, run)


def judge_parsed(
    parsed: EnvFile,
    text: str,
    env: Environment,
    schema: Schema = GENERIC,
    key: bytes | None = None,
    run: Run | None = None,
) -> list[Exposure]:
    """:func:`judge_text` for a text already parsed (``parsed`` read from ``text``)."""
    return with_pem_blocks(exposures(parsed, env, schema, key, run), text)


def with_pem_blocks(found: list[Exposure], text: str) -> list[Exposure]:
    """``found`` and the PEM private key blocks of ``text`` on lines no exposure names, in line
    order: a key block in a multi-line value, or outside any entry."""
    lines = {e.line for e in found}
    found += [Exposure(n, None, "a PEM private key") for n in pem_lines(text) if n not in lines]
    return sorted(found, key=lambda e: e.line)
