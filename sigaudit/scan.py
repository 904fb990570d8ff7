"""Discover the files to audit and run ``inspect`` over them, in parallel when asked.

Discovery never drops a file silently: a folder that cannot be listed becomes an entry
with an error, and a file given by name is audited whatever its extension.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from sigaudit.errors import UsageError
from sigaudit.inspect import READ_ERROR, inspect_path
from sigaudit.model import DocumentError, DocumentEvidence, Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScanItem:
    path: str
    """Where to read the file."""
    display_path: str
    """How the report names it: relative to the scanned folder, '/' separators."""
    folder_office: str | None = None


@dataclass(frozen=True)
class Discovery:
    items: tuple[ScanItem, ...]
    errors: tuple[DocumentEvidence, ...]

    def __len__(self) -> int:
        return len(self.items) + len(self.errors)


def _walk(root: Path) -> tuple[list[ScanItem], list[DocumentEvidence]]:
    items: list[ScanItem] = []
    errors: list[DocumentEvidence] = []

    def on_error(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else root
        rel = _relative(where, root) or where.name
        errors.append(
            DocumentEvidence(
                path=rel + "/", sha256=None,
                error=DocumentError(READ_ERROR, f"The folder cannot be listed: {exc.strerror or exc}."),
            )
        )

    # followlinks=False: a symlink loop cannot make the walk endless.
    for dirpath, dirnames, filenames in os.walk(root, onerror=on_error, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.lower().endswith(".pdf"):
                continue
            full = Path(dirpath) / name
            rel = _relative(full, root)
            parts = rel.split("/")
            items.append(ScanItem(str(full), rel, parts[0] if len(parts) > 1 else None))
    return items, errors


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def discover(paths: Iterable[str | os.PathLike[str]]) -> Discovery:
    """Expand files and folders into scan items.  A path that does not exist is a usage error."""
    items: list[ScanItem] = []
    errors: list[DocumentEvidence] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found, errs = _walk(path)
            items.extend(found)
            errors.extend(errs)
        elif path.exists() or path.is_symlink():
            items.append(ScanItem(str(path), path.name))
        else:
            raise UsageError(f"No such file or folder: {raw}")
    return Discovery(tuple(items), tuple(errors))


def _inspect_item(item: ScanItem, settings: Settings) -> DocumentEvidence:
    return inspect_path(item.path, display_path=item.display_path, settings=settings, folder_office=item.folder_office)


def _worker_init(log_level: int) -> None:
    from sigaudit.logs import configure_worker_logging

    configure_worker_logging(log_level)


def run(items: Iterable[ScanItem], settings: Settings, *, jobs: int = 1) -> Iterator[DocumentEvidence]:
    """Inspect every item, yielding evidence as it is ready (completion order).

    With ``jobs > 1`` documents go to a process pool; at most ``4 × jobs`` are in flight
    so memory stays flat however many files there are.
    """
    items = list(items)
    if jobs <= 1 or len(items) <= 1:
        for item in items:
            yield _inspect_item(item, settings)
        return
    from sigaudit.logs import current_level

    with ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init, initargs=(current_level(),)) as pool:
        pending: dict[Future[DocumentEvidence], ScanItem] = {}
        queue = iter(items)
        limit = 4 * jobs

        def refill() -> None:
            for item in queue:
                pending[pool.submit(_inspect_item, item, settings)] = item
                if len(pending) >= limit:
                    break

        refill()
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                item = pending.pop(fut)
                try:
                    yield fut.result()
                except Exception as exc:  # the worker died: the document still gets an entry
                    log.error("worker failed on %s: %s", item.display_path, exc)
                    yield DocumentEvidence(
                        path=item.display_path, sha256=None, folder_office=item.folder_office,
                        error=DocumentError("INTERNAL_ERROR", f"The worker auditing this file failed ({exc})."),
                    )
            refill()
