"""``envguard rotate KEY``: replace one secret in every env file and target it lives in, as one move.

First one plan for all places (which will change; never a value), read before anything is
written; then, once confirmed, every previous value is snapshotted (encrypted), a strong value is
generated (the schema's ``generate`` kind, or ``--generate``) and saved the same way, and each
place is written in turn. A place that fails does not stop the others: the report says which
places hold the new value, which still hold the old one, and the commands that finish or roll
back the rotation (exit 3 when any place failed). ``--value-from`` reuses the new value of an
unfinished rotation, to finish it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from envguard import generate, rotations, snapshots
from envguard.commands.push import ask
from envguard.errors import EXIT_FINDINGS, EXIT_OK, EXIT_TARGET, UsageError
from envguard.rotation import NEW, OLD, UNVERIFIED, FilePlace, Outcome, Place, Survey, TargetPlace


@dataclass(frozen=True)
class RotateOptions:
    """What to rotate and where; empty ``targets`` means the targets the configuration names."""

    key: str
    kind: str | None = None
    files: tuple[Path, ...] = ()
    targets: tuple[str, ...] = ()
    dry_run: bool = False
    yes: bool = False
    schema: str | None = None
    value_from: Path | None = None


def rotate(
    opts: RotateOptions,
    environ: Mapping[str, str] | None = None,
    confirm: Callable[[str], bool] | None = None,
) -> int:
    """Plan, confirm, snapshot, write every place, report; the exit code."""
    environ = os.environ if environ is None else environ
    places = _places(opts, environ)
    surveys = [place.survey() for place in places]  # all read first: a failure here writes nothing
    holding = [(p, s) for p, s in zip(places, surveys, strict=True) if s.holds]
    if not holding:
        raise UsageError(
            f"{opts.key} is in none of the {len(places)} place(s) given",
            hint="name the files with --in and the targets with --to",
        )
    made = _source(opts)
    _show_plan(opts.key, made[0], surveys)
    if opts.dry_run:
        print("Dry run: nothing written.")
        return EXIT_OK
    if not opts.yes and not ask(confirm, f"Rotate {opts.key} in {len(holding)} place(s)?"):
        print("Aborted: nothing written.")
        return EXIT_FINDINGS
    value = made[1]()
    saved = _snapshots(opts.key, value, holding, opts.value_from)
    outcomes = [place.write(value) for place, _ in holding]
    rotations.record(
        Path.cwd(), opts.key, [o.place for o in outcomes], [o.place for o in outcomes if o.state == OLD]
    )
    return _report(opts.key, outcomes, holding, saved)


def _places(opts: RotateOptions, environ: Mapping[str, str]) -> list[Place]:
    """The files given and the targets given (or configured), each once."""
    refs = opts.targets or _configured()
    found: list[Place] = [FilePlace(path, opts.key, environ) for path in dict.fromkeys(opts.files)]
    found += [TargetPlace(ref, opts.key, environ) for ref in dict.fromkeys(refs)]
    if not found:
        raise UsageError(
            "rotate needs places: --in FILE and/or --to TARGET",
            hint="or name targets in [tool.envguard.targets] of pyproject.toml",
        )
    return found


def _configured() -> tuple[str, ...]:
    from envguard import config

    return tuple(config.find(Path.cwd()).targets)


def _source(opts: RotateOptions) -> tuple[str, Callable[[], str]]:
    """How the new value is made (for the plan) and the maker (called after confirmation)."""
    if opts.value_from is not None:
        path = opts.value_from
        held = snapshots.values(path, os.environ) if snapshots.target_of(path) else {}
        if opts.key not in held:
            raise UsageError(
                f"{path} holds no saved value of {opts.key}",
                hint="give the 'new value' snapshot a rotation named",
            )
        return f"the value saved in {path}", lambda: held[opts.key]
    kind = opts.kind or _kind(opts)
    generate.parse(kind)  # a bad --generate is a usage error before anything else
    return kind, lambda: generate.strong(kind)


def _kind(opts: RotateOptions) -> str:
    from envguard.commands.fix import schema_for

    kind = generate.kind_for(schema_for(Path.cwd() / ".env", opts.schema), opts.key)
    if kind is None:
        raise UsageError(
            f"no strong value can be made for {opts.key}: the schema has no `generate` for "
            "it, and its name says it is issued elsewhere (or says nothing)",
            hint="rotate a provider's key at the provider, or pass --generate KIND "
            f"({', '.join(generate.KINDS)})",
        )
    return kind


def _show_plan(key: str, made: str, surveys: Sequence[Survey]) -> None:
    width = max(len(s.place) for s in surveys)
    holding = sum(s.holds for s in surveys)
    print(f"Rotate {key} (new value: {made}) in {holding} place(s):")
    for survey in surveys:
        print(f"  {'~' if survey.holds else '='} {survey.place:<{width}}  {survey.detail}".rstrip())


def _snapshots(
    key: str, value: str, holding: Sequence[tuple[Place, Survey]], reused: Path | None
) -> dict[str, Path]:
    """One encrypted snapshot per readable previous value, and one of the new value."""
    folder = Path.cwd() / snapshots.FOLDER
    saved: dict[str, Path] = {}
    for place, survey in holding:
        if survey.old is not None:
            slug = f"rotate-{key}-old-" + "".join(c if c.isalnum() else "-" for c in place.name).strip("-")
            saved[place.name] = snapshots.take({key: survey.old}, place.uri, slug[:120], folder)
    saved[""] = reused or snapshots.take({key: value}, f"rotate:{key}", f"rotate-{key}-new", folder)
    print(f"Previous values and the new one saved (encrypted) in {snapshots.FOLDER}/")
    return {name: _relative(path) for name, path in saved.items()}


def _relative(path: Path) -> Path:
    """``path`` from the current folder when it is below it (shorter commands to copy)."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def _report(
    key: str, outcomes: Sequence[Outcome], holding: Sequence[tuple[Place, Survey]], saved: Mapping[str, Path]
) -> int:
    """Per place what it holds now, and how to finish or roll back; exit 3 if any place failed."""
    width = max(len(o.place) for o in outcomes)
    done = [o for o in outcomes if o.state != OLD]
    print(f"Rotated {key}: {len(done)} of {len(outcomes)} place(s) hold the new value.")
    for outcome in outcomes:
        mark = {NEW: "new value", UNVERIFIED: "written", OLD: "OLD value"}[outcome.state]
        why = f"  ({outcome.reason or outcome.state})" if outcome.state != NEW else ""
        print(f"  {mark:<9}  {outcome.place:<{width}}{why}".rstrip())
    failed = [o for o in outcomes if o.state == OLD]
    if failed:
        print(
            f"To finish: fix the cause, then envguard rotate {key} --value-from {saved['']} "
            + " ".join(_where(o.place, holding) for o in failed)
            + " --yes"
        )
    undo = [_undo(key, p, saved.get(p.name)) for p, _ in holding if any(o.place == p.name for o in done)]
    if undo:
        print("To roll back:")
        print("\n".join(f"  {line}" for line in undo))
    if failed:
        print(f"envguard: error: {len(failed)} place(s) still hold the old value of {key}", file=sys.stderr)
        return EXIT_TARGET
    return EXIT_OK


def _where(name: str, holding: Sequence[tuple[Place, Survey]]) -> str:
    place = next(p for p, _ in holding if p.name == name)
    return f"--in {name}" if isinstance(place, FilePlace) else f"--to {name}"


def _undo(key: str, place: Place, snapshot: Path | None) -> str:
    if snapshot is None:
        return f"{place.name}: the previous value could not be read; set it again by hand"
    if isinstance(place, TargetPlace):
        return f"envguard push {snapshot} --to {place.name} --yes"
    plain = "" if _encrypted(place) else " --plain"
    return f"envguard get {key} -f {snapshot} | envguard set {key} -f {place.name}{plain}"


def _encrypted(place: FilePlace) -> bool:
    from envguard import envfile, keys

    return keys.is_encrypted(envfile.read(place.path).values().get(place.key))
