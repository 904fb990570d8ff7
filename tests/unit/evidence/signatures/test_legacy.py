"""Legacy SubFilters pyHanko does not validate, checked with cryptography."""

from __future__ import annotations

import re

from conftest import CORPUS

import sigaudit
from sigaudit.checks.judgements import sound


def _person(doc):
    return next(s for s in doc.evidence.signatures if s.field == "NguoiKy")


def test_adbe_pkcs7_sha1_is_validated(by_path):
    sig = _person(by_path["legacy/KH-60-adbe-pkcs7-sha1.pdf"])
    assert sig.sub_filter == "adbe.pkcs7.sha1" and sig.status is sigaudit.ValidationStatus.VALIDATED
    assert sound(sig) and sig.trusted and sig.kind is sigaudit.SignerKind.PERSON
    assert sig.signer == "Lê Minh Cường"
    assert sig.weak_algorithms == ("signature digest sha1",)
    # the organisation signed after it: a signature added later is not a modification
    assert sig.modification is sigaudit.Modification.FORM_FILLING


def test_adbe_x509_rsa_sha1_is_validated(by_path):
    doc = by_path["legacy/KH-61-adbe-x509-rsa-sha1.pdf"]
    sig = _person(doc)
    assert sig.sub_filter == "adbe.x509.rsa_sha1" and sound(sig) and sig.trusted
    assert doc.signed_person_and_org


def test_x509_rsa_sha1_over_altered_bytes_is_invalid(by_path):
    sig = _person(by_path["legacy/KH-62-adbe-x509-rsa-sha1-tampered.pdf"])
    assert sig.intact is False and sig.valid is False


def test_pkcs7_sha1_digest_is_compared_with_the_signed_bytes(settings):
    # A correct CMS over a digest that no longer matches the file: not intact.
    data = (CORPUS / "legacy/KH-60-adbe-pkcs7-sha1.pdf").read_bytes()
    first = [int(v) for v in re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)", data).groups()]
    pos = data.index(b" Td", data.index(b"BT")) - 1
    assert pos < first[1]  # inside the first signed range
    altered = data[:pos] + bytes([data[pos] ^ 1]) + data[pos + 1 :]
    ev = sigaudit.inspect(altered, settings=settings).evidence
    person = next(s for s in ev.signatures if s.field == "NguoiKy")
    assert person.intact is False and not sound(person)
    original = next(s for s in sigaudit.inspect(data, settings=settings).evidence.signatures if s.field == "NguoiKy")
    assert original.intact is True


def test_legacy_signatures_without_trust_roots_are_not_judged_on_trust():
    ev = sigaudit.inspect(CORPUS / "legacy/KH-61-adbe-x509-rsa-sha1.pdf", settings=sigaudit.Settings(trust=())).evidence
    person = next(s for s in ev.signatures if s.field == "NguoiKy")
    assert sound(person) and person.trusted is None
