"""Checks of the signatures themselves: present, intact, unchanged since, sound bytes, trusted."""

from __future__ import annotations

from collections.abc import Iterator

from sigaudit.checks.judgements import cert_valid_at_signing_time, sound
from sigaudit.findings import Phrase, Term, byte_range_term, finding
from sigaudit.model import (
    Coverage,
    DocumentEvidence,
    Finding,
    Modification,
    Settings,
    SignatureEvidence,
    ValidationStatus,
)


def _what(s: SignatureEvidence) -> Term:
    return Term.of(f"what.{s.type.value}")


def _changes(s: SignatureEvidence) -> list[Phrase]:
    return [Phrase(c) for c in s.changes]


def check_unsigned(ev: DocumentEvidence, settings: Settings) -> Iterator[Finding]:
    if not ev.approval_signatures:
        yield finding("UNSIGNED", stamps=len(ev.signatures))


def check_signature_integrity(ev: DocumentEvidence, settings: Settings) -> Iterator[Finding]:
    for s in ev.signatures:
        what = _what(s)
        if s.status is ValidationStatus.UNSUPPORTED:
            yield finding(
                "SIGNATURE_UNSUPPORTED", signature=s.field, what=what, field=s.field, signer=s.signer, problem=s.problem
            )
        elif s.status is ValidationStatus.MALFORMED:
            yield finding(
                "SIGNATURE_MALFORMED", signature=s.field, what=what, field=s.field, signer=s.signer, problem=s.problem
            )
        elif not s.intact and s.problem:
            yield finding(
                "SIGNATURE_INVALID", "problem", s.field, what=what, field=s.field, signer=s.signer, problem=s.problem
            )
        elif not s.intact:
            yield finding("SIGNATURE_INVALID", "altered", s.field, what=what, field=s.field, signer=s.signer)
        elif not s.valid:
            yield finding("SIGNATURE_INVALID", "crypto", s.field, what=what, field=s.field, signer=s.signer)


def check_modifications(ev: DocumentEvidence, settings: Settings) -> Iterator[Finding]:
    for s in ev.signatures:
        # an intact signature whose algorithm cannot be checked here still has a signed
        # revision: what was changed after it is named all the same
        if s.status not in (ValidationStatus.VALIDATED, ValidationStatus.UNSUPPORTED) or not s.intact:
            continue
        if s.modification is None and s.coverage is not Coverage.ENTIRE_FILE and s.status is ValidationStatus.VALIDATED:
            yield finding("CHANGES_NOT_ANALYSED", signature=s.field, field=s.field, signer=s.signer, problem=s.problem)
        if s.modification is Modification.OTHER:
            partial = s.coverage in (Coverage.UNCLEAR, Coverage.CONTIGUOUS_BLOCK_FROM_START)
            yield finding(
                "MODIFIED_AFTER_SIGNING",
                "partial" if partial else "other",
                s.field,
                field=s.field,
                signer=s.signer,
                changes=_changes(s),
            )
        elif s.changed_fields:
            # Allowed by the PDF rules (form filling), but on an issued document a field
            # whose value changes after approval changes what was approved (shadow "replace").
            yield finding(
                "MODIFIED_AFTER_SIGNING",
                "form_fields",
                s.field,
                field=s.field,
                signer=s.signer,
                fields=s.changed_fields,
                changes=_changes(s),
            )
        elif s.modification is Modification.ANNOTATIONS:
            yield finding(
                "MODIFIED_AFTER_SIGNING", "annotations", s.field, field=s.field, signer=s.signer, changes=_changes(s)
            )


def check_structure(ev: DocumentEvidence, settings: Settings) -> Iterator[Finding]:
    """Byte-level tricks: gaps in /ByteRange, bytes after the end, reused signatures."""
    for s in ev.signatures:
        if s.byte_range_problem and s.status is not ValidationStatus.MALFORMED:
            yield finding(
                "BYTE_RANGE_INVALID", signature=s.field, field=s.field, problem=byte_range_term(s.byte_range_problem)
            )
        if s.shared_with:
            yield finding("SIGNATURE_SHARED", signature=s.field, field=s.field, others=s.shared_with)
    if ev.trailing_bytes and ev.signatures:
        yield finding("UNSIGNED_TRAILING_BYTES", "objects" if ev.trailing_objects else "data", count=ev.trailing_bytes)
    signers = {s.field: s.signer for s in ev.signatures}
    for b in ev.revision_breaks:
        who = {"field": b.field, "signer": signers.get(b.field), "offset": b.offset}
        if b.kind == "damaged":
            yield finding("NOT_AN_UPDATE", "damaged", b.field, **who)
        elif b.kind == "misplaced":
            yield finding("NOT_AN_UPDATE", "misplaced", b.field, **who)
        elif b.kind == "outside":
            yield finding("NOT_AN_UPDATE", "outside", b.field, **who)
        elif b.kind == "unlisted":
            yield finding("NOT_AN_UPDATE", "unlisted", b.field, **who)
        else:
            yield finding("NOT_AN_UPDATE", "second_header" if b.kind == "second_header" else "unlinked", b.field, **who)


def check_certificates(ev: DocumentEvidence, settings: Settings) -> Iterator[Finding]:
    for s in ev.signatures:
        if s.status is not ValidationStatus.VALIDATED or not sound(s):
            continue  # a broken signature is reported as such; its chain is moot
        expired_when_signed = cert_valid_at_signing_time(s) is False
        who = {"signature": s.field, "field": s.field, "signer": s.signer}
        if expired_when_signed and s.signing_time is not None:
            yield finding(
                "CERT_NOT_VALID_AT_SIGNING_TIME",
                **who,
                not_before=_day(s.cert_not_before),
                not_after=_day(s.cert_not_after),
                signed=s.signing_time.date(),
            )
        if s.trusted is False and not expired_when_signed:
            if s.trust_problem is not None and s.trust_problem.revoked:
                yield finding("CERT_REVOKED", **who)
            else:
                yield finding("CERT_UNTRUSTED", **who, issuer=s.issuer, reason=trust_reason(s))
    # one fact, said once: the signatures that share the same weak algorithms
    weak: dict[tuple[str, ...], list[str]] = {}
    for s in ev.signatures:
        if s.weak_algorithms and s.status is ValidationStatus.VALIDATED and sound(s):
            weak.setdefault(tuple(s.weak_algorithms), []).append(s.field)
    for algorithms, fields in weak.items():
        yield finding(
            "WEAK_ALGORITHM",
            signature=fields[0] if len(fields) == 1 else None,
            fields=fields,
            algorithms=[Phrase(a) for a in algorithms],
        )
    unchecked = [s for s in ev.signatures if s.status is ValidationStatus.VALIDATED and sound(s) and s.trusted is None]
    if unchecked:
        yield finding("CHAIN_NOT_CHECKED", fields=[s.field for s in unchecked])


def trust_reason(s: SignatureEvidence) -> Term | None:
    """Why the chain is not trusted, in the registry's words (the library's, when it has none)."""
    if s.trust_problem is None:
        return None
    text = s.trust_detail or s.trust_problem.value
    return Term.of(f"trust_problem.{s.trust_problem.value}", fallback=text.replace("_", " "))


def _day(value: object) -> object:
    return value.date() if value is not None else None  # type: ignore[attr-defined]
