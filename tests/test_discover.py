"""Folder discovery and path resolution: the hand-written walk finds what ``os.walk`` finds, in
``Path`` order, and the resolver's answers are ``os.path.realpath``'s."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from envguard import config, configfiles, lint, sources


def _reference_walk(root: Path) -> list[Path]:
    """What discovery found before it walked by hand: ``os.walk``, pruned, sorted as Paths."""
    found = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d not in sources.SKIP_DIRS]
        found += [Path(folder, n) for n in names if sources.is_env_file(n) or configfiles.is_config_file(n)]
    return sorted(found)


def _tree(root: Path) -> Path:
    for rel in (
        "a/b/.env",
        "a-b/.env",
        "a/.env.production",
        "a/b/c/d/x.env",
        "node_modules/.env",
        "a/.git/.env",
        "z/compose.yaml",
        "z/render.yaml",
        "z/notes.txt",
        "Z/.env.staging",
        "a/b-c/.env",
        "a/b/.env.keys",
        ".env.example",
        "deep/" * 12 + ".env",
    ):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        # a deploy file must have its tool's shape (a scalar document is refused, as compose does)
        path.write_text("services: {}\n" if rel.endswith(".yaml") else "A=1\n")
    (root / "linked-dir").symlink_to(root / "a", target_is_directory=True)  # listed, not entered
    (root / "a" / "link.env").symlink_to(root / "a" / "b" / ".env")
    (root / "a" / "broken.env").symlink_to(root / "missing.env")
    (root / "a" / "up.env").symlink_to(Path("..") / "a-b" / ".env")
    return root


@pytest.mark.parametrize("spelling", ["absolute", "relative", "dotted", "trailing"])
def test_walk_finds_what_os_walk_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spelling: str
) -> None:
    tree = _tree(tmp_path / "tree")
    monkeypatch.chdir(tmp_path)
    root = {"absolute": tree, "relative": Path("tree"), "dotted": Path("./tree"), "trailing": Path("tree/")}[
        spelling
    ]
    found = sources._walk(root, sources.Resolver())
    assert found == _reference_walk(root)
    assert [str(p) for p in found] == [str(p) for p in _reference_walk(root)]
    assert len(found) == 13  # not vacuous: nested, linked and odd names are all there


def test_resolver_agrees_with_realpath(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree = _tree(tmp_path / "tree")
    (tmp_path / "tree-link").symlink_to(tree, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    resolver = sources.Resolver()
    sources._walk(Path("tree-link"), resolver)  # learns real paths while walking through a link
    asked = [p for p in tree.rglob("*")] + [
        Path("tree-link/a/link.env"),
        Path("tree-link/a/up.env"),
        Path("tree-link/a/broken.env"),
        Path("tree/a/../a-b/.env"),
        Path("tree-link/linked-dir/b/.env"),
        Path("nowhere/x.env"),
        Path("."),
        Path("/"),
    ]
    for path in asked:
        for spelling in (str(path), os.path.relpath(path) if path.is_absolute() else str(path.absolute())):
            assert resolver.real(spelling) == os.path.realpath(spelling), spelling


def test_display_agrees_with_path_resolution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree = _tree(tmp_path / "tree")
    monkeypatch.chdir(tree / "a")
    resolver = sources.Resolver()
    for path in [*sources._walk(Path(".."), resolver), tmp_path / "elsewhere.env", Path("b/.env")]:
        assert sources.display(path, resolver) == _display_by_pathlib(path), path
        assert sources.display(path) == _display_by_pathlib(path), path


def _display_by_pathlib(path: Path) -> str:
    """How ``display`` worked before it had a resolver."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def test_configuration_from_listings_is_the_configuration_found_on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Folders the walk listed are passed over without a stat when they hold no configuration; the
    answer must still be what ``config.find`` reads from the disk."""
    tree = _tree(tmp_path / "tree")
    (tmp_path / "pyproject.toml").write_text('[tool.envguard]\nignore = ["EG101"]\n')  # above the walk
    (tree / "a" / "pyproject.toml").write_text("[tool.black]\nline-length = 100\n")  # no envguard table
    (tree / "a" / "b" / "envguard.toml").write_text('select = ["EG2"]\n')
    (tree / "z" / "envguard.toml").mkdir()  # a folder with a configuration's name is no configuration
    (tree / "Z" / "pyproject.toml").symlink_to(tmp_path / "pyproject.toml")
    monkeypatch.chdir(tmp_path)
    session = lint.Session(tmp_path, b"k")
    found = sources.discover([Path("tree")], session.resolver)
    chosen = {str(p): session.config_of(p) for p in found}
    expected = {str(p): config.find(p) for p in found}
    assert chosen == expected
    names = {c.source.name if c.source else None for c in chosen.values()}
    assert names == {"envguard.toml", "pyproject.toml"}
