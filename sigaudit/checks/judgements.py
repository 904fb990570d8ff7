"""Judgements the checks, the counts and the reports share, made in one place."""

from __future__ import annotations

import datetime as dt

from sigaudit.model import SignatureEvidence, SignerKind


def counts(s: SignatureEvidence) -> bool:
    """Intact, cryptographically valid, over a sound /ByteRange: this signature counts."""
    return bool(s.intact and s.valid) and s.byte_range_problem is None


def cert_valid_at_signing_time(s: SignatureEvidence) -> bool | None:
    """Whether the signing time lies within the certificate's validity (None: unknown)."""
    if s.signing_time is None or s.cert_not_before is None or s.cert_not_after is None:
        return None
    return s.cert_not_before <= s.signing_time <= s.cert_not_after


def signed(approvals: tuple[SignatureEvidence, ...]) -> bool:
    return any(counts(s) for s in approvals)


def signed_person_and_org(approvals: tuple[SignatureEvidence, ...]) -> bool:
    kinds = {s.kind for s in approvals if counts(s)}
    return SignerKind.PERSON in kinds and SignerKind.ORGANIZATION in kinds


def date_consistent(signing_date: dt.date | None, issuance_date: dt.date | None) -> bool:
    return signing_date is not None and issuance_date is not None and signing_date == issuance_date
