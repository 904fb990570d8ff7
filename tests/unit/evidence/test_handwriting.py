"""Handwritten numbers, days and months of scanned headers (evidence/page/handwriting.py).

The pen's digits are drawn here as strokes into a blank between printed words whose boxes
Tesseract would have given; the real scans are judged in tests/realworld/test_vn.py."""

from __future__ import annotations

import pytest

pytest.importorskip("PIL")
from PIL import Image, ImageDraw

from sigaudit.evidence.page import handwriting
from sigaudit.evidence.page.ocrtext import CONFIDENT, LEGIBLE

NUMBER_TEXT = "Số: /CT-UBND"
NUMBER_WORDS = [(0, 3, (100, 80, 64, 50)), (4, 12, (320, 85, 255, 40))]
DATE_TEXT = "Quảng Ngãi, ngày tháng năm 2021"
#            0123456789012345678901234567890
DATE_WORDS = [
    (0, 5, (900, 80, 120, 50)),
    (6, 11, (1030, 80, 110, 50)),
    (12, 16, (1150, 80, 105, 50)),
    (17, 22, (1380, 80, 123, 50)),
    (23, 26, (1620, 85, 90, 38)),
    (27, 31, (1720, 80, 100, 45)),
]


def _page(*strokes) -> Image.Image:
    image = Image.new("L", (1900, 220), 255)
    draw = ImageDraw.Draw(image)
    for kind, points in strokes:
        if kind == "ellipse":
            draw.ellipse(points, outline=0, width=7)
        elif kind == "box":
            draw.rectangle(points, fill=0)
        else:
            draw.line(points, fill=0, width=7)
    return image


def _zero(x: int) -> tuple[str, tuple[int, ...]]:
    return ("ellipse", (x, 78, x + 32, 128))


def _one(x: int) -> tuple[str, list[tuple[int, int]]]:
    return ("line", [(x, 76), (x, 128)])


def _seven(x: int) -> tuple[str, list[tuple[int, int]]]:
    return ("line", [(x, 80), (x + 40, 80), (x + 15, 130)])


def _read(image, text, words, confidence=None):
    confidence = confidence or [0.95] * len(text)
    return handwriting.read(image, text, confidence, words, legible=LEGIBLE)


def test_a_handwritten_number_is_written_in_and_stated_unsure():
    text, confidence, words = _read(_page(_zero(190), _one(250)), NUMBER_TEXT, NUMBER_WORDS)
    assert text == "Số: 01/CT-UBND"
    digits = confidence[text.index("01") : text.index("01") + 2]
    assert all(LEGIBLE <= c <= handwriting.STATED < CONFIDENT for c in digits)
    # the symbol's word moved with the text
    assert [text[a:b] for a, b, _ in words] == ["Số:", "/CT-UBND"]


def test_a_handwritten_day_and_month_and_the_words_around_them():
    page = _page(_one(1290), _seven(1315), _zero(1530), _one(1580))
    low = [0.95] * len(DATE_TEXT)
    low[12:16] = [0.3] * 4  # "ngày" read unsure beside the pen's marks
    text, confidence, _ = _read(page, DATE_TEXT, DATE_WORDS, low)
    assert text == "Quảng Ngãi, ngày 17 tháng 01 năm 2021"
    start = text.index("ngày")
    # the printed word around the blank takes the digits' confidence, never more
    assert all(LEGIBLE <= c < CONFIDENT for c in confidence[start : start + 4])


@pytest.mark.parametrize(
    "strokes",
    [
        [("box", (190, 78, 280, 128))],  # a blot, a stamp's ink: no digit
        [_one(190), _one(215), _one(240), _one(265), _one(290), _one(305)],  # more digits than a number has
        [("line", [(165, 76), (180, 128)]), _one(250)],  # ink running into the printed word's box
        [],  # a blank left blank
    ],
    ids=["blot", "too-many", "cut-at-the-edge", "blank"],
)
def test_ink_that_is_not_a_number_changes_nothing(strokes):
    assert _read(_page(*strokes), NUMBER_TEXT, NUMBER_WORDS)[0] == NUMBER_TEXT


def test_an_impossible_day_or_month_is_not_written_in():
    # "71" in the day's blank and in the month's
    page = _page(_seven(1280), _one(1340), _seven(1525), _one(1585))
    assert _read(page, DATE_TEXT, DATE_WORDS)[0] == DATE_TEXT


def test_digits_tesseract_read_legibly_are_left_alone():
    text = "Số: 12/CT-UBND"
    words = [(0, 3, (100, 80, 64, 50)), (4, 6, (190, 80, 60, 50)), (6, 14, (250, 85, 255, 40))]
    # the pen's "01" under the read "12" is not asked for: Tesseract's digits stand
    assert _read(_page(_zero(190), _one(230)), text, words)[0] == text


