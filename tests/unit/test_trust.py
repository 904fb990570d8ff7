"""Trust sources: files, folders and the shipped Vietnamese bundle."""

from __future__ import annotations

import pytest
from conftest import PKI, TEST_ROOT

from sigaudit.errors import TrustConfigError
from sigaudit.trust import load_trust


def test_vn_bundle_splits_roots_and_intermediates():
    store = load_trust(("vn",))
    roots = {c.subject.native["common_name"] for c in store.roots}
    inter = {c.subject.native["common_name"] for c in store.intermediates}
    assert "RootCA chuyên dùng Chính phủ G2" in roots and "Vietnam National Root CA" in roots
    assert "CA phục vụ các cơ quan Nhà nước G2" in inter and "VNPT-CA SHA2" in inter
    assert len(store.roots) + len(store.intermediates) == 10


def test_folder_source_uses_ca_as_intermediate_only():
    store = load_trust((str(PKI),))
    names = {c.subject.native["common_name"] for c in store.roots}
    assert names == {"sigaudit Test Root CA", "Rogue Root CA"}
    assert "sigaudit Test CA phục vụ các cơ quan Nhà nước" in {
        c.subject.native["common_name"] for c in store.intermediates
    }


def test_single_file_source():
    assert len(load_trust((str(TEST_ROOT),)).roots) == 1


def test_bad_sources_raise_clear_errors(tmp_path):
    bad = tmp_path / "bad.pem"
    bad.write_text("not a certificate")
    with pytest.raises(TrustConfigError, match="not a PEM or DER"):
        load_trust((str(bad),))
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(TrustConfigError, match="holds no"):
        load_trust((str(empty),))
    with pytest.raises(TrustConfigError, match="neither"):
        load_trust((str(tmp_path / "missing"),))


def test_untrusted_expired_revoked_and_invalid_are_distinct_outcomes(by_path):
    cases = {
        "ubnd-phu-binh/KH-47-untrusted-org-cert.pdf": ("CoQuan", "CERT_UNTRUSTED"),
        "ubnd-phu-binh/KH-46-expired-person-cert.pdf": ("NguoiKy", "CERT_NOT_VALID_AT_SIGNING_TIME"),
        "ubnd-phu-binh/KH-48-revoked-person-cert.pdf": ("NguoiKy", "CERT_REVOKED"),
        "ubnd-xa-tan-khanh/QD-07-tampered.pdf": ("NguoiKy", "SIGNATURE_INVALID"),
    }
    outcome_codes = {"CERT_UNTRUSTED", "CERT_NOT_VALID_AT_SIGNING_TIME", "CERT_REVOKED", "SIGNATURE_INVALID"}
    for path, (field, code) in cases.items():
        found = {(f.signature, f.code) for f in by_path[path].findings if f.code in outcome_codes}
        assert (field, code) in found, (path, found)
        assert {c for _, c in found} == {code}, (path, found)
    revoked = next(
        s for s in by_path["ubnd-phu-binh/KH-48-revoked-person-cert.pdf"].evidence.signatures if s.field == "NguoiKy"
    )
    assert revoked.trusted is False and revoked.trust_problem.revoked
