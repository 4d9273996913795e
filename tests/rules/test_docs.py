"""Docs that are tests: every rule's ``## Example`` fires the rule, every ``## Use instead`` passes it,
and no documentation value is a usable secret (each is a published default, so copying one into a
real file is itself reported).

Blocks run as a user would run them: a ``dotenv`` block is written to the file its first comment
names (``# .env.example``; default ``.env.production``), a ``yaml`` block to ``render.yaml`` or
``compose.yaml``, and a ``console`` block's ``$`` lines are run by ``sh`` in a fresh git repository;
then ``envguard.lint`` judges what is there (``--git`` for the git rules).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from envguard import engine, envfile, lint
from envguard.findings import Environment, Finding
from envguard.judge.defaults import Defaults
from envguard.judge.formats import identify
from envguard.judge.hosts import url_credentials
from envguard.judge.placeholders import is_placeholder
from envguard.judge.roles import role_of
from envguard.judge.values import read
from envguard.model import Context, Run, Variable
from envguard.rules import RULES, weak_secret
from envguard.rules.base import Rule

ROOT = Path(__file__).parents[2]
_BLOCK = re.compile(r"```(\w*)\n(.*?)```", re.S)
#: rules whose examples are about an app's schema, and the schema they are written for
SCHEMAS = {
    "EG901": "laravel",
    "EG902": "laravel",
    "EG903": "laravel",
    "EG904": "laravel",
    "EG905": "malar-ledger",
    "EG906": "loyalty-system",
    "EG907": "laravel",
    "EG908": "finance-tracker",
    "EG909": "finance-tracker",
}
#: files a rule's example refers to besides the block itself
EXTRA = {"EG920": {".env.example": "REDIS_HOST=\nREDIS_PASSWORD=\n"}}


def blocks(rule: type[Rule], section: str) -> list[tuple[str, str]]:
    """The (language, text) code blocks of one section of a rule's documentation."""
    doc = rule.doc()
    if f"## {section}" not in doc:
        return []
    part = doc.split(f"## {section}", 1)[1].split("\n## ", 1)[0]
    return _BLOCK.findall(part)


def run(rule: type[Rule], lang: str, text: str, tmp_path: Path) -> list[Finding]:
    """Lay the block out as a user would, then lint: the rule's findings."""
    work = tmp_path / "work"
    work.mkdir(parents=True)
    for name, content in EXTRA.get(rule.code, {}).items():
        (work / name).write_text(content)
    git = lang == "console"
    if git:
        _shell(text, work)
    elif lang == "yaml":
        (work / ("render.yaml" if "envVars" in text else "compose.yaml")).write_text(text)
    else:
        first = text.splitlines()[0] if text.strip() else ""
        named = re.match(r"#\s*(\.env[\w.]*)(?:\s|;|$)", first)
        (work / (named.group(1) if named else ".env.production")).write_text(text)
    has_files = any(
        (p.name.startswith(".env") and p.name != ".env.keys") or p.suffix in (".yaml", ".yml")
        for p in work.iterdir()
    )
    request = lint.Request(
        paths=(work,) if has_files else (),
        git=git and rule.code.startswith("EG33"),
        select=(rule.code,),
        schema=SCHEMAS.get(rule.code),
        example=work / ".env.example" if rule.code == "EG920" else None,
    )
    cwd = Path.cwd()
    os.chdir(work)
    try:
        return [f for f in lint.lint(request, work).findings if f.code == rule.code]
    finally:
        os.chdir(cwd)


def _shell(text: str, work: Path) -> None:
    """Run the ``$`` lines of a console block in ``work``, a fresh git repository."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "doc",
        "GIT_AUTHOR_EMAIL": "doc@example.org",
        "GIT_COMMITTER_NAME": "doc",
        "GIT_COMMITTER_EMAIL": "doc@example.org",
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    subprocess.run(["git", "init", "-q"], cwd=work, check=True, env=env)
    script = "\n".join(line[2:] for line in text.splitlines() if line.startswith("$ "))
    subprocess.run(["sh", "-ec", script], cwd=work, check=True, env=env, capture_output=True)


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_example_fires(rule: type[Rule], tmp_path: Path) -> None:
    found = blocks(rule, "Example")
    assert found, f"{rule.code} has no example block"
    for index, (lang, text) in enumerate(found):
        assert run(rule, lang, text, tmp_path / str(index)), f"{rule.code}'s example does not fire it"


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_use_instead_passes(rule: type[Rule], tmp_path: Path) -> None:
    for index, (lang, text) in enumerate(blocks(rule, "Use instead")):
        assert not run(rule, lang, text, tmp_path / str(index)), f"{rule.code}'s 'Use instead' fires it"


def _documented_values() -> list[tuple[str, str, str]]:
    """(where, key, value) of every literal secret in a rule's docs, the README and docs/."""
    texts = [(r.code, r.doc()) for r in RULES]
    texts += [(p.name, p.read_text()) for p in (ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")))]
    found = []
    for where, doc in texts:
        for lang, text in _BLOCK.findall(doc):
            if lang in ("dotenv", "sh", "toml", "") or "=" in text:
                for record in envfile.parse(text):
                    if record.key and record.value and record.is_entry:
                        found.append((where, record.key, record.value))
    return found


def usable(key: str, literal: str, empty: Defaults) -> bool:
    """Whether a documented ``KEY=value`` would pass as a good secret if copied into a production
    file: a literal secret the app makes itself (a provider's fake-format key fails at the
    provider), which no weak-secret rule reports when the published defaults are left out."""
    if not role_of(None, key, literal).secret or identify(literal) is not None or is_placeholder(literal):
        return False
    ctx = Context("docs", Environment.PRODUCTION, (Variable(key, literal),), run=Run(defaults=empty))
    return not engine.run(ctx, weak_secret.RULES)


def documented_secrets(tmp_path: Path) -> list[tuple[str, str, str]]:
    """The (where, key, value) of every usable secret the documentation shows."""
    (tmp_path / "empty.toml").write_text("")
    empty = Defaults(tmp_path / "empty.toml")
    found = []
    for where, key, value in _documented_values():
        literal = read(value).judged
        if not literal or literal.startswith("encrypted:"):
            continue
        passwords = [c.password for c in url_credentials(literal) if c.password]
        if passwords:  # a URL's secret is its password: that is what EG207 looks up
            found += [(where, key, p) for p in passwords if usable("PASSWORD", p, empty)]
        elif usable(key, literal, empty):
            found.append((where, key, literal))
    return found


def test_no_documented_secret_is_usable(tmp_path: Path) -> None:
    defaults = Defaults()
    found = documented_secrets(tmp_path)
    assert len(found) > 10  # the docs do show strong values: the check is not vacuous
    missing = [f"{where}: {key}" for where, key, literal in found if defaults.source(literal) is None]
    assert not missing, "documentation secrets missing from the published defaults:\n" + "\n".join(missing)
