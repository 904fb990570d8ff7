"""The second look at the stamped number, day and month (``evidence/page/digits.py``):
what two reads must agree on, what confidence the result earns, and one real read by the
engine."""

from __future__ import annotations

import pytest

from sigaudit.evidence.page import digits, ocr, tessengine


@pytest.mark.parametrize(
    "first, second, agreed",
    [
        ("176", "176", "176"),
        ("l76", "176", "176"),  # a small L for a one
        ("II5", "115", "115"),
        ("O4", "04", "04"),
        ("lI", "11", "11"),
        ("177", "176", None),  # a digit read is kept: two reads that differ are no answer
        ("l76", "76", None),  # not as long
        ("l76", "1７6", None),  # a full-width digit is no digit here
        ("S6", "56", None),  # S is not among the letters taken for a digit
    ],
)
def test_two_reads_agree_only_digit_for_digit(first, second, agreed):
    assert digits.agree(first, second) == agreed


TEXT = "Số: l76 /TTr-SNV Lâm Đồng, ngày 17 tháng O3 năm 2026"


def _words(text):
    out, at = [], 0
    for word in text.split(" "):
        out.append((at, at + len(word), (at * 10, 0, len(word) * 10, 20)))
        at += len(word) + 1
    return out


def _confirm(monkeypatch, reads, confidence):
    asked = []

    def read_again(image, dpi, box, timeout):
        asked.append(box[0] // 10)
        return reads.get(box[0] // 10)

    monkeypatch.setattr(digits, "_read_again", read_again)
    text, conf, _ = digits.confirm_words(
        None, 300, TEXT, confidence, _words(TEXT), confident=ocr.CONFIDENT, legible=ocr.LEGIBLE, timeout=5
    )
    return text, conf, asked


def test_letters_become_digits_stated_as_unsure(monkeypatch):
    number, month = TEXT.index("l76"), TEXT.index("O3")
    text, conf, _ = _confirm(monkeypatch, {number: ("176", 0.96), month: ("03", 0.95)}, [0.95] * len(TEXT))
    assert text == TEXT.replace("l76", "176").replace("O3", "03")
    # a digit guessed from a letter is stated, never with confidence
    assert max(conf[number : number + 3]) < ocr.CONFIDENT and min(conf[number : number + 3]) >= ocr.LEGIBLE
    assert max(conf[month : month + 2]) < ocr.CONFIDENT


def test_the_same_digits_read_twice_earn_the_better_confidence(monkeypatch):
    day = TEXT.index("17 tháng")
    confidence = [0.95] * len(TEXT)
    confidence[day : day + 2] = [0.7, 0.7]
    text, conf, asked = _confirm(monkeypatch, {day: ("17", 0.93)}, confidence)
    assert text == TEXT and conf[day] == 0.93
    assert day in asked


def test_a_confident_digit_read_again_stays_where_the_second_read_agrees_or_is_not_legible(monkeypatch):
    day = TEXT.index("17 tháng")
    number = TEXT.index("l76")
    confidence = [0.95] * len(TEXT)
    text, conf, asked = _confirm(monkeypatch, {number: ("178", 0.99), day: ("17", 0.97)}, confidence)
    assert day in asked  # "17" at 0.95 is proved by a second read too
    assert text == TEXT and conf[day] == 0.95  # the same digits: as sure as it was
    assert list(conf[number : number + 3]) == confidence[number : number + 3]  # "l76" against "178": no answer
    text, conf, _ = _confirm(monkeypatch, {day: ("17", 0.3)}, confidence)
    assert text == TEXT and list(conf) == confidence  # a second read not legible: the first stands


def test_a_confident_digit_that_a_second_read_contradicts_is_no_longer_confident(monkeypatch):
    """A stamped italic "08" of a scanned copy was read "06" at 0.92 and "08" at 0.95 the
    second time: neither is believed (a confident wrong day is a false date finding)."""
    day = TEXT.index("17 tháng")
    confidence = [0.95] * len(TEXT)
    text, conf, _ = _confirm(monkeypatch, {day: ("11", 0.96)}, confidence)
    assert text == TEXT  # the first read is kept, not replaced by the second
    assert max(conf[day : day + 2]) < ocr.CONFIDENT and min(conf[day : day + 2]) >= ocr.LEGIBLE


def test_a_second_read_below_legible_changes_nothing(monkeypatch):
    number = TEXT.index("l76")
    text, _, _ = _confirm(monkeypatch, {number: ("176", 0.2)}, [0.95] * len(TEXT))
    assert text == TEXT


def test_digits_glued_to_another_word_are_not_read_again(monkeypatch):
    glued = "Số:2l6 /VP-HCQT"
    monkeypatch.setattr(digits, "_read_again", lambda *a: pytest.fail("read again"))
    text, _, _ = digits.confirm_words(
        None, 300, glued, [0.5] * len(glued), _words(glued), confident=0.9, legible=0.6, timeout=5
    )
    assert text == glued


@pytest.mark.parametrize(("second", "read"), [(("24", 0.93), "24"), (("241", 0.93), None), (("24", 0.3), None)])
def test_a_speck_after_a_stamped_day_is_dropped_where_a_second_read_gives_the_same_digits(monkeypatch, second, read):
    """A speck beside the clerk's stamped day, read as a stop ("ngày 24. tháng", the word
    at 0.13): where the day read again alone gives the same digits, legibly, the stop is no
    character of the date, and the day is stated, unsure."""
    from sigaudit.evidence.page.header import parse_header

    line = "Số: 447 /KH-UBND Phường 1, ngày 24. tháng 03 năm 2025"
    day = line.index("24.")
    confidence = [0.95] * len(line)
    confidence[day : day + 3] = [0.13] * 3
    # (the fake words' boxes start at ten times their place in the text)
    monkeypatch.setattr(digits, "_read_again", lambda image, dpi, box, timeout: second if box[0] == day * 10 else None)
    text, conf, _ = digits.confirm_words(
        None, 300, line, confidence, _words(line), confident=ocr.CONFIDENT, legible=ocr.LEGIBLE, timeout=5
    )
    if read is None:
        assert (text, list(conf)) == (line, confidence)
        return
    assert text == line.replace("24.", "24") and len(conf) == len(text)
    assert parse_header(text).issuance_date.day == 24 and conf[text.index(" tháng")] == confidence[day + 3]
    assert min(conf[day : day + 2]) >= ocr.LEGIBLE and max(conf[day : day + 2]) < ocr.CONFIDENT


def test_the_month_is_read_again_where_the_day_is_handwritten(monkeypatch):
    """ "ngày đ§. tháng I1 năm 2010" (a 2010 scan, the day handwritten): the day is no word of
    digits, the month is read again on its own; letters made digits are stated, unsure."""
    line = "Số 14/?/KH-UBND Bắc Giang, ngày đ§. tháng I1 năm 2010"
    month = line.index("I1")
    monkeypatch.setattr(
        digits, "_read_again", lambda image, dpi, box, timeout: ("11", 0.93) if box[0] == month * 10 else None
    )
    text, conf, _ = digits.confirm_words(
        None, 300, line, [0.95] * len(line), _words(line), confident=ocr.CONFIDENT, legible=ocr.LEGIBLE, timeout=5
    )
    assert text == line.replace("I1", "11")
    assert min(conf[month : month + 2]) >= ocr.LEGIBLE and max(conf[month : month + 2]) < ocr.CONFIDENT


@pytest.mark.skipif(tessengine.version() is None, reason="tesserocr with the Vietnamese model is not installed")
def test_the_engine_reads_a_stamped_number_as_one_word_of_digits():
    fpdf = pytest.importorskip("fpdf")
    import pypdfium2 as pdfium

    pdf = fpdf.FPDF(format=(60, 20), unit="mm")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.text(10, 13, "176")
    document = pdfium.PdfDocument(bytes(pdf.output()))
    image = document[0].render(scale=300 / 72, grayscale=True).to_pil()
    document.close()
    from PIL import ImageOps

    left, top, right, bottom = ImageOps.invert(image).getbbox()  # the word's box, as Tesseract gives it
    read = digits._read_again(image, 300, (left, top, right - left, bottom - top), timeout=10)
    assert read is not None and read[0] == "176" and read[1] >= ocr.LEGIBLE
    # and the engine reads whole pages afterwards: its page mode and character list are back
    assert "176" in (tessengine.tsv(image, 300) or "")
    assert tessengine._engine().GetVariableAsString("tessedit_char_whitelist") == ""


@pytest.mark.parametrize(
    "second, read",
    [
        ("157/QĐ-NĐ-UB", "157/QĐ-NĐ-UB"),  # the first read with its Đ read twice (cb_qd157, 1999)
        ("157/QĐĐ-NĐ-UB", "157/QĐĐ-NĐ-UB"),  # the same word (Ð read as Đ)
        ("167/QĐ-NĐ-UB", None),  # another number: two reads that differ are no answer
        ("157/QĐ-ND-UB", None),
        ("157", None),  # not a number and symbol
    ],
)
def test_a_number_and_symbol_read_unsure_is_read_again_and_kept_only_where_both_agree(monkeypatch, second, read):
    text = "Số: 157/QĐÐ-NĐ-UB Cao Bằng, ngày 22 tháng 2 năm 1999"
    start = text.index("157")
    confidence = [0.95] * len(text)
    confidence[start : start + 13] = [0.47] * 13
    # (the day and month, read again as digits, come back illegible here and stay as read)
    monkeypatch.setattr(digits, "_read_again", lambda image, dpi, box, timeout, allowed="0123456789": (second, 0.0))
    out, conf, _ = digits.confirm_words(
        None, 300, text, confidence, _words(text), confident=ocr.CONFIDENT, legible=ocr.LEGIBLE, timeout=5
    )
    if read is None:
        assert out == text and list(conf) == confidence
    else:
        assert out == text.replace("157/QĐÐ-NĐ-UB", read)
        assert len(conf) == len(out)
        assert (
            ocr.LEGIBLE <= min(conf[start : start + len(read)]) <= max(conf[start : start + len(read)]) < ocr.CONFIDENT
        )
