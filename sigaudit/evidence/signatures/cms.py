"""Facts from CMS blobs: signed attributes and tokens, revocation data, the signer's
certificate, algorithms nobody here verifies."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from asn1crypto import cms
from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import x509 as asn1_x509

from sigaudit.evidence.signatures.common import _KEY_USAGE, _short
from sigaudit.evidence.signer import identify
from sigaudit.model import Problem, TrustProblem

log = logging.getLogger(__name__)


def _cms_attr(attrs: Any, name: str) -> Any | None:
    """First value of a CMS attribute, or None."""
    if attrs is None or not hasattr(attrs, "__iter__"):
        return None
    try:
        for attr in attrs:
            if attr["type"].native == name:
                return attr["values"][0]
    except Exception:  # a broken attribute set says nothing usable
        return None
    return None


def _signed_attr_time(signer_info: Any) -> dt.datetime | None:
    value = _cms_attr(signer_info["signed_attrs"], "signing_time")
    try:
        return value.native if value is not None else None
    except Exception:
        return None


def _signing_time_problem(signer_info: Any) -> Problem | None:
    """Why the signed signingTime attribute cannot be read (an impossible date…), or None."""
    value = _cms_attr(signer_info["signed_attrs"], "signing_time")
    if value is None:
        return None
    try:
        _ = value.native  # parse: an impossible date raises here
    except Exception as exc:
        raw = getattr(getattr(value, "chosen", value), "contents", b"") or b""
        return Problem.of("signing_time_invalid", _short(exc), raw=raw.decode("latin-1", "replace"))
    return None


@contextlib.contextmanager
def _tolerant_signing_time(active: bool) -> Iterator[None]:
    """While validating a signature whose signingTime attribute cannot be parsed, let
    pyHanko read it as absent instead of aborting: the signature's integrity, validity and
    chain do not depend on it, and the unreadable time is reported on its own
    (SIGNING_TIME_UNREADABLE).  Scoped to the call; the replacement only differs from
    pyHanko's function where that one raises."""
    if not active:
        yield
        return
    from pyhanko.sign.validation import generic_cms

    original = generic_cms.extract_self_reported_ts

    def tolerant(signer_info: Any) -> dt.datetime | None:
        try:
            return original(signer_info)
        except ValueError:
            return None

    generic_cms.extract_self_reported_ts = tolerant
    try:
        yield
    finally:
        generic_cms.extract_self_reported_ts = original


def _token_time(signer_info: Any) -> dt.datetime | None:
    token = _cms_attr(signer_info["unsigned_attrs"], "signature_time_stamp_token")
    if token is None:
        return None
    try:
        tst_info = token["content"]["encap_content_info"]["content"].parsed
        return tst_info["gen_time"].native
    except Exception:
        return None


def _tst_gen_time(signed_data: Any) -> dt.datetime | None:
    try:
        return signed_data["encap_content_info"]["content"].parsed["gen_time"].native
    except Exception:
        return None


def _adobe_revinfo(signer_info: Any) -> tuple[list[Any], list[Any]]:
    value = _cms_attr(signer_info["signed_attrs"], "adobe_revocation_info_archival")
    if value is None:
        return [], []
    try:
        crls = list(value["crl"]) if value["crl"].native is not None else []
        ocsps = list(value["ocsp"]) if value["ocsp"].native is not None else []
        return crls, ocsps
    except Exception:
        return [], []


def read_dss(reader: Any) -> tuple[list[Any], list[Any], list[Any]]:
    """Certificates, CRLs and OCSP responses from the document security store."""
    try:
        dss = reader.root["/DSS"]
    except Exception:
        return [], [], []
    out: list[list[Any]] = [[], [], []]
    for idx, (key, loader) in enumerate(
        (("/Certs", asn1_x509.Certificate), ("/CRLs", asn1_crl.CertificateList), ("/OCSPs", asn1_ocsp.OCSPResponse))
    ):
        try:
            refs = dss.get(key) or []
            for ref in refs:
                try:
                    out[idx].append(loader.load(ref.get_object().data))
                except Exception:
                    log.debug("skipping an unreadable DSS %s entry", key)
        except Exception:
            log.debug("unreadable DSS %s array", key)
    return out[0], out[1], out[2]


