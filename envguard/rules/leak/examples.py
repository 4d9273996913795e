"""Example-file leaks (EG301-EG309): real credentials in files meant to be committed.

These rules run on ``example`` files only (``.env.example``, ``.env.sample``, ``.env.template``),
where placeholders are right and anything that works as a credential is a leak. Defaults a
project ships (the AWS documentation's example keys, Supabase's demo keys) are not leaks: everyone
has them already.
"""

from __future__ import annotations

from collections.abc import Iterator

from envguard.findings import Category, Finding, Severity
from envguard.judge.hosts import url_credentials
from envguard.judge.placeholders import is_placeholder
from envguard.judge.strength import looks_random
from envguard.judge.values import is_reference
from envguard.model import Context, Variable
from envguard.rules.base import Rule, levels

EXAMPLE_ONLY = levels(None, None, Severity.ERROR)
_HINT = "revoke it at the provider now, then commit a placeholder such as your-key-here"


def _values(ctx: Context) -> Iterator[tuple[Variable, str]]:
    """Each variable with its literal value, when that is no placeholder or published default."""
    for var in ctx.last.values():
        value = ctx.reading(var).judged
        if value and not ctx.placeholder(var) and not ctx.shipped(value):
            yield var, value


class CredentialInExample(Rule):
    """Real credential in an example file.

    ## What it does
    Reports values in example files that have the exact format of a provider credential: AWS
    access keys, Stripe secret and restricted keys, GitHub and GitLab tokens, Slack webhooks and
    tokens, OpenAI and Anthropic keys, SendGrid keys, Twilio SIDs, Telegram bot tokens, private
    keys, and JWTs with privileged claims (Supabase `service_role`). Publishable keys, Supabase
    anon keys and the providers' own documentation examples pass.

    ## Why is this bad?
    Example files are committed and copied around; bots scan public repositories for these
    formats within minutes of a push. A test-mode key still opens the test account.

    ## Example
    ```dotenv
    # .env.example
    STRIPE_SECRET_KEY=sk_live_51Hx4bT2eZvKYlo2C8nXq0aRvP3wYt
    ```

    ## Use instead
    ```dotenv
    # .env.example
    STRIPE_SECRET_KEY=sk_live_your_key_here
    ```
    """

    code = "EG301"
    name = "credential-in-example"
    category = Category.LEAK
    levels = EXAMPLE_ONLY

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var, value in _values(ctx):
            token = ctx.token(var)
            if token is None or token.kind == "public" or (token.jwt and not token.privileged):
                continue
            yield self.report(
                ctx,
                f"{var.key} holds {token.label} in an example file",
                var=var,
                value=value,
                severity=Severity.WARNING if token.test else None,
                hint=_HINT,
            )


def random_part(ctx: Context, var: Variable, value: str) -> str | None:
    """Which part of a secret looks generated: the value itself or a URL's password."""
    for cred in ctx.once(url_credentials, value):
        password = cred.password
        if (
            password
            and not is_reference(password)
            and not ctx.once(is_placeholder, password)
            and not ctx.shipped(password)
            and looks_random(password)
        ):
            return "a real-looking password in its URL"
    if "://" in value or ctx.token(var) is not None:
        return None
    return "a random-looking value" if ctx.role(var).secret and looks_random(value) else None


class RandomSecretInExample(Rule):
    """Random-looking secret in an example file.

    ## What it does
    Reports secrets (by schema or name) in example files whose value reads as generated, not
    typed: long, without words, every character a fresh guess. Passwords inside connection URLs
    are judged the same way. Placeholders (`your-secret-here`, `changeme`, `<secret>`) and
    readable development values (`dev-secret-not-for-production`) pass.

    ## Why is this bad?
    A generated value in an example file is almost always a real key someone pasted while
    setting up: the team's signing key or database password is now in git history.

    ## Example
    ```dotenv
    # .env.example
    JWT_SECRET=3b9f2c71d8a04e6fb5c2a9e07d41f8c36e2a1b95d07c4f8a9e3b6d2c1f0a7e54
    ```

    ## Use instead
    ```dotenv
    # .env.example
    JWT_SECRET=generate-with-openssl-rand-base64-32
    ```
    """

    code = "EG302"
    name = "random-secret-in-example"
    category = Category.LEAK
    levels = EXAMPLE_ONLY

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var, value in _values(ctx):
            part = random_part(ctx, var, value)
            if part is not None:
                yield self.report(
                    ctx,
                    f"{var.key} holds {part} in an example file",
                    var=var,
                    hint="rotate it if it was ever used, then commit a placeholder",
                )


RULES: tuple[type[Rule], ...] = (CredentialInExample, RandomSecretInExample)
