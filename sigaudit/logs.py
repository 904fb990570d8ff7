"""Where library chatter goes.

pyHanko and pypdf log loudly (warnings with tracebacks).  Nothing of that reaches the
user's terminal: the CLI sends every log record to a file the user names with
``--log-file`` (at the level set by ``-v``), and to nowhere otherwise.  Python warnings
are routed into logging too.
"""

from __future__ import annotations

import logging
import warnings

_LEVEL = logging.WARNING
LIBRARY_LOGGERS = ("sigaudit", "pyhanko", "pyhanko_certvalidator", "pypdf", "pypdfium2", "fontTools")


def quiet_libraries() -> None:
    """Library usage (``import sigaudit``): give the chatty loggers a null handler so that
    Python's last-resort handler never prints their warnings on the user's terminal.
    Records still propagate to whatever handlers the application configures."""
    for name in LIBRARY_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())


def configure(log_file: str | None, verbosity: int) -> None:
    global _LEVEL
    _LEVEL = {0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    if log_file:
        handler: logging.Handler = logging.FileHandler(log_file, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"))
        root.setLevel(_LEVEL)
    else:
        handler = logging.NullHandler()
        root.setLevel(logging.CRITICAL + 1)
    root.addHandler(handler)
    logging.captureWarnings(True)
    warnings.simplefilter("default")


def current_level() -> int:
    root = logging.getLogger()
    return root.level if root.handlers else _LEVEL


def configure_worker_logging(level: int) -> None:
    """In a worker process: keep records away from the terminal.

    A forked worker inherits the parent's file handler; a spawned one gets a null
    handler so that Python's last-resort handler never prints to stderr.
    """
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.NullHandler())
        root.setLevel(level)
    logging.captureWarnings(True)
