"""The Excel workbook (openpyxl): sheets Documents, Offices, Statistics, Deductions and
Findings, with numbers and dates as Excel types, frozen headers, filters and column widths.

Texts from documents, certificates and file names are untrusted: a cell that Excel would
read as a formula is written as text (openpyxl stores strings as strings; a leading ``=``
is additionally quoted like the CSV writer does)."""

from __future__ import annotations

import datetime as dt
from typing import IO, Any

from sigaudit.report import tables as t
from sigaudit.report.base import Formatter, Report
from sigaudit.report.csvout import neutral
from sigaudit.report.i18n import word

_DATE_FORMAT = {"vi": "DD/MM/YYYY", "en": "YYYY-MM-DD"}
_ILLEGAL = {c: " " for c in range(32) if c not in (9, 10, 13)}


def workbook(report: Report, lang: str) -> Any:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE4EE")
    for table in t.all_tables(report, lang):
        sheet = book.create_sheet(word(f"sheet_{table.key}", lang)[:31])
        sheet.append(list(table.header))
        for cell in sheet[1]:
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in table.rows:
            sheet.append([_cell(v) for v in row])
        for column, width in enumerate(table.widths, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = width
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, dt.date):
                    cell.number_format = _DATE_FORMAT.get(lang, "YYYY-MM-DD")
                elif isinstance(cell.value, float):
                    cell.number_format = "0.00"
        sheet.freeze_panes = "A2"
        if table.rows:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.header))}{len(table.rows) + 1}"
    return book


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return neutral(value.translate(_ILLEGAL))  # control characters are not allowed in xlsx
    return value


class XlsxFormat(Formatter):
    name = "xlsx"
    extensions = (".xlsx",)
    help = "an Excel workbook: documents, offices, statistics, deductions, findings"
    help_vi = "sổ Excel: văn bản, cơ quan, thống kê, điểm trừ, phát hiện"
    binary = True

    def write(self, report: Report, stream: IO[Any], lang: str) -> None:
        workbook(report, lang).save(stream)
