"""RFC 3161 tokens that carry no certificate (allowed by RFC 3161): the signature stays
valid; the token is verified with its TSA certificate found elsewhere, else set aside and
said so (pdfsig calls such signatures valid; pyHanko alone gives up on them)."""

from __future__ import annotations

import re

from asn1crypto import cms
from conftest import ROOT, TEST_ROOT

import sigaudit

TOKENED = ROOT / "fixtures" / "eoffice" / "clock-skew-with-token.pdf"


def _last_contents(data: bytes) -> re.Match[bytes]:
    return list(re.finditer(rb"/Contents\s*<([0-9A-Fa-f]+)>", data))[-1]


def _token_of(data: bytes, m: re.Match[bytes]) -> cms.SignedData:
    raw = bytes.fromhex(m.group(1).decode())
    info = cms.ContentInfo.load(raw[: len(cms.ContentInfo.load(raw).dump())])
    attrs = info["content"]["signer_infos"][0]["unsigned_attrs"]
    return info, next(a for a in attrs if a["type"].native == "signature_time_stamp_token")["values"][0]["content"]


def _refresh_oid_names() -> None:
    """Names pyHanko registers in asn1crypto's OID maps after asn1crypto built their reverse
    maps: rebuilt, so that a structure can be encoded again."""
    import importlib
    import pkgutil

    import asn1crypto
    from asn1crypto import core

    for info in pkgutil.iter_modules(asn1crypto.__path__):
        module = importlib.import_module(f"asn1crypto.{info.name}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, core.ObjectIdentifier) and value._map:
                value._reverse_map = {v: k for k, v in value._map.items()}


def without_tsa_certificates(data: bytes) -> tuple[bytes, list]:
    """The last signature's token with its certificates removed (only /Contents changes:
    the signed bytes stay the same); returns the file and the removed certificates."""
    m = _last_contents(data)
    info, token = _token_of(data, m)
    removed = [c.chosen for c in token["certificates"]]
    token["certificates"] = cms.CertificateSet([])
    _refresh_oid_names()
    new = info.dump(force=True).hex().encode()
    new += b"0" * (len(m.group(1)) - len(new))
    return data[: m.start(1)] + new + data[m.end(1) :], removed


def test_a_token_without_its_certificate_is_set_aside_not_the_signature():
    data, _ = without_tsa_certificates(TOKENED.read_bytes())
    result = sigaudit.inspect(data, settings=sigaudit.Settings(trust=(str(TEST_ROOT),)))
    last = result.evidence.signatures[-1]
    assert last.status is sigaudit.ValidationStatus.VALIDATED and last.intact and last.valid
    assert last.timestamp_unverifiable and last.timestamp_valid is None
    assert last.time_source is sigaudit.TimeSource.SIGNED_ATTRIBUTE
    codes = {f.code for f in result.findings}
    assert "TIMESTAMP_UNVERIFIABLE" in codes and "SIGNATURE_MALFORMED" not in codes


def test_a_token_whose_certificate_is_known_elsewhere_is_verified(tmp_path):
    data, removed = without_tsa_certificates(TOKENED.read_bytes())
    bundle = tmp_path / "trust.pem"
    from asn1crypto import pem

    bundle.write_bytes(TEST_ROOT.read_bytes() + b"".join(pem.armor("CERTIFICATE", c.dump()) for c in removed))
    result = sigaudit.inspect(data, settings=sigaudit.Settings(trust=(str(bundle),)))
    last = result.evidence.signatures[-1]
    assert last.valid and last.timestamp_valid is True and not last.timestamp_unverifiable
    assert last.time_source is sigaudit.TimeSource.TIMESTAMP_TOKEN


def test_a_signature_value_that_references_no_object_is_an_unsigned_field():
    """ISO 32000-1 §7.3.10: a reference to an object that does not exist is null; a field
    whose /V is one is not signed (not SIGNATURE_MALFORMED)."""
    import io

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    import sigaudit

    data = (ROOT / "fixtures" / "eoffice" / "stamped-number-itext.pdf").read_bytes()
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    n = generic.NameObject
    field = generic.DictionaryObject(
        {
            n("/FT"): n("/Sig"),
            n("/T"): generic.TextStringObject("Dangling"),
            n("/V"): generic.IndirectObject(99999, 0, writer),
        }
    )
    form = writer.root["/AcroForm"]
    form["/Fields"].append(writer.add_object(field))
    raw = form.raw_get("/Fields")
    writer.update_container(raw if isinstance(raw, generic.IndirectObject) else form)
    out = io.BytesIO()
    writer.write(out)
    result = sigaudit.inspect(out.getvalue(), settings=sigaudit.Settings(trust=(str(TEST_ROOT),), ocr="off"))
    assert "SIGNATURE_MALFORMED" not in {f.code for f in result.findings}
    assert [s.field for s in result.evidence.signatures] == ["NguoiKy", "CapSo", "NgayBanHanh"]
    assert all(s.valid for s in result.evidence.signatures)
