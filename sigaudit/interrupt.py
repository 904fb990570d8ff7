"""Ctrl-C held back while a process pool's own locks are held.

Python raises ``KeyboardInterrupt`` between any two bytecodes of the main thread.  Raised
inside ``concurrent.futures`` (``wait`` takes every future's lock in turn, ``submit`` and
``shutdown`` take the pool's), it can leave a lock held for ever: the pool's manager thread
then blocks on it and the interpreter, which joins that thread on exit, never ends (seen:
an interrupted ``--jobs 2`` run printed its message and hung).  While ``held()`` is active
Ctrl-C is only noted; it is raised where the block ends, where every lock is released.
Outside it Ctrl-C acts at once, as usual.

Only the main thread receives signals; elsewhere (the clerks' web page runs audits in
threads) ``held()`` does nothing.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from typing import Any


class _Deferral:
    def __init__(self) -> None:
        self.depth = 0
        self.pending = False
        self.users = 0
        self.previous: Any = None

    def handler(self, signum: int, frame: Any) -> None:
        if self.depth:
            self.pending = True
            return
        raise KeyboardInterrupt

    def installed(self) -> bool:
        return signal.getsignal(signal.SIGINT) == self.handler  # a bound method: equal, not identical


_DEFERRAL = _Deferral()


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def deferring() -> Iterator[bool]:
    """While active, ``held()`` blocks hold Ctrl-C back; yields whether it could be arranged
    (main thread, and Ctrl-C raising ``KeyboardInterrupt`` as by default)."""
    state = _DEFERRAL
    usable = _main_thread() and (state.installed() or signal.getsignal(signal.SIGINT) is signal.default_int_handler)
    if not usable:
        yield False
        return
    if state.users == 0 and not state.installed():
        state.previous = signal.signal(signal.SIGINT, state.handler)
    state.users += 1
    try:
        yield True
    finally:
        state.users -= 1
        if state.users == 0 and state.installed() and _main_thread():
            # (a generator closed by the garbage collector in another thread cannot put the
            # handler back; it keeps acting as the default one)
            signal.signal(signal.SIGINT, state.previous)
            state.previous = None
            if state.pending:
                state.pending = False
                raise KeyboardInterrupt


@contextlib.contextmanager
def held() -> Iterator[None]:
    """Ctrl-C during the block is raised when it ends (main thread, inside ``deferring()``)."""
    state = _DEFERRAL
    if not (state.users and _main_thread()):
        yield
        return
    state.depth += 1
    try:
        yield
    finally:
        state.depth -= 1
    if state.pending and not state.depth:
        state.pending = False
        raise KeyboardInterrupt
