"""The register across documents: the PDFs' numbers and dates as a register, joined with
the office's own register when one is given (``--register FILE``).

``Ledger`` collects one small ``Entry`` per numbered document as results arrive (O(1) each),
then ``finish`` analyses the series (``series.analyse``: O(n log n)), matches the register's
rows with the PDFs by number and symbol (then year, date and type), and counts the signed
share per office and month both ways: over the register ("registered documents with a valid
organisation signature / registered documents") and over the PDFs.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sigaudit.checks.judgements import counts
from sigaudit.evidence.page.numbers import DOC_TYPES
from sigaudit.evidence.page.ocr import CONFIDENT
from sigaudit.model import DocumentResult, SignerKind
from sigaudit.offices import key_for
from sigaudit.register.entries import Entry, parse_number
from sigaudit.register.reader import Register, Row, fold
from sigaudit.register.series import TOLERANCE_DAYS, Anomaly, Series, analyse, group


@dataclass(frozen=True)
class Mismatch:
    """A field the register and the PDF give differently: ``date``, ``type`` or ``signer``."""

    field: str
    entry: Entry
    row: Row
    registered: object
    printed: object


@dataclass(frozen=True)
class LedgerResult:
    series: tuple[Series, ...] = ()
    anomalies: tuple[Anomaly, ...] = ()
    register: Register | None = None
    register_office: str | None = None
    missing_pdf: tuple[Row, ...] = ()
    """Registered documents without a PDF."""
    unregistered: tuple[Entry, ...] = ()
    """PDFs of the register's office that it does not list."""
    mismatches: tuple[Mismatch, ...] = ()
    matched: tuple[tuple[int, str], ...] = ()
    """(register row, PDF path) pairs."""
    share: tuple[dict[str, object], ...] = ()
    """Per office and month: registered, with a PDF, with an organisation signature, the
    share; beside it the PDFs and the validly signed ones."""
    entries: tuple[Entry, ...] = field(default=(), repr=False)
    """The PDFs' entries, in register order (office, year, number)."""


def entry_of(result: DocumentResult) -> Entry | None:
    """The register line of a document: None when it has no readable number."""
    header = result.evidence.header
    number = parse_number(header.number)
    if number is None:
        return None
    confident = (header.confidence_for("issuance_date") or 0) >= CONFIDENT
    approvals = result.evidence.approval_signatures
    person = next((s.signer for s in approvals if s.kind is SignerKind.PERSON and s.signer), None)
    return Entry(
        number=number,
        text=header.number or number.key,
        office=result.office or "",
        office_key=result.office_key or "",
        date=header.issuance_date if confident else None,
        summary=header.subject or header.title,
        signer=person,
        path=result.path,
        sha256=result.evidence.sha256,
        signed_org=any(counts(s) and s.kind is SignerKind.ORGANIZATION for s in approvals),
        signed=result.signed,
        verdict=result.verdict.value,
    )


def _month(day: dt.date | None) -> str:
    return day.strftime("%Y-%m") if day else ""


