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

from sigaudit.evidence.page import digits, handwriting, tessengine
from sigaudit.evidence.page.ocrtext import (
    CONFIDENT,
    LEGIBLE,
    UNSURE,
    _drop_margin_specks,
    _lost_dash,
    _place_of_the_office,
    _snap_to_lexicon,
    _undoubled_type,
    correct_capitals,
    parent_alone,
    unread_under_office,
)
from sigaudit.model import Problem

log = logging.getLogger(__name__)

DPI = 300
HEADER_FRACTION = 0.45
"""The part of page 1, from the top, that holds the header and the title."""
FIRST_BAND = 0.30
"""The part read first; the rest of ``HEADER_FRACTION`` only where the header goes on."""
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
        text, confidence, words = digits.confirm_words(
            image, DPI, text, confidence, words, confident=CONFIDENT, legible=LEGIBLE, timeout=timeout
        )
    # then the pen's digits, where a blank between the printed words holds none read legibly
    try:
        text, confidence, _ = handwriting.read(image, text, confidence, words, legible=LEGIBLE)
    except Exception:  # the pen's digits are a bonus: never the reason a page is not read
        log.info("the handwritten digits could not be read", exc_info=True)
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


FIELDS = ("office", "parent_office", "number", "issuance_place", "issuance_date", "title_type")
# "Số:", or "Sô:" (its tone mark lost), then a handwritten number read as marks, slashes
# among them ("Số 14/?/KH-UBND"), then the printed symbol
_NUMBER_ANY = re.compile(r"S[ốỐôÔ]\s*:?[^\n]{0,10}?/\s*(?P<sym>[A-ZĐ][A-Za-zĐđ]*(?:-[A-ZĐ][A-Za-zĐđ]*)+)")
_NUMBER_LINE = re.compile(r"(?m)^\s*S[ốỐôÔ]\s*:")
# the symbol glued to a number read without its slash ("Số: J0TB-KCN" for "Số: 107/TB-KCN")
_GLUED_SYMBOL = re.compile(r"S[ốỐôÔ]\s*:?\s*[^\s/]*?(?P<sym>[A-ZĐ][A-Za-zĐđ]*(?:-[A-ZĐ][A-Za-zĐđ]*)+)")
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


def header_from_ocr(ocr: OcrText) -> Any:
    """The header grammar over OCR text, with a confidence per field; fields below
    ``LEGIBLE`` are dropped and listed as illegible."""
    from dataclasses import replace

    from sigaudit.evidence.page.header import _DATE_ANY, parse_header
    from sigaudit.evidence.page.numbers import DOC_TYPES

    text, confidence_chars = correct_capitals(*_drop_margin_specks(ocr.text, list(ocr.confidence)))
    ocr = OcrText(text, tuple(confidence_chars), ocr.skew_degrees)
    spans: dict[str, list[tuple[int, int]]] = {}
    header = parse_header(text, spans=spans, ocr=True)
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
    if "office" in confidence and (unread_under_office(text, spans) or parent_alone(header)):
        confidence["office"] = min(confidence["office"], UNSURE)
    changes.update(_place_of_the_office(header, changes, confidence))
    changes.update(_undoubled_type(header, changes, confidence))
    changes.update(_lost_dash(header, text, spans, confidence))
    dropped: list[str] = []
    for field in FIELDS:
        if getattr(header, field) is None:
            continue
        conf = confidence.get(field)
        if conf is None or conf < LEGIBLE:
            dropped.append(field)
            changes[field] = None
            if field == "number":
                kind = changes.get("doc_type", header.doc_type)
                if kind is not None and kind == header.title_type and confidence.get("title_type", 0.0) >= CONFIDENT:
                    # the number not legible, its type the one the title names (step 11)
                    confidence["doc_type"] = UNSURE
                else:
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
        blank = _NUMBER_ANY.search(text, 0, zone) or _GLUED_SYMBOL.search(text, 0, zone)
        if blank:
            dropped.append("number")  # "Số:  ⁇ /CT-UBND": the symbol is printed, the number not legible
            first = blank["sym"].split("-")[0]
            sym_conf = min((ocr.confidence[i] for i in range(blank.start("sym"), blank.end("sym"))), default=0.0)
            titled = header.title_type == first and confidence.get("title_type", 0.0) >= CONFIDENT
            if first in DOC_TYPES and "-" in blank["sym"] and not letter:
                if sym_conf >= LEGIBLE and blank.re is _NUMBER_ANY:
                    changes["doc_type"] = first
                    confidence["doc_type"] = round(sym_conf, 2)
                elif titled:
                    # the symbol's letters, read unsure in one word with the handwritten
                    # number ("14/?/KH-UBND", "J0TB-KCN"), name the type the title line
                    # names: two readings agree, stated as unsure
                    changes["doc_type"] = first
                    confidence["doc_type"] = UNSURE
        elif _NUMBER_LINE.search(text, 0, zone):
            dropped.append("number")  # "Số: //2⁄//UBND- KSTTHC": the line is there, not legible
    if changes.get("office", header.office) is None and changes.get("parent_office", header.parent_office):
        # a body above no legible office is a line read out of place (a stamp's), not a parent
        dropped.append("parent_office")
        changes["parent_office"] = None
    if header.doc_type is not None and "number" not in dropped and "doc_type" not in confidence:
        # the type is the printed symbol's: as sure as its letters, not as the number's digits
        # (a handwritten number read unsure beside a symbol read surely)
        symbol = [
            ocr.confidence[i]
            for start, end in spans.get("number", [])
            for i in range(text.find("/", start, end) + 1 or end, min(end, len(ocr.confidence)))
            if not text[i].isspace()
        ]
        confidence["doc_type"] = round(min(symbol), 2) if symbol else confidence.get("number", 0.0)
    if header.issuance_month is not None and confidence.get("issuance_month", 0.0) < LEGIBLE:
        changes["issuance_month"] = None  # the month and year of a date line not legible
        confidence.pop("issuance_month", None)
    kept = tuple(sorted((f, c) for f, c in confidence.items() if f not in dropped))
    return replace(header, **changes, source="ocr", confidence=kept, illegible=tuple(sorted(set(dropped))))
