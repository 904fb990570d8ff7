"""The register across documents (sigaudit.register): numbers, series, what breaks them, and
registers read the way e-office systems export them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from conftest import ROOT

from sigaudit.register import Entry, Ledger, analyse, group, parse_date, parse_number, read_register
from sigaudit.register.series import _kept

REGISTERS = ROOT / "fixtures" / "register"


def entry(number: str, day: tuple[int, int, int] | None, office: str = "UBND huyện Phú Bình", **kw) -> Entry:
    parsed = parse_number(number)
    assert parsed is not None
    return Entry(
        number=parsed,
        text=number,
        office=office,
        office_key=office.lower(),
        date=dt.date(*day) if day else None,
        path=kw.pop("path", f"{number.replace('/', '-')}-{day}.pdf"),
        **kw,
    )


@pytest.mark.parametrize(
    "text, number, suffix, year, symbol, doc_type, issuer",
    [
        ("447/KH-UBND", 447, "", None, "KH-UBND", "KH", "UBND"),
        ("Số: 118a/BC-SNV", 118, "a", None, "BC-SNV", "BC", "SNV"),
        ("04/2012/TT-BKHCN", 4, "", 2012, "TT-BKHCN", "TT", "BKHCN"),
        ("507/UBND-KGVX", 507, "", None, "UBND-KGVX", None, "UBND"),
        ("617 / TTr – UBND", 617, "", None, "TTR-UBND", "TTr", "UBND"),
        ("05/2011/TTLT-BKHCN-BTC", 5, "", 2011, "TTLT-BKHCN-BTC", "TTLT", "BKHCN"),
        ("Số 123-KH/HU", 123, "", None, "KH-HU", "KH", "HU"),  # a Party committee's
        ("45 - CV/HU", 45, "", None, "CV-HU", None, "HU"),
        ("45/KH.PNV", 45, "", None, "KH.PNV", "KH", "PNV"),  # a dot between type and office, as page 1 reads it
        ("12/UBND.VP", 12, "", None, "UBND.VP", None, "UBND.VP"),
    ],
)
def test_numbers_are_parsed_as_printed(text, number, suffix, year, symbol, doc_type, issuer):
    n = parse_number(text)
    assert (n.number, n.suffix, n.year, n.symbol, n.doc_type, n.issuer) == (
        number,
        suffix,
        year,
        symbol,
        doc_type,
        issuer,
    )


@pytest.mark.parametrize("text", ["", None, "số mười hai", "KH-UBND", "12", "/KH-UBND"])
def test_what_is_not_a_number_and_symbol(text):
    assert parse_number(text) is None


def test_a_consistent_series_reports_nothing():
    days = [(2025, 1, 2), (2025, 1, 2), (2025, 1, 3), (2025, 1, 7), (2025, 1, 7), (2025, 1, 9)]
    types = ["KH", "QĐ", "BC", "TB", "KH", "QĐ"]
    entries = [entry(f"{i}/{t}-UBND", d) for i, (t, d) in enumerate(zip(types, days, strict=True), start=1)]
    assert analyse(entries) == []
    (series,) = group(entries)
    assert series.label == "UBND 2025" and [e.number.number for e in series.entries] == [1, 2, 3, 4, 5, 6]


def test_the_issue_example_numbered_after_but_dated_before():
    """447/KH-UBND dated 10 March while 431/QĐ-UBND of the same office is dated 20 March,
    in an office whose documents show one numbering for all types."""
    context = [
        entry("428/QĐ-UBND", (2025, 3, 18)),
        entry("429/BC-UBND", (2025, 3, 18)),
        entry("430/QĐ-UBND", (2025, 3, 19)),
        entry("431/QĐ-UBND", (2025, 3, 20)),
        entry("432/BC-UBND", (2025, 3, 21)),
    ]
    found = analyse([*context, entry("447/KH-UBND", (2025, 3, 10))])
    (late,) = [a for a in found if a.kind == "out_of_order"]
    assert late.entry.text == "447/KH-UBND" and late.others[0].text == "432/BC-UBND"
    assert late.days == 11 and not late.later


def test_across_types_without_proof_of_one_numbering_is_one_note():
    """Alone, the two documents do not show whether the office numbers plans and decisions
    in one series (real offices do not always): a note for the series, no error."""
    found = analyse([entry("431/QĐ-UBND", (2025, 3, 20)), entry("447/KH-UBND", (2025, 3, 10))])
    assert [a.kind for a in found] == ["unproven"]
    assert found[0].entry.text == "447/KH-UBND" and found[0].count == 1


def test_a_document_dated_after_higher_numbers_is_the_one_named():
    days = [(2025, 3, 1), (2025, 3, 2), (2025, 4, 30), (2025, 3, 4), (2025, 3, 5), (2025, 3, 6)]
    entries = [entry(f"{i}/QĐ-UBND", d) for i, d in enumerate(days, start=1)]
    (bad,) = [a for a in analyse(entries) if a.kind == "out_of_order"]
    assert bad.entry.number.number == 3 and bad.later and bad.others[0].number.number == 4


def test_tolerance_days():
    entries = [entry("1/QĐ-UBND", (2025, 3, 3)), entry("2/QĐ-UBND", (2025, 3, 1))]
    assert analyse(entries, tolerance_days=2) == []
    assert [a.kind for a in analyse(entries, tolerance_days=1)] == ["out_of_order"]


def test_duplicates_name_each_other_but_copies_are_not_duplicates():
    a = entry("13/QĐ-UBND", (2025, 3, 22), summary="Về việc kiện toàn Tổ công tác")
    b = entry("13/QĐ-UBND", (2025, 3, 23), summary="Về việc thành lập Đoàn kiểm tra")
    copy = entry("13/QĐ-UBND", (2025, 3, 22), summary="Về việc kiện toàn tổ công tác", path="copy.pdf")
    found = [x for x in analyse([a, b, copy]) if x.kind == "duplicate"]
    named = {(x.entry.path, tuple(o.path for o in x.others)) for x in found}
    assert (b.path, (a.path, "copy.pdf")) in named
    assert (a.path, (b.path,)) in named and ("copy.pdf", (b.path,)) in named
    same_bytes = entry("13/QĐ-UBND", (2025, 3, 23), sha256="x", path="a.pdf")
    assert analyse([same_bytes, entry("13/QĐ-UBND", (2025, 3, 25), sha256="x", path="b.pdf")]) == []


def test_numbers_restart_each_year_and_legal_documents_are_numbered_apart():
    entries = [
        entry("5/QĐ-UBND", (2024, 12, 30)),
        entry("1/QĐ-UBND", (2025, 1, 2)),
        entry("5/QĐ-UBND", (2025, 1, 9)),
        entry("01/2025/QĐ-UBND", (2025, 1, 20)),
        entry("3/QĐ-UBND", (2025, 1, 5)),
    ]
    assert [a.kind for a in analyse(entries)] == ["gap"]  # 2 and 4 missing in 2025
    labels = sorted(s.label for s in group(entries))
    assert labels == ["UBND 2024", "UBND 2025", "UBND QPPL 2025"]


def test_councils_and_boards_keep_their_own_series():
    entries = [
        entry("20/BC-UBND", (2025, 5, 2)),
        entry("3/BC-BCĐ", (2025, 5, 20), office="Ban chỉ đạo huyện Phú Bình"),
        entry("21/BC-UBND", (2025, 5, 3)),
    ]
    assert analyse(entries) == []


def test_an_office_that_numbers_types_apart_gets_no_error():
    """As Quảng Ngãi's UBND does (01/TTr of 6 January, 86/QĐ of 16 January, 23/BC of 23
    January, 507 (công văn) of 24 January 2025, from ../shared/realworld/vn's labels)."""
    entries = [
        entry("01/TTr-UBND", (2025, 1, 6)),
        entry("11/TB-UBND", (2025, 1, 8)),
        entry("86/QĐ-UBND", (2025, 1, 16)),
        entry("23/BC-UBND", (2025, 1, 23)),
        entry("507/UBND-KGVX", (2025, 1, 24)),
        entry("575/UBND-KTTH", (2025, 2, 4)),
    ]
    found = analyse(entries)
    assert [a.kind for a in found if a.kind != "gap"] == ["unproven"]
    gaps = {a.series.doc_type: a.missing for a in found if a.kind == "gap"}
    assert gaps == {"": ((508, 574),)}  # counted within each type's own range
    # …and a backdated document is still found within its own type
    (late,) = [a for a in analyse([*entries, entry("87/QĐ-UBND", (2025, 1, 9))]) if a.kind == "out_of_order"]
    assert late.entry.text == "87/QĐ-UBND" and late.others[0].text == "86/QĐ-UBND"


