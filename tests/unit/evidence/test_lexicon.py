"""Known place names (``evidence/page/lexicon.py``, data from ``vietnam-provinces``)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest
from conftest import ROOT

from sigaudit.evidence.page import lexicon
from sigaudit.evidence.page.ocr import _drop_margin_specks, correct_capitals


@pytest.mark.parametrize(
    "reading, known",
    [
        ("Bà Rịa Vũng Tàu", "Bà Rịa - Vũng Tàu"),  # the hyphen an OCR lost
        ("Bà Rịa - Vũng Tàu", "Bà Rịa - Vũng Tàu"),
        ("Quang Ngai", "Quảng Ngãi"),  # letters right, marks lost
        ("Phú Bình", "Phú Bình"),  # a district
        ("Hoà Bình", "Hoà Bình"),  # tone placement kept as printed
        ("TP. Hồ Chí Minh", "TP. Hồ Chí Minh"),
        ("KSTTHC Phú Thọ", None),  # a symbol's tail is no place
        ("Nghị định", None),
    ],
)
def test_places_snap_to_the_one_name_they_spell(reading, known):
    assert lexicon.snap_place(reading) == known


def test_offices_snap_the_unit_they_name_and_say_when_it_is_unknown():
    assert lexicon.snap_office("ỦY BAN NHÂN DÂN TỈNH BÀ RỊA VỮNG TÀU") == (
        "ỦY BAN NHÂN DÂN TỈNH BÀ RỊA - VŨNG TÀU",
        True,
    )
    assert lexicon.snap_office("UBND TỈNH PHÚ THỌ") == ("UBND TỈNH PHÚ THỌ", True)
    assert lexicon.snap_office("SỞ NỘI VỤ") == ("SỞ NỘI VỤ", None)
    assert lexicon.snap_office("UBND HUYỆN QWERTY") == ("UBND HUYỆN QWERTY", False)


def test_the_lexicon_holds_old_and_merged_units():
    provinces = set(lexicon.names("provinces"))
    assert {"Bà Rịa - Vũng Tàu", "Hồ Chí Minh", "Quảng Ngãi", "Bắc Giang"} <= provinces
    assert len(provinces) >= 63 and len(lexicon.names("districts")) >= 600 and len(lexicon.names("wards")) >= 7000


def test_ocr_repairs_glued_office_lines_and_margin_specks():
    text = "v ỦY BAN NHÂN DÂN\nUBNDTỈNHPHÚTHỌ\n2 KÉ HOẠCH\n1. Mục đích"
    cleaned, conf = _drop_margin_specks(text, [0.5] * len(text))
    repaired, conf = correct_capitals(cleaned, conf)
    assert repaired.split("\n") == ["ỦY BAN NHÂN DÂN", "UBND TỈNH PHÚ THỌ", "KẾ HOẠCH", "1. Mục đích"]
    assert len(conf) == len(repaired)
    # letters without their marks are not a known name: left as read
    assert correct_capitals("UBNDTINHXYZABC", [0.5] * 14)[0] == "UBNDTINHXYZABC"


@pytest.mark.parametrize(
    "read, repaired",
    [
        # seen on scanned copies of gl_kh115_snnmt and nb_kh193: a level word misread and
        # glued, a name of two words; the committee's whole name glued
        ("UBNDTÏNHGIA LAI CỘNG HÒA XÃ HỘI", "UBND TỈNH GIA LAI CỘNG HÒA XÃ HỘI"),
        ("UBNDHUYỆNPHÚ BÌNH", "UBND HUYỆN PHÚ BÌNH"),
        ("ÚY BANNHÂNDÂN TỈNH NINH BÌNH", "ỦY BAN NHÂN DÂN TỈNH NINH BÌNH"),
        # a line read as printed is left as read
        ("UBND TỈNH GIA LAI", "UBND TỈNH GIA LAI"),
        ("UBNDTỈNHGIA LAIX", "UBNDTỈNHGIA LAIX"),  # "GIA" alone is no unit, "GIA LAIX" neither
    ],
)
def test_ocr_repairs_glued_and_misread_office_lines_only_into_known_names(read, repaired):
    text, conf = correct_capitals(read, [0.5] * len(read))
    assert text == repaired and len(conf) == len(text)


@pytest.mark.skipif(importlib.util.find_spec("vietnam_provinces") is None, reason="vietnam-provinces (Python >= 3.12)")
def test_the_shipped_lexicon_is_what_the_package_gives():
    assert subprocess.run([sys.executable, str(ROOT / "docs" / "make_lexicon.py"), "--check"]).returncode == 0


def test_ocr_repairs_a_ministry_name_set_on_two_lines():
    # the whole phrase meets no single line; its halves do (a degraded 150 dpi scan of
    # cbao_tt15_2012_bvhttdl read "THÊ THAO VA DU LỊCH")
    for read, want in (
        ("BỘ VĂN HÓA, THÊ THAO\nVA DU LỊCH", "BỘ VĂN HÓA, THỂ THAO\nVÀ DU LỊCH"),
        ("SỞ TÀI NGUYÊN\nVA MÔI TRƯỜNG", "SỞ TÀI NGUYÊN\nVÀ MÔI TRƯỜNG"),
    ):
        assert correct_capitals(read, [0.5] * len(read))[0] == want


@pytest.mark.parametrize(
    "reading, known",
    [
        ("SỞ NỘI VỤ", True),
        ("SỞ NỘI VỤ TỈNH LÂM ĐỒNG", True),
        ("SỞ LAO ĐỘNG, THƯƠNG BINH VÀ XÃ HỘI", True),
        ("Sở Nông nghiệp và Môi trường", True),
        ("SỞ NỘI NỘI VỤ", False),  # a word read twice at 200 dpi, stated with confidence before
        ("SỞ TƯ PHÁP VIỆT", False),
        ("ỦY BAN NHÂN DÂN TỈNH GIA LAI", None),
        ("SỐ: 12/KH-UBND", None),
    ],
)
def test_a_departments_name_is_one_of_the_known_departments(reading, known):
    assert lexicon.known_department(reading) is known


@pytest.mark.parametrize(
    "place, office, found",
    [
        ("Vĩnh Long", "ỦY BAN NHÂN DÂN TỈNH VĨNH LONG", ("Vĩnh Long", True)),
        ("Quảng Ngãi", "UBND TỈNH QUẢNG NGÃI", ("Quảng Ngãi", True)),
        ("Quận 1", "UBND QUẬN 1", ("Quận 1", True)),
        # one letter off, as OCR reads an italic date line (scanned copies of the real files)
        ("Lĩnh Long", "UBND TỈNH VĨNH LONG", ("Vĩnh Long", False)),
        ("Bà Rịa Ưũng Tàu", "ỦY BAN NHÂN DÂN TỈNH BÀ RỊA - VŨNG TÀU", ("Bà Rịa - Vũng Tàu", False)),
        ("Phường l", "ỦY BAN NHÂN DÂN PHƯỜNG 1", ("Phường 1", False)),
        # other places: never the office's
        ("Vĩnh Châu", "UBND TỈNH VĨNH LONG", None),
        ("Long An", "UBND TỈNH VĨNH LONG", None),
        ("Hà Tiên", "UBND TỈNH HÀ TĨNH", None),
        ("Phường 2", "ỦY BAN NHÂN DÂN PHƯỜNG 1", None),
        ("Hà Nội", "BỘ NỘI VỤ", None),  # a ministry names no unit
    ],
)
def test_a_place_is_the_unit_its_office_names_only_where_it_spells_it(place, office, found):
    assert lexicon.same_unit(place, office) == found


def test_numbered_wards_and_districts_are_known_units():
    """Hồ Chí Minh City's "QUẬN 1" and the "PHƯỜNG 1" of many towns: their number is their
    name, known with its level word (read as an unknown unit, the office was always unsure)."""
    assert lexicon.snap_office("ỦY BAN NHÂN DÂN PHƯỜNG 1") == ("ỦY BAN NHÂN DÂN PHƯỜNG 1", True)
    assert lexicon.snap_office("ỦY BAN NHÂN DÂN QUẬN 10") == ("ỦY BAN NHÂN DÂN QUẬN 10", True)
    assert lexicon.snap_office("ỦY BAN NHÂN DÂN QUẬN 13")[1] is False  # there is no Quận 13
    assert lexicon.snap_place("Phường 1") == "Phường 1" and lexicon.snap_place("Quận 13") is None
    assert lexicon.names_only_unit("PHƯỜNG 1") and not lexicon.names_only_unit("SỞ NỘI VỤ")
