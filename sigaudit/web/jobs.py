"""Jobs of the clerks' page: a folder of uploads, one audit, its results and reports.

A job is created empty, receives files (``add_upload``), is started once, and is audited
by the one audit thread with the same ``audit()`` the command line runs (same workers, same
cache, same rule set): a clerk's page and ``python -m sigaudit`` give the same verdicts.
The uploaded files are deleted as soon as the audit has read them; the results and the
reports stay until the job has been unused for ``Limits.ttl_seconds``.
"""

from __future__ import annotations

import logging
import queue
import secrets
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo

from sigaudit.model import Settings
from sigaudit.web.uploads import Budget, Limits, Tracked, UploadRefused, create_new, safe_name, unique_path, unpack_zip

log = logging.getLogger(__name__)


@dataclass
class Job:
    id: str
    folder: Path
    budget: Budget
    state: str = "receiving"  # receiving → queued → running → done | failed
    total: int = 0
    documents: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    roots: list[Path] = field(default_factory=list)
    """What is audited, as the command line would be given it: each uploaded file by name,
    each zip archive's folder (paths inside it as the command line shows them)."""
    report: Any = None
    register: Path | None = None
    """The office's outgoing register (.xlsx or .csv) dropped with the PDFs, if any."""
    final: list[dict[str, Any]] | None = None
    """The documents as the register left them (its findings join theirs at the end)."""
    error: str | None = None
    receiving: int = 0
    """Uploads under way: the job starts only when none is."""
    lock: threading.Lock = field(default_factory=threading.Lock)
    touched: float = field(default_factory=time.monotonic)

    @property
    def files(self) -> Path:
        return self.folder / "files"


