"""CMS blobs pyHanko raises on while enumerating (cf. pyHanko #732): each becomes a listed,
malformed signature with a reason, and the other signature of the file is still validated."""

from __future__ import annotations

import re

import pytest
from asn1crypto import cms
from conftest import CORPUS

import sigaudit
from sigaudit.checks.judgements import sound

CLEAN = CORPUS / "ubnd-phu-binh/KH-45-cai-cach-hanh-chinh.pdf"


def _replace_last_cms(data: bytes, edit) -> bytes:
    """Re-encode the last signature's CMS after ``edit``; same length, offsets unchanged."""
    m = list(re.finditer(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", data))[-1]
    _, len1, start2, _ = (int(g) for g in m.groups())
    hex_digits = data[len1 + 1 : start2 - 1]
    info = cms.ContentInfo.load(bytes.fromhex(hex_digits.decode()), strict=False)  # padding ignored
    edit(info["content"])
    new = info.dump(force=True).hex().upper().encode()
    assert len(new) <= len(hex_digits)
    return data[: len1 + 1] + new + b"0" * (len(hex_digits) - len(new)) + data[start2 - 1 :]


def _no_certificates(signed_data) -> None:
    signed_data["certificates"] = []


def _two_signer_infos(signed_data) -> None:
    first = signed_data["signer_infos"][0]
    signed_data["signer_infos"] = [first, first]


@pytest.mark.parametrize("edit", [_no_certificates, _two_signer_infos], ids=["no-certificates", "two-signer-infos"])
def test_broken_cms_is_malformed_and_listed(settings, edit):
    data = _replace_last_cms(CLEAN.read_bytes(), edit)
    doc = sigaudit.inspect(data, settings=settings)
    sigs = {s.field: s for s in doc.evidence.signatures}
    assert set(sigs) == {"NguoiKy", "CoQuan"}
    assert sigs["CoQuan"].status is sigaudit.ValidationStatus.MALFORMED and sigs["CoQuan"].problem
    assert sound(sigs["NguoiKy"])
    codes = {f.code for f in doc.findings}
    assert "SIGNATURE_MALFORMED" in codes and "UNSIGNED" not in codes and "INTERNAL_ERROR" not in codes
