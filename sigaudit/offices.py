"""Office attribution and per-office statistics.

The office of a document is, in order: the issuing office printed in its header, the
common name of its organisation signature's certificate, the first folder under the
scanned root.  Offices are grouped by ``names.office_key`` (NFC, casefold, single spaces);
the first spelling met is the one shown.
"""

from __future__ import annotations

from collections.abc import Iterable

from sigaudit.model import DocumentEvidence, DocumentResult, OfficeStats, SignerKind
from sigaudit.names import clean_spaces, office_key


def attribute_office(ev: DocumentEvidence) -> str | None:
    if ev.header.office:
        return clean_spaces(ev.header.office)
    for s in ev.approval_signatures:
        if s.kind is SignerKind.ORGANIZATION and s.signer:
            return clean_spaces(s.signer)
    return ev.folder_office


def office_stats(result: DocumentResult) -> OfficeStats | None:
    if result.office is None or result.office_key is None:
        return None
    return OfficeStats(
        office=result.office,
        key=result.office_key,
        documents=1,
        signed=int(result.signed),
        signed_person_and_org=int(result.signed_person_and_org),
        date_consistent=int(result.date_consistent),
    )


UNATTRIBUTED = "(unattributed)"


def aggregate(results: Iterable[DocumentResult]) -> tuple[OfficeStats, ...]:
    """Sum per office.  Documents with no office at all are counted under one row."""
    by_key: dict[str, OfficeStats] = {}
    for result in results:
        stats = office_stats(result) or OfficeStats(
            office=UNATTRIBUTED, key="", documents=1, signed=int(result.signed),
            signed_person_and_org=int(result.signed_person_and_org), date_consistent=int(result.date_consistent),
        )
        current = by_key.get(stats.key)
        by_key[stats.key] = current.merge(stats) if current else stats
    return tuple(sorted(by_key.values(), key=lambda s: (s.key == "", s.key)))


def key_for(office: str | None) -> str | None:
    return office_key(office) if office else None
