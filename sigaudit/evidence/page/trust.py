"""Whether a text layer reads as Vietnamese a person would read on the page.

A PDF's text is what its fonts' ToUnicode maps say, not what the page shows.  A file
re-distilled by Ghostscript or re-written by another program may keep the glyphs and lose
the map: the page shows "TỈNH", "CỘNG HÒA", "NGHĨA", the text layer says "TàNH", "CÞNG
HÒA", "NGH)A".  Such a layer would give a confident wrong office, number or date, so it is
not believed: the header is read from the rendered page by OCR, or not at all (``garbled``).

A word is *impossible* in Vietnamese print when it holds a letter outside the Vietnamese
Latin alphabet (Þ, æ, ß…), a mark Vietnamese never writes or a tone mark on a consonant, a
symbol between its letters ("PH€N", "Bˆ"; ASCII punctuation separates words: "TP.HCM"),
lower-case letters between capitals or a capital between lower-case letters ("TàNH",
"ngËy"; the annex III abbreviations "TTr", "QyĐ" are words of their own).  Words with
digits (numbers) are not judged.  Measured on every page 1 of the project with a
Vietnamese header (fixtures and the real documents of ../shared/realworld/vn, as their
producers wrote them): no header is garbled; the real pages re-distilled by Ghostscript
hold 5 to 45 impossible words each (tests/realworld/test_vn_reprinted.py).  Two impossible
words (and 2 % of the words judged) in its first ten lines make a header garbled.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from sigaudit.evidence.page.numbers import DOC_TYPES
from sigaudit.names import one_for_one

HEADER_LINES = 10
"""The lines judged: the header and the title (a page's first lines in reading order)."""
MIN_IMPOSSIBLE = 2
MIN_SHARE = 0.02
"""A header is garbled with at least this many impossible words and this share of them."""

_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b")
"""Tone marks (grave, acute, tilde, hook, dot below) and the marks of ă, â/ê/ô, ơ/ư."""
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzđ")
_EDGES = ".,:;!?()[]\"'“”‘’-–—&%+*…"
MIN_VIETNAMESE = 3
_VIETNAMESE = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯĩũĨŨ\u1ea0-\u1ef9]")
_SEPARATORS = re.compile(r"[\s!-,./:-@\[-`{-~]+")
"""White space and ASCII punctuation but the hyphen (``QĐ-UBND`` is judged as one word)."""
_MIXED_CASE = re.compile(r"[A-ZĐ][a-zđ]+[A-ZĐ]|[a-zđ][A-ZĐ][a-zđ]")
_GLYPH_CODES = re.compile(r"[\x00-\x08\x0e-\x1f]|[A-Za-z][\u0400-\u04ff]|[\u0400-\u04ff][A-Za-z]")
"""What glyph numbers read as text look like: a font without a ToUnicode map whose glyphs are
numbered in character order less 29 (a subset TrueType font, as Word and Ghostscript write
them) reads its spaces and digits as control characters ("\\x03", "\\x13") and its accented
capitals as Cyrillic ("UBND TỈNH" → "8%1'\\x037ӌ1+").  No text a person reads holds either,
so a header with at least ``MIN_GLYPH_CODES`` of them, and that share of its characters
(every space of such a text is one: about 15 %), is judged whatever language its letters
suggest; a stray control character in a real text layer (an EU DSS file writes one in
"Edit.Toggle") is not such a header."""
MIN_GLYPH_CODES = 5
GLYPH_CODE_SHARE = 0.03


@functools.lru_cache(maxsize=65536)  # office names, the motto, "ngày": the same words on every page
def impossible(word: str) -> bool | None:
    """Whether ``word`` cannot be Vietnamese print; None where it is not judged."""
    if any(c.isdigit() for c in word) or "/" in word or "@" in word:
        return None
    word = one_for_one(word.strip(_EDGES))
    if word in DOC_TYPES:
        return False  # the annex III abbreviations ("QyĐ", "TTr") are mixed case
    marked = any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", word))
    if sum(c.isalpha() for c in word) < (1 if marked else 2):
        return None  # a lone letter is judged only by its marks ("X̀": a tone on a consonant)
    if any(not (c.isalpha() or c == "-") for c in word):
        return True
    base = ""
    for c in unicodedata.normalize("NFD", word):
        if unicodedata.combining(c):
            if c not in _MARKS or base.lower() not in "aeiouy":
                return True
        elif c == "-":
            base = ""
        elif c.lower() not in _LETTERS:
            return True
        else:
            base = c
    plain = "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))
    return bool(_MIXED_CASE.search(plain))


