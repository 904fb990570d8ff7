"""The header of a scanned page 1, read with Tesseract (optional: ``sigaudit[ocr]``).

Many documents are paper signed by hand, scanned and then signed digitally by the body: the
page's only text is the signature stamp.  Here page 1's header region (the top of the page:
office block, number, motto, place and date, title) is rendered with PDFium at 300 dpi,
deskewed, and read by Tesseract's Vietnamese model through its TSV output, which gives each
word a confidence.  The text then goes through the same header grammar as a text page, and
each field gets the confidence of its least sure word:

- at least ``CONFIDENT`` (0.90): the value is stated;
- between ``LEGIBLE`` (0.60) and that: the value is stated and marked uncertain — it never
  produces an error finding by itself;
- below ``LEGIBLE``: the value is dropped (``illegible``): numbers and days are often
  handwritten, and a wrong value stated with confidence is worse than none.

Tesseract runs in the worker through ``tesserocr`` (``tessengine.py``: one engine loaded per
process), or as a program where that is not installed, with a time limit either way; Pillow
does the image work.  Nothing here runs unless page 1 has no header text of its own (or a garbled one).
"""

from __future__ import annotations

import functools
import io
import logging
import os
import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from typing import Any

from sigaudit.evidence.page import digits, tessengine
from sigaudit.model import Problem

log = logging.getLogger(__name__)

DPI = 300
HEADER_FRACTION = 0.45
"""The part of page 1, from the top, that holds the header and the title."""
FIRST_BAND = 0.30
"""The part read first; the rest of ``HEADER_FRACTION`` only where the header goes on."""
CONFIDENT = 0.90
LEGIBLE = 0.60
INSTALL_HINT = (
    'pip install "sigaudit[ocr]" and the Debian packages tesseract-ocr and tesseract-ocr-vie '
    "(apt-get install tesseract-ocr tesseract-ocr-vie); on Windows, install Tesseract with its "
    "Vietnamese language, set SIGAUDIT_TESSERACT to the path of tesseract.exe, or set "
    "SIGAUDIT_TESSDATA to the folder holding vie.traineddata"
)


def tesseract_path() -> str | None:
    """The Tesseract program: ``$SIGAUDIT_TESSERACT``, else ``tesseract`` on the PATH, else
    where the usual Windows installer puts it (it does not add itself to the PATH)."""
    chosen = os.environ.get("SIGAUDIT_TESSERACT")
    if chosen:
        return chosen if os.path.isfile(chosen) else None
    found = shutil.which("tesseract")
    if found:
        return found
    for base in (os.environ.get("PROGRAMFILES"), os.environ.get("PROGRAMFILES(X86)"), os.environ.get("LOCALAPPDATA")):
        for folder in ("Tesseract-OCR", os.path.join("Programs", "Tesseract-OCR")):
            candidate = os.path.join(base, folder, "tesseract.exe") if base else None
            if candidate and os.path.isfile(candidate):
                return candidate
    return None


@dataclass(frozen=True)
class OcrText:
    """What Tesseract read: text lines in reading order, a confidence (0–1) per character."""

    text: str
    confidence: tuple[float, ...]
    skew_degrees: float = 0.0


@functools.lru_cache(maxsize=1)
def tesseract_version() -> str | None:
    """The Tesseract version when Tesseract with the Vietnamese model and Pillow are
    installed (``tesserocr``'s engine first, loaded once per worker; else the program), else
    None."""
    engine = tessengine.version()
    if engine is not None:
        return engine
    exe = tesseract_path()
    if exe is None:
        return None
    try:
        import PIL  # noqa: F401
    except ImportError:
        return None
    try:
        langs = subprocess.run([exe, "--list-langs"], capture_output=True, timeout=20, check=False)
        if b"vie" not in langs.stdout.split():
            return None
        version = subprocess.run([exe, "--version"], capture_output=True, timeout=20, check=False)
        first = (version.stdout or version.stderr).decode("utf-8", "replace").splitlines()
        return first[0].strip() if first else "tesseract"
    except (OSError, subprocess.SubprocessError):
        return None


