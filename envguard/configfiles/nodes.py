"""Line-aware reading of YAML (and JSON) config files through PyYAML's node API.

PyYAML is imported here, and this module is imported only when a config file is checked, so
``envguard check .env`` and ``import envguard`` never pay for it. Nodes keep the text as written
(``yes`` stays ``yes``, ``${VAR}`` stays ``${VAR}``) and their 0-based ``start_mark`` positions.

The file is untrusted: before PyYAML's (recursive) composer builds a node, the event stream (which
PyYAML parses without recursion) is walked once to bound the nesting (``limits.MAX_NESTING``) and
the size the file's aliases expand to (``limits.MAX_YAML_NODES``: a billion-laughs file is refused).
Aliases stay shared nodes afterwards, never copies, so a service that is an alias of another can be
recognised and checked once.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from envguard import envfile, limits
from envguard.errors import InputError

# libyaml's loader where PyYAML was built with it: the same nodes and marks, parsed in C
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NULL = "tag:yaml.org,2002:null"
_MERGE = "tag:yaml.org,2002:merge"
_KINDS = {yaml.MappingNode: "a mapping", yaml.SequenceNode: "a list", yaml.ScalarNode: "a scalar"}


class ShapeError(Exception):
    """A node that is not what the file's own tool accepts there; the caller names the file."""

    def __init__(self, node: Any, what: str, expected: str) -> None:
        found = "nothing" if node is None or is_null(node) else _KINDS.get(type(node), "something else")
        super().__init__(f"`{what}` must be {expected}, not {found}")
        self.line = line(node) if node is not None else None


def load(path: Path) -> Any:
    """The root node of a YAML or JSON file; None for an empty file; InputError when malformed,
    nested too deep or expanding too far through its aliases."""
    text = envfile.decode(envfile.read_bytes(path), path)
    try:
        _bound(text, path)
        return yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f":{mark.line + 1}" if mark is not None else ""
        raise InputError(f"{path}{where}: not valid YAML ({exc.problem})") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: not valid YAML ({type(exc).__name__})") from None
    except RecursionError:  # a bound the walk did not foresee
        raise InputError(f"{path}: not valid YAML (nested too deep)") from None


def _bound(text: str, path: Path) -> None:
    """Walk the events: InputError past ``MAX_NESTING`` levels or ``MAX_YAML_NODES`` expanded nodes."""
    depth = total = 0
    sizes: list[int] = []  # expanded size of each open collection
    anchors: list[str | None] = []
    expanded: dict[str, int] = {}  # what each anchor expands to
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > limits.MAX_NESTING:
                raise InputError(
                    f"{path}:{event.start_mark.line + 1}: nested more than {limits.MAX_NESTING} deep"
                )
            sizes.append(1)
            anchors.append(event.anchor)
            size = 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
            size, anchor = sizes.pop(), anchors.pop()
            if anchor is not None:
                expanded[anchor] = size
            if sizes:
                sizes[-1] += size
            continue
        elif isinstance(event, yaml.AliasEvent):
            size = expanded.get(event.anchor or "", 1)
        elif isinstance(event, yaml.ScalarEvent):
            size = 1
            if event.anchor is not None:
                expanded[event.anchor] = 1
        else:
            continue
        if sizes and not isinstance(event, yaml.CollectionStartEvent):
            sizes[-1] += size
        total += size
        if total > limits.MAX_YAML_NODES:
            raise InputError(
                f"{path}:{event.start_mark.line + 1}: YAML aliases expand to more than "
                f"{limits.MAX_YAML_NODES:,} nodes",
                hint="a billion-laughs file? envguard refuses to expand it",
            )


def line(node: Any) -> int:
    """A node's 1-based line."""
    return int(node.start_mark.line) + 1


def column(node: Any) -> int:
    """A node's 1-based column."""
    return int(node.start_mark.column) + 1


def is_mapping(node: Any) -> bool:
    """Whether ``node`` is a YAML mapping."""
    return isinstance(node, yaml.MappingNode)


def is_sequence(node: Any) -> bool:
    """Whether ``node`` is a YAML sequence."""
    return isinstance(node, yaml.SequenceNode)


def is_null(node: Any) -> bool:
    """Whether ``node`` is YAML's null (``~``, ``null`` or nothing)."""
    return isinstance(node, yaml.ScalarNode) and node.tag == _NULL


def is_scalar(node: Any) -> bool:
    """Whether ``node`` is a scalar (a string, number, boolean or null)."""
    return isinstance(node, yaml.ScalarNode)


def text(node: Any) -> str | None:
    """A scalar's text as written; None for a null or a non-scalar."""
    if not isinstance(node, yaml.ScalarNode) or node.tag == _NULL:
        return None
    return str(node.value)


def pairs(node: Any, depth: int = 0) -> Iterator[tuple[str, Any, Any]]:
    """(key text, key node, value node) of a mapping, YAML merge keys (``<<: *base``) followed as
    compose follows them (the mapping's own keys win, then earlier merged mappings); nothing for
    anything else."""
    if not is_mapping(node):
        return
    merged: dict[str, tuple[str, Any, Any]] = {}
    own: list[tuple[str, Any, Any]] = []
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.tag == _MERGE:
            if depth >= limits.MAX_NESTING:
                raise ShapeError(key_node, "<<", f"at most {limits.MAX_NESTING} merges deep")
            for source in [value_node] if is_mapping(value_node) else items(value_node):
                for found in pairs(source, depth + 1):
                    merged.setdefault(found[0], found)
            continue
        key = text(key_node)
        if key is not None:
            own.append((key, key_node, value_node))
    mine = {key for key, _, _ in own}
    yield from (found for key, found in merged.items() if key not in mine)
    yield from own


def get(node: Any, key: str) -> Any:
    """The value node under ``key`` in a mapping, or None."""
    return next((value for name, _, value in pairs(node) if name == key), None)


def items(node: Any) -> list[Any]:
    """The item nodes of a sequence; empty for anything else."""
    return list(node.value) if is_sequence(node) else []


def truthy(node: Any) -> bool:
    """Whether a scalar node is a YAML 1.1 true (``true``, ``yes``, ``on``)."""
    value = text(node)
    return value is not None and value.lower() in ("true", "yes", "on", "y")
