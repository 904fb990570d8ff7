"""Handwritten numbers, days and months of a scanned header, read digit by digit.

On most scanned documents the clerk writes the number and the day by pen into blanks the
typist left ("Số: 05 /CT-UBND", "ngày 04 tháng 01 năm 2021"): a person reads them without
doubt, Tesseract (a reader of print) reads marks or nothing, and the field was dropped as
illegible.  Here each blank is found between the printed words around it, its ink is cut
into digits, and each digit is read by two small networks trained on handwritten digits
(``docs/make_digits.py``, data ``sigaudit/data/digits/mlp.json``).

1. *Where.* The blank lies between two printed words Tesseract read on one line: "Số:"
   and the symbol's word that starts with "/" (the number), "ngày" and "tháng" (the day),
   "tháng" and "năm" (the month).  A "ngày" or "tháng" whose box holds the pen's digits
   too ends where the right word's width says it does (``_PRINTED_WIDTH``); a "Số:" so
   glued, or a symbol word that does not start with its slash, leaves the blank's edge
   unknown: not read.  A blank whose digits Tesseract read legibly is left as
   read, unless no such field can be them ("ngày 041 tháng").
2. *Ink.* The blank, from half a line above to a third below the printed words, is made
   black and white at the higher of Otsu's threshold and the midpoint between its ink and
   its paper; its pieces of ink (8-connected) that are specks, or flat and long or alone (a
   dotted line, an underline; not the foot of a "2") are dropped; pieces over one another
   are one digit; a digit wider than it is tall is two, cut at its thinnest column; ink
   running into the printed words' boxes may hide a digit: not read.
3. *Digits.* Each digit is scaled into 20 × 20 pixels and centred by its mass in 28 × 28,
   as MNIST's digits are, and read by both networks.  A field is read only where every
   digit is as tall as handwriting on that line is (half to twice the printed words'
   height), both networks name the same digit with a probability of at least ``ACCEPT``,
   there are no more digits than the field has (a number five, a day or a month two) and
   the value is possible (a day 1–31, a month 1–12).
4. *Stated unsure.*  The field's digits get the confidence of their least sure digit,
   never more than ``STATED`` (below ``CONFIDENT``): a handwritten number or day is shown
   and never, by itself, an error.

Measured on the 18 scans of ``../shared/realworld/vn`` (docs/ocr.md).
"""

from __future__ import annotations

import base64
import functools
import json
import math
import re
from collections.abc import Sequence
from importlib import resources
from typing import Any

ACCEPT = 0.75
"""The least probability both networks must give the same digit."""
STATED = 0.85
"""The highest confidence of a field read here: legible, never confident."""

Box = tuple[int, int, int, int]
Word = tuple[int, int, Box]
Span = tuple[int, int]  # a word's start and end in the text

_NUMBER_LEFT = re.compile(r"S[ốôỐÔ]:?")
_SYMBOL = re.compile(r"/[A-ZĐ]")
# (field, left word, right word's start, most digits, widest left word in line heights)
_FIELDS: tuple[tuple[str, re.Pattern[str], re.Pattern[str], int, float], ...] = (
    # the widest: "Số:" 1.3 line heights on the real scans, 1.6 in DejaVu Serif; "ngày" 2.1
    # and 2.3; "tháng" 2.4; with a pen's digit glued into the box, 0.5 or more wider
    ("number", _NUMBER_LEFT, _SYMBOL, 5, 1.85),
    ("day", re.compile("ngày"), re.compile("tháng"), 2, 2.45),
    ("month", re.compile("tháng"), re.compile("năm"), 2, 2.9),
)
_PRINTED_WIDTH = {"day": (0.78, 0.95), "month": (1.27, 1.5)}
"""Where the printed left word ends, in widths of its right word set in the same font on
the same line: "ngày" 0.79–0.89 of "tháng", "tháng" 1.29–1.49 of "năm" (0.84–0.87 and
1.31–1.39 on most) over the real scans and their scanned copies (docs/ocr.md).  Where the
left word's box is wider than that (the pen's digits glued into it: "ngày06", "ngày⁄{§"),
the blank starts at a column without ink in that range; where no column is blank there (a
digit touching the word's last letter), it is not read."""