def unavailable_reason(mode: str) -> Problem | None:
    """Why OCR will not run under ``--ocr mode``, or None when it will."""
    if mode == "off":
        return Problem.of("ocr_off")
    if tesseract_version() is None:
        return Problem.of("ocr_missing")
    return None


def read_header_image(data: bytes, *, timeout: float = 60.0) -> OcrText | None:
    """OCR of page 1's header region; None when the page cannot be rendered or read.

    The region is read in two bands cut at a blank row: the top ``FIRST_BAND`` of the page,
    then the rest of the region only where the first does not hold the whole header (the
    title and three lines under it, or the addressee: ``_header_complete``).  Most headers
    end in the first band, and Tesseract's cost is in proportion to the rows it reads."""
    from sigaudit.evidence.page import scanimage

    image = scanimage.render_header(data, DPI, HEADER_FRACTION)
    if image is None:
        return None
    image, skew = scanimage.deskew(image)
    cut = scanimage.blank_row_near(image, round(image.height * FIRST_BAND / HEADER_FRACTION))
    first = _read_band(image if cut is None else image.crop((0, 0, image.width, cut)), timeout)
    if first is None:
        return None
    text, confidence, words = first
    if cut is not None and not _header_complete(correct_capitals(*_drop_margin_specks(text, list(confidence)))[0]):
        second = _read_band(image.crop((0, cut, image.width, image.height)), timeout)
        if second is None:
            return None
        if second[0]:
            shift = len(text) + 1 if text else 0
            moved = [(a + shift, b + shift, (x, y + cut, w, h)) for a, b, (x, y, w, h) in second[2]]
            text, confidence = (text + "\n" + second[0], (*confidence, 1.0, *second[1])) if text else second[:2]
            words = [*words, *moved]
    if tessengine.version() is not None:
        text, confidence = digits.confirm(
            image, DPI, text, confidence, words, confident=CONFIDENT, legible=LEGIBLE, timeout=timeout
        )
    return OcrText(text, confidence, skew)


_LINE_AFTER = re.compile(r".*\n\s*\S")


def _header_complete(text: str) -> bool:
    """Whether OCR text of the page's top rows holds the whole header: what
    ``header.band_suffices`` asks of a text page's rows (the title and three whole lines
    under it), or an addressee line ("Kính gửi: …") with a line after it — a công văn's or a
    tờ trình's body starts there, and nothing under it is read."""
    from sigaudit.evidence.page.header import band_suffices
    from sigaudit.evidence.page.numbers import _ADDRESSEE

    addressee = _ADDRESSEE.search(text)
    return band_suffices(text) or (addressee is not None and _LINE_AFTER.match(text, addressee.end()) is not None)


def _read_band(image: Any, timeout: float) -> tuple[str, tuple[float, ...], list[digits.Word]] | None:
    """The text of one band of the header, with a confidence per character and each
    word's place in the text and box in the band."""
    if tessengine.version() is not None:
        # tesserocr's engine, loaded once per worker: no process and no model load per page
        loaded = tessengine.tsv(image, DPI, timeout=timeout)
        return None if loaded is None else _assemble(loaded)
    exe = tesseract_path()
    if exe is None:
        return None
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    try:
        done = subprocess.run(
            [exe, "stdin", "stdout", "-l", "vie", "--psm", "3", "--dpi", str(DPI), "tsv"],
            input=buf.getvalue(),
            capture_output=True,
            timeout=max(timeout, 5.0),
            check=False,
            # One thread: documents already run in parallel workers, and Tesseract's OpenMP
            # threads fight over the cores (measured: 5.4 s a page with them, 0.9 s without).
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        )
    except subprocess.TimeoutExpired:
        log.info("tesseract took longer than %.0f s", timeout)
        return None
    except (OSError, subprocess.SubprocessError):
        log.info("tesseract could not run", exc_info=True)
        return None
    if done.returncode != 0:
        log.info("tesseract failed: %s", done.stderr.decode("utf-8", "replace")[:300])
        return None
    return _assemble(done.stdout.decode("utf-8", "replace"))


