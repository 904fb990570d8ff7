"""The statistics report an office files, as a Word document in the Decree 30 layout
(python-docx): national motto, issuing office and number, place and date, the title
"BÁO CÁO Thống kê số lượng văn bản ký số …", the table by office × month × type with its
totals, and the signature block left for the signer.

What the report cannot know — the issuing office, its parent, the number, the place, the
signer's title and name, the recipients — comes from a small TOML profile
(``--profile FILE``, keys below) and otherwise stays as dotted blanks to fill in by hand.

    parent_office = "UBND HUYỆN PHÚ BÌNH"
    office = "VĂN PHÒNG HĐND VÀ UBND"
    number = "15/BC-VP"
    place = "Phú Bình"
    period = "năm 2021"              # optional: else the months the documents span
    signer_title = "CHÁNH VĂN PHÒNG"
    signer_name = "Nguyễn Văn A"
    recipients = ["UBND huyện (b/c)", "Lưu: VT"]
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import IO, Any

from sigaudit.errors import UsageError
from sigaudit.report.base import Formatter, Report
from sigaudit.report.i18n import word
from sigaudit.report.register import register_table, share_table

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

PROFILE_KEYS = {"parent_office", "office", "number", "place", "period", "signer_title", "signer_name", "recipients"}
BLANK = "…………"
FONT = "Times New Roman"

_WORDS = {
    "motto": ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIETNAM"),
    "motto2": ("Độc lập - Tự do - Hạnh phúc", "Independence - Freedom - Happiness"),
    "number": ("Số", "No."),
    "title": ("BÁO CÁO", "REPORT"),
    "subtitle": ("Thống kê số lượng văn bản ký số", "Statistics of digitally signed documents"),
    "intro": (
        "Thực hiện nhiệm vụ cải cách hành chính, {office} báo cáo số lượng văn bản điện tử được ký số "
        "{period} như sau:",
        "{office} reports the number of digitally signed electronic documents {period} as follows:",
    ),
    "total": ("Tổng cộng", "Total"),
    "summary": (
        "Tổng số {documents} văn bản, trong đó {signed} văn bản được ký số hợp lệ ({rate}), {both} văn bản có đủ "
        "chữ ký số của người có thẩm quyền và của cơ quan, {dates} văn bản có thời gian ký số khớp ngày ban hành.",
        "{documents} documents in all: {signed} validly signed ({rate}), {both} signed by the competent person and "
        "the body, {dates} with a signing date that matches the issuance date.",
    ),
    "recipients": ("Nơi nhận:", "Recipients:"),
    "no": ("TT", "No."),
    "signature": ("(Ký số)", "(Digital signature)"),
    "period_from": ("từ tháng {first} đến tháng {last}", "from {first} to {last}"),
    "period_one": ("tháng {first}", "in {first}"),
    "date": ("{place}, ngày {d:02d} tháng {m:02d} năm {y}", "{place}, {y}-{m:02d}-{d:02d}"),
}


def _w(key: str, lang: str) -> str:
    vi, en = _WORDS[key]
    return vi if lang == "vi" else en


def load_profile(path: str | Path) -> dict[str, Any]:
    """Read and check a profile (unknown keys are an error, so a typo does not vanish)."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(key="profile_unreadable", path=str(path), reason=exc.strerror or exc) from exc
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(key="profile_toml", path=str(path), detail=str(exc)) from exc
    unknown = set(data) - PROFILE_KEYS
    if unknown:
        raise UsageError(key="profile_keys", path=str(path), keys=", ".join(sorted(unknown)))
    if "recipients" in data and not isinstance(data["recipients"], list):
        raise UsageError(key="profile_recipients", path=str(path))
    return data


def _period(report: Report, lang: str) -> str:
    months = sorted({s["month"] for s in report.statistics() if s["month"]})
    if not months:
        return ""

    def show(m: str) -> str:
        return f"{m[5:]}/{m[:4]}" if lang == "vi" else m

    if len(months) == 1:
        return _w("period_one", lang).format(first=show(months[0]))
    return _w("period_from", lang).format(first=show(months[0]), last=show(months[-1]))


