"""CSV tables for spreadsheets: documents, offices, deductions, statistics.

UTF-8 with a byte-order mark (Excel then shows Vietnamese correctly).  A cell that starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed with ``'`` so that a
spreadsheet never runs it as a formula (file names and certificate names are untrusted).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import IO, Any

from sigaudit.report.base import Formatter, Report
from sigaudit.report.i18n import basis_text, code_title, name_in, word

BOM = "\ufeff"
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def neutral(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def _table(header: list[str], rows: list[list[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([neutral(h) for h in header])
    for row in rows:
        writer.writerow([neutral(v) for v in row])
    return BOM + buf.getvalue()


def documents_csv(report: Report, lang: str) -> str:
    header = [
        word(k, lang)
        for k in (
            "path",
            "office",
            "number",
            "doc_type",
            "issuance_date",
            "signing_date",
            "signed",
            "signed_person_and_org",
            "date_consistent",
        )
    ] + [word("findings", lang), word("code", lang)]
    rows = []
    for d in report.documents:
        h = d.evidence.header
        yes, no = word("yes", lang), word("no", lang)
        rows.append(
            [
                d.path,
                d.office or "",
                h.number or "",
                h.doc_type or "",
                h.issuance_date.isoformat() if h.issuance_date else "",
                d.signing_date.isoformat() if d.signing_date else "",
                yes if d.signed else no,
                yes if d.signed_person_and_org else no,
                yes if d.date_consistent else no,
                "; ".join(code_title(f.code, lang) for f in d.findings),
                " ".join(sorted({f.code for f in d.findings})),
            ]
        )
    return _table(header, rows)


def offices_csv(report: Report, lang: str) -> str:
    header = [word(k, lang) for k in ("office", "documents", "signed", "signed_person_and_org", "date_consistent")]
    return _table(
        header, [[o.office, o.documents, o.signed, o.signed_person_and_org, o.date_consistent] for o in report.offices]
    )


def deductions_csv(report: Report, lang: str) -> str:
    header = [word(k, lang) for k in ("criterion", "area", "max_points", "lost", "basis", "documents")]
    return _table(
        header,
        [
            [
                name_in(d, lang),
                d["area"],
                d["max_points"],
                d["points_lost"],
                basis_text(d["basis"], lang),
                " ".join(d["documents"]),
            ]
            for d in report.deductions
        ],
    )


def statistics_csv(report: Report, lang: str) -> str:
    header = [
        word(k, lang)
        for k in ("office", "month", "doc_type", "documents", "signed", "signed_person_and_org", "date_consistent")
    ]
    return _table(
        header,
        [
            [
                s["office"],
                s["month"],
                s["doc_type"],
                s["documents"],
                s["signed"],
                s["signed_person_and_org"],
                s["date_consistent"],
            ]
            for s in report.statistics()
        ],
    )


_SIDE_TABLES = (".offices", ".deductions", ".statistics")


def tables(report: Report, lang: str) -> dict[str, str]:
    """Suffix → CSV text: "" is the documents table; the others go beside it."""
    return {
        "": documents_csv(report, lang),
        ".offices": offices_csv(report, lang),
        ".deductions": deductions_csv(report, lang),
        ".statistics": statistics_csv(report, lang),
    }


def sibling(path: str, suffix: str) -> str:
    p = Path(path)
    return str(p.with_name(f"{p.stem}{suffix}{p.suffix or '.csv'}")) if suffix else str(p)


class CsvFormat(Formatter):
    name = "csv"
    extensions = (".csv",)
    help = "spreadsheet tables: FILE (documents) plus FILE.offices.csv, FILE.deductions.csv, FILE.statistics.csv"

    def write(self, report: Report, stream: IO[Any], lang: str) -> None:
        stream.write(documents_csv(report, lang))

    def targets(self, target: str) -> list[str]:
        return [sibling(target, suffix) for suffix in ("", *_SIDE_TABLES)]

    def companions(self, report: Report, lang: str, target: str) -> list[tuple[str, Any]]:
        return [
            (sibling(target, suffix), (lambda text: lambda fh: fh.write(text))(text))
            for suffix, text in tables(report, lang).items()
            if suffix
        ]