def _assemble(tsv: str) -> tuple[str, tuple[float, ...], list[digits.Word]]:
    """Lines of words in Tesseract's reading order (blocks, paragraphs, lines), NFC, one
    space between words; a confidence per character (1.0 for the separators); each word's
    start and end in the text and its box (left, top, width, height)."""
    lines: dict[tuple[int, int, int], list[tuple[str, float, digits.Box]]] = {}
    order: list[tuple[int, int, int]] = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        word = _clean_token(unicodedata.normalize("NFC", cols[11].strip()))
        if not word:
            continue
        try:
            conf = max(float(cols[10]), 0.0) / 100
        except ValueError:
            conf = 0.0
        try:
            key = (int(cols[2]), int(cols[3]), int(cols[4]))
            box = (int(cols[6]), int(cols[7]), int(cols[8]), int(cols[9]))
        except ValueError:
            continue
        if key not in lines:
            lines[key] = []
            order.append(key)
        lines[key].append((word, conf, box))
    chars: list[str] = []
    confidence: list[float] = []
    words: list[digits.Word] = []
    for n, key in enumerate(order):
        if n:
            chars.append("\n")
            confidence.append(1.0)
        for k, (word, conf, box) in enumerate(lines[key]):
            if k:
                chars.append(" ")
                confidence.append(1.0)
            words.append((len(chars), len(chars) + len(word), box))
            chars.extend(word)
            confidence.extend([conf] * len(word))
    return "".join(chars), tuple(confidence), words


def _clean_token(word: str) -> str:
    """A word without the specks a scan adds around it: tokens with no letter or digit
    ("|", "_——") are dropped, and quote marks, bars and underscores stuck to a word's
    start or end are removed ("'THÔNG", "-Phú"); a word's own punctuation ("Số:",
    "Bình,") stays."""
    if not any(c.isalnum() for c in word):
        return ""
    return word.lstrip("'\"_|-‘’“”`~.").rstrip("'\"_|‘’“”`~")


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


_LEVELS = ("TỈNH", "HUYỆN", "QUẬN", "THÀNH PHỐ", "THỊ XÃ", "XÃ", "PHƯỜNG")


@functools.cache
def _glued_unit() -> re.Pattern[str]:
    """ "UBND" or "HĐND", a level word glued to it (its diacritics possibly misread:
    "UBNDTÏNH"), then the rest of the line."""
    levels = "|".join(_letters(level) for level in _LEVELS)
    return re.compile(rf"(?<!\w)(UBND|HĐND) ?({levels}) ?([^\n]+)")


def _unglue_units(chars: list[str], conf: list[float]) -> tuple[str, list[float]]:
    """ "UBNDTỈNHPHÚTHỌ" (an office line whose spaces the OCR lost) → "UBND TỈNH PHÚ THỌ"
    where the rest spells exactly one known unit's name, diacritics included; like a
    repaired phrase, it then gets at least the confidence of a clean reading (Tesseract is
    unsure of a "word" its dictionary does not hold, not of its letters)."""
    from sigaudit.evidence.page import lexicon

    text = "".join(chars)
    for m in reversed(list(_glued_unit().finditer(text))):
        level = next(w for w in _LEVELS if re.fullmatch(_letters(w), m[2]))
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


FIELDS = ("office", "parent_office", "number", "issuance_place", "issuance_date", "title_type")
_NUMBER_ANY = re.compile(r"S[ốỐ]\s*:?[^\n/]{0,8}/\s*(?P<sym>[A-ZĐ][A-Za-zĐđ]*(?:-[A-ZĐ][A-Za-zĐđ]*)+)")
_NUMBER_LINE = re.compile(r"(?m)^\s*S[ốỐ]\s*:")
_LETTER = re.compile(r"(?m)^\s*(?:V/v|Về\s+việc|Kính\s+gửi)\b", re.IGNORECASE)