def identity_fields(identity: Any | None) -> dict[str, Any]:
    """SignatureEvidence fields naming the signer (none when the CMS names nobody)."""
    if identity is None:
        return {}
    return dict(
        signer=identity.name,
        signer_org=identity.organization,
        signer_ids=identity.ids,
        kind=identity.kind,
        issuer=identity.issuer,
    )


def _identity_from_contents(sig_obj: Any) -> Any | None:
    """The signer named by the first certificate of a CMS blob pyHanko will not validate."""
    try:
        signed_data = cms.ContentInfo.load(bytes(sig_obj["/Contents"]))["content"]
        certs = [c.chosen for c in signed_data["certificates"]]
        signer = _signer_certificate(signed_data, certs)
        return identify(signer) if signer is not None else None
    except Exception:
        log.debug("no signer identity in this signature's /Contents", exc_info=True)
        return None


def _signer_cert(embedded: Any) -> Any:
    """pyHanko's signer certificate; where pyHanko's issuer comparison fails (names whose
    string types it cannot compare), the certificate whose issuer and serial number are
    byte-for-byte those of the SignerInfo, bound by the ESS signing-certificate attribute
    as pyHanko would check it."""
    _prime_signer_cert(embedded)
    try:
        return embedded.signer_cert
    except Exception as exc:
        if "not included" not in str(exc):
            raise
        from pyhanko.sign.general import SignedDataCerts

        certs = [c.chosen.untag() for c in embedded.signed_data["certificates"] if c.name == "certificate"]
        cert = _signer_certificate(embedded.signed_data, certs, strict=True)
        if cert is None or not _ess_binds(cert, embedded.signer_info["signed_attrs"]):
            raise
        embedded._sd_cert_info = SignedDataCerts(
            signer_cert=cert, other_certs=[c for c in certs if c is not cert], attribute_certs=[]
        )
        embedded._sigaudit_byte_matched = True
        log.info("signer certificate matched on issuer and serial bytes for %s", embedded.field_name)
        return cert


_LOCAL = threading.local()
_CERTS_MAX = 1024


def _certs() -> OrderedDict[bytes, Any]:
    """This thread's certificates met so far.  One store per thread: asn1crypto parses a
    certificate lazily, filling its structure as it is read, and two threads reading one
    certificate object at once could see it half filled."""
    found = getattr(_LOCAL, "certs", None)
    if found is None:
        found = _LOCAL.certs = OrderedDict()
    return found


def shared_certificate(cert: Any) -> Any:
    """The parsed certificate already met with these bytes (in an earlier signature or
    document of the run, in this thread), else ``cert``, kept for the next.  The offices of
    a run sign with a few certificates, each met in thousands of signatures; asn1crypto
    parses a certificate lazily and keeps what it parsed (serial number, names, key, dates,
    digest), so the second time costs nothing.  A certificate is its bytes: equal bytes,
    equal certificate.  The most recently met ``_CERTS_MAX`` are kept."""
    key = getattr(cert, "contents", None)
    if not isinstance(key, bytes):
        return cert
    certs = _certs()
    found = certs.get(key)
    if found is not None:
        certs.move_to_end(key)
        return found
    certs[key] = cert
    if len(certs) > _CERTS_MAX:
        certs.popitem(last=False)
    return cert


