"""What a project is built with, from its manifest and lock files (nothing is ever run).

``detect`` names the built-in framework schema that fits the project in a folder; ``version`` reads
the framework's major version from the lock or manifest file (``composer.lock``, ``composer.json``,
``package.json``, ``Gemfile.lock``). ``Projects`` answers, for each checked file, which project it
belongs to, looking each folder up once in a run: deprecations and production names depend on it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from envguard.model import Project
from envguard.schema import Schema

#: the built-in schemas that describe a framework rather than an app
FRAMEWORKS = ("laravel", "django", "rails", "fastapi", "flask", "nextjs", "vite", "node")

_GEM_RAILS = re.compile(r"""^\s*gem\s+['"]rails['"]""", re.M)
_MAJOR = re.compile(r"(\d+)")
#: the package whose version is the framework's, per ecosystem file
_PACKAGES = {
    "laravel": ("composer", "laravel/framework"),
    "symfony": ("composer", "symfony/framework-bundle"),
    "nextjs": ("npm", "next"),
    "rails": ("gem", "rails"),
}


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _node_packages(root: Path) -> set[str] | None:
    """The dependency names of ``package.json``, or None when there is none (or it is not JSON)."""
    data = _loads(_text(root / "package.json"))
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
    if (root / "composer.json").is_file():
        required = _json_table(root / "composer.json", "require")
        if (root / "artisan").is_file() or "laravel/framework" in required:
            return "laravel"
        if (root / "symfony.lock").is_file() or "symfony/framework-bundle" in required:
            return "symfony"
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


def version(root: Path, framework: str) -> int | None:
    """The framework's major version in ``root``: the lock file's, else the manifest's constraint."""
    found = _PACKAGES.get(framework)
    if found is None:
        return None
    ecosystem, package = found
    if ecosystem == "composer":
        return _composer_version(root, package)
    if ecosystem == "npm":
        return _major(_json_table(root / "package.json", "dependencies").get(package))
    lock = _text(root / "Gemfile.lock")
    match = re.search(rf"^    {re.escape(package)} \((\d+)", lock, re.M)
    return int(match.group(1)) if match else None


def _composer_version(root: Path, package: str) -> int | None:
    lock = _loads(_text(root / "composer.lock"))
    for entry in lock.get("packages", []) if isinstance(lock, dict) else []:
        if isinstance(entry, dict) and entry.get("name") == package:
            return _major(entry.get("version"))
    return _major(_json_table(root / "composer.json", "require").get(package))


def _loads(text: str) -> Any:
    """The JSON document ``text`` holds; None for an empty or malformed one (json is imported only
    when there is a file to read: most checked folders have none). Not ``formats.loads_bounded``:
    its bracket scan, made for short values, takes ten times as long as the parse on a large
    ``composer.lock`` (38 ms for 430 KB)."""
    if not text.strip():
        return None
    import json

    try:
        return json.loads(text)
    except ValueError:
        return None


def _json_table(path: Path, section: str) -> dict[str, str]:
    data = _loads(_text(path))
    table = data.get(section) if isinstance(data, dict) else None
    return {str(k): str(v) for k, v in table.items()} if isinstance(table, dict) else {}


def _major(constraint: object) -> int | None:
    """The first major version a constraint or version names (``^11.0``, ``v11.9.2``, ``~10``)."""
    if not isinstance(constraint, str):
        return None
    match = _MAJOR.search(constraint)
    return int(match.group(1)) if match and len(match.group(1)) < 4 else None


#: the files that mark a project's root
_PROJECT_MARKERS = frozenset(
    {
        "composer.json",
        "package.json",
        "manage.py",
        "Gemfile",
        "pyproject.toml",
        "requirements.txt",
        "go.mod",
        "pom.xml",
        "build.gradle",
    }
)


class Projects:
    """What each folder's project is built with, looked up once per folder in a run: the files of
    a tree share their parents' answers, and each folder is listed at most once."""

    #: folders above a file that can be its project's root (env files sit at it or a few below)
    DEPTH = 6

    def __init__(self) -> None:
        self._roots: dict[str, Project | None] = {}

    def of(self, path: Path, schema: Schema) -> Project:
        """The project the file ``path`` belongs to; the schema's framework when the files say none."""
        folder = os.path.dirname(os.path.abspath(path))
        found = None
        for _ in range(self.DEPTH):
            found = self._root(folder)
            parent = os.path.dirname(folder)
            if found is not None or parent == folder:
                break
            folder = parent
        found = found or Project()
        if found.framework is None and schema.frameworks:
            return Project(schema.frameworks[0], schema.framework_version)
        return found

    def _root(self, folder: str) -> Project | None:
        """The project whose root is ``folder``, or None when it holds no manifest."""
        if folder not in self._roots:
            found = None
            if _is_root(folder):
                name = detect(Path(folder))
                found = Project(name, version(Path(folder), name) if name else None)
            self._roots[folder] = found
        return self._roots[folder]


def _is_root(folder: str) -> bool:
    """Whether ``folder`` holds a project's manifest (one listing, not a stat per marker)."""
    try:
        with os.scandir(folder) as listing:
            return any(entry.name in _PROJECT_MARKERS for entry in listing)
    except OSError:
        return False
