"""Page text laid out from positioned glyphs (``evidence/page/layout.py``) and the glyphs that
annotations drew (``evidence/page/pagetext.py``): built here from glyph boxes, no PDF."""

from __future__ import annotations

from sigaudit.evidence.page.layout import Glyph, layout
from sigaudit.evidence.page.pagetext import is_ocr_layer
from sigaudit.evidence.page.stamped import left_over as _left_over
from sigaudit.evidence.page.stamped import overlaps as _overlaps


def _line(
    words: list[str],
    *,
    y: float = 700.0,
    x: float = 50.0,
    advance: float = 7.0,
    gap: float = 3.0,
    tracking: float = 0.0,
    size: float = 14.4,
    source: str | None = None,
    spaces: bool = False,
) -> list[Glyph]:
    """Glyphs of one line: each letter ``advance`` wide, ``tracking`` between letters, ``gap``
    more between words; with ``spaces`` the producer wrote a space before each word."""
    out = []
    for w, word in enumerate(words):
        for i, ch in enumerate(word):
            out.append(Glyph(ch, x, x + advance, y, size, "Times", source, spaces and w > 0 and i == 0))
            x += advance + tracking
        x += gap
    return out


def test_words_without_space_characters_are_split_by_their_gaps():
    # ld_cv125_stp: no space is written; words sit 3.0-3.5 pt apart at a 14.4 pt box height
    text = layout(_line(["UBND", "TỈNH", "LÂM", "ĐỒNG"], gap=3.2), False).text
    assert text == "UBND TỈNH LÂM ĐỒNG"


def test_letters_set_apart_are_one_word_until_a_wider_gap():
    # letter spacing of 2 pt everywhere; words 2 + 3.2 pt apart
    text = layout(_line(["Hà", "Nội", "ngày"], tracking=2.0, gap=3.2), False).text
    assert text == "Hà Nội ngày"


def test_kerning_and_tight_text_stay_one_word():
    glyphs = _line(["Nghị", "định"], gap=3.2)
    # a kerned pair: the second letter starts 0.4 pt inside the first
    glyphs[1] = glyphs[1]._replace(x0=glyphs[1].x0 - 0.4)
    assert layout(glyphs, False).text == "Nghị định"


def test_rows_come_from_positions_not_from_stream_order():
    body = _line(["Căn", "cứ", "Luật"], y=600.0)
    header = _line(["KẾ", "HOẠCH"], y=700.0, x=250.0)
    assert layout(body + header, False).text == "KẾ HOẠCH\nCăn cứ Luật"


def test_what_annotations_drew_is_what_the_content_did_not():
    content = _line(["Số:", "/KH-UBND"], gap=40.0) + _line(["1", "năm", "2024"], y=650.0)
    stamp = _line(["196"], x=80.0, source=None)
    flattened = content[:4] + stamp + content[4:]
    # the tail of the flattened page is the content's own text: the index rule fails here
    assert _overlaps(flattened[-6:], content)
    assert [g.char for g in _left_over(flattened, content)] == ["1", "9", "6"]
    assert not _overlaps(stamp, content)


def test_a_hidden_text_layer_is_an_ocr_layer_only_when_most_of_the_content_is_hidden():
    visible = _line(["ỦY", "BAN"])
    hidden = [g._replace(hidden=True) for g in _line(["UY", "BAN", "NHAN", "DAN"], y=650.0)]
    stamp = [g._replace(hidden=False, source="Signature1") for g in _line(["Ký", "bởi"], y=500.0)]
    assert is_ocr_layer(hidden + stamp)
    assert not is_ocr_layer(visible + stamp)
    assert not is_ocr_layer(visible * 3 + hidden[:2])


def test_text_drawn_twice_over_itself_reads_once():
    """A producer that makes text look bold by drawing it twice, a fraction of a point apart
    (Windows simulates a bold face so, and PDF printers keep both drawings): a reader sees one
    line, and the office must not read "SỞ NỘI VỤ SỞ NỘI VỤ"."""
    words = ["SỞ", "NỘI", "VỤ"]
    once = layout(_line(words, spaces=True), False).text
    twice = _line(words, spaces=True) + _line(words, spaces=True, x=50.4, y=700.2)
    assert once == "SỞ NỘI VỤ"
    assert layout(twice, False).text == once
    # letters a reader sees as two are never that close: a double "l" at its advance stays
    assert layout(_line(["all"], advance=3.6), False).text == "all"
    # the same letter a stamp drew over the page's own is not the page's letter drawn again
    stamped = _line(["17"]) + _line(["17"], source="CapSo")
    assert layout(stamped, True).text.replace(" ", "") == "1717"
