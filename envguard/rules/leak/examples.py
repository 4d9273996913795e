"""The ``leak`` family, part one (EG301-EG309): real credentials in files meant to be committed.

These rules run on ``example`` files only (``.env.example``, ``.env.sample``, ``.env.template``),
where placeholders are right and anything that works as a credential is a leak. EG310 and up
(plaintext where the repository expects encryption) live with the encryption rules.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

from envguard.findings import Category, Finding, Severity
from envguard.rules.base import Context, Rule, levels
from envguard.rules.roles import (
    default_label,
    identify,
    is_placeholder,
    is_reference,
    is_secret,
    url_credentials,
)
from envguard.rules.strength import looks_random

EXAMPLE_ONLY = levels(None, None, Severity.ERROR)
_HINT = "revoke it at the provider now, then commit a placeholder such as your-key-here"


def _values(ctx: Context) -> Iterator[tuple[str, str]]:
    """Each key with its plaintext value, when that is neither a reference nor a placeholder."""
    # both rules walk the same values: pick them once per context, as two flat lists
    found = ctx.memo.get("leak_values")
    if found is None:
        keys: list[str] = []
        values: list[str] = []
        for var in ctx.last.values():
            value = (var.value or "").strip()
            if value and not is_reference(value) and not ctx.once(is_placeholder, value):
                keys.append(var.key)
                values.append(value)
        found = ctx.memo["leak_values"] = (keys, values)
    keys, values = cast("tuple[list[str], list[str]]", found)
    return zip(keys, values, strict=True)


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
        for key, value in _values(ctx):
            token = ctx.once(identify, value)
            if token is None or token.kind == "public" or (token.jwt and not token.privileged):
                continue
            yield self.report(ctx, f"{key} holds {token.label} in an example file", key=key,
                              line=ctx.last[key].line, column=ctx.last[key].column, value=value,
                              severity=Severity.WARNING if token.test else None, hint=_HINT)


def _random_part(ctx: Context, key: str, value: str) -> str | None:
    """Which part of a secret looks generated: the value itself or a URL's password."""
    for cred in url_credentials(value):
        if cred.password and not is_placeholder(cred.password) and looks_random(cred.password):
            return "a real-looking password in its URL"
    if "://" in value or ctx.once(identify, value) is not None or default_label(value) is not None:
        return None
    return "a random-looking value" if is_secret(ctx, key) and looks_random(value) else None


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
        for key, value in _values(ctx):
            part = _random_part(ctx, key, value)
            if part is not None:
                var = ctx.last[key]
                yield self.report(ctx, f"{key} holds {part} in an example file", var=var,
                                  hint="rotate it if it was ever used, then commit a placeholder")


RULES: tuple[type[Rule], ...] = (CredentialInExample, RandomSecretInExample)
