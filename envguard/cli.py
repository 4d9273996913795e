"""The ``envguard`` command line: options and help only.

Each command hands typed values to one ``envguard.commands`` function that returns an exit code.
``main`` is the one boundary that turns errors into a single line on stderr and an exit code: no
traceback ever reaches the user (set ENVGUARD_DEBUG=1 to see one for an internal error).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup

from envguard import __version__
from envguard.errors import EXIT_USAGE, UsageError, guarded
from envguard.findings import Environment, Severity
from envguard.pages import HELP_WIDTH


class _Readable:
    """Help that reads well: a value's name (``FILE``, ``URI``) or its choices, never a Python
    type (``<bool>``, ``<list[Path]>``); flags and arguments show no type at all."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:  # type: ignore[attr-defined]
            param.display_type_rich = _display(param)

    def get_params(self, ctx: Any) -> Any:
        """Every parameter, those typer adds late (``--install-completion``) shown as flags too."""
        params = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            if param.name in ("install_completion", "show_completion"):
                param.display_type_rich = lambda ctx: None
        return params

    def format_help(self, ctx: Any, formatter: Any) -> None:
        """The help, at most ``pages.HELP_WIDTH`` columns wide (the width the kept pages have)."""
        from typer import rich_utils

        if rich_utils.MAX_WIDTH is None:  # TERMINAL_WIDTH, when set, is the user's choice
            from rich.console import Console

            rich_utils.MAX_WIDTH = min(HELP_WIDTH, Console().width)
        super().format_help(ctx, formatter)  # type: ignore[misc]

    def get_help_option(self, ctx: Any) -> Any:
        """``-h/--help``, shown as the flag it is."""
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.display_type_rich = lambda ctx: None
        return option


def _display(param: Any) -> Callable[[Any], str | None]:
    if (
        isinstance(param, TyperArgument)
        or getattr(param, "is_flag", False)
        or getattr(param, "is_bool_flag", False)
    ):
        return lambda ctx: None
    desc = getattr(param, "type_descriptor", None)
    choices = desc.choices if desc is not None and desc.is_choice else None
    shown = param.metavar or ("|".join(map(str, choices)) if choices else None)
    if shown is None and desc is not None and desc.is_path:
        shown = "FILE"
    if shown is None:
        longest = max(param.opts, key=len)
        shown = longest.lstrip("-").replace("-", "_").upper()
    return lambda ctx: shown


class _Command(_Readable, TyperCommand):
    """A command whose help reads well (``_Readable``)."""


class _Group(_Readable, TyperGroup):
    """A command group whose help reads well (``_Readable``)."""


app = typer.Typer(
    name="envguard",
    cls=_Group,
    help="Keep production configuration honest: lint, sync and encrypt .env files.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
schema_app = typer.Typer(help="Built-in schemas: list, show, init.", no_args_is_help=True, cls=_Group)
app.add_typer(schema_app, name="schema")
hooks_app = typer.Typer(help="The plain git pre-commit hook: install.", no_args_is_help=True, cls=_Group)
app.add_typer(hooks_app, name="hooks")


def _version(value: bool) -> None:
    if value:
        print(f"envguard {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Keep production configuration honest: lint, sync and encrypt .env files."""


def _csv(values: list[str] | None) -> tuple[str, ...]:
    """``--select A,B --select C`` → ("A", "B", "C")."""
    return tuple(v.strip() for item in values or () for v in item.split(",") if v.strip())


def _call(fn: Callable[..., int], *args: Any, **kwargs: Any) -> None:
    raise typer.Exit(fn(*args, **kwargs))


SchemaOpt = Annotated[
    str | None,
    typer.Option("--schema", "-s", help="Built-in name, path to a TOML schema, or module:Class."),
]


def _environment(value: str) -> Environment:
    """``--env``: the names file names use (``prod``, ``stage``, ``dev``...), any case."""
    if isinstance(value, Environment):
        return value
    from envguard.sources import env_named

    found = env_named(value)
    if found is None:
        raise typer.BadParameter(
            f"{value!r} is not an environment (production, staging, "
            "development, test, example; or prod, stage, dev...)"
        )
    return found


def _severity(value: str) -> Severity:
    """``--fail-on``: error, warning or info, any case."""
    if isinstance(value, Severity):
        return value
    for severity in Severity:
        if severity.value == value.strip().lower():
            return severity
    raise typer.BadParameter(f"{value!r} is not a severity (error, warning or info)")


def _whole(value: str) -> int:
    """A whole number (``--pid 4242``)."""
    if isinstance(value, int):
        return value
    text = value.strip()
    if not (text.isascii() and text.isdigit()):
        raise typer.BadParameter(f"{value!r} is not a whole number")
    return int(text)


EnvOpt = Annotated[
    Environment | None,
    typer.Option(
        "--env",
        "-e",
        metavar="ENV",
        parser=_environment,
        show_default=False,
        help="production, staging, development, test or example; prod, stage, dev "
        "accepted (default: from the file name).",
    ),
]
FailOnOpt = Annotated[
    Severity | None,
    typer.Option(
        "--fail-on",
        metavar="SEVERITY",
        parser=_severity,
        show_default=False,
        help="Lowest severity that fails: error (default), warning or info.",
    ),
]

SelectOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--select", metavar="CODES", help="Only these rules: codes, prefixes (EG2), names or categories."
    ),
]
IgnoreOpt = Annotated[
    list[str] | None,
    typer.Option("--ignore", metavar="CODES", help="Skip these rules: codes, prefixes, names or categories."),
]


