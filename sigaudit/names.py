"""Name normalisation shared by office grouping, signer classification and matching."""

from __future__ import annotations

import functools
import re
import unicodedata

_SPACE = re.compile(r"\s+")

# Abbreviations that Vietnamese headers and certificates use interchangeably with the full
# words.  Applied to the folded form, so both sides meet in the middle.
_ABBREVIATIONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rf"(?<!\w){a}(?!\w)"), full)
    for a, full in (
        (r"ubnd", "ủy ban nhân dân"),
        (r"hđnd", "hội đồng nhân dân"),
        (r"hdnd", "hội đồng nhân dân"),
        (r"tp\.", "thành phố"),
        (r"tx\.", "thị xã"),
        (r"tt\.", "thị trấn"),
    )
)


D_CONFUSED = str.maketrans({"\u00d0": "Đ", "\u00f0": "đ", "\u0189": "Đ"})
"""Letters drawn like Đ and đ that Vietnamese never writes: the Icelandic eth (Ð ð, what OCR
and some fonts and input methods give for Đ) and the African D (Ɖ).  Read as Đ and đ."""


_ONE_FOR_ONE = str.maketrans(
    {
        "\u00a0": " ",
        # a soft hyphen in a text layer was drawn: it is the hyphen a reader sees ("/KH\u00adSNNMT")
        "\u00ad": "-",
        # a fraction or division slash read (OCR) or drawn for the number's "/"
        "\u2044": "/",
        "\u2215": "/",
        "\uff0f": "/",
        # Word's non-breaking hyphen (it keeps "QĐ-UBND" on one line), Unicode's hyphen, the
        # figure dash, the minus, full-width hyphens: the symbol's hyphen; an em dash or a
        # horizontal bar: the en dash of a motto or a place name
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2212": "-",
        "\ufe63": "-",
        "\uff0d": "-",
        "\u2014": "–",
        "\u2015": "–",
        # a with caron for a with breve ("nǎm", "Vǎn"): old fonts' ă, a letter Vietnamese never writes
        "\u01ce": "ă",
        "\u01cd": "Ă",
    }
)
"""Characters read as the one a reader takes them for, one for one (offsets into the text
stay those of the glyphs: the sources of stamped characters still line up); and Ð, ð, Ɖ as
Đ, đ (``names.D_CONFUSED``)."""


_TAKEN_FOR_OTHERS = re.compile("[" + re.escape("".join(chr(c) for c in (*_ONE_FOR_ONE, *D_CONFUSED))) + "]")


def one_for_one(text: str) -> str:
    """NFC, then the characters a reader takes for others read as those, one for one (most
    texts have none: a search in C, 30 times cheaper than the translation, says so)."""
    text = unicodedata.normalize("NFC", text)
    if _TAKEN_FOR_OTHERS.search(text) is None:
        return text
    return text.translate(_ONE_FOR_ONE).translate(D_CONFUSED)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@functools.lru_cache(maxsize=8192)
def strip_diacritics(text: str) -> str:
    """``Ủy ban nhân dân`` → ``Uy ban nhan dan``; ``Đ``/``đ`` → ``D``/``d``."""
    decomposed = unicodedata.normalize("NFD", text.translate(D_CONFUSED))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped.replace("Đ", "D").replace("đ", "d"))


def clean_spaces(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


_DASH = re.compile(r"\s*[-–—]\s*")


@functools.lru_cache(maxsize=8192)
def office_key(name: str, *, fold_diacritics: bool = False) -> str:
    """The form office names are grouped by: NFC, casefold, single spaces, and the
    common abbreviations written out (``UBND`` ⇔ ``Ủy ban nhân dân``, ``TP.`` ⇔
    ``Thành phố``).

    With ``fold_diacritics`` the key also drops diacritics and punctuation, for
    matching names written by different hands (``UY BAN NHAN DAN``).
    """
    key = clean_spaces(one_for_one(name)).casefold()
    # "uỷ" and "ủy" are the same word in two spelling conventions.
    key = key.replace("uỷ", "ủy").replace("hoà", "hòa").replace("thuỵ", "thụy")
    # "BÀ RỊA-VŨNG TÀU", "BÀ RỊA – VŨNG TÀU": one name, whatever the dash and its spaces
    key = _DASH.sub(" - ", key)
    for pattern, full in _ABBREVIATIONS:
        key = pattern.sub(full, key)
    if fold_diacritics:
        key = clean_spaces(re.sub(r"[^\w ]+", " ", strip_diacritics(key)))
    return key


@functools.lru_cache(maxsize=8192)
def same_office(a: str, b: str) -> bool:
    """Whether two spellings name the same body (one may include the other's parent)."""
    ka, kb = office_key(a, fold_diacritics=True), office_key(b, fold_diacritics=True)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    shorter, longer = sorted((ka, kb), key=len)
    # "phong noi vu" inside "phong noi vu huyen phu binh": the same body, named with
    # or without its parent.  Very short names ("ban") would match anything.
    return len(shorter) >= 8 and f" {shorter} " in f" {longer} "


def shown(text: str) -> str:
    """``text`` as it can be printed: bytes that were not valid UTF-8 in a file name (kept
    by Python as lone surrogates) become U+FFFD."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        try:
            raw = text.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:
            raw = text.encode("utf-8", "replace")
        return raw.decode("utf-8", "replace")


def raw_name(text: str) -> str | None:
    """The bytes of a name that is not valid UTF-8, percent-escaped (``h%F4s%E1.pdf``); None
    for a name that is."""
    try:
        text.encode("utf-8")
        return None
    except UnicodeEncodeError:
        from urllib.parse import quote

        return quote(text.encode("utf-8", "surrogateescape"), safe="/")


_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền, hỏi, ngã, sắc, nặng
_SHAPED = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}


def collation_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Vietnamese dictionary order: letters first (a < ă < â < b … d < đ … o < ô < ơ … u < ư),
    then tones (none < huyền < hỏi < ngã < sắc < nặng); case and spacing ignored."""
    letters: list[int] = []
    tones: list[int] = []
    for ch in clean_spaces(nfc(text)).lower():
        parts = unicodedata.normalize("NFD", ch)
        base, marks = parts[0], parts[1:]
        letter = base
        tone = 0
        for mark in marks:
            if mark in _TONES:
                tone = _TONES[mark]
            else:
                letter = _SHAPED.get((base, mark), letter)
        index = _LETTERS.find(letter)
        letters.append(index * 2 + 1 if index >= 0 else 200 + ord(letter) if letter != " " else 0)
        tones.append(tone)
    return tuple(letters), tuple(tones)
