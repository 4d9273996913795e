"""Render Blueprints (``render.yaml``): ``envVars`` of each service and of each env group.

An entry with a literal ``value`` is a value written into the repository; ``generateValue``,
``sync: false``, ``fromDatabase``, ``fromService`` and ``fromGroup`` are filled in by Render, so
those keys are present with an unknown value.

The shapes are the Blueprint specification's: ``services`` and ``envVarGroups`` lists of mappings,
``envVars`` a list of mappings each with a string ``key`` (or a ``fromGroup`` link) and a scalar
``value``. Anything else is a ``ShapeError``. A definition shared through YAML aliases is read once.
"""

from __future__ import annotations

from typing import Any

from envguard.configfiles import Service, Var, nodes
from envguard.configfiles.nodes import ShapeError


def services(root: Any) -> list[Service]:
    """One Service per service (``services:``, ``previews`` aside) and per ``envVarGroups`` entry."""
    if root is None or nodes.is_null(root):
        return []
    if not nodes.is_mapping(root):
        raise ShapeError(root, "the file", "a mapping (services: ...)")
    found = []
    seen: set[int] = set()
    for section, label in (("services", "service "), ("envVarGroups", "env group ")):
        entries = nodes.get(root, section)
        if entries is None or nodes.is_null(entries):
            continue
        if not nodes.is_sequence(entries):
            raise ShapeError(entries, section, "a list")
        for item in nodes.items(entries):
            if not nodes.is_mapping(item):
                raise ShapeError(item, f"{section} items", "mappings")
            env_vars = nodes.get(item, "envVars")
            if env_vars is None or id(env_vars) in seen:
                continue  # no variables, or the same list again through an alias: read once
            seen.add(id(env_vars))
            variables = tuple(_env_vars(env_vars, f"{section}[].envVars"))
            if variables:
                name = nodes.text(nodes.get(item, "name")) or f"#{nodes.line(item)}"
                found.append(Service(label + name, variables))
    return found


def _env_vars(node: Any, where: str) -> list[Var]:
    if nodes.is_null(node):
        return []
    if not nodes.is_sequence(node):
        raise ShapeError(node, where, "a list of {key, value} mappings")
    out: list[Var] = []
    for item in nodes.items(node):
        if not nodes.is_mapping(item):
            raise ShapeError(item, f"{where} items", "{key, value} mappings")
        key_node = nodes.get(item, "key")
        if key_node is None:
            continue  # ``- fromGroup: name`` links a group, which is checked on its own
        key = nodes.text(key_node)
        if key is None:
            raise ShapeError(key_node, f"{where}[].key", "a variable name")
        value_node = nodes.get(item, "value")
        if value_node is not None and not nodes.is_scalar(value_node):
            raise ShapeError(value_node, f"{where}[{key}].value", "a string, number or boolean")
        value = nodes.text(value_node)
        if value is None:
            out.append((key, None, nodes.line(key_node), None))
        else:
            out.append((key, value, nodes.line(value_node), nodes.column(value_node)))
    return out