def document(report: Report, lang: str, profile: dict[str, Any]) -> Any:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(13)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)

    def para(cell_or_doc: Any, text: str, *, bold: bool = False, italic: bool = False, size: int = 13,
             align: Any = WD_ALIGN_PARAGRAPH.CENTER, after: int = 0) -> Any:  # fmt: skip
        p = cell_or_doc.add_paragraph()
        p.alignment = align
        p.paragraph_format.space_after = Pt(after)
        run = p.add_run(text)
        run.bold, run.italic, run.font.size, run.font.name = bold, italic, Pt(size), FONT
        return p

    # Header: issuing office (left) and national motto (right), Decree 30 annex I.
    head = doc.add_table(rows=1, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = head.rows[0].cells
    left.width, right.width = Mm(70), Mm(95)
    left.paragraphs[0].text = ""
    para(left, str(profile.get("parent_office", BLANK)).upper(), size=12)
    para(left, str(profile.get("office", BLANK)).upper(), bold=True, size=12)
    para(left, "________", size=12)
    para(left, f"{_w('number', lang)}: {profile.get('number', BLANK)}", size=13)
    right.paragraphs[0].text = ""
    para(right, _w("motto", lang), bold=True, size=12)
    para(right, _w("motto2", lang), bold=True, size=13)
    para(right, "________________", size=12)
    day = report.generated_at.date() if isinstance(report.generated_at, dt.datetime) else dt.date.today()
    place = str(profile.get("place", BLANK))
    para(right, _w("date", lang).format(place=place, d=day.day, m=day.month, y=day.year), italic=True, size=13)

    # Title.
    period = str(profile.get("period") or _period(report, lang))
    para(doc, "", after=6)
    para(doc, _w("title", lang), bold=True, size=14)
    para(doc, f"{_w('subtitle', lang)} {period}".strip(), bold=True, size=14, after=12)

    s = report.summary()
    office = str(profile.get("office", "")).strip() or (word("office", lang).lower())
    intro = _w("intro", lang).format(office=office, period=period)
    para(doc, intro, align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=6)
    rate = f"{(s['signed'] / s['documents'] if s['documents'] else 0):.0%}"
    summary = _w("summary", lang).format(
        documents=s["documents"], signed=s["signed"], rate=rate, both=s["signed_person_and_org"],
        dates=s["date_consistent"],
    )  # fmt: skip
    para(doc, summary, align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=6)

    # The table: office × month × type.
    keys = ("office", "month", "doc_type", "documents", "signed", "signed_person_and_org", "date_consistent")
    rows = report.statistics()
    table = doc.add_table(rows=1, cols=len(keys) + 1)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, [_w("no", lang), *(word(k, lang) for k in keys)], strict=True):
        cell.paragraphs[0].text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold, run.font.size = True, Pt(11)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    unattributed = {o.office for o in report.offices if not o.key}
    for i, r in enumerate(rows, start=1):
        month = f"{r['month'][5:]}/{r['month'][:4]}" if lang == "vi" and r["month"] else r["month"]
        name = word("unattributed", lang) if r["office"] in unattributed else r["office"]
        values = [i, name, month, r["doc_type"], *(r[k] for k in keys[3:])]
        _row(table, values, Pt(11))
    totals = [sum(r[k] for r in rows) for k in keys[3:]]
    _row(table, ["", _w("total", lang), "", "", *totals], Pt(11), bold=True)
    merged = table.rows[-1].cells[1].merge(table.rows[-1].cells[3])
    for extra in merged.paragraphs[1:]:
        if not extra.text:
            extra._element.getparent().remove(extra._element)

    # Signature block: recipients (left), the signer's title, space, name (right).
    para(doc, "", after=6)
    foot = doc.add_table(rows=1, cols=2)
    left, right = foot.rows[0].cells
    left.paragraphs[0].text = ""
    para(left, _w("recipients", lang), bold=True, italic=True, size=12, align=WD_ALIGN_PARAGRAPH.LEFT)
    for line in profile.get("recipients", ["…", "Lưu: VT." if lang == "vi" else "File."]):
        para(left, f"- {line}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    right.paragraphs[0].text = ""
    para(right, str(profile.get("signer_title", BLANK)).upper(), bold=True, size=13)
    para(right, _w("signature", lang), italic=True, size=12, after=60)
    para(right, str(profile.get("signer_name", BLANK)), bold=True, size=13)
    _register_annex(doc, report, lang, para)
    return doc


def _register_annex(doc: Any, report: Report, lang: str, para: Any) -> None:
    """The register rebuilt from the PDFs (Decree 30/2020 appendix IV.I columns, each row's
    signature status) and, with the office's register, the signed share over it: an annex
    in a landscape section."""
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Mm, Pt

    headers, rows = register_table(report, lang)
    share_headers, share_rows = share_table(report, lang)
    if not rows and not share_rows:
        return
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin, section.right_margin = Mm(20), Mm(15)
    for title, head, body in (
        (word("register_title", lang), headers[:-1], [r[:-1] for r in rows]),
        (word("register_share_title", lang), share_headers, share_rows),
    ):
        if not body:
            continue
        para(doc, title, bold=True, size=13, after=6)
        table = doc.add_table(rows=1, cols=len(head) + 1)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(table.rows[0].cells, [_w("no", lang), *head], strict=True):
            cell.paragraphs[0].text = ""
            run = cell.paragraphs[0].add_run(text)
            run.bold, run.font.size = True, Pt(9)
        for i, values in enumerate(body, start=1):
            _row(table, [i, *(_docx_value(v, lang) for v in values)], Pt(9))
        para(doc, "", after=6)


def _docx_value(value: Any, lang: str) -> Any:
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y") if lang == "vi" else value.isoformat()
    if isinstance(value, float):
        return f"{value:.0%}"
    return "" if value is None else value


def _row(table: Any, values: list[Any], size: Any, *, bold: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    cells = table.add_row().cells
    for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
        cell.paragraphs[0].text = ""
        run = cell.paragraphs[0].add_run(str(value))
        run.bold, run.font.size = bold, size
        if isinstance(value, int) or index in (0, 2, 3):
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER


class DocxFormat(Formatter):
    name = "docx"
    extensions = (".docx",)
    help = "the statistics report an office files (Word, Decree 30 layout; --profile FILE.toml for its header)"
    help_vi = "báo cáo thống kê cơ quan nộp (Word, thể thức Nghị định 30; --profile FILE.toml cho phần đầu)"
    binary = True

    def __init__(self, profile: dict[str, Any] | None = None) -> None:
        self.profile = profile or {}

    def write(self, report: Report, stream: IO[Any], lang: str) -> None:
        document(report, lang, self.profile).save(stream)
