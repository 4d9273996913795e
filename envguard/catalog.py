"""The schemas envguard can load: built-in names, TOML files, and pydantic-settings classes.

A reference is a built-in name (``laravel``), a path to a TOML schema, or ``module:Class``. Loading a
TOML schema resolves ``extends`` depth-first, a child's fields overriding its parents' field by
field; ``envguard.schema.build`` validates the result. Nothing is kept between calls: a lint run
keeps what it loaded for its own length (``lint.Session``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from envguard import tomlfile
from envguard.errors import SchemaError
from envguard.schema import Schema, build


def builtin_dir() -> Path:
    """Where the built-in schemas live: inside the wheel, else the source checkout's schemas/."""
    packaged = Path(__file__).with_name("schemas")
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "schemas"


def builtin_names() -> list[str]:
    """Names of the built-in schemas, sorted."""
    return sorted(p.stem for p in builtin_dir().glob("*.toml"))


def load(ref: str, base: Path | None = None) -> Schema:
    """Load a schema by built-in name, TOML path or ``module:Class``; SchemaError if it cannot."""
    path = _as_path(ref, base)
    if path is not None:
        return _load_path(path.resolve())
    if ":" in ref:
        from envguard.schema_pydantic import from_reference

        return from_reference(ref)
    builtin = builtin_dir() / f"{ref}.toml"
    if builtin.is_file():
        return _load_path(builtin)
    names = ", ".join(builtin_names())
    raise SchemaError(f"unknown schema {ref!r}", hint=f"built-in schemas: {names}; or a .toml path")


def _as_path(ref: str, base: Path | None) -> Path | None:
    """``ref`` as a file path when it names one (ends in .toml or contains a separator)."""
    if not (ref.endswith(".toml") or "/" in ref or "\\" in ref):
        return None
    path = Path(ref)
    if not path.is_absolute() and base is not None:
        path = base / path
    if not path.is_file():
        raise SchemaError(f"{ref}: schema file not found")
    return path


def _load_path(path: Path) -> Schema:
    raw = _merged(path, ())
    return build(raw, source=str(path))


def _merged(path: Path, chain: tuple[Path, ...]) -> dict[str, Any]:
    """The raw schema with its ``extends`` merged in, parents first."""
    if path in chain:
        raise SchemaError(f"{path}: circular extends ({' -> '.join(p.stem for p in chain)})")
    data = tomlfile.load(path, SchemaError)
    head = data.get("schema", {})
    if not isinstance(head, dict):
        raise SchemaError(f"{path}: [schema] must be a table")
    extends = head.get("extends", [])
    if isinstance(extends, str):
        extends = [extends]
    if not isinstance(extends, list) or not all(isinstance(p, str) for p in extends):
        raise SchemaError(f"{path}: schema.extends must be a schema name or a list of names")
    merged: dict[str, Any] = {"schema": {}, "vars": {}}
    for parent in extends:
        parent_path = _as_path(parent, path.parent) or builtin_dir() / f"{parent}.toml"
        if not parent_path.is_file():
            raise SchemaError(f"{path}: extends unknown schema {parent!r}")
        _overlay(merged, _merged(parent_path.resolve(), (*chain, path)))
    _overlay(merged, data)
    merged["schema"]["extends"] = list(extends)
    for own in ("name", "description"):  # a schema's identity is its own, never its parent's
        if own not in head:
            merged["schema"].pop(own, None)
    return merged


def _overlay(target: dict[str, Any], data: Mapping[str, Any]) -> None:
    """Merge ``data`` into ``target``: [schema] keys replace, [vars.X] fields replace one by one."""
    target["schema"].update(data.get("schema", {}))
    table = data.get("vars", {})
    if not isinstance(table, dict):
        raise SchemaError("[vars] must be a table of [vars.NAME] tables")
    for name, spec in table.items():
        if not isinstance(spec, dict):
            raise SchemaError(f"vars.{name} must be a table")
        target["vars"].setdefault(name, {}).update(spec)
    unknown = set(data) - {"schema", "vars"}
    if unknown:
        raise SchemaError(f"unknown top-level table(s): {', '.join(sorted(unknown))}")
