"""A second look at the header's number, day and month, the fields a clerk stamps.

The number ("Số: 176/TTr-SNV") and the day ("ngày 04 tháng 11 …") are often stamped in
another face than the header around them, and Tesseract's first read of the page gives
them low confidence or letters for digits ("l76", "II5", "lI"): a person reads them
without doubt.  Each of these words is read again on its own, cropped from the band with
a margin, as one word of digits only (``tessengine.word``).  A first read that was sure
and all digits stays as it is where the second agrees or is not legible; where the second
legibly reads other digits, neither is believed and the first is capped below
``confident`` (a stamped italic "08" of a scanned copy was read "06" at 0.92: a confident
wrong date, a false date finding).  The second read changes the first only where both agree and it is
itself legible: the same length, and each character the same digit or a letter OCR
mistakes for that digit (``CONFUSED``: "l" and "I" for 1, "O" for 0, …).  Then the word
becomes the digits; where the first read had the same digits its confidence is the higher
of the two reads', where it had letters the second read's, capped below ``confident``: a
digit guessed from a letter is stated, never with confidence.  A word the second read
disagrees with, or whose digits are glued to another word, is left as the first read gave
it (the grammar then states it as unsure or drops it).

A typed number and symbol read as one word below ``legible`` ("157/QĐÐ-NĐ-UB") is read
again too, with the characters of numbers and symbols only (``_confirm_symbol``): kept, as
unsure, only where both reads agree.

Measured on the real scans and the scanned copies of the real text-layer pages
(docs/ocr.md).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sigaudit.evidence.page import tessengine

CONFUSED = {"l": "1", "I": "1", "|": "1", "!": "1", "O": "0", "o": "0", "Ø": "0", "ø": "0", "Q": "0"}
"""Letters OCR reads for a digit in a face it knows less (never the other way round: a
digit read is kept as read)."""

_DIGIT = "[0-9lI|!OoØøQ]"
_NUMBER_WORD = re.compile(rf"(?:^|\n)[ \t]*S[ốô6][ \t]*[:;]?[ \t]*(?P<w>{_DIGIT}{{1,6}})[ \t]*/")
# the day may carry a speck read as a stop or a comma ("ngày 24. tháng"): read again without it
_DATE_WORDS = re.compile(
    rf",[ \t]*ngày[ \t]+(?P<w>{_DIGIT}{{1,2}})(?P<speck>[.,])?[ \t]+tháng(?:[ \t]+(?P<m>{_DIGIT}{{1,2}})[ \t]+năm\b)?"
)
# the month where the day is not a word of digits (handwritten: "ngày đ§. tháng I1 năm 2010")
_MONTH_WORD = re.compile(rf",[ \t]*ngày\b[^\n]{{0,16}}?tháng[ \t]+(?P<m>{_DIGIT}{{1,2}})[ \t]+năm\b")

Box = tuple[int, int, int, int]  # left, top, width, height in the band's pixels
Word = tuple[int, int, Box]  # start and end in the text, box


def agree(first: str, second: str) -> str | None:
    """The digits both reads give, or None: ``second`` is all digits, as long as ``first``,
    and each character of ``first`` is the same digit or a letter confused with it."""
    if not second.isdigit() or len(first) != len(second) or not second.isascii():
        return None
    for a, b in zip(first, second, strict=True):
        if a != b and CONFUSED.get(a) != b:
            return None
    return second


def confirm_words(
    image: Any,
    dpi: int,
    text: str,
    confidence: Sequence[float],
    words: Sequence[Word],
    *,
    confident: float,
    legible: float,
    timeout: float,
) -> tuple[str, tuple[float, ...], list[Word]]:
    """``text``, ``confidence`` and ``words`` (their places moved with the text) with the number's, the day's and the month's words read
    again where their first read is below ``confident`` or not all digits, and both reads
    agree, the second at least ``legible``; then a number and symbol read as one unsure
    word (``_confirm_symbol``)."""
    chars, conf = list(text), list(confidence)
    spans = []
    for pattern in (_NUMBER_WORD, _DATE_WORDS):
        found = pattern.search(text)
        if found is not None:
            speck_text = found.groupdict().get("speck")
            spans += [
                (*found.span(g), len(speck_text or "") if g == "w" else 0)
                for g in ("w", "m")
                if g in found.groupdict() and found[g] is not None
            ]
    month = _MONTH_WORD.search(text)
    if month is not None and not any(start <= month.start("m") < end for start, end, _ in spans):
        spans.append((*month.span("m"), 0))
    specks: list[tuple[int, int]] = []
    for start, end, speck in spans:
        first = text[start:end]
        first_conf = min(confidence[start:end], default=0.0)
        word = next((w for w in words if w[0] == start and w[1] == end + speck), None)
        if word is None:
            continue  # the digits are glued to another word ("Số:2l6"): its box is not theirs
        read = _read_again(image, dpi, word[2], timeout)
        if read is None or read[1] < legible:
            continue
        if speck and read[0] == first and first.isdigit():
            # the speck was no character of the day: two reads agree on its digits (it is
            # taken out after this loop, the words' offsets moved with it)
            specks.append((end, end + speck))
            conf[start:end] = [round(min(max(first_conf, read[1]), confident - 0.01), 2)] * (end - start)
            continue
        if first_conf >= confident and first.isdigit():
            # a confident first read is believed only where the second does not read other
            # digits (a stamped italic "08" read "06" at 0.92, "08" at 0.95 the second time)
            if read[0] != first:
                conf[start:end] = [round(min(first_conf, confident - 0.01), 2)] * (end - start)
            continue
        digits = agree(first, read[0])
        if digits is None:
            continue
        chars[start:end] = digits
        # letters read as digits stay unsure whatever the second read says
        new = max(first_conf, read[1]) if digits == first else min(read[1], confident - 0.01)
        conf[start:end] = [round(new, 2)] * len(digits)
    for a, b in sorted(specks, reverse=True):
        del chars[a:b], conf[a:b]
        words = [(s - (b - a) if s >= b else s, e - (b - a) if e >= b else e, box) for s, e, box in words]
    return _confirm_symbol(image, dpi, "".join(chars), conf, words, (confident, legible, timeout))


def _read_again(
    image: Any, dpi: int, box: Box, timeout: float, allowed: str = "0123456789"
) -> tuple[str, float] | None:
    left, top, width, height = box
    margin = max(2, round(height * 0.35))
    crop = image.crop(
        (
            max(left - margin, 0),
            max(top - margin, 0),
            min(left + width + margin, image.width),
            min(top + height + margin, image.height),
        )
    )
    return tessengine.word(crop, dpi, allowed, timeout=timeout)


_SYMBOL_WORD = re.compile(
    r"(?:^|\n)[ \t]*S[ốô6][ \t]*[:;]?[ \t]*(?P<w>[0-9]{1,6}/(?:[0-9]{4}/)?[A-ZĐÐ][A-Za-zĐđÐ]*(?:-[A-ZĐÐ][A-Za-zĐđÐ]*)+)"
)
_SYMBOL_CHARS = "0123456789/-ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzĐđ"


def _confirm_symbol(
    image: Any,
    dpi: int,
    text: str,
    confidence: Sequence[float],
    words: Sequence[Word],
    limits: tuple[float, float, float],
) -> tuple[str, tuple[float, ...], list[Word]]:
    """A typed number and symbol read as one word below ``legible`` ("157/QĐÐ-NĐ-UB" at
    0.47 on a 1999 scan: Tesseract's confidence falls on words with Đ, to 0 on some it
    reads right) read again on its own, with only the characters a number and symbol are
    written with.  Where the second read is the first (Ð read as Đ), or the first with one
    letter read twice ("QĐĐ"), the word is the second read, stated as unsure (below
    ``confident``): two reads agree.  Anything else is left as read.  ``limits``:
    (confident, legible, timeout)."""
    confident, legible, timeout = limits
    words = list(words)
    found = _SYMBOL_WORD.search(text)
    if found is None:
        return text, tuple(confidence), words
    start, end = found.span("w")
    if min(confidence[start:end], default=0.0) >= legible:
        return text, tuple(confidence), words
    word = next((w for w in words if w[0] == start and w[1] == end), None)
    if word is None:
        return text, tuple(confidence), words
    read = _read_again(image, dpi, word[2], timeout, _SYMBOL_CHARS)
    first = text[start:end].replace("Ð", "Đ")
    if read is None or not _SYMBOL_WORD.fullmatch(f"Số: {read[0]}"):
        return text, tuple(confidence), words
    second = read[0]
    once = {first[:i] + first[i + 1 :] for i in range(1, len(first)) if first[i] == first[i - 1] and first[i].isalpha()}
    if second != first and second not in once:
        return text, tuple(confidence), words
    conf = list(confidence)
    conf[start:end] = [round(confident - 0.01, 2)] * len(second)
    shift = len(second) - (end - start)
    moved = [
        (a, b + shift, box) if a == start else (a + shift, b + shift, box) if a >= end else (a, b, box)
        for a, b, box in words
    ]
    return text[:start] + second + text[end:], tuple(conf), moved
