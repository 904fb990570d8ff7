"""A text layer earns trust (evidence/page/trust.py): words no Vietnamese print holds, the
headers that are garbled, and the spelling check of OCR readings."""

from __future__ import annotations

import pytest
from conftest import PDF_FOLDERS

from sigaudit.evidence.page import legacy_text
from sigaudit.evidence.page.pagetext import read_page_text
from sigaudit.evidence.page.trust import garbled, impossible, misspelled, syllable

# What Ghostscript's re-distilled copies of real e-office pages say for their motto and office
GARBLED = "UBND TàNH BÌNH THUÀN CàNG HÒA XÃ HàI CHỦ NGHĨA VIÞT NAM\nSỞ NỘI VỤ Độc lập - Tự do - Hạnh phúc"


@pytest.mark.parametrize(
    "word, verdict",
    [
        ("TàNH", True),  # lower case between capitals
        ("CÞNG", True),  # a letter Vietnamese does not write
        ("NGH)A", True),  # a symbol between letters
        ("H̉A", True),  # a tone mark on a consonant
        ("Bˆ", True),
        ("TỈNH", False),
        ("NGHĨA", False),
        ("Hạnh", False),
        ("QĐ-UBND", False),
        ("QyĐ", False),  # an annex III abbreviation
        ("TTr", False),
        ("12/QĐ-UBND", None),  # numbers and symbols are not judged
        ("ttcbth@quangngai.gov.vn", None),
        ("-", None),
    ],
)
def test_words_no_vietnamese_print_holds(word, verdict):
    assert impossible(word) is verdict


def test_a_header_with_lost_letters_is_garbled_and_a_foreign_or_clean_one_is_not():
    assert garbled(GARBLED)
    assert not garbled("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTỈNH NINH BÌNH Độc lập - Tự do - Hạnh phúc")
    # ASCII punctuation separates words: a city's abbreviation, a website, words a layout glued
    assert not garbled(
        "UBND TP.HCM CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSỞ TƯ PHÁP Website: www.sotuphap.gov.vn\n"
        "Độc lập - Tự do - Hạnh phúc\nTP.HCM, ngày 12 tháng 3 năm 2025 Phú,Bình"
    )
    # another language's letters are not garbled Vietnamese (EU DSS files)
    assert not garbled("Ministère de l'Économie\nStraße Größe Tõnu Mägi äöü ßß")
    assert not garbled("Министерство финансов\nПриказ № 12 от 3 марта 2025 г.")


def test_a_header_read_as_glyph_numbers_is_garbled_whatever_letters_it_shows():
    """A font without a ToUnicode map gives its glyph numbers: "UBND TỈNH BÌNH THUẬN" reads
    as control characters and Cyrillic, with no Vietnamese letter to tell the language."""
    assert garbled("8%1'\x037ӌ1+\x03%Î1+\x037+8Ұ1 &Ӝ1*\x03+Ñ$\x03;\xad\x03+Ӝ,\x03&+Ӫ 1*+Ƭ$\n6Ӣ 1Ӝ,\x039Ө ĈӝF")


def _first_pages():
    for folder in PDF_FOLDERS:
        if folder.is_dir():
            yield from sorted(folder.glob("*.pdf"))


def test_no_page_the_project_has_is_garbled_as_its_producer_wrote_it():
    """Every page 1 of the fixtures and the real documents, after legacy decoding: none is
    garbled (the threshold has the margin of every real header: no impossible word)."""
    judged = 0
    for path in _first_pages():
        page = read_page_text(path.read_bytes())
        if page is None:
            continue
        text, _ = legacy_text.decode_runs(page.runs())
        judged += 1
        assert not garbled(text), path.name
    assert judged > 100


@pytest.mark.parametrize("word", ["QUẢNG", "NGUYỄN", "KHUYẾN", "GIA", "XUYÊN", "TRƯỜNG", "HUYỆN", "QUỲNH", "UỶ"])
def test_vietnamese_syllables(word):
    assert syllable(word)


def test_ocr_readings_with_a_word_no_syllable_spells_are_misspelled():
    assert misspelled("BAN BIEN TẠP")  # BIÊN
    assert misspelled("ỦY BANNHÂNDÂN TỈNH NINH BÌNH")  # glued
    assert not misspelled("UBND TỈNH GIA LAI")  # an abbreviation
    assert not misspelled("BAN QUẢN LÝ CÁC KHU CÔNG NGHIỆP")
