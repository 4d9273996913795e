"""Rules about envguard's own directives in env files (opt-in)."""

from __future__ import annotations

from collections.abc import Iterator

from envguard.findings import Category, Finding
from envguard.model import Context
from envguard.rules.base import EVERYWHERE_WARNING, Rule


class UnusedIgnore(Rule):
    """Inline ignore that suppresses nothing.

    ## What it does
    Reports an `# envguard: ignore[...]` comment, or one code in it, that hides no finding: the
    problem it once hid is fixed, or the code is a typo. Opt-in, as ruff's RUF100: select it by code
    or name (`--select EG100`, or `select = ["EG100"]` in the configuration). Each finding is
    where the unused code is written; only an ignore naming EG100 or `unused-ignore` hides one.

    ## Why is this bad?
    A stale ignore hides the next real problem on that line without anyone deciding it should.

    ## Example
    ```dotenv
    DEBUG=false  # envguard: ignore[EG401]
    ```

    ## Use instead
    ```dotenv
    DEBUG=false
    ```
    """

    code = "EG100"
    name = "unused-ignore"
    category = Category.SYNTAX
    levels = EVERYWHERE_WARNING
    opt_in = True
    fix = (
        "removes the unused codes from the ignore, and the ignore itself (with its comment, when "
        "nothing else is in it) once none is used"
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        from envguard import engine, ignores
        from envguard.rules import RULES

        directives = ignores.directives(ctx.records)
        if not directives:
            return
        others = [r for r in RULES if r is not UnusedIgnore and r.level(ctx.env) is not None]
        hits: dict[int, set[type[Rule]]] = {}
        for rule in others:
            for finding in rule().check(ctx):
                if finding.line is not None:
                    hits.setdefault(finding.line, set()).add(rule)
        # each finding is where the unused code is written: `fix` takes it out there, editors show it
        for directive in directives:
            found = hits.get(directive.target, set())
            if not directive.codes:
                if not found:
                    yield self.report(
                        ctx,
                        "`envguard: ignore` suppresses nothing here",
                        column=directive.column,
                        hint="remove the comment",
                        key=directive.key,
                        line=directive.at,
                    )
                continue
            for code in sorted(directive.codes):
                if not any(engine.matches(rule, code) for rule in found):
                    yield self.report(
                        ctx,
                        f"`ignore[{code}]` suppresses nothing here",
                        column=directive.column_of(code),
                        hint=f"remove {code} from the comment",
                        key=directive.key,
                        line=directive.at,
                    )


RULES: tuple[type[Rule], ...] = (UnusedIgnore,)
