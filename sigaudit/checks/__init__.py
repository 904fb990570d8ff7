"""Evidence → findings and judgements.  One small function per check, one module per subject.

A check receives the document's evidence and the settings and yields findings built with
``sigaudit.findings.finding(CODE, variant, signature=…, **params)``: it never writes text
(the messages are templates in ``data/findings.toml``) and never reads files or calls
pyHanko, so checks are cheap to re-run on cached evidence.  ``CHECKS`` lists them in the
order their findings are reported; ``evaluate`` turns evidence into a ``DocumentResult``.

To add a check: write ``check_x(ev, settings)`` in the module of its subject and add it to
``CHECKS``; its codes go in ``data/findings.toml`` (see CONTRIBUTING.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from zoneinfo import ZoneInfo

from sigaudit.checks import judgements
from sigaudit.checks.document import check_parse_mode, error_finding
from sigaudit.checks.header import check_header, check_signing_date, padding_problems
from sigaudit.checks.roles import (
    Roles,
    attribute_office,
    deciding_signature,
    local_date,
    office_parent,
    revision_order,
    signature_roles,
)
from sigaudit.checks.signatures import (
    check_certificates,
    check_modifications,
    check_signature_integrity,
    check_structure,
    check_unsigned,
)
from sigaudit.checks.signers import OCR_CONFIDENT, check_office, check_signer_kinds
from sigaudit.checks.times import check_stamp_times, check_timestamps
from sigaudit.findings import CODES, Code
from sigaudit.model import DocumentEvidence, DocumentResult, Finding, Settings, SignatureType, SignerKind
from sigaudit.names import nfc
from sigaudit.offices import key_for, qualified

Check = Callable[[DocumentEvidence, Settings], Iterator[Finding]]

CHECKS: tuple[Check, ...] = (
    check_parse_mode,
    check_unsigned,
    check_signature_integrity,
    check_modifications,
    check_structure,
    check_certificates,
    check_timestamps,
    check_stamp_times,
    check_signer_kinds,
    check_header,
    check_signing_date,
    check_office,
)


def run_checks(ev: DocumentEvidence, settings: Settings) -> tuple[Finding, ...]:
    if ev.error is not None:
        return (error_finding(ev),)
    return tuple(f for check in CHECKS for f in check(ev, settings))


def evaluate(evidence: DocumentEvidence, settings: Settings) -> DocumentResult:
    """Facts → judgement: findings, office, the issuing signature and its date, the counts."""
    evidence = _with_signer_kinds(evidence, settings)
    zone = ZoneInfo(settings.tz)
    roles = signature_roles(evidence, zone) if evidence.error is None else None
    office = attribute_office(evidence, roles) if roles is not None else None  # unreadable: "(không xác định)"
    office = qualified(office, office_parent(evidence, roles)) if roles is not None else None
    sig = roles.issuing if roles else None
    signing_date = local_date(sig.signing_time, zone) if sig and sig.signing_time else None
    approvals = evidence.approval_signatures
    findings = run_checks(evidence, settings)
    return DocumentResult(
        evidence=evidence,
        office=office,
        office_key=key_for(office),
        findings=findings,
        signing_date=signing_date,
        issued_by=sig.field if sig else None,
        republished_by=roles.republished_by if roles else (),
        copy_certified_by=roles.copy_certified_by if roles else (),
        signed=judgements.signed(approvals),
        signed_person_and_org=judgements.signed_person_and_org(approvals),
        date_consistent=judgements.date_consistent(signing_date, evidence.header.issuance_date),
        verdict=judgements.verdict(findings),
    )


def _with_signer_kinds(evidence: DocumentEvidence, settings: Settings) -> DocumentEvidence:
    """Apply the user's signer-kind overrides (evidence is cached; overrides are settings)."""
    if not settings.signer_kinds or not evidence.signatures:
        return evidence
    table = {nfc(key).casefold(): SignerKind(kind) for key, kind in settings.signer_kinds}
    changed = []
    for s in evidence.signatures:
        keys = [k for k in (s.signer, *s.signer_ids) if k]
        kind = next((table[nfc(k).casefold()] for k in keys if nfc(k).casefold() in table), None)
        changed.append(replace(s, kind=kind) if kind is not None and s.type is SignatureType.SIGNATURE else s)
    return replace(evidence, signatures=tuple(changed))


__all__ = [
    "CHECKS",
    "CODES",
    "OCR_CONFIDENT",
    "Check",
    "Code",
    "Roles",
    "check_header",
    "deciding_signature",
    "evaluate",
    "local_date",
    "padding_problems",
    "revision_order",
    "run_checks",
    "signature_roles",
]
