"""A plain-text summary for a terminal or a log (coloured on a terminal)."""

from __future__ import annotations

import re
from typing import IO, Any

from sigaudit.checks.judgements import unchecked
from sigaudit.console import ansi_escapes
from sigaudit.findings import CODES, how_to_fix
from sigaudit.model import DocumentResult, Severity, Verdict
from sigaudit.names import shown
from sigaudit.report.base import Formatter, Report
from sigaudit.report.i18n import (
    basis_text,
    code_title,
    criterion_rows,
    dossier_notes,
    issued_text,
    months_text,
    name_in,
    number,
    number_text,
    office_names,
    severity,
    word,
)
from sigaudit.report.register import register_notes, share_lines

# C0/C1 controls and the bidi overrides/isolates: untrusted names must not drive the terminal.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_COLOURS = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m", Severity.INFO: "\x1b[36m", None: "\x1b[32m"}


def safe(text: object) -> str:
    return _UNSAFE.sub("?", shown(str(text)))


def verdict(report: Report, lang: str = "en") -> str:
    """The one summary line (stderr after ``-o``, last line of the text report)."""
    s = report.summary()
    sev = s["findings_by_severity"]
    lost = number(s["points_lost"]["total"], lang)
    if lang == "vi":
        return (
            f"{s['documents']} văn bản: {s['passing']} đạt, {s['signed']} đã ký số hợp lệ, "
            f"{s['signed_person_and_org']} đủ chữ ký cá nhân và cơ quan, {s['date_consistent']} khớp ngày ban hành, "
            f"{s['errors']} không đọc được; phát hiện: {sev['error']} lỗi, {sev['warning']} cảnh báo, "
            f"{sev['info']} lưu ý; điểm bị trừ (ước tính): {lost}."
        )
    return (
        f"{s['documents']} document(s): {s['passing']} passing, {s['signed']} validly signed, "
        f"{s['signed_person_and_org']} signed by person and organisation, {s['date_consistent']} with matching "
        f"dates, {s['errors']} unreadable; findings: {sev['error']} error(s), {sev['warning']} warning(s), "
        f"{sev['info']} note(s); points lost (estimate): {lost}."
    )


_LEVEL = {Verdict.PASS: None, Verdict.FAIL: Severity.ERROR, Verdict.INCONCLUSIVE: Severity.WARNING}
_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def render(report: Report, *, lang: str = "en", colour: bool = False) -> str:
    def paint(text: str, level: Severity | None) -> str:
        return f"{_COLOURS[level]}{text}\x1b[0m" if colour else text

    office = office_names(report, lang)
    lines: list[str] = []
    if not report.settings.trust:
        lines += [word("chain_not_checked", lang), ""]
    # the verdicts in the words ``check`` and the page use (ĐẠT / KHÔNG ĐẠT / CHƯA KẾT LUẬN)
    width = max((len(word(d.verdict.value, lang)) for d in report.documents), default=0)
    width = max(width, 4)
    fixed: set[str] = set()  # a code's fix is said once, where it first appears
    per_run: dict[str, list[Any]] = {}
    for doc in report.documents:
        mark = f"{word(doc.verdict.value, lang):<{width}}"
        h = doc.evidence.header
        facts = ", ".join(x for x in (number_text(h, lang), issued_text(h, lang), office(doc)) if x)
        lines.append(f"{paint(mark, _LEVEL[doc.verdict])} {safe(doc.path)}" + (f"  [{safe(facts)}]" if facts else ""))
        # what the clerk must act on first: errors, then warnings, then notes; a fact true of
        # many files of the run (``per_run`` in the registry) is said once, below
        for f in sorted(doc.findings, key=lambda f: _ORDER[f.severity]):
            if CODES[f.code].per_run and len(report.documents) > 1:
                per_run.setdefault(f.code, []).append(f)
                continue
            sev = severity(f.severity.value, lang)
            lines.append(f"     {paint(f'{sev:<9}', f.severity)} {f.code}: {safe(f.text(lang))}")
            if f.code not in fixed:
                fixed.add(f.code)
                lines.append(f"               → {safe(how_to_fix(f.code, lang))}")
    for code, found in per_run.items():
        first = found[0]
        sev = severity(first.severity.value, lang)
        count = len({id(f) for f in found})
        lines.append(
            f"{paint(f'{sev:<9}', first.severity)} {code} ({count} {word('documents', lang).lower()}): "
            f"{safe(CODES[code].title(lang))}"
        )
        lines.append(f"               → {safe(how_to_fix(code, lang))}")
    rows = criterion_rows(report, lang)
    if rows:
        lines += ["", f"{word('criteria', lang)}:"]
        for cid, name, status, lost, reasons, docs in rows:
            lines.append(f"  {cid} {safe(name)}: {status} (-{lost})")
            lines.append(f"      {safe(reasons or docs)}")
        lines += [f"  ! {safe(note)}" for note in dossier_notes(report, lang)]
    notes, shares = register_notes(report), share_lines(report, lang)
    if notes or shares:
        lines += ["", f"{word('sheet_register', lang)}:"]
        for r in notes:
            sev = severity(r.finding.severity.value, lang)
            lines.append(f"  {paint(f'{sev:<9}', r.finding.severity)} {r.finding.code}: {safe(r.finding.text(lang))}")
        lines += [f"  {safe(line)}" for line in shares]
    lines.append("")
    lines.append(f"{word('offices', lang)}:")
    for o in report.offices:
        name = o.office if o.key else word("unattributed", lang)
        lines.append(
            f"  {safe(name)}: {o.documents} {word('documents', lang).lower()}, {o.passing} "
            f"{word('passing', lang).lower()}, {o.signed} {word('signed', lang).lower()} ({o.signed_rate:.0%}), "
            f"{o.signed_person_and_org} {word('signed_person_and_org', lang).lower()}, "
            f"{o.date_consistent} {word('date_consistent', lang).lower()}; "
            f"{word('points_lost', lang).lower()}: {number(o.points_lost, lang)}"
        )
        if o.months_without_signed:
            lines.append(f"    {word('months_without_signed', lang)}: {months_text(o.months_without_signed, lang)}")
    points = report.summary()["points_lost"]
    if report.deductions:
        lines.append("")
        lines.append(f"{word('points_lost', lang)}: {number(points['total'], lang)}")
        for d in report.deductions:
            if d["points_lost"]:
                lines.append(
                    f"  -{number(d['points_lost'], lang)}/{number(d['max_points'], lang)}  "
                    f"{safe(name_in(d, lang))} ({basis_text(d['basis'], lang)})"
                )
    lines.append("")
    lines.append(verdict(report, lang))
    return "\n".join(lines) + "\n"


