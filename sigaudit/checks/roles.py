"""Which signature issued the document, and which only republished or copied it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sigaudit.model import DocumentEvidence, SignatureEvidence, SignerKind
from sigaudit.names import clean_spaces, same_office, strip_diacritics

_REPUBLISHERS = (
    "trung tam cong bao",
    "cong bao",
    "cong thong tin dien tu chinh phu",
    "cong ttdt chinh phu",
    "cong thong tin chinh phu",
)
_COPY_STAMP_TIME = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:\D{1,3}(\d{1,2}):(\d{2})(?::(\d{2}))?)?")


@dataclass(frozen=True)
class Roles:
    """Which signature issued the document and which only republished or copied it."""

    issuing: SignatureEvidence | None
    """The issuing body's signature: the first organisation signature after the personal
    one whose name matches the header office (else the first such organisation signature),
    else the latest personal signature."""
    republished_by: tuple[str, ...] = ()
    """Fields signed by a republisher (gazette centre, government portal) that is not the
    issuing office."""
    copy_certified_by: tuple[str, ...] = ()
    """Fields that certify a copy ("SAO Y" stamp)."""

    def excluded(self) -> set[str]:
        return {*self.republished_by, *self.copy_certified_by}


def local_date(instant: dt.datetime, zone: dt.tzinfo) -> dt.date:
    return instant.astimezone(zone).date()


def revision_order(s: SignatureEvidence) -> tuple[float, float]:
    """Where the signature sits in the file: the end of its signed revision.  Revision order
    is proof of signing order; claimed times are not."""
    end = s.byte_range[2] + s.byte_range[3] if len(s.byte_range) == 4 else float("inf")
    return (end, s.signing_time.timestamp() if s.signing_time else float("inf"))


def is_republisher(name: str | None) -> bool:
    folded = " ".join(strip_diacritics(name or "").lower().split())
    return any(folded.startswith(r) or f" {r}" in f" {folded}" for r in _REPUBLISHERS)


_LAST: list[tuple[DocumentEvidence, dt.tzinfo, Roles]] = []


def signature_roles(evidence: DocumentEvidence, zone: dt.tzinfo | None = None) -> Roles:
    """Which signature issues the document, which republish it or certify a copy.  Asked by
    several checks of one document: the last answer is kept (evidence is immutable)."""
    zone = zone or ZoneInfo("Asia/Ho_Chi_Minh")
    last = _LAST[0] if _LAST else None
    if last is not None and last[0] is evidence and last[1] == zone:
        return last[2]
    roles = _signature_roles(evidence, zone)
    _LAST[:] = [(evidence, zone, roles)]
    return roles


def _signature_roles(evidence: DocumentEvidence, zone: dt.tzinfo) -> Roles:
    h = evidence.header
    office = h.office
    full = f"{h.parent_office} {office}" if office and h.parent_office else office
    approvals = sorted(evidence.approval_signatures, key=revision_order)

    def names_office(s: SignatureEvidence) -> bool:
        return bool(office and s.signer and (same_office(office, s.signer) or same_office(full or office, s.signer)))

    republished = tuple(s.field for s in approvals if is_republisher(s.signer) and not names_office(s))
    stamp_time = _copy_stamp_time(h.copy_stamp, zone)
    copies = tuple(
        s.field
        for s in approvals
        if s.field in h.copy_stamped_by
        or (
            stamp_time is not None
            and s.signing_time is not None
            and s.field not in republished
            and _same_moment(stamp_time, s.signing_time.astimezone(zone))
        )
    )
    left = [s for s in approvals if s.field not in republished and s.field not in copies and s.signing_time]
    persons = [s for s in left if s.kind is SignerKind.PERSON]
    orgs = [s for s in left if s.kind is SignerKind.ORGANIZATION]
    if persons:
        first_person = revision_order(persons[0])
        orgs = [s for s in orgs if revision_order(s) > first_person] or orgs
    issuing: SignatureEvidence | None = None
    if orgs:
        stamped = [s for s in orgs if s.field in (*h.number_stamped_by, *h.date_stamped_by)]
        matching = [s for s in orgs if names_office(s)]
        issuing = (stamped or matching or orgs)[0]
    elif left:
        issuing = (persons or left)[-1]
    return Roles(issuing, republished, copies)


def attribute_office(ev: DocumentEvidence, roles: Roles) -> str | None:
    """The office of a document, in order: the issuing office printed in its header, the
    common name of its organisation signature's certificate (not a republisher's or a copy's),
    the first folder under the scanned root."""
    if ev.header.office:
        return clean_spaces(ev.header.office)
    excluded = roles.excluded()
    for s in ev.approval_signatures:
        if s.kind is SignerKind.ORGANIZATION and s.signer and s.field not in excluded:
            return clean_spaces(s.signer)
    return ev.folder_office


def office_parent(ev: DocumentEvidence, roles: Roles) -> str | None:
    """What the office belongs to, to tell same-named offices apart: the header's parent line
    where the header names the office, else the issuing organisation certificate's ``O``
    where it names a place (the ``O`` of a certificate is often the parent body)."""
    from sigaudit.offices import names_a_place

    if ev.header.office and ev.header.parent_office:
        return clean_spaces(ev.header.parent_office)
    excluded = roles.excluded()
    for s in ev.approval_signatures:
        if s.kind is SignerKind.ORGANIZATION and s.field not in excluded and s.signer_org:
            return clean_spaces(s.signer_org) if names_a_place(s.signer_org) else None
    return None


def deciding_signature(evidence: DocumentEvidence, zone: dt.tzinfo | None = None) -> SignatureEvidence | None:
    """The signature whose local date must equal the issuance date: the issuing body's
    (see ``signature_roles``).  Document timestamps, republishers and copies never decide."""
    return signature_roles(evidence, zone).issuing


def _copy_stamp_time(stamp: str | None, zone: dt.tzinfo) -> dt.datetime | dt.date | None:
    if not stamp:
        return None
    m = _COPY_STAMP_TIME.search(stamp)
    if not m:
        return None
    try:
        day = dt.date(int(m[3]), int(m[2]), int(m[1]))
        if m[4] is None:
            return day
        return dt.datetime(day.year, day.month, day.day, int(m[4]), int(m[5]), int(m[6] or 0), tzinfo=zone)
    except ValueError:
        return None


def _same_moment(stamp: dt.datetime | dt.date, signed: dt.datetime) -> bool:
    if isinstance(stamp, dt.datetime):
        return abs((signed - stamp).total_seconds()) <= 1800
    return signed.date() == stamp