@app.command(cls=_Command)
def check(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="PATH", help="Env files or folders (default: the .env* files here).", show_default=False
        ),
    ] = None,
    schema: SchemaOpt = None,
    env: EnvOpt = None,
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="text, json, sarif or github.")
    ] = "text",
    fail_on: FailOnOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    baseline: Annotated[
        Path | None, typer.Option("--baseline", help="Hide findings recorded in this baseline file.")
    ] = None,
    write_baseline: Annotated[
        Path | None,
        typer.Option("--write-baseline", help="Record the current findings as the baseline and exit 0."),
    ] = None,
    example: Annotated[
        Path | None,
        typer.Option("--example", help="Report keys of this example file missing from the checked files."),
    ] = None,
    from_env: Annotated[bool, typer.Option("--from-env", help="Check this process's environment.")] = False,
    pid: Annotated[
        int | None,
        typer.Option(
            "--pid", metavar="PID", parser=_whole, help="Check another process's environment (Linux)."
        ),
    ] = None,
    from_uri: Annotated[
        str | None,
        typer.Option("--from", metavar="URI", help="Check what is deployed on a target URI or named target."),
    ] = None,
    only_schema: Annotated[
        bool, typer.Option("--only-schema", help="Live checks: judge only the schema's variables.")
    ] = False,
    color: Annotated[
        bool | None,
        typer.Option(
            "--color/--no-color",
            help="Force colour on or off (default: on a terminal, unless NO_COLOR).",
            show_default=False,
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary on stderr.")] = False,
    git: Annotated[
        bool,
        typer.Option(
            "--git", help="Also check the git repository: tracked, unignored and historical env files."
        ),
    ] = False,
    stdin_filename: Annotated[
        str | None,
        typer.Option(
            "--stdin-filename",
            metavar="NAME",
            help="The file name stdin (`-`) stands for: its kind, messages, paths.",
        ),
    ] = None,
    output_file: Annotated[
        Path | None,
        typer.Option("--output-file", "-o", help="Write the report to this file instead of stdout."),
    ] = None,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Exit 0 even when findings fail (errors still exit 2).")
    ] = False,
    statistics: Annotated[
        bool, typer.Option("--statistics", help="Print a count per rule code instead of the findings.")
    ] = False,
) -> None:
    """Lint env files (or live configuration) for unsafe production settings."""
    from envguard.commands import check as command

    opts = command.CheckOptions(
        paths=tuple(paths or ()),
        schema=schema,
        env=env,
        format=output_format,
        fail_on=fail_on,
        select=_csv(select),
        ignore=_csv(ignore),
        baseline=baseline,
        write_baseline=write_baseline,
        example=example,
        from_env=from_env,
        pid=pid,
        from_uri=from_uri,
        color=color,
        quiet=quiet,
        git=git,
        only_schema=only_schema,
        stdin_filename=stdin_filename,
        output_file=output_file,
        exit_zero=exit_zero,
        statistics=statistics,
    )
    _call(command.run, opts)


