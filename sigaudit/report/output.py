"""Where a report goes: the format an output name asks for, the checks made on the
destination before any work starts, and writing a set of files all together or not at all."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

from sigaudit.errors import UsageError
from sigaudit.report.base import Formatter
from sigaudit.report.formats import FORMATS, by_extension


def choose_format(name: str | None, output: str | None) -> Formatter:
    """``--format`` when given; else the output's extension (a name without one: JSON);
    else text for the terminal.  An extension no format writes is a usage error."""
    if name:
        return FORMATS[name]
    if output is None:
        return FORMATS["text"]
    suffix = Path(output).suffix
    if not suffix:
        return FORMATS["json"]
    found = by_extension(output)
    if found is None:
        known = ", ".join(sorted({e for f in FORMATS.values() for e in f.extensions}))
        raise UsageError(key="unknown_extension", ext=suffix, known=known)
    return found


def prepare(name: str | None, output: str | None) -> Formatter:
    """The format to write and, for ``-o``, every target checked — before any audit."""
    formatter = choose_format(name, output)
    for target in formatter.targets(output) if output else ():
        check_target(target)
    return formatter


def check_target(path: str) -> None:
    """Refuse, before auditing, a destination the report could not be written to or should
    not replace: a missing or read-only folder, a link, a device, a folder, a read-only file."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(key="output_folder_missing", folder=str(folder), path=path)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(key="output_folder_read_only", folder=str(folder), path=path)
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return
    if not stat.S_ISREG(info.st_mode):
        raise UsageError(key="output_not_regular", path=path)
    if not os.access(target, os.W_OK):
        raise UsageError(key="output_read_only", path=path)


Writer = Callable[[IO[Any]], None]


def write_all(files: Sequence[tuple[str, Writer]], *, binary: bool = False) -> None:
    """Write every (path, writer) to a temporary file beside it, then put them all in place:
    the set is replaced together, or — when any writer fails — not at all."""
    done: list[tuple[str, str]] = []
    try:
        for path, writer in files:
            target = Path(path)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
            done.append((tmp, path))
            mode = "wb" if binary else "w"
            kwargs: dict[str, Any] = {} if binary else {"encoding": "utf-8", "newline": ""}
            with os.fdopen(fd, mode, **kwargs) as fh:
                writer(fh)
                fh.flush()
                os.fsync(fh.fileno())
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a report is an ordinary file
        for tmp, path in done:
            os.replace(tmp, path)
        done.clear()
    finally:
        for tmp, _ in done:
            try:
                os.unlink(tmp)
            except OSError:
                pass
