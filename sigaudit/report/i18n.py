"""Words of the people's formats (text, Markdown, HTML, CSV) in Vietnamese and English.

Finding codes never change; their titles and messages come from the registry
(``sigaudit.findings``, ``data/findings.toml``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from sigaudit.findings import title

LANGS = ("vi", "en")

_WORDS: dict[str, tuple[str, str]] = {
    "report_title": ("Báo cáo kiểm tra văn bản ký số", "Digital signature audit report"),
    "generated": ("Lập lúc", "Generated"),
    "rules": ("Bộ tiêu chí", "Rule set"),
    "summary": ("Tổng hợp", "Summary"),
    "documents": ("Văn bản", "Documents"),
    "signed": ("Đã ký số", "Signed"),
    "signed_person_and_org": ("Đủ chữ ký cá nhân và cơ quan", "Signed by person and organisation"),
    "date_consistent": ("Ngày ký khớp ngày ban hành", "Signing date matches"),
    "unreadable": ("Không đọc được", "Unreadable"),
    "errors": ("Lỗi", "Errors"),
    "warnings": ("Cảnh báo", "Warnings"),
    "notes": ("Lưu ý", "Notes"),
    "accepted": ("Phát hiện đã chấp nhận (baseline)", "Accepted findings (baseline)"),
    "points_lost": ("Điểm bị trừ (ước tính)", "Points lost (estimate)"),
    "area": ("Lĩnh vực", "Area"),
    "max_points": ("Điểm tối đa", "Maximum"),
    "lost": ("Bị trừ", "Lost"),
    "deductions": ("Các tiêu chí bị trừ điểm", "Deductions"),
    "criterion": ("Tiêu chí", "Criterion"),
    "basis": ("Căn cứ", "Basis"),
    "offices": ("Theo cơ quan", "Offices"),
    "office": ("Cơ quan", "Office"),
    "statistics": ("Thống kê văn bản ký số", "Signed-document statistics"),
    "month": ("Tháng", "Month"),
    "doc_type": ("Loại", "Type"),
    "findings": ("Phát hiện", "Findings"),
    "path": ("Tệp", "File"),
    "number": ("Số, ký hiệu", "Number"),
    "issuance_date": ("Ngày ban hành", "Issued"),
    "signing_date": ("Ngày ký", "Signed on"),
    "code": ("Mã", "Code"),
    "severity": ("Mức độ", "Severity"),
    "message": ("Chi tiết", "Detail"),
    "all": ("Tất cả", "All"),
    "filter": ("Lọc", "Filter"),
    "shown": ("đang hiển thị", "shown"),
    "pass": ("ĐẠT", "PASS"),
    "fail": ("KHÔNG ĐẠT", "FAIL"),
    "inconclusive": ("CHƯA KẾT LUẬN", "NOT CONCLUSIVE"),
    "check_unchecked": (
        "Chưa kiểm tra được, nên chưa thể kết luận là đạt:",
        "Not everything could be checked, so the document cannot be passed:",
    ),
    "fix": ("Cách khắc phục", "How to fix"),
    "passing": ("Đạt", "Passing"),
    "verdict": ("Kết luận", "Verdict"),
    "unattributed": ("(không xác định)", "(unattributed)"),
    "months_without_signed": ("Tháng không có văn bản ký số hợp lệ", "Months without a validly signed document"),
    "regular_use": ("Tỷ lệ tháng có văn bản ký số", "Months with signed documents"),
    "criteria": ("Hồ sơ tài liệu kiểm chứng theo tiêu chí", "Evidence dossier by criterion"),
    "status": ("Kết quả", "Status"),
    "reasons": ("Lý do", "Reasons"),
    "sheet_criteria": ("Tiêu chí", "Criteria"),
    "dossier_warnings": ("Cần xem lại trong hồ sơ", "To look at in the dossier"),
    "unfiled": ("Văn bản không thuộc tiêu chí nào", "Documents filed under no criterion"),
    "title": ("Nội dung", "What"),
    "passing_documents": ("Văn bản đạt", "Passing documents"),
    "inconclusive_short": ("Chưa kết luận", "Not conclusive"),
    "sheet_documents": ("Văn bản", "Documents"),
    "sheet_offices": ("Cơ quan", "Offices"),
    "sheet_statistics": ("Thống kê", "Statistics"),
    "sheet_deductions": ("Trừ điểm", "Deductions"),
    "sheet_findings": ("Phát hiện", "Findings"),
    "sheet_register": ("Sổ đăng ký văn bản đi", "Outgoing register"),
    "sheet_register_share": ("Tỷ lệ ký số theo sổ", "Signed share by register"),
    "over_register": ("tính trên sổ đăng ký văn bản đi", "over the outgoing register"),
    "register_whole": ("(sổ đăng ký)", "(register)"),
    "register_title": (
        "Sổ đăng ký văn bản đi (lập từ các tệp PDF, mẫu Nghị định 30/2020)",
        "Outgoing register (rebuilt from the PDFs, Decree 30/2020 form)",
    ),
    "register_share_title": (
        "Tỷ lệ văn bản có chữ ký số của cơ quan tính trên sổ đăng ký",
        "Share of registered documents signed by the organisation",
    ),
    "chain_not_checked": (
        "Chưa kiểm tra chuỗi chứng thực (--trust none): không văn bản nào được kết luận là đạt.",
        "Certificate chains were not checked (--trust none): no document can pass.",
    ),
    "check_ok": ("Văn bản đủ điều kiện làm tài liệu kiểm chứng.", "The document is fit to submit as evidence."),
    "check_bad": (
        "Văn bản chưa đủ điều kiện làm tài liệu kiểm chứng:",
        "The document is not fit to submit as evidence:",
    ),
    "check_warn": ("Cần lưu ý:", "Please note:"),
    "documents_rate": ("tỷ lệ", "rate"),
    "error": ("lỗi", "error"),
    "warning": ("cảnh báo", "warning"),
    "info": ("lưu ý", "note"),
    "yes": ("có", "yes"),
    "unsure": ("chưa chắc chắn", "unsure"),
    "no": ("không", "no"),
    "none": ("(không có)", "(none)"),
    "chart": ("Văn bản đã ký số / tổng số, theo cơ quan", "Signed / all documents, per office"),
}


def office_names(report: Any, lang: str) -> Callable[[Any], str]:
    """A document's office as the reports name it: one name per office (the office table's,
    whatever spelling the document used), "(không xác định)" when none."""
    names = {o.key: o.office for o in report.offices}

    def name(doc: Any) -> str:
        if not doc.office_key:
            return word("unattributed", lang)
        return names.get(doc.office_key, doc.office or "")

    return name


def number(value: float, lang: str, decimals: int = 2) -> str:
    """4.9 → "4,90" in Vietnamese, "4.90" in English."""
    text = f"{value:,.{decimals}f}"
    if lang == "vi":
        text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return text


def instant_text(value: dt.datetime | None, lang: str) -> str | None:
    """An instant as people write it: "05 giờ 31 ngày 30/11/2026", else ISO."""
    if value is None:
        return None
    if lang == "vi":
        return f"{value:%H} giờ {value:%M} ngày {value:%d/%m/%Y}"
    return value.isoformat(timespec="seconds")


def month_text(month: str, lang: str) -> str:
    """``2021-08`` → ``08/2021`` in Vietnamese."""
    return f"{month[5:]}/{month[:4]}" if lang == "vi" and len(month) == 7 else month


def months_text(months: Iterable[str], lang: str) -> str:
    """Months as people read a list of them: consecutive ones as a range.
    ``2021-01, 2021-02, 2021-03, 2021-05`` → ``01/2021–03/2021, 05/2021`` in Vietnamese."""
    ordered = sorted(set(months))
    runs: list[tuple[str, str]] = []
    for m in ordered:
        if runs and _next_month(runs[-1][1]) == m:
            runs[-1] = (runs[-1][0], m)
        else:
            runs.append((m, m))
    return ", ".join(month_text(a, lang) if a == b else f"{month_text(a, lang)}–{month_text(b, lang)}" for a, b in runs)


def _next_month(month: str) -> str | None:
    try:
        year, number = int(month[:4]), int(month[5:7])
    except ValueError:
        return None
    return f"{year + number // 12:04d}-{number % 12 + 1:02d}"


def date_text(day: dt.date | None, lang: str) -> str | None:
    """A date as people write it: 30/11/2026 in Vietnamese, 2026-11-30 in English."""
    if day is None:
        return None
    return day.strftime("%d/%m/%Y") if lang == "vi" else day.isoformat()


def issued_text(header: Any, lang: str) -> str | None:
    """The printed issuance date as people write it, else the month its date line prints
    where the day was not read ("tháng 08/2021", "2021-08, day not read"); marked where OCR
    read it without confidence ("08/05/2026 (chưa chắc chắn)": a handwritten day)."""
    if header.issuance_date is not None or not header.issuance_month:
        text = date_text(header.issuance_date, lang)
        return text and text + unsure_mark(header, "issuance_date", lang)
    year, month = header.issuance_month.split("-")
    text = f"tháng {month}/{year}" if lang == "vi" else f"{year}-{month}, day not read"
    return text + unsure_mark(header, "issuance_month", lang)


def number_text(header: Any, lang: str) -> str | None:
    """The number and symbol as printed, marked where OCR read it without confidence."""
    return header.number and header.number + unsure_mark(header, "number", lang)


def unsure_mark(header: Any, field: str, lang: str) -> str:
    """ " (chưa chắc chắn)" after a value OCR read below 0.90 (docs/ocr.md), else nothing."""
    from sigaudit.checks import OCR_CONFIDENT

    confidence = header.confidence_for(field) if header.source == "ocr" else None
    return f" ({word('unsure', lang)})" if confidence is not None and confidence < OCR_CONFIDENT else ""


def word(key: str, lang: str) -> str:
    vi, en = _WORDS[key]
    return vi if lang == "vi" else en


def code_title(code: str, lang: str) -> str:
    return title(code, lang)


def name_in(entry: dict[str, object], lang: str) -> str:
    """The name of a deduction or area entry (``name`` in Vietnamese, ``name_en``) in ``lang``."""
    return str(entry["name"] if lang == "vi" else entry.get("name_en", entry["name"]))


def _status(value: str, lang: str) -> str:
    from sigaudit.findings import Term, term

    return term(Term.of(f"dossier_status.{value}"), lang)


def dossier_notes(report: Any, lang: str) -> list[str]:
    """What the dossier's filing got wrong, and the documents filed under no criterion."""
    from sigaudit.findings import Term, term
    from sigaudit.names import shown

    dossier = getattr(report, "dossier", None) or {}
    notes = [
        f"{term(Term.of('dossier_warning.' + w['kind']), lang)}: {shown(w['name'])}"
        for w in dossier.get("warnings", [])
    ]
    notes += [f"{word('unfiled', lang)}: {shown(p)}" for p in dossier.get("unfiled", [])]
    return notes


