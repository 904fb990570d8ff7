"""RFC 3161 tokens that carry no certificate.

A time-stamp token need not carry its TSA's certificate (RFC 3161 §2.4.1: ``certReq`` false),
and pyHanko then gives up on the whole signature ("signer certificate not included"), which
would make an intact, valid signature look broken.  The token's own signature covers its
TSTInfo, not its certificate set, so the TSA certificate may be supplied from elsewhere: the
signature's own certificates, the document's security store, the trust store.  Where none
matches, the token is set aside: the signature is validated without it and its time falls
back to the claimed one, and the evidence says the token could not be verified.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

log = logging.getLogger(__name__)

_TOKEN = "signature_time_stamp_token"


def own_certificates(embedded: Any) -> list[Any]:
    """The certificates the signature's CMS carries (a token may have left its TSA's there)."""
    try:
        return [c.chosen for c in embedded.signed_data["certificates"] if c.name == "certificate"]
    except Exception:
        log.debug("no certificates in the signature's CMS", exc_info=True)
        return []


def _matches(cert: Any, sid: Any) -> bool:
    try:
        if sid.name == "issuer_and_serial_number":
            return cert.issuer == sid.chosen["issuer"] and cert.serial_number == sid.chosen["serial_number"].native
        return cert.key_identifier == sid.chosen.native
    except Exception:
        return False


def complete_tokens(signer_info: Any, candidates: Iterable[Any]) -> bool | None:
    """Give each signature time-stamp token of ``signer_info`` (in place) its TSA certificate
    when it lacks it.  Returns None when there is no token or every token carries its
    certificate, True when one was completed, False when one could not be and was set
    aside (removed from the unsigned attributes)."""
    from asn1crypto import cms, core

    try:
        attrs = signer_info["unsigned_attrs"]
        if isinstance(attrs, core.Void) or len(attrs) == 0:
            return None
    except Exception:
        return None
    pool = list(candidates)
    outcome: bool | None = None
    kept = []
    for attr in attrs:
        if attr["type"].native != _TOKEN:
            kept.append(attr)
            continue
        try:
            token = attr["values"][0]["content"]
            sid = token["signer_infos"][0]["sid"]
            certificates = token["certificates"]
            present = [] if isinstance(certificates, core.Void) else [c.chosen for c in certificates]
        except Exception:
            kept.append(attr)
            continue
        if any(_matches(c, sid) for c in present):
            kept.append(attr)
            continue
        found = next((c for c in pool if _matches(c, sid)), None)
        if found is None:
            log.info("a time-stamp token carries no certificate and none is known: set aside")
            outcome = False
            continue
        token["certificates"] = cms.CertificateSet([cms.CertificateChoices(name="certificate", value=found), *present])
        kept.append(attr)
        outcome = True if outcome is None else outcome
    if outcome is False:
        signer_info["unsigned_attrs"] = cms.CMSAttributes(kept) if kept else cms.CMSAttributes([])
        if not kept:
            del signer_info["unsigned_attrs"]
    return outcome
