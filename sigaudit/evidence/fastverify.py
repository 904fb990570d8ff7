"""Fast path for the common signature: verify it with pyHanko's own pieces, reuse the
certificate path across documents.

``async_validate_pdf_signature`` builds a fresh validation context for every signature
and rebuilds the certificate path each time; in a batch, thousands of documents are signed
by the same few certificates.  For a signature of the common shape —

- ``adbe.pkcs7.detached`` or ``ETSI.CAdES.detached``, one SignerInfo, signed attributes,
  no unsigned attributes (no timestamp token), SHA-256/384/512 with RSA or ECDSA;
- no DocMDP certification, no seed values or field locks;
- no revocation data in the file (no DSS, no Adobe revocation attribute) and offline;
- nothing after it, or only further signatures (``revisions.signature_additions_only``) —

``verify`` computes integrity with pyHanko's ``validate_sig_integrity`` and coverage with
pyHanko's ``evaluate_signature_coverage``, and takes trust from a per-process cache of
certificate paths validated by pyhanko-certvalidator: a path found once for a chain is
reused when every certificate of it is valid at the new signing time.  Anything else
returns None and the caller runs pyHanko's full validation.  A test compares the evidence
of both ways on every fixture and real-world file (tests/test_fastpath.py).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from pyhanko.sign.general import CMSStructuralError
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.generic_cms import validate_sig_integrity
from pyhanko_certvalidator import CertificateValidator, ValidationContext

log = logging.getLogger(__name__)

_FAST_SUBFILTERS = {"/adbe.pkcs7.detached", "/ETSI.CAdES.detached"}
_FAST_DIGESTS = {"sha256", "sha384", "sha512"}
_FAST_MECHANISMS = {
    "rsassa_pkcs1v15",
    "sha256_rsa",
    "sha384_rsa",
    "sha512_rsa",
    "ecdsa",
    "sha256_ecdsa",
    "sha384_ecdsa",
    "sha512_ecdsa",
}
_PATHS: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_PATHS_MAX = 4096


@dataclass
class FastStatus:
    """The attributes of pyHanko's PdfSignatureStatus that sigaudit reads."""

    intact: bool
    valid: bool
    trusted: bool
    coverage: Any
    validation_path: Any
    trust_problem_indic: Any = None
    timestamp_validity: Any = None
    diff_result: Any = None
    modification_level: Any = None


def eligible(embedded: Any, sig_obj: Any, field: Any, signer_info: Any) -> bool:
    try:
        if str(sig_obj.get("/SubFilter")) not in _FAST_SUBFILTERS or "/Reference" in sig_obj:
            return False
        if field is not None and ("/Lock" in field or "/SV" in field):
            return False
        if len(embedded.signed_data["signer_infos"]) != 1:
            return False
        if signer_info["signed_attrs"].native is None or signer_info["unsigned_attrs"].native is not None:
            return False
        if signer_info["digest_algorithm"]["algorithm"].native not in _FAST_DIGESTS:
            return False
        return signer_info["signature_algorithm"]["algorithm"].native in _FAST_MECHANISMS
    except Exception:
        return False


def verify(
    embedded: Any, trust: Any, moment: dt.datetime | None, context_kwargs: dict[str, Any], key_usage: Any
) -> FastStatus | None:
    """Integrity, coverage and trust of an eligible signature, or None to use pyHanko."""
    try:
        cert = embedded.signer_cert
        intact, valid = validate_sig_integrity(
            embedded.signer_info,
            cert,
            expected_content_type="data",
            actual_digest=embedded.compute_digest(),
        )
        coverage = embedded.evaluate_signature_coverage()
    except (SignatureValidationError, CMSStructuralError):
        return None
    except Exception:
        log.debug("fast verification gave up", exc_info=True)
        return None
    if not (intact and valid) or not trust.configured:
        return None  # pyHanko reports failures, and partial paths, its own way
    path = _trusted_path(cert, embedded.other_embedded_certs, trust, moment, context_kwargs, key_usage)
    if path is None:
        return None  # untrusted, expired, revoked…: pyHanko says exactly why
    return FastStatus(intact, valid, True, coverage, path)


def _trusted_path(
    cert: Any, others: list[Any], trust: Any, moment: dt.datetime | None, context_kwargs: dict[str, Any], key_usage: Any
) -> Any | None:
    if moment is None:
        return None
    key = (
        cert.sha256,
        tuple(sorted(c.sha256 for c in others)),
        trust.fingerprint(),
        tuple(sorted(context_kwargs["weak_hash_algos"])),
    )
    path = _PATHS.get(key)
    if path is None:
        try:
            key_usage.validate(cert)
            context = ValidationContext(moment=moment, **context_kwargs)
            validator = CertificateValidator(cert, intermediate_certs=others, validation_context=context)
            path = asyncio.run(validator.async_validate_path())
        except Exception:
            return None  # not cached: the next document may be signed at another time
        _PATHS[key] = path
        if len(_PATHS) > _PATHS_MAX:
            _PATHS.popitem(last=False)
    else:
        _PATHS.move_to_end(key)
    for c in path.iter_certs(include_root=True):
        if not (c.not_valid_before <= moment <= c.not_valid_after):
            return None
    return path


def cache_info() -> int:
    return len(_PATHS)


def clear() -> None:
    _PATHS.clear()
