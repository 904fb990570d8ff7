"""The public entry points: ``audit`` (many files) and ``inspect`` (one document)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sigaudit._version import __version__
from sigaudit.baseline import Baseline
from sigaudit.cache import EvidenceCache
from sigaudit.checks import evaluate
from sigaudit.checks.register import document_findings, report_findings, with_findings
from sigaudit.errors import UsageError
from sigaudit.model import DocumentResult, OfficeStats, Settings
from sigaudit.register import TOLERANCE_DAYS, Ledger, Register, read_register
from sigaudit.regularity import Months
from sigaudit.rules import RuleSet, default_rules, load_rules, points_by_area
from sigaudit.scan import Discovery, discover, run
from sigaudit.scoring import Deductions, OfficePoints
from sigaudit.tally import SpooledDocuments, Tally
from sigaudit.trust import load_trust

SCHEMA_VERSION = "1.15"

PathLike = str | os.PathLike[str]


def validate_settings(settings: Settings) -> None:
    """Fail early, once, on settings that would fail every document."""
    try:
        ZoneInfo(settings.tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UsageError(key="unknown_tz", tz=settings.tz) from exc
    load_trust(settings.trust)
    if settings.ocr not in ("auto", "on", "off"):
        raise UsageError(key="ocr_mode", mode=settings.ocr)
    if settings.ocr == "on":
        from sigaudit.evidence.page.ocr import INSTALL_HINT, tesseract_version

        if tesseract_version() is None:
            raise UsageError(key="ocr_missing", hint=INSTALL_HINT)
    for key, kind in settings.signer_kinds:
        if kind not in ("person", "organization"):
            raise UsageError(key="signer_kind", name=key, kind=kind)


@dataclass(frozen=True)
class AuditReport:
    """The finished audit: documents (sorted by path), offices, deductions, summary.

    ``documents`` is a tuple, or — for ``audit(..., spool=True)`` — a sequence read back
    from a temporary file, so that a report over any number of documents fits in memory.
    """

    settings: Settings
    documents: Sequence[DocumentResult]
    offices: tuple[OfficeStats, ...]
    generated_at: dt.datetime
    deductions: tuple[dict[str, Any], ...] = ()
    points_by_area: tuple[dict[str, Any], ...] = ()
    rules: RuleSet | None = None
    criteria: tuple[dict[str, Any], ...] = ()
    """Evidence criteria judged on a dossier (``audit_dossier``): id, name, status, documents,
    reasons, points lost."""
    dossier: dict[str, Any] | None = None
    """For a dossier: its year, office, warnings (folders or rows that match nothing) and the
    documents filed under no criterion."""
    register: Any = None
    """The register across documents (``sigaudit.register.LedgerResult``): series, anomalies,
    and — with ``register=`` — the office's register matched with the PDFs."""
    register_findings: tuple[Any, ...] = ()
    """The register's findings that belong to no PDF (``checks.register.ReportFinding``)."""
    schema_version: str = SCHEMA_VERSION
    tool_version: str = __version__
    extra: dict[str, Any] = field(default_factory=dict)
    tally: Tally | None = field(default=None, repr=False, compare=False)

    def __iter__(self) -> Iterator[DocumentResult]:
        return iter(self.documents)

    def __len__(self) -> int:
        return len(self.documents)

    def _tally(self) -> Tally:
        if self.tally is not None:
            return self.tally
        tally = Tally()
        for doc in self.documents:
            tally.add(doc)
        return tally

    def summary(self) -> dict[str, Any]:
        out = self._tally().summary()
        out["points_lost"] = {
            "total": round(sum(a["points_lost"] for a in self.points_by_area), 4),
            "by_area": list(self.points_by_area),
        }
        return out

    def statistics(self) -> list[dict[str, Any]]:
        return self._tally().statistics()

    def worst_severity_rank(self) -> int:
        ranks = [f.finding.severity.rank for f in self.register_findings]
        return max([self._tally().worst_rank, *ranks])

    def to_dict(self) -> dict[str, Any]:
        from sigaudit.report.json import report_to_dict

        return report_to_dict(self)

    def to_json(self, *, indent: int | None = 2) -> str:
        from sigaudit.report.json import dumps

        return dumps(self, indent=indent)


def _open_cache(cache: PathLike | EvidenceCache | None, settings: Settings) -> EvidenceCache | None:
    if cache is None or isinstance(cache, EvidenceCache):
        return cache
    return EvidenceCache.open(cache, settings)


