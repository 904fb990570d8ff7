"""Legacy 8-bit Vietnamese text (TCVN3 / ABC and VNI-Windows) to Unicode.

Documents typed with the old fonts (`.VnTime`, `.VnTimeH`, `VNI-Times`…) have a text layer
that extractors read as Windows-1252: ``ngµy 19 th¸ng 8 n¨m 2021`` (TCVN3) or
``ngaøy 19 thaùng 8 naêm 2021`` (VNI).  decode detects the encoding from the page's font
names and from anchor words of the header, and converts:

- TCVN3: each character is taken back to its cp1252 byte and bytes 0xA1–0xFF are mapped with
  the TCVN 5712 table (the same as glibc's iconv ``TCVN`` charset: a test compares them when
  iconv is installed); 0x80–0x9F stay punctuation.  Text in a capitals font (``.VnTimeH``,
  whose capitals sit at the lower-case positions) is upper-cased after conversion.
- VNI-Windows: a base letter is followed by mark characters (``aø`` = à, ``oá`` = ố); marks
  become Unicode combining marks and the result is NFC-normalised.
- Windows-1258 bytes read as Mac Roman (``ng‡y th·ng n„m``: a document typed in the Windows
  Vietnamese code page, re-distilled by Ghostscript with a ToUnicode map that follows the
  Mac encoding): each character is taken back to its Mac Roman byte and the bytes decoded as
  Windows-1258 (tones as combining marks), then NFC.
"""

from __future__ import annotations

import re
import unicodedata

TCVN3_TABLE = "\u0102\xc2\xca\xd4\u01a0\u01af\u0110\u0103\xe2\xea\xf4\u01a1\u01b0\u0111\u1eb0\u0300\u0309\u0303\u0301\u0323\xe0\u1ea3\xe3\xe1\u1ea1\u1eb2\u1eb1\u1eb3\u1eb5\u1eaf\u1eb4\u1eae\u1ea6\u1ea8\u1eaa\u1ea4\u1ec0\u1eb7\u1ea7\u1ea9\u1eab\u1ea5\u1ead\xe8\u1ec2\u1ebb\u1ebd\xe9\u1eb9\u1ec1\u1ec3\u1ec5\u1ebf\u1ec7\xec\u1ec9\u1ec4\u1ebe\u1ed2\u0129\xed\u1ecb\xf2\u1ed4\u1ecf\xf5\xf3\u1ecd\u1ed3\u1ed5\u1ed7\u1ed1\u1ed9\u1edd\u1edf\u1ee1\u1edb\u1ee3\xf9\u1ed6\u1ee7\u0169\xfa\u1ee5\u1eeb\u1eed\u1eef\u1ee9\u1ef1\u1ef3\u1ef7\u1ef9\xfd\u1ef5\u1ed0"
"""Unicode for bytes 0xA1–0xFF of TCVN 5712 (TCVN3, the ABC fonts)."""
assert len(TCVN3_TABLE) == 0x100 - 0xA1

_TCVN3_MAP = {i: TCVN3_TABLE[i - 0xA1] for i in range(0xA1, 0x100)}

# VNI-Windows: marks that follow a vowel (as decoded by cp1252), as combining sequences.
_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_BREVE, _CIRC = "\u0306", "\u0302"
_VNI_MARKS = {
    "ù": _ACUTE,
    "ø": _GRAVE,
    "û": _HOOK,
    "õ": _TILDE,
    "ï": _DOT,
    "ê": _BREVE,
    "é": _BREVE + _ACUTE,
    "è": _BREVE + _GRAVE,
    "ú": _BREVE + _HOOK,
    "ü": _BREVE + _TILDE,
    "ë": _BREVE + _DOT,
    "â": _CIRC,
    "á": _CIRC + _ACUTE,
    "à": _CIRC + _GRAVE,
    "å": _CIRC + _HOOK,
    "ã": _CIRC + _TILDE,
    "ä": _CIRC + _DOT,
}
_VNI_MARKS.update({k.upper(): v for k, v in list(_VNI_MARKS.items())})
_VNI_LETTERS = {
    "ô": "ơ",
    "ö": "ư",
    "ñ": "đ",
    "í": "í",
    "ì": "ì",
    "æ": "ỉ",
    "ó": "ĩ",
    "ò": "ị",
    "î": "ỵ",
    "Ô": "Ơ",
    "Ö": "Ư",
    "Ñ": "Đ",
    "Í": "Í",
    "Ì": "Ì",
    "Æ": "Ỉ",
    "Ó": "Ĩ",
    "Ò": "Ị",
    "Î": "Ỵ",
}
_VNI_BASES = set("aeiouyAEIOUY")  # ơ/ư decompose to o/u + horn

