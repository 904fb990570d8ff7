"""Legacy SubFilters pyHanko does not validate: ``adbe.pkcs7.sha1`` and
``adbe.x509.rsa_sha1``."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from asn1crypto import cms
from asn1crypto import core as asn1_core
from asn1crypto import x509 as asn1_x509
from pyhanko.sign.validation.generic_cms import async_validate_cms_signature

from sigaudit.evidence.signatures.cms import (
    _adobe_revinfo,
    _signed_attr_time,
    _validate_chain,
)
from sigaudit.evidence.signatures.common import (
    _KEY_USAGE,
    _chain_weak_algorithms,
    _name,
    _PathHolder,
    _run,
    _short,
    _signed_bytes,
    _source,
)
from sigaudit.model import (
    Problem,
    SignatureEvidence,
    TimeSource,
    TrustProblem,
    ValidationStatus,
)

log = logging.getLogger(__name__)


class LegacyMixin:
    """Methods of ``SignatureReader`` for the legacy SubFilters."""

    def _legacy(self, base: dict[str, Any], sig_obj: Any, sub_filter: str, sig_ref: Any) -> SignatureEvidence:
        """adbe.pkcs7.sha1 and adbe.x509.rsa_sha1, which pyHanko does not validate.

        pkcs7.sha1: the CMS encapsulates the SHA-1 digest of the byte ranges; pyHanko's
        generic CMS validation checks the CMS (signature, chain, key usage) and we
        compare the digest.  x509.rsa_sha1: a bare PKCS #1 v1.5 value over the byte
        ranges, certificates in /Cert; verified with cryptography, the chain with
        pyhanko-certvalidator.  Both at the signing time claimed in the file.
        """
        try:
            ranges = [int(v) for v in sig_obj["/ByteRange"]]
            contents = bytes(sig_obj["/Contents"])
            if len(ranges) != 4 or not contents.strip(b"\x00"):
                raise ValueError("empty signature value or bad /ByteRange")
            signed = _signed_bytes(self.data, ranges)
        except MemoryError:
            raise
        except Exception as exc:
            return SignatureEvidence(
                **base,
                status=ValidationStatus.MALFORMED,
                problem=Problem.of("value_unreadable", _short(exc)),
                signing_time=base["pdf_time"],
                time_source=TimeSource.PDF_DICTIONARY if base["pdf_time"] else None,
            )
        digest = hashlib.sha1(signed).digest()
        review = self._revision_review(sig_ref, ranges[2] + ranges[3])
        try:
            if sub_filter == "/adbe.pkcs7.sha1":
                return self._legacy_pkcs7(base, contents, digest, review)
            return self._legacy_x509(base, sig_obj, contents, signed, review)
        except MemoryError:
            raise
        except Exception as exc:
            log.info("legacy signature could not be validated", exc_info=True)
            return SignatureEvidence(
                **base,
                status=ValidationStatus.MALFORMED,
                problem=Problem.of("legacy_value_broken", _short(exc), sub_filter=_name(sub_filter)),
                signing_time=base["pdf_time"],
                time_source=TimeSource.PDF_DICTIONARY if base["pdf_time"] else None,
            )

    def _legacy_pkcs7(
        self, base: dict[str, Any], contents: bytes, digest: bytes, review: dict[str, Any]
    ) -> SignatureEvidence:
        signed_data = cms.ContentInfo.load(contents)["content"]
        signer_info = signed_data["signer_infos"][0]
        encapsulated = signed_data["encap_content_info"]["content"]
        content = encapsulated.native if encapsulated.native is not None else b""
        if isinstance(content, bytes) and len(content) != 20:
            # some producers wrap the digest in an OCTET STRING once more
            try:
                content = asn1_core.OctetString.load(content).native
            except Exception:
                pass
        attr_time = _signed_attr_time(signer_info)
        claimed = attr_time or base["pdf_time"]
        crls, ocsps = _adobe_revinfo(signer_info)
        embedded_certs = [c.chosen for c in signed_data["certificates"]] if signed_data["certificates"].native else []
        context = self.contexts.at(claimed, embedded_certs, crls, ocsps)
        status = _run(
            async_validate_cms_signature(signed_data, validation_context=context, key_usage_settings=_KEY_USAGE)
        )
        intact = bool(status.intact) and content == digest
        fields = self._identity_fields(status.signing_cert)
        trusted = bool(status.trusted) if self.trust.configured else None
        indic = getattr(status, "trust_problem_indic", None)
        return SignatureEvidence(
            **base,
            **fields,
            status=ValidationStatus.VALIDATED,
            signing_time=claimed,
            time_source=_source(None, attr_time) or (TimeSource.PDF_DICTIONARY if claimed else None),
            signed_attr_time=attr_time,
            intact=intact,
            valid=intact and bool(status.valid),
            trusted=trusted,
            trust_problem=TrustProblem.of(indic.name) if indic is not None and trusted is False else None,
            weak_algorithms=_chain_weak_algorithms(status, "sha1"),
            md_algorithm="sha1",
            **review,
        )

    def _legacy_x509(
        self, base: dict[str, Any], sig_obj: Any, contents: bytes, signed: bytes, review: dict[str, Any]
    ) -> SignatureEvidence:
        from cryptography import x509 as crypto_x509
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding, rsa

        raw_certs = sig_obj["/Cert"]
        blobs = [bytes(raw_certs)] if not isinstance(raw_certs, list) else [bytes(c) for c in raw_certs]
        certs = [asn1_x509.Certificate.load(b) for b in blobs]
        value = asn1_core.OctetString.load(contents).native
        public_key = crypto_x509.load_der_x509_certificate(blobs[0]).public_key()
        if not isinstance(public_key, rsa.RSAPublicKey):
            raise ValueError("the certificate's key is not an RSA key")
        try:
            public_key.verify(value, signed, padding.PKCS1v15(), hashes.SHA1())
            good = True
        except InvalidSignature:
            good = False
        claimed = base["pdf_time"]
        context = self.contexts.at(claimed, certs[1:], [], [])
        trusted, problem, detail, path = _run(_validate_chain(certs[0], certs[1:], context))
        fields = self._identity_fields(certs[0])
        return SignatureEvidence(
            **base,
            **fields,
            status=ValidationStatus.VALIDATED,
            signing_time=claimed,
            time_source=TimeSource.PDF_DICTIONARY if claimed else None,
            intact=good,
            valid=good,
            trusted=trusted if self.trust.configured else None,
            trust_problem=problem if self.trust.configured and not trusted else None,
            trust_detail=detail if self.trust.configured and not trusted else None,
            weak_algorithms=_chain_weak_algorithms(_PathHolder(path), "sha1"),
            md_algorithm="sha1",
            **review,
        )