class TextFormat(Formatter):
    name = "text"
    extensions = (".txt",)
    help = "a summary for a terminal or a log (coloured on a terminal)"
    help_vi = "bản tóm tắt cho cửa sổ lệnh hoặc nhật ký (có màu trên cửa sổ lệnh)"

    def write(self, report: Report, stream: IO[Any], lang: str) -> None:
        colour = ansi_escapes(stream)
        stream.write(render(report, lang=lang, colour=colour))


class VerdictFormat(Formatter):
    """``sigaudit check``: ĐẠT / KHÔNG ĐẠT for each document and why, for the clerk."""

    name = "verdict"
    help = "ĐẠT / KHÔNG ĐẠT per document and why (what `sigaudit check` prints)"
    help_vi = "ĐẠT / KHÔNG ĐẠT từng văn bản và lý do (như `sigaudit check`)"

    def write(self, report: Report, stream: IO[Any], lang: str) -> None:
        for result in report.documents:
            stream.write(check_verdict(result, lang))


def check_verdict(result: DocumentResult, lang: str) -> str:
    """What a clerk reads: the verdict, the facts read, and for each finding what it is and
    how to fix it — errors, then what could not be checked, then the rest."""
    h = result.evidence.header
    lines = [f"{safe(result.path)}: {word(result.verdict.value, lang)}"]
    facts = [x for x in (number_text(h, lang), issued_text(h, lang), result.office) if x]
    if facts:
        lines.append("  " + safe(" · ".join(facts)))
    not_checked = set(unchecked(result.findings))
    errors = [f for f in result.findings if f.severity is Severity.ERROR]
    others = [f for f in result.findings if f.severity is not Severity.ERROR and f not in not_checked]
    if result.verdict is Verdict.PASS:
        lines.append(word("check_ok", lang))
    for heading, mark, group in (
        ("check_bad", "✗", errors),
        ("check_unchecked", "?", [f for f in result.findings if f in not_checked]),
        ("check_warn", "!", others),
    ):
        if group:
            lines.append(word(heading, lang))
        for f in group:
            title, text = code_title(f.code, lang), f.text(lang)
            # a message that only repeats the title ("Văn bản không có chữ ký số") is said once
            said = title if text.strip().rstrip(".") == title.strip().rstrip(".") else f"{title} — {text}"
            lines.append(f"  {mark} {safe(said)}")
            lines.append(f"    → {word('fix', lang)}: {how_to_fix(f.code, lang)}")
    return "\n".join(lines) + "\n"