def _number_zone(text: str) -> tuple[int, bool]:
    """(where the header's number line may end: above the title or a công văn's subject or
    addressee, never in the body; whether the page is a công văn)."""
    from sigaudit.evidence.page.header import _title_and_end

    title, _, header_end = _title_and_end(text)
    if title is not None:
        return header_end, False
    letter = _LETTER.search(text)
    return (letter.start() if letter else header_end), letter is not None


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
    written as the unit's name and stated as unsure (``lexicon.same_unit``).  Updates
    ``confidence``; returns the changed fields."""
    from sigaudit.evidence.page import lexicon

    place = changes.get("issuance_place", header.issuance_place)
    if not place or confidence.get("issuance_place", 0.0) >= CONFIDENT:
        return {}
    for field in ("office", "parent_office"):
        office = changes.get(field, getattr(header, field))
        if not office or confidence.get(field, 0.0) < CONFIDENT:
            continue
        found = lexicon.same_unit(place, office)
        if found is None:
            continue
        name, exact = found
        confidence["issuance_place"] = confidence[field] if exact else UNSURE
        return {"issuance_place": name} if name != place else {}
    return {}


def header_from_ocr(ocr: OcrText) -> Any:
    """The header grammar over OCR text, with a confidence per field; fields below
    ``LEGIBLE`` are dropped and listed as illegible."""
    from dataclasses import replace

    from sigaudit.evidence.page.header import _DATE_ANY, parse_header
    from sigaudit.evidence.page.numbers import DOC_TYPES

    text, confidence_chars = correct_capitals(*_drop_margin_specks(ocr.text, list(ocr.confidence)))
    ocr = OcrText(text, tuple(confidence_chars), ocr.skew_degrees)
    spans: dict[str, list[tuple[int, int]]] = {}
    header = parse_header(text, spans=spans)
    if not header.has_text:
        return replace(header, source="ocr")
    confidence: dict[str, float] = {}
    for field, ranges in spans.items():
        values = [
            ocr.confidence[i]
            for start, end in ranges
            for i in range(start, min(end, len(ocr.confidence)))
            if not text[i].isspace()
        ]
        if values:
            confidence[field] = round(min(values), 2)
    changes: dict[str, Any] = _snap_to_lexicon(header, confidence)
    changes.update(_place_of_the_office(header, changes, confidence))
    dropped: list[str] = []
    for field in FIELDS:
        if getattr(header, field) is None:
            continue
        conf = confidence.get(field)
        if conf is None or conf < LEGIBLE:
            dropped.append(field)
            changes[field] = None
            if field == "number":
                changes["doc_type"] = None
            if field == "issuance_date":
                changes["issuance_date_text"] = None
            if field == "title_type":
                changes["title"] = None
    if header.issuance_date is None and header.issuance_date_text and "issuance_date" not in dropped:
        # "ngày 0 tháng 5": an impossible date read off a handwritten day is not a finding
        dropped.append("issuance_date")
        changes["issuance_date_text"] = None
    if header.issuance_date is None and "issuance_date" not in dropped and _DATE_ANY.search(text):
        dropped.append("issuance_date")  # the date line is there, its day is not legible
    if header.number is None and "number" not in dropped:
        # Only the header's number line (the body's "Nghị quyết số 30c/NQ-CP" is another
        # document's); a công văn's symbol starts with the office's abbreviation, not a type.
        zone, letter = _number_zone(text)
        blank = _NUMBER_ANY.search(text, 0, zone)
        if blank:
            dropped.append("number")  # "Số:  ⁇ /CT-UBND": the symbol is printed, the number not legible
            first = blank["sym"].split("-")[0]
            sym_conf = min((ocr.confidence[i] for i in range(blank.start("sym"), blank.end("sym"))), default=0.0)
            if first in DOC_TYPES and "-" in blank["sym"] and sym_conf >= LEGIBLE and not letter:
                changes["doc_type"] = first
                confidence["doc_type"] = round(sym_conf, 2)
        elif _NUMBER_LINE.search(text, 0, zone):
            dropped.append("number")  # "Số: //2⁄//UBND- KSTTHC": the line is there, not legible
    if changes.get("office", header.office) is None and changes.get("parent_office", header.parent_office):
        # a body above no legible office is a line read out of place (a stamp's), not a parent
        dropped.append("parent_office")
        changes["parent_office"] = None
    if header.doc_type is not None and "number" not in dropped:
        confidence.setdefault("doc_type", confidence.get("number", 0.0))
    kept = tuple(sorted((f, c) for f, c in confidence.items() if f not in dropped))
    return replace(header, **changes, source="ocr", confidence=kept, illegible=tuple(sorted(set(dropped))))
