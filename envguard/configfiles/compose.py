"""Docker Compose files: ``environment:`` (list and map form) and ``env_file:`` of each service.

Values are kept as written, ``${VAR}`` interpolations included: envguard judges the file, it does
not interpolate it. A key without a value (``- DEBUG`` or ``DEBUG:``) passes the host's value
through, so it is present with an unknown value.
"""

from __future__ import annotations

from typing import Any

from envguard.configfiles import Service, Var, nodes


def services(root: Any) -> list[Service]:
    """One Service per entry of ``services:`` that sets environment or names env files."""
    found = []
    for name, _, body in nodes.pairs(nodes.get(root, "services")):
        variables = tuple(_environment(nodes.get(body, "environment")))
        env_files = tuple(_env_files(nodes.get(body, "env_file")))
        if variables or env_files:
            found.append(Service(f"service {name}", variables, env_files))
    return found


def _environment(node: Any) -> list[Var]:
    if nodes.is_mapping(node):
        return [_map_entry(key, key_node, value) for key, key_node, value in nodes.pairs(node)]
    return [var for item in nodes.items(node) if (var := _list_entry(item)) is not None]


def _map_entry(key: str, key_node: Any, value: Any) -> Var:
    """``KEY: value``; the column is the value's."""
    written = nodes.text(value)
    return key, written, nodes.line(key_node), nodes.column(value) if written is not None else None


def _list_entry(item: Any) -> Var | None:
    """``- KEY=value`` or ``- KEY``; the column points past ``=`` (and an opening quote)."""
    written = nodes.text(item)
    if not written:
        return None
    key, sep, value = written.partition("=")
    if not sep:
        return key.strip(), None, nodes.line(item), None
    quoted = 1 if item.style in ("'", '"') else 0
    return key.strip(), value, nodes.line(item), nodes.column(item) + quoted + len(key) + 1


def _env_files(node: Any) -> list[tuple[str, bool, int]]:
    """``env_file:`` as a string, a list of strings, or a list of ``{path, required}``."""
    single = nodes.text(node)
    if single is not None:
        return [(single, True, nodes.line(node))]
    out = []
    for item in nodes.items(node):
        path = nodes.text(item)
        required = True
        if nodes.is_mapping(item):
            path = nodes.text(nodes.get(item, "path"))
            flag = nodes.get(item, "required")
            required = flag is None or nodes.truthy(flag)
        if path:
            out.append((path, required, nodes.line(item)))
    return out