def garbled(text: str) -> bool:
    """Whether the first lines of a page's text (its header) are not Vietnamese a person
    reads on the page (see the module's docstring).  Only a Vietnamese header is judged: one
    with at least ``MIN_VIETNAMESE`` letters only Vietnamese writes (ă, ơ, ư, đ, ạ…ỹ), or
    one that reads as glyph numbers (``_GLYPH_CODES``); a page in another language (the EU
    DSS files) is not."""
    head = one_for_one(" ".join(text.split("\n")[:HEADER_LINES]))
    if len(_VIETNAMESE.findall(head)) < MIN_VIETNAMESE and not _glyph_numbers(head):
        return False
    # ASCII punctuation separates words ("TP.HCM", "www.sotuphap.gov.vn", "Phú,Bình" glued by
    # a layout): only what lies between is judged
    words = _SEPARATORS.split(head)
    judged = [v for v in (impossible(w) for w in words if w) if v is not None]
    bad = sum(judged)
    return bad >= MIN_IMPOSSIBLE and bad >= MIN_SHARE * len(judged)


def _glyph_numbers(head: str) -> bool:
    """Whether ``head`` reads as glyph numbers (``_GLYPH_CODES``)."""
    codes = len(_GLYPH_CODES.findall(head))
    return codes >= MIN_GLYPH_CODES and codes >= GLYPH_CODE_SHARE * len(head)


_RHYME_TABLE = """a ac ach ai am an ang anh ao ap at au ay ăc ăm ăn ăng ăp ăt âc âm ân âng âp ât âu ây
    e ec em en eng eo ep et ê êch êm ên ênh êp êt êu i ia ich im in inh ip it iu iêc iêm
    iên iêng iêp iêt iêu o oa oac oach oai oam oan oang oanh oao oap oat oay oc oe oen
    oeo oet oi om on ong ooc oong op ot oăc oăm oăn oăng oăt ô ôc ôi ôm ôn ông ôp ôt ơ
    ơi ơm ơn ơp ơt u ua uân uâng uât uây uc uê uêch uênh ui um un ung uơ uôc uôi uôm uôn
    uông uôt up ut uy uya uych uyên uyêt uynh uyt uyu ư ưa ưc ưi ưm ưng ươc ươi ươm ươn
    ương ươp ươt ươu ưt ưu y yêm yên yêng yêt yêu ych ynh yt"""
_RHYMES = frozenset(_RHYME_TABLE.split())
"""Every rhyme (vần) of Vietnamese, without its tone (ych, ynh, yt: after qu, as in Quỳnh)."""
_INITIALS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", *"bcdđghklmnprstvx", "")


def syllable(word: str) -> bool:
    """Whether ``word`` is one Vietnamese syllable (an initial and a rhyme, any tone)."""
    plain = "".join(
        c for c in unicodedata.normalize("NFD", word.casefold()) if c not in "\u0300\u0301\u0303\u0309\u0323"
    )
    plain = unicodedata.normalize("NFC", plain)
    return any(plain.startswith(i) and plain[len(i) :] in _RHYMES for i in _INITIALS) or plain in ("gi", "gin")


def misspelled(reading: str) -> bool:
    """Whether an office or place reading holds a word that is neither a Vietnamese syllable
    nor shaped like an abbreviation (capitals with at most one vowel: UBND, HĐND, KCN):
    "BIEN" for BIÊN, "BANNHÂNDÂN" for BAN NHÂN DÂN — OCR misreadings to state as unsure."""
    for word in re.findall(r"[^\W\d_]+", reading):
        vowels = sum(c in "aăâeêioôơuưy" for c in unicodedata.normalize("NFC", _plain(word)))
        if not syllable(word) and not (word.isupper() and vowels <= 1 and len(word) <= 6):
            return True
    return False


def _plain(word: str) -> str:
    return "".join(
        c
        for c in unicodedata.normalize("NFD", word.casefold())
        if not unicodedata.combining(c) or c in "\u0302\u0306\u031b"
    )
