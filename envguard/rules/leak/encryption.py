"""Encryption leaks (EG310-EG319): plaintext where the file is encrypted, private keys in reach."""

from __future__ import annotations

from collections.abc import Iterator

from envguard.findings import Category, Finding, Severity
from envguard.model import Context
from envguard.rules.base import EVERYWHERE_ERROR, Rule, levels

_PUBLIC = "DOTENV_PUBLIC_KEY"
_PRIVATE = "DOTENV_PRIVATE_KEY"


def _stays_plain(key: str) -> bool:
    """Keys dotenvx never encrypts."""
    return key.startswith(_PUBLIC) or key.endswith("_PLAIN")


class PlaintextBesideEncrypted(Rule):
    """Key defined both encrypted and in plaintext.

    ## What it does
    Reports a key that has an encrypted definition and, in the same file, a plaintext one.

    ## Why is this bad?
    Someone encrypted the file, then added the value again in the clear, usually by pasting a
    line at the end. The secret is now committed in plaintext, and since loaders keep the last
    definition, the plaintext one may even be the value the app runs with.

    ## Example
    ```dotenv
    STRIPE_SECRET_KEY="encrypted:BEx3...Qw=="
    STRIPE_SECRET_KEY=sk_live_51H...
    ```

    ## Use instead
    ```dotenv
    STRIPE_SECRET_KEY="encrypted:BEx3...Qw=="
    ```
    Set values with `envguard set KEY` (encrypted by default), and rotate the leaked secret.
    """

    code = "EG310"
    name = "plaintext-beside-encrypted"
    category = Category.LEAK
    levels = levels(Severity.ERROR, Severity.WARNING, Severity.ERROR)

    def check(self, ctx: Context) -> Iterator[Finding]:
        sealed = {v.key for v in ctx.variables if v.encrypted}
        for var in ctx.variables:
            if var.key in sealed and not var.encrypted and var.value:
                yield self.report(
                    ctx,
                    f"{var.key} is also defined encrypted; this definition is plaintext",
                    var=var,
                    hint=f"remove this line and rotate the secret; set it with `envguard set {var.key}`",
                )


class PlaintextInEncryptedFile(Rule):
    """Plaintext value in an encrypted file.

    ## What it does
    Reports a non-empty plaintext value in a file that has a `DOTENV_PUBLIC_KEY` (a file the
    team encrypts), unless the key ends in `_PLAIN`.

    ## Why is this bad?
    An encrypted file is committed on the promise that its values are unreadable without the
    private key. A value added in the clear breaks that promise silently.

    ## Example
    ```dotenv
    DOTENV_PUBLIC_KEY_PRODUCTION="03a1..."
    DATABASE_URL="encrypted:BNx...=="
    REDIS_PASSWORD=hunter2
    ```

    ## Use instead
    ```dotenv
    REDIS_PASSWORD="encrypted:BEq...=="
    LOG_LEVEL_PLAIN=info
    ```
    Run `envguard encrypt FILE`; name values meant to stay readable `*_PLAIN`.
    """

    code = "EG311"
    name = "plaintext-in-encrypted-file"
    category = Category.LEAK
    levels = levels(Severity.WARNING, Severity.INFO, None)

    def check(self, ctx: Context) -> Iterator[Finding]:
        if not ctx.is_file or not any(v.key.startswith(_PUBLIC) for v in ctx.variables):
            return
        sealed = {v.key for v in ctx.variables if v.encrypted}
        for var in ctx.variables:
            if var.encrypted or not var.value or _stays_plain(var.key) or var.key in sealed:
                continue
            if var.key.startswith(_PRIVATE):
                continue  # EG313 reports it
            yield self.report(
                ctx,
                f"{var.key} is plaintext in an encrypted file",
                var=var,
                hint=f"envguard encrypt {ctx.source} -k {var.key}, or rename it {var.key}_PLAIN",
            )


class PrivateKeysCommittable(Rule):
    """`.env.keys` would be committed.

    ## What it does
    Reports a `.env.keys` file beside a checked env file when git tracks it or does not ignore
    it.

    ## Why is this bad?
    `.env.keys` holds the private keys that decrypt every encrypted env file. Committed next to
    them, it turns the encryption into a formality: anyone with the repository reads every
    secret.

    ## Example
    ```console
    $ printf 'DB_PASSWORD=Qm7vXk2pLr9sTn4wB6yH\\n' > .env.production
    $ envguard encrypt .env.production
    $ git add --force .env.keys .env.production
    ```

    ## Use instead
    ```console
    $ printf 'DB_PASSWORD=Qm7vXk2pLr9sTn4wB6yH\\n' > .env.production
    $ envguard encrypt .env.production
    $ git add .gitignore .env.production
    ```
    `envguard encrypt` adds `.env.keys` to `.gitignore`; a key file made by other tools, or
    force-added, is what this rule catches.
    If it was committed, `git rm --cached .env.keys` and rotate the keys.
    Keep the private key in a secret store and give CI `DOTENV_PRIVATE_KEY[_ENV]`.
    """

    code = "EG312"
    name = "private-keys-committable"
    category = Category.LEAK
    levels = EVERYWHERE_ERROR

    def check(self, ctx: Context) -> Iterator[Finding]:
        if ctx.exposed_keys_file:
            yield self.report(
                ctx,
                f"{ctx.exposed_keys_file} holds private keys and is not ignored by git",
                hint="add .env.keys to .gitignore (git rm --cached it if tracked) and rotate the keys",
            )


class PrivateKeyInEnvFile(Rule):
    """Private decryption key inside an env file.

    ## What it does
    Reports a `DOTENV_PRIVATE_KEY*` variable with a value in a checked env file.

    ## Why is this bad?
    The private key opens every encrypted value; stored in an env file that is shared or
    committed, it leaks them all. It belongs in `.env.keys` (git-ignored) or in the CI's secret
    store.

    ## Example
    ```dotenv
    DOTENV_PRIVATE_KEY_PRODUCTION=9f2c...
    ```

    ## Use instead
    Keep it in `.env.keys` locally and in a CI secret named `DOTENV_PRIVATE_KEY_PRODUCTION`.
    """

    code = "EG313"
    name = "private-key-in-env-file"
    category = Category.LEAK
    levels = EVERYWHERE_ERROR

    def check(self, ctx: Context) -> Iterator[Finding]:
        if not ctx.is_file:
            return
        for var in ctx.variables:
            if var.key.startswith(_PRIVATE) and (var.value or var.encrypted):
                yield self.report(
                    ctx,
                    f"{var.key} is a private decryption key",
                    var=var,
                    hint="move it to .env.keys (git-ignored) or a CI secret, and rotate it",
                )


RULES: tuple[type[Rule], ...] = (
    PlaintextBesideEncrypted,
    PlaintextInEncryptedFile,
    PrivateKeysCommittable,
    PrivateKeyInEnvFile,
)