def _prime_signer_cert(embedded: Any) -> None:
    """Give pyHanko the signer's certificate it would find, found faster.

    pyHanko tests every embedded certificate with ``match_issuer_serial``, whose name
    comparison (LDAP string preparation of every attribute) is slow for the certificates
    whose issuer differs in bytes — the CA certificates — and costs a millisecond per
    signature.  The only certificate that can match is one with the SignerInfo's serial
    number: when exactly one has it and pyHanko's own ``match_issuer_serial`` accepts it,
    that is pyHanko's answer, found with one comparison.  Anything else is left to pyHanko.
    ``tests/unit/evidence/signatures/test_signer_cert.py`` compares both."""
    if getattr(embedded, "_sd_cert_info", True) is not None:
        return
    try:
        from pyhanko.sign import general

        certs, attribute_certs = [], []
        for choice in embedded.signed_data["certificates"]:
            if choice.name == "certificate":
                certs.append(shared_certificate(choice.chosen.untag()))
            elif choice.name == "v2_attr_cert":
                attribute_certs.append(choice.chosen.untag())
        (signer_info,) = embedded.signed_data["signer_infos"]
        sid = signer_info["sid"]
        if sid.name != "issuer_and_serial_number":
            return
        serial = sid.chosen["serial_number"].native
        same = [c for c in certs if c.serial_number == serial]
        if len(same) != 1 or not general.match_issuer_serial(sid.chosen, same[0]):
            return
        embedded._sd_cert_info = general.SignedDataCerts(
            signer_cert=same[0], other_certs=[c for c in certs if c is not same[0]], attribute_certs=attribute_certs
        )
    except Exception:
        log.debug("signer certificate left to pyHanko", exc_info=True)


@contextlib.contextmanager
def _known_signer(embedded: Any) -> Iterator[None]:
    """While validating a signature whose signer certificate was matched on bytes
    (``_signer_cert``), pyHanko's CMS validation, which extracts the certificates again and
    checks the ESS signing-certificate attribute by name, gets that match for this signed
    data (its own answer for any other) and the ESS check on the certificate's hash.
    Scoped to the call."""
    if not getattr(embedded, "_sigaudit_byte_matched", False):
        yield
        return
    from pyhanko.sign.validation import generic_cms

    original = generic_cms.extract_certs_for_validation
    known = embedded.signed_data.dump()

    def extract(signed_data: Any) -> Any:
        if signed_data.dump() == known:  # this signature, whichever object holds it
            return embedded._sd_cert_info
        return original(signed_data)

    original_ess = generic_cms._check_signing_certificate

    def check_ess(cert: Any, signed_attrs: Any) -> None:
        # the same binding, on the certificate's hash rather than a name comparison
        if not _ess_binds(cert, signed_attrs):
            original_ess(cert, signed_attrs)

    generic_cms.extract_certs_for_validation = extract
    generic_cms._check_signing_certificate = check_ess
    try:
        yield
    finally:
        generic_cms.extract_certs_for_validation = original
        generic_cms._check_signing_certificate = original_ess


def _ess_binds(cert: Any, signed_attrs: Any) -> bool:
    """Whether the ESS signing-certificate(-v2) attribute, when present, names this very
    certificate by its hash (RFC 5035) — the binding pyHanko checks, done on bytes."""
    for name, default in (("signing_certificate_v2", "sha256"), ("signing_certificate", "sha1")):
        value = _cms_attr(signed_attrs, name)
        if value is None:
            continue
        try:
            first = value["certs"][0]
            algorithm = first["hash_algorithm"]["algorithm"].native if name.endswith("v2") else default
            expected = first["cert_hash"].native
            return bool(
                hashlib.new(
                    algorithm.replace("_", "-") if algorithm.startswith("sha3") else algorithm, cert.dump()
                ).digest()
                == expected
            )
        except Exception:
            log.debug("unreadable ESS signing-certificate attribute", exc_info=True)
            return False
    return True


