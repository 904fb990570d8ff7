"""The public entry points: ``audit`` (many files) and ``inspect`` (one document)."""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sigaudit import __version__
from sigaudit.checks import deciding_signature, local_date, run_checks
from sigaudit.errors import UsageError
from sigaudit.inspect import inspect_bytes
from sigaudit.model import DocumentEvidence, DocumentResult, OfficeStats, Settings
from sigaudit.offices import aggregate, attribute_office, key_for
from sigaudit.scan import Discovery, discover, run
from sigaudit.trust import load_trust

SCHEMA_VERSION = "1.1"

PathLike = str | os.PathLike[str]


def validate_settings(settings: Settings) -> None:
    """Fail early, once, on settings that would fail every document."""
    try:
        ZoneInfo(settings.tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UsageError(f"Unknown time zone {settings.tz!r}.") from exc
    load_trust(settings.trust)


def evaluate(evidence: DocumentEvidence, settings: Settings) -> DocumentResult:
    """Facts → judgement: findings, office, signing date."""
    office = attribute_office(evidence) if evidence.error is None else evidence.folder_office
    sig = deciding_signature(evidence) if evidence.error is None else None
    signing_date = local_date(sig.signing_time, ZoneInfo(settings.tz)) if sig and sig.signing_time else None
    return DocumentResult(
        evidence=evidence,
        office=office,
        office_key=key_for(office),
        findings=run_checks(evidence, settings),
        signing_date=signing_date,
    )


@dataclass(frozen=True)
class AuditReport:
    """The finished audit: documents (sorted by path), offices, deductions, summary."""

    settings: Settings
    documents: tuple[DocumentResult, ...]
    offices: tuple[OfficeStats, ...]
    generated_at: dt.datetime
    deductions: tuple[dict[str, Any], ...] = ()
    schema_version: str = SCHEMA_VERSION
    tool_version: str = __version__
    extra: dict[str, Any] = field(default_factory=dict)

    def __iter__(self) -> Iterator[DocumentResult]:
        return iter(self.documents)

    def __len__(self) -> int:
        return len(self.documents)

    def summary(self) -> dict[str, Any]:
        severities: Counter[str] = Counter()
        codes: Counter[str] = Counter()
        for doc in self.documents:
            for f in doc.findings:
                severities[f.severity.value] += 1
                codes[f.code] += 1
        n = len(self.documents)
        signed = sum(d.signed for d in self.documents)
        return {
            "documents": n,
            "errors": sum(1 for d in self.documents if d.evidence.error is not None),
            "signed": signed,
            "unsigned": n - signed,
            "signed_person_and_org": sum(d.signed_person_and_org for d in self.documents),
            "date_consistent": sum(d.date_consistent for d in self.documents),
            "signed_rate": round(signed / n, 4) if n else 0.0,
            "findings_by_severity": {k: severities.get(k, 0) for k in ("error", "warning", "info")},
            "findings_by_code": dict(sorted(codes.items())),
        }

    def to_dict(self) -> dict[str, Any]:
        from sigaudit.report.json import report_to_dict

        return report_to_dict(self)

    def to_json(self, *, indent: int | None = 2) -> str:
        from sigaudit.report.json import dumps

        return dumps(self, indent=indent)


def _evaluated(found: Discovery, settings: Settings, jobs: int) -> Iterator[DocumentResult]:
    for evidence in found.errors:
        yield evaluate(evidence, settings)
    for evidence in run(found.items, settings, jobs=jobs):
        yield evaluate(evidence, settings)


def iter_audit(
    paths: Iterable[PathLike], *, settings: Settings | None = None, jobs: int = 1
) -> Iterator[DocumentResult]:
    """Audit files and folders, yielding one result per document as it is ready."""
    settings = settings or Settings()
    validate_settings(settings)
    yield from _evaluated(discover(paths), settings, jobs)


def audit(
    paths: PathLike | Iterable[PathLike],
    *,
    settings: Settings | None = None,
    jobs: int = 1,
    on_result: Callable[[DocumentResult, int, int], None] | None = None,
) -> AuditReport:
    """Audit PDF files and folders (recursively, ``*.pdf``) and build the report.

    ``on_result(result, done, total)`` is called as each document finishes (for
    progress displays).  Iterating the returned report yields its documents.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    settings = settings or Settings()
    validate_settings(settings)
    found = discover(paths)
    total = len(found)
    results: list[DocumentResult] = []
    for result in _evaluated(found, settings, jobs):
        results.append(result)
        if on_result is not None:
            on_result(result, len(results), total)
    results.sort(key=lambda r: r.path)
    return AuditReport(
        settings=settings,
        documents=tuple(results),
        offices=aggregate(results),
        generated_at=dt.datetime.now(dt.timezone.utc).astimezone(ZoneInfo(settings.tz)),
    )


def inspect(source: PathLike | bytes, *, settings: Settings | None = None, name: str | None = None) -> DocumentResult:
    """Audit one document, given as a path or as the bytes of a PDF."""
    settings = settings or Settings()
    validate_settings(settings)
    if isinstance(source, (bytes, bytearray, memoryview)):
        evidence = inspect_bytes(bytes(source), path=name or "<bytes>", settings=settings)
    else:
        from sigaudit.inspect import inspect_path

        evidence = inspect_path(str(source), display_path=name or Path(source).name, settings=settings)
    return evaluate(evidence, settings)
