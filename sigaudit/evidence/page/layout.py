"""Page text in visual order from positioned glyphs: rows by baseline, runs within a row,
words by gaps (``pagetext.py`` reads the glyphs with PDFium; this module only places them).

Rows come from coordinates, never from the order the content stream draws in: e-office
exports that draw the header table after the body read as a person reads
them.  A run is a stretch of glyphs that follow each other in the stream on one row; runs
are ordered left to right and joined by one space; within a run a word break is a space
the producer wrote or a gap wider than the run's letter spacing by ``WORD_GAP`` of the
glyphs' height (producers that write no space characters).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import NamedTuple


class Glyph(NamedTuple):
    """One character drawn on the page (a tuple: thousands are made per page)."""

    char: str
    x0: float
    x1: float
    baseline: float
    size: float
    font: str | None
    source: str | None
    space_before: bool = False
    """PDFium saw a word break (a space, real or generated, or a line end) right before it
    in stream order."""
    hidden: bool = False
    """Drawn invisibly (text render mode 3): the text layer an OCR program lays under a
    scanned image, which nobody sees."""


@dataclass(frozen=True)
class PageText:
    """Page 1's text in visual order, with a per-character source and font."""

    text: str
    sources: tuple[str | None, ...]
    fonts: tuple[str | None, ...]
    annotations_drawn: bool = False
    """Annotation appearances were flattened into the text (False: page content only)."""
    scanned: bool = False
    """The page is covered by an image (at least 60 % of its area): a scan."""
    ocr_layer_ignored: bool = False
    """The page is a scan whose text is drawn invisibly over the image (an OCR layer made by
    the scanner's software, of unknown quality): that text was left out, and the header is
    read from the image or not at all."""

    def runs(self) -> list[tuple[str, str | None]]:
        """(text, font) runs, for the legacy-encoding decoder."""
        out: list[tuple[str, str | None]] = []
        for ch, font in zip(self.text, self.fonts, strict=True):
            if out and (out[-1][1] == font or ch.isspace()):
                out[-1] = (out[-1][0] + ch, out[-1][1])
            else:
                out.append((ch, font))
        return out


def _merge_stamped_rows(rows: list[list[tuple[int, Glyph]]]) -> list[list[tuple[int, Glyph]]]:
    """A row drawn only by annotations (a number stamped a little above or below the line's
    baseline) joins the nearest row of page content when it fits in a blank of that row:
    no content glyph under it, and within 0.8 of a line's height."""
    out: list[list[tuple[int, Glyph]]] = []
    for row in rows:
        if any(g.source is None for _, g in row):
            out.append(list(row))
            continue
        # one row per stamp: two widgets on one line (number and day) are placed apart
        by_source: dict[str | None, list[tuple[int, Glyph]]] = {}
        for item in row:
            by_source.setdefault(item[1].source, []).append(item)
        out.extend(by_source.values())
    for r, row in enumerate(out):
        if not row or any(g.source is None for _, g in row):
            continue
        x0, x1 = min(g.x0 for _, g in row), max(g.x1 for _, g in row)
        base = row[0][1].baseline
        size = max(g.size for _, g in row)
        best: tuple[float, int] | None = None
        for c, other in enumerate(out):
            if c == r or not other or all(g.source is not None for _, g in other):
                continue
            distance = abs(other[0][1].baseline - base)
            if distance > 0.8 * max(size, max(g.size for _, g in other)):
                continue
            if any(g.x0 < x1 and g.x1 > x0 for _, g in other):
                continue  # content under the stamp: not a blank of that row
            if best is None or distance < best[0]:
                best = (distance, c)
        if best is not None:
            out[best[1]].extend(row)
            row.clear()
    # rows that stayed apart keep their place, top to bottom
    kept = [r for r in out if r]
    kept.sort(
        key=lambda r: (
            -max(g.baseline for _, g in r if g.source is None)
            if any(g.source is None for _, g in r)
            else -r[0][1].baseline
        )
    )
    return kept


WORD_GAP = 0.12
"""A gap between two glyphs of a run, beyond the run's letter spacing, of at least this
share of the glyphs' height is a word break.  Glyph boxes are PDFium's loose boxes (the
advance width), so within a word the gap is the letter spacing plus kerning, a few
hundredths of the height; exports that write no space characters leave
about 0.22 of the height between words, a space of Times being 0.25 em."""


