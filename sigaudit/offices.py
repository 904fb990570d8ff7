"""Per-office statistics, and what identifies an office.

An office is its name and, where the name does not say where it is, its parent: the Sở Nội
vụ of three provinces are three offices, "SỞ NỘI VỤ (UBND TỈNH LÂM ĐỒNG)" and the others
(``qualified``).  The parent is the header's parent line, else the organisation
certificate's ``O`` where it names a place.  A name with an administrative unit in it
("ỦY BAN NHÂN DÂN TỈNH BẮC GIANG", "SỞ NỘI VỤ TỈNH GIA LAI") stands alone.

Offices are grouped by ``names.office_key`` of that (NFC, casefold, single spaces,
abbreviations written out); the row shows the spelling the headers print, the most used
(``tally.Tally._name``), whatever order the documents come in.  Which office a
document belongs to is decided in ``checks.roles.attribute_office``.
"""

from __future__ import annotations

import re

from sigaudit.model import DocumentResult, OfficeStats, Verdict
from sigaudit.names import clean_spaces, office_key

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


_PLACE = re.compile(r"\b(tỉnh|thành phố|huyện|quận|thị xã|thị trấn|xã|phường|đặc khu)\b")


def names_a_place(name: str) -> bool:
    """Whether an office name says where the office is (an administrative unit in it)."""
    return bool(_PLACE.search(office_key(name)))


def qualified(office: str | None, parent: str | None) -> str | None:
    """The office as it is identified: its name, with its parent where the name alone does
    not say where it is."""
    if not office or not parent or names_a_place(office):
        return office
    parent = clean_spaces(parent)
    if office_key(parent) == office_key(office):
        return office
    return f"{office} ({parent})"
