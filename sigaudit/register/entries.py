"""One line of an outgoing-document register (sổ đăng ký văn bản đi, Decree 30/2020 appendix
IV.I): the number and symbol, the date, the type, the signer — taken from a PDF's page 1 or
from a row of the register an e-office system exports.

``parse_number`` splits "447/KH-UBND", "118a/BC-SNV", "04/2012/TT-BKHCN" into the number
(447), its letter (``a``), the year a legal normative document carries in its symbol, the
type (``KH``; none for a công văn) and the issuer's abbreviation (``UBND``); a Party
committee's "123-KH/HU" too (type KH, issuer HU).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass

from sigaudit.evidence.page.numbers import DOC_TYPES

_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-"})
_NUMBER = re.compile(r"^(?:S[Ốố]\s*:?\s*)?(\d{1,6})([A-Za-zđĐ]?)\s*/\s*(?:((?:19|20)\d{2})\s*/\s*)?(\S.*)$")
_PARTY = re.compile(r"^(?:S[Ốố]\s*:?\s*)?(\d{1,6})([A-Za-zđĐ]?)\s*-\s*([^\W\d_]{1,5})\s*/\s*(\S.*)$")
"""A Party committee's "123-KH/HU": the type before the slash, the committee after it."""
_TYPES_FOLDED = {k.upper(): k for k in DOC_TYPES}


@dataclass(frozen=True)
class Number:
    """A parsed number and symbol."""

    number: int
    suffix: str
    year: int | None
    """The year written in a legal normative document's symbol (04/2012/TT-BKHCN)."""
    symbol: str
    """Upper case, without blanks, dashes unified: ``KH-UBND``."""
    doc_type: str | None
    """The annex III abbreviation the symbol starts with (``KH``, ``QĐ``, ``TTr``), else None."""
    issuer: str
    """The issuing body's abbreviation: after the type (``KH-UBND`` → UBND), or first
    (a công văn, ``UBND-KGVX`` → UBND)."""

    @property
    def key(self) -> str:
        """What identifies the document within its issuer's year: ``447/KH-UBND``."""
        year = f"{self.year}/" if self.year else ""
        return f"{self.number}{self.suffix}/{year}{self.symbol}"


def parse_number(text: str | None) -> Number | None:
    """``"Số: 447/KH-UBND"`` → Number; None when ``text`` is not a number and symbol."""
    if not text:
        return None
    clean = unicodedata.normalize("NFC", str(text)).translate(_DASHES).strip()
    m = _NUMBER.match(clean)
    if m is None:
        party = _PARTY.match(clean)
        if party is None:
            return None
        # keyed as the state form ("123-KH/HU" → 123/KH-HU): a register row and a page-1
        # reading of one document meet on the same key; the committee is the issuer
        issuer = re.sub(r"\s+", "", party[4]).upper().strip("-./")
        kind = party[3].upper()
        if not issuer:
            return None
        return Number(
            number=int(party[1]),
            suffix=party[2].lower(),
            year=None,
            symbol=f"{kind}-{issuer}",
            doc_type=_TYPES_FOLDED.get(kind),
            issuer=issuer,
        )
    symbol = re.sub(r"\s+", "", m[4]).upper().strip("-./")
    if not symbol or not re.match(r"^[^\W_]", symbol):
        return None
    parts = symbol.split("-")
    head = parts[0].split(".", 1)
    if len(head) == 2 and head[0] in _TYPES_FOLDED:
        parts = [*head, *parts[1:]]  # "KH.PNV": the type, then the office, as page 1 reads it
    doc_type = _TYPES_FOLDED.get(parts[0])
    issuer = (parts[1] if len(parts) > 1 else parts[0]) if doc_type else parts[0]
    return Number(
        number=int(m[1]),
        suffix=m[2].lower(),
        year=int(m[3]) if m[3] else None,
        symbol=symbol,
        doc_type=doc_type,
        issuer=issuer,
    )


@dataclass(frozen=True)
class Entry:
    """A document as the register sees it: from a PDF (``path``) or a register row (``row``)."""

    number: Number
    text: str
    """The number and symbol as printed or registered."""
    office: str
    office_key: str
    date: dt.date | None
    """The printed (or registered) issuance date; None when not read with confidence."""
    summary: str | None = None
    """Type and subject (tên loại và trích yếu nội dung)."""
    signer: str | None = None
    path: str | None = None
    row: int | None = None
    sha256: str | None = None
    signed_org: bool = False
    """A valid signature of an organisation counts on it (PDFs only)."""
    signed: bool = False
    verdict: str | None = None

    @property
    def name(self) -> str:
        """How a message names it: the file, else the register row."""
        return self.path if self.path is not None else f"#{self.row}"

    @property
    def doc_type(self) -> str | None:
        return self.number.doc_type

    def same_document(self, other: Entry) -> bool:
        """Two files of one document (a copy, a republication): the same bytes, or the same
        date and, where both are known, the same type and subject."""
        if self.sha256 is not None and self.sha256 == other.sha256:
            return True
        if self.date != other.date or self.number.doc_type != other.number.doc_type:
            return False
        if self.summary and other.summary:
            return self.folded_summary == other.folded_summary
        return True

    @property
    def folded_summary(self) -> str:
        """The subject as compared: case, accents' composition and punctuation aside."""
        return _fold(self.summary or "")


@functools.lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    return re.sub(r"[^\w]+", "", unicodedata.normalize("NFC", text).casefold())