_TCVN3_FONT = re.compile(r"(^|\+)\.?Vn[A-Za-z]", re.IGNORECASE)
_TCVN3_CAPS_FONT = re.compile(r"(^|\+)\.?Vn[A-Za-z]+H(?:\b|,|-|$)", re.IGNORECASE)
_VNI_FONT = re.compile(r"(^|\+)VNI[-_ ]", re.IGNORECASE)
_TCVN3_ANCHORS = re.compile(r"ngµy|th¸ng|n¨m|Sè\s*:|§éc|H¹nh|NGµY|TH¸NG")
_VNI_ANCHORS = re.compile(r"ngaøy|thaùng|naêm|Soá\s*:|Ñoäc|Haïnh|NGAØY|THAÙNG")


_TONES = "\u0300\u0301\u0303\u0309\u0323"


def to_cp1258(text: str) -> bytes:
    """``text`` in Windows-1258, as Windows writes it: precomposed letters where the code
    page has them, else the letter without its tone followed by the tone's combining mark."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        out += (base + "".join(c for c in parts if c in _TONES)).encode("cp1258", "replace")
    return bytes(out)


_MAC_ANCHORS = re.compile(
    "|".join(
        re.escape(to_cp1258(w).decode("mac_roman"))
        for w in ("ngày", "tháng", "năm", "NGÀY", "THÁNG", "NĂM", "Độc lập", "Hạnh phúc", "CỘNG HÒA")
    )
)


def from_cp1258_mac(text: str) -> str:
    """Windows-1258 text that was read as Mac Roman, back to Unicode; characters that Mac
    Roman cannot have produced are kept."""
    out: list[str] = []
    pending = bytearray()
    for ch in text:
        try:
            pending += ch.encode("mac_roman")
        except UnicodeEncodeError:
            out.append(pending.decode("cp1258", "replace"))
            pending.clear()
            out.append(ch)
    out.append(pending.decode("cp1258", "replace"))
    return unicodedata.normalize("NFC", "".join(out))


def detect(text: str, fonts: tuple[str, ...] = ()) -> str:
    """``unicode``, ``tcvn3``, ``vni`` or ``cp1258-mac``."""
    if _MAC_ANCHORS.search(text):
        return "cp1258-mac"
    if _VNI_ANCHORS.search(text):
        return "vni"
    if _TCVN3_ANCHORS.search(text):
        return "tcvn3"
    if any(_VNI_FONT.search(f) for f in fonts):
        return "vni"
    if any(_TCVN3_FONT.search(f) for f in fonts):
        return "tcvn3"
    return "unicode"


def from_tcvn3(text: str, *, capitals: bool = False) -> str:
    out = []
    for ch in text:
        try:
            code = ch.encode("cp1252")[0] if len(ch.encode("cp1252")) == 1 else None
        except UnicodeEncodeError:
            code = None
        out.append(_TCVN3_MAP[code] if code is not None and code >= 0xA1 else ch)
    result = unicodedata.normalize("NFC", "".join(out))
    return result.upper() if capitals else result


def from_vni(text: str) -> str:
    out: list[str] = []
    for ch in text:
        base = unicodedata.normalize("NFD", out[-1])[0] if out else ""
        if ch in _VNI_MARKS and base in _VNI_BASES:
            out.append(_VNI_MARKS[ch])
        else:
            out.append(_VNI_LETTERS.get(ch, ch))
    return unicodedata.normalize("NFC", "".join(out))


def decode(text: str, fonts: tuple[str, ...] = ()) -> tuple[str, str]:
    """(Unicode text, encoding detected) for text without font information per run."""
    return decode_runs([(text, None)], fonts)


def decode_runs(runs: list[tuple[str, str | None]], fonts: tuple[str, ...] = ()) -> tuple[str, str]:
    """(Unicode text, encoding) from the extractor's text runs and the font of each.

    The encoding is decided for the page (font names, then anchor words); each run is then
    converted, and a run in a TCVN3 capitals font (``.VnTimeH``…) is upper-cased.  Runs in a
    font that is clearly Unicode (a legacy page may mix them) are left alone when the page's
    legacy fonts are known.
    """
    text = "".join(t for t, _ in runs)
    names = tuple(fonts) or tuple(sorted({f for _, f in runs if f}))
    encoding = detect(text, names)
    if encoding == "unicode":
        return text, encoding
    if encoding == "cp1258-mac":
        return from_cp1258_mac(text), encoding
    legacy_fonts_known = any((_TCVN3_FONT if encoding == "tcvn3" else _VNI_FONT).search(f) for f in names)
    out = []
    for chunk, font in runs:
        if legacy_fonts_known and font and not (_TCVN3_FONT if encoding == "tcvn3" else _VNI_FONT).search(font):
            out.append(chunk)
        elif encoding == "tcvn3":
            out.append(from_tcvn3(chunk, capitals=bool(font and _TCVN3_CAPS_FONT.search(font))))
        else:
            out.append(from_vni(chunk))
    return unicodedata.normalize("NFC", "".join(out)), encoding
