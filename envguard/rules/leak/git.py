"""Git leaks (EG330-EG339): env files git tracks, would commit, or has kept in its history.

These rules judge a repository: ``envguard check --git`` asks git for the facts
(``envguard.gitcheck``) and hands them over as a context whose ``git`` holds them; any other
context has none, and the rules find nothing there. Each finding names the file it is about and
takes the severity of that file's environment.
"""

from __future__ import annotations

from collections.abc import Iterator

from envguard.findings import Category, Finding, Severity
from envguard.model import Context, GitFacts, GitFile
from envguard.rules.base import EVERYWHERE_ERROR, EVERYWHERE_WARNING, Rule, levels


class GitRule(Rule):
    """Shared shape: a repository-level rule reading ``Context.git``."""

    category = Category.LEAK
    levels = levels(Severity.ERROR, Severity.WARNING, None)

    def check(self, ctx: Context) -> Iterator[Finding]:
        if ctx.git is not None:
            yield from self.judge(ctx, ctx.git)

    def judge(self, ctx: Context, facts: GitFacts) -> Iterator[Finding]:
        """This rule's findings from the repository's facts."""
        raise NotImplementedError

    def about(
        self, ctx: Context, file: GitFile, message: str, hint: str, **place: int | str | None
    ) -> Finding | None:
        """A finding about ``file``, at its environment's severity; None where the rule is off."""
        level = self.level(file.env)
        if level is None:
            return None
        return self.report(ctx, message, severity=level, hint=hint, file=file.shown, **place)  # type: ignore[arg-type]


class TrackedEnvFile(GitRule):
    """Env file tracked by git.

    ## What it does
    With `--git`, reports an env file for a real environment (not an example) that git tracks
    and that is not encrypted (no `DOTENV_PUBLIC_KEY`, no `encrypted:` values).

    ## Why is this bad?
    Every clone, fork and CI cache now holds the file. The deployment checklists expect
    `git log --all -- .env` to print nothing: a plaintext env file belongs in `.gitignore`,
    and its values in the platform's variables or a secret manager.

    ## Example
    ```console
    $ printf '.env\\n' > .gitignore
    $ printf 'DB_PASSWORD=Qm7vXk2pLr9sTn4wB6yH\\n' > .env.production
    $ git add .gitignore .env.production && git commit -qm "add production config"
    ```

    ## Use instead
    ```console
    $ printf '.env\\n.env.*\\n!.env.example\\n' > .gitignore
    $ printf 'DB_PASSWORD=Qm7vXk2pLr9sTn4wB6yH\\n' > .env.production
    $ git add .gitignore && git commit -qm "ignore env files"
    ```
    Or commit it encrypted: `envguard encrypt .env.production`.
    """

    code = "EG330"
    name = "env-file-tracked"

    def judge(self, ctx: Context, facts: GitFacts) -> Iterator[Finding]:
        for file in facts.tracked:
            held = f" and holds {file.secrets} plaintext secret(s)" if file.secrets else ""
            found = self.about(
                ctx,
                file,
                f"{file.path} is tracked by git{held}",
                f"git rm --cached {file.path}, add it to .gitignore and rotate what it held; "
                "or commit it encrypted (envguard encrypt)",
            )
            if found is not None:
                yield found


class EnvFileNotIgnored(GitRule):
    """Env file git does not ignore.

    ## What it does
    With `--git`, reports an untracked env file for a real environment, not encrypted, that no
    `.gitignore` rule covers.

    ## Why is this bad?
    The next `git add .` or `git commit -a` of a hurried afternoon commits it. Ignoring the
    file is the cheap guard that makes that mistake impossible.

    ## Example
    ```console
    $ printf 'node_modules/\\n' > .gitignore
    $ printf 'DB_PASSWORD=Qm7vXk2pLr9sTn4wB6yH\\n' > .env.production
    ```

    ## Use instead
    ```console
    $ printf 'node_modules/\\n.env\\n.env.*\\n!.env.example\\n' > .gitignore
    $ printf 'DB_PASSWORD=Qm7vXk2pLr9sTn4wB6yH\\n' > .env.production
    ```
    """

    code = "EG331"
    name = "env-file-not-ignored"

    def judge(self, ctx: Context, facts: GitFacts) -> Iterator[Finding]:
        for file in facts.loose:
            found = self.about(
                ctx,
                file,
                f"{file.path} is not ignored by git; `git add .` would commit it",
                f"add {file.path.rsplit('/', 1)[-1]} (or .env.*) to .gitignore",
            )
            if found is not None:
                yield found