class Ledger:
    """Collects the documents' register lines; ``finish`` analyses them."""

    def __init__(self, tolerance_days: int = TOLERANCE_DAYS) -> None:
        self.tolerance_days = tolerance_days
        self.entries: list[Entry] = []
        self.pdfs: Counter[tuple[str, str]] = Counter()
        self.pdfs_signed: Counter[tuple[str, str]] = Counter()

    def add(self, result: DocumentResult) -> None:
        entry = entry_of(result)
        if entry is not None:
            self.entries.append(entry)
        day = result.evidence.header.issuance_date or result.signing_date
        key = (result.office_key or "", _month(day))
        self.pdfs[key] += 1
        self.pdfs_signed[key] += result.signed

    def finish(self, register: Register | None = None, office: str | None = None) -> LedgerResult:
        entries = sorted(self.entries, key=lambda e: (e.office_key, e.number.number, e.number.suffix, e.name))
        if register is None or not register.rows:
            return LedgerResult(
                series=tuple(group(entries)),
                anomalies=tuple(analyse(entries, self.tolerance_days)),
                register=register,
                entries=tuple(entries),
            )
        return self._with_register(entries, register, office)

    def _with_register(self, entries: list[Entry], register: Register, office: str | None) -> LedgerResult:
        # A register with a column of offices is matched office by office; one without is
        # one office's, which the PDFs it matches name (unless ``office`` says it).
        by_key: dict[tuple[str | None, str], list[Row]] = defaultdict(list)
        for row in register.rows:
            by_key[(key_for(row.office) if row.office else None, row.number.key)].append(row)
        matched: dict[int, list[Entry]] = defaultdict(list)
        unmatched: list[Entry] = []
        for e in entries:
            rows = by_key.get((e.office_key, e.number.key)) or by_key.get((None, e.number.key))
            if rows:
                matched[_best(rows, e).row].append(e)
            else:
                unmatched.append(e)
        office_key, office_name = _register_office(register, office, matched)
        if office_key is not None:  # a PDF of another office matched a row by its number alone
            own = {r.row for r in register.rows if not r.office}
            for row in [r for r in matched if r in own]:
                keep = [e for e in matched[row] if e.office_key == office_key]
                unmatched += [e for e in matched[row] if e.office_key != office_key]
                if keep:
                    matched[row] = keep
                else:
                    del matched[row]
        rows_by_number = {r.row: r for r in register.rows}
        mismatches = [m for row, es in sorted(matched.items()) for e in es for m in _compare(rows_by_number[row], e)]
        missing = tuple(r for r in register.rows if r.row not in matched)
        series_entries = list(entries) + [_row_entry(r, office_key, office_name) for r in missing]
        unregistered = tuple(e for e in unmatched if office_key is None or e.office_key == office_key)
        return LedgerResult(
            series=tuple(group(series_entries)),
            anomalies=tuple(analyse(series_entries, self.tolerance_days)),
            register=register,
            register_office=office_name,
            missing_pdf=missing,
            unregistered=unregistered,
            mismatches=tuple(mismatches),
            matched=tuple((row, e.path or "") for row, es in sorted(matched.items()) for e in es),
            share=tuple(self._share(register, matched, office_key, office_name)),
            entries=tuple(entries),
        )

    def _share(
        self, register: Register, matched: dict[int, list[Entry]], office_key: str | None, office_name: str
    ) -> Iterable[dict[str, object]]:
        counted: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
        for row in register.rows:
            pdfs = matched.get(row.row, [])
            day = row.date or next((e.date for e in pdfs if e.date), None)
            key = ((row.office and key_for(row.office)) or office_key or "", _month(day))
            counted[key][0] += 1
            counted[key][1] += bool(pdfs)
            counted[key][2] += any(e.signed_org for e in pdfs)
        names = {office_key or "": office_name}
        names.update({key_for(r.office) or "": r.office for r in register.rows if r.office})
        for (key, month), (registered, with_pdf, signed_org) in sorted(counted.items()):
            pdfs, signed = self.pdfs.get((key, month), 0), self.pdfs_signed.get((key, month), 0)
            yield {
                "office_key": key,
                "office": names.get(key, key),
                "month": month,
                "registered": registered,
                "with_pdf": with_pdf,
                "signed_org": signed_org,
                "registered_signed_rate": round(signed_org / registered, 4) if registered else 0.0,
                "pdfs": pdfs,
                "pdfs_signed": signed,
                "pdf_signed_rate": round(signed / pdfs, 4) if pdfs else None,
            }


def _best(rows: list[Row], e: Entry) -> Row:
    def score(r: Row) -> tuple[bool, bool, bool]:
        same_year = r.date is not None and e.date is not None and r.date.year == e.date.year
        return (r.date == e.date and r.date is not None, same_year, r.number.doc_type == e.doc_type)

    return max(rows, key=lambda r: (score(r), -r.row))


def _register_office(register: Register, office: str | None, matched: dict[int, list[Entry]]) -> tuple[str | None, str]:
    """The office the register belongs to: given, else a column's, else most of its PDFs'."""
    if office:
        return key_for(office), office
    named = Counter(r.office for r in register.rows if r.office)
    if named:
        name = named.most_common(1)[0][0]
        return key_for(name), name
    votes = Counter((e.office_key, e.office) for es in matched.values() for e in es)
    if votes:
        (key, name), _ = votes.most_common(1)[0]
        return key, name
    return None, Path(register.path).stem


def _row_entry(row: Row, office_key: str | None, office_name: str) -> Entry:
    name = row.office or office_name
    return Entry(
        number=row.number,
        text=row.text,
        office=name,
        office_key=(key_for(row.office) if row.office else office_key) or f"register:{office_name}",
        date=row.date,
        summary=row.summary,
        signer=row.signer,
        row=row.row,
    )


_TYPE_NAMES = dict(sorted(((fold(v), k) for k, v in DOC_TYPES.items()), key=lambda kv: -len(kv[0])))


def _compare(row: Row, e: Entry) -> Iterable[Mismatch]:
    if row.date is not None and e.date is not None and row.date != e.date:
        yield Mismatch("date", e, row, row.date, e.date)
    if row.summary and e.doc_type is not None:
        folded = fold(row.summary)
        named = next((k for name, k in _TYPE_NAMES.items() if folded.startswith(name + " ") or folded == name), None)
        if named is not None and named != e.doc_type:
            yield Mismatch("type", e, row, DOC_TYPES[named], DOC_TYPES[e.doc_type])
    if row.signer and e.signer:
        a, b = fold(row.signer), fold(e.signer)
        if a not in b and b not in a:
            yield Mismatch("signer", e, row, row.signer, e.signer)
