"""The three claimed times of a signature (/M, the CMS signingTime, the RFC 3161 token) are
compared with each other before any of them meets the printed date."""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from conftest import ROOT, TEST_ROOT

import sigaudit
from sigaudit.checks.times import check_timestamps

TOKENED = ROOT / "fixtures" / "eoffice" / "clock-skew-with-token.pdf"
SETTINGS = sigaudit.Settings(trust=(str(TEST_ROOT),))
VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(scope="module")
def evidence():
    return sigaudit.inspect(TOKENED, settings=SETTINGS).evidence


def _with(evidence, printed_offset: dt.timedelta, **changes):
    sig = evidence.signatures[0]
    assert sig.timestamp_time is not None and sig.timestamp_valid
    sig = dataclasses.replace(sig, pdf_time_naive=False, signed_attr_time=sig.timestamp_time, clock_skew_s=None)
    sig = dataclasses.replace(sig, **changes)
    printed = (sig.timestamp_time + printed_offset).astimezone(VN).date()
    header = dataclasses.replace(evidence.header, issuance_date=printed)
    return dataclasses.replace(evidence, header=header, signatures=(sig, *evidence.signatures[1:])), sig


def _mismatches(ev, sig):
    return [f for f in check_timestamps(ev, SETTINGS) if f.code == "TIMESTAMP_MISMATCH" and f.signature == sig.field]


def test_a_pdf_time_that_backs_the_printed_date_against_the_token_is_a_mismatch(evidence):
    token = evidence.signatures[0].timestamp_time
    back = dt.timedelta(days=-3)
    ev, sig = _with(evidence, back, pdf_time=token + back)
    found = _mismatches(ev, sig)
    assert len(found) == 1 and "/M" in found[0].message and "/M" in found[0].message_vi


@pytest.mark.parametrize(
    "pdf_offset, printed_offset",
    [
        (dt.timedelta(minutes=-22), dt.timedelta(0)),  # a signing computer's clock drift (real e-office files)
        (dt.timedelta(hours=7), dt.timedelta(0)),  # local time written as UTC
        (dt.timedelta(days=-2), dt.timedelta(0)),  # the token added later; the printed date is the token's
        (dt.timedelta(days=-2), dt.timedelta(days=-9)),  # the printed date is neither's: the date check says so
    ],
)
def test_a_pdf_time_that_does_not_back_the_printed_date_is_not(evidence, pdf_offset, printed_offset):
    token = evidence.signatures[0].timestamp_time
    ev, sig = _with(evidence, printed_offset, pdf_time=token + pdf_offset)
    assert _mismatches(ev, sig) == []


def test_one_mismatch_per_signature_when_both_claims_disagree(evidence):
    token = evidence.signatures[0].timestamp_time
    back = dt.timedelta(days=-3)
    ev, sig = _with(evidence, back, pdf_time=token + back, signed_attr_time=token + back)
    assert len(_mismatches(ev, sig)) == 1
