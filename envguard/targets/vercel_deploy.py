"""Vercel's rate-limit answers and the redeploy ``push --deploy`` asks for.

A 429 carries ``Retry-After`` and, in its body, ``error.limit.reset`` (UTC epoch seconds): the
latter is honoured when the header is missing. A redeploy is ``POST /v13/deployments`` naming the
newest ready deployment of the target (``GET /v6/deployments``); it is not safe to repeat, so after
a lost reply the newest deployment tells whether it was created.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from envguard.errors import NetworkError, TargetError
from envguard.targets.http import HttpClient
from envguard.targets.reply import Reply


def reset_wait(reply: Reply) -> float | None:
    """Seconds until ``limit.reset`` of a 429's body; None for any other reply."""
    if reply.status != 429:
        return None
    body = reply.parsed()
    error = body.get("error") if isinstance(body, dict) else None
    limit = error.get("limit") if isinstance(error, dict) else None
    reset = limit.get("reset") if isinstance(limit, dict) else None
    if not isinstance(reset, int | float) or isinstance(reset, bool):
        return None
    return max(0.0, float(reset) - time.time())


def newest(
    http: HttpClient, project: str, target: str, team: Mapping[str, str | int], name: str, *, ready: bool
) -> dict[str, Any] | None:
    """The newest deployment of ``target`` (only ``READY`` ones when ``ready``), or None."""
    params: dict[str, str | int] = {**team, "projectId": project, "target": target, "limit": 1}
    if ready:
        params["state"] = "READY"
    page = http.json(http.send("GET", "/v6/deployments", params=params, idempotent=True))
    found = page.get("deployments") if isinstance(page, dict) else None
    if not isinstance(found, list):
        raise NetworkError(f"{name}: unexpected response shape for deployments")
    first = found[0] if found else None
    if first is not None and not (isinstance(first, dict) and isinstance(first.get("uid"), str)):
        raise NetworkError(f"{name}: unexpected response shape for a deployment")
    return first


def redeploy(http: HttpClient, project: str, target: str, team: Mapping[str, str | int], name: str) -> bool:
    """Redeploy the newest ready deployment of ``target`` once; TargetError when it cannot."""
    base = newest(http, project, target, team, name, ready=True)
    if base is None:
        raise TargetError(
            f"{name}: variables written, but there is no ready {target} deployment to redeploy",
            hint="deploy once with the Vercel CLI or a git push",
        )
    before = newest(http, project, target, team, name, ready=False)
    body: dict[str, Any] = {
        "name": str(base.get("name") or project),
        "deploymentId": base["uid"],
        "project": project,
    }
    if target == "production":
        body["target"] = "production"

    def created() -> bool:
        now = newest(http, project, target, team, name, ready=False)
        return now is not None and (before is None or now["uid"] != before["uid"])

    try:
        http.mutate("POST", "/v13/deployments", json=body, params=dict(team), secrets=(), confirm=created)
    except TargetError as exc:
        raise type(exc)(f"{exc.message}; variables written, but no redeploy confirmed", exc.hint) from None
    return True
