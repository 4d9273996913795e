"""Project configuration: ``envguard.toml`` or ``[tool.envguard]`` in ``pyproject.toml``.

Found by walking up from the checked file's folder; the first folder holding either file wins, and
in one folder ``envguard.toml`` wins over ``pyproject.toml`` (as ruff's own files do). A
``pyproject.toml`` without ``[tool.envguard]`` is passed over. Keys may be written with ``-`` or
``_``. Command-line flags win over everything here.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from envguard import tomlfile
from envguard.errors import ConfigFileError
from envguard.findings import Environment, Severity

_KEYS = {
    "schema",
    "env",
    "select",
    "ignore",
    "fail_on",
    "baseline",
    "example",
    "overrides",
    "targets",
    "exclude",
}
_OVERRIDE_KEYS = {"files", "schema", "env", "select", "ignore"}


@dataclass(frozen=True)
class Override:
    """Settings for the files matching ``files`` (glob patterns relative to the config's folder)."""

    files: tuple[str, ...]
    schema: str | None = None
    env: Environment | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Config:
    """One project's settings; ``root`` is the folder of the file they came from."""

    root: Path | None = None
    source: Path | None = None
    schema: str | None = None
    env_patterns: Mapping[str, Environment] = field(default_factory=dict)
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: Severity | None = None
    baseline: str | None = None
    example: str | None = None
    exclude: tuple[str, ...] = ()
    overrides: tuple[Override, ...] = ()
    targets: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def relative(self, path: Path) -> str:
        """``path`` relative to the config's folder, with ``/``; for pattern matching."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix() if self.root else path.name
        except ValueError:
            return path.as_posix()

    def matching(self, path: Path) -> list[Override]:
        """The overrides whose patterns match ``path``, in file order."""
        rel = self.relative(path)
        return [o for o in self.overrides if any(_glob(rel, p) for p in o.files)]

    def env_for(self, path: Path) -> Environment | None:
        """The environment the config assigns to ``path``, if any (overrides first)."""
        for override in reversed(self.matching(path)):
            if override.env is not None:
                return override.env
        rel = self.relative(path)
        for pattern, env in self.env_patterns.items():
            if _glob(rel, pattern):
                return env
        return None

    def schema_for(self, path: Path) -> str | None:
        """The schema the config assigns to ``path``, if any."""
        for override in reversed(self.matching(path)):
            if override.schema is not None:
                return override.schema
        return self.schema


EMPTY = Config()


def _glob(rel: str, pattern: str) -> bool:
    """Match a relative path against a pattern; a pattern without ``/`` matches the name too."""
    return fnmatch.fnmatchcase(rel, pattern) or (
        "/" not in pattern and fnmatch.fnmatchcase(rel.rsplit("/", 1)[-1], pattern)
    )


def find(start: Path) -> Config:
    """The configuration governing files in ``start`` (a folder or a file), read from the disk."""
    return Configs().find(start)


#: the files ``Configs`` looks for in each folder
CONFIG_NAMES = frozenset({"envguard.toml", "pyproject.toml"})


class Configs:
    """Configuration lookups for one run: each folder is asked once, and the files of a tree share
    their parents' answers. A new run reads the disk again."""

    def __init__(self) -> None:
        self._found: dict[Path, Config] = {}
        self._folders: dict[str, Config] = {}

    def find(self, start: Path) -> Config:
        """The configuration governing files in ``start`` (a folder or a file)."""
        folder = start if start.is_dir() else start.parent
        return self._find_in(folder.resolve())

    def for_folder(self, real: str, listed: Mapping[str, frozenset[str]]) -> Config:
        """The configuration governing files in the folder whose real path is ``real``.

        ``listed`` holds, for folders whose entries the caller has read, the configuration files
        among them (``CONFIG_NAMES``): a folder listed without one is passed over without asking
        the disk (the answer is the disk's either way, so it is kept by ``real`` alone).
        """
        found = self._folders.get(real)
        if found is None:
            found = self._folders[real] = self._for_folder(real, listed)
        return found

    def _for_folder(self, real: str, listed: Mapping[str, frozenset[str]]) -> Config:
        names = listed.get(real)
        while names is not None and not names:
            parent = os.path.dirname(real)
            if parent == real:
                return EMPTY
            real, names = parent, listed.get(parent)
        return self._find_in(Path(real))

    def _find_in(self, folder: Path) -> Config:
        found = self._found.get(folder)
        if found is None:
            found = self._found[folder] = self._read(folder)
        return found

    def _read(self, folder: Path) -> Config:
        own = folder / "envguard.toml"
        if own.is_file():
            return parse(tomlfile.load(own, ConfigFileError), own)
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            tool = tomlfile.load(pyproject, ConfigFileError).get("tool", {})
            section = _table(tool, "tool", pyproject).get("envguard")
            if section is not None:
                return parse(_table(section, "tool.envguard", pyproject), pyproject)
        parent = folder.parent
        return EMPTY if parent == folder else self._find_in(parent)


def _norm(data: Mapping[str, Any]) -> dict[str, Any]:
    return {str(k).replace("-", "_"): v for k, v in data.items()}


def parse(data: Mapping[str, Any], source: Path) -> Config:
    """Validate a configuration table; ConfigFileError names the bad key."""
    table = _norm(data)
    unknown = set(table) - _KEYS
    if unknown:
        raise ConfigFileError(f"{source}: unknown envguard setting(s): {', '.join(sorted(unknown))}")
    env = table.get("env", {})
    if isinstance(env, str):
        env = {"*": env}
    return Config(
        root=source.parent,
        source=source,
        schema=_opt_str(table, "schema", source),
        env_patterns={str(k): _env(v, source) for k, v in _table(env, "env", source).items()},
        select=_strs(table, "select", source),
        ignore=_strs(table, "ignore", source),
        fail_on=_severity(table.get("fail_on"), source),
        baseline=_opt_str(table, "baseline", source),
        example=_opt_str(table, "example", source),
        exclude=_strs(table, "exclude", source),
        overrides=tuple(_override(o, source) for o in _tables(table, "overrides", source)),
        targets={
            str(k): dict(_table(v, f"targets.{k}", source))
            for k, v in _table(table.get("targets", {}), "targets", source).items()
        },
    )


def _tables(table: Mapping[str, Any], name: str, source: Path) -> list[Mapping[str, Any]]:
    value = table.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        raise ConfigFileError(f"{source}: `{name}` must be a list of tables ([[{name}]])")
    return value


def _override(data: Any, source: Path) -> Override:
    table = _norm(_table(data, "overrides", source))
    unknown = set(table) - _OVERRIDE_KEYS
    if unknown or "files" not in table:
        raise ConfigFileError(
            f"{source}: each [[overrides]] needs `files` and may set "
            f"{', '.join(sorted(_OVERRIDE_KEYS - {'files'}))}"
        )
    return Override(
        files=_strs(table, "files", source),
        schema=_opt_str(table, "schema", source),
        env=_env(table["env"], source) if "env" in table else None,
        select=_strs(table, "select", source) if "select" in table else None,
        ignore=_strs(table, "ignore", source) if "ignore" in table else None,
    )


def _table(value: Any, name: str, source: Path) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ConfigFileError(f"{source}: `{name}` must be a table")
    return value


def _opt_str(table: Mapping[str, Any], name: str, source: Path) -> str | None:
    value = table.get(name)
    if value is not None and not isinstance(value, str):
        raise ConfigFileError(f"{source}: `{name}` must be a string")
    return value


def _strs(table: Mapping[str, Any], name: str, source: Path) -> tuple[str, ...]:
    value = table.get(name, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigFileError(f"{source}: `{name}` must be a list of strings")
    return tuple(value)


def _env(value: Any, source: Path) -> Environment:
    try:
        return Environment(value)
    except ValueError:
        names = ", ".join(e.value for e in Environment)
        raise ConfigFileError(f"{source}: environment {value!r} is not one of {names}") from None


def _severity(value: Any, source: Path) -> Severity | None:
    if value is None:
        return None
    try:
        return Severity(value)
    except ValueError:
        raise ConfigFileError(f"{source}: `fail-on` must be error, warning or info") from None
