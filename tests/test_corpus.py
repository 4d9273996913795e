"""The labelled realistic corpus of issue 16 (``tests/corpus/``), scored.

Every ``[[case]]`` of ``tests/corpus/labels.toml`` names a file modelled on what a framework's
stock templates or a real deployment contain, and the findings it must produce. envguard runs
once per distinct ``(env, schema)`` group, as a user would (``python -m envguard check --format
json``), from ``tests/corpus`` itself, whose empty ``envguard.toml`` keeps the repository's own
configuration away. Scoring, per case:

- a finding at ``warning`` or ``error`` that matches no ``expect`` entry (same key, ``-`` for none;
  code starting with the entry's code) is a **false alarm**;
- an ``expect`` entry that no finding at ``warning`` or ``error`` matches is a **miss**.

Info findings are ignored. Reports name file, key, code and severity, never a value. The corpus is
the target of the judgement rewrite: on code that still cries wolf these tests fail, on purpose.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

CORPUS = Path(__file__).parent / "corpus"
MANIFEST = CORPUS / "labels.toml"
#: files of the corpus folder that are not corpus cases
OWN_FILES = frozenset({"labels.toml", "envguard.toml", ".gitignore"})
KINDS = frozenset({"stock", "correct", "mistakes"})
ENVS = frozenset({"production", "staging", "development", "test", "example"})
CASE_FIELDS = frozenset({"file", "kind", "env", "schema", "note", "expect", "quiet"})
_ENTRY = re.compile(r"^(?P<key>-|[A-Za-z_][A-Za-z0-9_]*) (?P<code>EG\d{0,3})$")
#: codes whose key is, by their nature, absent from the file
_ABSENT_KEY_CODES = ("EG901", "EG920")
SERIOUS = frozenset({"warning", "error"})


@dataclass(frozen=True)
class Expect:
    """One ``expect`` entry: a key (None for ``-``) and a code or code prefix."""

    key: str | None
    code: str

    def matches(self, finding: dict[str, object]) -> bool:
        """Whether ``finding`` is this entry: the same key and a code that starts with ours."""
        return finding.get("key") == self.key and str(finding.get("code", "")).startswith(self.code)

    def __str__(self) -> str:
        return f"{self.key or '-'} {self.code}"


@dataclass(frozen=True)
class Case:
    """One labelled file of the manifest."""

    file: str
    kind: str
    env: str | None
    schema: str | None
    expect: tuple[Expect, ...]
    quiet: tuple[str, ...]

    @property
    def group(self) -> tuple[str | None, str | None]:
        """The options this case is checked with: cases sharing them share one envguard run."""
        return self.env, self.schema


@dataclass(frozen=True)
class Score:
    """What envguard said about the corpus, against the labels."""

    false_alarms: tuple[str, ...]
    misses: tuple[str, ...]
    expected: int
    cases: int


def _entry(text: str, where: str) -> Expect:
    match = _ENTRY.match(text)
    assert match, f"{where}: expect entry {text!r} is not 'KEY CODE' (KEY or '-', CODE like EG201 or EG2)"
    key = match["key"]
    return Expect(None if key == "-" else key, match["code"])


def load_manifest() -> tuple[list[Case], list[str]]:
    """The cases and the support files of ``labels.toml``, validated."""
    data = tomllib.loads(MANIFEST.read_text(encoding="utf-8"))
    assert set(data) <= {"case", "support"}, f"labels.toml: unknown tables {set(data) - {'case', 'support'}}"
    cases = []
    for number, raw in enumerate(data.get("case", []), 1):
        where = f"labels.toml case {number} ({raw.get('file')})"
        assert set(raw) <= CASE_FIELDS, f"{where}: unknown fields {set(raw) - CASE_FIELDS}"
        assert isinstance(raw.get("file"), str) and raw.get("note"), f"{where}: needs file and note"
        assert raw.get("kind") in KINDS, f"{where}: kind must be one of {sorted(KINDS)}"
        assert raw.get("env") in ENVS | {None}, f"{where}: env must be one of {sorted(ENVS)}"
        expect = tuple(_entry(text, where) for text in raw.get("expect", []))
        assert len(set(expect)) == len(expect), f"{where}: an expect entry is repeated"
        cases.append(
            Case(
                raw["file"],
                raw["kind"],
                raw.get("env"),
                raw.get("schema"),
                expect,
                tuple(raw.get("quiet", [])),
            )
        )
    support = [raw["file"] for raw in data.get("support", [])]
    return cases, support


def run_group(env: str | None, schema: str | None, files: list[str]) -> list[dict[str, object]]:
    """The findings of one ``envguard check`` run over ``files`` (relative to the corpus)."""
    command = [sys.executable, "-m", "envguard", "check", "--format", "json", "--no-color", "-q"]
    command += ["--env", env] if env else []
    command += ["--schema", schema] if schema else []
    environ = {k: v for k, v in os.environ.items() if not k.startswith("ENVGUARD_")}
    done = subprocess.run(
        [*command, "--", *files],
        cwd=CORPUS,
        capture_output=True,
        text=True,
        timeout=300,
        env=environ,
        check=False,
    )
    assert done.returncode in (0, 1), (
        f"envguard check (env={env}, schema={schema}) exited {done.returncode}: {done.stderr.strip()}"
    )
    return list(json.loads(done.stdout)["findings"])


def _line(file: str, finding: dict[str, object]) -> str:
    return f"{file} {finding.get('key') or '-'} {finding.get('code')} {finding.get('severity')}"


def score(cases: list[Case]) -> Score:
    """Run envguard over every case, group by group, and compare with the labels."""
    groups: dict[tuple[str | None, str | None], list[Case]] = defaultdict(list)
    for case in cases:
        groups[case.group].append(case)
    false_alarms: list[str] = []
    misses: list[str] = []
    for (env, schema), members in sorted(groups.items(), key=lambda item: (str(item[0][0]), str(item[0][1]))):
        by_file = {os.path.normpath(case.file): case for case in members}
        found: dict[str, list[dict[str, object]]] = defaultdict(list)
        for finding in run_group(env, schema, sorted(by_file)):
            found[os.path.normpath(str(finding.get("file")))].append(finding)
        for file in sorted(set(found) - set(by_file)):  # e.g. an env_file a compose file names
            false_alarms += [
                _line(file, f) + " (outside the checked files)"
                for f in found[file]
                if f.get("severity") in SERIOUS
            ]
        for file, case in sorted(by_file.items()):
            false_alarms += [
                _line(file, f)
                for f in found[file]
                if f.get("severity") in SERIOUS and not any(e.matches(f) for e in case.expect)
            ]
            for entry in case.expect:
                hits = [f for f in found[file] if entry.matches(f)]
                if not any(f.get("severity") in SERIOUS for f in hits):
                    said = "info" if hits else "missing"
                    misses.append(f"{file} {entry} {said}")
    expected = sum(len(case.expect) for case in cases)
    return Score(tuple(false_alarms), tuple(misses), expected, len(cases))


@pytest.fixture(scope="module")
def corpus_score() -> Score:
    """The corpus scored once for this module's tests."""
    cases, _ = load_manifest()
    return score(cases)