def _glued(*strokes):
    """The date line with "ngày" (printed up to x = 1250, its box 105 wide) glued by
    Tesseract to the pen's digits after it: one box to x = 1330."""
    words = [*DATE_WORDS]
    words[2] = (12, 16, (1150, 80, 180, 50))
    return _page(("box", (1150, 80, 1250, 128)), *strokes), words


def test_a_left_word_box_that_holds_the_pens_digits_ends_where_the_printed_word_does():
    # "tháng" is 123 wide: "ngày" ends between 0.78 and 0.95 of it (1246–1267); the
    # blank starts at the blank columns there
    page, words = _glued(_one(1275), _seven(1290))
    assert _read(page, DATE_TEXT, words)[0] == "Quảng Ngãi, ngày 17 tháng năm 2021"


def test_a_left_word_glued_to_what_tesseract_made_of_the_digits():
    # "ngày⁄{§" read as one word: the word, then marks in place of the pen's "17"
    text = "Quảng Ngãi, ngày⁄{§ tháng năm 2021"
    words = [(a if a < 16 else a + 3, b if b < 16 else b + 3, box) for a, b, box in DATE_WORDS]
    words[2] = (12, 19, (1150, 80, 180, 50))
    page, _ = _glued(_one(1275), _seven(1290))
    assert _read(page, text, words)[0] == "Quảng Ngãi, ngày 17 tháng năm 2021"


def test_a_digit_touching_the_printed_word_is_not_read():
    # the pen's "1" runs into the "y": no column without ink where the word may end
    page, words = _glued(("box", (1246, 100, 1275, 104)), _one(1275), _seven(1290))
    assert _read(page, DATE_TEXT, words)[0] == DATE_TEXT


def test_a_number_word_glued_to_its_digits_is_not_read():
    # "Số:01": no right word tells where the printed "Số:" ends
    words = [(0, 3, (100, 80, 150, 50)), NUMBER_WORDS[1]]
    assert _read(_page(_zero(260), _one(300)), NUMBER_TEXT, words)[0] == NUMBER_TEXT


def test_a_ngay_in_the_body_is_not_the_date_line():
    text = "Căn cứ ngày tháng năm 2021"
    words = [
        (0, 3, (900, 80, 80, 50)),
        (4, 6, (990, 80, 40, 50)),
        (7, 11, (1150, 80, 105, 50)),
        (12, 17, (1380, 80, 123, 50)),
        (18, 21, (1620, 85, 90, 38)),
        (22, 26, (1720, 80, 100, 45)),
    ]
    assert _read(_page(_one(1290), _seven(1315)), text, words)[0] == text


def test_the_networks_are_the_generated_ones():
    nets = handwriting._nets()
    assert len(nets) == 2
    for w1, b1, w2, b2 in nets:
        assert (len(w1), len(w1[0]), len(b1), len(w2), len(w2[0]), len(b2)) == (784, 64, 64, 64, 10, 10)


def test_a_digits_foot_is_kept_and_rules_are_dropped():
    """A light printed "2" whose thin diagonal the threshold broke leaves its foot a flat
    piece of its own: dropped as a rule, the "2" was read "7" (a 1999 scan's "22")."""

    def piece(x0, y0, x1, y1):
        return {"pts": [], "x0": x0, "y0": y0, "x1": x1, "y1": y1}

    arc, foot = piece(10, 0, 30, 30), piece(8, 40, 32, 46)
    underline, dash = piece(0, 52, 80, 56), piece(50, 40, 62, 44)
    kept = handwriting._without_rules([arc, foot, underline, dash], 50)
    assert kept == [arc, foot]


def test_digits_tesseract_read_that_no_day_can_be_are_read_again():
    # "ngày 041 tháng" (nb_qd968_scan: a handwritten "01" with a flourish): no day
    text = "Quảng Ngãi, ngày 041 tháng năm 2021"
    words = [*DATE_WORDS[:3], (17, 20, (1270, 80, 80, 50))]
    words += [(a + 4, b + 4, box) for a, b, box in DATE_WORDS[3:]]
    page = _page(_zero(1280), _one(1330))
    assert _read(page, text, words)[0] == "Quảng Ngãi, ngày 01 tháng năm 2021"


def test_a_piece_a_few_pixels_wide_is_not_cut():
    thin = {"pts": [0, 1], "x0": 0, "x1": 2, "y0": 0, "y1": 1}
    assert handwriting._split_wide([thin], 10) == [thin]


def test_a_tiny_line_height_never_raises():
    # a 1-pixel-high line of words with ink specks in the blank: no digit, no error
    image = Image.new("L", (400, 40), 255)
    ImageDraw.Draw(image).point([(120, 20), (121, 20), (150, 21)], fill=0)
    words = [(0, 3, (100, 20, 2, 1)), (4, 12, (200, 20, 20, 1))]
    assert _read(image, NUMBER_TEXT, words)[0] == NUMBER_TEXT
