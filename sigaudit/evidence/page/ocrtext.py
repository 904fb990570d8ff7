"""What OCR read, repaired and weighed against the names a person knows.

Tesseract slips in ways a person reading the page never would: a diacritic off in the
capitals of an office block ("TĨNH"), words glued ("UBNDTỈNHPHÚTHỌ", "ÚY BANNHÂNDÂN"), a
speck of the margin before a line.  Here those slips are repaired only into known words
and names (``correct_capitals``), and each field's confidence is weighed against the
lexicon: an office that names no known body is unsure, a place that spells the unit a
confident office line names is corroborated by it.  docs/ocr.md, steps 5, 6, 8 and 9.
"""

from __future__ import annotations

import functools
import re
from typing import Any

CONFIDENT = 0.90
"""A field read at least this sure is stated with confidence (a finding may rest on it)."""
LEGIBLE = 0.60
"""A field read less sure than this is dropped as illegible."""


@functools.cache
def _phrases() -> tuple[str, ...]:
    """The phrases ``correct_capitals`` knows: the words above and every province's name
    (before and after the 2025 merger, from the lexicon), in capitals."""
    from sigaudit.evidence.page import lexicon

    return (*lexicon.OFFICE_WORDS, *(name.upper() for name in lexicon.names("provinces")))


def correct_capitals(text: str, confidence: list[float]) -> tuple[str, list[float]]:
    """Repair OCR slips in the capitals of office blocks, provinces and titles: one
    diacritic off ("TĨNH" for "TỈNH", "CHÍ THỊ" for "CHỈ THỊ") or two words glued
    ("VĨNHLONG").  A phrase is replaced only when its letters are exactly a known phrase's;
    its characters then get at least the confidence of a clean reading (the letters were
    read, and they spell a known phrase).  Returns the text and a confidence per character."""
    chars = list(text)
    conf = list(confidence)
    for word in _phrases():
        pattern = _pattern(word)
        current = "".join(chars)
        for m in reversed(list(pattern.finditer(current))):
            chars[m.start() : m.end()] = list(word)
            seen = conf[m.start() : m.end()]
            conf[m.start() : m.end()] = [max(min(seen, default=0.0), CONFIDENT)] * len(word)
    return _unglue_units(chars, conf)


_SPECK = re.compile(r"(?m)^[^\S\n]*(?![^\s/]*[^\W\d_]{2})[^\s/]{1,6}[^\S\n]+(?=[^\W\d_]{2,}\b)")


def _drop_margin_specks(text: str, conf: list[float]) -> tuple[str, list[float]]:
    """A lone letter or digit, or a few marks with no two letters side by side, starting a
    line before a word in capitals ("v ỦY BAN NHÂN DÂN", "2 KẾ HOẠCH", "‹2.... KẺ HOẠCH"): a
    speck of the scan's margin (a punch hole, a fold, a pen's stroke), not a word of a
    header line — removed with its confidences."""
    for m in reversed(list(_SPECK.finditer(text))):
        word = text[m.end() :].split(None, 1)[0] if text[m.end() :].strip() else ""
        if not word.isupper():
            continue
        text = text[: m.start()] + text[m.end() :]
        del conf[m.start() : m.end()]
    return text, conf


@functools.cache
def _glued_unit() -> re.Pattern[str]:
    """ "UBND" or "HĐND", a level word glued to it (its diacritics possibly misread:
    "UBNDTÏNH"), then the rest of the line."""
    from sigaudit.evidence.page import lexicon

    levels = "|".join(_letters(level) for level in lexicon.LEVEL_WORDS)
    return re.compile(rf"(?<!\w)(UBND|HĐND) ?({levels}) ?([^\n]+)")


def _unglue_units(chars: list[str], conf: list[float]) -> tuple[str, list[float]]:
    """ "UBNDTỈNHPHÚTHỌ" (an office line whose spaces the OCR lost) → "UBND TỈNH PHÚ THỌ"
    where the rest spells exactly one known unit's name, diacritics included; like a
    repaired phrase, it then gets at least the confidence of a clean reading (Tesseract is
    unsure of a "word" its dictionary does not hold, not of its letters)."""
    from sigaudit.evidence.page import lexicon

    text = "".join(chars)
    for m in reversed(list(_glued_unit().finditer(text))):
        level = next(w for w in lexicon.LEVEL_WORDS if re.fullmatch(_letters(w), m[2]))
        # the unit's name: one word glued on ("UBNDTỈNHPHÚTHỌ"), or the first words of the
        # rest ("UBNDTÏNHGIA LAI CỘNG HÒA …"); its letters must be the name's own, marks
        # included, not only its letters without them
        words = m[3].split(" ")
        found = next(
            (" ".join(words[:k]) for k in range(min(len(words), 4), 0, -1) if lexicon.known(" ".join(words[:k]))),
            None,
        )
        name = lexicon.snap_name(found) if found else None
        glued = m.end(1) == m.start(2) or m.end(2) == m.start(3)
        if found is None or name is None or not (glued or m[2] != level):
            continue  # nothing glued, nothing misread: the line is left as read
        end = m.start(3) + len(found)
        fixed = f"{m[1]} {level} {name.upper()}"
        seen = conf[m.start() : end]
        chars[m.start() : end] = list(fixed)
        conf[m.start() : end] = [max(min(seen, default=0.0), CONFIDENT)] * len(fixed)
    return "".join(chars), conf


