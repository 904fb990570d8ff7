"""The number and symbol of a Vietnamese document ("Số: 45/KH-UBND", "04/2012/TT-BKHCN")
and the annex III type abbreviations its symbol starts with (Decree 30/2020).

The header's number line is the one that starts with "Số:": its number, or none where the
number is handwritten or illegible — never a number the body cites.
"""

from __future__ import annotations

import re
import unicodedata

# Annex III abbreviations (case matters: QyĐ, TTr, CTr, TrS; Đ is U+0110).
DOC_TYPES: dict[str, str] = {
    "NQ": "Nghị quyết",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "QC": "Quy chế",
    "QyĐ": "Quy định",
    "TC": "Thông cáo",
    "TB": "Thông báo",
    "HD": "Hướng dẫn",
    "CTr": "Chương trình",
    "KH": "Kế hoạch",
    "PA": "Phương án",
    "ĐA": "Đề án",
    "DA": "Dự án",
    "BC": "Báo cáo",
    "BB": "Biên bản",
    "TTr": "Tờ trình",
    "HĐ": "Hợp đồng",
    "CĐ": "Công điện",
    "BGN": "Bản ghi nhớ",
    "BTT": "Bản thỏa thuận",
    "GUQ": "Giấy ủy quyền",
    "GM": "Giấy mời",
    "GGT": "Giấy giới thiệu",
    "GNP": "Giấy nghỉ phép",
    "PG": "Phiếu gửi",
    "PC": "Phiếu chuyển",
    "PB": "Phiếu báo",
    # not in annex III, issued all the same: an inspection's or a Party committee's
    # conclusions ("12/KL-TTr", "Số 05-KL/TU")
    "KL": "Kết luận",
    "SY": "Bản sao y",
    "TrS": "Bản trích sao",
    "SL": "Bản sao lục",
    # Legal normative documents (Law 64/2025 on promulgating legal documents): their symbols
    # carry the year, "04/2012/TT-BKHCN", "171/2025/NĐ-CP", "05/2011/TTLT-BKHCN-BTC".
    "NĐ": "Nghị định",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
    "NQLT": "Nghị quyết liên tịch",
    "PL": "Pháp lệnh",
    "L": "Luật",
}
DOC_TYPES = {unicodedata.normalize("NFC", k): v for k, v in DOC_TYPES.items()}

# Title line → annex III abbreviation.
TITLE_TYPES: dict[str, str] = {
    "NGHỊ QUYẾT": "NQ",
    "QUYẾT ĐỊNH": "QĐ",
    "CHỈ THỊ": "CT",
    "QUY CHẾ": "QC",
    "QUY ĐỊNH": "QyĐ",
    "THÔNG CÁO": "TC",
    "THÔNG BÁO": "TB",
    "HƯỚNG DẪN": "HD",
    "CHƯƠNG TRÌNH": "CTr",
    "KẾ HOẠCH": "KH",
    "PHƯƠNG ÁN": "PA",
    "ĐỀ ÁN": "ĐA",
    "DỰ ÁN": "DA",
    "BÁO CÁO": "BC",
    "BIÊN BẢN": "BB",
    "TỜ TRÌNH": "TTr",
    "HỢP ĐỒNG": "HĐ",
    "CÔNG ĐIỆN": "CĐ",
    "BẢN GHI NHỚ": "BGN",
    "BẢN THỎA THUẬN": "BTT",
    "GIẤY ỦY QUYỀN": "GUQ",
    "GIẤY MỜI": "GM",
    "GIẤY GIỚI THIỆU": "GGT",
    "GIẤY NGHỈ PHÉP": "GNP",
    "PHIẾU GỬI": "PG",
    "PHIẾU CHUYỂN": "PC",
    "PHIẾU BÁO": "PB",
    "KẾT LUẬN": "KL",
    "NGHỊ ĐỊNH": "NĐ",
    "THÔNG TƯ": "TT",
    "THÔNG TƯ LIÊN TỊCH": "TTLT",
    "NGHỊ QUYẾT LIÊN TỊCH": "NQLT",
    "PHÁP LỆNH": "PL",
    "LUẬT": "L",
}
TITLE_TYPES = {unicodedata.normalize("NFC", k): unicodedata.normalize("NFC", v) for k, v in TITLE_TYPES.items()}

_JOIN = r"(?:&|\.(?-i:(?=[A-ZĐ0-9]+(?![^\W_]))))"
_NUMBER = re.compile(
    r"S[ốố][ \t]*:?[ \t]*(?P<n>\d{1,6}[a-zđ]?)\s*/\s*(?:(?P<y>(?:19|20)\d{2})\s*/\s*)?"
    # segments of letters and digits joined by hyphens; a segment may join two units with
    # "&" ("SNV-CCHC&VTLT") or a dot before a unit's capitals ("SNV.CCHC"; never a dot before
    # a word in lower case: "…-SNV.Ninh Bình" is the symbol, then the place)
    r"(?P<sym>[^\W_]+(?:" + _JOIN + r"[^\W_]+)*(?:\s*[\-–]\s*[^\W_]+(?:" + _JOIN + r"[^\W_]+)*)*)",
    re.IGNORECASE,
)


