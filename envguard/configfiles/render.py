"""Render Blueprints (``render.yaml``): ``envVars`` of each service and of each env group.

An entry with a literal ``value`` is a value written into the repository; ``generateValue``,
``sync: false``, ``fromDatabase``, ``fromService`` and ``fromGroup`` are filled in by Render, so
those keys are present with an unknown value.
"""

from __future__ import annotations

from typing import Any

from envguard.configfiles import Service, Var, nodes


def services(root: Any) -> list[Service]:
    """One Service per service (``services:``, ``previews`` aside) and per ``envVarGroups`` entry."""
    found = []
    for section, label in (("services", "service "), ("envVarGroups", "env group ")):
        for item in nodes.items(nodes.get(root, section)):
            variables = tuple(_env_vars(nodes.get(item, "envVars")))
            if variables:
                name = nodes.text(nodes.get(item, "name")) or f"#{nodes.line(item)}"
                found.append(Service(label + name, variables))
    return found


def _env_vars(node: Any) -> list[Var]:
    out: list[Var] = []
    for item in nodes.items(node):
        key_node = nodes.get(item, "key")
        key = nodes.text(key_node)
        if key is None:
            continue  # ``- fromGroup: name`` links a group, which is checked on its own
        value_node = nodes.get(item, "value")
        value = nodes.text(value_node)
        if value is None:
            out.append((key, None, nodes.line(key_node), None))
        else:
            out.append((key, value, nodes.line(value_node), nodes.column(value_node)))
    return out
