"""The signer-certificate shortcut (``cms._prime_signer_cert``) picks what pyHanko picks.

Every signature of the fixture corpus, the e-office fixtures and, where present, the real
Vietnamese and DSS folders: the shortcut either leaves the choice to pyHanko or gives the
same signer certificate, the same other certificates and the same attribute certificates
as pyHanko's ``extract_certs_for_validation``.
"""

from __future__ import annotations

from conftest import CORPUS, DSS, ROOT, signed_pdfs
from pyhanko.sign.validation.generic_cms import extract_certs_for_validation

from sigaudit.evidence.signatures.cms import _prime_signer_cert

REAL_VN = ROOT.parent / "shared" / "realworld" / "vn"
FOLDERS = [CORPUS, ROOT / "fixtures" / "eoffice", REAL_VN, DSS]


def _signatures():
    for path, _reader, signatures in signed_pdfs(FOLDERS):
        for embedded in signatures:
            yield path, embedded


def test_shortcut_gives_pyhankos_signer_certificate():
    primed = left = 0
    for path, embedded in _signatures():
        try:
            theirs = extract_certs_for_validation(embedded.signed_data)
        except Exception:
            theirs = None
        _prime_signer_cert(embedded)
        ours = embedded._sd_cert_info
        if ours is None:
            left += 1
            continue
        primed += 1
        assert theirs is not None, f"{path.name} {embedded.field_name}: pyHanko finds no signer, we do"
        assert ours.signer_cert.dump() == theirs.signer_cert.dump(), path.name
        assert [c.dump() for c in ours.other_certs] == [c.dump() for c in theirs.other_certs], path.name
        assert [c.dump() for c in ours.attribute_certs] == [c.dump() for c in theirs.attribute_certs], path.name
    assert primed >= 20, (primed, left)


def test_shortcut_leaves_an_ambiguous_serial_to_pyhanko():
    """Two embedded certificates with the signer's serial number: no shortcut."""
    _path, embedded = next(_signatures())
    signer = extract_certs_for_validation(embedded.signed_data).signer_cert
    choices = embedded.signed_data["certificates"]
    choices.append(next(c for c in choices if c.chosen.dump() == signer.dump()).copy())
    assert sum(c.chosen.serial_number == signer.serial_number for c in embedded.signed_data["certificates"]) >= 2
    _prime_signer_cert(embedded)
    assert embedded._sd_cert_info is None


def test_a_certificate_met_again_is_the_one_parsed_before(monkeypatch):
    """``shared_certificate``: signatures made with one certificate get one parsed object
    (whose bytes are theirs); other bytes never get it; at most ``_CERTS_MAX`` are kept."""
    from sigaudit.evidence.signatures import cms

    monkeypatch.setattr(cms._LOCAL, "certs", cms.OrderedDict(), raising=False)
    by_bytes: dict[bytes, object] = {}
    again = 0
    for _path, embedded in _signatures():
        _prime_signer_cert(embedded)
        if embedded._sd_cert_info is None:
            continue
        for cert in (embedded._sd_cert_info.signer_cert, *embedded._sd_cert_info.other_certs):
            if cert.dump() in by_bytes:
                assert by_bytes[cert.dump()] is cert  # the same bytes, the same object
                again += 1
            else:
                assert all(cert is not other for other in by_bytes.values())  # other bytes, another
                by_bytes[cert.dump()] = cert
    distinct = len(by_bytes)
    assert distinct >= 5 and again > distinct, (distinct, again)
    monkeypatch.setattr(cms, "_CERTS_MAX", 3)
    monkeypatch.setattr(cms._LOCAL, "certs", cms.OrderedDict(), raising=False)
    for cert in list(by_bytes.values())[:6]:
        assert cms.shared_certificate(cert.copy()).dump() == cert.dump()
    assert len(cms._certs()) == 3


def test_verdicts_do_not_depend_on_certificates_met_before(monkeypatch):
    """The same documents read with every certificate new and with all of them met before
    give the same evidence."""
    from sigaudit import Settings
    from sigaudit.evidence.document import inspect_bytes
    from sigaudit.evidence.signatures import cms

    files = sorted((ROOT / "fixtures" / "eoffice").glob("*.pdf"))[:6]
    settings = Settings(trust=(str(ROOT / "fixtures" / "pki" / "test-root.pem"),), ocr="off")

    def read() -> list:
        return [inspect_bytes(f.read_bytes(), path=f.name, settings=settings).signatures for f in files]

    monkeypatch.setattr(cms._LOCAL, "certs", cms.OrderedDict(), raising=False)
    warm_once = read()
    assert len(cms._certs()) > 0
    monkeypatch.setattr(cms, "_CERTS_MAX", 0)  # nothing kept: every certificate parsed anew
    monkeypatch.setattr(cms._LOCAL, "certs", cms.OrderedDict(), raising=False)
    assert read() == warm_once


def test_each_thread_keeps_its_own_certificates(monkeypatch):
    """A certificate object parsed in one thread is never handed to another (asn1crypto
    fills a certificate's structure as it is read)."""
    import threading

    from sigaudit.evidence.signatures import cms

    monkeypatch.setattr(cms._LOCAL, "certs", cms.OrderedDict(), raising=False)
    _path, embedded = next(_signatures())
    cert = next(c.chosen.untag() for c in embedded.signed_data["certificates"] if c.name == "certificate")
    assert cms.shared_certificate(cert) is cert and cms.shared_certificate(cert.copy()) is cert
    got = []
    other = threading.Thread(target=lambda: got.append(cms.shared_certificate(cert.copy())))
    other.start()
    other.join()
    assert got and got[0] is not cert and got[0].dump() == cert.dump()
    assert cms.shared_certificate(cert.copy()) is cert
