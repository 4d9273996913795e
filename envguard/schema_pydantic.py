"""Schemas from pydantic-settings classes: ``--schema app.settings:Settings``.

The only module that imports pydantic. A field becomes a variable named as pydantic-settings
reads it: its alias, else ``env_prefix`` + field name, upper-cased unless the class is
case-sensitive. Required fields are required, ``SecretStr``/``SecretBytes`` are secrets, and the
annotation gives the type, choices (``Literal``, ``Enum``), ``min_length`` and ``pattern``.
"""

from __future__ import annotations

import datetime
import decimal
import enum
import importlib
import inspect
import pathlib
import sys
import types
import typing
from typing import Any

from envguard.errors import SchemaError
from envguard.schema import Schema, build

_NONE = type(None)
_SCALARS: tuple[tuple[type, str], ...] = (
    (bool, "bool"),
    (int, "int"),
    (float, "float"),
    (decimal.Decimal, "float"),
    (datetime.timedelta, "duration"),
    (pathlib.PurePath, "path"),
    (list, "json"),
    (tuple, "json"),
    (set, "json"),
    (frozenset, "json"),
    (dict, "json"),
)


def from_reference(ref: str) -> Schema:
    """Import ``module:Class`` and convert it; SchemaError (one line) when that is impossible."""
    module_name, _, attr = ref.partition(":")
    if not module_name or not attr:
        raise SchemaError(f"{ref!r}: expected module:Class", hint="e.g. app.settings:Settings")
    target: Any = _import(module_name, ref)
    for part in attr.split("."):
        if not hasattr(target, part):
            raise SchemaError(f"{ref}: module {module_name!r} has no attribute {attr!r}")
        target = getattr(target, part)
    return from_settings_class(target, source=ref)


def _import(module_name: str, ref: str) -> Any:
    """Import a module, looking in the current folder too (console scripts do not)."""
    added = "" not in sys.path and "." not in sys.path
    if added:
        sys.path.insert(0, "")
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        raise SchemaError(f"{ref}: cannot import module {exc.name or module_name!r}") from None
    except Exception as exc:  # the user's module failed while importing; say so in one line
        raise SchemaError(f"{ref}: importing {module_name} failed ({type(exc).__name__})") from None
    finally:
        if added:
            sys.path.remove("")


def from_settings_class(cls: object, source: str = "") -> Schema:
    """Turn a pydantic-settings (or pydantic) model class into a Schema."""
    try:
        from pydantic import BaseModel
    except ImportError:  # pragma: no cover - pydantic is a dependency
        hint = "pip install pydantic-settings"
        raise SchemaError("pydantic is not installed", hint=hint) from None
    if not (inspect.isclass(cls) and issubclass(cls, BaseModel)):
        raise SchemaError(f"{source or cls!r}: not a pydantic-settings class")
    config = dict(cls.model_config)
    specs: dict[str, dict[str, Any]] = {}
    for field_name, info in cls.model_fields.items():
        for env_name, spec in _field_specs(field_name, info, config):
            specs.setdefault(env_name, spec)
    doc = inspect.getdoc(cls) or ""
    head = {"name": cls.__name__, "description": doc.splitlines()[0] if doc else ""}
    return build({"schema": head, "vars": specs}, source=source or cls.__qualname__)


def _field_specs(name: str, info: Any, config: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The variable name(s) a field is read from, each with its spec (the first one required)."""
    names = _env_names(name, info, config)
    spec = _spec(info)
    others = [(other, {k: v for k, v in spec.items() if k != "required"}) for other in names[1:]]
    if others and spec["required"]:
        # any alias satisfies the field: the first is required only while the second is unset
        spec["required_when"] = f"{names[1]}="
    return [(names[0], spec), *others]


def _env_names(name: str, info: Any, config: dict[str, Any]) -> list[str]:
    """Alias choices, a plain alias, or ``env_prefix`` + the field name."""
    from pydantic import AliasChoices

    prefix = config.get("env_prefix") or ""
    prefix_aliases = config.get("env_prefix_target") in ("alias", "all")
    alias = info.validation_alias or info.alias
    if isinstance(alias, AliasChoices):
        names = [c for c in alias.choices if isinstance(c, str)] or [name]
    elif isinstance(alias, str):
        names = [alias]
    else:
        names, prefix_aliases = [name], True
    names = [f"{prefix}{n}" if prefix_aliases else n for n in names]
    return names if config.get("case_sensitive") else [n.upper() for n in names]


def _spec(info: Any) -> dict[str, Any]:
    """The schema fields pydantic's FieldInfo implies."""
    annotation = _unwrap(info.annotation)
    spec: dict[str, Any] = {"required": bool(info.is_required())}
    kind, choices, secret = _kind(annotation)
    spec["type"] = kind
    if choices:
        spec["choices"] = choices
    if secret:
        spec["secret"] = True
    for meta in info.metadata:
        if getattr(meta, "min_length", None) is not None:
            spec["min_length"] = int(meta.min_length)
        if getattr(meta, "pattern", None) is not None:
            spec["pattern"] = str(meta.pattern)
    if info.description:
        spec["description"] = info.description
    if info.examples:
        spec["example"] = str(info.examples[0])
    return spec


def _unwrap(annotation: Any) -> Any:
    """``X | None`` and ``Optional[X]`` as ``X``; ``Annotated[X, ...]`` as ``X``."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not _NONE]
        if len(args) == 1:
            return _unwrap(args[0])
    return annotation


def _kind(annotation: Any) -> tuple[str, list[str], bool]:
    """(schema type, choices, secret) for an unwrapped annotation."""
    from pydantic import BaseModel, SecretBytes, SecretStr

    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return "enum", [_choice(a) for a in typing.get_args(annotation)], False
    if origin is not None:
        return ("json" if origin in (list, tuple, set, frozenset, dict) else "string"), [], False
    if not inspect.isclass(annotation):
        return "string", [], False
    if issubclass(annotation, (SecretStr, SecretBytes)):
        return "string", [], True
    if issubclass(annotation, enum.Enum):
        return "enum", [_choice(m.value) for m in annotation], False
    if issubclass(annotation, BaseModel):
        return "json", [], False
    named = _named_type(annotation)
    if named:
        return named, [], False
    scalar = next((kind for base, kind in _SCALARS if issubclass(annotation, base)), "string")
    return scalar, [], False


def _named_type(annotation: type) -> str | None:
    """pydantic's URL, DSN, e-mail and IP types, by name (so optional extras stay optional)."""
    name = annotation.__name__
    if name.endswith(("Url", "Dsn")) or name in ("Url", "MultiHostUrl"):
        return "url"
    if name in ("EmailStr", "NameEmail"):
        return "email"
    if name.startswith("IPv") or name in ("IPv4Address", "IPv6Address"):
        return "host"
    return None


def _choice(value: object) -> str:
    """A choice as the string a .env file holds (``True`` → ``true``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value.value if isinstance(value, enum.Enum) else value)
