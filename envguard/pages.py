"""What ``envguard rules``, ``rule CODE`` and ``schema list`` print, kept in ``pages.json``.

Those pages depend only on the rule registry and the built-in schemas, yet answering them the
ordinary way imports typer, pydantic and every rule module: more than a typical ``check`` costs.
``python -m envguard.pages`` prints them through the real commands into ``pages.json`` (committed,
shipped in the wheel); ``envguard.launch`` answers from it without importing any of that. A test
fails when the committed file is stale: regenerate it after changing a rule or a built-in schema.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
from collections.abc import Callable
from pathlib import Path

FILE = Path(__file__).with_name("pages.json")


def _printed(command: Callable[[], int]) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        command()
    return out.getvalue()


def build() -> dict[str, object]:
    """The pages, printed by the commands themselves: ``rules`` (text and json), each rule by code
    (names map to codes), ``schema list``."""
    from envguard.commands import rules, schema
    from envguard.rules import RULES

    listings = {fmt: _printed(functools.partial(rules.list_rules, fmt)) for fmt in ("text", "json")}
    shown = {rule.code: _printed(functools.partial(rules.show_rule, rule.code)) for rule in RULES}
    return {
        "rules": listings,
        "rule": shown,
        "names": {rule.name: rule.code for rule in RULES},
        "schema list": _printed(schema.list_schemas),
    }


def text() -> str:
    """``pages.json``'s content as :func:`build` makes it."""
    return json.dumps(build(), indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def page(args: list[str]) -> str | None:
    """The page ``args`` prints when it is one of these plain invocations, else None."""
    if (
        args in (["rules"], ["schema", "list"])
        or (args[:1] == ["rules"] and args[1:2] in (["--format"], ["-f"]) and len(args) == 3)
        or (len(args) == 2 and args[0] == "rule")
    ):
        try:
            pages = json.loads(FILE.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if args[0] == "schema":
            return str(pages["schema list"])
        if args[0] == "rules":
            found = pages["rules"].get(args[2] if len(args) == 3 else "text")
        else:
            wanted = args[1].strip()
            found = pages["rule"].get(pages["names"].get(wanted, wanted.upper()))
        return found if isinstance(found, str) else None
    return None


if __name__ == "__main__":
    FILE.write_text(text(), encoding="utf-8")
    print(f"wrote {FILE}")
