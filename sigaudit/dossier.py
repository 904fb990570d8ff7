"""Evidence dossiers: one folder per criterion of the index (or a manifest), judged against
the rule set's evidence criteria ("tài liệu kiểm chứng").

A dossier is a folder whose subfolders are named by a criterion's id, optionally followed by
its name (``1.1/``, ``1.2 Kế hoạch tuyên truyền/``), or any folder with a ``dossier.csv``
manifest (``criterion,file``).  Every document is audited as usual; then each evidence
criterion is judged on the documents filed under it:

``met``, or why not — ``missing``, ``not_acceptable`` (the documents' own errors), ``wrong_type``,
``wrong_office``, ``out_of_period``, ``late`` (issued after the deadline), ``backdated`` (printed
on time, signed after the deadline: the body's trustworthy signing time decides).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sigaudit.errors import UsageError
from sigaudit.model import DocumentResult, Severity, Verdict
from sigaudit.names import same_office, strip_diacritics
from sigaudit.rules import Criterion, RuleSet, dated

MANIFEST = "dossier.csv"
MANIFEST_XLSX = "dossier.xlsx"
_COLUMNS = {
    "criterion": "criterion",
    "tiêu chí": "criterion",
    "tieu chi": "criterion",
    "file": "file",
    "tệp": "file",
    "tep": "file",
    "tên tệp": "file",
}


def _decode(data: bytes) -> str:
    """A manifest's text: UTF-8 (with or without BOM), else the ANSI code page Excel saves
    CSV in on Vietnamese Windows (cp1258), else Western Windows (cp1252)."""
    for encoding in ("utf-8-sig", "cp1258", "cp1252"):
        try:
            return unicodedata.normalize("NFC", data.decode(encoding))
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def read_manifest(path: Path) -> list[tuple[int, str, str]]:
    """(line, criterion, file) of each row of a ``dossier.csv`` (any of the encodings and
    delimiters , ; tab) or ``dossier.xlsx`` (its first sheet); the header row names the
    columns ``criterion`` and ``file`` (or ``tiêu chí`` and ``tệp``).  Blank rows are
    skipped.  A manifest without those columns is refused in one sentence."""
    if path.suffix.lower() == ".xlsx":
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        rows = [["" if v is None else str(v) for v in row] for row in book.worksheets[0].iter_rows(values_only=True)]
        book.close()
    else:
        text = _decode(path.read_bytes())
        try:
            dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        rows = list(csv.reader(io.StringIO(text), dialect))
    numbered = [(n, row) for n, row in enumerate(rows, start=1) if any(cell.strip() for cell in row)]
    if not numbered:
        return []
    header = [_COLUMNS.get(cell.strip().lower()) for cell in numbered[0][1]]
    if "criterion" not in header or "file" not in header:
        raise UsageError(key="manifest_columns", path=str(path))
    ci, fi = header.index("criterion"), header.index("file")
    out = []
    for n, row in numbered[1:]:
        cells = [*row, "", ""]
        out.append((n, cells[ci].strip(), cells[fi].strip().replace("\\", "/")))
    return out


_FOLDER = re.compile(r"^\s*(\d+(?:\.\d+)*)(?:[\s._\-–—:]+.*)?$")
# A signing date after the printed date is judged here against the criterion's deadline
# (backdated or not), not as a defect of the evidence itself.
_JUDGED_HERE = {"SIGNING_DATE_MISMATCH"}
STATUSES = ("met", "missing", "not_acceptable", "wrong_type", "wrong_office", "out_of_period", "late", "backdated")


@dataclass(frozen=True)
class Filing:
    """Which files were filed under which criterion, and what did not fit."""

    by_criterion: dict[str, list[str]]
    """Criterion id → paths (relative to the dossier, as the report names documents)."""
    warnings: tuple[tuple[str, str], ...] = ()
    """(key of [terms.usage.dossier], name): folders or rows that match nothing, duplicates."""
    unfiled: tuple[str, ...] = ()
    """Documents outside any criterion's folder."""


def file_dossier(folder: Path, rules: RuleSet) -> Filing:
    """Read how the dossier files its documents (folders, or the manifest when present)."""
    ids = {c.id for c in rules.criteria if c.kind == "evidence"}
    by: dict[str, list[str]] = {i: [] for i in ids}
    warnings: list[tuple[str, str]] = []
    unfiled: list[str] = []
    pdfs = sorted(
        Path(root, n).relative_to(folder).as_posix()
        for root, _, names in os.walk(folder)
        for n in names
        if n.lower().endswith(".pdf")
    )
    manifest = next((folder / n for n in (MANIFEST, MANIFEST_XLSX) if (folder / n).is_file()), None)
    if manifest is not None:
        seen: dict[str, str] = {}
        for line, cid, name in read_manifest(manifest):
            where = f"{manifest.name}:{line}: {cid},{name}"
            if cid not in ids:
                warnings.append(("unknown_criterion", where))
            elif name not in pdfs:
                warnings.append(("missing_file", where))
            elif name in seen and seen[name] != cid:
                warnings.append(("filed_twice", name))
            else:
                by[cid].append(name)
                seen[name] = cid
        unfiled = [p for p in pdfs if p not in seen]
        return Filing(by, tuple(warnings), tuple(unfiled))
    for path in pdfs:
        top = path.split("/")[0] if "/" in path else None
        m = _FOLDER.match(top) if top else None
        if m and m.group(1) in ids:
            by[m.group(1)].append(path)
        else:
            unfiled.append(path)
    for entry in sorted(p.name for p in folder.iterdir() if p.is_dir()):
        m = _FOLDER.match(entry)
        if not m or m.group(1) not in ids:
            warnings.append(("unknown_folder", entry))
    return Filing(by, tuple(warnings), tuple(unfiled))


