"""The official SARIF 2.1.0 schema, kept in the repository (``tests/formats/``), so that every test
that reads SARIF validates it on a fresh clone, without network or a sibling checkout."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import jsonschema

SARIF_SCHEMA = Path(__file__).parent / "formats" / "sarif-schema-2.1.0.json"


@functools.cache
def validator() -> Any:
    """A validator for the official schema (checked itself once)."""
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def errors(document: Any) -> list[str]:
    """Each way ``document`` breaks the schema, as ``PATH: MESSAGE``; empty when it is valid."""
    found = sorted(validator().iter_errors(document), key=lambda e: list(e.path))
    return [f"{'/'.join(map(str, e.path))}: {e.message}" for e in found]


def check(text: str) -> dict[str, Any]:
    """The SARIF ``text`` parsed, after asserting that it is valid."""
    document = json.loads(text)
    problems = errors(document)
    assert not problems, problems[:3]
    assert isinstance(document, dict)
    return document