_PARTY_NUMBER = re.compile(
    r"S[ốố][ \t]*:?[ \t]*(?P<n>\d{1,6}[a-zđ]?)[ \t]*[\-–][ \t]*(?P<t>[^\W\d_]{1,5})[ \t]*/[ \t]*"
    r"(?P<sym>[^\W_]+(?:[ \t]*[\-–][ \t]*[^\W_]+)*)",
    re.IGNORECASE,
)
"""A Party committee's number: the type before the slash, the committee after it ("Số
123-KH/HU", "Số 05-NQ/TU"; Hướng dẫn 36-HD/VPTW)."""


def _split_glued_symbol(symbol: str) -> str:
    """``KH-UBNDPhú`` → ``KH-UBND``: a capitalised word glued to the end of the symbol.

    Office abbreviations are capitals; place names that an extractor glues after them
    start with a capital followed by small letters.  Mixed-case type abbreviations (TTr,
    QyĐ) stand in the first segment, which is never cut this way.
    """
    segments = re.split(r"\s*[\-–]\s*", symbol)
    last = segments[-1]
    if len(segments) > 1 or len(last) > 3:
        # a capital followed by a small letter, after two capitals (by the letters' case,
        # not by code ranges: "QLĐĐ" ends in two capitals Đ, not in a word "Đđ…")
        for k in range(2, len(last) - 1):
            if last[k].isupper() and last[k + 1].islower() and last[k - 2 : k].isalpha() and last[k - 2 : k].isupper():
                segments[-1] = last[:k]
                break
    # "KH - UBND" extracted with spaces → "KH-UBND"
    return "-".join(s for s in segments if s)


def _repair_symbol(symbol: str) -> str:
    """``TTiBKHCN`` → ``TT-BKHCN``: a hyphen that a font's encoding turned into another glyph.

    Repaired only where it is unambiguous: no hyphen at all, exactly one way to read a
    known type abbreviation, then one stray character (``i``, ``9``, ``|``, ``l``, ``1``),
    then an all-capitals office abbreviation.
    """
    if "-" in symbol:
        return symbol
    candidates = [
        f"{symbol[:k]}-{symbol[k + 1 :]}"
        for k in range(1, len(symbol) - 2)
        if symbol[:k] in DOC_TYPES
        and symbol[k] in "i9|l1"
        and len(symbol) - k - 1 >= 2
        and symbol[k + 1 :].isupper()
        and symbol[k + 1 :].isalpha()
    ]
    return candidates[0] if len(candidates) == 1 else symbol


_NUMBER_LINE = re.compile(r"^[ \t]*S[ốố][ \t]*(?::|(?=[\d/]))", re.IGNORECASE | re.MULTILINE)
"""A line that starts with "Số:" (or "Số 45/…"): the header's number line.  "Số lượng …"
in the body is not one."""


def _find_number(text: str) -> tuple[str | None, str | None, int | None, int | None]:
    """(number, doc_type, start, end) of the header's ``Số: 45/KH-UBND``.

    Where a line starts with "Số:", that line is the number line: its number or none (a
    handwritten or illegible number), never one cited further down ("Nghị quyết SỐ
    30c/NQ-CP" cited in the body of a scan).  Otherwise the first one not cited after a
    document's kind.  Nothing past the addressee ("Kính gửi:"), where a body begins."""
    addressee = _ADDRESSEE.search(text)
    header_end = addressee.start() if addressee else len(text)  # a công văn's body starts there
    # A "Số:" line with no "/" at all is not a document's number (its symbol always follows
    # a slash, a handwritten number leaves "Số:   /KH-…"): an incoming-mail stamp's register
    # number ("ĐẾN / Số: 4567 / Ngày: …") over the header.  The number line is the first
    # line that has one.
    line = number_line(text, header_end) or _NUMBER_LINE.search(text, 0, header_end)
    if line is not None:
        end = text.find("\n", line.start())
        for m in _NUMBER.finditer(text, line.start()):
            if end >= 0 and m.start() > end:
                break
            found = _number_match(m, text)
            if found is not None:
                return found
        party = _PARTY_NUMBER.search(text, line.start(), end if end >= 0 else len(text))
        if party is not None:
            found = _party_match(party, text)
            if found is not None:
                return found
        return None, None, None, None
    # No "Số:" line: the first number of the header, never past the addressee nor one cited
    # after a document's kind.
    for m in _NUMBER.finditer(text, 0, header_end):
        found = _number_match(m, text)
        if found is not None:
            return found
    return None, None, None, None


_ADDRESSEE = re.compile(r"(?m)^\s*K[íi]nh\s*g[ửu]i\b", re.IGNORECASE)


