"""The Vietnamese document header, read from the text of page 1 (Decree 30/2020, annex I).

    UBND HUYỆN PHÚ BÌNH                    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
    PHÒNG NỘI VỤ                                Độc lập - Tự do - Hạnh phúc
    Số: 45/KH-PNV                          Phú Bình, ngày 19 tháng 8 năm 2021

Text extractors put the two columns in any order, interleave them on one line or glue
them together without a space ("Hạnh phúcPhú Bình, ngày …"), split a date over two lines,
and some producers emit decomposed (NFD) Unicode.  The parser therefore works on NFC
text, strips the national motto wherever it sits, and anchors on "Số" and "ngày … tháng
… năm …" rather than on line positions.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sigaudit.evidence.page import stamps
from sigaudit.evidence.page.bodies import body_lines, caps_block, caps_prefix, is_caps
from sigaudit.evidence.page.numbers import _ADDRESSEE, _NUMBER, TITLE_TYPES, _find_number, number_line
from sigaudit.evidence.page.subject import subject_of
from sigaudit.model import HeaderEvidence
from sigaudit.names import clean_spaces, one_for_one

_DASH = r"[\-\u2010-\u2015\u2212]"
# The national motto, the Party's and the Youth Union's, in any case, with or without diacritics on "HÒA".
_MOTTO = re.compile(
    r"C[ỘO]NG\s*H[ÒOÀ][AÀ]?\s*X[ÃA]\s*H[ỘO]I\s*CH[ỦU]\s*NGH[ĨI]A\s*VI[ỆE]T\s*NAM"
    # OCR's slips on the motto's diacritics ("Tự đo", "Dộc lập") read the same motto
    rf"|[ĐD][ộôo]c\s*l[ậâa]p\s*{_DASH}?\s*T[ựưu]\s*[dđ][oơ]\s*{_DASH}?\s*H[ạa]nh\s*ph[úu]c"
    r"|Đ[ẢA]NG\s*C[ỘO]NG\s*S[ẢA]N\s*VI[ỆE]T\s*NAM"
    # the Youth Union's, where the state's stands ("TỈNH ĐOÀN QUẢNG NAM" | "ĐOÀN TNCS HỒ CHÍ MINH")
    r"|Đ[OÒ][AÀ]N\s*(?:TNCS|THANH\s*NI[ÊE]N\s*C[ỘO]NG\s*S[ẢA]N)\s*H[ỒO]\s*CH[ÍI]\s*MINH",
    re.IGNORECASE,
)
_RULE = re.compile(r"^[\s\-_=.*~–—]+$")
# Running heads of the Official Gazette ("52 CÔNG BÁO/Số 241 + 242/Ngày 05-03-2012") and
# its section headings ("PHẦN VĂN BẢN QUY PHẠM PHÁP LUẬT", "BỘ KHOA HỌC VÀ CÔNG NGHỆ" set
# apart above the issuing body's block) are not part of a document's header.
_RUNNING_HEAD = re.compile(
    # the national gazette's ("52 CÔNG BÁO/Số 241 + 242/Ngày …") and a province's ("16 CÔNG
    # BÁO BÀ RỊA - VŨNG TÀU/Số 09/Ngày …"), its page number before or after
    r"^\s*\d*\s*C[ÔO]NG\s*B[ÁA]O\b[^\n/]{0,60}/[^\n]*$",
    re.IGNORECASE | re.MULTILINE,
)
_GAZETTE_SECTION = re.compile(r"^\s*(PH[ẦẢÂẨẤẬA]N|M[ỤU]C)\s+[^\n]*$", re.MULTILINE)  # as OCR reads it too
# A công văn names its subject on a "V/v" line instead of a title.
_CONG_VAN_SUBJECT = re.compile(r"(^|\n)\s*V/v\b", re.IGNORECASE)
# A comma or a stop after the day or the month ("ngày 24. tháng 03": a speck beside a
# stamped day, as OCR reads it) is read through.
_DATE_WORDS = re.compile(
    r"ng[àa]y\s*(?P<d>\d{1,2})\s*[,.]?\s*th[áa]ng\s*(?P<m>\d{1,2})\s*[,.]?\s*n[ăa]m\s*(?P<y>\d{4})", re.IGNORECASE
)
_DATE_NUMERIC = re.compile(r"ng[àa]y\s*(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]\s*(?P<y>\d{4})", re.IGNORECASE)
_TITLES = re.compile(
    r"^\s*(" + "|".join(sorted(map(re.escape, TITLE_TYPES), key=len, reverse=True)) + r")"
    # older and legal titles go on: "QUYẾT ĐỊNH CỦA ỦY BAN NHÂN DÂN TỈNH", "NGHỊ QUYẾT VỀ …"
    r"(?:\s+(?:CỦA|VỀ)\s[^\n]*)?\s*$"
)
_DATE_ANY = re.compile(r"(?<!\w)ng[àa][^\n]{0,20}?th[áa]ng[^\n]{0,20}?n[ăa]m\s*(?:19|20)\d{2}", re.IGNORECASE)
"""A date line whatever its day and month hold (blank, handwritten, illegible: "ngàW/{
tháng 5 năm 2021", "ngày 2# thángØ†? năm 2021" where a scan's handwriting touches the
words)."""


_CITED = re.compile(r"\d\S*/\S*[A-ZĐ]\S*\s*$")
_MONTH = re.compile(r"th[áa]ng\s*(?P<m>\d{1,2})\s*[,.]?\s*n[ăa]m\s*(?P<y>(?:19|20)\d{2})", re.IGNORECASE)


def _month_of(text: str, start: int, end: int) -> tuple[str, list[tuple[int, int]]] | None:
    """The month and year the date line ``text[start:end]`` prints ("2024-11"), and where its
    month and year were read; None where they are not both digits and a real month."""
    m = _MONTH.search(text, start, end)
    if m is None or not 1 <= int(m["m"]) <= 12:
        return None
    return f"{m['y']}-{int(m['m']):02d}", [m.span("m"), m.span("y")]


@dataclass(frozen=True)
class _DateMatch:
    start: int
    end: int
    date: dt.date | None
    text: str


def normalise_text(text: str) -> str:
    text = one_for_one(text).replace("\u200b", "").replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(re.sub(r"[ \t\f\v]+", " ", line).strip() for line in text.split("\n"))


def _find_dates(text: str) -> list[_DateMatch]:
    found = []
    for pattern in (_DATE_WORDS, _DATE_NUMERIC):
        for m in pattern.finditer(text):
            try:
                value: dt.date | None = dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
            except ValueError:
                value = None
            found.append(_DateMatch(m.start(), m.end(), value, clean_spaces(m.group(0))))
    return sorted(found, key=lambda d: d.start)


def _line_before(text: str, pos: int) -> str:
    start = text.rfind("\n", 0, pos) + 1
    return text[start:pos]


def _place_line(text: str, pos: int) -> tuple[int, int]:
    """(start, end) of the text before a date at ``pos`` that may hold its place: the date's
    line up to it, or, where the date starts its line and the line above ends with a comma,
    that line ("Thành phố Hồ Chí Minh," above "ngày 12 tháng 9 năm 2025": a long place
    breaks the date line after it)."""
    start = text.rfind("\n", 0, pos) + 1
    if start > 0 and not text[start:pos].strip():
        above = text.rfind("\n", 0, start - 1) + 1
        if text[above : start - 1].rstrip().endswith(","):
            return above, start - 1
    return start, pos


def _placed(text: str, pos: int) -> bool:
    """Whether the date at ``pos`` is written after a place and a comma ("<place>, ngày …")."""
    start, end = _place_line(text, pos)
    return text[start:end].rstrip().endswith(",")


def _place_before(text: str, date: _DateMatch, number_end: int | None) -> str | None:
    line_start, line_end = _place_line(text, date.start)
    if number_end is not None and line_start <= number_end <= line_end:
        line_start = number_end
    segment = _MOTTO.sub("\n", text[line_start:line_end]).split("\n")[-1]
    # what follows a number and symbol on the same row ("Số: ⁇ /TTr-UBND Quảng Ngãi,")
    segment = re.split(r"\S*/\S*\s+", segment)[-1]
    # the rest of a symbol the reading split ("…/UBND- KSTTHC Phú Thọ"): capital codes
    # before a place written in title case
    # ("Số: J07TB-KCN Bắc Giang": a symbol read without its slash)
    # ("Sốp Cộp, ngày …" is a place: "Số" only as a word)
    # (a party document's star under its committee's name, "*", may share the row)
    segment = re.sub(r"^S[ốố](?![^\W\d_])\s*:?\s*", "", segment.lstrip(" -–*"), flags=re.IGNORECASE)
    city = re.match(r"(T[PX]) (?=[^\W\d_][^\W\d_A-ZĐ])", segment)
    if city is None or not _known_place(segment[city.end() :].strip(" ,.;:-")):
        # (but "TP Hồ Chí Minh", "TX Sơn Tây": the city's or town's abbreviation, dot left out)
        segment = re.sub(r"^(?:[A-ZĐ0-9][A-ZĐ0-9\-–]+\s+)+(?=[^\W\d_][^\W\d_A-ZĐ])", "", segment)
    segment = clean_spaces(segment.strip(" ,.;:-"))
    if not segment or len(segment) > 60 or not segment[0].isupper():
        return None
    if re.search(r"\d", segment) and not re.match(r"^(Phường|Quận|P\.|Q\.)", segment) and not _known_place(segment):
        return None
    return segment


def _known_place(segment: str) -> bool:
    """A place with a digit in its name ("Mỹ Đình 2", "Phường 4" aside) that the lexicon
    knows; read only then (building its index costs a quarter of a second)."""
    from sigaudit.evidence.page import lexicon

    return lexicon.known(segment)


def _pick_date(dates: list[_DateMatch], text: str, header_end: int) -> _DateMatch | None:
    """The issuance date: the first one written '<place>, ngày …' in the header.

    Where the header has a '<place>, ngày … tháng … năm …' line, that line is the date line:
    its date or none (a handwritten or illegible day), never a date cited in the body."""
    for line in _DATE_ANY.finditer(text, 0, header_end):
        if _placed(text, line.start()):
            return next((d for d in dates if line.start() <= d.start < line.end()), None)
    # a date right after another document's number and symbol ("Chỉ thị số 7883/CT-BNNMT
    # ngày 17/7/2026") is that document's: a citation, wherever the title was not read
    in_header = [d for d in dates if d.start < header_end and not _CITED.search(_line_before(text, d.start))]
    for d in in_header:
        if _placed(text, d.start):
            return d
    return in_header[0] if in_header else None


def _office_lines(text: str, stop: int, ocr: bool = False) -> list[str]:
    """The lines above ``stop`` that may name the issuing body.  A signature stamp drawn
    into the page content (a copy printed or re-distilled with its stamps: "TRUNG TÂM CÔNG
    BÁO VÀ TIN HỌC", its e-mail, its date and time) ends with its e-mail or its time: the
    lines down to there are the stamp's, where the body's own lines follow.  Read by OCR
    (``ocr``), a line that starts in capitals and goes on in small letters is the office
    block's line glued to the right column's (``caps_prefix``)."""
    lines: list[str] = []
    above: list[str] = []
    for raw in _MOTTO.sub("\n", text[:stop]).split("\n"):
        # (a comma that ends a line is kept: a long name wraps after one, "SỞ VĂN HÓA," /
        # "THỂ THAO VÀ DU LỊCH"; a body's name drops it at its end)
        line = clean_spaces(re.sub(r"[_=~.…]{3,}|[\-–—]{3,}", " ", raw)).strip(" _.;:|\"'“”‘’*")
        line = line.lstrip(" ,") if not line.endswith(",") else line.strip(" ,") + ","
        if line and (
            _EMAIL.search(line)
            or stamps.STAMP_TIME.search(line)
            or (_STAMP_END.search(line) and (not is_caps(line) or ":" in line or _DEN.match(line)))
        ):
            above, lines = above + lines, []
            continue
        if not line or _RULE.match(line) or stamps.is_stamp_line(line) or re.match(r"S[ốỐ]\s*:", line):
            continue
        if sum(c.isalpha() for c in line) < 2:
            continue  # a lone letter ("T"): a speck of a scan, never a body's line
        if ocr and not is_caps(line):
            line = caps_prefix(line) or line
        lines.append(line)
    return lines if any(is_caps(ln) for ln in lines) else above + lines


_DEN = re.compile(r"^(?:ĐẾN|ĐÉN|DEN)\b")
"""An incoming-mail stamp's first word, in capitals; its other fields are written with a
colon or in lower case, where a body's name in capitals may start with the same word
("CHUYỂN ĐỔI SỐ", a line of "TRUNG TÂM CHUYỂN ĐỔI SỐ")."""
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+|\w\.gov\.vn\b")
_STAMP_END = re.compile(
    # a stamp's time read with a slip ("06.1 1.2024 09:27:05", "+07:00"); the word ĐẾN that
    # opens an incoming-mail stamp's fields (its receiving office is the line above); and
    # its other fields: where ĐẾN is not legible, "Chuyển: …" or "Số và ký hiệu …" is
    r"^[\d/.:+\-\s;]*\d{1,2}:\d{2}[\d/.:+\-\s;]*$"
    rf"|{_DEN.pattern}"
    r"|^(?:Chuyển|S[ốo]\s*v[àa]\s*k[ýy]\s*hi[ệe]u)\b"
)


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with the given spans replaced by spaces (offsets kept)."""
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def _page_content_has_header(text: str, sources: tuple[str | None, ...], scanned: bool = False) -> bool:
    """Whether the page content holds any text besides what annotations draw (signature
    stamps) and copy or signature stamp lines written into the content ("SAO Y; …").  On a
    page covered by a scanned image, a few lines with no header anchor (a signing tool's
    stamp written into the content, its wrapped lines included) are not a header either."""
    content = "".join(" " if src is not None and ch != "\n" else ch for ch, src in zip(text, sources, strict=False))
    kept = [ln for ln in content.split("\n") if any(c.isalnum() for c in ln) and not stamps.is_stamp_line(ln.strip())]
    if not kept:
        return False
    if scanned:
        body = "\n".join(kept)
        anchored = (
            _MOTTO.search(body)
            or _NUMBER.search(body)
            or _DATE_ANY.search(body)
            or any(_TITLES.match(ln.strip()) for ln in kept)
        )
        if not anchored and sum(c.isalpha() for c in body) < 300:
            return False
    return True


def _without_running_heads(text: str) -> str:
    """``text`` with the gazette's running heads and section headings blanked out."""
    heads = [(m.start(), m.end()) for m in _RUNNING_HEAD.finditer(text)]
    heads += [(m.start(), m.end()) for m in _GAZETTE_SECTION.finditer(text) if m.start() < 400]
    return _mask(text, heads)


_LETTER_START = re.compile(r"(^|\n)\s*(V/v\b|Kính gửi\b)", re.IGNORECASE)


def _title_and_end(text: str) -> tuple[re.Match[str] | None, str | None, int]:
    """(the title line, its type word, where the header ends) of normalised text."""
    for m in re.finditer(r"(?m)^.*$", text):
        kind = _TITLES.match(m.group(0))
        if kind:
            return m, kind.group(1), m.start()
    header_end = min(len(text), 1500)
    # a công văn: its header ends where its subject ("V/v …") or addressee begins
    subject = _LETTER_START.search(text)
    if subject:
        end = subject.start() + 200
        # Read by OCR, a long subject's lines (the left column) come before the date line
        # of the right column: up to the addressee, where the body begins, it is header.
        addressee = _ADDRESSEE.search(text, subject.end(), subject.start() + _LONGEST_SUBJECT)
        if addressee is not None:
            end = max(end, addressee.start())
        header_end = min(header_end, end)
    return None, None, header_end


_LONGEST_SUBJECT = 600
"""Characters from a công văn's "V/v" to its addressee, at most (its subject runs up to
eight short lines of the left column)."""


def band_suffices(text: str) -> bool:
    """Whether ``parse_header`` reads nothing of a page below the rows in ``text``, the top
    rows of that page (``band.py``): then it reads the same on them as on the page.  The
    last row may be cut; everything read must lie above it.  With a title: the title and
    three whole lines under it (its subject is at most three).  Without one (a công văn): a
    "Số:" line, its "V/v" subject, and the header's end (200 characters past the subject or
    addressee) with 400 characters past the number."""
    text = _without_running_heads(normalise_text(text))
    cut = text.rfind("\n")
    if cut < 0:
        return False
    title, _, header_end = _title_and_end(text)
    if title is not None:
        return sum(1 for line in text[title.end() : cut].split("\n") if line.strip()) >= 3
    if header_end > cut or not _CONG_VAN_SUBJECT.search(text, 0, cut):
        return False
    # the number line as ``numbers._find_number`` chooses it: the first with a "/"
    line = number_line(text)
    if line is None:
        return False
    end = text.find("\n", line.start())
    return end >= 0 and end + 400 <= cut


def parse_header(
    text: str,
    sources: tuple[str | None, ...] | None = None,
    spans: dict[str, list[tuple[int, int]]] | None = None,
    *,
    scanned: bool = False,
    ocr: bool = False,
) -> HeaderEvidence:
    """Read number, type, office, place and issuance date from page-1 text.

    ``sources``, when given, says for each character of ``text`` which annotation drew it
    (None: the page content); see ``evidence/page/pagetext.py``.  The number and the date may
    be stamped by a signature's appearance; the office block is read from the page
    content only (a republisher's stamp above it is not the issuing body).  ``ocr``: the
    text is Tesseract's reading of the page's image (``_office_lines``).
    """
    text_in = one_for_one(text) if sources is not None else text
    text = normalise_text(text)
    if sources is not None and (text != text_in or len(sources) != len(text)):
        sources = None  # offsets no longer line up; the fields are still read
    if not text.strip():
        return HeaderEvidence(has_text=False)
    copies = stamps.copy_stamps(text, sources) if sources is not None else ()
    stamped_times = stamps.stamp_times(text, sources) if sources is not None else ()
    stamp_line = next(
        (
            m.group(0).strip()
            for m in re.finditer(r"[^\n]+", text)
            if stamps.COPY_STAMP.match(m.group(0).strip()) and re.search(r"\d{1,2}/\d{1,2}/\d{4}", m.group(0))
        ),
        None,
    )
    if sources is not None and not _page_content_has_header(text, sources, scanned):
        # Only signature or copy stamps carry text ("Ký bởi: …", "SAO Y; SỞ NỘI VỤ; …"):
        # a scanned page whose header is in the image.
        return HeaderEvidence(has_text=False, copy_stamped_by=copies, copy_stamp=stamp_line, stamp_times=stamped_times)
    text_all = text
    text = _without_running_heads(text)
    title, title_kind, header_end = _title_and_end(text)

    number, doc_type, num_start, num_end = _find_number(text[:header_end] if title else text)
    if doc_type and title is None and _CONG_VAN_SUBJECT.search(text[: (num_end or 0) + 400]):
        # A công văn: its symbol starts with the office's abbreviation ("2191/CT-CS", CT =
        # Cục Thuế), not with a document type.
        doc_type = None
    dates = _find_dates(text)
    date = _pick_date(dates, text, header_end)
    place = _place_before(text, date, num_end) if date else None
    month = _month_of(text, date.start, date.end) if date else None
    if month is None and date is not None and date.date is not None:
        month = (f"{date.date:%Y-%m}", [(date.start, date.end)])  # "ngày 05/3/2025"
    if date is None:
        # "Quảng Ngãi, ngày    tháng 01 năm 2025": the day left blank or handwritten, the
        # place still printed, and the month where the line is the date line ("<place>, ngày")
        blank = _DATE_ANY.search(text[:header_end])
        if blank:
            place = _place_before(text, _DateMatch(blank.start(), blank.end(), None, blank.group(0)), num_end)
            if _placed(text, blank.start()):
                month = _month_of(text, blank.start(), blank.end())

    # The office block sits above the number in the left column; the date, in the right
    # column, may be drawn a row higher than the office's last line.
    if num_start is not None and num_start < header_end:
        stop = num_start
    else:
        # a number line whose number is not legible ("Số 14/?/KH-UBND") still ends the block
        line = number_line(text, header_end)
        stop = min(
            p for p in (date.start if date else None, header_end, line.start() if line else None) if p is not None
        )
    office_text = _mask(text, stamps.annotation_lines(text, sources)) if sources is not None else text
    office_block = caps_block(_office_lines(office_text, stop, ocr))
    # Only the lines at the very top belong to the block; body text is never all caps
    # before the number, but a title could be, so cap the block at four lines.
    grouped = body_lines(office_block[-4:] if len(office_block) > 4 else office_block)
    bodies = [" ".join(group).rstrip(" ,") for group in grouped]
    office = bodies[-1] if bodies else None
    parent = bodies[-2] if len(bodies) > 1 else None
    if number is None and date is None and not _MOTTO.search(text):
        # Nothing on the page is shaped like a Vietnamese administrative header: its first
        # capitals are a title or a heading, not an issuing body.
        office = parent = None
    title_text = clean_spaces(title.group(0)) if title else None
    subject = subject_of(text, title.end() if title else None)
    if spans is not None:
        # Where each field was read, for a confidence per field (OCR).
        if num_start is not None and num_end is not None:
            spans["number"] = [(num_start, num_end)]
        if date is not None:
            spans["issuance_date"] = [(date.start, date.end)]
        if month is not None:
            spans["issuance_month"] = month[1]
        if place:
            at = text.rfind(place, 0, date.start if date else header_end)
            if at >= 0:
                spans["issuance_place"] = [(at, at + len(place))]
        if title is not None:
            spans["title_type"] = [(title.start(), title.end())]
        if office and grouped:
            spans["office"] = _fragment_spans(office_text[:stop], grouped[-1])
        if parent and len(grouped) > 1:
            spans["parent_office"] = _fragment_spans(office_text[:stop], grouped[-2])
    number_by: tuple[str, ...] = ()
    date_by: tuple[str, ...] = ()
    if sources is not None:
        if num_start is not None and num_end is not None:
            number_by = stamps.sources_in(text_all, sources, num_start, num_end)
        if date is not None:
            date_by = stamps.sources_in(text_all, sources, date.start, date.end)
    return HeaderEvidence(
        has_text=True,
        office=office,
        parent_office=parent,
        number=number,
        doc_type=doc_type,
        issuance_place=place,
        issuance_date=date.date if date else None,
        issuance_date_text=date.text if date else None,
        issuance_month=month[0] if month else None,
        title=title_text,
        title_type=TITLE_TYPES.get(title_kind) if title_kind else None,
        subject=subject,
        number_stamped_by=number_by,
        date_stamped_by=date_by,
        copy_stamped_by=copies,
        copy_stamp=stamp_line,
        stamp_times=stamped_times,
    )


def _fragment_spans(text: str, fragments: list[str]) -> list[tuple[int, int]]:
    """Where each line fragment of a body was read (its last occurrence before the stop)."""
    out = []
    for fragment in fragments:
        at = text.rfind(fragment)
        if at >= 0:
            out.append((at, at + len(fragment)))
    return out
