"""What identifies an office: its name, and its parent where the name does not say where."""

from __future__ import annotations

import pytest

from sigaudit.offices import key_for, names_a_place, qualified


@pytest.mark.parametrize(
    "name, place",
    [
        ("ỦY BAN NHÂN DÂN TỈNH BẮC GIANG", True),
        ("UBND HUYỆN PHÚ BÌNH", True),
        ("ỦY BAN NHÂN DÂN PHƯỜNG 1", True),
        ("SỞ NỘI VỤ TỈNH GIA LAI", True),
        ("SỞ NỘI VỤ", False),
        ("VĂN PHÒNG", False),
        ("BỘ TÀI CHÍNH", False),
        ("PHÒNG NỘI VỤ", False),  # "phòng" is not "phường"
    ],
)
def test_a_name_says_where_the_office_is(name, place):
    assert names_a_place(name) is place


def test_same_named_offices_under_different_parents_are_different_offices():
    a = qualified("SỞ NỘI VỤ", "UBND TỈNH LÂM ĐỒNG")
    b = qualified("SỞ NỘI VỤ", "UBND TỈNH VĨNH LONG")
    assert a == "SỞ NỘI VỤ (UBND TỈNH LÂM ĐỒNG)"
    assert key_for(a) != key_for(b)
    # the same parent however it is spelled: one office
    assert key_for(a) == key_for(qualified("Sở Nội vụ", "Ủy ban nhân dân tỉnh Lâm Đồng"))


def test_a_name_with_its_place_or_without_a_parent_stands_alone():
    assert qualified("UBND HUYỆN PHÚ BÌNH", "UBND TỈNH THÁI NGUYÊN") == "UBND HUYỆN PHÚ BÌNH"
    assert qualified("SỞ NỘI VỤ", None) == "SỞ NỘI VỤ"
    assert qualified("SỞ NỘI VỤ", "Sở Nội vụ") == "SỞ NỘI VỤ"


@pytest.mark.parametrize(
    "office, standing",
    [
        ("HỘI ĐỒNG THẨM ĐỊNH CẢI CÁCH HÀNH CHÍNH", True),
        ("BAN BIÊN TẬP", True),
        ("BAN CHỈ ĐẠO CHUYỂN ĐỔI SỐ", True),
        ("TỔ CÔNG TÁC", True),
        ("ĐOÀN KIỂM TRA", True),
        ("HỘI ĐỒNG NHÂN DÂN TỈNH VĨNH LONG", False),
        ("BAN QUẢN LÝ KCN", False),
        ("SỞ NỘI VỤ", False),
    ],
)
def test_councils_and_boards_sign_with_their_standing_body(office, standing):
    from sigaudit.checks.signers import signs_with_standing_body

    assert signs_with_standing_body(office) is standing


def test_characters_taken_for_others_are_read_one_for_one_whichever_path():
    """``one_for_one`` skips the translation where no character needs it (a search): the
    answer is the translation's on texts with and without such characters."""
    import random
    import unicodedata

    from sigaudit import names

    def translated(text: str) -> str:
        return unicodedata.normalize("NFC", text).translate(names._ONE_FOR_ONE).translate(names.D_CONFUSED)

    special = [chr(c) for c in (*names._ONE_FOR_ONE, *names.D_CONFUSED)]
    plain = [*"aĐđăÂ-/– \n1", "a\u0306", "\u00c3"]  # a decomposed ă: NFC applies either way
    rnd = random.Random(7)
    for _ in range(3000):
        text = "".join(rnd.choice(special + plain if rnd.random() < 0.5 else plain) for _ in range(rnd.randint(0, 10)))
        assert names.one_for_one(text) == translated(text), repr(text)
    assert names.one_for_one("157/QĐÐ\u2011NĐ\u2011UB, nǎm") == "157/QĐĐ-NĐ-UB, năm"


def _result(office: str | None, printed: bool, path: str):
    """What ``Tally.add`` reads of a document's result."""
    import datetime as dt
    from types import SimpleNamespace

    from sigaudit.model import Verdict

    header = SimpleNamespace(office=office if printed else None, issuance_date=dt.date(2025, 3, 1), doc_type="KH")
    return SimpleNamespace(
        path=path,
        office=office,
        office_key=key_for(office),
        evidence=SimpleNamespace(error=None, header=header),
        signed=True,
        signed_person_and_org=True,
        date_consistent=True,
        verdict=Verdict.PASS,
        findings=(),
        signing_date=None,
    )


@pytest.mark.parametrize("order", [1, -1])
def test_an_office_row_shows_the_spelling_its_headers_print(order):
    """A scan's office comes from its certificate ("Ủy ban nhân dân tỉnh Quảng Ngãi"), a
    text document's from its header ("ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"): one office, shown as
    printed, whichever document comes first."""
    from sigaudit.tally import Tally

    results = [
        _result("Ủy ban nhân dân tỉnh Quảng Ngãi", False, "a.pdf"),
        _result("Ủy ban nhân dân tỉnh Quảng Ngãi", False, "b.pdf"),
        _result("ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", True, "c.pdf"),
        _result("UBND TỈNH QUẢNG NGÃI", True, "d.pdf"),
        _result("ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", True, "e.pdf"),
    ][::order]
    tally = Tally()
    for r in results:
        tally.add(r)
    (row,) = tally.offices()
    assert row.office == "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI" and row.documents == 5
    assert {s["office"] for s in tally.statistics()} == {"ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"}
