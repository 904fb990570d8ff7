"""The register in the reports: the JSON section, and the register reconstructed from the
PDFs in the column order of Decree 30/2020 appendix IV.I, with each row's signature status
(for the Excel workbook, the Word report, the HTML page)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sigaudit.findings import term
from sigaudit.model import Severity
from sigaudit.names import shown
from sigaudit.register import FIELDS, Entry
from sigaudit.report.base import Report


def _day(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _codes(report: Report) -> dict[str, list[str]]:
    """Path → the register codes on that document (read from the report's documents only
    when the register found something)."""
    ledger = getattr(report, "register", None)
    if ledger is None or not ledger.entries:
        return {}
    out: dict[str, list[str]] = defaultdict(list)
    if ledger.anomalies or ledger.unregistered or ledger.mismatches:
        for doc in report.documents:
            for f in doc.findings:
                if f.code.startswith("REGISTER_"):
                    out[doc.path].append(f.code)
    return out


def signature_status(e: Entry) -> str:
    """``signed_org`` (a valid organisation signature), ``signed`` (valid, no organisation
    signature), ``not_signed``."""
    if e.signed_org:
        return "signed_org"
    return "signed" if e.signed else "not_signed"


def register_to_dict(report: Report) -> dict[str, Any] | None:
    ledger = getattr(report, "register", None)
    if ledger is None:
        return None
    source = ledger.register
    rows_of = dict((path, row) for row, path in ledger.matched)
    codes = _codes(report)
    return {
        "source": shown(source.path) if source is not None else None,
        "office": ledger.register_office,
        "columns": dict(source.columns) if source is not None else {},
        "rows": len(source.rows) if source is not None else 0,
        "series": [
            {
                "office": s.office,
                "year": s.year,
                "issuer": s.issuer,
                "legal": s.legal,
                "doc_type": s.doc_type,
                "label": s.label,
                "documents": len(s.entries),
                "first": s.entries[0].number.number,
                "last": s.entries[-1].number.number,
            }
            for s in ledger.series
        ],
        "findings": [
            {
                "code": r.finding.code,
                "severity": r.finding.severity.value,
                "message": r.finding.message,
                "message_vi": r.finding.message_vi,
                "office": r.office,
                "series": r.series,
                "documents": [shown(p) for p in r.documents],
                "rows": list(r.rows),
            }
            for r in getattr(report, "register_findings", ())
        ],
        "share": [{k: v for k, v in row.items() if k != "office_key"} for row in ledger.share],
        "entries": [
            {
                "number": e.text,
                "date": _day(e.date),
                "doc_type": e.doc_type,
                "summary": e.summary,
                "signer": e.signer,
                "office": e.office,
                "path": shown(e.path) if e.path is not None else None,
                "register_row": rows_of.get(e.path or ""),
                "signature": signature_status(e),
                "verdict": e.verdict,
                "codes": codes.get(e.path or "", []),
            }
            for e in ledger.entries
        ],
    }


COLUMNS: dict[str, tuple[str, str]] = {
    "number": ("Số, ký hiệu văn bản", "Number and symbol"),
    "date": ("Ngày tháng văn bản", "Date"),
    "summary": ("Tên loại và trích yếu nội dung văn bản", "Type and subject"),
    "signer": ("Người ký", "Signer"),
    "recipients": ("Nơi nhận văn bản", "Recipients"),
    "keeper": ("Đơn vị, người nhận bản lưu", "Unit or person keeping the file copy"),
    "copies": ("Số lượng bản", "Copies"),
    "sent": ("Ngày chuyển", "Date sent"),
    "receipt": ("Ký nhận", "Received (signature)"),
    "note": ("Ghi chú", "Notes"),
    "signature": ("Chữ ký số", "Digital signature"),
    "file": ("Tệp", "File"),
}
assert tuple(COLUMNS)[: len(FIELDS)] == FIELDS


def register_table(report: Report, lang: str) -> tuple[list[str], list[list[Any]]]:
    """(headers, rows) of the register reconstructed from the PDFs, office by office in
    number order; fields only the office's register knows (recipients…) are taken from
    its matched row; the notes name the register's findings on the document."""
    ledger = getattr(report, "register", None)
    i = 0 if lang == "vi" else 1
    headers = [COLUMNS[k][i] for k in COLUMNS]
    if ledger is None:
        return headers, []
    by_row = {r.row: dict(r.values) for r in ledger.register.rows} if ledger.register is not None else {}
    rows_of = dict((path, row) for row, path in ledger.matched)
    codes = _codes(report)
    out = []
    for e in ledger.entries:
        known = by_row.get(rows_of.get(e.path or "", -1), {})
        notes = [term_code(c, lang) for c in dict.fromkeys(codes.get(e.path or "", []))]
        out.append(
            [
                e.text,
                e.date,
                e.summary or known.get("summary") or "",
                e.signer or known.get("signer") or "",
                known.get("recipients", ""),
                known.get("keeper", ""),
                known.get("copies", ""),
                known.get("sent", ""),
                known.get("receipt", ""),
                "; ".join(filter(None, [known.get("note", ""), *notes])),
                term_status(signature_status(e), lang),
                e.path or "",
            ]
        )
    return headers, out


