"""The target registry: a URI (or a target named in the project config) to a ``Target``.

``vault://MOUNT/PATH``, ``railway://PROJECT_ID/ENVIRONMENT_ID[/SERVICE_ID]``,
``render://SERVICE_ID``, ``vercel://PROJECT[/TARGET]`` and ``github://OWNER/REPO[/environments/ENV]``;
a bare name such as ``production`` is looked up in
``[tool.envguard.targets.NAME]`` (pyproject.toml) or ``[targets.NAME]`` (envguard.toml) and its
``uri`` used. Credentials come from the environment only. Each factory imports its module lazily,
so naming a target costs nothing until it is opened.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from envguard.errors import UsageError
from envguard.targets.base import ApplyResult, Plan, Remote, Target

__all__ = [
    "ApplyResult",
    "Plan",
    "Remote",
    "Target",
    "TargetURI",
    "open_target",
    "parse",
    "read_target",
    "readable",
]

_SEGMENT = re.compile(r"[A-Za-z0-9._@:~+-]+")


@dataclass(frozen=True)
class TargetURI:
    """A parsed target URI: its scheme and the path segments after ``scheme://``."""

    scheme: str
    parts: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.scheme}://{'/'.join(self.parts)}"

    @property
    def slug(self) -> str:
        """A file-name-safe form, for snapshot names."""
        return re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{self.scheme}-{'-'.join(self.parts)}").strip("-")


def _vault(uri: TargetURI, environ: Mapping[str, str]) -> Target:
    from envguard.targets.vault import VaultTarget

    return VaultTarget(uri.parts[0], "/".join(uri.parts[1:]), environ)


def _railway(uri: TargetURI, environ: Mapping[str, str]) -> Target:
    from envguard.targets.railway import RailwayTarget

    service = uri.parts[2] if len(uri.parts) == 3 else None
    return RailwayTarget(uri.parts[0], uri.parts[1], service, environ)


def _render(uri: TargetURI, environ: Mapping[str, str]) -> Target:
    from envguard.targets.render import RenderTarget

    return RenderTarget(uri.parts[0], environ)


def _vercel(uri: TargetURI, environ: Mapping[str, str]) -> Target:
    from envguard.targets.vercel import VercelTarget
    from envguard.targets.vercel_env import target_of

    return VercelTarget(uri.parts[0], target_of(uri.parts), environ)


def _github(uri: TargetURI, environ: Mapping[str, str]) -> Target:
    from envguard.targets.github import GitHubTarget

    if len(uri.parts) == 3 or (len(uri.parts) == 4 and uri.parts[2] != "environments"):
        raise UsageError(
            f"malformed target URI {uri}",
            hint="expected github://OWNER/REPO or github://OWNER/REPO/environments/ENV",
        )
    return GitHubTarget(uri.parts[0], uri.parts[1], uri.parts[3] if len(uri.parts) == 4 else None, environ)


@dataclass(frozen=True)
class _Scheme:
    """How many path segments a scheme takes, its shape for messages, and its factory."""

    shape: str
    min_parts: int
    max_parts: int
    factory: Callable[[TargetURI, Mapping[str, str]], Target]


SCHEMES: dict[str, _Scheme] = {
    "vault": _Scheme("vault://MOUNT/PATH", 2, 32, _vault),
    "railway": _Scheme("railway://PROJECT_ID/ENVIRONMENT_ID[/SERVICE_ID]", 2, 3, _railway),
    "render": _Scheme("render://SERVICE_ID", 1, 1, _render),
    "vercel": _Scheme("vercel://PROJECT[/TARGET]", 1, 2, _vercel),
    "github": _Scheme("github://OWNER/REPO[/environments/ENV]", 2, 4, _github),
}


def parse(ref: str) -> TargetURI:
    """Parse ``scheme://a/b``; UsageError for an unknown scheme or a malformed path."""
    scheme, sep, rest = ref.partition("://")
    if not sep:
        raise UsageError(f"{ref!r} is not a target URI", hint=_shapes())
    spec = SCHEMES.get(scheme.lower())
    if spec is None:
        raise UsageError(f"unknown target scheme {scheme!r} in {ref!r}", hint=_shapes())
    parts = tuple(p for p in rest.strip("/").split("/"))
    valid = all(_SEGMENT.fullmatch(p) and p not in (".", "..") for p in parts)
    if not valid or not spec.min_parts <= len(parts) <= spec.max_parts:
        raise UsageError(f"malformed target URI {ref!r}", hint=f"expected {spec.shape}")
    return TargetURI(scheme.lower(), parts)


def resolve(ref: str, cwd: Path | None = None) -> TargetURI:
    """A URI as given, or the ``uri`` of a target named in the project configuration."""
    if "://" in ref:
        return parse(ref)
    from envguard import config

    found = config.find(cwd or Path.cwd())
    named = found.targets.get(ref)
    if named is None:
        known = ", ".join(sorted(found.targets)) or "none configured"
        raise UsageError(
            f"unknown target {ref!r} (named targets: {known})",
            hint="give a URI such as vault://secret/myapp/prod, or add "
            f"[tool.envguard.targets.{ref}] with uri = ... to pyproject.toml",
        )
    uri = named.get("uri")
    if not isinstance(uri, str):
        raise UsageError(f"{found.source}: target {ref!r} needs a `uri` string")
    return parse(uri)


def open_target(ref: str, environ: Mapping[str, str], cwd: Path | None = None) -> Target:
    """The target a URI or configured name points at; nothing is contacted yet."""
    uri = resolve(ref, cwd)
    return SCHEMES[uri.scheme].factory(uri, environ)


def readable(target: Target) -> Remote:
    """What ``target`` holds that can be read (``pull``, ``run --from``): its ``fetch``, or the
    target's own error when there is nothing at its path or nothing readable (GitHub)."""
    remote = target.fetch()
    if not remote.exists or remote.write_only:
        target.read()
    return remote


def read_target(uri: str, environ: Mapping[str, str], cwd: Path | None = None) -> dict[str, str | None]:
    """The variables deployed on a target (for ``check --from``); TargetError on failure.

    Keys whose values the target will not show (GitHub secrets, Vercel's sensitive variables)
    are there with None: checked by name, as present.
    """
    target = open_target(uri, environ, cwd)
    remote = target.fetch()
    if not remote.exists:
        return dict(target.read())  # the target's own "nothing there" error
    return {**dict.fromkeys(remote.unreadable), **remote.values}


def _shapes() -> str:
    """The URI forms envguard knows, for hints."""
    return "use " + ", ".join(s.shape for s in SCHEMES.values()) + ", or a configured name"
