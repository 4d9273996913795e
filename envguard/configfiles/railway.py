"""Railway config-as-code (``railway.json``, ``railway.toml``) and ``nixpacks.toml``.

Railway does not read service variables from its config file (they live in the dashboard or the
API, which ``check --from railway://...`` reads). The place a Railway repository does hold
variables is its Nixpacks build plan: ``build.nixpacksPlan.variables`` in the Railway file (also
under ``environments.NAME``) and ``[variables]`` in ``nixpacks.toml``; Nixpacks bakes them into
the image, so they are runtime environment too.

The shapes are Nixpacks' own: the plan's ``variables`` is a map of names to strings (its
``BuildPlan`` reads them as ``BTreeMap<String, String>``), ``build`` and ``nixpacksPlan`` are maps,
``environments`` a map of names to maps; a JSON ``null`` is the same as the key being absent.
Anything else is one InputError naming the file, the line where it can be found, and what was
expected. Nesting and long numbers are bounded before parsing (``envguard.limits``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from envguard import envfile, limits
from envguard.configfiles import Service, Var
from envguard.errors import InputError


def services(path: Path) -> list[Service]:
    """The variable sets of a Railway or Nixpacks file: file-wide, then per Railway environment."""
    text = envfile.decode(envfile.read_bytes(path), path)
    data = _parse(path, text)
    lines = text.splitlines()
    shape = _Shape(path, lines)
    if path.name.startswith("nixpacks"):
        sets: list[tuple[str | None, Any, str]] = [(None, data.get("variables"), "variables")]
    else:
        sets = [(None, shape.plan_variables(data, ""), "build.nixpacksPlan.variables")]
        envs = shape.table(data.get("environments"), "environments") or {}
        for env_name, body in envs.items():
            place = f"environments.{env_name}"
            sets.append(
                (
                    f"environment {env_name}",
                    shape.plan_variables(body, place),
                    f"{place}.build.nixpacksPlan.variables",
                )
            )
    found = []
    for name, table, where in sets:
        variables = shape.variables(table, where)
        if variables:
            found.append(Service(name, tuple(variables)))
    return found


def _parse(path: Path, text: str) -> dict[str, Any]:
    where = str(path)
    data = limits.loads_json(text, where) if path.suffix == ".json" else limits.loads_toml(text, where)
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a {path.suffix.lstrip('.').upper()} object at the top")
    return data


class _Shape:
    """Checks parts of one parsed file against Nixpacks' shapes, with lines for the messages."""

    def __init__(self, path: Path, lines: list[str]) -> None:
        self.path = path
        self.lines = lines

    def wrong(self, where: str, expected: str, found: Any) -> InputError:
        """The error for ``where`` holding ``found`` instead of ``expected``."""
        name = where.rsplit(".", 1)[-1]
        line = _line_of(name, self.lines, 0) if name else None
        place = f"{self.path}:{line}" if line else str(self.path)
        return InputError(
            f"{place}: `{where}` must be {expected}, not {_kind(found)}",
            hint="Nixpacks and Railway refuse it too",
        )

    def table(self, value: Any, where: str) -> dict[str, Any] | None:
        """``value`` as a map, None when absent or null; InputError for anything else."""
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self.wrong(where, "a map", value)
        return value

    def plan_variables(self, body: Any, where: str) -> Any:
        """``build.nixpacksPlan.variables`` under ``body`` (a map), checked level by level."""
        prefix = f"{where}." if where else ""
        body = self.table(body, where or "the file")
        build = self.table((body or {}).get("build"), f"{prefix}build")
        plan = self.table((build or {}).get("nixpacksPlan"), f"{prefix}build.nixpacksPlan")
        return (plan or {}).get("variables")

    def variables(self, table: Any, where: str) -> list[Var]:
        """Each variable with the line it is written on (searched after the ``variables`` heading)."""
        table = self.table(table, where)
        if not table:
            return []
        start = next((i for i, text in enumerate(self.lines) if "variables" in text), 0)
        out: list[Var] = []
        for key, value in table.items():
            if not isinstance(value, str):
                raise self.wrong(f"{where}.{key}", "a string", value)
            out.append((str(key), value, _line_of(str(key), self.lines, start) or start + 1, None))
        return out


def _kind(value: Any) -> str:
    names = {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a map",
    }
    return next((name for kind, name in names.items() if isinstance(value, kind)), "a date or time")


def _line_of(key: str, lines: list[str], start: int) -> int | None:
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*[:=]")
    for index in range(start, len(lines)):
        if pattern.match(lines[index]):
            return index + 1
    return None