@dataclass
class Judged:
    """One criterion judged."""

    criterion: Criterion
    status: str = "met"
    documents: list[str] = field(default_factory=list)
    reasons: list[dict[str, Any]] = field(default_factory=list)
    points_lost: float = 0.0

    def to_json(self) -> dict[str, Any]:
        c = self.criterion
        return {
            "id": c.id,
            "area": c.area,
            "name": c.name_vi,
            "name_en": c.name_en,
            "status": self.status,
            "documents": self.documents,
            "reasons": self.reasons,
            "max_points": c.max_points,
            "points_lost": self.points_lost,
        }


def _fold(text: str) -> str:
    return " ".join(strip_diacritics(text).lower().split())


def _periods(c: Criterion, year: int) -> list[tuple[str, dt.date, dt.date, dt.date]]:
    """(label, start, end, due) of each period the criterion asks a document for."""
    if c.periods is None:
        start, end = (dated(t, year) for t in c.window)
        due = dated(c.due, year) if c.due else end
        return [("", start, end, due)]
    months = 3 if c.periods == "quarter" else 6
    out = []
    for i, first in enumerate(range(1, 13, months)):
        start = dt.date(year, first, 1)
        last = first + months - 1
        end = (dt.date(year + (last == 12), last % 12 + 1, 1)) - dt.timedelta(days=1)
        label = f"Q{i + 1}" if months == 3 else f"H{i + 1}"
        out.append((label, start, end, end + dt.timedelta(days=c.period_due_days)))
    return out


def _problem(doc: DocumentResult, c: Criterion, office: str, window: tuple[dt.date, dt.date]) -> str | None:
    """Why this document cannot serve the criterion (before deadlines), or None."""
    h = doc.evidence.header
    own = {f.code for f in doc.findings if f.severity is Severity.ERROR} - _JUDGED_HERE
    if doc.verdict is Verdict.FAIL and own:
        return "not_acceptable"
    if c.doc_types and h.doc_type not in c.doc_types:
        return "wrong_type"
    about = _fold(f"{h.title or ''} {h.subject or ''}")
    if c.title_contains and not any(_fold(t) in about for t in c.title_contains):
        return "wrong_type"
    if c.issued_by != "any":
        wanted = office if c.issued_by == "self" else c.issued_by
        names = [n for n in (doc.office, h.office) if n]
        if not any(same_office(wanted, n) for n in names):
            return "wrong_office"
    day = h.issuance_date or doc.signing_date
    if day is None or not (window[0] <= day <= window[1]):
        return "out_of_period"
    return None


def judge(c: Criterion, docs: list[DocumentResult], year: int, office: str) -> Judged:
    """The criterion's status from the documents filed under it."""
    out = Judged(c, documents=[d.path for d in docs])
    if not docs:
        out.status, out.points_lost = "missing", c.max_points
        return out
    periods = _periods(c, year)
    window = (min(p[1] for p in periods), max(p[3] for p in periods) + dt.timedelta(days=60))
    if c.periods is None:
        window = (periods[0][1], periods[0][2])
    failures: list[str] = []
    unmet = False
    for label, start, _end, due in periods:
        served = 0
        for doc in docs:
            problem = _problem(doc, c, office, window)
            h = doc.evidence.header
            issued = h.issuance_date or doc.signing_date
            if problem is None and c.periods is not None and issued is not None:
                previous_end = start - dt.timedelta(days=1)
                if not (previous_end < issued <= due + dt.timedelta(days=60)):
                    continue  # belongs to another period
            if problem is None and issued is not None:
                signed = doc.signing_date
                if issued > due:
                    problem = "late"
                elif signed is not None and signed > due:
                    problem = "backdated"
            reason = {"document": doc.path, "status": problem or "met", "period": label or None}
            reason.update(issued=issued.isoformat() if issued else None, due=due.isoformat())
            reason["signed"] = doc.signing_date.isoformat() if doc.signing_date else None
            if reason not in out.reasons:
                out.reasons.append(reason)
            if problem is None:
                served += 1
            else:
                failures.append(problem)
        if served < c.min_documents:
            unmet = True
            if not any(r["period"] == (label or None) for r in out.reasons):
                failures.append("missing")  # nothing at all for this period
    if unmet:
        order = ("backdated", "late", "out_of_period", "wrong_office", "wrong_type", "not_acceptable", "missing")
        out.status = next((s for s in order if s in failures), "missing")
        out.points_lost = c.max_points
    return out


def judge_dossier(
    documents: list[DocumentResult], filing: Filing, rules: RuleSet, year: int, office: str
) -> list[Judged]:
    by_path = {d.path: d for d in documents}
    return [
        judge(c, [by_path[p] for p in filing.by_criterion.get(c.id, []) if p in by_path], year, office)
        for c in rules.criteria
        if c.kind == "evidence"
    ]


def check_request(rules: RuleSet, year: int | None, office: str | None) -> None:
    if year is None:
        raise UsageError(key="dossier_year")
    if not office:
        raise UsageError(key="dossier_office")
    if not any(c.kind == "evidence" for c in rules.criteria):
        raise UsageError(key="dossier_no_criteria")
