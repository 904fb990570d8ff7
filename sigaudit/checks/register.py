"""Findings across documents: the register (``sigaudit.register``) as findings.

Document findings (a duplicated number, a number out of order, a PDF the register does not
list, a field the register gives differently) join the document's own, and its verdict is
judged again; the rest (gaps, registered documents without a PDF, a register that cannot be
read) are findings of the report, each naming the office, the documents and the rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import PurePath

from sigaudit.checks import judgements
from sigaudit.findings import finding
from sigaudit.model import DocumentResult, Finding
from sigaudit.names import shown
from sigaudit.register import Anomaly, Entry, LedgerResult, Mismatch, Problem

_SHOWN_RANGES = 12


@dataclass(frozen=True)
class ReportFinding:
    """A finding about the register rather than one document."""

    finding: Finding
    office: str | None = None
    series: str | None = None
    documents: tuple[str, ...] = ()
    rows: tuple[int, ...] = ()


def _named(e: Entry) -> str:
    return shown(e.path) if e.path is not None else f"#{e.row}"


def _dated(e: Entry) -> str:
    return f"{_named(e)} ({e.date:%d/%m/%Y})" if e.date else _named(e)


def _anomaly(a: Anomaly) -> Finding | None:
    e = a.entry
    if a.kind == "duplicate" and e is not None:
        return finding(
            "REGISTER_DUPLICATE",
            number=e.text,
            date=e.date,
            others=tuple(_dated(o) for o in a.others),
        )
    if a.kind == "out_of_order" and e is not None:
        other = a.others[0]
        return finding(
            "REGISTER_OUT_OF_ORDER",
            "later" if a.later else "earlier",
            number=e.text,
            date=e.date,
            other=other.text,
            other_date=other.date,
            other_file=_named(other),
            days=a.days,
        )
    return None


def _ranges(missing: tuple[tuple[int, int], ...]) -> tuple[str, ...]:
    ranges = tuple(str(a) if a == b else f"{a}–{b}" for a, b in missing[:_SHOWN_RANGES])
    return ranges + (("…",) if len(missing) > _SHOWN_RANGES else ())


def _mismatch(m: Mismatch) -> Finding:
    params = dict(number=m.entry.text, row=m.row.row, registered=m.registered, printed=m.printed)
    if m.field == "date":
        return finding("REGISTER_MISMATCH", "date", **params)
    if m.field == "type":
        return finding("REGISTER_MISMATCH", "type", **params)
    return finding("REGISTER_MISMATCH", "signer", **params)


def _problem(p: Problem, register: str) -> Finding:
    if p.kind == "file":
        return finding("REGISTER_UNREADABLE", "file", register=register)
    if p.kind == "format":
        return finding("REGISTER_UNREADABLE", "format", register=register)
    if p.kind == "headers":
        return finding("REGISTER_UNREADABLE", "headers", register=register)
    if p.kind == "date":
        return finding("REGISTER_ROW", "date", register=register, row=p.row, value=p.value)
    if p.kind == "number":
        return finding("REGISTER_ROW", "number", register=register, row=p.row, value=p.value)
    return finding("REGISTER_ROW", "no_number", register=register, row=p.row)


def _file(ledger: LedgerResult) -> str:
    """The register as messages name it: its file's name (the page keeps it in a temporary
    folder the clerk never sees)."""
    return shown(PurePath(ledger.register.path).name) if ledger.register is not None else ""


def document_findings(ledger: LedgerResult) -> dict[str, tuple[Finding, ...]]:
    """Path → the register's findings about that PDF."""
    out: dict[str, list[Finding]] = defaultdict(list)
    for a in ledger.anomalies:
        f = _anomaly(a)
        if f is not None and a.entry is not None and a.entry.path is not None:
            out[a.entry.path].append(f)
    register = _file(ledger)
    for e in ledger.unregistered:
        if e.path is not None:
            out[e.path].append(finding("REGISTER_NOT_REGISTERED", number=e.text, register=register))
    for m in ledger.mismatches:
        if m.entry.path is not None:
            out[m.entry.path].append(_mismatch(m))
    return {path: tuple(fs) for path, fs in out.items()}


def report_findings(ledger: LedgerResult) -> Iterator[ReportFinding]:
    """The register's findings that belong to no PDF, in a stable order."""
    register = _file(ledger)
    if ledger.register is not None:
        for p in ledger.register.problems:
            yield ReportFinding(_problem(p, register), rows=(p.row,) if p.row else ())
    for a in ledger.anomalies:
        if a.kind == "gap":
            first, last = a.series.entries[0], a.series.entries[-1]
            f = finding(
                "REGISTER_GAP",
                office=a.series.office,
                series=a.series.label,
                first=first.number.number,
                last=last.number.number,
                count=sum(hi - lo + 1 for lo, hi in a.missing),
                missing=_ranges(a.missing),
            )
            yield ReportFinding(f, office=a.series.office, series=a.series.label)
        elif a.kind == "unproven" and a.entry is not None:
            other = a.others[0]
            f = finding(
                "REGISTER_OUT_OF_ORDER",
                "unproven",
                office=a.series.office,
                series=a.series.label,
                count=a.count,
                number=a.entry.text,
                date=a.entry.date,
                other=other.text,
                other_date=other.date,
            )
            docs = tuple(e.path for e in (a.entry, other) if e.path)
            rows = tuple(e.row for e in (a.entry, other) if e.row)
            yield ReportFinding(f, office=a.series.office, series=a.series.label, documents=docs, rows=rows)
        elif a.entry is not None and a.entry.path is None:  # a register row's duplicate or order
            f = _anomaly(a)
            if f is not None:
                rows = (a.entry.row,) if a.entry.row else ()
                others = tuple(o.path for o in a.others if o.path)
                yield ReportFinding(f, office=a.series.office, series=a.series.label, documents=others, rows=rows)
    for row in ledger.missing_pdf:
        f = finding("REGISTER_PDF_MISSING", row=row.row, number=row.text, date=row.date, summary=row.summary)
        yield ReportFinding(f, office=ledger.register_office, rows=(row.row,))


def with_findings(result: DocumentResult, extra: tuple[Finding, ...]) -> DocumentResult:
    """The result with the register's findings added and its verdict judged again."""
    if not extra:
        return result
    findings = result.findings + extra
    return replace(result, findings=findings, verdict=judgements.verdict(findings))
