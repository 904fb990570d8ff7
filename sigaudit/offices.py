"""Office attribution and per-office statistics.

The office of a document is, in order: the issuing office printed in its header, the
common name of its organisation signature's certificate, the first folder under the
scanned root.  Offices are grouped by ``names.office_key`` (NFC, casefold, single spaces);
the first spelling met is the one shown.
"""

from __future__ import annotations

from sigaudit.model import DocumentEvidence, DocumentResult, OfficeStats, SignerKind
from sigaudit.names import clean_spaces, office_key


def attribute_office(ev: DocumentEvidence) -> str | None:
    if ev.header.office:
        return clean_spaces(ev.header.office)
    from sigaudit.checks import signature_roles

    excluded = signature_roles(ev).excluded()
    for s in ev.approval_signatures:
        if s.kind is SignerKind.ORGANIZATION and s.signer and s.field not in excluded:
            return clean_spaces(s.signer)
    return ev.folder_office


UNATTRIBUTED = "(unattributed)"


def office_stats(result: DocumentResult) -> OfficeStats:
    """One document's contribution to its office's row; documents with no office at all
    share one row, "(unattributed)" (key "")."""
    attributed = result.office is not None and result.office_key is not None
    return OfficeStats(
        office=result.office if attributed else UNATTRIBUTED,  # type: ignore[arg-type]
        key=result.office_key if attributed else "",  # type: ignore[arg-type]
        documents=1,
        signed=int(result.signed),
        signed_person_and_org=int(result.signed_person_and_org),
        date_consistent=int(result.date_consistent),
    )


def key_for(office: str | None) -> str | None:
    return office_key(office) if office else None