def term_status(status: str, lang: str) -> str:
    from sigaudit.findings import Term

    return term(Term.of(f"register_signature.{status}", fallback=status), lang)


def term_code(code: str, lang: str) -> str:
    from sigaudit.findings import title

    return title(code, lang)


def share_table(report: Report, lang: str) -> tuple[list[str], list[list[Any]]]:
    """The signed share per office and month over the register, beside the PDFs'."""
    ledger = getattr(report, "register", None)
    headers = (
        [
            "Cơ quan",
            "Tháng",
            "Đã đăng ký",
            "Có tệp PDF",
            "Có chữ ký số cơ quan",
            "Tỷ lệ theo sổ",
            "Tệp PDF",
            "Tệp PDF ký số hợp lệ",
            "Tỷ lệ theo tệp",
        ]
        if lang == "vi"
        else [
            "Office",
            "Month",
            "Registered",
            "With a PDF",
            "With an organisation signature",
            "Share (register)",
            "PDFs",
            "PDFs validly signed",
            "Share (PDFs)",
        ]
    )
    if ledger is None:
        return headers, []
    rows = [
        [
            r["office"],
            r["month"],
            r["registered"],
            r["with_pdf"],
            r["signed_org"],
            r["registered_signed_rate"],
            r["pdfs"],
            r["pdfs_signed"],
            r["pdf_signed_rate"],
        ]
        for r in ledger.share
    ]
    return headers, rows


def worst(report: Report) -> Severity | None:
    found = [r.finding.severity for r in getattr(report, "register_findings", ())]
    return max(found, key=lambda s: s.rank) if found else None


def register_notes(report: Report) -> list[Any]:
    """The register's findings that belong to no document, errors first."""
    found = list(getattr(report, "register_findings", ()))
    return sorted(found, key=lambda r: -r.finding.severity.rank)


def share_lines(report: Report, lang: str) -> list[str]:
    """One line per office and month: the share over the register beside the PDFs'."""
    ledger = getattr(report, "register", None)
    if ledger is None:
        return []
    out = []
    for r in ledger.share:
        month = r["month"] or "?"
        if lang == "vi" and r["month"]:
            month = f"{month[5:]}/{month[:4]}"
        pdf = f"{r['pdf_signed_rate']:.0%}" if r["pdf_signed_rate"] is not None else "—"
        if lang == "vi":
            out.append(
                f"{r['office']}, {month}: {r['signed_org']}/{r['registered']} văn bản trong sổ có chữ ký số "
                f"của cơ quan ({r['registered_signed_rate']:.0%}); {r['with_pdf']} có tệp PDF; theo tệp PDF: "
                f"{r['pdfs_signed']}/{r['pdfs']} ({pdf})"
            )
        else:
            out.append(
                f"{r['office']}, {month}: {r['signed_org']}/{r['registered']} registered documents signed by "
                f"the organisation ({r['registered_signed_rate']:.0%}); {r['with_pdf']} with a PDF; over the "
                f"PDFs: {r['pdfs_signed']}/{r['pdfs']} ({pdf})"
            )
    return out