def _evaluated(
    found: Discovery, settings: Settings, jobs: int, cache: EvidenceCache | None, executor: Any = None
) -> Iterator[DocumentResult]:
    for evidence in found.errors:
        yield evaluate(evidence, settings)
    if executor is None:
        stream = run(found.items, settings, jobs=jobs, cache=cache)
        for evidence in stream:
            yield evaluate(evidence, settings)
        return
    from sigaudit.distributed import DaskExecutor, run_dask

    owned = not isinstance(executor, DaskExecutor)
    dask = DaskExecutor(executor) if owned else executor
    try:
        for evidence in run_dask(found.items, settings, dask, cache):
            yield evaluate(evidence, settings)
    finally:
        if owned:
            dask.close()


def iter_audit(
    paths: Iterable[PathLike],
    *,
    settings: Settings | None = None,
    jobs: int = 1,
    cache: PathLike | EvidenceCache | None = None,
    executor: Any = None,
) -> Iterator[DocumentResult]:
    """Audit files and folders, yielding one result per document as it is ready.

    ``executor``: run the documents on a Dask cluster instead of local processes — a
    ``dask.distributed.Client``, a scheduler address (``"tcp://host:8786"``), or
    ``"local"`` / ``"local:N"`` to start a local cluster (``pip install 'sigaudit[dask]'``).
    """
    settings = settings or Settings()
    validate_settings(settings)
    yield from _evaluated(discover(paths), settings, jobs, _open_cache(cache, settings), executor)


