"""What a project is built with, and what a variable looks like from its example value.

``detect`` reads a project's manifest files (never runs anything) to name the built-in framework
schema that fits; ``guess`` turns one example entry into the fields a schema would give it. Both
serve ``envguard schema init``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from envguard import generate
from envguard.rules.roles import browser_prefix, is_placeholder, secret_name, secret_value
from envguard.schema import Schema

#: the built-in schemas that describe a framework rather than an app
FRAMEWORKS = ("laravel", "django", "rails", "fastapi", "flask", "nextjs", "vite", "node")

_GEM_RAILS = re.compile(r"""^\s*gem\s+['"]rails['"]""", re.M)
_BOOL = frozenset({"true", "false", "yes", "no", "on", "off"})
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://\S+")


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _node_packages(root: Path) -> set[str] | None:
    """The dependency names of ``package.json``, or None when there is none (or it is not JSON)."""
    try:
        data = json.loads(_text(root / "package.json"))
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    names: set[str] = set()
    for section in ("dependencies", "devDependencies"):
        table = data.get(section)
        if isinstance(table, dict):
            names.update(str(name) for name in table)
    return names


def _python_packages(root: Path) -> str:
    """The lower-cased text of the Python manifests, for a dependency name search."""
    files = [root / "pyproject.toml", root / "Pipfile", *sorted(root.glob("requirements*.txt"))]
    return "\n".join(_text(f) for f in files if f.is_file()).lower()


def _mentions(text: str, package: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(package)}(?![\w-])", text) is not None


def detect(root: Path) -> str | None:
    """The framework schema for the project in ``root``, or None when nothing says.

    Backend manifests win over ``package.json``: Laravel and Django projects ship one for their
    asset build.
    """
    if (root / "composer.json").is_file() and (root / "artisan").is_file():
        return "laravel"
    if (root / "manage.py").is_file():
        return "django"
    if _GEM_RAILS.search(_text(root / "Gemfile")):
        return "rails"
    python = _python_packages(root)
    for package in ("fastapi", "flask"):
        if _mentions(python, package):
            return package
    packages = _node_packages(root)
    if packages is None:
        return None
    if "next" in packages:
        return "nextjs"
    return "vite" if "vite" in packages else "node"


@dataclass(frozen=True)
class Guess:
    """What ``schema init`` writes for one variable."""

    name: str
    secret: bool
    public: bool
    type: str | None
    generate: str | None


def value_type(key: str, value: str) -> str | None:
    """The schema type an example value suggests, or None for a plain string (or no evidence)."""
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return "port" if key.upper().endswith("PORT") else "int"
    if value.lower() in _BOOL:
        return "bool"
    if _URL.fullmatch(value):
        return "url"
    if "," in value and all(_URL.fullmatch(part.strip()) for part in value.split(",")):
        return "url-list"
    if _EMAIL.fullmatch(value):
        return "email"
    return None


def guess(framework: Schema, key: str, value: str) -> Guess:
    """A variable's role and type from its name and example value: browser-exposed names are
    public unless their name says secret (then the exposure rules will speak up)."""
    secret = secret_name(key) or (not is_placeholder(value) and secret_value(value))
    public = browser_prefix(key) is not None and not secret
    kind = generate.kind_for(framework, key, value) if secret else None
    return Guess(key, secret, public, value_type(key, value), kind)