@app.command("rules", cls=_Command)
def rules_(
    output_format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """List every rule."""
    from envguard.commands import rules as command

    _call(command.list_rules, output_format)


@app.command("rule", cls=_Command)
def rule_(code: Annotated[str, typer.Argument(help="A rule code (EG201) or name.")]) -> None:
    """Print one rule's documentation."""
    from envguard.commands import rules as command

    _call(command.show_rule, code)


@schema_app.command("list", cls=_Command)
def schema_list() -> None:
    """List the built-in schemas."""
    from envguard.commands import schema as command

    _call(command.list_schemas)


@schema_app.command("show", cls=_Command)
def schema_show(name: Annotated[str, typer.Argument(help="Built-in name, path or module:Class.")]) -> None:
    """Show a schema's variables, its parents merged in."""
    from envguard.commands import schema as command

    _call(command.show_schema, name)


@schema_app.command("init", cls=_Command)
def schema_init(
    source: Annotated[
        Path | None,
        typer.Option("--from", help="Example file to read keys from (default: .env.example if present)."),
    ] = None,
    framework: Annotated[
        str | None,
        typer.Option("--framework", help="Framework schema to extend (default: detected from the project)."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Schema file to write ('-' prints it; default: envguard-schema.toml)."
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing output file.")] = False,
) -> None:
    """Start a schema for this project from its framework and its example file."""
    from envguard.commands import schema_init as command

    _call(command.init, Path("."), source, framework, output, force)


@app.command(cls=_Command)
def generate(
    kind: Annotated[
        str,
        typer.Argument(help="hex:N, base64:N, urlsafe:N, password, laravel-key, django-key or jwt-secret."),
    ],
) -> None:
    """Print a strong random value of a kind."""
    from envguard.commands import generate as command

    _call(command.generate, kind)


@app.command(cls=_Command)
def fix(
    file: Annotated[Path, typer.Argument(help="The env file to fix in place.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Write nothing: what is left, and the fixes counted.")
    ] = False,
    schema: SchemaOpt = None,
    env: EnvOpt = None,
    fail_on: FailOnOpt = None,
    diff: Annotated[
        bool,
        typer.Option("--diff", help="Print a key-only diff of the fixes (never values) and write nothing."),
    ] = False,
    show_fixes: Annotated[
        bool,
        typer.Option(
            "--show-fixes", help="Also list each fix: line, key, rule, what was done (never values)."
        ),
    ] = False,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
) -> None:
    """Make the safe fixes (strong secrets, debug off, identical duplicates, with EG100 selected stale
    ignores); list what needs a human."""
    from envguard.commands import fix as command

    _call(
        command.fix,
        file,
        dry_run,
        schema,
        env,
        fail_on,
        diff,
        show_fixes=show_fixes,
        select=_csv(select),
        ignore=_csv(ignore),
    )


FileOpt = Annotated[Path, typer.Option("--file", "-f", help="The env file.")]
KeysOpt = Annotated[
    list[str] | None, typer.Option("--key", "-k", help="Only these keys (glob patterns allowed); repeatable.")
]


@app.command(cls=_Command)
def keypair(
    file: FileOpt = Path(".env"),
    show_private: Annotated[
        bool, typer.Option("--show-private", help="Also print the private key (to copy it into a CI secret).")
    ] = False,
) -> None:
    """Create a key pair: public key into the file, private key into .env.keys (mode 600)."""
    from envguard.commands import encrypt as command

    _call(command.keypair, file, show_private)


@app.command(cls=_Command)
def encrypt(
    file: Annotated[Path, typer.Argument(help="The env file to encrypt in place.")],
    key: KeysOpt = None,
) -> None:
    """Encrypt a file's values in place (dotenvx format); *_PLAIN keys stay plaintext."""
    from envguard.commands import encrypt as command

    _call(command.encrypt, file, _csv(key))


@app.command(cls=_Command)
def decrypt(
    file: Annotated[Path, typer.Argument(help="The env file to decrypt in place.")],
    key: KeysOpt = None,
) -> None:
    """Decrypt a file's encrypted values in place."""
    from envguard.commands import encrypt as command

    _call(command.decrypt, file, _csv(key))


@app.command(cls=_Command)
def get(
    key: Annotated[str, typer.Argument(help="The variable to print, decrypted.")],
    file: FileOpt = Path(".env"),
) -> None:
    """Print one variable's value, decrypted."""
    from envguard.commands import values as command

    _call(command.get, key, file)


@app.command("set", cls=_Command)
def set_(
    key: Annotated[str, typer.Argument(help="The variable to set.")],
    value: Annotated[
        str | None,
        typer.Argument(
            help="The value; '-' or nothing reads it from stdin (keeps it out of shell history).",
            show_default=False,
        ),
    ] = None,
    file: FileOpt = Path(".env"),
    plain: Annotated[bool, typer.Option("--plain", help="Store it unencrypted.")] = False,
) -> None:
    """Set one variable, encrypted unless --plain."""
    from envguard.commands import values as command

    _call(command.set_, key, value, file, plain)


@app.command(cls=_Command)
def run(
    command_args: Annotated[
        list[str],
        typer.Argument(metavar="CMD", help="The command and its arguments, after --.", show_default=False),
    ],
    file: Annotated[
        list[Path] | None,
        typer.Option("--file", "-f", help="Env files to load (default: .env); the first wins."),
    ] = None,
    overload: Annotated[
        bool, typer.Option("--overload", help="Files override the environment, and later files win.")
    ] = False,
    from_uri: Annotated[
        list[str] | None,
        typer.Option(
            "--from",
            metavar="URI",
            help="Also inject a target's variables (in memory); files win over "
            "targets, later targets over earlier ones.",
        ),
    ] = None,
    redact: Annotated[
        bool,
        typer.Option("--redact", help="Mask the injected secret values in the command's stdout and stderr."),
    ] = False,
) -> None:
    """Run a command with the variables of targets and files (decrypted) in its environment."""
    from envguard.commands import run as command

    _call(
        command.run,
        tuple(file or ()),
        tuple(command_args),
        overload,
        sources=tuple(from_uri or ()),
        redact=redact,
    )


TargetArg = Annotated[
    str,
    typer.Argument(
        metavar="URI",
        help="vault://MOUNT/PATH, railway://PROJECT/ENV/SERVICE, render://SERVICE, "
        "vercel://PROJECT/TARGET, github://OWNER/REPO\\[/environments/ENV], or a target name from the "
        "project config.",
    ),
]


@app.command(cls=_Command)
def push(
    file: Annotated[Path, typer.Argument(help="The env file to push (decrypted in memory).")],
    to: Annotated[
        str, typer.Option("--to", "-t", metavar="URI", help="Target URI or configured target name.")
    ],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the plan and stop.")] = False,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Apply without asking (needed without a terminal).")
    ] = False,
    prune: Annotated[
        bool, typer.Option("--prune", help="Also remove keys that are on the target but not in the file.")
    ] = False,
    deploy: Annotated[
        bool, typer.Option("--deploy", help="Redeploy after the writes (Railway, Render, Vercel).")
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Push even when `check` finds errors in the file, and replace values the "
            "target will not show (Vercel sensitive, Railway sealed).",
        ),
    ] = False,
) -> None:
    """Push a file's variables to a target: plan (keys only), confirm, snapshot, apply."""
    from envguard.commands import push as command

    _call(command.push, file, to, dry_run=dry_run, yes=yes, prune=prune, deploy=deploy, force=force)