@functools.cache
def _pattern(word: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + _letters(word) + r"(?!\w)")


@functools.cache
def _letters(word: str) -> str:
    """A pattern of ``word``'s letters, each with any of its diacritics, spaces and dashes
    optional (words an OCR glued, a dash it lost)."""
    from sigaudit.names import strip_diacritics

    parts = []
    for ch in strip_diacritics(word):
        if ch == " ":
            parts.append(" ?")  # words an OCR glued
        elif ch in "-–":
            parts.append("[-–]? ?")  # "BÀ RỊA VŨNG TÀU": a dash an OCR lost
        elif ch.isalpha():
            parts.append(f"[{re.escape(ch)}{re.escape(_variants(ch))}]")
        else:
            parts.append(re.escape(ch))
    return "".join(parts)


@functools.cache
def _variants(base: str) -> str:
    """Capital letters whose diacritics-stripped form is ``base``."""
    from sigaudit.names import strip_diacritics

    if not base.isalpha():
        return ""
    return "".join(
        ch
        for ch in (chr(c) for c in list(range(0xC0, 0x1B0)) + list(range(0x1EA0, 0x1EFA)))
        if ch.isupper() and strip_diacritics(ch) == base.upper() and ch != base
    )


UNSURE = round(CONFIDENT - 0.01, 2)
"""The confidence a reading is capped at when it names no known place."""


def _snap_to_lexicon(header: Any, confidence: dict[str, float]) -> dict[str, Any]:
    """Office and place readings written as the known names they spell ("BÀ RỊA VỮNG TÀU"
    → "BÀ RỊA - VŨNG TÀU"); a reading that names a unit nobody knows, or holds a word that
    is no Vietnamese syllable, is capped below ``CONFIDENT`` (stated as unsure).  Updates
    ``confidence``; returns the changed fields."""
    from sigaudit.evidence.page import lexicon, trust

    changes: dict[str, Any] = {}
    if header.issuance_place:
        snapped = lexicon.snap_place(header.issuance_place)
        if snapped is not None:
            changes["issuance_place"] = snapped
        elif "issuance_place" in confidence:
            confidence["issuance_place"] = min(confidence["issuance_place"], UNSURE)
    for field in ("office", "parent_office"):
        value = getattr(header, field)
        if not value:
            continue
        snapped, known = lexicon.snap_office(value)
        if known:
            changes[field] = snapped
        unsure = (
            known is False
            or lexicon.known_department(value) is False  # "SỞ NỘI NỘI VỤ"
            or lexicon.names_no_unit(value)  # "ỦY BAN NHÂN DÂN", its unit's line not read
            or lexicon.names_only_unit(value)  # "TỈNH QUẢNG NGÃI", its body's line read apart
            or lexicon.numbered_unit(value)  # "PHƯỜNG 7" for PHƯỜNG 1: a digit misread names another unit
            or trust.misspelled(lexicon.office_words(value))  # "BAN BIEN TẠP"
        )
        if unsure and field in confidence:
            confidence[field] = min(confidence[field], UNSURE)
    return changes


def _place_of_the_office(header: Any, changes: dict[str, Any], confidence: dict[str, float]) -> dict[str, Any]:
    """A place read unsure (the date line is italic, and Tesseract is less sure of italics)
    that spells the unit a confidently read office line names is that unit: two readings of
    the page agree ("Vĩnh Long" at 0.51 under "ỦY BAN NHÂN DÂN TỈNH VĨNH LONG" at 0.90), and
    it takes the office line's confidence.  Read one letter off it ("Lĩnh Long"), it is
    written as the unit's name and stated as unsure (``lexicon.same_unit``).  An office
    named by its number is never confident (``lexicon.numbered_unit``), but where it is
    legible and the place reads its digit as a letter ("Phường l" under "ỦY BAN NHÂN DÂN
    PHƯỜNG 1"), the two readings agree on the ward: the place is written with the digit,
    still unsure.  Updates ``confidence``; returns the changed fields."""
    from sigaudit.evidence.page import lexicon

    place = changes.get("issuance_place", header.issuance_place)
    if not place or confidence.get("issuance_place", 0.0) >= CONFIDENT:
        return {}
    for field in ("office", "parent_office"):
        office = changes.get(field, getattr(header, field))
        sure = confidence.get(field, 0.0) >= CONFIDENT
        if not office or not (sure or (confidence.get(field, 0.0) >= LEGIBLE and lexicon.numbered_unit(office))):
            continue
        found = lexicon.same_unit(place, office)
        if found is None:
            continue
        name, exact = found
        if sure:
            confidence["issuance_place"] = confidence[field] if exact else UNSURE
        elif exact:
            continue  # an unsure office lends no confidence, and there is nothing to mend
        else:
            confidence["issuance_place"] = min(confidence.get("issuance_place", UNSURE), UNSURE)
        return {"issuance_place": name} if name != place else {}
    return {}