def test_one_numbering_is_shown_by_types_coming_back():
    from sigaudit.register.series import shares_numbers

    kinds = ["KH", "BC", "QĐ", "KH", "BC"]
    members = [entry(f"{i}/{k}-UBND", (2025, 1, i)) for i, k in enumerate(kinds, start=1)]
    assert shares_numbers(members, set(range(5)))
    assert not shares_numbers(members[:4], set(range(4)))  # once is chance
    apart = [entry(f"{n}/{k}-UBND", (2025, 1, i)) for i, (n, k) in enumerate([(1, "TTr"), (2, "TTr"), (80, "QĐ")], 1)]
    assert not shares_numbers(apart, {0, 1, 2})


def test_undated_documents_are_in_no_series():
    assert group([entry("1/QĐ-UBND", None)]) == []


def test_the_run_kept_is_the_longest_and_prefers_lower_numbers():
    assert _kept([20, 10]) == {0}
    assert _kept([1, 2, 9, 3, 4]) == {0, 1, 3, 4}
    assert _kept([]) == set()


def test_gaps_are_listed_as_ranges():
    entries = [entry(f"{n}/TB-UBND", (2025, 2, n)) for n in (1, 2, 5, 9, 10)]
    (gap,) = analyse(entries)
    assert gap.kind == "gap" and gap.missing == ((3, 4), (6, 8))


