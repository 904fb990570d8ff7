"""Known names: Vietnam's provinces, districts and communes (old and merged), to snap a
reading of an office or a place to the name a person would read.

Printed names are a closed vocabulary.  OCR misreads them in ways a person never would
("VỮNG TÀU" for VŨNG TÀU, "Bà Rịa Vũng Tàu" without its hyphen); a reading whose letters,
without diacritics, spaces and dashes, are those of exactly one known name is that name.
A reading that matches no known name (or several) is left as read, and the OCR reader
states it as unsure.  The data is ``data/lexicon/places.json``, generated from the PyPI
package ``vietnam-provinces`` by ``docs/make_lexicon.py``.
"""

from __future__ import annotations

import difflib
import functools
import json
import re
from importlib import resources

from sigaudit.names import nfc, strip_diacritics

LEVELS = ("provinces", "districts", "wards")

# The words that name a unit's level in an office line or a place ("UBND TỈNH …",
# "Thành phố …"); longest first so "THỊ XÃ" is not read as "XÃ".
LEVEL_WORDS = ("THÀNH PHỐ", "THỊ XÃ", "THỊ TRẤN", "ĐẶC KHU", "TỈNH", "HUYỆN", "QUẬN", "PHƯỜNG", "XÃ")
"""The words that name a unit's level before its name, longest first ("THỊ XÃ" before "XÃ")."""
_LEVEL_WORD = re.compile(
    r"(?<![^\W\d_])(" + "|".join(LEVEL_WORDS) + r"|TP\.?)\s+",
    re.IGNORECASE,
)


def fold(text: str) -> str:
    """Letters and digits only, without diacritics, lower case: the key names match by."""
    return re.sub(r"[\W_]+", "", strip_diacritics(nfc(text)).casefold())


def _same_word(name: str) -> str:
    # "Hoà Bình" and "Hòa Bình": one name in two conventions of placing the tone mark
    return nfc(name).replace("oà", "òa").replace("oá", "óa").replace("oả", "ỏa").replace("uỵ", "ụy").replace("uỷ", "ủy")


@functools.cache
def _data() -> dict[str, list[str]]:
    return json.loads(resources.files("sigaudit").joinpath("data/lexicon/places.json").read_text(encoding="utf-8"))


@functools.cache
def capital_led() -> tuple[str, ...]:
    """Known names that begin with capitals a number's symbol printed right before them
    would take for its own ("Số: 12/KH-PNVÔ Môn, ngày …": Ô Môn; "A Lưới", "AYun", "NT Mộc
    Châu"): a capital, then a space or another capital.  Names of capitals only (the Roman
    numerals of some wards, "III") are left out: no date line starts with one."""
    found = {
        nfc(name)
        for level in LEVELS
        for name in _data()[level]
        if len(name) > 1
        and name[0].isupper()
        and (name[1] == " " or name[1].isupper())
        and any(c.islower() for c in name)
    }
    return tuple(sorted(found, key=len, reverse=True))


def names(level: str) -> tuple[str, ...]:
    """The known names of one level: ``provinces``, ``districts`` or ``wards``."""
    return tuple(_data()[level])


@functools.cache
def _index() -> dict[str, tuple[str, ...]]:
    data = _data()
    index: dict[str, dict[str, str]] = {}
    for level in LEVELS:
        for name in data[level]:
            index.setdefault(fold(name), {}).setdefault(_same_word(name), name)
    return {key: tuple(names.values()) for key, names in index.items()}


def _marked(name: str) -> str:
    """Letters with their diacritics, lower case, without spaces and dashes."""
    return re.sub(r"[\W_]+", "", _same_word(name).casefold())


def known(name: str) -> bool:
    """Whether ``name`` spells a known unit's name with its diacritics (case, spaces,
    dashes and tone placement aside): "PHÚTHỌ" is, "PHUTHO" is not."""
    return _marked(name) in {_marked(n) for n in _index().get(fold(name), ())}


def snap_name(reading: str) -> str | None:
    """The one known name ``reading`` spells (diacritics, spaces and dashes aside), else
    None.  A reading that is already a known name is returned as it is."""
    reading = nfc(reading).strip()
    names = _index().get(fold(reading), ())
    if not names:
        return None
    if any(_same_word(n) == _same_word(reading) for n in names):
        return reading
    return names[0] if len(names) == 1 else None


def snap_place(reading: str) -> str | None:
    """A place read before "ngày" ("Bà Rịa Vũng Tàu", "TP. Hồ Chí Minh") written as the
    known name ("Bà Rịa - Vũng Tàu"), its level word kept; None when it names nothing known."""
    reading = nfc(reading).strip()
    m = _LEVEL_WORD.match(reading)
    prefix, rest = (reading[: m.end()], reading[m.end() :]) if m else ("", reading)
    snapped = _snap_unit(reading, rest)
    return prefix + snapped if snapped is not None else None


