"""TCVN3 and VNI-Windows text to Unicode."""

from __future__ import annotations

import shutil
import subprocess
import sys
import unicodedata

import pytest
from conftest import ROOT

from sigaudit.evidence.page.legacy_text import TCVN3_TABLE, decode, decode_runs, detect, from_tcvn3, from_vni

sys.path.insert(0, str(ROOT / "fixtures"))
import craft

LETTERS = "aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵđ"


def _iconv_tcvn() -> bool:
    if not shutil.which("iconv"):
        return False
    return subprocess.run(["iconv", "-f", "TCVN", "-t", "UTF-8"], input=b"a", capture_output=True).returncode == 0


@pytest.mark.skipif(not _iconv_tcvn(), reason="iconv with glibc's TCVN charset is not available")
def test_tcvn3_table_equals_glibc_iconv():
    for i, expected in enumerate(TCVN3_TABLE):
        byte = bytes([0xA1 + i])
        got = subprocess.run(["iconv", "-f", "TCVN", "-t", "UTF-8"], input=byte, capture_output=True).stdout.decode()
        assert got == expected, hex(0xA1 + i)


def test_examples_from_the_domain_notes():
    assert decode("ngµy 19 th¸ng 8 n¨m 2021")[0] == "ngày 19 tháng 8 năm 2021"
    assert decode("Sè: 12/KH-UBND ngµy")[0].startswith("Số: 12/KH-UBND")
    assert decode("§éc lËp - Tù do - H¹nh phóc ngµy")[0].startswith("Độc lập - Tự do - Hạnh phúc")
    assert decode("ngaøy 19 thaùng 8 naêm 2021 Soá: 12")[0] == "ngày 19 tháng 8 năm 2021 Số: 12"


def test_every_vietnamese_letter_round_trips():
    for letter in LETTERS + LETTERS.upper():
        assert from_vni(craft.legacy_encode(letter, "vni")) == letter, letter
    for letter in LETTERS:
        assert from_tcvn3(craft.legacy_encode(letter, "tcvn3")) == letter, letter
        assert from_tcvn3(craft.legacy_encode(letter.upper(), "tcvn3", caps=True), capitals=True) == letter.upper()


def test_detection_by_font_name_and_by_anchor_words():
    assert detect("abc", ("ABCDEF+.VnTime",)) == "tcvn3"
    assert detect("abc", ("VNI-Times",)) == "vni"
    assert detect("abc", ("DejaVuSerif",)) == "unicode"
    assert detect("Phó B×nh, ngµy 2 th¸ng 3") == "tcvn3"
    assert detect("Phuù Bình, ngaøy 2 thaùng 3") == "vni"
    assert detect("Phú Bình, ngày 2 tháng 3") == "unicode"


def test_capitals_font_runs_are_upper_cased_and_unicode_runs_left_alone():
    runs = [
        ("ubnd huyÖn phó b×nh", "AAAAAA+.VnTimeH"),
        ("\n", None),
        ("ngµy 5 th¸ng 3", "AAAAAA+.VnTime"),
        (" Hạnh phúc", "BBBBBB+Arial"),
    ]
    text, encoding = decode_runs(runs)
    assert encoding == "tcvn3"
    assert text == "UBND HUYỆN PHÚ BÌNH\nngày 5 tháng 3 Hạnh phúc"
    assert unicodedata.is_normalized("NFC", text)


def test_windows_1258_read_as_mac_roman_is_decoded():
    """A decision typed in the Windows Vietnamese code page and re-distilled by Ghostscript
    reads "ng‡y th·ng" (seen on real files): every Vietnamese letter comes back, and plain
    Vietnamese text is never taken for it."""
    from sigaudit.evidence.page.legacy_text import from_cp1258_mac, to_cp1258

    text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nHà Nội, ngày 05 tháng 3 năm 2025\n" + LETTERS + LETTERS.upper()
    mangled = to_cp1258(text).decode("mac_roman")
    assert "ng‡y 05 th·ng 3 n„m 2025" in mangled
    assert detect(mangled) == "cp1258-mac"
    assert from_cp1258_mac(mangled) == unicodedata.normalize("NFC", text)
    assert decode(mangled) == (unicodedata.normalize("NFC", text), "cp1258-mac")
    assert detect(text) == "unicode"


def test_a_page_whose_text_layer_reads_through_mac_roman_gives_its_header():
    """The same, end to end: a page drawn so that PDFium reads Windows-1258 bytes as Mac
    Roman throughout (as a re-distilled page is: motto and body too); the header reader
    gets the place and date from it."""
    from sigaudit.evidence.document import _read_header

    sys.path.insert(0, str(ROOT / "fixtures"))
    import io

    import generate as g
    from pyhanko.pdf_utils.reader import PdfFileReader

    doc = g.Doc(
        g.PB_PARENT,
        g.PB,
        "Số: 45/KH-UBND",
        "Phú Bình, ngày 19 tháng 8 năm 2021",
        "KẾ HOẠCH",
        "Cải cách hành chính năm 2021",
        encoding="cp1258-mac",
    )
    data = g.render(doc)
    header = _read_header(data, PdfFileReader(io.BytesIO(data), strict=False))
    assert header.encoding == "cp1258-mac"
    assert (header.issuance_place, str(header.issuance_date), header.number) == ("Phú Bình", "2021-08-19", "45/KH-UBND")
    assert header.title_type == "KH"
