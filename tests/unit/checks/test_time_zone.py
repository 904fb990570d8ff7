"""Dates are compared in the configured zone, never as UTC dates."""

from __future__ import annotations

from conftest import CORPUS, TEST_ROOT

import sigaudit

EARLY = CORPUS / "ubnd-phu-binh/QD-12-2021-early-morning.pdf"  # 06:30 +07:00 on the 19th
EVENING = CORPUS / "ubnd-phu-binh/BC-07-signed-next-day-utc-evening.pdf"  # 20:00 UTC on the 19th


def codes(path, tz):
    result = sigaudit.inspect(path, settings=sigaudit.Settings(trust=(str(TEST_ROOT),), tz=tz))
    return {f.code for f in result.findings}, result


def test_early_morning_signature_matches_in_vietnam_time():
    found, result = codes(EARLY, "Asia/Ho_Chi_Minh")
    assert "SIGNING_DATE_MISMATCH" not in found
    org = result.evidence.signatures[1]
    assert org.signing_time.utctimetuple()[:3] == (2021, 8, 18)  # the UTC date differs
    assert result.signing_date.isoformat() == "2021-08-19"


def test_the_same_file_mismatches_when_compared_in_utc():
    found, result = codes(EARLY, "UTC")
    assert "SIGNING_DATE_MISMATCH" in found
    assert result.signing_date.isoformat() == "2021-08-18"


def test_evening_utc_signature_is_the_next_day_in_vietnam():
    found, result = codes(EVENING, "Asia/Ho_Chi_Minh")
    assert "SIGNING_DATE_MISMATCH" in found and result.signing_date.isoformat() == "2021-08-20"
    found_utc, _ = codes(EVENING, "UTC")
    assert "SIGNING_DATE_MISMATCH" not in found_utc


def test_json_times_carry_the_configured_offset(report_json):
    doc = next(d for d in report_json["documents"] if d["path"].endswith("QD-12-2021-early-morning.pdf"))
    assert doc["signatures"][1]["signing_time"] == "2021-08-19T06:30:00+07:00"