def read(
    image: Any, text: str, confidence: Sequence[float], words: Sequence[Word], *, legible: float
) -> tuple[str, tuple[float, ...], list[Word]]:
    """``text``, ``confidence`` and ``words`` with the handwritten number, day and month
    written in where they are read (module docstring); unchanged elsewhere."""
    edits: list[tuple[Span, Span, str, float]] = []
    for spec in _FIELDS:
        blank = _blank(image, text, confidence, words, spec, legible)
        if blank is None:
            continue
        before, after, region, height = blank
        field, most = spec[0], spec[3]
        found = _read_region(image, region, height, most)
        if found is None or not _possible(field, found[0]):
            continue
        digits, sure = found
        edits.append((before, after, f" {digits}" if field == "number" else f" {digits} ", sure))
    chars, conf, out = text, list(confidence), list(words)
    for before, after, new, sure in sorted(edits, reverse=True):
        start, end = before[1], after[0]
        value = round(min(sure, STATED), 2)
        # The printed words around the blank were read as exactly the words a header has
        # there; Tesseract's low confidence in them comes from the pen's marks beside them
        # ("ngày" at 0.48 beside a handwritten "08").  They take the digits' confidence
        # where theirs is lower: the field is stated as unsure either way.
        for a, b in (before, after):
            conf[a:b] = [max(c, value) for c in conf[a:b]]
        chars = chars[:start] + new + chars[end:]
        conf[start:end] = [1.0 if c == " " else value for c in new]
        shift = len(new) - (end - start)
        out = [(a + shift, b + shift, box) if a >= end else (a, b, box) for a, b, box in out if not start <= a < end]
    return chars, tuple(conf), out


def _blank(
    image: Any,
    text: str,
    confidence: Sequence[float],
    words: Sequence[Word],
    spec: tuple[str, re.Pattern[str], re.Pattern[str], int, float],
    legible: float,
) -> tuple[Span, Span, Box, int] | None:
    """(the printed words before and after the blank, their places in the text; the blank's
    region in the image; the line's height) for the first left word with its right word on
    the same line; None where
    there is none, or the blank already holds digits read legibly that the field can be
    ("ngày 041 tháng": no day, read again)."""
    field, left, right, most, widest = spec
    for a, b, (x, y, w, h) in words:
        printed = left.match(text[a:b])
        tail = text[a + printed.end() : b] if printed else ""
        if printed is None or (tail and (left.pattern == _NUMBER_LEFT.pattern or any(c.isalpha() for c in tail))):
            continue
        b = a + printed.end()  # "ngày⁄{§": the word, then what Tesseract made of the pen's digits
        line_start = text.rfind("\n", 0, a) + 1
        if left.pattern != _NUMBER_LEFT.pattern and text[line_start:a].strip() and "," not in text[line_start:a]:
            continue  # the date line starts with its place and a comma ("Quảng Ngãi, ngày …")
        best = None
        for a2, b2, (x2, y2, w2, h2) in words:
            if a2 < b or not right.match(text[a2:b2]) or x2 <= x + w:
                continue
            if abs((y + h / 2) - (y2 + h2 / 2)) > 0.6 * max(h, h2) or x2 - (x + w) > 12 * h:
                continue
            if best is None or x2 < best[2][0]:
                best = (a2, b2, (x2, y2, w2, h2))
        if best is None:
            continue  # an incoming-mail stamp's "Số:" has no symbol after it
        a2, _, (x2, y2, w2, h2) = best
        shares = _PRINTED_WIDTH.get(field)
        if shares is not None and (tail or w > shares[1] * w2):
            # the pen's digits glued into the left word's box: its printed end is looked for
            edge = _blank_column(image, x + round(shares[0] * w2), x + round(shares[1] * w2), min(y, y2), y + h)
            if edge is None:
                return None
            w = edge - x
        elif w > widest * h:
            return None  # glued into the box, and no right word to tell the printed word's width
        between = text[b:a2]
        read = between.strip()
        legibly = all(confidence[b + i] >= legible for i, c in enumerate(between) if c.isdigit())
        if read.isdigit() and legibly and len(read) <= most and _possible(field, read):
            return None  # Tesseract read the blank's digits legibly
        height = max(h, h2)
        if x2 - (x + w) < 0.4 * height:
            return None
        return (a, b), best[:2], (x + w, min(y, y2), x2, max(y + h, y2 + h2)), height
    return None


