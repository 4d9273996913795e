"""Git leaks (EG330-EG339): env files git tracks, would commit, or has kept in its history.

These rules judge a repository, not a set of variables: ``check`` on its own never triggers them
(their ``check`` yields nothing). ``envguard check --git`` asks git for the facts
(``envguard.gitcheck``) and reports them through these classes, so that codes, selection,
baselines and ``envguard rule EG334`` work as for every other rule.
"""

from __future__ import annotations

from collections.abc import Iterator

from envguard.findings import Category, Finding, Severity
from envguard.rules.base import EVERYWHERE_ERROR, EVERYWHERE_WARNING, Context, Rule, levels


class GitRule(Rule):
    """Shared shape: a repository-level rule fed by ``envguard.gitcheck``."""

    category = Category.LEAK
    levels = levels(Severity.ERROR, Severity.WARNING, None)

    def check(self, ctx: Context) -> Iterator[Finding]:
        return iter(())


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
    $ git ls-files
    .env.production
    ```

    ## Use instead
    ```console
    $ git rm --cached .env.production && echo '.env.production' >> .gitignore
    ```
    Or commit it encrypted: `envguard encrypt .env.production`.
    """

    code = "EG330"
    name = "env-file-tracked"


class EnvFileNotIgnored(GitRule):
    """Env file git does not ignore.

    ## What it does
    With `--git`, reports an untracked env file for a real environment, not encrypted, that no
    `.gitignore` rule covers.

    ## Why is this bad?
    The next `git add .` or `git commit -a` of a hurried afternoon commits it. Ignoring the
    file is the cheap guard that makes that mistake impossible.

    ## Example
    ```gitignore
    node_modules/
    ```

    ## Use instead
    ```gitignore
    node_modules/
    .env
    .env.*
    !.env.example
    ```
    """

    code = "EG331"
    name = "env-file-not-ignored"


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
    ```gitignore
    vendor/
    ```

    ## Use instead
    ```gitignore
    vendor/
    .env
    .env.*
    !.env.example
    ```
    """

    code = "EG332"
    name = "gitignore-missing-env"
    levels = EVERYWHERE_WARNING


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
    $ git ls-files | grep .env.keys
    deploy/.env.keys
    ```

    ## Use instead
    ```console
    $ git rm --cached deploy/.env.keys && echo '.env.keys' >> .gitignore
    ```
    Then rotate the keys: `envguard decrypt` with the old key, `envguard encrypt` with a new one.
    """

    code = "EG333"
    name = "keys-file-committable"
    levels = EVERYWHERE_ERROR


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
    $ git log --all --oneline -- .env.production
    3f2a9c1 add production config
    ```

    ## Use instead
    Rotate the secret first: it must be considered public. Then, if the repository is private
    and every clone can be replaced, purge the history (`git filter-repo --path .env.production
    --invert-paths`). Commit env files encrypted (`envguard encrypt`) from then on.
    """

    code = "EG334"
    name = "secret-in-history"
    levels = EVERYWHERE_ERROR


RULES: tuple[type[Rule], ...] = (
    TrackedEnvFile, EnvFileNotIgnored, GitignoreMissesEnv, KeysFileCommittable, SecretInHistory,
)
