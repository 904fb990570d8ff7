"""Checks of who signed: a person and the issuing body, in that order, under the body's name."""

from __future__ import annotations

import re
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from sigaudit.checks.roles import revision_order, signature_roles
from sigaudit.findings import finding
from sigaudit.model import DocumentEvidence, Finding, Settings, SignerKind, ValidationStatus
from sigaudit.names import office_key, same_office

OCR_CONFIDENT = 0.90
"""An OCR reading at least this sure is judged like text; below it, never an error by itself
(the same threshold as ``sigaudit.evidence.page.ocr.CONFIDENT``)."""


def check_signer_kinds(ev: DocumentEvidence, settings: Settings) -> Iterator[Finding]:
    roles = signature_roles(ev, ZoneInfo(settings.tz))
    by_field = {s.field: s for s in ev.approval_signatures}
    for field in roles.republished_by:
        yield finding("REPUBLISHED", signature=field, field=field, signer=by_field[field].signer)
    for field in roles.copy_certified_by:
        yield finding("COPY_CERTIFIED", signature=field, field=field, signer=by_field[field].signer)
    excluded = roles.excluded()
    sigs = [s for s in ev.approval_signatures if s.status is not ValidationStatus.MALFORMED and s.field not in excluded]
    if not sigs:
        if roles.republished_by and not roles.copy_certified_by:
            yield finding("MISSING_ORG_SIGNATURE", "copies_only")
        return
    kinds = [s.kind for s in sigs]
    unknown = kinds.count(SignerKind.UNKNOWN)
    if SignerKind.ORGANIZATION not in kinds and not unknown:
        yield finding("MISSING_ORG_SIGNATURE")
    if SignerKind.PERSON not in kinds and not unknown:
        yield finding("MISSING_PERSONAL_SIGNATURE")
    for s in sigs:
        if s.kind is SignerKind.UNKNOWN:
            lone = len(sigs) == 1
            yield finding("SIGNER_KIND_UNKNOWN", "only" if lone else "default", s.field, field=s.field, signer=s.signer)
    # Revision order is proof of signing order (a timestamp token may come later than the
    # revision it belongs to); times decide only where the file does not order them.
    persons = [s for s in sigs if s.kind is SignerKind.PERSON]
    orgs = [s for s in sigs if s.kind is SignerKind.ORGANIZATION]
    if persons and orgs:
        last_person = max(persons, key=revision_order)
        first_org = min(orgs, key=revision_order)
        if revision_order(last_person) > revision_order(first_org):
            yield finding(
                "PERSON_SIGNED_AFTER_ORG",
                signature=last_person.field,
                field=last_person.field,
                signer=last_person.signer,
                org_field=first_org.field,
            )


# Councils, boards, teams and delegations that issue in their own name but have no seal or
# certificate of their own: they sign with their standing body's (Decree 30/2020/NĐ-CP,
# art. 15; seen: the portal's editorial board signing with its operating centre's
# certificate).  Bodies with a seal of their own — the people's council (HĐND), the
# management boards (BAN QUẢN LÝ), the Party's boards — are not among them.
_STANDING_BODY_SIGNS = re.compile(
    r"^(hội đồng(?! nhân dân)|ban chỉ đạo|ban biên tập|ban chỉ huy|ban điều hành|tổ công tác|tổ giúp việc"
    r"|tổ thẩm định|tổ chuyên gia|đoàn kiểm tra|đoàn thanh tra|đoàn công tác|đoàn đánh giá)\b"
)


def signs_with_standing_body(office: str) -> bool:
    """Whether an office is a council, board or team that signs with its standing body's
    certificate."""
    return bool(_STANDING_BODY_SIGNS.match(office_key(office)))


def check_office(ev: DocumentEvidence, settings: Settings) -> Iterator[Finding]:
    office = ev.header.office
    if not office or (ev.header.confidence_for("office") or 0) < OCR_CONFIDENT:
        return
    if signs_with_standing_body(office):
        return  # its standing body's certificate is the right one: not a mismatch
    full = f"{ev.header.parent_office} {office}" if ev.header.parent_office else office
    excluded = signature_roles(ev, ZoneInfo(settings.tz)).excluded()
    named: set[str] = set()
    for s in ev.approval_signatures:
        if s.kind is not SignerKind.ORGANIZATION or not s.signer or s.field in excluded:
            continue
        if s.signer in named:
            continue  # one finding per certificate name, however many times it signed
        named.add(s.signer)
        if not (same_office(office, s.signer) or same_office(full, s.signer)):
            yield finding("OFFICE_MISMATCH", signature=s.field, field=s.field, office=office, signer=s.signer)