def criterion_rows(report: Any, lang: str) -> list[tuple[str, str, str, str, str, str]]:
    """A dossier's criteria as people read them: (id, name, status, points lost, reasons,
    documents) — empty for an audit that is not a dossier."""
    from sigaudit.names import shown

    rows = []
    for c in getattr(report, "criteria", ()) or ():
        status = _status(c["status"], lang)
        reasons = "; ".join(
            f"{shown(r['document'])}: {_status(r['status'], lang)}" for r in c["reasons"] if r["status"] != "met"
        )
        rows.append(
            (
                c["id"],
                str(c["name"] if lang == "vi" else c["name_en"]),
                status.upper() if c["status"] == "met" else status,
                f"{number(c['points_lost'], lang)} / {number(c['max_points'], lang)}",
                reasons,
                ", ".join(shown(p) for p in c["documents"]) or word("none", lang),
            )
        )
    return rows


def severity(value: str, lang: str) -> str:
    return word(value, lang) if value in ("error", "warning", "info") else value


def basis_text(basis: dict[str, object], lang: str) -> str:
    if basis.get("kind") == "findings":
        n = basis.get("documents", 0)
        per = basis.get("points_per_document", 0)
        amount = number(float(per), lang)  # type: ignore[arg-type]
        return f"{n} văn bản × {amount} điểm" if lang == "vi" else f"{n} document(s) × {amount} point(s)"
    value = basis.get("value")
    share = "—" if value is None else f"{float(value):.0%}"  # type: ignore[arg-type]
    rate = word(str(basis.get("rate")), lang) if str(basis.get("rate")) in _WORDS else str(basis.get("rate"))
    over = f" {word('over_register', lang)}" if basis.get("population") == "register" else ""
    return f"{rate}{over}: {share} ({basis.get('meeting')}/{basis.get('documents')})"
