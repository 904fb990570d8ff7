"""Values OCR read without confidence are marked where people read them (docs/ocr.md)."""

from __future__ import annotations

import datetime as dt

from sigaudit import HeaderEvidence
from sigaudit.report.i18n import issued_text, number_text


def _header(**confidence: float) -> HeaderEvidence:
    return HeaderEvidence(
        has_text=True,
        number="05/BB-SNV",
        issuance_date=dt.date(2026, 5, 8),
        issuance_month="2026-05",
        source="ocr",
        confidence=tuple(sorted(confidence.items())),
    )


def test_a_handwritten_day_read_unsure_is_marked_in_both_languages():
    h = _header(number=0.95, issuance_date=0.85)
    assert issued_text(h, "vi") == "08/05/2026 (chưa chắc chắn)"
    assert issued_text(h, "en").endswith(" (unsure)")
    assert number_text(h, "vi") == "05/BB-SNV"  # read with confidence: as printed


def test_values_from_a_text_layer_are_never_marked():
    h = _header(number=0.5, issuance_date=0.5)
    text = HeaderEvidence(has_text=True, number=h.number, issuance_date=h.issuance_date, source="text")
    assert number_text(text, "vi") == "05/BB-SNV" and issued_text(text, "vi") == "08/05/2026"
    assert number_text(h, "en") == "05/BB-SNV (unsure)"