@app.command(cls=_Command)
def pull(
    uri: TargetArg,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file (mode 600) instead of stdout.")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the file even when it holds keys the target lacks.")
    ] = False,
) -> None:
    """Write a target's variables as a .env file, or to stdout."""
    from envguard.commands import pull as command

    _call(command.pull, uri, output, force=force)


@app.command(cls=_Command)
def rollback(
    snapshot: Annotated[Path, typer.Argument(help="A snapshot file named by `envguard push`.")],
    to: Annotated[
        str | None,
        typer.Option(
            "--to", "-t", metavar="URI", help="Restore onto this target instead of the recorded one."
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the plan and stop.")] = False,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Apply without asking (needed without a terminal).")
    ] = False,
    deploy: Annotated[
        bool, typer.Option("--deploy", help="Redeploy after the writes (Railway, Render).")
    ] = False,
) -> None:
    """Put a target back as a push snapshot recorded it: plan (keys only), confirm, apply."""
    from envguard.commands import rollback as command

    _call(command.rollback, snapshot, to, dry_run=dry_run, yes=yes, deploy=deploy)


@app.command(cls=_Command)
def diff(
    file: Annotated[Path, typer.Argument(help="The env file to compare.")],
    uri: TargetArg,
) -> None:
    """Show keys that differ between a file and a target (never values); exit 1 on drift."""
    from envguard.commands import diff as command

    _call(command.diff, file, uri)