def audit(
    paths: PathLike | Iterable[PathLike],
    *,
    settings: Settings | None = None,
    jobs: int = 1,
    on_result: Callable[[DocumentResult, int, int], None] | None = None,
    cache: PathLike | EvidenceCache | None = None,
    spool: bool = False,
    executor: Any = None,
    rules: RuleSet | str | os.PathLike[str] | None = None,
    baseline: Baseline | str | os.PathLike[str] | None = None,
    year: int | None = None,
    register: PathLike | Register | None = None,
    register_columns: Mapping[str, str] | None = None,
    register_office: str | None = None,
    register_tolerance_days: int = TOLERANCE_DAYS,
) -> AuditReport:
    """Audit PDF files and folders (recursively, ``*.pdf``) and build the report.

    ``year``: the assessment year, when the report is for one (the months of regular use
    are its twelve months; else each office's own range of months).

    ``on_result(result, done, total)`` is called as each document finishes (for
    progress displays).  Iterating the returned report yields its documents.
    ``cache``: a folder for the content cache (see ``sigaudit.cache``); ``spool``: keep
    finished documents in a temporary file instead of memory (for very large audits);
    ``executor``: a Dask client, scheduler address or ``"local[:N]"`` (see ``iter_audit``);
    ``rules``: a ``RuleSet`` or a TOML file (docs/rules.md); the default profile otherwise;
    ``baseline``: accepted findings to leave out (``sigaudit.baseline``);
    ``register``: the office's outgoing register (xlsx or csv, ``sigaudit.register``;
    ``register_columns`` maps a field — ``number``, ``date``, ``summary``, ``signer`` … — to
    the header the file uses, ``register_office`` names its office when it has no column for
    it).  The numbers are analysed across documents with or without it (docs/register.md);
    ``register_tolerance_days``: how many days a number may be dated before a lower one.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    settings = settings or Settings()
    validate_settings(settings)
    ruleset = rules if isinstance(rules, RuleSet) else (load_rules(rules) if rules is not None else default_rules())
    found = discover(paths)
    total = len(found)
    accepted_baseline = baseline if isinstance(baseline, Baseline) or baseline is None else Baseline.load(baseline)
    ledger = Ledger(register_tolerance_days)
    documents: list[DocumentResult] | SpooledDocuments = SpooledDocuments() if spool else []
    for done, result in enumerate(_evaluated(found, settings, jobs, _open_cache(cache, settings), executor), 1):
        ledger.add(result)
        documents.append(result)
        if on_result is not None:
            on_result(result, done, total)
    read = (
        read_register(register, register_columns)
        if register is not None and not isinstance(register, Register)
        else register
    )
    across = ledger.finish(read, register_office)
    extra = document_findings(across)
    # The register's findings join the documents' own before anything is counted: one pass
    # over the documents (read back from the spool when spooled).
    tally = Tally()
    regular = Months(year)
    scored, office_scored = Deductions(ruleset, year), OfficePoints(ruleset, year)
    rewrite = isinstance(documents, list) or bool(extra) or accepted_baseline is not None
    finished: list[DocumentResult] | SpooledDocuments = (SpooledDocuments() if spool else []) if rewrite else documents
    for result in documents:
        result = with_findings(result, extra.get(result.path, ()))
        regular.add(result, result.office_key or "")
        if accepted_baseline is not None:
            result, accepted = accepted_baseline.apply(result)
            tally.accepted += accepted
        tally.add(result)
        scored.add(result)
        office_scored.add(result)
        if rewrite:
            finished.append(result)
    if rewrite and isinstance(documents, SpooledDocuments):
        documents.close()
    if isinstance(finished, list):
        finished.sort(key=lambda r: r.path)
    if across.share:
        scored.use_register(across.share)
    entries = scored.result()
    office_points = office_scored.result()
    offices = tuple(
        replace(
            o,
            points_lost=office_points.get(o.key, 0.0),
            months_without_signed=tuple(regular.without(o.key)) if o.key else (),
        )
        for o in tally.offices()
    )
    return AuditReport(
        settings=settings,
        documents=tuple(finished) if isinstance(finished, list) else finished,
        offices=offices,
        generated_at=dt.datetime.now(dt.timezone.utc).astimezone(ZoneInfo(settings.tz)),
        deductions=tuple(entries),
        points_by_area=tuple(points_by_area(ruleset, entries)),
        rules=ruleset,
        tally=tally,
        register=across,
        register_findings=tuple(report_findings(across)),
    )


def audit_dossier(
    folder: PathLike,
    *,
    year: int | None,
    office: str | None,
    settings: Settings | None = None,
    rules: RuleSet | str | os.PathLike[str] | None = None,
    jobs: int = 1,
    cache: PathLike | EvidenceCache | None = None,
    on_result: Callable[[DocumentResult, int, int], None] | None = None,
) -> AuditReport:
    """Audit an evidence dossier (one folder per criterion, or a ``dossier.csv`` manifest)
    and judge each evidence criterion of the rule set for ``office`` in ``year``
    (see ``sigaudit.dossier``)."""
    from sigaudit.dossier import check_request, file_dossier, judge_dossier

    ruleset = rules if isinstance(rules, RuleSet) else (load_rules(rules) if rules is not None else default_rules())
    check_request(ruleset, year, office)
    assert year is not None and office is not None
    root = Path(folder)
    if not root.is_dir():
        raise UsageError(key="no_such_path", path=os.fspath(folder))
    filing = file_dossier(root, ruleset)
    # Regular use is a rate over everything the office signed in the year; a dossier holds
    # the evidence chosen for each criterion (the signing statistics among them), not that
    # population, so it is not judged on the dossier's documents.
    folder_rules = replace(ruleset, criteria=tuple(c for c in ruleset.criteria if c.rate != "regular_use"))
    report = audit(
        [root], settings=settings, jobs=jobs, cache=cache, rules=folder_rules, on_result=on_result, year=year
    )
    judged = judge_dossier(list(report.documents), filing, ruleset, year, office)
    criteria = tuple(j.to_json() for j in judged)
    lost = {a["area"]: a["points_lost"] for a in report.points_by_area}
    for j in judged:
        lost[j.criterion.area] = lost.get(j.criterion.area, 0.0) + j.points_lost
    areas = tuple({**a, "points_lost": round(min(lost[a["area"]], a["max_points"]), 4)} for a in report.points_by_area)
    dossier = {
        "year": year,
        "office": office,
        "warnings": [{"kind": kind, "name": name} for kind, name in filing.warnings],
        "unfiled": list(filing.unfiled),
    }
    return replace(report, criteria=criteria, dossier=dossier, points_by_area=areas)


def inspect(source: PathLike | bytes, *, settings: Settings | None = None, name: str | None = None) -> DocumentResult:
    """Audit one document, given as a path or as the bytes of a PDF."""
    settings = settings or Settings()
    validate_settings(settings)
    from sigaudit.evidence.document import inspect_bytes

    if isinstance(source, (bytes, bytearray, memoryview)):
        evidence = inspect_bytes(bytes(source), path=name or "<bytes>", settings=settings)
    else:
        from sigaudit.evidence.document import inspect_path

        evidence = inspect_path(str(source), display_path=name or Path(source).name, settings=settings)
    return evaluate(evidence, settings)