# ------------------------------------------------------------------------ reading registers


@pytest.mark.parametrize(
    "value, expected",
    [
        (dt.datetime(2025, 3, 5, 0, 0), dt.date(2025, 3, 5)),
        (45721, dt.date(2025, 3, 5)),
        (45721.0, dt.date(2025, 3, 5)),
        ("45721", dt.date(2025, 3, 5)),
        ("05/3/2025", dt.date(2025, 3, 5)),
        ("5-3-2025", dt.date(2025, 3, 5)),
        ("05.03.25", dt.date(2025, 3, 5)),
        ("2025-03-05", dt.date(2025, 3, 5)),
        ("ngày 05 tháng 3 năm 2025", dt.date(2025, 3, 5)),
        ("Phú Bình, ngày 5 tháng 03 năm 2025", dt.date(2025, 3, 5)),
        ("30/02/2025", None),
        ("đầu tháng ba", None),
    ],
)
def test_register_dates(value, expected):
    assert parse_date(value) == expected


def test_an_e_office_export_with_merged_headers_serials_text_dates_blanks_and_totals():
    reg = read_register(REGISTERS / "anomalies" / "so-dang-ky.xlsx")
    assert reg.problems == ()
    assert dict(reg.columns)["number"] == "Số, ký hiệu" and dict(reg.columns)["date"] == "Ngày tháng"
    rows = {r.text: r for r in reg.rows}
    assert list(rows) == [
        "10/KH-UBND",
        "11/BC-UBND",
        "12/QĐ-UBND",
        "13/QĐ-UBND",
        "14/KH-UBND",
        "15/KH-UBND",
        "19/TB-UBND",
        "01/2021/QĐ-UBND",
    ]
    assert rows["11/BC-UBND"].date == dt.date(2021, 3, 8)  # an Excel serial
    assert rows["12/QĐ-UBND"].date == dt.date(2021, 3, 20)  # "ngày 20 tháng 3 năm 2021"
    assert rows["11/BC-UBND"].row == 7 and rows["11/BC-UBND"].signer == "Trần Thị Bình"


def test_a_windows_csv_with_rows_that_cannot_be_read_names_the_rows():
    reg = read_register(REGISTERS / "anomalies" / "so-dang-ky-loi.csv")
    assert [(p.kind, p.row) for p in reg.problems] == [("date", 3), ("number", 4)]
    assert [r.text for r in reg.rows] == ["10/KH-UBND", "11/BC-UBND"]
    assert reg.rows[0].summary == "Kế hoạch cải cách hành chính năm 2021"  # cp1258 with combining tones, as NFC


