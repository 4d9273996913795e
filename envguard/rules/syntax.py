"""The ``syntax`` family (EG1xx): lines loaders read differently, or not at all.

A syntax finding names the key it is about only when the key reads as a name
(``envfile.looks_like_name``): the "key" of a broken line may be a line of a pasted secret.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from envguard import envfile
from envguard.findings import Category, Finding, Severity
from envguard.model import Context
from envguard.rules.base import EVERYWHERE_ERROR, EVERYWHERE_WARNING, Rule, levels

_VALID_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: valid and upper case: nothing for InvalidKey or LowercaseKey to say


def _records(ctx: Context) -> Iterator[envfile.Record]:
    return iter(ctx.records or ())


def _unusual(ctx: Context) -> Iterator[envfile.Record]:
    """The records the line rules can report: with an error, spaces around `=`, or a key that is
    not a valid upper-case name. A healthy file has none."""
    return iter(ctx.unusual_records)


def _shown(key: str | None) -> bool:
    return key is not None and envfile.looks_like_name(key)


def _keyed(ctx: Context) -> Iterator[envfile.Record]:
    """Records whose key is a key: not lines without `=`, whose first word is only a guess."""
    return (r for r in _unusual(ctx) if r.error != envfile.MISSING_EQUALS)


class _RecordErrorRule(Rule):
    """Shared shape of the rules that report a record the parser could not read."""

    category = Category.SYNTAX
    levels = EVERYWHERE_ERROR
    error_kind: str = ""
    text: str = ""
    #: whether the record's first word is a key worth naming (not on a line without `=`)
    names_key: bool = True

    def check(self, ctx: Context) -> Iterator[Finding]:
        for record in _unusual(ctx):
            if record.error == self.error_kind:
                # a key that does not read as a name may be a pasted secret: never shown
                key = record.key if self.names_key and _shown(record.key) else None
                where = f" ({key})" if key else ""
                yield self.report(
                    ctx,
                    self.text + where + self.more(record),
                    key=key,
                    line=record.line,
                    column=record.key_column or 1,
                    hint=self.hint(record),
                )

    def more(self, record: envfile.Record) -> str:
        """Words the message adds for this record, if any."""
        return ""

    def hint(self, record: envfile.Record) -> str | None:
        """A hint for the user, if the rule has one."""
        return None


class MissingEquals(_RecordErrorRule):
    """Line has no `=`.

    ## What it does
    Reports a line that is neither blank, a comment, nor `KEY=value`.

    ## Why is this bad?
    Loaders skip such a line or stop at it: python-dotenv sets the key to nothing, `docker
    --env-file` passes the host's value through, a shell `source` runs it as a command. Either
    way the variable you meant to set is not set.

    ## Example
    ```dotenv
    APP_ENV production
    ```

    ## Use instead
    ```dotenv
    APP_ENV=production
    ```
    """

    code = "EG101"
    name = "missing-equals"
    error_kind = envfile.MISSING_EQUALS
    text = "line has no `=`"
    # such a line is often a pasted secret on its own: never echo its first word
    names_key = False

    def hint(self, record: envfile.Record) -> str | None:
        return "write KEY=value, or comment the line out with #"


class UnterminatedQuote(_RecordErrorRule):
    """Quoted value is never closed.

    ## What it does
    Reports a value that opens a quote (`"`, `'` or `` ` ``) the rest of the line, and of the file,
    never closes.

    ## Why is this bad?
    python-dotenv swallows every following line up to the next quote character into this value,
    so the variables below it silently disappear.

    ## Example
    ```dotenv
    APP_NAME="Finance Tracker
    APP_ENV=production
    ```

    ## Use instead
    ```dotenv
    APP_NAME="Finance Tracker"
    APP_ENV=production
    ```
    """

    code = "EG102"
    name = "unterminated-quote"
    error_kind = envfile.UNTERMINATED_QUOTE
    text = "quoted value is never closed"

    def more(self, record: envfile.Record) -> str:
        if record.end_line == record.line:
            return ""
        after = record.line + 1
        lines = f"line {after}" if after == record.end_line else f"lines {after}-{record.end_line}"
        return f"; {lines} read as the rest of it, not as variables"


class TrailingText(_RecordErrorRule):
    """Text after a closing quote.

    ## What it does
    Reports characters after the closing quote of a value that are not a `# comment`.

    ## Why is this bad?
    python-dotenv rejects the whole line, so the variable is not set at all; other loaders keep
    the text, so the same file means two different things.

    ## Example
    ```dotenv
    MAIL_FROM_NAME="Facturino" Billing
    ```

    ## Use instead
    ```dotenv
    MAIL_FROM_NAME="Facturino Billing"
    ```
    """

    code = "EG103"
    name = "trailing-text"
    error_kind = envfile.TRAILING_TEXT
    text = "text after the closing quote"


class MissingKey(_RecordErrorRule):
    """Line starts with `=` and has no key.

    ## What it does
    Reports a line such as `=value` whose key is missing.

    ## Why is this bad?
    No loader can set a variable without a name; the value is lost.

    ## Example
    ```dotenv
    =base64:2fl+Ktvkfl+Fuz4Qp/A75G2RTiWVA/ZoKZvp6fiiM10=
    ```

    ## Use instead
    ```dotenv
    APP_KEY=base64:2fl+Ktvkfl+Fuz4Qp/A75G2RTiWVA/ZoKZvp6fiiM10=
    ```
    """

    code = "EG104"
    name = "missing-key"
    error_kind = envfile.MISSING_KEY
    text = "line has no key before `=`"


class DuplicateKey(Rule):
    """Key is defined more than once.

    ## What it does
    Reports every definition of a key after its first, naming the line of the first.

    ## Why is this bad?
    Loaders disagree on which definition wins (python-dotenv and Docker take the last, some
    shells and platforms the first), and a reviewer reading the first one is misled. When the
    two values differ this is an error; when they are equal it is clutter.

    ## Example
    ```dotenv
    CACHE_STORE=file
    CACHE_STORE=redis
    ```

    ## Use instead
    ```dotenv
    CACHE_STORE=redis
    ```
    """

    code = "EG105"
    name = "duplicate-key"
    category = Category.SYNTAX
    levels = EVERYWHERE_ERROR
    fix = "drops the earlier definition when both values are identical"

    def check(self, ctx: Context) -> Iterator[Finding]:
        if len(ctx.last) == len(ctx.variables):
            return  # every key is defined once
        first: dict[str, tuple[int | None, str | None]] = {}
        key_columns = {r.line: r.key_column for r in _records(ctx) if r.is_entry}
        for var in ctx.variables:
            if var.key not in first:
                first[var.key] = (var.line, var.value)
                continue
            line, value = first[var.key]
            same = value == var.value and not var.encrypted
            where = f" (first on line {line})" if line else ""
            yield self.report(
                ctx,
                f"{var.key} is defined again{where}" + (" with the same value" if same else ""),
                var=var,
                column=key_columns.get(var.line or 0),
                severity=Severity.WARNING if same else None,
                hint="keep one definition; loaders disagree on which one wins",
            )


class SpacesAroundEquals(Rule):
    """Spaces around `=`.

    ## What it does
    Reports `KEY = value` and `KEY= value`.

    ## Why is this bad?
    python-dotenv tolerates it, but `docker run --env-file` reads a key named `KEY ` with the
    space, and a shell `source` runs `KEY` as a command. The file then works locally and breaks
    in the container.

    ## Example
    ```dotenv
    DB_HOST = 127.0.0.1
    ```

    ## Use instead
    ```dotenv
    DB_HOST=127.0.0.1
    ```
    """

    code = "EG106"
    name = "spaces-around-equals"
    category = Category.SYNTAX
    levels = EVERYWHERE_WARNING

    def check(self, ctx: Context) -> Iterator[Finding]:
        for record in _unusual(ctx):
            if record.spaced_equals and record.error is None:
                yield self.report(
                    ctx,
                    f"spaces around `=` in {record.key}",
                    key=record.key,
                    line=record.line,
                    column=record.key_column,
                    hint="docker --env-file and shells do not strip them",
                )


class InvalidKey(Rule):
    """Key is not a valid environment variable name.

    ## What it does
    Reports keys that do not match `[A-Za-z_][A-Za-z0-9_]*`: names starting with a digit or
    holding `.`, `-`, spaces or other characters. A "key" that is not a name at all (longer than
    any real variable name, or random text such as a line of a pasted key ending in `=`) is
    reported by its line only: its text may be a secret and is never shown, and the line is not
    judged as a variable.

    ## Why is this bad?
    POSIX shells cannot export such a name, and most platforms (Docker, Railway, Render, Vercel)
    reject or rename it; the app never sees the variable.

    ## Example
    ```dotenv
    2FA_SECRET=...
    mail.host=smtp.mailgun.org
    ```

    ## Use instead
    ```dotenv
    TWO_FA_SECRET=...
    MAIL_HOST=smtp.mailgun.org
    ```
    """

    code = "EG107"
    name = "invalid-key"
    category = Category.SYNTAX
    levels = EVERYWHERE_ERROR

    def check(self, ctx: Context) -> Iterator[Finding]:
        for record in _keyed(ctx):
            if record.key is None:
                continue
            if record.error == envfile.NOT_A_NAME:
                yield self.report(
                    ctx,
                    _not_a_name(record.key),
                    line=record.line,
                    column=record.key_column,
                    hint="a secret pasted on a line of its own? write NAME=value, or remove the line",
                )
            elif not _VALID_KEY.fullmatch(record.key):
                yield self.report(
                    ctx,
                    f"{record.key!r} is not a valid variable name",
                    key=record.key,
                    line=record.line,
                    column=record.key_column,
                    hint="use letters, digits and _, not starting with a digit",
                )


def _not_a_name(key: str) -> str:
    """What is wrong with a key not shown: its length, or that it is not a name."""
    if len(key) > envfile.MAX_KEY_LENGTH:
        return (
            f"the key before `=` is {len(key):,} characters long, longer than any variable name "
            f"(envguard reads names up to {envfile.MAX_KEY_LENGTH})"
        )
    return "the text before `=` is not a variable name (not shown: it may be a secret)"


class LowercaseKey(Rule):
    """Key is not upper case.

    ## What it does
    Reports valid keys that contain lower-case letters.

    ## Why is this bad?
    Variable lookups are case-sensitive on Linux: `app_debug` is not `APP_DEBUG`, so the setting
    you wrote is not the one the framework reads, and the default (often debug on) wins.

    ## Example
    ```dotenv
    app_debug=false
    ```

    ## Use instead
    ```dotenv
    APP_DEBUG=false
    ```
    """

    code = "EG108"
    name = "lowercase-key"
    category = Category.SYNTAX
    levels = EVERYWHERE_WARNING

    def check(self, ctx: Context) -> Iterator[Finding]:
        for record in _keyed(ctx):
            key = record.key
            named = record.error != envfile.NOT_A_NAME
            if key and named and _VALID_KEY.fullmatch(key) and key != key.upper():
                yield self.report(
                    ctx,
                    f"{key} is not upper case",
                    key=key,
                    line=record.line,
                    column=record.key_column,
                    hint=f"did you mean {key.upper()}?",
                )


class LineEndings(Rule):
    """File uses CRLF line endings or starts with a byte-order mark.

    ## What it does
    Notes, once per file, Windows line endings (CRLF) or a UTF-8 byte-order mark. envguard reads
    both correctly.

    ## Why is this bad?
    `docker --env-file` and shell `source` keep the `\\r` at the end of every value, and a BOM
    becomes part of the first key's name, so `APP_NAME` is not found.

    ## Example
    ```console
    $ printf 'APP_NAME=Facturino\\r\\nAPP_ENV=production\\r\\n' > .env.production
    ```

    ## Use instead
    Save the file as UTF-8 without BOM, with LF line endings (`dos2unix .env.production`):
    ```console
    $ printf 'APP_NAME=Facturino\\nAPP_ENV=production\\n' > .env.production
    ```
    """

    code = "EG109"
    name = "line-endings"
    category = Category.SYNTAX
    levels = levels(Severity.INFO, Severity.INFO, Severity.INFO)

    def check(self, ctx: Context) -> Iterator[Finding]:
        problems = [
            name
            for name, present in (("CRLF line endings", ctx.crlf), ("a byte-order mark", ctx.bom))
            if present
        ]
        if problems:
            yield self.report(
                ctx,
                f"file has {' and '.join(problems)}",
                line=1,
                column=1,
                hint="save as UTF-8 without BOM and with LF line endings",
            )


class UndecodableBytes(Rule):
    """Variable holds bytes that are not UTF-8 text.

    ## What it does
    Reports a key or value holding U+FFFD, the replacement character. envguard puts it where a
    process environment (`--from-env`, `--pid`, `envguard.guard()`) holds bytes that are not UTF-8
    (Python keeps them as lone surrogates); in a file it means an editor or a tool already
    replaced such bytes. The value is judged with the replacement characters in place.

    ## Why is this bad?
    Loaders and apps disagree on such bytes: Python hands lone surrogates to the app, Node and
    Go replace them, a database driver may reject them. A secret copied through the wrong
    encoding no longer matches the one the provider issued, and nothing says so until a login
    fails in production.

    ## Example
    ```dotenv
    DB_PASSWORD=p\ufffdssw0rd
    ```

    ## Use instead
    ```dotenv
    DB_PASSWORD=pässw0rd
    ```
    """

    code = "EG110"
    name = "undecodable-bytes"
    category = Category.SYNTAX
    levels = EVERYWHERE_WARNING

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var in ctx.variables:
            if "\ufffd" in var.key:
                yield self.report(
                    ctx,
                    "a key holds bytes that are not UTF-8 (shown as U+FFFD)",
                    var=var,
                    hint="set it again as UTF-8 text",
                )
            elif var.value is not None and "\ufffd" in var.value:
                yield self.report(
                    ctx,
                    f"{var.key} holds bytes that are not UTF-8 (shown as U+FFFD)",
                    var=var,
                    hint="set it again as UTF-8 text",
                )


RULES: tuple[type[Rule], ...] = (
    MissingEquals,
    UnterminatedQuote,
    TrailingText,
    MissingKey,
    DuplicateKey,
    SpacesAroundEquals,
    InvalidKey,
    LowercaseKey,
    LineEndings,
    UndecodableBytes,
)
