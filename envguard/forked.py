"""Map a function over many items in forked processes: how ``check`` lints a big tree on several CPUs.

The items are dealt round-robin into one share per process; this process works through the first
share while forked children work through the others and send their results back pickled through a
pipe. A child starts as a copy of this process (nothing is imported again, nothing but the results
is pickled), so the cost of going parallel is a ``fork`` per extra CPU. ``multiprocessing.Pool``
does the same with a task queue, handler threads and its imports: about 30 ms more before the first
file is linted, on work that takes half a second.

Results come back in the items' order. A failure is that of the first failing item in that order,
the one a sequential run would have stopped at: each process stops at its first ``EnvguardError``
and the earliest is raised. Anything else going wrong in a child is a bug and surfaces as a
``RuntimeError`` with the child's traceback.

Only for POSIX systems where ``fork`` is safe to use without ``exec``: Linux (``check._jobs``).
"""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Callable, Sequence
from typing import TypeVar

from envguard.errors import EnvguardError

T = TypeVar("T")
R = TypeVar("R")

#: (index of the failing item, the error's class, message, hint)
_Failure = tuple[int, type[EnvguardError], str, str | None]


def map_forked(func: Callable[[T], R], items: Sequence[T], jobs: int) -> list[R]:
    """``[func(item) for item in items]``, computed by ``jobs`` processes (this one included)."""
    shares = [range(first, len(items), jobs) for first in range(jobs)]
    children: list[tuple[int, int]] = []
    try:
        for share in shares[1:]:
            children.append(_fork(func, items, share))
        outcomes = [_work(func, items, shares[0])]
        while children:
            pid, fd = children.pop(0)
            outcomes.append(_receive(pid, fd))
    finally:
        for pid, fd in children:  # only after a failure here: stop and reap the rest
            os.close(fd)
            os.kill(pid, signal.SIGTERM)
            os.waitpid(pid, 0)
    failures: list[_Failure] = []
    by_index: dict[int, R] = {}
    for share, (done, failure) in zip(shares, outcomes, strict=True):
        by_index.update(zip(share, done, strict=False))  # a failed share stops early
        if failure is not None:
            failures.append(failure)
    if failures:
        _, kind, message, hint = min(failures, key=lambda f: f[0])
        raise kind(message, hint=hint)
    return [by_index[i] for i in range(len(items))]


def _work(func: Callable[[T], R], items: Sequence[T], share: range) -> tuple[list[R], _Failure | None]:
    """``func`` over one share, stopping at the first EnvguardError."""
    done: list[R] = []
    for index in share:
        try:
            done.append(func(items[index]))
        except EnvguardError as exc:
            return done, (index, type(exc), exc.message, exc.hint)
    return done, None


def _fork(func: Callable[[T], R], items: Sequence[T], share: range) -> tuple[int, int]:
    """Start a child working through ``share``; returns its pid and the pipe to read it from."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid:
        os.close(write_end)
        return pid, read_end
    # the child: never return into the caller's code, never run its cleanup or flush its buffers
    status = 1
    try:
        os.close(read_end)
        try:
            payload: object = ("ok", _work(func, items, share))
        except BaseException:  # a bug (or an interrupt): the parent raises it with this traceback
            import traceback

            payload = ("crash", traceback.format_exc())
        with os.fdopen(write_end, "wb") as out:
            pickle.dump(payload, out, protocol=pickle.HIGHEST_PROTOCOL)
        status = 0
    finally:
        os._exit(status)


def _receive(pid: int, fd: int) -> tuple[list[R], _Failure | None]:
    """A child's results, once it has sent them; RuntimeError when it crashed or died."""
    with os.fdopen(fd, "rb") as src:
        data = src.read()
    _, status = os.waitpid(pid, 0)
    if not data or status != 0:
        raise RuntimeError(f"a worker process ended without its results (status {status})")
    kind, payload = pickle.loads(data)  # our own child's output, through our own pipe
    if kind == "crash":
        raise RuntimeError(f"a worker process failed:\n{payload}")
    outcome: tuple[list[R], _Failure | None] = payload
    return outcome