def _unit(reading: str) -> tuple[str, str, str | None] | None:
    """(the reading up to its last level word, the rest, the known name the rest spells or
    None); None where the reading names no unit."""
    matches = list(_LEVEL_WORD.finditer(reading))
    if not matches:
        return None
    at = matches[-1].end()
    return reading[:at], reading[at:], _snap_unit(reading[matches[-1].start() :], reading[at:])


def _snap_unit(whole: str, name: str) -> str | None:
    """The known name ``name`` spells; a number ("PHƯỜNG 1", "QUẬN 10") is known as its
    unit is, with its level word ("Phường 1", "Quận 10")."""
    if name.strip().isdigit():
        return name.strip() if snap_name(whole) is not None else None
    return snap_name(name)


def snap_office(reading: str) -> tuple[str, bool | None]:
    """An office line with the unit it names snapped to the known name, in capitals as
    offices are printed ("ỦY BAN NHÂN DÂN TỈNH BÀ RỊA VỮNG TÀU" → "… TỈNH BÀ RỊA - VŨNG
    TÀU").  The second value: True when a unit was found and known, False when the line
    names a unit that is not known, None when it names no unit (a department's name)."""
    reading = nfc(reading).strip()
    unit = _unit(reading)
    if unit is None:
        return reading, None
    prefix, rest, snapped = unit
    if snapped is None:
        return reading, False
    return prefix + (snapped.upper() if rest.isupper() else snapped), True


def same_unit(place: str, office: str) -> tuple[str, bool] | None:
    """Where a date line's place reads as the known unit an office line names ("Vĩnh Long",
    "ỦY BAN NHÂN DÂN TỈNH VĨNH LONG"): the place written as that unit's known name (its level
    word kept), and whether the reading spelled it exactly (diacritics included, case,
    spaces and dashes aside).  Read near it is too: one letter more, less or other than the
    name, at least five letters long ("Lĩnh Long", "Bà Rịa Ưũng Tàu"), or a letter OCR takes
    for a digit of a numbered ward's ("Phường l").  None otherwise."""
    unit = _unit(nfc(office).strip())
    if unit is None:
        return None
    if unit[1].strip().isdigit():  # "PHƯỜNG 1": a numbered ward's number is its name
        proper: str | None = unit[1].strip()
    else:
        proper = next((n for n in _index().get(fold(unit[2] or ""), ()) if _marked(n) == _marked(unit[2] or "")), None)
    if proper is None:
        return None
    place = nfc(place).strip()
    level = _LEVEL_WORD.match(place)
    prefix, name = (place[: level.end()], place[level.end() :]) if level else ("", place)
    read, known = _marked(name), _marked(proper)
    if read == known:
        return prefix + proper, True
    if known.isdigit():
        near = read.translate(_DIGIT_LIKE) == known
    else:
        steps = [
            op for op in difflib.SequenceMatcher(None, read, known, autojunk=False).get_opcodes() if op[0] != "equal"
        ]
        near = len(known) >= 5 and len(steps) == 1 and max(steps[0][2] - steps[0][1], steps[0][4] - steps[0][3]) == 1
    return (prefix + proper, False) if near else None


_DIGIT_LIKE = str.maketrans("lio", "110")


def numbered_unit(reading: str) -> bool:
    """Whether an office reading names a unit by its number ("ỦY BAN NHÂN DÂN PHƯỜNG 1",
    "QUẬN 10"): a digit misread names another known unit, which the lexicon cannot tell."""
    unit = _unit(nfc(reading).strip())
    return unit is not None and unit[1].strip().isdigit()


def office_words(reading: str) -> str:
    """An office reading without the known unit it names (the words a spelling check can
    judge: a unit's name may be a minority language's, "Ea H'Leo", "Krông Pắc")."""
    reading = nfc(reading).strip()
    unit = _unit(reading)
    return unit[0] if unit is not None and unit[2] is not None else reading


# The provincial departments (sở), before and after the 2025 reorganisation.
DEPARTMENTS = (
    "NỘI VỤ",
    "TƯ PHÁP",
    "TÀI CHÍNH",
    "XÂY DỰNG",
    "CÔNG THƯƠNG",
    "Y TẾ",
    "NGOẠI VỤ",
    "GIÁO DỤC VÀ ĐÀO TẠO",
    "NÔNG NGHIỆP VÀ MÔI TRƯỜNG",
    "NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN",
    "KHOA HỌC VÀ CÔNG NGHỆ",
    "VĂN HÓA, THỂ THAO VÀ DU LỊCH",
    "VĂN HÓA VÀ THỂ THAO",
    "DU LỊCH",
    "DÂN TỘC VÀ TÔN GIÁO",
    "KẾ HOẠCH VÀ ĐẦU TƯ",
    "GIAO THÔNG VẬN TẢI",
    "TÀI NGUYÊN VÀ MÔI TRƯỜNG",
    "THÔNG TIN VÀ TRUYỀN THÔNG",
    "LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI",
    # Hà Nội's and Hồ Chí Minh City's own
    "QUY HOẠCH - KIẾN TRÚC",
    "AN TOÀN THỰC PHẨM",
    "GIAO THÔNG CÔNG CHÁNH",
)