def _blank_column(image: Any, lo: int, hi: int, top: int, bottom: int) -> int | None:
    """The middle of the widest run of columns of ``image`` between ``lo`` and ``hi`` with no
    dark pixel from ``top`` to ``bottom`` (less 2: a region's ink is cut 2 pixels in), or
    None where every column there has ink."""
    if hi - lo < 2 or bottom - top < 2:
        return None
    crop = image.crop((lo, top, hi, bottom)).convert("L")
    width, pixels = crop.width, crop.tobytes()
    dark = [False] * width
    for row in range(crop.height):
        line = pixels[row * width : (row + 1) * width]
        for column, value in enumerate(line):
            if value < 128:
                dark[column] = True
    best, run = None, 0
    for column in range(width + 1):
        if column < width and not dark[column]:
            run += 1
            continue
        if run and (best is None or run > best[1]):
            best = (column - run, run)
        run = 0
    return None if best is None else lo + best[0] + best[1] // 2 - 2


def _possible(field: str, digits: str) -> bool:
    value = int(digits)
    if field == "day":
        return 1 <= value <= 31
    if field == "month":
        return 1 <= value <= 12
    return value > 0


def _read_region(image: Any, region: Box, height: int, most: int) -> tuple[str, float] | None:
    """The digits written in ``region`` of ``image`` and the least probability of them,
    or None where the ink is not digits both networks read alike."""
    x0, y0, x1, y1 = region
    top, bottom = max(0, y0 - round(0.5 * height)), min(image.height, y1 + round(0.33 * height))
    left, right = x0 + 2, x1 - 2
    if right - left < 4 or bottom - top < 4:
        return None
    crop = image.crop((left, top, right, bottom)).convert("L")
    width = crop.width
    ink = _ink(crop)
    pieces = _without_rules([p for p in _pieces(ink, width) if not _speck(p, height)], height)
    if any(p["x0"] == 0 or p["x1"] == width for p in pieces):
        return None  # ink running into a printed word's box: a digit may be cut (or hidden there)
    digits = _split_wide(_stack(pieces), width)
    if not 1 <= len(digits) <= most:
        return None
    line_mid = (y0 + y1) / 2 - top
    out, least = [], 1.0
    for d in digits:
        tall = d["y1"] - d["y0"]
        if not 0.5 * height <= tall <= 2.0 * height or abs((d["y0"] + d["y1"]) / 2 - line_mid) > 0.8 * height:
            return None
        reads = [_forward(net, _normalised(d, width)) for net in _nets()]
        names = {digit for digit, _ in reads}
        sure = min(p for _, p in reads)
        if len(names) != 1 or sure < ACCEPT:
            return None
        out.append(str(names.pop()))
        least = min(least, sure)
    return "".join(out), least


