"""Config files that carry environment: compose files, Render Blueprints, Railway/Nixpacks files.

Each file becomes one context per service, whose ``origin`` names the kind of file (the same
rules as for a .env file, plus the
deploy-file leak rules). Findings point at the config file and the line of each variable; the
service is named at the end of the message (``... (service web)``), so the ``key`` stays the
variable's name and baselines and schemas work unchanged. A compose ``env_file:`` is checked as
the env file it names (``env_files`` hands it to discovery) and its keys count as present in the
service. The format modules import PyYAML, so they are imported only when such a file is checked.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from envguard import envfile
from envguard.errors import InputError
from envguard.escaping import to_text
from envguard.findings import Environment, Finding
from envguard.model import Context, Origin, Project, Run, Variable
from envguard.schema import GENERIC, Schema

COMPOSE, RENDER, RAILWAY, NIXPACKS = Origin.COMPOSE, Origin.RENDER, Origin.RAILWAY, Origin.NIXPACKS

_COMPOSE = re.compile(r"(docker-)?compose(\.[\w.-]+)?\.ya?ml")
_TOOLS = {COMPOSE: "docker compose", RENDER: "Render", RAILWAY: "Railway", NIXPACKS: "Nixpacks"}
_NAMES = {
    "render.yaml": RENDER,
    "render.yml": RENDER,
    "railway.json": RAILWAY,
    "railway.toml": RAILWAY,
    "nixpacks.toml": NIXPACKS,
}


#: (key, value as written or None when the platform or the host fills it in, line, column)
Var = tuple[str, str | None, int, int | None]


@dataclass(frozen=True)
class Service:
    """The variables one service (or env group) of a config file defines, with their places."""

    #: how findings name it (``service web``, ``env group shared``); None for file-wide variables
    name: str | None
    variables: tuple[Var, ...]
    #: (path as written, required, line) of each compose ``env_file`` entry
    env_files: tuple[tuple[str, bool, int], ...] = ()


def kind_of(name: str) -> Origin | None:
    """``compose``, ``render``, ``railway`` or ``nixpacks`` for a config file's name, else None."""
    if _COMPOSE.fullmatch(name):
        return COMPOSE
    return _NAMES.get(name)


def is_config_file(name: str) -> bool:
    """Whether a file name is a config file envguard reads variables from."""
    return kind_of(name) is not None


def _services(path: Path) -> list[Service]:
    """The file's services, read through its tool's shapes; InputError for any other shape."""
    kind = kind_of(path.name)
    if kind in (RAILWAY, NIXPACKS):
        from envguard.configfiles import railway

        found = list(railway.services(path))
    else:
        from envguard.configfiles import compose, nodes, render

        root = nodes.load(path)
        try:
            found = list(compose.services(root) if kind == COMPOSE else render.services(root))
        except nodes.ShapeError as exc:
            where = f"{path}:{exc.line}" if exc.line else str(path)
            tool = _TOOLS[kind] if kind else "its tool"
            raise InputError(f"{where}: {exc}", hint=f"{tool} refuses it too") from None
    for service in found:
        for key, _, line, _ in service.variables:
            if len(key) > envfile.MAX_KEY_LENGTH:
                raise InputError(
                    f"{path}:{line}: a variable name {len(key):,} characters long (envguard "
                    f"reads names up to {envfile.MAX_KEY_LENGTH})"
                )
    # a JSON or YAML escape can hold a lone surrogate: U+FFFD instead, reported by EG110
    return [
        dataclasses.replace(
            s,
            variables=tuple(
                (to_text(k), None if v is None else to_text(v), line, column)
                for k, v, line, column in s.variables
            ),
        )
        for s in found
    ]


def env_files(path: Path) -> list[Path]:
    """The env files a compose file's services name that exist, relative to the compose file."""
    if kind_of(path.name) != COMPOSE:
        return []
    found = []
    for service in _services(path):
        for written, _, _ in service.env_files:
            candidate = path.parent / written
            if candidate.is_file() and candidate not in found:
                found.append(candidate)
    return found


def contexts(
    path: Path, source: str, env: Environment, schema: Schema, run: Run, project: Project | None = None
) -> list[Context]:
    """One context per service of a config file (one empty context when none sets variables)."""
    kind = kind_of(path.name) or COMPOSE
    project = project or Project()
    out: list[Context] = []
    for service in _services(path):
        notes: list[str] = []
        variables = _env_file_keys(path, source, service, notes) + tuple(
            Variable(key, value, line, column) for key, value, line, column in service.variables
        )
        out.append(
            Context(
                source=source,
                env=env,
                variables=variables,
                schema=_schema_for(schema, variables),
                run=run,
                origin=kind,
                service=service.name,
                project=project,
                notes=notes,
            )
        )
    return out or [Context(source=source, env=env, variables=(), run=run, origin=kind, project=project)]


def _env_file_keys(path: Path, source: str, service: Service, notes: list[str]) -> tuple[Variable, ...]:
    """Keys of the service's env files, present with values left to the env file's own check.

    Keys the service's ``environment:`` sets again are left out: that definition wins, as in compose.
    """
    own = {key for key, _, _, _ in service.variables}
    keys: dict[str, Variable] = {}
    for written, required, line in service.env_files:
        candidate = path.parent / written
        if not candidate.is_file():
            if required:
                notes.append(f"{source}:{line}: env_file {written} not found, not checked")
            continue
        for key in envfile.read(candidate).values():
            if key not in own:
                keys[key] = Variable(key, None)
    return tuple(keys.values())


def _schema_for(schema: Schema, variables: Iterable[Variable]) -> Schema:
    """The schema, for a service that sets at least one of its variables; else the generic one.

    A compose file's database or cache service shares nothing with the app's schema, and judging
    it by that schema would report every required app variable as missing.
    """
    if schema.is_generic or any(v.key in schema.vars for v in variables):
        return schema
    return GENERIC


def label(ctx: Context, findings: Iterable[Finding]) -> list[Finding]:
    """Findings with the service named at the end of the message, for a per-service context."""
    service = ctx.service
    if service is None:
        return list(findings)
    return [dataclasses.replace(f, message=f"{f.message} ({service})") for f in findings]
