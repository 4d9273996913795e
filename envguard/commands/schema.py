"""``envguard schema list|show``: the built-in schemas."""

from __future__ import annotations

from envguard import catalog
from envguard.errors import EXIT_OK
from envguard.schema import VarSpec


def list_schemas() -> int:
    """Print each built-in schema's name and description."""
    names = catalog.builtin_names()
    width = max((len(n) for n in names), default=0)
    for name in names:
        loaded = catalog.load(name)
        extends = f" (extends {', '.join(loaded.extends)})" if loaded.extends else ""
        print(f"{name:<{width}}  {loaded.description}{extends}")
    return EXIT_OK


def _flags(spec: VarSpec) -> str:
    flags = [spec.type]
    flags += [
        word
        for word, on in (
            ("required", spec.required),
            ("secret", spec.secret),
            ("public", spec.public),
            ("deprecated", spec.deprecated),
        )
        if on
    ]
    if spec.required_when:
        flags.append("required when " + " or ".join(spec.required_when))
    flags += [f"{env}={value}" for env, value in spec.env_values.items()]
    if spec.replaced_by:
        flags.append(f"use {spec.replaced_by}")
    if spec.generate:
        flags.append(f"generate {spec.generate}")
    return ", ".join(flags)


def show_schema(ref: str) -> int:
    """Print a schema (built-in, path or module:Class), its parents merged in."""
    loaded = catalog.load(ref)
    print(f"# {loaded.name}: {loaded.description}")
    if loaded.extends:
        print(f"# extends {', '.join(loaded.extends)}")
    if loaded.default_env:
        print(f"# plain .env files are {loaded.default_env.value}")
    specs = [*sorted(loaded.vars.values(), key=lambda s: s.name), *loaded.globs]
    width = max((len(s.name) for s in specs), default=0)
    for spec in specs:
        line = f"{spec.name:<{width}}  {_flags(spec)}"
        print(line + (f"  # {spec.description}" if spec.description else ""))
    return EXIT_OK
