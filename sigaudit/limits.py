"""Per-document limits enforced from the parent process.

A worker says which document it starts (``started``, through a queue given to it when it
starts); the parent watches each document's time and its worker's memory, and stops the
worker of one that goes beyond a limit.  That document becomes a ``RESOURCE_LIMIT`` entry;
the others in flight are audited again by new workers.

This works the same under every start method and on Windows, where there is no SIGALRM and
no address-space limit.  Where the platform has them (POSIX), the worker's own timer
(``evidence.document.time_limit``) and memory limit act first and cleanly, and the parent is
the backstop for work that no signal interrupts (a C library in a loop): it waits
``POSIX_GRACE_S`` longer.  ``SIGAUDIT_WORKER_TIMER=0`` turns the worker's timer off (the
tests use it to exercise the parent's limit as Windows has it).
"""

from __future__ import annotations

import logging
import os
import queue
import signal
import time
from typing import Any

from sigaudit.model import DocumentError, DocumentEvidence, Problem, Settings

log = logging.getLogger(__name__)

POSIX_GRACE_S = 10.0
"""How much longer than ``--max-seconds`` the parent waits where the worker has a timer."""
GRACE_S = 0.5
"""…and where it has none (Windows)."""
POLL_S = 0.25
"""How often the parent looks at the documents in flight."""

_EVENTS: Any = None
"""In a worker: the queue on which it says which document it starts."""


def worker_timer() -> bool:
    """Whether a worker interrupts its own document at the time limit (POSIX, and not turned
    off by ``SIGAUDIT_WORKER_TIMER=0``)."""
    return hasattr(signal, "setitimer") and os.environ.get("SIGAUDIT_WORKER_TIMER", "1") != "0"


def set_events(events: Any) -> None:
    global _EVENTS
    _EVENTS = events


def started(path: str) -> None:
    """Called by a worker as it starts a document."""
    if _EVENTS is not None:
        try:
            _EVENTS.put((os.getpid(), path))
        except Exception:
            log.debug("cannot tell the parent which document starts", exc_info=True)


class Watch:
    """The parent's view of the documents in flight."""

    def __init__(self, settings: Settings, events: Any) -> None:
        self.settings = settings
        self.events = events
        self.running: dict[str, tuple[int, float]] = {}
        """path → (worker pid, when the parent learnt it started)."""
        self.breached: dict[str, Problem] = {}
        """Documents whose worker was stopped, and which limit they went beyond."""
        self.grace = POSIX_GRACE_S if worker_timer() else GRACE_S

    @property
    def active(self) -> bool:
        return bool(self.settings.max_seconds or self.settings.max_memory_mb)

    def finished(self, path: str) -> None:
        self.running.pop(path, None)

    def check(self) -> bool:
        """Read what the workers said, stop the ones beyond a limit; whether any was stopped."""
        while True:
            try:
                pid, path = self.events.get_nowait()
            except (queue.Empty, OSError, EOFError, ValueError):
                break
            self.running[path] = (pid, time.monotonic())
        stopped = False
        now = time.monotonic()
        for path, (pid, since) in list(self.running.items()):
            problem = None
            limit = self.settings.max_seconds
            if limit and now - since > limit + self.grace:
                problem = Problem.of("error.time_limit", limit=f"{limit:g}")
            elif self.settings.max_memory_mb and _rss_mb(pid) > self.settings.max_memory_mb:
                problem = Problem.of("error.memory_limit", limit=self.settings.max_memory_mb)
            if problem is not None:
                log.warning("stopping the worker of %s: %s", path, problem.key)
                self.breached[path] = problem
                self.running.pop(path)
                _kill_tree(pid)
                stopped = True
        return stopped

    def entry(self, path: str, display_path: str, folder_office: str | None) -> DocumentEvidence | None:
        """The ``RESOURCE_LIMIT`` entry of a document whose worker was stopped, else None."""
        problem = self.breached.pop(path, None)
        if problem is None:
            return None
        return DocumentEvidence(
            path=display_path,
            sha256=None,
            folder_office=folder_office,
            error=DocumentError("RESOURCE_LIMIT", problem),
        )


def _rss_mb(pid: int) -> float:
    try:
        import psutil

        return float(psutil.Process(pid).memory_info().rss) / (1024 * 1024)
    except Exception:
        return 0.0


def _kill_tree(pid: int) -> None:
    """Stop a worker and what it started (Tesseract)."""
    try:
        import psutil

        process = psutil.Process(pid)
        for child in process.children(recursive=True):
            child.kill()
        process.kill()
    except Exception:
        log.debug("cannot stop worker %s", pid, exc_info=True)
