"""Ctrl-C held back while a process pool's locks are held (``sigaudit.interrupt``)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading

import pytest
from conftest import CORPUS

from sigaudit import interrupt


def _ctrl_c() -> None:
    os.kill(os.getpid(), signal.SIGINT)
    for _ in range(1000):  # the handler runs between two bytecodes
        pass


@pytest.mark.skipif(sys.platform == "win32", reason="os.kill(SIGINT) ends the process on Windows")
def test_ctrl_c_inside_a_held_block_is_raised_where_the_block_ends():
    reached = []
    with pytest.raises(KeyboardInterrupt), interrupt.deferring() as deferred:
        assert deferred
        with interrupt.held():
            _ctrl_c()
            reached.append("end of the block")
        reached.append("after the block")
    assert reached == ["end of the block"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


@pytest.mark.skipif(sys.platform == "win32", reason="os.kill(SIGINT) ends the process on Windows")
def test_ctrl_c_outside_a_held_block_acts_at_once():
    reached = []
    with pytest.raises(KeyboardInterrupt), interrupt.deferring():
        _ctrl_c()
        reached.append("after")
    assert reached == []
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_other_threads_and_other_handlers_are_left_alone():
    seen = []

    def worker():
        with interrupt.deferring() as deferred:
            seen.append(deferred)

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert seen == [False]
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with interrupt.deferring() as deferred:
            assert not deferred and signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)


# Ctrl-C landing while ``concurrent.futures.wait`` holds a future's lock: before, the lock
# stayed held, the pool's manager thread blocked on it and the interpreter never ended
# (an interrupted ``--jobs 2`` run printed its message and hung; CI caught it once).
_LOCK_HELD_AT_CTRL_C = textwrap.dedent(
    """
    import os, signal, sys
    from concurrent.futures import _base
    from sigaudit import scan
    from sigaudit.model import Settings

    calls = [0]

    class Acquire(_base._AcquireFutures):
        def __enter__(self):
            calls[0] += 1
            for i, future in enumerate(self.futures):
                future._condition.acquire()
                if i == 0 and calls[0] == 3:
                    os.kill(os.getpid(), signal.SIGINT)
                    for _ in range(1000):
                        pass

    _base._AcquireFutures = Acquire
    try:
        for _ in scan.run(iter(scan.discover([sys.argv[1]]).items * 4), Settings(), jobs=2):
            pass
    except KeyboardInterrupt:
        print("interrupted", flush=True)
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="os.kill(SIGINT) ends the process on Windows")
@pytest.mark.parametrize("method", ["fork", "forkserver"])
def test_a_run_interrupted_while_the_pool_holds_a_lock_still_ends(method):
    from concurrent.futures import _base

    if not hasattr(_base, "_AcquireFutures"):
        pytest.skip("this Python's concurrent.futures has no _AcquireFutures to interrupt")
    env = {**os.environ, "SIGAUDIT_START_METHOD": method}
    try:
        done = subprocess.run(
            [sys.executable, "-c", _LOCK_HELD_AT_CTRL_C, str(CORPUS)],
            capture_output=True,
            text=True,
            timeout=90,
            env=env,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("the interrupted run did not end")
    assert done.stdout.strip() == "interrupted", done.stderr[-2000:]
    assert done.returncode == 0