def number_line(text: str, end: int | None = None) -> re.Match[str] | None:
    """The header's number line, as ``_find_number`` chooses it: the first "Số:" line (before
    ``end``) with a "/" in it."""
    return next(
        (
            m
            for m in _NUMBER_LINE.finditer(text, 0, len(text) if end is None else end)
            if "/" in text[m.start() : _line_end(text, m.start())]
        ),
        None,
    )


def _line_end(text: str, start: int) -> int:
    end = text.find("\n", start)
    return len(text) if end < 0 else end


_CITING = re.compile(
    r"(?:nghị\s*quyết|nghị\s*định|quyết\s*định|chỉ\s*thị|thông\s*tư|thông\s*báo|công\s*văn|công\s*điện|văn\s*bản|"
    r"kế\s*hoạch|báo\s*cáo|tờ\s*trình|hướng\s*dẫn|luật|pháp\s*lệnh)[\s,.:]*$",
    re.IGNORECASE,
)
"""A document's kind right before "số" on its line: the number that follows is that
document's, cited ("Thực hiện Nghị quyết SỐ 30c/NQ-CP ngày …"), whatever the case OCR gave
"số"."""


def _number_match(m: re.Match[str], text: str = "") -> tuple[str, str | None, int, int] | None:
    """The number, type and span a match of ``_NUMBER`` stands for, or None."""
    if _cited(m, text):
        return None
    symbol = _repair_symbol(_split_glued_symbol(m["sym"]))
    if text:
        symbol = _place_initials_left(symbol, text, m.start("sym") + _symbol_span(m["sym"], symbol)).rstrip(".")
    if not symbol:
        return None
    number = f"{m['n']}/{m['y']}/{symbol}" if m["y"] else f"{m['n']}/{symbol}"
    parts = re.split(r"[\-.]", symbol, maxsplit=1)  # the type, then the office ("KH-PNV", "KH.PNV")
    doc_type = parts[0] if len(parts) == 2 and parts[0] in DOC_TYPES else None
    end = m.start("sym") + _symbol_span(m["sym"], symbol)
    return number, doc_type, m.start(), end


def _cited(m: re.Match[str], text: str) -> bool:
    """Whether a number found is another document's: "số" in running text ("… Nghị định số
    171/2025/NĐ-CP") or right after a document's kind (``_CITING``)."""
    if m.group(0)[0] == "s":
        return True
    line_start = text.rfind("\n", 0, m.start()) + 1
    return _CITING.search(text, line_start, m.start()) is not None


def _party_match(m: re.Match[str], text: str) -> tuple[str, str | None, int, int] | None:
    """The number, type and span of a Party committee's ``Số 123-KH/HU``, or None."""
    if _cited(m, text):
        return None
    symbol = _split_glued_symbol(m["sym"])
    symbol = _place_initials_left(symbol, text, m.start("sym") + _symbol_span(m["sym"], symbol))
    if not symbol:
        return None
    kind = unicodedata.normalize("NFC", m["t"])
    end = m.start("sym") + _symbol_span(m["sym"], symbol)
    return f"{m['n']}-{kind}/{symbol}", kind if kind in DOC_TYPES else None, m.start(), end


def _place_initials_left(symbol: str, text: str, end: int) -> str:
    """``KH-PNVÔ`` → ``KH-PNV`` where the text goes on ``Môn, ngày …``: the capitals that
    begin a known place printed right after the symbol ("Ô Môn", "A Lưới", "AYun"; by the
    letters' case ``_split_glued_symbol`` cannot tell them from the office's).  Only where
    the place is followed by the date line's comma, and at least two letters stay."""
    last = symbol.rsplit("-", 1)[-1]
    if not last[-1:].isupper():
        return symbol
    after = text[end : end + 40]
    from sigaudit.evidence.page import lexicon

    abbreviated = re.match(r"\.[ \t]*([^,\n]{2,30}?)[ \t]*,", after)
    if abbreviated and last.endswith(("TP", "TX")) and len(last) >= 4 and lexicon.known(abbreviated[1]):
        return symbol[:-2]  # "…/KH-UBNDTP. Hồ Chí Minh, ngày": the city's "TP."
    if not after[:1].isspace() and not after[:1].isalpha():
        return symbol

    for k in (1, 2):
        if len(last) - k < 2:
            break
        candidate = symbol[-k:] + after
        for name in lexicon.capital_led():
            if candidate.startswith(name) and candidate[len(name) :].lstrip(" \t").startswith(","):
                return symbol[:-k]
    return symbol


def _symbol_span(raw: str, symbol: str) -> int:
    """Length of ``raw`` that the cleaned symbol covers (spaces inside are skipped)."""
    i = j = 0
    while i < len(raw) and j < len(symbol):
        if raw[i] == symbol[j] or (raw[i] in "-–" and symbol[j] == "-"):
            j += 1
        i += 1
    return i