def test_no_false_alarms(corpus_score: Score) -> None:
    alarms = corpus_score.false_alarms
    assert not alarms, (
        f"{len(alarms)} false alarms (findings at warning or above that no label expects) "
        f"in {corpus_score.cases} cases:\n" + "\n".join(alarms)
    )


def test_no_misses(corpus_score: Score) -> None:
    misses = corpus_score.misses
    head = (
        f"{len(misses)} of {corpus_score.expected} labelled mistakes not reported at warning or above"
        " ('info': reported too softly; 'missing': not at all):"
    )
    assert not misses, head + "\n" + "\n".join(misses)


def _corpus_files() -> set[str]:
    return {
        path.relative_to(CORPUS).as_posix()
        for path in CORPUS.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.name not in OWN_FILES
    }


def test_manifest_covers_the_corpus_exactly() -> None:
    cases, support = load_manifest()
    labelled, present = {case.file for case in cases} | set(support), _corpus_files()
    assert not present - labelled, f"files without a label: {sorted(present - labelled)}"
    assert not labelled - present, f"labelled files that do not exist: {sorted(labelled - present)}"
    runs = [(case.file, case.env, case.schema) for case in cases]
    assert len(set(runs)) == len(runs), "a file is labelled twice with the same env and schema"


def test_labels_name_keys_the_files_hold() -> None:
    """A typo in a label would make a must-fire row unmissable or a quiet row meaningless."""
    cases, _ = load_manifest()
    wrong = []
    for case in cases:
        text = (CORPUS / case.file).read_text(encoding="utf-8")
        named = [e.key for e in case.expect if e.key and not e.code.startswith(_ABSENT_KEY_CODES)]
        for key in [*named, *case.quiet]:
            if not re.search(rf"(?<![A-Za-z0-9_]){re.escape(key)}(?![A-Za-z0-9_])", text):
                wrong.append(f"{case.file} {key}")
        overlap = set(case.quiet) & {e.key for e in case.expect}
        wrong += [f"{case.file} {key} (both expected and quiet)" for key in sorted(overlap)]
        if case.kind == "correct" and case.expect:
            wrong.append(f"{case.file} (a correct file expects no finding)")
        if case.kind == "mistakes" and not case.expect:
            wrong.append(f"{case.file} (a mistakes file labels at least one mistake)")
    assert not wrong, "labels that do not fit their files:\n" + "\n".join(wrong)