class GitignoreMissesEnv(GitRule):
    """`.gitignore` does not cover `.env`.

    ## What it does
    With `--git`, reports a repository whose ignore rules would not ignore a `.env` or a
    `.env.local` at its root, whether or not one exists today.

    ## Why is this bad?
    Frameworks and tutorials create `.env` on the first run; without an ignore rule it is one
    `git add .` away from the history. The seed deployment checklists require `.env` and its
    variants in `.gitignore`.

    ## Example
    ```console
    $ printf 'vendor/\\n' > .gitignore
    ```

    ## Use instead
    ```console
    $ printf 'vendor/\\n.env\\n.env.*\\n!.env.example\\n' > .gitignore
    ```
    """

    code = "EG332"
    name = "gitignore-missing-env"
    levels = EVERYWHERE_WARNING

    def judge(self, ctx: Context, facts: GitFacts) -> Iterator[Finding]:
        if facts.unignored:
            yield self.report(
                ctx,
                f"the ignore rules do not cover {' or '.join(facts.unignored)}",
                severity=Severity.WARNING,
                hint="add .env and .env.* (then !.env.example) to .gitignore",
                file=facts.gitignore,
            )


class KeysFileCommittable(GitRule):
    """`.env.keys` tracked or not ignored.

    ## What it does
    With `--git`, reports every `.env.keys` in the repository that git tracks or does not
    ignore, wherever it is (EG312 only looks beside the checked files).

    ## Why is this bad?
    `.env.keys` decrypts every encrypted env file of the project. Committed, it makes the
    encryption pointless for anyone who can read the repository.

    ## Example
    ```console
    $ mkdir deploy && printf 'DOTENV_PRIVATE_KEY_PRODUCTION=...\\n' > deploy/.env.keys
    $ git add deploy/.env.keys && git commit -qm "share the keys"
    ```

    ## Use instead
    ```console
    $ printf '.env.keys\\n' > .gitignore
    $ mkdir deploy && printf 'DOTENV_PRIVATE_KEY_PRODUCTION=...\\n' > deploy/.env.keys
    $ git add .gitignore && git commit -qm "keep key files out of git"
    ```
    If it was committed: `git rm --cached deploy/.env.keys`, then rotate the keys (`envguard decrypt`
    with the old key, `envguard encrypt` with a new one).
    """

    code = "EG333"
    name = "keys-file-committable"
    levels = EVERYWHERE_ERROR

    def judge(self, ctx: Context, facts: GitFacts) -> Iterator[Finding]:
        for file, tracked in facts.keys_files:
            how = "tracked by git" if tracked else "not ignored by git"
            found = self.about(
                ctx,
                file,
                f"{file.path} holds private keys and is {how}",
                f"git rm --cached {file.path}, add .env.keys to .gitignore, rotate the keys",
            )
            if found is not None:
                yield found


class SecretInHistory(GitRule):
    """Secret in an env file in git history.

    ## What it does
    With `--git`, reads every version of every env file reachable from any ref
    (`git log --all`) and reports each plaintext secret once, with the commit that first
    held it. Values are judged as `envguard protect` judges a commit, and never printed.

    ## Why is this bad?
    Deleting the file or the line does not remove it from history: every clone still holds the
    secret, and anyone can read it with `git show COMMIT:PATH`.

    ## Example
    ```console
    $ printf 'STRIPE_SECRET_KEY=sk_live_51Qm7vXk2pLr9sTn4wB6yHc8dJ3\\n' > .env.production
    $ git add .env.production && git commit -qm "add production config"
    $ git rm -q .env.production && git commit -qm "remove production config"
    ```

    ## Use instead
    Rotate the secret first: it must be considered public. Then, if the repository is private
    and every clone can be replaced, purge the history (`git filter-repo --path .env.production
    --invert-paths`). Commit env files encrypted (`envguard encrypt`) from then on.
    """

    code = "EG334"
    name = "secret-in-history"
    levels = EVERYWHERE_ERROR

    def judge(self, ctx: Context, facts: GitFacts) -> Iterator[Finding]:
        from datetime import UTC, datetime  # here: only `check --git` reports commits

        for sight in facts.history:
            day = datetime.fromtimestamp(sight.time, UTC).date().isoformat()
            later = f", and {sight.count - 1} later version(s)" if sight.count > 1 else ""
            who = sight.key or "a line"
            found = self.about(
                ctx,
                sight.file,
                f"{who} held {sight.what} in commit {sight.commit[:12]} ({day}){later}",
                f"rotate it: every clone keeps it (git show {sight.commit[:12]}:{sight.file.path})",
                key=sight.key,
                line=sight.line,
                fingerprint=sight.fingerprint,
            )
            if found is not None:
                yield found


RULES: tuple[type[Rule], ...] = (
    TrackedEnvFile,
    EnvFileNotIgnored,
    GitignoreMissesEnv,
    KeysFileCommittable,
    SecretInHistory,
)