def _undoubled_type(header: Any, changes: dict[str, Any], confidence: dict[str, float]) -> dict[str, Any]:
    """A symbol whose type OCR read with a letter twice ("66/QĐĐ-UBND": a heavy Đ read
    double, seen on a scanned copy of a real decision and on a 1999 scan) where the
    letter once is the type the title line names ("QUYẾT ĐỊNH": QĐ) and the letters twice
    are no type at all: the symbol with that type, stated as unsure.  Updates
    ``confidence``; returns the changed fields."""
    from sigaudit.evidence.page.numbers import DOC_TYPES

    number = changes.get("number", header.number)
    if not number or header.doc_type is not None or header.title_type is None:
        return {}
    head, _, tail = number.rpartition("/")
    kind, dash, office = tail.partition("-")
    if not dash or kind in DOC_TYPES:
        return {}
    once = {kind[:i] + kind[i + 1 :] for i in range(1, len(kind)) if kind[i] == kind[i - 1]}
    if once != {header.title_type}:
        return {}
    confidence["number"] = confidence["doc_type"] = min(confidence.get("number", 0.0), UNSURE)
    return {"number": f"{head}/{header.title_type}-{office}", "doc_type": header.title_type}


_MOTTO_WORDS = re.compile(r"\b(?:doc|lap|tu|do|hanh|phuc|phu)\b")


def unread_under_office(text: str, spans: dict[str, list[tuple[int, int]]]) -> bool:
    """Whether a line under the office block, above the number (or the title), is neither
    in capitals nor the right column's motto or date: the office's own line may be there,
    misread beyond reading ("Nvivy ph n HP M 92a 0n iphfPa" for "PHÒNG NỘI VỤ" glued to
    the motto), and the line above it — a parent body — read as the office.  The office is
    then stated as unsure, however clearly its letters were read."""
    from sigaudit.evidence.page.bodies import caps_prefix, is_caps
    from sigaudit.names import strip_diacritics

    office = spans.get("office")
    below = spans.get("number") or spans.get("title_type")
    if not office or not below:
        return False
    start, stop = text.find("\n", max(b for _, b in office)), below[0][0]
    if start < 0 or start >= stop:
        return False
    for line in text[start + 1 : stop].split("\n"):
        folded = strip_diacritics(line).lower()
        if sum(c.isalpha() for c in line) < 6 or is_caps(line) or caps_prefix(line) is not None:
            continue
        if re.search(r"\bng[aà]y\b|\bthang\b|\bnam\b", folded) or len(_MOTTO_WORDS.findall(folded)) >= 2:
            continue  # the right column's date or motto, read on a row of its own
        if re.match(r"\s*so\b", folded):
            continue  # the number's line, its number not read ("Số: đ@ /CT-UBND")
        return True
    return False


_CODE_AFTER = re.compile(r"[ \t]+([A-ZĐÐ][A-ZĐÐ0-9&]{1,11})(?=[ \t,]|$)", re.MULTILINE)


def _lost_dash(header: Any, text: str, spans: dict[str, list[tuple[int, int]]], confidence: dict[str, float]) -> dict:
    """A symbol whose last dash OCR did not read ("Số 33 /QyĐ UBND" for "33/QyĐ - UBND"):
    the grammar stops at the space, and a number so cut reads as another symbol, however
    clearly its letters were read.  Where a code in capitals follows the number on its
    line, the symbol is read with it, joined by the dash the printed symbol has, and stated
    as unsure.  Updates ``confidence``; returns the changed fields."""
    number, at = header.number, spans.get("number")
    if not number or not at:
        return {}
    after = _CODE_AFTER.match(text, at[0][1])
    if after is None:
        return {}
    confidence["number"] = min(confidence.get("number", 0.0), UNSURE)
    if "-" in number.rpartition("/")[2]:
        return {}  # the symbol has its office's code: what follows is not known to be its own
    return {"number": f"{number}-{after.group(1)}"}


_ABBREVIATED = re.compile(r"^(?:UBND|HĐND|HÐND|HDND)\b")


def parent_alone(header: Any) -> bool:
    """Whether the office read is a body's name in its abbreviated form with no body above
    it ("UBND HUYỆN PHÚ BÌNH"): Decree 30 (annex I) writes the issuing body's name in full
    and lets only the parent body's be abbreviated ("UBND", "HĐND"), so such a reading is
    most likely the parent's line with the office's own line not read (none of the 46 real
    documents' offices is abbreviated).  Stated as unsure."""
    return bool(header.office) and header.parent_office is None and bool(_ABBREVIATED.match(header.office))
