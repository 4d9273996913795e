"""Reading only regular files, with a size cap; replacing files keeping mode, owner and links."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from envguard import files
from envguard.errors import InputError

ROOT_ONLY = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="changing a file's owner needs root"
)
OTHER_UID = OTHER_GID = 65534  # nobody / nogroup


def _refused(path: Path) -> str:
    """The message ``read_bytes`` refuses ``path`` with; the read must finish at once, not wait."""
    outcome: list[BaseException | bytes] = []
    reader = threading.Thread(target=lambda: outcome.append(_attempt(path)), daemon=True)
    reader.start()
    reader.join(5)
    assert not reader.is_alive(), f"reading {path} hangs"
    (result,) = outcome
    assert isinstance(result, InputError), result
    return result.message


def _attempt(path: Path) -> BaseException | bytes:
    try:
        return files.read_bytes(path)
    except BaseException as exc:
        return exc


def test_a_regular_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    path.write_bytes(b"A=1\n")
    assert files.read_bytes(path) == b"A=1\n"


def test_a_link_to_dev_zero_is_refused_without_reading_it(tmp_path: Path) -> None:
    link = tmp_path / ".env.production"
    link.symlink_to("/dev/zero")
    assert "not a regular file (a character device)" in _refused(link)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / ".env.production"
    os.mkfifo(fifo)
    assert "not a regular file (a named pipe)" in _refused(fifo)


def test_dev_stdin_is_refused_when_it_is_a_pipe(tmp_path: Path) -> None:
    # a child whose stdin is a pipe nobody writes to: reading it would wait forever
    code = (
        "import sys; from pathlib import Path; from envguard import files\n"
        "try:\n    files.read_bytes(Path('/dev/stdin'))\nexcept Exception as e:\n    print(e)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, capture_output=True, text=True, timeout=20
    )
    assert "not a regular file (a named pipe)" in done.stdout


def test_a_folder_is_refused(tmp_path: Path) -> None:
    assert _refused(tmp_path) == f"{tmp_path}: is a directory"


def test_a_file_over_the_cap_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    with path.open("wb") as handle:
        handle.truncate(files.MAX_FILE_BYTES + 1)  # sparse: costs no disk
    assert "too large" in _refused(path)
    assert files.read_bytes(path, limit=files.MAX_FILE_BYTES + 1) is not None


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_write_through_a_link_changes_its_target_and_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "config" / "production.env"
    real.parent.mkdir()
    real.write_text("A=1\n")
    real.chmod(0o640)
    link = tmp_path / ".env.production"
    link.symlink_to(Path("config") / "production.env")
    written = files.atomic_write(link, "A=2\n")
    assert written == real.resolve()
    assert link.is_symlink() and real.read_text() == "A=2\n"
    assert _mode(real) == 0o640
    assert sorted(p.name for p in real.parent.iterdir()) == ["production.env"]
    assert "the file it links to" in files.shown(link, written)


def test_a_link_to_something_else_than_a_file_is_refused(tmp_path: Path) -> None:
    link = tmp_path / ".env"
    link.symlink_to(tmp_path)
    with pytest.raises(InputError, match="not a regular file"):
        files.atomic_write(link, "A=1\n")
    assert link.is_symlink()


@ROOT_ONLY
def test_replacing_another_users_file_keeps_its_owner_group_and_mode(tmp_path: Path) -> None:
    path = tmp_path / ".env.production"
    path.write_text("A=1\n")
    os.chown(path, OTHER_UID, OTHER_GID)
    path.chmod(0o600)
    files.atomic_write(path, "A=2\n")
    info = path.stat()
    assert (info.st_uid, info.st_gid, _mode(path)) == (OTHER_UID, OTHER_GID, 0o600)
    assert path.read_text() == "A=2\n"


def test_a_new_file_is_private(tmp_path: Path) -> None:
    written = files.atomic_write(tmp_path / ".env", "A=1\n")
    assert _mode(written) == 0o600


def _device(tmp_path: Path) -> Path:
    """A character device like /dev/null, made in the test's folder (so a bug cannot replace the
    machine's own); skipped where the process may not make devices."""
    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, AttributeError, OSError):
        pytest.skip("making a device needs root (CAP_MKNOD)")
    return device


def test_a_character_device_is_written_to_never_replaced(tmp_path: Path) -> None:
    device = _device(tmp_path)
    link = tmp_path / ".env.out"
    link.symlink_to(device)
    for path in (device, link):
        assert files.atomic_write(path, "A=1\n") == device
        assert device.is_char_device()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".env.out", "null"]  # no temporary left


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_fifo_or_a_folder_is_refused_as_a_target(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match=r"not a regular file \(a named pipe\)"):
        files.atomic_write(fifo, "A=1\n")
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    with pytest.raises(InputError, match="is a directory"):
        files.atomic_write(tmp_path, "A=1\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]
