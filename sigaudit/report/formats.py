"""The registry of report formats: the command line's ``--format`` choices and the
extensions ``-o`` recognises come from here.  To add a format, write a ``Formatter`` in its
own module and list it below (see CONTRIBUTING.md)."""

from __future__ import annotations

from pathlib import PurePath

from sigaudit.report.base import Formatter
from sigaudit.report.csvout import CsvFormat
from sigaudit.report.html import HtmlFormat
from sigaudit.report.json import JsonFormat
from sigaudit.report.markdown import MarkdownFormat
from sigaudit.report.text import TextFormat, VerdictFormat
from sigaudit.report.wordreport import DocxFormat
from sigaudit.report.xlsx import XlsxFormat

FORMATS: dict[str, Formatter] = {
    f.name: f
    for f in (
        JsonFormat(),
        TextFormat(),
        MarkdownFormat(),
        HtmlFormat(),
        CsvFormat(),
        XlsxFormat(),
        DocxFormat(),
        VerdictFormat(),
    )
}


def by_extension(path: str) -> Formatter | None:
    """The format a file name asks for by its extension, or None."""
    suffix = PurePath(path).suffix.lower()
    return next((f for f in FORMATS.values() if suffix in f.extensions), None)
