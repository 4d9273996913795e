"""``envguard.forked.map_forked``: the results of a sequential map, computed by forked processes."""

from __future__ import annotations

import os
import sys

import pytest

from envguard.errors import InputError, UsageError
from envguard.forked import map_forked

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork is used on Linux only")


def _no_children_left() -> bool:
    try:
        return os.waitpid(-1, os.WNOHANG) == (0, 0)  # children still running would show here
    except ChildProcessError:
        return True  # no children at all


@pytest.mark.parametrize("jobs", [1, 2, 3, 5])
@pytest.mark.parametrize("count", [0, 1, 2, 7, 100])
def test_results_in_order(jobs: int, count: int) -> None:
    items = list(range(count))
    assert map_forked(lambda n: n * n, items, jobs) == [n * n for n in items]


def test_work_is_shared_between_processes() -> None:
    pids = {pid for _, pid in map_forked(lambda n: (n, os.getpid()), list(range(20)), 3)}
    assert len(pids) == 3 and os.getpid() in pids
    assert _no_children_left()


def test_big_results_pass_through_the_pipe() -> None:
    """More than a pipe holds (64 KiB), so a child blocks until the parent reads it."""
    items = list(range(40))
    assert map_forked(lambda n: str(n) * 50_000, items, 2) == [str(n) * 50_000 for n in items]


def test_the_first_failing_item_in_order_is_raised() -> None:
    """A sequential run stops at item 3; the workers must say the same, whichever finished first."""

    def judge(n: int) -> int:
        if n in (3, 4, 9):
            raise (UsageError if n == 3 else InputError)(f"item {n} is bad", hint=f"fix {n}")
        return n

    for jobs in (1, 2, 3, 4):
        with pytest.raises(UsageError) as caught:
            map_forked(judge, list(range(12)), jobs)
        assert (caught.value.message, caught.value.hint) == ("item 3 is bad", "fix 3")
    assert _no_children_left()


def test_a_crash_in_a_child_is_a_runtime_error_with_its_traceback() -> None:
    def judge(n: int) -> int:
        if n == 1:  # the second share's first item: a child's
            raise KeyError("boom")
        return n

    with pytest.raises(RuntimeError, match="KeyError: 'boom'"):
        map_forked(judge, list(range(6)), 2)
    assert _no_children_left()


def test_a_crash_here_still_reaps_the_children() -> None:
    parent = os.getpid()

    def judge(n: int) -> int:
        if os.getpid() == parent:
            raise ValueError("this process failed")
        return n

    with pytest.raises(ValueError, match="this process failed"):
        map_forked(judge, list(range(8)), 3)
    assert _no_children_left()
