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
