"""Months of regular use: the year assessed, else each office's own range; unsure OCR
dates never widen a period."""

from __future__ import annotations

import dataclasses
import datetime as dt

from conftest import CORPUS, TEST_ROOT

import sigaudit
from sigaudit.regularity import Months


def _doc(day: dt.date, *, signed: bool = True, ocr_confidence: float | None = None) -> sigaudit.DocumentResult:
    base = sigaudit.inspect(CORPUS / "ubnd-phu-binh" / "KH-45-cai-cach-hanh-chinh.pdf", settings=SETTINGS)
    header = dataclasses.replace(base.evidence.header, issuance_date=day)
    if ocr_confidence is not None:
        header = dataclasses.replace(header, source="ocr", confidence=(("issuance_date", ocr_confidence),))
    evidence = dataclasses.replace(base.evidence, header=header)
    return dataclasses.replace(base, evidence=evidence, signed=signed, signing_date=dt.date(2025, 3, 5))


SETTINGS = sigaudit.Settings(trust=(str(TEST_ROOT),))


def test_each_office_has_its_own_range_of_months():
    months = Months()
    months.add(_doc(dt.date(2025, 1, 10)), "a")
    months.add(_doc(dt.date(2025, 3, 10)), "a")
    months.add(_doc(dt.date(2015, 6, 1)), "b")  # another office's old document
    assert months.period("a") == ["2025-01", "2025-02", "2025-03"]
    assert months.without("a") == ["2025-02"]
    assert months.period("b") == ["2015-06"]


def test_the_year_assessed_is_the_period():
    months = Months(2025)
    months.add(_doc(dt.date(2025, 1, 10)), "a")
    months.add(_doc(dt.date(2015, 6, 1)), "a")  # outside the year: not counted
    assert len(months.period("a")) == 12 and "2015-06" not in months.period("a")
    assert months.without("a")[:2] == ["2025-02", "2025-03"]


def test_an_unsure_ocr_date_never_widens_the_period():
    months = Months()
    months.add(_doc(dt.date(2025, 1, 10)), "a")
    months.add(_doc(dt.date(2015, 6, 19), ocr_confidence=0.7), "a")  # misread: the signing date counts
    assert months.period("a") == ["2025-01", "2025-02", "2025-03"]


def test_months_without_signed_documents_are_listed_as_ranges():
    from sigaudit.report.i18n import months_text

    months = ["2021-01", "2021-02", "2021-03", "2021-05", "2021-12", "2022-01"]
    assert months_text(months, "vi") == "01/2021–03/2021, 05/2021, 12/2021–01/2022"
    assert months_text(months, "en") == "2021-01–2021-03, 2021-05, 2021-12–2022-01"
    assert months_text([], "vi") == ""
    # five years without a signed document is one short cell, not sixty months
    five_years = [f"{y}-{m:02d}" for y in range(2010, 2015) for m in range(1, 13)]
    assert months_text(five_years, "vi") == "01/2010–12/2014"
