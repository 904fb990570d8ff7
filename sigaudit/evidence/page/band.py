"""The rows of page 1 the header reader reads, found before the page is laid out.

Laying a page out costs a few microseconds a glyph in Python, and a dense page has
thousands; the header reader (``header.parse_header``) reads only the header, the title and
the lines of its subject (or, in a công văn, its number line, its "V/v" subject and a little
past the addressee).  So the page's own text, in the order PDFium reads it (one call), is
searched for the title or the addressee, its position asked for (two calls), and only the
content drawn above a few lines under it is laid out.

This is a shortcut, never a different answer: the rows laid out are the top rows of the
page, so what the header reader finds in them it finds on the whole page; and
``header.band_suffices`` checks, on the laid-out rows, that everything the reader reads lies
within them (the title and four lines under it, or the number line, the subject and 200
characters past it).  Where it cannot show that, the page is read down to
``pagetext.HEADER_FRACTION`` as before.  A test compares both readings on every page 1 the
project has.
"""

from __future__ import annotations

import re
from typing import Any

from sigaudit.evidence.page.numbers import TITLE_TYPES

ROWS_UNDER = 4
"""Rows read under the title's (the subject is at most three lines, and the last row read
may be cut) or under a công văn's subject or addressee (its header ends 200 characters past
it)."""
ROWS_UNDER_LETTER = 12

_SPACED = {title: r"\s*".join(map(re.escape, title.split())) for title in TITLE_TYPES}
_TITLE = re.compile(
    r"(?:^|[\r\n])[ \t]*(?:"
    + "|".join(_SPACED[t] for t in sorted(TITLE_TYPES, key=len, reverse=True))
    + r")[ \t]*(?=$|[\r\n]|\s+(?:CỦA|VỀ)\s)"
)
_LETTER = re.compile(r"(?:^|[\r\n])[ \t]*(?:V/v\b|Kính\s*gửi\b)", re.IGNORECASE)
_CANDIDATES = 12


def anchors(text: str) -> list[int]:
    """Indexes (into PDFium's text of the page, in stream order) of the first character of
    each line that may be the title; where no line may be, of each line that starts a công
    văn's subject or addressee.  Empty: the page is read whole."""
    found = [_first_letter(text, m.start()) for m in _TITLE.finditer(text)]
    if not found:
        found = [_first_letter(text, m.start()) for m in _LETTER.finditer(text)]
    return found[:_CANDIDATES]


def _first_letter(text: str, at: int) -> int:
    while at < len(text) and text[at].isspace():
        at += 1
    return at


def plan(text: str, baseline: Any, height: Any, floor: float) -> tuple[float, list[tuple[int, int, bool]]] | None:
    """(the lowest baseline read, the stretches of ``text`` to read glyph by glyph) for the
    header band, or None where there is no anchor (the caller reads down to ``floor``).

    ``baseline(i)`` and ``height(i)`` are the baseline and glyph height of character
    ``i``.  The text is taken as PDFium's lines (up to the line breaks it writes); the
    baselines of each line's first and last characters place it.  The floor is the
    baseline of the ``ROWS_UNDER``-th row under the topmost anchor; a line whose ends both
    lie a glyph height below the floor is passed over (PDFium breaks a line where a text
    object starts on another row, and a text object's glyphs share one baseline).  Each
    stretch says whether one was passed over right before it: reading that one would have
    kept no glyph and made a word break before the next."""
    found = anchors(text)
    if not found:
        return None
    letter = _TITLE.search(text) is None
    lines = []
    for m in LINE.finditer(text):
        line = m.group(1)
        if line and not line.isspace():
            first, last = m.start(), m.start() + len(line) - 1
            y0, h0, y1, h1 = baseline(first), max(height(first), 1.0), baseline(last), max(height(last), 1.0)
            lines.append((m.start(), m.end(), y0, h0, y1, h1))
        else:
            lines.append((m.start(), m.end(), None, 0.0, None, 0.0))
    top, top_h = max((baseline(i), max(height(i), 1.0)) for i in found)
    under = sorted(
        {
            (y, h)
            for *_, y0, h0, y1, h1 in lines
            if y0 is not None
            for y, h in ((y0, h0), (y1, h1))
            if y < top - 0.5 * top_h
        },
        reverse=True,
    )
    rows: list[tuple[float, float]] = []
    for y, h in under:
        if rows and rows[-1][0] - y <= 0.35 * max(rows[-1][1], h):
            continue
        rows.append((y, h))
    wanted = ROWS_UNDER_LETTER if letter else ROWS_UNDER
    if len(rows) > wanted:
        floor = max(floor, rows[wanted - 1][0] - 0.25 * rows[wanted - 1][1])
    spans: list[tuple[int, int, bool]] = []
    passed = False
    for start, end, y0, h0, y1, h1 in lines:
        if y0 is not None and y0 < floor - h0 and y1 < floor - h1:
            passed = True
            continue
        spans.append((start, end, passed))
        passed = False
    return floor, spans


LINE = re.compile("([^\r\n\ufffe]*)[\r\n\ufffe]*")
"""PDFium's lines: up to the line breaks it writes, and up to a hyphen that ends a row
(PDFium joins the word across the rows without a break; its text says U+FFFE there)."""
