"""Docker Compose files: ``environment:`` (list and map form) and ``env_file:`` of each service.

Values are kept as written, ``${VAR}`` interpolations included: envguard judges the file, it does
not interpolate it. A key without a value (``- DEBUG`` or ``DEBUG:``) passes the host's value
through, so it is present with an unknown value.

The shapes are the Compose specification's: ``services`` a mapping of names to mappings,
``environment`` a mapping of names to a string, number, boolean or null, or a list of strings,
``env_file`` a string or a list of strings and ``{path, required}`` mappings. Anything else is a
``ShapeError`` (compose itself refuses such a file). Services whose ``environment`` and
``env_file`` are the very same nodes (YAML aliases of one anchored service) are one Service,
named after all of them: checked once, whatever the number of aliases.
"""

from __future__ import annotations

from typing import Any

from envguard.configfiles import Service, Var, nodes
from envguard.configfiles.nodes import ShapeError

_VALUE = "a string, number, boolean or null"
#: how many service names a shared definition's label lists before "and N more"
_NAMES_SHOWN = 3


def services(root: Any) -> list[Service]:
    """One Service per definition in ``services:`` that sets environment or names env files."""
    if root is None or nodes.is_null(root):
        return []
    if not nodes.is_mapping(root):
        raise ShapeError(root, "the file", "a mapping (services: ...)")
    top = nodes.get(root, "services")
    if top is None or nodes.is_null(top):
        return []
    if not nodes.is_mapping(top):
        raise ShapeError(top, "services", "a mapping of service names")
    groups: dict[tuple[int, int], tuple[list[str], Any]] = {}
    for name, key_node, body in _pairs(top, "services"):
        if not nodes.is_mapping(body):
            raise ShapeError(body if body is not None else key_node, f"services.{name}", "a mapping")
        environment, env_file = nodes.get(body, "environment"), nodes.get(body, "env_file")
        # the same nodes mean the same definition (an alias): it is read once
        shared = groups.setdefault((id(environment), id(env_file)), ([], body))
        shared[0].append(name)
    found = []
    for names, body in groups.values():
        where = f"services.{names[0]}"
        variables = tuple(_environment(nodes.get(body, "environment"), where))
        env_files = tuple(_env_files(nodes.get(body, "env_file"), where))
        if variables or env_files:
            found.append(Service(_label(names), variables, env_files))
    return found


def _label(names: list[str]) -> str:
    """``service web``, or ``services web, api and 997 more`` for one definition shared by aliases."""
    if len(names) == 1:
        return f"service {names[0]}"
    shown = ", ".join(names[:_NAMES_SHOWN])
    more = len(names) - _NAMES_SHOWN
    return f"services {shown}" + (f" and {more} more" if more > 0 else "")


def _pairs(node: Any, where: str) -> list[tuple[str, Any, Any]]:
    """A mapping's (key, key node, value node), every key a scalar as compose requires."""
    for key_node, value in node.value:
        if not nodes.is_scalar(key_node) or nodes.is_null(key_node):
            raise ShapeError(key_node, f"{where} keys", "strings")
        if key_node.tag == "tag:yaml.org,2002:merge" and not (
            nodes.is_mapping(value) or all(nodes.is_mapping(i) for i in nodes.items(value))
        ):
            raise ShapeError(value, f"{where}.<<", "a mapping or a list of mappings")
    return list(nodes.pairs(node))


def _environment(node: Any, where: str) -> list[Var]:
    where = f"{where}.environment"
    if node is None or nodes.is_null(node):
        return []
    if nodes.is_mapping(node):
        out = []
        for key, key_node, value in _pairs(node, where):
            if not nodes.is_scalar(value):
                raise ShapeError(value, f"{where}.{key}", _VALUE)
            out.append(_map_entry(key, key_node, value))
        return out
    if not nodes.is_sequence(node):
        raise ShapeError(node, where, "a mapping or a list of KEY=value strings")
    found = []
    for item in nodes.items(node):
        if not nodes.is_scalar(item):
            raise ShapeError(item, f"{where} items", "KEY=value strings")
        if (var := _list_entry(item)) is not None:
            found.append(var)
    return found


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


def _env_files(node: Any, where: str) -> list[tuple[str, bool, int]]:
    """``env_file:`` as a string, a list of strings, or a list of ``{path, required}``."""
    where = f"{where}.env_file"
    if node is None or nodes.is_null(node):
        return []
    single = nodes.text(node)
    if single is not None:
        return [(single, True, nodes.line(node))]
    if not nodes.is_sequence(node):
        raise ShapeError(node, where, "a path or a list of paths")
    out = []
    for item in nodes.items(node):
        path = nodes.text(item)
        required = True
        if nodes.is_mapping(item):
            path = nodes.text(nodes.get(item, "path"))
            if path is None:
                raise ShapeError(nodes.get(item, "path") or item, f"{where}[].path", "a path")
            flag = nodes.get(item, "required")
            if flag is not None and not nodes.is_scalar(flag):
                raise ShapeError(flag, f"{where}[].required", "true or false")
            required = flag is None or nodes.truthy(flag)
        elif path is None:
            raise ShapeError(item, f"{where} items", "paths or {path, required} mappings")
        if path:
            out.append((path, required, nodes.line(item)))
    return out
