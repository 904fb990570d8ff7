"""Per-office statistics.

Offices are grouped by ``names.office_key`` (NFC, casefold, single spaces); the first
spelling met is the one shown.  Which office a document belongs to is decided in
``checks.roles.attribute_office``.
"""

from __future__ import annotations

from sigaudit.model import DocumentResult, OfficeStats, Verdict
from sigaudit.names import office_key

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
        passing=int(result.verdict is Verdict.PASS),
    )


def key_for(office: str | None) -> str | None:
    return office_key(office) if office else None
