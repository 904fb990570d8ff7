"""Read an outgoing-document register exported by an e-office system (xlsx or csv).

Columns are found by their Vietnamese headers (Decree 30/2020 appendix IV.I: "Số, ký hiệu
văn bản", "Ngày tháng văn bản", "Tên loại và trích yếu nội dung văn bản", "Người ký", "Nơi
nhận văn bản", …), compared without case, punctuation or diacritics, over one or two header
rows (merged cells are read as their top-left cell; a row of column numbers, "(1) (2) …", is
skipped).  ``columns`` maps a field to the header a file uses instead.

Dates are read from date cells, Excel serial numbers and text ("05/3/2025", "2025-03-05",
"ngày 05 tháng 3 năm 2025").  Blank rows and totals rows ("Tổng cộng") are skipped.  A row
that cannot be read is a ``Problem`` naming the row; a file that cannot be read is one
``Problem`` for the file — never an exception: the audit of the PDFs goes on.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import unicodedata
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sigaudit.register.entries import Number, parse_number

FIELDS = ("number", "date", "summary", "signer", "recipients", "keeper", "copies", "sent", "receipt", "note")
"""Decree 30/2020 appendix IV.I, in its column order."""
OPTIONAL_FIELDS = ("office", "doc_type")

# Folded header text → field: the first pattern a header contains decides.
_HEADERS: tuple[tuple[str, str], ...] = (
    ("ban luu", "keeper"),
    ("ngay chuyen", "sent"),
    ("ky nhan", "receipt"),
    ("so luong", "copies"),
    ("ky hieu", "number"),
    ("ki hieu", "number"),
    ("so hieu", "number"),
    ("trich yeu", "summary"),
    ("noi nhan", "recipients"),
    ("nguoi ky", "signer"),
    ("ghi chu", "note"),
    ("ngay thang", "date"),
    ("ngay ban hanh", "date"),
    ("ngay van ban", "date"),
    ("ngay ky", "date"),
    ("co quan ban hanh", "office"),
    ("don vi ban hanh", "office"),
    ("loai van ban", "doc_type"),
)
_MAX_HEADER_ROW = 25
_COLUMN_NUMBERS = re.compile(r"^\(?\d{1,2}\)?$")
_TOTALS = ("tong cong", "tong so", "cong:", "tong:")


@dataclass(frozen=True)
class Problem:
    """Why a register, or one of its rows, could not be read.  ``kind``: ``file`` (not a
    readable xlsx/csv file), ``format`` (a format it cannot be, e.g. .xls), ``headers`` (no
    "Số, ký hiệu" column), ``date`` (a date it cannot read), ``number`` (not a number and
    symbol), ``no_number`` (a row with content but no number)."""

    kind: str
    row: int | None = None
    value: str | None = None


@dataclass(frozen=True)
class Row:
    row: int
    """The row's number in the file (1 = first line), as a person finds it."""
    text: str
    number: Number
    date: dt.date | None
    summary: str | None = None
    signer: str | None = None
    office: str | None = None
    values: tuple[tuple[str, str], ...] = ()
    """Every Decree 30 field the file has, as text (for the register written back)."""


@dataclass(frozen=True)
class Register:
    path: str
    rows: tuple[Row, ...] = ()
    problems: tuple[Problem, ...] = ()
    columns: tuple[tuple[str, str], ...] = ()
    """Field → the header it was read from."""

    @property
    def readable(self) -> bool:
        return not any(p.row is None for p in self.problems)


def fold(text: str) -> str:
    """Lower case, no diacritics (đ → d), punctuation as blanks, blanks collapsed."""
    text = unicodedata.normalize("NFD", str(text)).replace("đ", "d").replace("Đ", "d")
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w:]+", " ", text).split())


def read_register(path: str | os.PathLike[str], columns: Mapping[str, str] | None = None) -> Register:
    """The register in ``path`` (.xlsx or .csv), read or refused row by row."""
    name = os.fspath(path)
    suffix = Path(name).suffix.lower()
    try:
        with open(name, "rb") as f:
            data = f.read()
    except OSError:
        return Register(name, problems=(Problem("file"),))
    if suffix == ".xls" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return Register(name, problems=(Problem("format"),))
    try:
        table = _xlsx(data) if data[:2] == b"PK" else _csv(data)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, csv.Error, UnicodeDecodeError, TypeError):
        return Register(name, problems=(Problem("file"),))
    return _read_table(name, table, columns or {})


