"""Run the per-document work on a Dask cluster (``pip install 'sigaudit[dask]'``).

The scheduler and workers are Dask's (``dask.distributed``): a ``LocalCluster`` for one
machine, or any running cluster — dask-jobqueue on HPC, dask-kubernetes, Coiled — given by
its address.  Each task is one document: the worker reads the file itself (a path on shared
storage, or an fsspec URL such as ``s3://bucket/evidence/KH-45.pdf``), looks it up in the
content cache when one is given (a shared folder works across workers), validates it and
returns its evidence.  The client merges results with the same code as a local run, so the
report is the same.

Failures: when a worker dies, Dask gives its running document to another worker.  A document
that kills its worker again is reported as an ``INTERNAL_ERROR`` entry and the run goes on —
with ``local`` clusters sigaudit sets ``distributed.scheduler.allowed-failures`` to 1 for
that; set it in the configuration of a cluster you run yourself (docs/scale-out.md).
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from sigaudit.cache import EvidenceCache
from sigaudit.errors import UsageError
from sigaudit.model import DocumentError, DocumentEvidence, Problem, Settings

log = logging.getLogger(__name__)


def _require_dask() -> Any:
    try:
        import dask.distributed
    except ImportError as exc:
        raise UsageError(key="dask_missing") from exc
    return dask.distributed


class DaskExecutor:
    """A Dask client sigaudit may have started itself (``local``/``local:N``), or one given.

    Use as a context manager, or call ``close()``: a cluster sigaudit started is shut down
    with it; a client or address the caller gave is only disconnected.
    """

    def __init__(self, spec: Any) -> None:
        distributed = _require_dask()
        self._cluster = None
        self._own_client = True
        if isinstance(spec, distributed.Client):
            self.client = spec
            self._own_client = False
        elif isinstance(spec, str) and (spec == "local" or spec.startswith("local:")):
            import dask

            workers = int(spec.split(":", 1)[1]) if ":" in spec else (os.cpu_count() or 1)
            if workers < 1:
                raise UsageError("--dask local:N needs N ≥ 1 workers.")
            with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
                self._cluster = distributed.LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=":0",
                )
            self.client = distributed.Client(self._cluster)
        elif isinstance(spec, str):
            try:
                self.client = distributed.Client(spec, timeout="30s")
            except OSError as exc:
                raise UsageError(key="dask_unreachable", spec=spec, detail=str(exc)) from exc
        else:
            raise UsageError(key="dask_spec", spec=spec)

    def workers(self) -> int:
        try:
            return max(1, len(self.client.scheduler_info().get("workers", {})))
        except Exception:
            return 1

    def close(self) -> None:
        if self._own_client:
            self.client.close()
        if self._cluster is not None:
            self._cluster.close()

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _task(item: Any, settings: Settings, cache: EvidenceCache | None) -> DocumentEvidence:
    """What a worker runs for one document: cache lookup, else validation (and caching)."""
    from sigaudit.scan import _cache_hit, _inspect_item

    hit = _cache_hit(item, cache)
    return hit if hit is not None else _inspect_item(item, settings, cache)


def _batch_task(items: list[Any], settings: Settings, cache: EvidenceCache | None, task: Any) -> list[DocumentEvidence]:
    return [task(item, settings, cache) for item in items]


BATCH = 4
"""Documents per Dask task: enough to amortise scheduling (~25 % of the time with single
documents), few enough that results stream and a lost worker costs little."""


def run_dask(
    items: Iterable[Any],
    settings: Settings,
    executor: DaskExecutor,
    cache: EvidenceCache | None,
    *,
    task: Any = None,
    batch: int = BATCH,
) -> Iterator[DocumentEvidence]:
    """Evidence of every item, computed on the cluster, yielded as it arrives.

    Documents go in tasks of ``batch``; at most 4 tasks per worker are submitted at a time,
    so the client's memory stays flat.  When a worker dies, Dask reruns its task elsewhere;
    a task that fails again (``KilledWorker``) is split into one task per document, run alone
    one after another, so only the document that kills workers ends as an error entry.  ``task`` replaces the
    per-document function (tests inject faults with it).
    """
    distributed = _require_dask()
    client = executor.client
    one = task or _task
    run_id = uuid.uuid4().hex[:12]
    completed = distributed.as_completed()
    pending: dict[Any, list[Any]] = {}
    limit = 4 * executor.workers()
    queue = iter(items)
    counter = 0

    def submit(group: list[Any]) -> None:
        nonlocal counter
        counter += 1
        future = client.submit(_batch_task, group, settings, cache, one, key=f"sigaudit-{run_id}-{counter}", pure=False)
        pending[future] = group
        completed.add(future)

    suspects: list[Any] = []

    def refill() -> None:
        if suspects:
            # Documents of a task that failed run alone on the cluster, one at a time: a
            # document that kills workers then takes no innocent task down with it.
            if not pending:
                submit([suspects.pop()])
            return
        while len(pending) < limit:
            group = [item for _, item in zip(range(batch), queue, strict=False)]
            if not group:
                return
            submit(group)

    refill()
    while pending:
        future = next(completed)
        group = pending.pop(future)
        try:
            results = future.result()
        except Exception as exc:
            if len(group) > 1:
                log.warning("a task of %d documents failed (%s); retrying them one by one", len(group), exc)
                suspects.extend(reversed(group))
                results = []
            else:
                results = [_failure(group[0], exc)]
        finally:
            future.release()
        yield from results
        refill()


def _failure(item: Any, exc: BaseException) -> DocumentEvidence:
    killed = type(exc).__name__ == "KilledWorker"
    problem = (
        Problem.of("error.worker_crashed")
        if killed
        else Problem.of("error.cluster_failed", f"{type(exc).__name__}: {exc}")
    )
    log.error("document %s failed on the cluster: %s", item.display_path, exc)
    return DocumentEvidence(
        path=item.display_path,
        sha256=None,
        folder_office=item.folder_office,
        error=DocumentError("INTERNAL_ERROR", problem),
    )
