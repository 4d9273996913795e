"""Schemas: what an app needs in production and what a safe value looks like.

The model (``Schema``, ``VarSpec``) and ``build``, which validates every field of a merged raw
schema so a typo is one clear error, not a silently ignored rule. Where schemas come from (built-in
names, TOML files with ``extends``, pydantic-settings classes) is ``envguard.catalog``'s.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from envguard.errors import SchemaError
from envguard.findings import Environment

TYPES = frozenset(
    {
        "string",
        "int",
        "float",
        "bool",
        "url",
        "url-list",
        "email",
        "port",
        "enum",
        "duration",
        "host",
        "host-list",
        "list",
        "json",
        "path",
    }
)
_ENVS = frozenset(e.value for e in Environment)
_VAR_FIELDS: dict[str, type | tuple[type, ...]] = {
    "description": str,
    "required": bool,
    "required_when": (str, list),
    "secret": bool,
    "public": bool,
    "type": str,
    "pattern": str,
    "choices": list,
    "min_length": int,
    "forbid": list,
    "deprecated": bool,
    "replaced_by": str,
    "generate": str,
    "example": str,
    "values": dict,
    "allow_empty": bool,
    "docs": str,
    "aliases": list,
    "default": (str, bool, int),
    "deprecated_since": int,
    **{env: (str, bool, int) for env in _ENVS},
}
_SCHEMA_FIELDS = {"name", "extends", "description", "default_env", "docs", "frameworks", "framework_version"}


@dataclass(frozen=True, slots=True)
class VarSpec:
    """What one variable (or a ``*`` glob of variables) must look like."""

    name: str
    description: str = ""
    required: bool = False
    required_when: tuple[str, ...] = ()
    secret: bool | None = None
    public: bool = False
    type: str = "string"
    pattern: str | None = None
    choices: tuple[str, ...] = ()
    min_length: int | None = None
    forbid: tuple[str, ...] = ()
    deprecated: bool = False
    replaced_by: str | None = None
    generate: str | None = None
    example: str | None = None
    allow_empty: bool = False
    env_values: Mapping[str, str] = field(default_factory=dict)
    #: other names the app reads for the same setting (Auth.js v5's ``AUTH_SECRET`` for ``NEXTAUTH_SECRET``)
    aliases: tuple[str, ...] = ()
    #: what the framework uses when the variable is not set; such a variable is never missing
    default: str | None = None
    #: the framework major version that deprecated it; None: deprecated for every version
    deprecated_since: int | None = None

    @property
    def is_glob(self) -> bool:
        """A spec for every name matching a ``*`` pattern."""
        return "*" in self.name or "?" in self.name

    def expected(self, env: Environment) -> str | None:
        """The value this environment requires, normalised to a string, if any."""
        return self.env_values.get(env.value)


@dataclass(frozen=True)
class Schema:
    """A resolved schema: exact specs by name, glob specs in declaration order."""

    name: str
    description: str = ""
    extends: tuple[str, ...] = ()
    default_env: Environment | None = None
    vars: Mapping[str, VarSpec] = field(default_factory=dict)
    globs: tuple[VarSpec, ...] = ()
    source: str = ""
    #: the major version of the framework the app runs, when the schema says (``framework_version``)
    framework_version: int | None = None
    #: the frameworks the schema describes (``frameworks = ["laravel"]``), nearest first
    frameworks: tuple[str, ...] = ()

    def spec(self, key: str) -> VarSpec | None:
        """The spec for ``key``: the exact one, else the first glob that matches."""
        exact = self.vars.get(key)
        if exact is not None:
            return exact
        for glob in self.globs:
            if fnmatch.fnmatchcase(key, glob.name):
                return glob
        return None

    @property
    def is_generic(self) -> bool:
        """No schema was given: rules judge by name and value alone."""
        return not self.vars and not self.globs


GENERIC = Schema(name="generic", description="no schema: rules judge names and values")


def build(raw: Mapping[str, Any], source: str = "") -> Schema:
    """Validate a merged raw mapping and turn it into a Schema."""
    head = raw.get("schema", {})
    where = source or "schema"
    for key in head:
        if key not in _SCHEMA_FIELDS:
            raise SchemaError(f"{where}: unknown field schema.{key}")
    default_env = head.get("default_env")
    if default_env is not None and default_env not in _ENVS:
        raise SchemaError(f"{where}: schema.default_env must be one of {', '.join(sorted(_ENVS))}")
    version = head.get("framework_version")
    if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
        raise SchemaError(f"{where}: schema.framework_version must be a whole number (the major version)")
    frameworks = head.get("frameworks", [])
    if isinstance(frameworks, str):
        frameworks = [frameworks]
    if not isinstance(frameworks, list) or not all(isinstance(f, str) for f in frameworks):
        raise SchemaError(f"{where}: schema.frameworks must be a list of names")
    specs = [_var(name, spec, where) for name, spec in raw.get("vars", {}).items()]
    return Schema(
        name=str(head.get("name") or Path(source).stem or "schema"),
        description=str(head.get("description", "")),
        extends=tuple(head.get("extends", ())),
        default_env=Environment(default_env) if default_env else None,
        vars={s.name: s for s in specs if not s.is_glob},
        globs=tuple(s for s in specs if s.is_glob),
        source=source,
        framework_version=version,
        frameworks=tuple(frameworks),
    )


def _var(name: str, spec: Mapping[str, Any], where: str) -> VarSpec:
    """One validated VarSpec; every unknown field or wrong type is a SchemaError."""
    for key, value in spec.items():
        expected = _VAR_FIELDS.get(key)
        if expected is None:
            raise SchemaError(f"{where}: vars.{name}: unknown field {key!r}")
        if not isinstance(value, expected):
            raise SchemaError(f"{where}: vars.{name}.{key} has the wrong type")
    kind = spec.get("type", "enum" if spec.get("choices") else "string")
    if kind not in TYPES:
        raise SchemaError(f"{where}: vars.{name}.type {kind!r} is not one of {', '.join(sorted(TYPES))}")
    if "pattern" in spec:
        _check_pattern(spec["pattern"], f"{where}: vars.{name}.pattern")
    when = spec.get("required_when", ())
    if isinstance(when, list) and not all(isinstance(c, str) for c in when):
        raise SchemaError(f"{where}: vars.{name}.required_when must list conditions as strings")
    aliases = spec.get("aliases", [])
    if not all(isinstance(a, str) for a in aliases):
        raise SchemaError(f"{where}: vars.{name}.aliases must list variable names")
    env_values = dict(spec.get("values", {}))
    env_values.update({env: spec[env] for env in _ENVS if env in spec})
    return VarSpec(
        name=name,
        description=spec.get("description", ""),
        required=spec.get("required", False),
        required_when=(when,) if isinstance(when, str) else tuple(when),
        secret=spec.get("secret"),
        public=spec.get("public", False),
        type=kind,
        pattern=spec.get("pattern"),
        choices=tuple(str(c) for c in spec.get("choices", ())),
        min_length=spec.get("min_length"),
        forbid=tuple(str(f) for f in spec.get("forbid", ())),
        deprecated=spec.get("deprecated", False) or "replaced_by" in spec,
        replaced_by=spec.get("replaced_by"),
        generate=spec.get("generate"),
        example=spec.get("example"),
        allow_empty=spec.get("allow_empty", False),
        env_values={k: _normal(v) for k, v in env_values.items()},
        aliases=tuple(aliases),
        default=_normal(spec["default"]) if "default" in spec else None,
        deprecated_since=spec.get("deprecated_since"),
    )


def _normal(value: object) -> str:
    """TOML ``false``/``1``/``"x"`` as the string a .env file would hold."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _check_pattern(pattern: str, where: str) -> None:
    import re

    try:
        re.compile(pattern)
    except re.error as exc:
        raise SchemaError(f"{where}: invalid regular expression ({exc})") from None


def condition_holds(condition: str, values: Mapping[str, str]) -> bool:
    """Evaluate a ``required_when`` condition: ``KEY``, ``KEY=value`` or ``KEY!=value``.

    Comparison ignores case so ``FEATURE=true`` matches ``True``; ``a|b`` lists alternatives.
    """
    for op in ("!=", "="):
        if op in condition:
            key, _, wanted = condition.partition(op)
            actual = values.get(key.strip(), "").strip().lower()
            options = {w.strip().lower() for w in wanted.split("|")}
            return (actual in options) != (op == "!=")
    return bool(values.get(condition.strip(), "").strip())
