"""The issuing body's block of page 1's header: which lines in capitals name which body.

    UBND TỈNH GIA LAI                  <- the parent body
    SỞ NÔNG NGHIỆP VÀ MÔI              <- the issuing body, its name wrapped
    TRƯỜNG

A body's word starts a body's name (``BODY_START``); a line that does not start one wraps the
name above, and so does one that does where the column broke a word or a name
(``_wrapped``).
"""

from __future__ import annotations

import re

from sigaudit.names import strip_diacritics

# Words that start the name of a body in the top-left block (folded, upper case).
BODY_START = re.compile(
    r"^(UBND|UY BAN|HDND|HOI DONG|SO |PHONG |VAN PHONG|BAN |BO |CUC |CHI CUC|TONG CUC|TRUONG |"
    r"TRUNG TAM|BENH VIEN|THANH TRA|DANG UY|HUYEN UY|TINH UY|THANH UY|QUAN UY|THI UY|KHO BAC|"
    r"CHI NHANH|VIEN |HOC VIEN|DAI HOC|CONG AN|BO CHI HUY|TOA AN|VIEN KIEM SAT|MAT TRAN|DOAN |"
    r"HOI |LIEN DOAN|TONG LIEN DOAN|CONG TY|TONG CONG TY|BAO |DAI |NGAN HANG|KIEM TOAN|HAI QUAN|TRAM |DOI |"
    r"CONG THONG TIN|CANH SAT|THUONG TRUC|BO TU LENH|HOP TAC XA|THU VIEN|NHA XUAT BAN|DANG BO|CHI BO|BAN CHAP HANH|"
    # a ministry's department ("BỘ NỘI VỤ" / "VỤ CẢI CÁCH HÀNH CHÍNH"), a forest ranger
    # station, the tax offices of 2025 ("CỤC THUẾ" / "THUẾ TỈNH LÂM ĐỒNG")
    r"VU |HAT (?:KIEM LAM|QUAN LY)|THUE (?:TINH|THANH PHO|CO SO)|"
    # a province's funds and unions ("QUỸ PHÁT TRIỂN ĐẤT", "LIÊN MINH HỢP TÁC XÃ"), parks,
    # harbour masters, the Youth Union's houses, the market watch's teams
    r"QUY |LIEN MINH|VUON QUOC GIA|KHU BAO TON|CANG VU|NHA VAN HOA|NHA THIEU NHI|"
    # the abbreviations of a union's executive committee, a project board, a steering
    # committee, the Fatherland Front ("BCH HỘI NÔNG DÂN …", "BQL DỰ ÁN …", "BCĐ …")
    r"BCH |BQL |BCD |UBMTTQ|MTTQ )"
)


def caps_block(lines: list[str]) -> list[str]:
    """The office block: the lines in capitals, from the last line of running text (six
    letters or more, not in capitals) down — a line like that between them is no header's
    ("siuốu 6c vợ) NH BÌNH THUẬN": an incoming-mail stamp read over the parent line), and
    the capitals above it are not the issuing body's."""
    for k in range(len(lines) - 1, -1, -1):
        line = lines[k]
        if (
            not is_caps(line)
            and sum(c.isalpha() for c in line) >= 6
            and not re.search(r"\bng[àa]y\b", line, re.IGNORECASE)  # the right column's date, a row up
            and any(is_caps(ln) for ln in lines[k + 1 :])
        ):
            lines = lines[k + 1 :]
            break
    return [ln for ln in lines if is_caps(ln)]


def is_caps(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def body_lines(lines: list[str]) -> list[list[str]]:
    """The lines of each body, in order: a body's word starts one (``BODY_START``), other
    lines wrap the name above (``_wrapped``)."""
    bodies: list[list[str]] = []
    for line in lines:
        folded = strip_diacritics(line).upper() + " "
        if not bodies or (BODY_START.match(folded) and not _wrapped(bodies[-1][-1], folded)):
            bodies.append([line])
        else:
            bodies[-1].append(line)
    # A gazette repeats the issuing ministry as a section heading above its block.
    out: list[list[str]] = []
    for body in bodies:
        if out and _fold(" ".join(out[-1])) == _fold(" ".join(body)):
            continue
        out.append(body)
    return out


# A long name wraps where the column ends, also inside a word whose second syllable starts
# a body's name ("SỞ NÔNG NGHIỆP VÀ MÔI" / "TRƯỜNG", "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ" /
# "HỘI", "TRUNG TÂM PHỤC" / "VỤ HÀNH CHÍNH CÔNG"), or after a word that joins two parts of
# one name ("CHI CỤC TRỒNG TRỌT VÀ" / "BẢO VỆ THỰC VẬT"); and a body's words may start a
# line that is not a body ("CẢNH SÁT" / "PHÒNG CHÁY VÀ CHỮA CHÁY").  Folded, as BODY_START.
_WRAPPED_WORDS = frozenset(
    [
        "MOI TRUONG",
        "THI TRUONG",
        "XA HOI",
        "QUOC HOI",
        "PHUC VU",
        "DICH VU",
        "NOI VU",
        "NGOAI VU",
        "NGHIEP VU",
        "NHIEM VU",
        "DAN SO",
        "DOI SO",
        "KY SO",
        "CHUYEN DOI",
        "DU PHONG",
        "QUOC PHONG",
        "CAN BO",
        "TAP DOAN",
        "CONG DOAN",
        "THU VIEN",
        "BENH VIEN",
        "HOC VIEN",
        "VIEN THONG",
        "HIEN DAI",
        "XUAT BAN",
    ]
)
_JOINING = re.compile(r"(?:\b(?:VA|CUA|VE)|[,&\-–])$")
_NO_NAME = frozenset(
    ["TRUONG", "TRUNG TAM", "SO", "CUC", "CHI CUC", "TONG CUC", "BAN", "PHONG", "HOI DONG", "VIEN", "BO"]
)
"""A body's first word alone on a line names nothing yet ("TRƯỜNG" / "ĐẠI HỌC KINH TẾ QUỐC DÂN")."""
_NOT_A_BODY = re.compile(r"^(?:PHONG,? (?:CHAY|CHONG|NGUA)|DAI BIEU|BAO VE)\b")


def _wrapped(above: str, folded: str) -> bool:
    """Whether a line (``folded``) that starts like a body's name continues the line above."""
    tail = strip_diacritics(above).upper().split()
    if not tail:
        return False
    return bool(
        _JOINING.search(tail[-1])
        or " ".join(tail) in _NO_NAME
        or f"{tail[-1]} {folded.split(' ', 1)[0]}" in _WRAPPED_WORDS
        or _NOT_A_BODY.match(folded)
    )


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", strip_diacritics(text).upper()).strip()


def caps_prefix(line: str) -> str | None:
    """The words in capitals a line starts with, where the rest has small letters: OCR
    glues the right column's text to a line of the office block where it misreads the motto
    ("ỦY BAN NHÂN DÂN lộc lập Tự do Hạnh phú", "HUYỆN PHÚ BÌNH PhhS§nh) ngà ng 0747").
    None where the line does not start with two such words and six letters."""
    words = line.split(" ")
    kept: list[str] = []
    for word in words:
        letters = [c for c in word if c.isalpha()]
        if letters and not all(c.isupper() for c in letters):
            break
        kept.append(word)
    prefix = " ".join(kept).strip(" ,-–")
    if len(kept) == len(words) or len(prefix.split()) < 2 or sum(c.isalpha() for c in prefix) < 6:
        return None
    return prefix