class JobStore:
    """All jobs of one server, the audit thread and the janitor."""

    def __init__(
        self,
        settings: Settings,
        *,
        limits: Limits | None = None,
        jobs: int = 1,
        cache: Any = None,
        rules: Any = None,
        root: Path | None = None,
    ) -> None:
        self.settings = settings
        self.limits = limits or Limits()
        self.workers = jobs
        self.cache = cache
        self.rules = rules
        self.root = Path(tempfile.mkdtemp(prefix="sigaudit-web-", dir=root))
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="sigaudit-audits", daemon=True)
        self._thread.start()

    # ------------------------------------------------------------------ jobs

    def create(self) -> Job:
        self.expire()
        with self._lock:
            if len(self._jobs) >= self.limits.max_jobs:
                raise UploadRefused("too_many_jobs", limit=self.limits.max_jobs)
            job_id = secrets.token_urlsafe(18)
            folder = self.root / job_id
            (folder / "files").mkdir(parents=True)
            (folder / "incoming").mkdir()
            job = Job(job_id, folder, Budget(self.limits))
            self._jobs[job_id] = job
            return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is not None:
                job.touched = time.monotonic()
            return job

    def delete(self, job_id: str) -> None:
        with self._lock:
            job = self._jobs.pop(job_id, None)
        if job is not None:
            shutil.rmtree(job.folder, ignore_errors=True)

    def expire(self, now: float | None = None) -> None:
        """Drop jobs unused for longer than the limit (not one being audited)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            old = [j for j in self._jobs.values() if now - j.touched > self.limits.ttl_seconds and j.state != "running"]
        for job in old:
            self.delete(job.id)

    def close(self) -> None:
        self._queue.put(None)
        shutil.rmtree(self.root, ignore_errors=True)

    # ------------------------------------------------------------------ uploads

    def receive(self, job: Job, name: str) -> Incoming:
        """Begin receiving one file for ``job`` (``name``: the client's label, nothing more)."""
        label = safe_name(name)
        with job.lock:
            if job.state != "receiving":
                raise UploadRefused("job_started")
            if label.lower().endswith(REGISTER_SUFFIXES) and job.register is not None:
                raise UploadRefused("register_twice", name=job.register.name)
            job.budget.take_file()
            target = unique_path(job.folder / "incoming", label)
            try:
                incoming = Incoming(self, job, label, target, create_new(target))
            except BaseException:
                job.budget.files -= 1
                raise
            job.receiving += 1
            return incoming

    # ------------------------------------------------------------------ audits

    def start(self, job: Job) -> None:
        with job.lock:
            if job.state != "receiving":
                raise UploadRefused("job_started")
            if job.receiving:
                raise UploadRefused("job_busy")
            if job.budget.files == 0:
                raise UploadRefused("no_files")
            job.state = "queued"
        self._queue.put(job)

    def _run(self) -> None:
        while True:
            try:
                job = self._queue.get(timeout=30)
            except queue.Empty:
                self.expire()  # the janitor: files and results of jobs nobody came back for
                continue
            if job is None:
                return
            if job.id not in self._jobs:
                continue
            job.state = "running"
            state = "done"
            try:
                self._audit(job)
            except Exception as exc:  # never the server: the job says it failed
                log.exception("audit of job %s failed", job.id)
                job.error = str(exc)
                state = "failed"
            finally:
                # The files are not needed once read: delete them now, keep the results —
                # before the job says it is over, so that "done" means they are gone.
                shutil.rmtree(job.folder / "files", ignore_errors=True)
                shutil.rmtree(job.folder / "incoming", ignore_errors=True)
                job.touched = time.monotonic()
            job.state = state

    def _audit(self, job: Job) -> None:
        from sigaudit.audit import audit
        from sigaudit.report.json import document_to_dict

        zone = ZoneInfo(self.settings.tz)

        def on_result(result: Any, done: int, total: int) -> None:
            job.total = total
            job.documents.append(present(document_to_dict(result, zone)))

        job.report = audit(
            job.roots,
            settings=self.settings,
            jobs=self.workers,
            cache=self.cache,
            rules=self.rules,
            on_result=on_result,
            register=job.register,
        )
        if any(f.code.startswith("REGISTER_") for d in job.report.documents for f in d.findings):
            job.final = [present(document_to_dict(d, zone)) for d in job.report.documents]
        job.total = len(job.documents)


REGISTER_SUFFIXES = (".xlsx", ".csv")
"""Files taken as the office's outgoing register (``sigaudit.register``), not as documents."""


class Incoming:
    """One file being received: ``write`` each chunk, then ``finish`` (or ``abort``)."""

    def __init__(self, store: JobStore, job: Job, label: str, path: Path, fh: BinaryIO) -> None:
        self.store, self.job, self.label, self.path, self.fh = store, job, label, path, fh
        self.size = 0

    def write(self, chunk: bytes) -> None:
        if not chunk:
            return
        self.job.budget.take_bytes(len(chunk), file_bytes=self.size + len(chunk))
        self.size += len(chunk)
        self.fh.write(chunk)

    def abort(self) -> None:
        self.fh.close()
        self.path.unlink(missing_ok=True)
        self.job.budget.give(1, self.size)
        with self.job.lock:
            self.job.receiving -= 1

    def finish(self) -> dict[str, Any]:
        """Keep the file (a PDF or anything else, audited by name) or unpack the archive."""
        self.fh.close()
        try:
            return self._keep()
        finally:
            with self.job.lock:
                self.job.receiving -= 1

    def _keep(self) -> dict[str, Any]:
        job, label = self.job, self.label
        if label.lower().endswith(REGISTER_SUFFIXES):  # the office's register, beside the PDFs
            return self._register()
        # A zip archive by its name: a Word or Excel file is a zip inside and is one document.
        if not label.lower().endswith(".zip"):
            target = unique_path(job.files, label)
            try:
                self.path.rename(target)
            except BaseException:
                self.path.unlink(missing_ok=True)
                job.budget.give(1, self.size)
                raise
            with job.lock:
                job.roots.append(target)  # audited by name, whatever its extension, as the command line does
            return {"name": target.name, "zip": False, "documents": 1, "bytes": self.size}
        job.budget.give(1, self.size)  # the archive itself is not audited; what it holds is
        into = unique_path(job.files, safe_name(label[:-4], "zip"))
        taken = Tracked(job.budget)
        try:
            unpacked = unpack_zip(self.path, into, taken)
        except BaseException:
            shutil.rmtree(into, ignore_errors=True)
            taken.give_back()
            raise
        finally:
            self.path.unlink(missing_ok=True)
        skipped = [_skipped(f"{into.name}/{entry}", why) for entry, why in unpacked.skipped]
        others = [p for p in unpacked.files if not p.name.lower().endswith(".pdf")]
        for path in others:
            if path.name.lower().endswith(REGISTER_SUFFIXES) and job.register is None:
                job.register = path  # read where it lies: the PDFs are audited, not this folder's other files
                continue
            skipped.append(_skipped(path.relative_to(job.files).as_posix(), "not_pdf"))
            job.budget.give(1, path.stat().st_size)
            path.unlink()
        with job.lock:
            job.skipped.extend(skipped)
            job.roots.append(into)
        return {"name": into.name, "zip": True, "documents": len(unpacked.files) - len(others), "skipped": skipped}

    def _register(self) -> dict[str, Any]:
        job = self.job
        folder = job.folder / "register"
        folder.mkdir(exist_ok=True)
        with job.lock:
            target = unique_path(folder, self.label)
            self.path.rename(target)
            if job.register is None:  # two sent at once: the first that arrived is kept
                job.register = target
        return {"name": target.name, "zip": False, "documents": 0, "register": True, "bytes": self.size}


def register_notes(report: Any) -> dict[str, Any]:
    """The register's findings about no one document, and the signed share over the
    register, in both languages (the page switches language without asking again)."""
    from sigaudit.report.register import register_notes as notes
    from sigaudit.report.register import share_lines

    return {
        "findings": [
            {
                "severity": r.finding.severity.value,
                "code": r.finding.code,
                "message": {"vi": r.finding.text("vi"), "en": r.finding.text("en")},
            }
            for r in notes(report)
        ],
        "share": {"vi": share_lines(report, "vi"), "en": share_lines(report, "en")},
    }


def both(key: str, **params: Any) -> dict[str, str]:
    """A sentence of the registry's ``[terms.web]`` in both languages (the page switches)."""
    from sigaudit.findings import Term, term

    return {lang: term(Term.of(f"web.{key}", **params), lang) for lang in ("vi", "en")}


def _skipped(name: str, reason: str) -> dict[str, Any]:
    """An entry of a zip archive that is not audited, and why, as the page lists it."""
    return {"name": name, "reason": reason, "message": both(f"skipped.{reason}")}


def present(doc: dict[str, Any]) -> dict[str, Any]:
    """A report document as the page shows it: the JSON report's entry plus the verdict's
    words in both languages (the page switches language without asking again)."""
    from sigaudit.report.i18n import word

    doc["verdict_label"] = {"vi": word(doc["verdict"], "vi"), "en": word(doc["verdict"], "en")}
    return doc
