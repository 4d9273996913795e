"""Railway config-as-code (``railway.json``, ``railway.toml``) and ``nixpacks.toml``.

Railway does not read service variables from its config file (they live in the dashboard or the
API, which ``check --from railway://...`` reads). The place a Railway repository does hold
variables is its Nixpacks build plan: ``build.nixpacksPlan.variables`` in the Railway file (also
under ``environments.NAME``) and ``[variables]`` in ``nixpacks.toml``; Nixpacks bakes them into
the image, so they are runtime environment too.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

from envguard import envfile
from envguard.configfiles import Service, Var
from envguard.errors import InputError


def services(path: Path) -> list[Service]:
    """The variable sets of a Railway or Nixpacks file: file-wide, then per Railway environment."""
    text = envfile.decode(envfile.read_bytes(path), path)
    data = _parse(path, text)
    lines = text.splitlines()
    if path.name.startswith("nixpacks"):
        sets: list[tuple[str | None, Any]] = [(None, data.get("variables"))]
    else:
        sets = [(None, _plan_variables(data))]
        envs = data.get("environments")
        for name, body in envs.items() if isinstance(envs, dict) else ():
            sets.append((f"environment {name}", _plan_variables(body)))
    found = []
    for name, table in sets:
        if isinstance(table, dict) and table:
            found.append(Service(name, tuple(_variables(table, lines))))
    return found


def _parse(path: Path, text: str) -> dict[str, Any]:
    try:
        data = json.loads(text) if path.suffix == ".json" else tomllib.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{path}: not valid {path.suffix.lstrip('.').upper()} ({exc})") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a {path.suffix.lstrip('.').upper()} object at the top")
    return data


def _plan_variables(body: Any) -> Any:
    build = body.get("build") if isinstance(body, dict) else None
    plan = build.get("nixpacksPlan") if isinstance(build, dict) else None
    return plan.get("variables") if isinstance(plan, dict) else None


def _variables(table: dict[str, Any], lines: list[str]) -> list[Var]:
    """Each variable with the line it is written on (searched after the ``variables`` heading)."""
    start = next((i for i, text in enumerate(lines) if "variables" in text), 0)
    out: list[Var] = []
    for key, value in table.items():
        written = value if isinstance(value, str) else None if value is None else json.dumps(value)
        out.append((str(key), written, _line_of(str(key), lines, start), None))
    return out


def _line_of(key: str, lines: list[str], start: int) -> int:
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*[:=]")
    for index in range(start, len(lines)):
        if pattern.match(lines[index]):
            return index + 1
    return start + 1
