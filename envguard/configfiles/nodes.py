"""Line-aware reading of YAML (and JSON) config files through PyYAML's node API.

PyYAML is imported here, and this module is imported only when a config file is checked, so
``envguard check .env`` and ``import envguard`` never pay for it. Nodes keep the text as written
(``yes`` stays ``yes``, ``${VAR}`` stays ``${VAR}``) and their 0-based ``start_mark`` positions.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from envguard import envfile
from envguard.errors import InputError

_NULL = "tag:yaml.org,2002:null"


def load(path: Path) -> Any:
    """The root node of a YAML or JSON file; None for an empty file; InputError when malformed."""
    text = envfile.decode(envfile.read_bytes(path), path)
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f":{mark.line + 1}" if mark is not None else ""
        raise InputError(f"{path}{where}: not valid YAML ({exc.problem})") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: not valid YAML ({type(exc).__name__})") from None


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


def text(node: Any) -> str | None:
    """A scalar's text as written; None for a null or a non-scalar."""
    if not isinstance(node, yaml.ScalarNode) or node.tag == _NULL:
        return None
    return str(node.value)


def pairs(node: Any) -> Iterator[tuple[str, Any, Any]]:
    """(key text, key node, value node) of a mapping; nothing for anything else."""
    if not is_mapping(node):
        return
    for key_node, value_node in node.value:
        key = text(key_node)
        if key is not None:
            yield key, key_node, value_node


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