def _tracking(run: list[Glyph]) -> float:
    """The run's letter spacing: its median gap between glyphs (0 for short runs or tight
    text).  Text set with letter spacing ("H à N ội") has word gaps beyond it."""
    if len(run) < 4:
        return 0.0
    gaps = sorted(run[j].x0 - run[j - 1].x1 for j in range(1, len(run)))
    return max(gaps[len(gaps) // 2], 0.0)


def _continues(last: Glyph, first: Glyph) -> bool:
    """Whether a run of the page content goes on the word the run to its left ended: it
    starts where that one stops (no gap as wide as a space, no overlap).  A producer may
    draw a word in two text objects apart in the stream ("thán" … "g", Cairo does); a
    stamp's run is always a word of its own."""
    if last.source is not None or first.source is not None:
        return False
    size = min(last.size, first.size)
    gap = first.x0 - last.x1
    return -0.05 * size <= gap <= WORD_GAP * size and abs(first.baseline - last.baseline) <= 0.1 * size


OVERPRINT = 0.12
"""A glyph drawn again where the same glyph already is — within this share of its height
across and up or down, from the same source — is one glyph to a reader.  Producers draw
text twice to make it look bold (Windows simulates a bold face that way, and a PDF printer
keeps both drawings: 0.2–0.8 points apart); the narrowest glyphs' advance ("i", ".") is
about 0.25 of the height, so two glyphs a reader sees as two are never this close."""


def _drawn_once(row: list[tuple[int, Glyph]]) -> list[tuple[int, Glyph]]:
    """The row (in stream order) without the glyphs drawn again over themselves
    (``OVERPRINT``); the first drawing is kept."""
    seen: dict[str, list[Glyph]] = {}
    out = []
    for item in row:
        g = item[1]
        same = seen.get(g.char)
        if same is None:
            seen[g.char] = [g]
        else:
            near = OVERPRINT * g.size if g.size > 1.0 else OVERPRINT
            again = False
            for o in same:
                if -near <= o.x0 - g.x0 <= near and -near <= o.baseline - g.baseline <= near and o.source == g.source:
                    again = True
                    break
            if again:
                continue
            same.append(g)
        out.append(item)
    return out


def layout(glyphs: list[Glyph], drawn: bool) -> PageText:
    """Rows by baseline (top to bottom); within a row, runs of glyphs that follow each
    other in the content stream (a word, a line of one column) ordered left to right.
    Words are separated where the stream has a space or the gap is as wide as one
    (``WORD_GAP``), runs by one space.

    A run breaks where the next glyph jumps back, or forward by more than a blank: the
    blanks of "Số:      /TTr-UBND" are where a signature stamps the number, and the stamp's
    glyphs (drawn later) must be read between the two halves.  Within a run stream order
    is kept, so marks that legacy fonts draw over the previous letter stay after it.
    """
    combining = unicodedata.combining
    merged: list[Glyph] = []
    for g in glyphs:
        if merged and combining(g.char) and not merged[-1].char.isspace():
            last = merged[-1]
            merged[-1] = last._replace(char=last.char + g.char, x1=max(last.x1, g.x1))
        else:
            merged.append(g)
    rows: list[list[tuple[int, Glyph]]] = []
    row: list[tuple[int, Glyph]] | None = None
    for item in sorted(enumerate(merged), key=lambda item: -item[1].baseline):
        g = item[1]
        if row is not None:
            first = row[0][1]
            if abs(first.baseline - g.baseline) <= 0.35 * (first.size if first.size > g.size else g.size):
                row.append(item)
                continue
        row = [item]
        rows.append(row)
    if any(g.source is not None for g in merged):
        rows = _merge_stamped_rows(rows)
    chars: list[str] = []
    sources: list[str | None] = []
    fonts: list[str | None] = []
    normalize = unicodedata.normalize

    for r, row in enumerate(rows):
        if r:
            chars.append("\n")
            sources.append(None)
            fonts.append(None)
        row.sort(key=lambda item: item[0])
        row = _drawn_once(row)
        runs: list[list[Glyph]] = []
        previous: Glyph | None = None
        for _, g in row:
            if previous is None:
                runs.append([g])
            else:
                size = g.size if g.size < previous.size else previous.size
                if size < 1.0:
                    size = 1.0
                if g.x0 < previous.x1 - 0.9 * size or g.x0 - previous.x1 > 0.8 * size:
                    runs.append([g])
                else:
                    runs[-1].append(g)
            previous = g
        runs.sort(key=lambda run: run[0].x0)
        for k, run in enumerate(runs):
            if k and not _continues(runs[k - 1][-1], run[0]):
                # between runs: another column, or a stamp in a blank
                chars.append(" ")
                sources.append(None)
                fonts.append(None)
            tracking = _tracking(run)
            before: Glyph | None = None
            for g in run:
                if before is not None:
                    size = g.size if g.size < before.size else before.size
                    if g.space_before or g.x0 - before.x1 - tracking > WORD_GAP * (size if size > 1.0 else 1.0):
                        # a space in the stream, or a gap as wide as one
                        chars.append(" ")
                        sources.append(None)
                        fonts.append(None)
                before = g
                ch = g.char
                if len(ch) > 1 or ch >= "\x80":
                    ch = normalize("NFC", ch)
                if len(ch) == 1:
                    chars.append(ch)
                    sources.append(g.source)
                    fonts.append(g.font)
                else:
                    chars.extend(ch)
                    sources.extend([g.source] * len(ch))
                    fonts.extend([g.font] * len(ch))
    text = "".join(chars)
    return PageText(text, tuple(sources), tuple(fonts), drawn)