def _xlsx(data: bytes) -> list[list[Any]]:
    import warnings

    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it drops
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    sheet = book.worksheets[0]
    table = [list(r) for r in sheet.iter_rows(values_only=True)]
    for merged in sheet.merged_cells.ranges:  # a merged header reads as its top-left cell
        if merged.min_row > _MAX_HEADER_ROW:
            continue
        value = table[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                if r - 1 < len(table) and c - 1 < len(table[r - 1]):
                    table[r - 1][c - 1] = value
    return table


def _csv(data: bytes) -> list[list[Any]]:
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1258 decodes nearly anything
        raise UnicodeDecodeError("utf-8", data, 0, 1, "not text")
    if "\x00" in text:
        raise ValueError("binary")
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [list(r) for r in csv.reader(io.StringIO(text), dialect)]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def _field_of(header: str, wanted: Mapping[str, str]) -> str | None:
    folded = fold(header)
    if not folded:
        return None
    for name, label in wanted.items():
        if fold(label) == folded:
            return name
    for pattern, name in _HEADERS:
        if pattern in folded and name not in wanted:
            return name
    return None


def _columns(labels: Sequence[str], wanted: Mapping[str, str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, label in enumerate(labels):
        name = _field_of(label, wanted)
        if name is not None and name not in found:
            found[name] = i
    return found


def _header(table: list[list[Any]], wanted: Mapping[str, str]) -> tuple[int, dict[str, int], list[str]] | None:
    """(first data row index, field → column, labels) of the best header within the first rows."""
    best: tuple[int, dict[str, int], list[str]] | None = None
    for h in range(min(len(table), _MAX_HEADER_ROW)):
        labels = [_cell(v) for v in table[h]]
        cols = _columns(labels, wanted)
        if "number" not in cols:
            continue
        start = h + 1
        if start < len(table):  # a second header row under merged group headings
            below = [_cell(v) for v in table[start]]
            joined = [
                f"{a} {b}".strip() if a != b else a
                for a, b in zip(labels, (below + [""] * len(labels))[: len(labels)], strict=True)
            ]
            more = _columns(joined, wanted)
            if len(more) > len(cols) and not any(parse_number(v) for v in below):
                labels, cols, start = joined, more, start + 1
        if best is None or len(cols) > len(best[1]):
            best = (start, cols, labels)
    return best


def _read_table(name: str, table: list[list[Any]], wanted: Mapping[str, str]) -> Register:
    found = _header(table, wanted)
    if found is None:
        return Register(name, problems=(Problem("headers"),))
    start, cols, labels = found
    rows: list[Row] = []
    problems: list[Problem] = []
    for index in range(start, len(table)):
        raw = table[index]
        cells = {f: raw[c] if c < len(raw) else None for f, c in cols.items()}
        texts = {f: _cell(v) for f, v in cells.items()}
        line = [_cell(v) for v in raw]
        if not any(line) or all(_COLUMN_NUMBERS.match(t) for t in line if t):
            continue
        if any(fold(t).startswith(_TOTALS) for t in line if t):
            continue
        number_text = texts.get("number", "")
        if not number_text:
            problems.append(Problem("no_number", index + 1))
            continue
        number = parse_number(number_text)
        if number is None:
            problems.append(Problem("number", index + 1, number_text))
            continue
        date = None
        if "date" in cols and texts["date"]:
            date = parse_date(cells["date"])
            if date is None:
                problems.append(Problem("date", index + 1, texts["date"]))
        rows.append(
            Row(
                row=index + 1,
                text=number_text,
                number=number,
                date=date,
                summary=texts.get("summary") or None,
                signer=texts.get("signer") or None,
                office=texts.get("office") or None,
                values=tuple((f, texts[f]) for f in FIELDS if f in texts),
            )
        )
    return Register(
        name,
        rows=tuple(rows),
        problems=tuple(problems),
        columns=tuple((f, labels[c]) for f, c in sorted(cols.items(), key=lambda kv: kv[1])),
    )


_TEXT_DATE = re.compile(r"ng[aà]y\s*(\d{1,2})\s*th[aá]ng\s*(\d{1,2})\s*n[aă]m\s*(\d{2,4})", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2,4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_date(value: Any) -> dt.date | None:
    """A register's date: a date cell, an Excel serial, or text in a Vietnamese form."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        return None
    text = unicodedata.normalize("NFC", str(value)).strip()
    if re.fullmatch(r"\d{5}(?:\.0+)?", text):
        return parse_date(float(text))
    parts: tuple[str, str, str] | None = None
    if (m := _TEXT_DATE.search(text)) or (m := _NUMERIC_DATE.match(text)):
        parts = (m[1], m[2], m[3])
    elif m := _ISO_DATE.match(text):
        parts = (m[3], m[2], m[1])
    if parts is None:
        return None
    day, month, year = (int(p) for p in parts)
    if year < 100:
        year += 2000
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
