"""Signer kind from certificate subjects (see docs/findings.md, 'Signer kind')."""

from __future__ import annotations

import pytest

from sigaudit.evidence.signer import classify
from sigaudit.model import SignerKind as K


@pytest.mark.parametrize(
    "subject, kind",
    [
        ({"common_name": ["Nguyễn Văn A"], "user_id": ["CMND:012345678"]}, K.PERSON),
        ({"common_name": ["Trần B"], "user_id": ["CCCD:001"]}, K.PERSON),
        ({"common_name": ["Sở Nội vụ"], "user_id": ["MST:0101"]}, K.ORGANIZATION),
        ({"common_name": ["Phòng Tài chính"], "user_id": ["MNS:1234567"]}, K.ORGANIZATION),
        ({"common_name": ["UBND xã A"], "organization_name": ["UBND xã A"]}, K.ORGANIZATION),
        ({"common_name": ["UY BAN NHAN DAN HUYEN B"]}, K.ORGANIZATION),
        ({"common_name": ["Lê Thị Hoa"]}, K.PERSON),
        ({"common_name": ["John Smith"], "given_name": ["John"], "surname": ["Smith"]}, K.PERSON),
        ({"common_name": ["ACME"], "organization_identifier": ["VATBE-0123456789"]}, K.ORGANIZATION),
        ({"common_name": ["Token 01"]}, K.UNKNOWN),
        ({"common_name": ["Pierre Dupont"]}, K.UNKNOWN),
    ],
)
def test_classify(subject, kind):
    assert classify(subject) is kind


def test_signer_kind_can_be_overridden_by_settings():
    from conftest import CORPUS, TEST_ROOT

    import sigaudit

    path = CORPUS / "ubnd-xa-tan-khanh/GM-08-unknown-signer-kind.pdf"
    plain = sigaudit.inspect(path, settings=sigaudit.Settings(trust=(str(TEST_ROOT),)))
    assert {f.code for f in plain.findings} == {"SIGNER_KIND_UNKNOWN"}
    overridden = sigaudit.inspect(
        path, settings=sigaudit.Settings(trust=(str(TEST_ROOT),), signer_kinds=(("usb token 0042", "person"),))
    )
    assert overridden.evidence.signatures[0].kind is sigaudit.SignerKind.PERSON
    assert {f.code for f in overridden.findings} == {"MISSING_ORG_SIGNATURE"}
    # by UID, the other way round
    pb = CORPUS / "ubnd-phu-binh/KH-45-cai-cach-hanh-chinh.pdf"
    swapped = sigaudit.inspect(
        pb, settings=sigaudit.Settings(trust=(str(TEST_ROOT),), signer_kinds=(("CCCD:019085001234", "organization"),))
    )
    # the "organisation" certificate now names a person, not the office in the header
    assert {f.code for f in swapped.findings} == {"MISSING_PERSONAL_SIGNATURE", "OFFICE_MISMATCH"}