def _signer_certificate(signed_data: Any, certs: list[Any], *, strict: bool = False) -> Any | None:
    """The certificate of the first SignerInfo, matched on the bytes of its issuer and
    serial number (or its subject key identifier); else the first certificate that is not
    a CA's.  CMS blobs list their certificates in any order."""
    try:
        sid = signed_data["signer_infos"][0]["sid"]
        if sid.name == "issuer_and_serial_number":
            issuer = sid.chosen["issuer"].dump()
            serial = sid.chosen["serial_number"].native
            for cert in certs:
                tbs = cert["tbs_certificate"]
                if tbs["serial_number"].native == serial and tbs["issuer"].dump() == issuer:
                    return cert
        elif sid.name == "subject_key_identifier":
            for cert in certs:
                if cert.key_identifier == sid.chosen.native:
                    return cert
    except Exception:
        log.debug("cannot match the signer's certificate", exc_info=True)
    if strict:
        return None
    for cert in certs:
        try:
            if not cert.ca:
                return cert
        except Exception:
            continue
    return certs[0] if certs else None


_VERIFIABLE_MECHANISMS = {
    "rsassa_pkcs1v15",
    "rsassa_pss",
    "md5_rsa",
    "sha1_rsa",
    "sha224_rsa",
    "sha256_rsa",
    "sha384_rsa",
    "sha512_rsa",
    "ecdsa",
    "sha1_ecdsa",
    "sha224_ecdsa",
    "sha256_ecdsa",
    "sha384_ecdsa",
    "sha512_ecdsa",
    "dsa",
    "sha1_dsa",
    "sha224_dsa",
    "sha256_dsa",
    "ed25519",
    "ed448",
}


_DIGEST_NAMES = {"1.3.36.3.2.1": "RIPEMD-160", "2.16.840.1.101.3.4.2.9": "SHA3-512", "1.2.840.113549.2.2": "MD2"}


def _unverifiable_digest(signer_info: Any) -> str | None:
    """The SignerInfo's digest algorithm when the library cannot compute it (RIPEMD-160,
    MD2, an unknown OID): such a signature is unsupported here, not malformed."""
    try:
        algo = signer_info["digest_algorithm"]["algorithm"]
        name = algo.native
    except Exception:
        return None
    try:
        from pyhanko.sign.general import get_pyca_cryptography_hash

        get_pyca_cryptography_hash(name)
        return None
    except Exception:
        return _DIGEST_NAMES.get(algo.dotted, name)


def _unsupported_mechanism(signer_info: Any) -> str | None:
    try:
        algo = signer_info["signature_algorithm"]["algorithm"]
        name, dotted = algo.native, algo.dotted
    except Exception:
        return "(unreadable)"
    if name in _VERIFIABLE_MECHANISMS:
        return None
    return dotted if name == dotted else f"{name} ({dotted})"


async def _validate_chain(
    cert: Any, others: list[Any], context: Any
) -> tuple[bool, TrustProblem | None, str | None, Any]:
    """(trusted, problem, its detail, path) for a certificate pyHanko's CMS validation does not see."""
    from pyhanko_certvalidator import CertificateValidator
    from pyhanko_certvalidator.errors import (
        ExpiredError,
        InvalidCertificateError,
        NotYetValidError,
        PathBuildingError,
        PathValidationError,
        RevokedError,
    )

    try:
        _KEY_USAGE.validate(cert)
    except MemoryError:
        raise
    except Exception as exc:
        return False, TrustProblem.KEY_USAGE, f"key usage: {_short(exc)}", None
    validator = CertificateValidator(cert, intermediate_certs=others, validation_context=context)
    try:
        path = await validator.async_validate_path()
    except RevokedError:
        return False, TrustProblem.REVOKED, None, None
    except ExpiredError:
        return False, TrustProblem.EXPIRED, None, None
    except NotYetValidError:
        return False, TrustProblem.NOT_YET_VALID, None, None
    except PathBuildingError:
        return False, TrustProblem.NO_CERTIFICATE_CHAIN_FOUND, None, None
    except (PathValidationError, InvalidCertificateError) as exc:
        return False, TrustProblem.OTHER, _short(exc), None
    return True, None, None, path