@app.command(cls=_Command)
def rotate(
    key: Annotated[str, typer.Argument(help="The variable whose secret is replaced everywhere.")],
    kind: Annotated[
        str | None,
        typer.Option("--generate", "-g", help="Kind of the new value (default: the schema's `generate`)."),
    ] = None,
    files: Annotated[
        list[Path] | None,
        typer.Option(
            "--in", metavar="FILE", help="Env files holding the key; encrypted ones stay encrypted."
        ),
    ] = None,
    to: Annotated[
        list[str] | None,
        typer.Option(
            "--to", "-t", metavar="URI", help="Targets holding the key (default: the configured ones)."
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the plan and stop.")] = False,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Apply without asking (needed without a terminal).")
    ] = False,
    schema: SchemaOpt = None,
    value_from: Annotated[
        Path | None,
        typer.Option(
            "--value-from",
            metavar="SNAPSHOT",
            help="Reuse the new value an unfinished rotation saved, to finish it.",
        ),
    ] = None,
) -> None:
    """Replace one secret in every file and target it lives in: plan, snapshot, write, report."""
    from envguard.commands import rotate as command

    _call(
        command.rotate,
        command.RotateOptions(
            key, kind, tuple(files or ()), tuple(to or ()), dry_run, yes, schema, value_from
        ),
    )


@app.command(cls=_Command)
def protect(
    files: Annotated[list[Path], typer.Argument(help="Files about to be committed.", show_default=False)],
    env: EnvOpt = None,
) -> None:
    """Refuse plaintext secrets, private keys and .env.keys in files about to be committed."""
    from envguard.commands import protect as command

    _call(command.protect, tuple(files), env)


@hooks_app.command("install", cls=_Command)
def hooks_install(
    force: Annotated[
        bool,
        typer.Option("--force", help="Replace another pre-commit hook (it is kept as pre-commit.backup)."),
    ] = False,
) -> None:
    """Install envguard's plain git pre-commit hook into this repository."""
    from envguard.commands import hooks as command

    _call(command.install, force)


def _click_error_base() -> type[Exception]:
    """The ClickException class typer uses (vendored or not), found without private imports."""
    return next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")


def _command_path(exc: Exception) -> str:
    """``envguard check`` for an error in ``check``'s arguments; ``envguard`` before a command."""
    ctx = getattr(exc, "ctx", None)
    path = getattr(ctx, "command_path", None)
    return path if isinstance(path, str) and path.startswith("envguard") else "envguard"


def _invoke(argv: list[str] | None) -> int | None:
    """Run the typer app, turning its parse errors and aborts into ours."""
    try:
        return app(args=argv, prog_name="envguard", standalone_mode=False)  # type: ignore[no-any-return]
    except _click_error_base() as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":
            return EXIT_USAGE  # the help is printed: that is the whole answer
        message = exc.format_message()  # type: ignore[attr-defined]
        error = UsageError(
            message.splitlines()[0] if message else "usage error", hint=f"run `{_command_path(exc)} --help`"
        )
        error.exit_code = getattr(exc, "exit_code", EXIT_USAGE)
        raise error from None
    except typer.Abort:
        raise KeyboardInterrupt from None


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app inside the one error boundary (``envguard.errors.guarded``)."""
    sys.exit(guarded(lambda: _invoke(argv)))
