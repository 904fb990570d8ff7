"""Judgements the checks, the counts and the reports share, made in one place."""

from __future__ import annotations

import datetime as dt

from sigaudit.findings import CODES
from sigaudit.model import Finding, Severity, SignatureEvidence, SignerKind, Verdict


def sound(s: SignatureEvidence) -> bool:
    """Intact, cryptographically valid, over a sound /ByteRange."""
    return bool(s.intact and s.valid) and s.byte_range_problem is None


def counts(s: SignatureEvidence) -> bool:
    """A valid signature that counts in the statistics: sound, its chain not found untrusted
    or revoked, its certificate valid when it signed.  (A chain that was not checked,
    ``trusted is None``, does not disqualify it; the verdict says it was not checked.)"""
    return sound(s) and s.trusted is not False and cert_valid_at_signing_time(s) is not False


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


def unchecked(findings: tuple[Finding, ...]) -> tuple[Finding, ...]:
    """The findings that say something could not be checked."""
    return tuple(f for f in findings if f.code in CODES and CODES[f.code].unchecked)


def verdict(findings: tuple[Finding, ...]) -> Verdict:
    """ĐẠT only when there is no error and nothing was left unchecked."""
    if any(f.severity is Severity.ERROR for f in findings):
        return Verdict.FAIL
    return Verdict.INCONCLUSIVE if unchecked(findings) else Verdict.PASS
