"""Discover the files to audit and run ``inspect`` over them, in parallel when asked.

Discovery never drops a file silently: a folder that cannot be listed becomes an entry
with an error, and a file given by name is audited whatever its extension.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sigaudit import interrupt, limits
from sigaudit.cache import EvidenceCache, file_sha256
from sigaudit.errors import UsageError
from sigaudit.storage import is_url, url_to_fs

READ_ERROR = "READ_ERROR"  # as in evidence/document.py, which is imported only when a file is validated
from sigaudit.model import DocumentError, DocumentEvidence, Problem, Settings

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
                path=rel + "/",
                sha256=None,
                error=DocumentError(READ_ERROR, Problem.of("error.folder_unlisted", str(exc.strerror or exc))),
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


def _walk_url(url: str) -> list[ScanItem]:
    """Files under an fsspec URL (``s3://bucket/evidence/``), or the one file it names."""
    fs, root = url_to_fs(url)
    try:
        if fs.isdir(root):
            found = sorted(p for p in fs.find(root) if p.lower().endswith(".pdf"))
            items = []
            base = root.rstrip("/")
            for p in found:
                rel = p[len(base) :].lstrip("/") if p.startswith(base) else p
                parts = rel.split("/")
                items.append(ScanItem(fs.unstrip_protocol(p), rel, parts[0] if len(parts) > 1 else None))
            return items
        if fs.exists(root):
            return [ScanItem(url, root.rsplit("/", 1)[-1])]
    except OSError as exc:
        raise UsageError(key="url_unlisted", url=url, detail=str(exc)) from exc
    raise UsageError(key="url_missing", url=url)


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
        if isinstance(raw, str) and is_url(raw):
            found = _walk_url(raw)
            items.extend(found)
            continue
        path = Path(raw)
        if path.is_dir():
            found, errs = _walk(path)
            items.extend(found)
            errors.extend(errs)
        elif path.exists() or path.is_symlink():
            items.append(ScanItem(str(path), path.name))
        else:
            raise UsageError(key="no_such_path", path=os.fsdecode(raw))
    return Discovery(tuple(items), tuple(errors))


def _inspect_item(item: ScanItem, settings: Settings, cache: EvidenceCache | None = None) -> DocumentEvidence:
    # Imported here: a run answered entirely from the cache never loads pyHanko or pypdf.
    from sigaudit.evidence.document import inspect_path

    limits.started(item.path)

    evidence = inspect_path(
        item.path, display_path=item.display_path, settings=settings, folder_office=item.folder_office
    )
    if cache is not None:
        cache.put(evidence)
    return evidence


def _cache_hit(item: ScanItem, cache: EvidenceCache | None) -> DocumentEvidence | None:
    if cache is None:
        return None
    sha256 = file_sha256(item.path)
    if sha256 is None:
        return None  # the worker will say why the file cannot be read
    return cache.get(sha256, path=item.display_path, folder_office=item.folder_office)


def _worker_context() -> Any:
    """How workers start.  The command line starts them from a fork server that has imported
    only the per-document code (``SIGAUDIT_START_METHOD=forkserver``, set by ``cli.main``): a
    worker's memory limit then measures the document, not the caller, and nothing of the
    caller is inherited.  Library callers get ``fork`` by default — a fork server or spawn
    would import the caller's main module again (a script without a ``__main__`` guard, or
    code read from stdin, would break) — and may choose with the same variable."""
    import multiprocessing

    method = os.environ.get("SIGAUDIT_START_METHOD", "fork")  # fork | forkserver | spawn
    if method not in multiprocessing.get_all_start_methods():
        return None  # the platform's default (spawn on Windows and macOS)
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload(["sigaudit.evidence.document"])
    return context


def _worker_init(log_level: int, max_memory_mb: int = 0, events: Any = None) -> None:
    import signal

    from sigaudit.logs import configure_worker_logging

    limits.set_events(events)

    # Ctrl-C reaches the whole process group: the main process decides (and stops the
    # workers); a worker that raised KeyboardInterrupt itself could hang the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    configure_worker_logging(log_level)
    if max_memory_mb:
        # A decompression bomb or a runaway parser costs its document, not the machine.
        try:
            import resource

            limit = max_memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (ImportError, ValueError, OSError):
            log.info("cannot set a memory limit on this platform")


def _crashed(item: ScanItem) -> DocumentEvidence:
    log.error("%s stopped the worker auditing it twice", item.display_path)
    return DocumentEvidence(
        path=item.display_path,
        sha256=None,
        folder_office=item.folder_office,
        error=DocumentError("INTERNAL_ERROR", Problem.of("error.worker_crashed")),
    )


def run(
    items: Iterable[ScanItem], settings: Settings, *, jobs: int = 1, cache: EvidenceCache | None = None
) -> Iterator[DocumentEvidence]:
    """Inspect every item, yielding evidence as it is ready (completion order).

    Cache hits are answered in this process, without touching the pool.  With
    ``jobs > 1`` the misses go to a process pool; at most ``4 × jobs`` are in flight, so
    memory stays flat however many files there are.
    """
    if jobs <= 1 and (limits.worker_timer() or not settings.max_seconds):
        for item in items:
            hit = _cache_hit(item, cache)
            yield hit if hit is not None else _inspect_item(item, settings, cache)
        return
    from sigaudit.logs import current_level

    queue = iter(items)
    ready: list[DocumentEvidence] = []
    pool: ProcessPoolExecutor | None = None
    pending: dict[Future[DocumentEvidence], ScanItem] = {}
    retry: list[ScanItem] = []
    crashes: dict[str, int] = {}
    limit = 4 * jobs
    import multiprocessing

    context = _worker_context()
    watch = limits.Watch(settings, (context or multiprocessing.get_context()).Queue())

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=context,
            initializer=_worker_init,
            # without limits nobody reads the queue: the workers are not given it
            initargs=(current_level(), settings.max_memory_mb, watch.events if watch.active else None),
        )

    # Ctrl-C is raised only where the pool's locks are free (``interrupt``), so that the
    # pool can still be stopped and the interpreter can end.
    deferral = interrupt.deferring()
    deferred = deferral.__enter__()
    try:
        while True:
            # Refill: answer hits here, send misses to the pool, stop when enough is waiting.
            # After a crash, suspects run one at a time until each is cleared or reported.
            suspects = bool(retry) or any(i.path in crashes for i in pending.values())
            while len(pending) < (1 if suspects else limit) and len(ready) < 64:
                item = retry.pop() if retry else next(queue, None)
                if item is None:
                    break
                hit = _cache_hit(item, cache) if item.path not in crashes else None
                if hit is not None:
                    ready.append(hit)
                    continue
                if pool is None:
                    pool = new_pool()
                try:
                    with interrupt.held(), _main_not_reimported(context):
                        pending[pool.submit(_inspect_item, item, settings, cache)] = item
                except BrokenProcessPool:
                    # The pool broke between two submissions (a worker could not start):
                    # this document goes again to a new pool, then is reported if it fails.
                    crashes[item.path] = crashes.get(item.path, 0) + 1
                    if crashes[item.path] >= 2:
                        ready.append(_crashed(item))
                    else:
                        retry.append(item)
                    with interrupt.held():
                        pool.shutdown(wait=False, cancel_futures=True)
                    pool = None
            if ready:
                yield from ready
                ready.clear()
                continue
            if not pending:
                return
            timeout = limits.POLL_S if watch.active or deferred else None
            with interrupt.held():
                done, _ = wait(pending, timeout=timeout, return_when=FIRST_COMPLETED)
                # a document beyond a limit has its worker stopped; the pool breaks with it, and
                # the documents in flight beside it are not suspects
                deliberate = watch.check() or bool(watch.breached)
            broken = False
            for fut in done:
                item = pending.pop(fut)
                watch.finished(item.path)
                try:
                    with interrupt.held():
                        evidence = fut.result()
                except BrokenProcessPool:
                    # A worker died (crash, OOM kill, or stopped at a limit): every document
                    # in flight is lost with it.  Run them again in a new pool; one that
                    # breaks a pool twice is reported, the others are audited normally.
                    broken = True
                    over = watch.entry(item.path, item.display_path, item.folder_office)
                    if over is not None:
                        yield over
                        continue
                    if deliberate:
                        retry.append(item)  # in flight beside a document stopped at a limit
                        continue
                    crashes[item.path] = crashes.get(item.path, 0) + 1
                    if crashes[item.path] >= 2:
                        yield _crashed(item)
                    else:
                        retry.append(item)
                except Exception as exc:  # the task failed in an unexpected way: one entry
                    log.error("worker failed on %s: %s", item.display_path, exc)
                    yield DocumentEvidence(
                        path=item.display_path,
                        sha256=None,
                        folder_office=item.folder_office,
                        error=DocumentError("INTERNAL_ERROR", Problem.of("error.worker_failed", str(exc))),
                    )
                else:
                    yield evidence
            if broken:
                for fut, item in list(pending.items()):
                    pending.pop(fut)
                    watch.finished(item.path)
                    over = watch.entry(item.path, item.display_path, item.folder_office)
                    if over is not None:
                        ready.append(over)
                        continue
                    if deliberate:
                        retry.append(item)
                        continue
                    crashes[item.path] = crashes.get(item.path, 0) + 1
                    if crashes[item.path] >= 2:
                        yield _crashed(item)
                    else:
                        retry.append(item)
                if pool is not None:
                    with interrupt.held():
                        pool.shutdown(wait=False, cancel_futures=True)
                pool = None
    except BaseException:
        # Ctrl-C, or the consumer stopped: end now. Waiting for the workers would wait for
        # every document in flight (up to --max-seconds each), so they are stopped.
        stopping, pool = pool, None
        if stopping is not None:
            with interrupt.held():
                _stop(stopping)
        raise
    finally:
        try:
            if pool is not None:
                with interrupt.held():
                    pool.shutdown(wait=True, cancel_futures=True)
        finally:
            deferral.__exit__(None, None, None)


@contextlib.contextmanager
def _main_not_reimported(context: Any) -> Iterator[None]:
    """Workers started by ``spawn`` or a fork server import the caller's main module again,
    so a script that calls ``audit(..., jobs=2)`` without an ``if __name__ == "__main__":``
    guard would start the audit again in every worker and each would fail.  Workers need
    nothing from the main module (they run ``sigaudit.scan._inspect_item``), so while they
    are started the main module does not say where it came from."""
    method = context.get_start_method() if context is not None else _default_start_method()
    main = sys.modules.get("__main__")
    if method == "fork" or main is None:
        yield
        return
    saved = {k: main.__dict__[k] for k in ("__file__", "__spec__") if k in main.__dict__}
    try:
        main.__dict__.pop("__file__", None)
        main.__spec__ = None
        yield
    finally:
        main.__dict__.pop("__spec__", None)
        main.__dict__.update(saved)


def _default_start_method() -> str:
    import multiprocessing

    return multiprocessing.get_start_method(allow_none=False)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop a pool's workers at once (terminate, then kill what is left)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=2)
        if process.is_alive():
            process.kill()
