"""Long office names and places as a narrow column wraps them (strings, no PDF).

A name breaks at whatever word the column ends on; the header reader must keep one body's
lines together and the parent apart, whichever word the second line starts with."""

from __future__ import annotations

import pytest

from sigaudit.evidence.page.header import parse_header

# real bodies' names whose words include those that start a body's name (TRƯỜNG, HỘI, VỤ,
# SỐ, PHÒNG, BẢO, ĐẠI …), with commas and hyphens
NAMES = [
    "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG",
    "PHÒNG TÀI NGUYÊN VÀ MÔI TRƯỜNG",
    "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI",
    "PHÒNG VĂN HÓA - XÃ HỘI",
    "BẢO HIỂM XÃ HỘI TỈNH",
    "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
    "TRUNG TÂM DỊCH VỤ VIỆC LÀM",
    "TRUNG TÂM CHUYỂN ĐỔI SỐ",
    "CHI CỤC DÂN SỐ - KẾ HOẠCH HÓA GIA ĐÌNH",
    "TRUNG TÂM Y TẾ DỰ PHÒNG",
    "CẢNH SÁT PHÒNG CHÁY VÀ CHỮA CHÁY",
    "BAN CHỈ HUY PHÒNG, CHỐNG THIÊN TAI VÀ TÌM KIẾM CỨU NẠN",
    "CHI CỤC TRỒNG TRỌT VÀ BẢO VỆ THỰC VẬT",
    "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
    "PHÒNG KINH TẾ, HẠ TẦNG VÀ ĐÔ THỊ",
    "CỤC QUẢN LÝ KHÁM, CHỮA BỆNH",
    "TRƯỜNG ĐẠI HỌC KINH TẾ QUỐC DÂN",
    "BAN QUẢN LÝ DỰ ÁN ĐẦU TƯ XÂY DỰNG CÁC CÔNG TRÌNH GIAO THÔNG",
    "TRUNG TÂM CÔNG NGHỆ THÔNG TIN VÀ TRUYỀN THÔNG",
]


def _breaks():
    # every break between words after the name's first two (a column never leaves "TRUNG"
    # or "CHI" alone on a line)
    for name in NAMES:
        words = name.split()
        for k in range(2, len(words)):
            yield pytest.param(name, " ".join(words[:k]), " ".join(words[k:]), id=f"{name[:24]}|{k}")


@pytest.mark.parametrize("name, first, second", list(_breaks()))
def test_a_name_wrapped_anywhere_is_one_body_under_its_parent(name, first, second):
    text = (
        "UBND TỈNH QUẢNG NGÃI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        f"{first} Độc lập - Tự do - Hạnh phúc\n{second}\n"
        "Số: 12/KH-SNV Quảng Ngãi, ngày 12 tháng 9 năm 2025\nKẾ HOẠCH\nVề việc triển khai"
    )
    header = parse_header(text)
    assert (header.office, header.parent_office) == (name, "UBND TỈNH QUẢNG NGÃI")


def test_a_stamps_field_word_starting_a_names_line_in_capitals_is_the_name():
    # "Chuyển: …" is an incoming-mail stamp's field; "CHUYỂN ĐỔI SỐ" is a line of a name
    text = (
        "UBND TỈNH QUẢNG NGÃI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTRUNG TÂM Độc lập - Tự do - Hạnh phúc\n"
        "CHUYỂN ĐỔI SỐ\nSố: 12/KH-TTCĐS Quảng Ngãi, ngày 12 tháng 9 năm 2025\nKẾ HOẠCH\nVề việc triển khai"
    )
    assert parse_header(text).office == "TRUNG TÂM CHUYỂN ĐỔI SỐ"


@pytest.mark.parametrize("place", ["Thành phố Hồ Chí Minh", "Phan Rang - Tháp Chàm", "Bà Rịa - Vũng Tàu"])
def test_a_long_place_that_pushes_the_date_to_its_own_line_is_read(place):
    text = (
        "THÀNH PHỐ HỒ CHÍ MINH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nỦY BAN NHÂN DÂN Độc lập - Tự do - Hạnh phúc\n"
        f"PHƯỜNG SÀI GÒN\nSố: 12/KH-UBND {place},\nngày 05 tháng 9 năm 2025\nKẾ HOẠCH\nVề việc triển khai"
    )
    header = parse_header(text)
    assert (header.issuance_place, str(header.issuance_date)) == (place, "2025-09-05")
    # a day written by hand: the place and the month still
    blank = parse_header(text.replace("ngày 05 tháng", "ngày      tháng"))
    assert (blank.issuance_place, blank.issuance_date, blank.issuance_month) == (place, None, "2025-09")


def test_a_line_ending_in_a_comma_in_the_body_is_no_place():
    # the comma ends the line above a date in the body, not a place in the header
    text = (
        "UBND TỈNH QUẢNG NGÃI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSỞ NỘI VỤ Độc lập - Tự do - Hạnh phúc\n"
        "Số: 12/KH-SNV Quảng Ngãi, ngày 12 tháng 9 năm 2025\nKẾ HOẠCH\nVề việc triển khai\n"
        "Căn cứ Quyết định số 15/QĐ-UBND,\nngày 03 tháng 4 năm 2024 của UBND tỉnh"
    )
    header = parse_header(text)
    assert (header.issuance_place, str(header.issuance_date)) == ("Quảng Ngãi", "2025-09-12")


def test_an_office_line_glued_by_ocr_to_a_misread_motto_keeps_its_capitals():
    # Tesseract's reading of a scanned header whose motto it misread ("Độc lập" → "lộc
    # lập", the date line glued to it): the office block's lines go on in small letters
    text = (
        "UBND TỈNH THÁI NGUYÊN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "ỦY BAN NHÂN DÂN lộc lập Tự do Hạnh phú\n"
        "HUYỆN PHÚ BÌNH PhhS§nh) ngà ng 0747\n"
        "Số 29/TTr-UBND\nTỜ TRÌNH\nVề việc thực hiện nhiệm vụ cải cách hành chính"
    )
    header = parse_header(text, ocr=True)
    assert (header.office, header.parent_office) == ("ỦY BAN NHÂN DÂN HUYỆN PHÚ BÌNH", "UBND TỈNH THÁI NGUYÊN")
