"""CSV tables for spreadsheets: documents (FILE), offices, statistics, deductions and
findings (FILE.offices.csv, …), from the same tables as the Excel workbook.

UTF-8 with a byte-order mark (Excel then shows Vietnamese correctly); dates and decimals
in the reader's style.  A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is prefixed with ``'`` so that a spreadsheet never runs it as a formula
(file names and certificate names are untrusted).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import IO, Any

from sigaudit.report import tables as t
from sigaudit.report.base import Formatter, Report

BOM = "\ufeff"
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_SIDE_TABLES = (".offices", ".statistics", ".deductions", ".findings")


def neutral(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def render_table(table: t.Table, lang: str) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([neutral(h) for h in table.header])
    for row in table.rows:
        writer.writerow([neutral(t.text_value(v, lang)) for v in row])
    return BOM + buf.getvalue()


def tables(report: Report, lang: str) -> dict[str, str]:
    """Suffix → CSV text: "" is the documents table; the others go beside it."""
    return {
        "": render_table(t.documents(report, lang), lang),
        ".offices": render_table(t.offices(report, lang), lang),
        ".statistics": render_table(t.statistics(report, lang), lang),
        ".deductions": render_table(t.deductions(report, lang), lang),
        ".findings": render_table(t.findings(report, lang), lang),
        **({".criteria": render_table(t.criteria(report, lang), lang)} if getattr(report, "criteria", ()) else {}),
        **{f".{table.key}": render_table(table, lang) for table in t.register_tables(report, lang)},
    }


def sibling(path: str, suffix: str) -> str:
    p = Path(path)
    return str(p.with_name(f"{p.stem}{suffix}{p.suffix or '.csv'}")) if suffix else str(p)


class CsvFormat(Formatter):
    name = "csv"
    extensions = (".csv",)
    help = "spreadsheet tables: FILE (documents) and FILE.offices/.statistics/.deductions/.findings.csv"
    help_vi = "bảng tính: FILE (văn bản) và FILE.offices/.statistics/.deductions/.findings.csv"

    def write(self, report: Report, stream: IO[Any], lang: str) -> None:
        stream.write(render_table(t.documents(report, lang), lang))

    def targets(self, target: str) -> list[str]:
        return [sibling(target, suffix) for suffix in ("", *_SIDE_TABLES)]

    def companions(self, report: Report, lang: str, target: str) -> list[tuple[str, Any]]:
        return [
            (sibling(target, suffix), (lambda text: lambda fh: fh.write(text))(text))
            for suffix, text in tables(report, lang).items()
            if suffix
        ]