def _xlsx(tmp_path, rows) -> str:
    from openpyxl import Workbook

    book = Workbook()
    for r in rows:
        book.active.append(r)
    path = tmp_path / "so.xlsx"
    book.save(path)
    return str(path)


def test_unknown_headers_are_refused_or_mapped(tmp_path):
    path = _xlsx(tmp_path, [["Mã VB", "Ngày VB", "Nội dung"], ["3/KH-UBND", "05/03/2025", "Kế hoạch"]])
    refused = read_register(path)
    assert [p.kind for p in refused.problems] == ["headers"] and not refused.readable
    mapped = read_register(path, {"number": "Mã VB", "date": "ngày vb"})
    assert mapped.problems == () and mapped.rows[0].date == dt.date(2025, 3, 5)


@pytest.mark.parametrize(
    "content, name, kind",
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "so.xls", "format"),
        (b"PK\x03\x04 not really a zip", "so.xlsx", "file"),
        (b"%PDF-1.7\n", "so.csv", "headers"),
        (bytes(range(256)) * 4, "so.csv", "file"),
    ],
)
def test_a_malformed_register_is_one_problem_never_an_exception(tmp_path, content, name, kind):
    path = tmp_path / name
    path.write_bytes(content)
    assert [p.kind for p in read_register(path).problems] == [kind]


def test_a_missing_register_file(tmp_path):
    assert [p.kind for p in read_register(tmp_path / "none.xlsx").problems] == ["file"]


def test_rows_without_a_number(tmp_path):
    path = _xlsx(tmp_path, [["Số, ký hiệu văn bản", "Ngày tháng văn bản"], [None, "05/03/2025"], ["2/QĐ-UBND", None]])
    reg = read_register(path)
    assert [(p.kind, p.row) for p in reg.problems] == [("no_number", 2)]
    assert [r.text for r in reg.rows] == ["2/QĐ-UBND"] and reg.rows[0].date is None


def test_a_ledger_without_register_is_the_analysis_of_the_pdfs():
    ledger = Ledger()
    ledger.entries = [entry("1/QĐ-UBND", (2025, 1, 2)), entry("2/QĐ-UBND", (2025, 1, 1))]
    done = ledger.finish()
    assert done.register is None and done.share == () and [a.kind for a in done.anomalies] == []


def test_csv_in_utf8_with_commas(tmp_path):
    text = '"Số, ký hiệu văn bản",Ngày tháng văn bản,Người ký\n1/KH-UBND,02/01/2025,Nguyễn Văn An\n'
    path = tmp_path / "so.csv"
    path.write_bytes(io.BytesIO(("\ufeff" + text).encode("utf-8")).getvalue())
    reg = read_register(path)
    assert reg.problems == () and reg.rows[0].signer == "Nguyễn Văn An"


def test_copies_of_one_document_are_one_document_without_comparing_each_with_each(monkeypatch):
    """A folder of 3,000 files of one plan (copies, republications): no duplicate, and no
    comparison of each file with each (it was 9 million)."""
    calls = []
    same = Entry.same_document
    monkeypatch.setattr(Entry, "same_document", lambda self, other: calls.append(1) or same(self, other))
    copies = [
        entry("12/KH-UBND", (2024, 3, 5), path=f"copy-{i}.pdf", summary="Cải cách hành chính") for i in range(3000)
    ]
    assert [a for a in analyse(copies) if a.kind == "duplicate"] == []
    assert len(calls) == 0
    # one file among them of another date: a duplicate naming the others, both ways
    odd = entry("12/KH-UBND", (2024, 4, 1), path="other.pdf", summary="Cải cách hành chính")
    found = [a for a in analyse([*copies[:3], odd]) if a.kind == "duplicate"]
    assert sorted(a.entry.path for a in found) == ["copy-0.pdf", "copy-1.pdf", "copy-2.pdf", "other.pdf"]
    assert next(a for a in found if a.entry is odd).others == tuple(copies[:3])
