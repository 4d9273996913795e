"""``run --redact``: the child's output, streamed, with every injected secret value masked.

What counts as a secret is what ``check`` calls one (``judge.roles``: by name, then by value), and
each is hidden in every form it can come out in (``scrub.forms``: JSON- or URL-escaped, base64,
line by line). Output is passed on as it arrives, except a tail that could be the start of a
secret: held until the next bytes say whether it is (so a value split across two writes is still
masked), and let go at the end of the stream.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import IO

from envguard.targets.scrub import MIN_SECRET, forms

MASK = b"***"
CHUNK = 65536


def secret_values(values: Mapping[str, str]) -> list[str]:
    """The values of ``values`` that ``check`` would call secrets (long enough to hide)."""
    from envguard.judge.roles import role_of

    return [v for k, v in values.items() if len(v) >= MIN_SECRET and role_of(None, k, v).secret]


class Redactor:
    """Masks the given secrets in a byte stream fed in pieces (one per stream, not thread-safe)."""

    def __init__(self, secrets: Iterable[str]) -> None:
        found = {f.encode("utf-8") for s in secrets for f in forms(s)}
        self._needles = sorted((n for n in found if len(n) >= MIN_SECRET), key=len, reverse=True)
        self._longest = len(self._needles[0]) if self._needles else 0
        self._pending = b""
        self._covered = 0  # leading bytes of ``_pending`` already known to be part of a secret
        self._continued = False  # the last mask shown goes on into ``_pending``: no second mask

    def feed(self, data: bytes) -> bytes:
        """What can be shown of everything fed so far; a possible start of a secret is held."""
        buffer = self._pending + data
        covered = self._cover(buffer)
        hold = self._hold(buffer)
        self._pending = buffer[hold:]
        self._covered = next((i for i, c in enumerate(covered[hold:]) if not c), len(buffer) - hold)
        shown = _masked(buffer[:hold], covered[:hold], self._continued)
        if hold:
            self._continued = bool(self._covered and covered[hold - 1])
        return shown

    def close(self) -> bytes:
        """The rest, at the end of the stream (masked where it holds a secret)."""
        buffer, self._pending = self._pending, b""
        covered = self._cover(buffer)
        shown = _masked(buffer, covered, self._continued)
        self._covered, self._continued = 0, False
        return shown

    def _cover(self, buffer: bytes) -> bytearray:
        covered = bytearray(len(buffer))
        covered[: self._covered] = b"\1" * min(self._covered, len(buffer))
        for needle in self._needles:
            at = buffer.find(needle)
            while at != -1:
                covered[at : at + len(needle)] = b"\1" * len(needle)
                at = buffer.find(needle, at + 1)
        return covered

    def _hold(self, buffer: bytes) -> int:
        """Where the tail that could still become a secret starts (``len(buffer)``: no such tail)."""
        for start in range(max(0, len(buffer) - self._longest + 1), len(buffer)):
            tail = buffer[start:]
            if any(len(n) > len(tail) and n.startswith(tail) for n in self._needles):
                return start
        return len(buffer)


def _masked(data: bytes, covered: bytearray, continued: bool = False) -> bytes:
    """``data`` with each run of covered bytes replaced by one mask (``continued``: a leading run
    goes on from a mask already shown)."""
    out = bytearray()
    index = 0
    while index < len(data):
        if covered[index]:
            start = index
            while index < len(data) and covered[index]:
                index += 1
            if not (continued and start == 0):
                out += MASK
        else:
            out.append(data[index])
            index += 1
    return bytes(out)


def pump(source: IO[bytes], write: Callable[[bytes], None], secrets: Iterable[str]) -> threading.Thread:
    """A thread copying ``source`` to ``write`` through a Redactor, as the bytes arrive."""
    redactor = Redactor(secrets)

    def copy() -> None:
        fd = source.fileno()
        try:
            while chunk := os.read(fd, CHUNK):
                if shown := redactor.feed(chunk):
                    write(shown)
            write(redactor.close())
        finally:
            source.close()

    thread = threading.Thread(target=copy, daemon=True)
    thread.start()
    return thread


def writer(stream: object) -> Callable[[bytes], None]:
    """A byte writer for ``sys.stdout``/``sys.stderr`` (their buffer, flushed at once)."""
    binary = getattr(stream, "buffer", None)

    def write(data: bytes) -> None:
        if not data:
            return
        if binary is not None:
            binary.write(data)
            binary.flush()
        else:
            stream.write(data.decode("utf-8", "replace"))  # type: ignore[attr-defined]
            stream.flush()  # type: ignore[attr-defined]

    return write
