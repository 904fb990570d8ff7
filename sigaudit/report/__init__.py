"""Formatters: each reads a finished ``AuditReport`` and computes nothing new."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TextIO


def write_atomically(path: str | os.PathLike[str], text: str | Callable[[TextIO], None]) -> None:
    """Write ``text`` (or what ``text(fh)`` writes) so that ``path`` holds either its old
    content or all of the new, never a part."""
    from sigaudit.report.output import write_all

    writer = text if callable(text) else (lambda fh: fh.write(text))
    write_all([(os.fspath(path), writer)])
