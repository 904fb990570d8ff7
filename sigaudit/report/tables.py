"""The report's tables, built once for the spreadsheet formats (CSV, Excel): documents,
offices, statistics, deductions and findings, with headers in the reader's language and
values kept as Python types (int, float, date) for the writer to render."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sigaudit.findings import how_to_fix
from sigaudit.names import shown
from sigaudit.report.base import Report
from sigaudit.report.i18n import (
    basis_text,
    code_title,
    criterion_rows,
    month_text,
    months_text,
    name_in,
    number_text,
    office_names,
    severity,
    word,
)
from sigaudit.report.register import register_table, share_table


@dataclass(frozen=True)
class Table:
    """One sheet: a name, column headers, rows of typed values."""

    key: str
    """The word key of its name (``documents``, ``offices``…)."""
    header: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    widths: tuple[int, ...] = ()
    """Column widths in characters, for the formats that have them."""


def _yes(value: bool, lang: str) -> str:
    return word("yes" if value else "no", lang)


def documents(report: Report, lang: str) -> Table:
    office = office_names(report, lang)
    keys = (
        "path", "office", "number", "doc_type", "issuance_date", "signing_date",
        "signed", "signed_person_and_org", "date_consistent", "verdict", "findings", "code",
    )  # fmt: skip
    rows = []
    for d in report.documents:
        h = d.evidence.header
        rows.append(
            (
                shown(d.path),
                office(d),
                number_text(h, lang) or "",
                h.doc_type or "",
                h.issuance_date,
                d.signing_date,
                _yes(d.signed, lang),
                _yes(d.signed_person_and_org, lang),
                _yes(d.date_consistent, lang),
                word(d.verdict.value, lang),
                "; ".join(code_title(f.code, lang) for f in d.findings),
                " ".join(sorted({f.code for f in d.findings})),
            )
        )
    return Table(
        "documents", tuple(word(k, lang) for k in keys), tuple(rows), (48, 34, 18, 8, 12, 12, 8, 10, 10, 14, 60, 30)
    )


def offices(report: Report, lang: str) -> Table:
    keys = ("office", "documents", "signed", "signed_person_and_org", "date_consistent", "passing", "points_lost",
            "months_without_signed")  # fmt: skip
    rows = tuple(
        (
            o.office if o.key else word("unattributed", lang),
            o.documents,
            o.signed,
            o.signed_person_and_org,
            o.date_consistent,
            o.passing,
            o.points_lost,
            months_text(o.months_without_signed, lang),
        )
        for o in report.offices
    )
    return Table("offices", tuple(word(k, lang) for k in keys), rows, (40, 10, 10, 14, 14, 10, 12, 30))


def statistics(report: Report, lang: str) -> Table:
    keys = ("office", "month", "doc_type", "documents", "signed", "signed_person_and_org", "date_consistent", "passing")
    unattributed = {o.office for o in report.offices if not o.key}
    rows = tuple(
        (
            word("unattributed", lang) if s["office"] in unattributed else s["office"],
            _month(s["month"], lang),
            s["doc_type"],
            s["documents"],
            s["signed"],
            s["signed_person_and_org"],
            s["date_consistent"],
            s["passing"],
        )
        for s in report.statistics()
    )
    return Table("statistics", tuple(word(k, lang) for k in keys), rows, (40, 10, 8, 10, 10, 14, 14, 10))


def deductions(report: Report, lang: str) -> Table:
    keys = ("criterion", "area", "max_points", "lost", "basis", "documents")
    rows = tuple(
        (
            name_in(d, lang),
            d.get("area_name", d["area"]) if lang == "vi" else d["area"],
            d["max_points"],
            d["points_lost"],
            basis_text(d["basis"], lang),
            " ".join(shown(p) for p in d["documents"]),
        )
        for d in report.deductions
    )
    return Table("deductions", tuple(word(k, lang) for k in keys), rows, (50, 24, 10, 10, 30, 60))


def findings(report: Report, lang: str) -> Table:
    office = office_names(report, lang)
    keys = ("path", "office", "severity", "code", "title", "message", "fix")
    rows = tuple(
        (
            shown(d.path),
            office(d),
            severity(f.severity.value, lang),
            f.code,
            code_title(f.code, lang),
            f.text(lang),
            how_to_fix(f.code, lang),
        )
        for d in report.documents
        for f in d.findings
    ) + tuple(
        (
            " ".join(shown(p) for p in r.documents) or word("register_whole", lang),
            r.office or "",
            severity(r.finding.severity.value, lang),
            r.finding.code,
            code_title(r.finding.code, lang),
            r.finding.text(lang),
            how_to_fix(r.finding.code, lang),
        )
        for r in getattr(report, "register_findings", ())
    )
    return Table("findings", tuple(word(k, lang) for k in keys), rows, (48, 34, 10, 28, 40, 80, 60))


def _month(month: str, lang: str) -> str:
    return month_text(month, lang)


def criteria(report: Report, lang: str) -> Table:
    keys = ("criterion", "title", "status", "lost", "reasons", "documents")
    return Table(
        "criteria", tuple(word(k, lang) for k in keys), tuple(criterion_rows(report, lang)), (8, 44, 24, 12, 60, 60)
    )


def register(report: Report, lang: str) -> Table:
    """The register reconstructed from the PDFs, Decree 30/2020 appendix IV.I columns."""
    header, rows = register_table(report, lang)
    rows = [[*r[:-1], shown(r[-1])] for r in rows]
    return Table(
        "register", tuple(header), tuple(tuple(r) for r in rows), (18, 12, 50, 22, 20, 20, 8, 12, 10, 40, 30, 40)
    )


def register_share(report: Report, lang: str) -> Table:
    """The signed share per office and month over the office's register, beside the PDFs'."""
    header, rows = share_table(report, lang)
    rows = [[r[0], _month(r[1], lang) if r[1] else "", *r[2:]] for r in rows]
    return Table("register_share", tuple(header), tuple(tuple(r) for r in rows), (40, 10, 12, 12, 14, 12, 10, 12, 12))


def register_tables(report: Report, lang: str) -> tuple[Table, ...]:
    ledger = getattr(report, "register", None)
    if ledger is None:
        return ()
    out = (register(report, lang),) if ledger.entries else ()
    return out + ((register_share(report, lang),) if ledger.share else ())


def all_tables(report: Report, lang: str) -> tuple[Table, ...]:
    dossier = (criteria(report, lang),) if getattr(report, "criteria", ()) else ()
    return (
        *dossier,
        documents(report, lang),
        offices(report, lang),
        statistics(report, lang),
        deductions(report, lang),
        findings(report, lang),
        *register_tables(report, lang),
    )


def text_value(value: Any, lang: str) -> Any:
    """A value as CSV writes it: dates and decimals in the reader's style."""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y") if lang == "vi" else value.isoformat()
    if value is None:
        return ""
    if isinstance(value, float):
        text = f"{value:.2f}"
        return text.replace(".", ",") if lang == "vi" else text
    return value
