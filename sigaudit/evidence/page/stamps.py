"""What signature appearances write into page 1: which characters each annotation drew,
the lines they fill, the times they print and the copy certifications they state.

``sources`` is one entry per character of the page text: the signature field (or
``annotation…``) whose appearance drew it, None for the page content.
"""

from __future__ import annotations

import datetime as dt
import re


def annotation_lines(text: str, sources: tuple[str | None, ...]) -> list[tuple[int, int]]:
    """Lines drawn mostly by annotations (signature stamps, a republisher's stamp)."""
    spans = []
    for m in re.finditer(r"[^\n]+", text):
        marked = [sources[i] is not None for i in range(m.start(), m.end()) if not text[i].isspace()]
        if marked and sum(marked) > len(marked) / 2:
            spans.append((m.start(), m.end()))
    return spans


STAMP_LINE = re.compile(
    r"^(Ký bởi|Ky boi|Thời gian ký|Ngày ký|Email|E-mail|Cơ quan|Chức vụ|Người ký|Signed by|Signature"
    r"|SAO Y|SAO LỤC|TRÍCH SAO|Reason|Location|Date"
    # the fields of an incoming-mail stamp ("ĐẾN / Số: … / Ngày: … / Chuyển: … / Số và ký
    # hiệu HS: …"), which a receiving office prints over the sender's header
    r"|Chuyển|S[ốo]\s*v[àa]\s*k[ýy]\s*hi[ệe]u)\b|^[\d/.:+\-\s;]+$",
    re.IGNORECASE,
)
_NAMES_TOO = re.compile(r"^(?:Cơ quan|Chuyển|Signature|Date|Location|Email)\b", re.IGNORECASE)


def is_stamp_line(line: str) -> bool:
    """Whether a line is a signature, copy or incoming-mail stamp's (``STAMP_LINE``).  A
    stamp's field is written with a colon or in lower case ("Chuyển: …", "Cơ quan: …"); a
    line in capitals with no colon that starts with the same word is a body's name
    ("CHUYỂN ĐỔI SỐ" under "TRUNG TÂM", "CƠ QUAN CẢNH SÁT ĐIỀU TRA")."""
    if not STAMP_LINE.match(line):
        return False
    if _NAMES_TOO.match(line) and ":" not in line:
        letters = [c for c in line if c.isalpha()]
        return sum(c.isupper() for c in letters) < 0.8 * len(letters)
    return True


COPY_STAMP = re.compile(r"\b(SAO Y|SAO LỤC|TRÍCH SAO|BẢN SAO)\b", re.IGNORECASE)


STAMP_TIME = re.compile(
    r"(?P<d>\d{1,2})[./-](?P<m>\d{1,2})[./-](?P<y>(?:19|20)\d{2})\D{1,6}?(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?"
    r"(?:\s*;?\s*(?P<tz>[+-]\d{2}):?(?P<tzm>\d{2}))?"
)


def stamp_times(text: str, sources: tuple[str | None, ...]) -> tuple[tuple[str, str], ...]:
    """The date and time each signature's appearance prints, as ISO text."""
    drawn: dict[str, list[str]] = {}
    previous: str | None = None
    for ch, src in zip(text, sources, strict=False):
        if src is not None and not src.startswith("annotation"):
            if previous != src and src in drawn:
                drawn[src].append(" ")  # a line break or another source in between
            drawn.setdefault(src, []).append(ch)
        previous = src
    out = []
    for field, chars in drawn.items():
        m = STAMP_TIME.search(" ".join("".join(chars).split()))
        if not m:
            continue
        try:
            value = dt.datetime(int(m["y"]), int(m["m"]), int(m["d"]), int(m["H"]), int(m["M"]), int(m["S"] or 0))
        except ValueError:
            continue
        iso = value.isoformat()
        if m["tz"]:
            iso += f"{m['tz']}:{m['tzm']}"
        out.append((field, iso))
    return tuple(out)


def copy_stamps(text: str, sources: tuple[str | None, ...]) -> tuple[str, ...]:
    """Annotations (signature fields) whose text on the page certifies a copy."""
    drawn: dict[str, list[str]] = {}
    for ch, src in zip(text, sources, strict=False):
        if src is not None:
            drawn.setdefault(src, []).append(ch)
    return tuple(
        src
        for src, chars in drawn.items()
        if not src.startswith("annotation") and COPY_STAMP.search(" ".join("".join(chars).split()))
    )


def sources_in(text: str, sources: tuple[str | None, ...], start: int, end: int) -> tuple[str, ...]:
    seen: list[str] = []
    for i in range(start, min(end, len(sources))):
        src = sources[i]
        if src is not None and not text[i].isspace() and src not in seen:
            seen.append(src)
    return tuple(seen)
