"""Fast path for the common signature: verify it with pyHanko's own pieces, reuse the
certificate path across documents.

``async_validate_pdf_signature`` builds a fresh validation context for every signature
and rebuilds the certificate path each time; in a batch, thousands of documents are signed
by the same few certificates.  For a signature of the common shape —

- ``adbe.pkcs7.detached`` or ``ETSI.CAdES.detached``, one SignerInfo, signed attributes,
  no unsigned attribute but one RFC 3161 signature timestamp token, SHA-256/384/512 (or
  SHA-1 where the settings accept it) with RSA or ECDSA, in the signature and the token;
- no seed values or field locks (``/Lock``); no DocMDP certification or FieldMDP
  ``/Reference`` either, unless the later revisions are judged by sigaudit's own analysis
  (the default), which reads the locks itself;
- no revocation data in the file (no DSS, no Adobe revocation attribute) and offline;
- nothing after it, or only further signatures (``revisions.signature_additions_only``) —

``verify`` computes integrity with pyHanko's ``validate_sig_integrity`` and coverage with
pyHanko's ``evaluate_signature_coverage``, and takes trust from a per-process cache of
certificate paths validated by pyhanko-certvalidator: a path found once for a chain is
reused when every certificate of it is valid at the new signing time.  A token is
checked as pyHanko's ``validate_tst_signed_data`` checks it — the TSTInfo's digest and the
TSA's signature over it, the message imprint against the signature value, the TSA's path
(cached the same way) at the token's time — and only a token that passes everything is
answered here.  Anything else returns None and the caller runs pyHanko's full validation.  A test compares the evidence
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
    """A ``TokenStatus`` when the signature carries a token."""
    diff_result: Any = None
    modification_level: Any = None


@dataclass
class TokenStatus:
    """The attributes of pyHanko's TimestampSignatureStatus that sigaudit reads."""

    intact: bool
    valid: bool
    trusted: bool
    timestamp: dt.datetime
    validation_path: Any


_TOKEN = "signature_time_stamp_token"


def _present(value: Any) -> bool:
    """An optional ASN.1 field that is there (asn1crypto's ``Void`` stands for a missing
    one; ``.native`` would convert a whole timestamp token to Python values to say so)."""
    from asn1crypto import core

    return not isinstance(value, core.Void)


def _algorithms_ok(signer_info: Any, weak: frozenset[str]) -> bool:
    digest = signer_info["digest_algorithm"]["algorithm"].native
    if digest not in _FAST_DIGESTS and not (digest == "sha1" and "sha1" not in weak):
        return False
    return signer_info["signature_algorithm"]["algorithm"].native in _FAST_MECHANISMS


def eligible(
    embedded: Any,
    sig_obj: Any,
    field: Any,
    signer_info: Any,
    weak: frozenset[str] = frozenset(),
    *,
    references: bool = False,
) -> bool:
    """The common shape (module docstring); ``weak``: the hash algorithms the settings
    reject (SHA-1 qualifies only where they accept it).  ``references``: a signature with a
    ``/Reference`` (a DocMDP certification, a FieldMDP lock) qualifies too — where the
    caller judges the later revisions itself, with the locks (``changes/locks.py``):
    pyHanko's validation reads a ``/Reference`` only for its difference analysis
    (``docmdp_ok``), which the fast path's revision check (``--diff-policy pyhanko``) does
    not stand in for."""
    try:
        if str(sig_obj.get("/SubFilter")) not in _FAST_SUBFILTERS or ("/Reference" in sig_obj and not references):
            return False
        if field is not None and ("/Lock" in field or "/SV" in field):
            return False
        if len(embedded.signed_data["signer_infos"]) != 1:
            return False
        if len(signer_info["signed_attrs"]) == 0:
            return False
        unsigned = signer_info["unsigned_attrs"]
        if _present(unsigned) and [(a["type"].native, len(a["values"])) for a in unsigned] != [(_TOKEN, 1)]:
            return False
        return _algorithms_ok(signer_info, weak)
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
    token = None
    if _present(embedded.signer_info["unsigned_attrs"]):
        token = _token(embedded.signer_info, trust, context_kwargs)
        if token is None:
            return None
        moment = token.timestamp  # the signer's path is validated at the token's time
    path = _trusted_path(cert, embedded.other_embedded_certs, trust, moment, context_kwargs, key_usage)
    if path is None:
        return None  # untrusted, expired, revoked…: pyHanko says exactly why
    return FastStatus(intact, valid, True, coverage, path, timestamp_validity=token)


def _token(signer_info: Any, trust: Any, context_kwargs: dict[str, Any]) -> TokenStatus | None:
    """The signature timestamp token, checked as ``validate_tst_signed_data`` checks it;
    None unless it is intact, valid, matches the signature and its TSA is trusted."""
    from asn1crypto import core, tsp
    from cryptography.hazmat.primitives import hashes
    from pyhanko.sign.general import get_pyca_cryptography_hash
    from pyhanko.sign.validation.generic_cms import (
        extract_certs_for_validation,
        extract_signer_info,
        extract_tst_data_iter,
        message_imprint_checker,
    )
    from pyhanko.sign.validation.status import TimestampSignatureStatus

    try:
        tokens = list(extract_tst_data_iter(signer_info, signed=False))
        if len(tokens) != 1:
            return None
        token = tokens[0]
        content = token["encap_content_info"]["content"]
        info = content.parsed if isinstance(content, core.ParsableOctetString) else None
        if not isinstance(info, tsp.TSTInfo):
            return None
        tsa_info = extract_signer_info(token)
        if not _algorithms_ok(tsa_info, frozenset(context_kwargs["weak_hash_algos"])):
            return None
        certs = extract_certs_for_validation(token)
        md = hashes.Hash(get_pyca_cryptography_hash(tsa_info["digest_algorithm"]["algorithm"].native))
        md.update(bytes(content))
        intact, valid = validate_sig_integrity(
            tsa_info,
            certs.signer_cert,
            expected_content_type=token["encap_content_info"]["content_type"].native,
            actual_digest=md.finalize(),
        )
        imprint = info["message_imprint"]
        expected = message_imprint_checker(signer_info)(imprint["hash_algorithm"]["algorithm"].native)
        if not (intact and valid) or expected != imprint["hashed_message"].native:
            return None
        when = info["gen_time"].native
        usage = _tsa_usage(TimestampSignatureStatus)
        path = _trusted_path(certs.signer_cert, list(certs.other_certs), trust, when, context_kwargs, usage)
    except Exception:
        log.debug("fast token check gave up", exc_info=True)
        return None
    return None if path is None else TokenStatus(True, True, True, when, path)


_TSA_USAGE: list[Any] = []


def _tsa_usage(status_type: Any) -> Any:
    """A TSA certificate's key-usage constraints, as pyHanko's timestamp status has them
    (made once: they are the same for every token)."""
    if not _TSA_USAGE:
        _TSA_USAGE.append(status_type.default_usage_constraints())
    return _TSA_USAGE[0]


def _trusted_path(
    cert: Any, others: list[Any], trust: Any, moment: dt.datetime | None, context_kwargs: dict[str, Any], key_usage: Any
) -> Any | None:
    if moment is None:
        return None
    key = (
        repr(key_usage),  # equal constraints, one entry (a fresh object per token before)
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
