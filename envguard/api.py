"""The in-process API behind ``envguard.check_env`` and ``envguard.guard``."""

from __future__ import annotations

import os
from collections.abc import Mapping

from envguard import catalog, lint
from envguard import schema as schemas
from envguard.errors import ConfigError
from envguard.findings import Environment, Finding, Severity
from envguard.schema import Schema


def _schema(schema: str | Schema | type | None) -> Schema:
    if schema is None:
        return schemas.GENERIC
    if isinstance(schema, Schema):
        return schema
    if isinstance(schema, str):
        return catalog.load(schema)
    from envguard.schema_pydantic import from_settings_class

    return from_settings_class(schema)


def check_env(
    mapping: Mapping[str, str] | None = None,
    schema: str | Schema | type | None = None,
    env: str | Environment | None = None,
) -> list[Finding]:
    """Findings for ``mapping`` (default ``os.environ``) judged by ``schema`` in ``env``.

    ``schema`` is a built-in name, a TOML path, ``module:Class``, a Schema, or a
    pydantic-settings class. ``env`` defaults to what the variables name (``ENVGUARD_ENV``,
    ``APP_ENV``, ``ENVIRONMENT``, ``ENV``, ``DJANGO_ENV``, ... ``NODE_ENV``), else the schema's
    default, else production.
    """
    values = dict(os.environ if mapping is None else mapping)
    request = lint.Request(
        live=lint.Live(values, "env:", infer_env=True),
        schema=_schema(schema),
        env=Environment(env) if env else None,
        apply_baseline=False,
    )
    # the run, and every answer it kept about the values, ends with this call
    return list(lint.lint(request).findings)


def guard(
    schema: str | Schema | type | None = None,
    env: str | Environment | None = None,
    environ: Mapping[str, str] | None = None,
    fail_on: str | Severity = Severity.ERROR,
) -> None:
    """Raise ConfigError if the configuration has findings at or above ``fail_on``."""
    threshold = Severity(fail_on)
    bad = [f for f in check_env(environ, schema, env) if f.severity.at_least(threshold)]
    if bad:
        lines = [f"  {f.key or '-'}: {f.code} {f.message}" for f in bad]
        raise ConfigError(bad, "unsafe configuration:\n" + "\n".join(lines))  # type: ignore[arg-type]