def known_department(reading: str) -> bool | None:
    """Whether an office line naming a department ("SỞ …", the province after it or not)
    names a known one: False for "SỞ NỘI NỘI VỤ", None for a line that is no department's."""
    text = nfc(reading).strip()
    if not re.match(r"S[Ởở]\s", text):
        return None
    units = list(_LEVEL_WORD.finditer(text))
    if units and snap_name(text[units[-1].end() :]) is not None:
        text = text[: units[-1].start()]  # "SỞ NỘI VỤ TỈNH LÂM ĐỒNG"
    return fold(text)[2:] in {fold(name) for name in DEPARTMENTS}


def names_no_unit(reading: str) -> bool:
    """Whether an office reading is a people's committee or council without its unit
    ("ỦY BAN NHÂN DÂN" alone: the unit's line was not read), which names no body."""
    return fold(reading) in {"uybannhandan", "ubnd", "hoidongnhandan", "hdnd"}


def names_only_unit(reading: str) -> bool:
    """Whether an office reading is a unit alone ("TỈNH QUẢNG NGÃI": the line of the body
    above it was not read, or read apart — a republisher's stamp between the two lines),
    which names no body either: an issuing body's name starts with its own words ("ỦY BAN
    NHÂN DÂN", "SỞ …", "THUẾ TỈNH …", "TỈNH ỦY …")."""
    text = nfc(reading).strip()
    level = _LEVEL_WORD.match(text)
    return level is not None and _snap_unit(text, text[level.end() :]) is not None


# The standard words of office blocks and titles, which OCR misreads by one diacritic
# ("TĨNH" for "TỈNH", "CHÍ THỊ" for "CHỈ THỊ"): ``ocr.correct_capitals`` writes a reading as
# the phrase only when its letters are the same and the diacritics differ, in capitals lines.
OFFICE_WORDS = (
    "TỈNH",
    "HUYỆN",
    "THÀNH PHỐ",
    "THỊ XÃ",
    "PHƯỜNG",
    "NHÂN DÂN",
    "HỘI ĐỒNG",
    "NỘI VỤ",
    "TƯ PHÁP",
    "TÀI CHÍNH",
    "CHỈ THỊ",
    "QUYẾT ĐỊNH",
    "THÔNG BÁO",
    "BÁO CÁO",
    "KẾ HOẠCH",
    "TỜ TRÌNH",
    "BIÊN BẢN",
    "CÔNG VĂN",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    # the standard words of office names ("ÚY BANNHÂNDÂN": the whole name, glued or not)
    "ỦY BAN NHÂN DÂN",
    "HỘI ĐỒNG NHÂN DÂN",
    "ỦY BAN",
    "THÔNG TIN",
    "TRUYỀN THÔNG",
    "CHỈ ĐẠO",
    "CỤC THUẾ",
    "VĂN PHÒNG",
    "BAN QUẢN LÝ",
    "KHU CÔNG NGHIỆP",
    "CÔNG AN",
    "GIÁO DỤC VÀ ĐÀO TẠO",
    "KẾ HOẠCH VÀ ĐẦU TƯ",
    "TÀI NGUYÊN VÀ MÔI TRƯỜNG",
    "NÔNG NGHIỆP",
    "PHÁT TRIỂN NÔNG THÔN",
    "KHOA HỌC VÀ CÔNG NGHỆ",
    "CÔNG THƯƠNG",
    "XÂY DỰNG",
    "GIAO THÔNG VẬN TẢI",
    "THƯƠNG BINH VÀ XÃ HỘI",
    "VĂN HÓA",
    "THỂ THAO VÀ DU LỊCH",
    "CHỦ TỊCH",
    "MÔI TRƯỜNG",
    "CỔNG THÔNG TIN ĐIỆN TỬ",
    "BAN BIÊN TẬP",
    # the halves of a ministry's or department's name set on two lines ("BỘ VĂN HÓA, THỂ
    # THAO" / "VÀ DU LỊCH"), which no whole phrase above meets on one line
    "THỂ THAO",
    "VÀ DU LỊCH",
    "VÀ MÔI TRƯỜNG",
    "VÀ XÃ HỘI",
    "VÀ ĐÀO TẠO",
    "VÀ CÔNG NGHỆ",
    "VÀ ĐẦU TƯ",
    "VÀ TRUYỀN THÔNG",
    "VÀ TÔN GIÁO",
    "VÀ PHÁT TRIỂN NÔNG THÔN",
    # a provincial department: "SƠ NỘI VỤ" read for "SỞ NỘI VỤ" (never "SỞ" alone: "SỐ:")
    *(f"SỞ {name}" for name in DEPARTMENTS),
)
