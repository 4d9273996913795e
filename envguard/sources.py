"""Where variables come from: env files found on disk, a mapping (a process, a target).

This module does the I/O; it turns each source into a ``Context`` the engine can judge.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from envguard import config, configfiles, envfile
from envguard import encrypted as encrypted_files
from envguard.errors import InputError
from envguard.escaping import to_text
from envguard.findings import Environment
from envguard.model import Context, Origin, Project, Run, Variable
from envguard.schema import Schema

#: folders never searched for env files
SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        ".venv",
        "venv",
        "__pycache__",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        "vendor",
        ".envguard",
    }
)
#: env-looking names that are not env files: key stores, direnv scripts, dotenv-vault blobs
NOT_ENV_FILES = frozenset({".env.keys", ".envrc", ".env.vault", ".env.me"})
_EXAMPLE = {"example", "sample", "template", "dist", "defaults", "tpl"}
_NAMED = {
    "production": Environment.PRODUCTION,
    "prod": Environment.PRODUCTION,
    "live": Environment.PRODUCTION,
    "staging": Environment.STAGING,
    "stage": Environment.STAGING,
    "preprod": Environment.STAGING,
    "development": Environment.DEVELOPMENT,
    "dev": Environment.DEVELOPMENT,
    "local": Environment.DEVELOPMENT,
    "test": Environment.TEST,
    "testing": Environment.TEST,
    "ci": Environment.TEST,
}
ENCRYPTED_PREFIX = "encrypted:"


#: the names :func:`is_env_file` admits, as globs (before ``NOT_ENV_FILES`` is taken out), for
#: tools that filter paths themselves (``git log -- PATHSPEC``)
ENV_FILE_GLOBS = (".env", ".env.*", "*.env")


def env_named(value: str) -> Environment | None:
    """The environment a name means (``--env prod``): the names file names use, any case."""
    word = value.strip().lower()
    if word in _EXAMPLE:
        return Environment.EXAMPLE
    return _NAMED.get(word) or next((e for e in Environment if e.value == word), None)


def is_env_file(name: str) -> bool:
    """``.env``, ``.env.*`` and ``*.env`` names (``ENV_FILE_GLOBS``), minus key stores and direnv
    scripts."""
    if name in NOT_ENV_FILES:
        return False
    return name == ".env" or name.startswith(".env.") or (name.endswith(".env") and name != ".env")


def infer_env(path: Path, default: Environment | None = None) -> Environment:
    """The environment a file's name implies (DESIGN.md): examples first, then named ones.

    Plain ``.env`` takes the schema's default; any other unknown name is production, because being
    strict when unsure is the safe mistake.
    """
    tokens = [t for t in path.name.lower().replace("-", ".").replace("_", ".").split(".") if t]
    if any(t in _EXAMPLE for t in tokens):
        return Environment.EXAMPLE
    named = [t for t in tokens if t in _NAMED]
    # ``.env.production.local`` and ``.env.prod.local`` are production's local overrides: ``local``
    # names the environment only when nothing else does
    if len(named) > 1 and named[-1] == "local":
        named.pop()
    if named:
        return _NAMED[named[-1]]
    if path.name == ".env" and default is not None:
        return default
    return Environment.PRODUCTION


#: variables through which a process names its own environment, most specific first
ENV_NAME_KEYS = (
    "ENVGUARD_ENV",
    "APP_ENV",
    "ENVIRONMENT",
    "ENV",
    "DJANGO_ENV",
    "FLASK_ENV",
    "RAILS_ENV",
    "RACK_ENV",
    "NODE_ENV",
)


def environ_env(
    values: Mapping[str, str | None], keys: tuple[str, ...] = ENV_NAME_KEYS
) -> Environment | None:
    """The environment live variables name for themselves (``APP_ENV=staging``), if any.

    Live configuration has no file name to go by; the first of ``ENV_NAME_KEYS`` whose value is
    a known environment name decides.
    """
    for key in keys:
        name = (values.get(key) or "").strip().lower()
        if name in _NAMED:
            return _NAMED[name]
    return None


def discover(
    paths: list[Path], resolver: Resolver | None = None, empty: list[Path] | None = None
) -> list[Path]:
    """The env files named by ``paths``: files as given, folders searched (once each).

    Folders also yield config files that carry environment (``envguard.configfiles``), and a
    compose file adds the env files its ``env_file:`` entries name.

    With no paths, the env files directly in the current folder. InputError when a path does not
    exist or a folder holds no env file; given ``empty``, such folders are added to it instead
    (``check --git``, where the repository is checked whatever the folders hold).
    """
    if not paths:
        found = sorted(p for p in Path(".").iterdir() if p.is_file() and is_env_file(p.name))
        if not found:
            raise InputError(
                "no env files in the current folder",
                hint="pass a file or folder: envguard check .env.production",
            )
        return found
    files: list[Path] = []
    seen: set[str] = set()
    resolver = resolver or Resolver()
    for path in paths:
        if path.is_dir():
            inside = _walk(path, resolver)
            if not inside and empty is not None:
                empty.append(path)
                continue
            if not inside:
                raise InputError(f"{path}: no env files found (.env*, *.env, compose.yaml, render.yaml)")
        elif path.exists() or path.is_symlink():
            inside = [path]
        else:
            raise InputError(f"{path}: no such file or folder")
        # a compose file's env_file entries are checked as the env files they name
        for item in [*inside, *(e for i in inside for e in configfiles.env_files(i))]:
            key = resolver.real(os.fspath(item))
            if key not in seen:
                seen.add(key)
                files.append(item)
    return files


def _walk(root: Path, resolver: Resolver) -> list[Path]:
    """The env and deploy files under ``root``, sorted as paths sort; what ``os.walk`` would find
    (symbolic links to folders are not entered, unreadable folders are skipped), minus ``SKIP_DIRS``.

    Walked by hand because the directory entries say for free which names are links: the real path
    of everything that is not one is its folder's real path and its name, so ``resolver`` learns
    it here instead of asking the file system again for each file.
    """
    top = os.fspath(root)
    found: list[str] = []
    stack = [(top, os.path.abspath(top), resolver.real(top))]
    while stack:
        folder, absolute, real = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:
            continue
        resolver.listed[real] = frozenset(
            e.name for e in entries if e.name in config.CONFIG_NAMES and _is_file(e)
        )
        for entry in entries:
            name = entry.name
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if name not in SKIP_DIRS and not entry.is_symlink():
                    child = os.path.join(absolute, name), os.path.join(real, name)
                    resolver.learn(*child)
                    stack.append((entry.path, *child))
            elif is_env_file(name) or configfiles.is_config_file(name):
                found.append(entry.path)
                if not entry.is_symlink():
                    resolver.learn(os.path.join(absolute, name), os.path.join(real, name))
    # Path order compares part by part ("a/b" before "a-b"), not character by character
    return [Path(p) for p in sorted(found, key=lambda p: p.split(os.sep))]


def display(path: Path, resolver: Resolver | None = None) -> str:
    """A path as findings show it: relative to the current folder when inside it."""
    resolver = resolver or Resolver()
    real, here = resolver.real(os.fspath(path)), resolver.real(os.curdir)
    if real == here:
        return "."
    inside = here.rstrip(os.sep) + os.sep
    if not real.startswith(inside):
        return path.as_posix()
    return real[len(inside) :].replace(os.sep, "/")


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


class Resolver:
    """``os.path.realpath`` for many files under few folders, for the length of one run.

    ``Path.resolve()`` looks at every component of every path; a tree of 2,000 files in nested
    folders paid for each folder again with each file. Here each folder's real path is computed
    once, from its parent's, so a file costs one ``lstat``. The answers are ``realpath``'s: a
    component that is a symbolic link is resolved by ``realpath`` itself, and a path with ``..``
    goes to ``realpath`` whole (``..`` must apply after links, not before).
    """

    def __init__(self) -> None:
        self._real: dict[str, str] = {}
        #: real folder path -> the configuration files in it (``config.CONFIG_NAMES``), for the
        #: folders a walk has listed
        self.listed: dict[str, frozenset[str]] = {}

    def real(self, path: str) -> str:
        """The real absolute path of ``path`` (relative paths against the current folder)."""
        if ".." in path.split(os.sep):
            return os.path.realpath(path)
        return self._real_abs(os.path.abspath(path))

    def learn(self, absolute: str, real: str) -> None:
        """Note that ``absolute`` (from ``os.path.abspath``) is really ``real``."""
        self._real[absolute] = real

    def _real_abs(self, path: str) -> str:
        found = self._real.get(path)
        if found is None:
            parent = os.path.dirname(path)
            if parent == path:
                found = path
            else:
                candidate = os.path.join(self._real_abs(parent), os.path.basename(path))
                found = os.path.realpath(candidate) if os.path.islink(candidate) else candidate
            self._real[path] = found
        return found


def file_variables(parsed: envfile.EnvFile, opened: Mapping[int, str] | None = None) -> tuple[Variable, ...]:
    """The file's entries as Variables; encrypted values are marked, and read only when ``opened``
    (decrypted values by line) holds them."""
    out = []
    opened = opened or {}
    for record in parsed.records:
        key, value = record.key, record.value
        if key is None or value is None or record.error is not None:
            continue  # not an entry (``Record.is_entry``)
        if value.startswith(ENCRYPTED_PREFIX):
            out.append(
                Variable(key, opened.get(record.line), record.line, record.value_column, True, record.quote)
            )
        else:
            out.append(Variable(key, value, record.line, record.value_column, False, record.quote))
    return tuple(out)


def file_context(
    parsed: envfile.EnvFile,
    env: Environment,
    schema: Schema,
    source: str,
    run: Run | None = None,
    project: Project | None = None,
    **extra: object,
) -> Context:
    """A Context for a parsed file; encrypted values are opened in memory when a key is at hand."""
    seen = encrypted_files.inspect(parsed)
    return Context(
        source=source,
        env=env,
        variables=file_variables(parsed, seen.opened),
        records=parsed.records,
        schema=schema,
        run=run or Run(),
        project=project or Project(),
        crlf=parsed.crlf,
        bom=parsed.bom,
        notes=list(seen.notes),
        exposed_keys_file=seen.exposed_keys_file,
        **extra,  # type: ignore[arg-type]
    )


def mapping_context(
    values: Mapping[str, str | None],
    env: Environment,
    schema: Schema,
    source: str,
    run: Run | None = None,
    origin: Origin = Origin.PROCESS,
) -> Context:
    """A Context for variables with no file behind them: a process, a deployed target (whose
    None values are there but not shown: judged by name, as present). Any string Python can hold
    is accepted: the lone surrogates by which Python keeps bytes that are not UTF-8
    (``os.environ``, surrogateescape) become U+FFFD, which EG110 reports."""
    variables = tuple(Variable(to_text(k), None if v is None else to_text(v)) for k, v in values.items())
    return Context(
        source=source,
        env=env,
        variables=variables,
        records=None,
        schema=schema,
        run=run or Run(),
        origin=origin,
    )


def process_environ(pid: int) -> dict[str, str]:
    """Another process's environment, from ``/proc/PID/environ`` (Linux only)."""
    proc = Path("/proc")
    if not proc.is_dir():
        raise InputError(
            "--pid needs /proc (Linux only)",
            hint="on this system use --from-env inside the process's environment",
        )
    path = proc / str(pid) / "environ"
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"pid {pid}: no such process") from None
    except PermissionError:
        raise InputError(
            f"pid {pid}: permission denied reading its environment",
            hint="run as the process's user or as root",
        ) from None
    except OSError as exc:
        raise InputError(f"pid {pid}: cannot read its environment ({exc.strerror})") from None
    values: dict[str, str] = {}
    for item in data.split(b"\0"):
        key, sep, value = item.partition(b"=")
        if sep and key:
            values[key.decode("utf-8", "replace")] = value.decode("utf-8", "replace")
    return values