def _ink(crop: Any) -> bytes:
    """The crop's pixels as 1 (ink) and 0 (paper)."""
    hist = crop.histogram()
    total = sum(hist)
    ink, paper = _percentile(hist, total, 0.02), _percentile(hist, total, 0.98)
    threshold = min(max(_otsu(hist, total), (ink + paper) // 2), 200)
    return crop.point([1 if v <= threshold else 0 for v in range(256)]).tobytes()


def _percentile(hist: list[int], total: int, share: float) -> int:
    seen = 0
    for level, count in enumerate(hist):
        seen += count
        if seen >= share * total:
            return level
    return 255


def _otsu(hist: list[int], total: int) -> int:
    sum_all = sum(i * c for i, c in enumerate(hist))
    below = weighted = 0
    best, chosen = -1.0, 128
    for t in range(256):
        below += hist[t]
        if below == 0:
            continue
        above = total - below
        if above == 0:
            break
        weighted += t * hist[t]
        spread = below * above * (weighted / below - (sum_all - weighted) / above) ** 2
        if spread > best:
            best, chosen = spread, t
    return chosen


def _pieces(ink: bytes, width: int) -> list[dict[str, Any]]:
    """The 8-connected pieces of ink: their pixels (index) and bounds."""
    seen = bytearray(len(ink))
    pieces = []
    rows = len(ink) // width
    for start, on in enumerate(ink):
        if not on or seen[start]:
            continue
        seen[start] = 1
        stack, pts = [start], []
        while stack:
            p = stack.pop()
            pts.append(p)
            row, col = divmod(p, width)
            for dr in (-1, 0, 1):
                r = row + dr
                if not 0 <= r < rows:
                    continue
                for dc in (-1, 0, 1):
                    c = col + dc
                    if 0 <= c < width:
                        q = r * width + c
                        if ink[q] and not seen[q]:
                            seen[q] = 1
                            stack.append(q)
        pieces.append(_piece(pts, width))
    return pieces


def _piece(pts: list[int], width: int) -> dict[str, Any]:
    """Pixels (index = row × width + column) and their bounds."""
    xs = [p % width for p in pts]
    ys = [p // width for p in pts]
    return {"pts": pts, "x0": min(xs), "x1": max(xs) + 1, "y0": min(ys), "y1": max(ys) + 1}


def _speck(piece: dict[str, Any], height: int) -> bool:
    return max(piece["x1"] - piece["x0"], piece["y1"] - piece["y0"]) < 0.18 * height


def _without_rules(pieces: list[dict[str, Any]], height: int) -> list[dict[str, Any]]:
    """The pieces without the flat ones that are rules, not strokes of a digit: a flat piece
    (a fifth of the line high, wider than tall) is a dotted line's dash or an underline where
    it is longer than the line is high or lies under or over no other piece; the foot of a
    "2" whose thin diagonal the threshold broke, or a "5"'s flag, lies within a digit's
    width and is kept."""

    def flat(p: dict[str, Any]) -> bool:
        wide, tall = p["x1"] - p["x0"], p["y1"] - p["y0"]
        return tall < 0.2 * height and wide > 1.5 * tall

    strokes = [p for p in pieces if not flat(p)]
    kept = list(strokes)
    for p in pieces:
        if not flat(p) or p["x1"] - p["x0"] > height:
            continue
        if any(min(p["x1"], s["x1"]) - max(p["x0"], s["x0"]) > 0.5 * (p["x1"] - p["x0"]) for s in strokes):
            kept.append(p)
    return kept


def _stack(pieces: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pieces over one another (more than half the narrower one's width) as one digit."""
    digits: list[dict[str, Any]] = []
    for p in sorted(pieces, key=lambda p: p["x0"]):
        if digits:
            d = digits[-1]
            overlap = min(d["x1"], p["x1"]) - max(d["x0"], p["x0"])
            if overlap > 0.5 * min(d["x1"] - d["x0"], p["x1"] - p["x0"]):
                d["pts"] = d["pts"] + p["pts"]
                for key, pick in (("x0", min), ("y0", min), ("x1", max), ("y1", max)):
                    d[key] = pick(d[key], p[key])
                continue
        digits.append(dict(p))
    return digits


def _split_wide(digits: list[dict[str, Any]], width: int) -> list[dict[str, Any]]:
    """A digit wider than 1.15 times its height is two touching digits, cut at the column
    with the least ink in its middle two-fifths."""
    out: list[dict[str, Any]] = []
    for d in digits:
        wide, tall = d["x1"] - d["x0"], d["y1"] - d["y0"]
        if wide <= 1.15 * tall:
            out.append(d)
            continue
        columns = [0] * wide
        for p in d["pts"]:
            columns[p % width - d["x0"]] += 1
        lo, hi = round(0.3 * wide), round(0.7 * wide)
        if hi <= lo:
            out.append(d)  # a few pixels wide: nothing to cut
            continue
        cut = d["x0"] + min(range(lo, hi), key=lambda c: (columns[c], abs(c - wide // 2)))
        for part in ([p for p in d["pts"] if p % width < cut], [p for p in d["pts"] if p % width >= cut]):
            if part:
                out.append(_piece(part, width))
    return out


def _normalised(digit: dict[str, Any], width: int) -> list[tuple[int, float]]:
    """The digit as MNIST draws one (white on black, fitted in 20 × 20, centred by its
    mass in 28 × 28): the non-zero pixels, (index, value 0–1)."""
    from PIL import Image

    x0, y0 = digit["x0"], digit["y0"]
    wide, tall = digit["x1"] - x0, digit["y1"] - y0
    bitmap = bytearray(wide * tall)
    for p in digit["pts"]:
        row, col = divmod(p, width)
        bitmap[(row - y0) * wide + (col - x0)] = 255
    scale = 20.0 / max(wide, tall)
    size = (max(1, round(wide * scale)), max(1, round(tall * scale)))
    small = Image.frombytes("L", (wide, tall), bytes(bitmap)).resize(size, Image.BOX)
    values = list(small.tobytes())
    total = sum(values) or 1
    cx = sum(v * (i % size[0]) for i, v in enumerate(values)) / total
    cy = sum(v * (i // size[0]) for i, v in enumerate(values)) / total
    ox = min(max(round(14 - cx), 0), 28 - size[0])
    oy = min(max(round(14 - cy), 0), 28 - size[1])
    return [((oy + i // size[0]) * 28 + ox + i % size[0], v / 255.0) for i, v in enumerate(values) if v]


@functools.lru_cache(maxsize=1)
def _nets() -> tuple[tuple[list[list[float]], list[float], list[list[float]], list[float]], ...]:
    """The networks of ``data/digits/mlp.json``, their int8 weights scaled back."""
    data = json.loads(resources.files("sigaudit").joinpath("data/digits/mlp.json").read_text(encoding="utf-8"))
    nets = []
    for net in data["nets"]:
        hidden, inputs = net["hidden"], net["inputs"]
        w1 = _rows(net["w1"], inputs, hidden, net["s1"])
        w2 = _rows(net["w2"], hidden, 10, net["s2"])
        nets.append((w1, [float(b) for b in net["b1"]], w2, [float(b) for b in net["b2"]]))
    return tuple(nets)


def _rows(encoded: str, rows: int, columns: int, scales: list[float]) -> list[list[float]]:
    raw = base64.b64decode(encoded)
    signed = [b - 256 if b > 127 else b for b in raw]
    return [[signed[r * columns + c] * scales[c] for c in range(columns)] for r in range(rows)]


def _forward(net: Any, pixels: list[tuple[int, float]]) -> tuple[int, float]:
    """The digit a network reads and its probability (softmax)."""
    w1, b1, w2, b2 = net
    hidden = list(b1)
    for index, value in pixels:
        hidden = [h + value * w for h, w in zip(hidden, w1[index], strict=True)]
    out = list(b2)
    for h, row in zip(hidden, w2, strict=True):
        if h > 0:
            out = [o + h * w for o, w in zip(out, row, strict=True)]
    top = max(out)
    exps = [math.exp(o - top) for o in out]
    best = max(range(10), key=lambda k: exps[k])
    return best, exps[best] / sum(exps)
