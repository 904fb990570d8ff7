"""The numbering series of an office and what breaks them: duplicated numbers, numbers out of
order with their dates, gaps.  O(n log n) in the number of documents.

Grouping (Decree 30/2020, art. 15 and appendix I): numbers run from 01 on 1 January in
issuance order, one series per issuing body and year.  A body is the office the reports
count the document for *and* the issuer abbreviation of its symbol, so councils, boards and
teams that issue in their own name (``…/BC-BCĐ``) keep their own series.  Legal normative
documents, whose symbol carries the year (``04/2012/TT-BKHCN``), are numbered apart.

Real offices also number some types apart (Quảng Ngãi's 01/TTr-UBND of 6 January,
86/QĐ-UBND of 16 January, 23/BC-UBND of 23 January and 507/UBND-KGVX of 24 January 2025;
Vĩnh Long's Sở Nội vụ's 05/BB-SNV of 8 May after 293/BC-SNV of 9 April).  So order is
judged within a type always, and across types only where the documents show one numbering
for all types (``shares_numbers``); otherwise a number out of order with another type's is
a note (``unproven``), never an error on an honest document.  Gaps are counted in each
type's range where the types are not shown to share one.
"""

from __future__ import annotations

import bisect
import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from sigaudit.register.entries import Entry

TOLERANCE_DAYS = 2
"""Days a number's date may precede a lower number's (numbers taken in a batch, a document
dated the evening before)."""


@dataclass(frozen=True)
class Series:
    office: str
    office_key: str
    year: int
    issuer: str
    legal: bool
    """Legal normative documents (a year in the symbol), numbered apart."""
    doc_type: str | None
    """Set when the office numbers this type apart ("" for công văn); None for one series."""
    entries: tuple[Entry, ...]
    """In number order."""

    @property
    def label(self) -> str:
        kind = f" {self.doc_type or 'CV'}" if self.doc_type is not None else ""
        legal = " QPPL" if self.legal else ""
        return f"{self.issuer}{legal}{kind} {self.year}"


@dataclass(frozen=True)
class Anomaly:
    """What breaks a series: ``duplicate`` (``entry`` shares its number and symbol with
    ``others``), ``out_of_order`` (``entry``'s date is ``days`` before ``others[0]``, a lower
    number, or after ``others[0]``, a higher number), ``unproven`` (for the series: documents
    out of order only with other types', where the office may number types apart — the
    first, and their count in ``count``), ``gap`` (``missing`` numbers)."""

    kind: str
    series: Series
    entry: Entry | None = None
    others: tuple[Entry, ...] = ()
    days: int = 0
    missing: tuple[tuple[int, int], ...] = ()
    later: bool = False
    """``out_of_order``: the entry is dated after a higher number (else before a lower one)."""

    @property
    def count(self) -> int:
        """``unproven``: how many documents are out of order with other types only."""
        return self.missing[0][0] if self.kind == "unproven" and self.missing else 0


def _order(e: Entry) -> tuple[int, str, int]:
    return (e.number.number, e.number.suffix, e.date.toordinal() if e.date else 0)


def group(entries: Iterable[Entry]) -> list[Series]:
    """The series the entries fall in (entries without a date are placed in none)."""
    groups: dict[tuple[str, int, str, bool], list[Entry]] = defaultdict(list)
    names: dict[str, str] = {}
    for e in entries:
        year = e.number.year or (e.date.year if e.date else None)
        if year is None or e.date is None:
            continue
        names.setdefault(e.office_key, e.office)
        groups[(e.office_key, year, e.number.issuer, e.number.year is not None)].append(e)
    out = []
    for (key, year, issuer, legal), members in sorted(groups.items(), key=lambda kv: kv[0]):
        members.sort(key=_order)
        out.append(Series(names[key], key, year, issuer, legal, None, tuple(members)))
    return out


def _kind(e: Entry) -> str:
    return e.number.doc_type or ""


def shares_numbers(members: Sequence[Entry], kept: set[int]) -> bool:
    """Whether the documents show one numbering for all types: in number order, among the
    documents that agree with each other, a type comes back after another at least twice
    (``10/KH``, ``11/BC``, ``14/KH``, ``18/BC``).  Offices that number each type apart put
    each type in a range of its own, so a type rarely comes back."""
    seen: set[str] = set()
    back = 0
    previous: str | None = None
    for i, e in enumerate(members):
        if i not in kept:
            continue
        kind = _kind(e)
        if previous is not None and kind != previous and kind in seen:
            back += 1
        seen.add(kind)
        previous = kind
    return back >= 2


def _kept(dates: Sequence[int]) -> set[int]:
    """Indexes of a longest run of non-decreasing dates (number order), keeping the lower
    numbers where two runs are as long: the documents that agree with each other."""
    n = len(dates)
    tails: list[int] = []  # values (negated dates, reversed order) ending runs of each length
    tail_at: list[int] = []
    parent = [-1] * n
    for step in range(n):
        i = n - 1 - step
        value = -dates[i]
        pos = bisect.bisect_right(tails, value)
        if pos == len(tails):
            tails.append(value)
            tail_at.append(i)
        else:
            tails[pos] = value
            tail_at[pos] = i
        parent[i] = tail_at[pos - 1] if pos else -1
    kept: set[int] = set()
    i = tail_at[-1] if tail_at else -1
    while i != -1:
        kept.add(i)
        i = parent[i]
    return kept


def _out_of_order(members: Sequence[Entry], tolerance: int) -> list[tuple[int, int, int, bool]]:
    """(index, days, index of the neighbour it contradicts, dated later) for each member
    out of order beyond ``tolerance`` days."""
    dates = [e.date.toordinal() if e.date else 0 for e in members]
    kept = _kept(dates)
    n = len(members)
    before: list[int] = [-1] * n  # index of the kept member with the latest date so far
    best = -1
    for i in range(n):
        before[i] = best
        if i in kept and (best == -1 or dates[i] > dates[best]):
            best = i
    after: list[int] = [-1] * n  # index of the kept member with the earliest date after
    best = -1
    for i in range(n - 1, -1, -1):
        after[i] = best
        if i in kept and (best == -1 or dates[i] < dates[best]):
            best = i
    out = []
    for i in range(n):
        if i in kept:
            continue
        early = dates[before[i]] - dates[i] if before[i] != -1 else 0
        late = dates[i] - dates[after[i]] if after[i] != -1 else 0
        if max(early, late) > tolerance:
            if early >= late:
                out.append((i, early, before[i], False))
            else:
                out.append((i, late, after[i], True))
    return out


def _gaps(numbers: list[int]) -> tuple[tuple[int, int], ...]:
    out = []
    for a, b in itertools.pairwise(numbers):
        if b > a + 1:
            out.append((a + 1, b - 1))
    return tuple(out)


def _duplicates(same: list[Entry]) -> list[tuple[Entry, tuple[Entry, ...]]]:
    """Each entry of one number + symbol with the other documents that carry it
    (``Entry.same_document`` decides what is one document).  Files that are all one
    document (one date and type, at most one subject) are seen as such in one pass: a
    folder of copies of one plan costs no comparison of each with each."""
    if len(same) < 2:
        return []
    subjects = {e.folded_summary for e in same if e.summary}
    if len({(e.date, e.number.doc_type) for e in same}) == 1 and len(subjects) <= 1:
        return []
    out = []
    for e in same:
        others = tuple(o for o in same if o is not e and not o.same_document(e))
        if others:
            out.append((e, others))
    return out


def analyse(entries: Iterable[Entry], tolerance_days: int = TOLERANCE_DAYS) -> list[Anomaly]:
    """Duplicates, numbers out of order, gaps: every series of ``entries``.

    Order within a type holds however an office numbers (one series, or one per type).
    Across types it holds only where the office numbers all types in one series (Decree
    30/2020) — where the documents show it (``shares_numbers``); elsewhere a number out of
    order with another type's is ``unproven`` (a note, not an error)."""
    out: list[Anomaly] = []
    for series in group(entries):
        members = series.entries
        by_key: dict[str, list[Entry]] = defaultdict(list)
        by_type: dict[str, list[int]] = defaultdict(list)
        for i, e in enumerate(members):
            by_key[e.number.key].append(e)
            by_type[_kind(e)].append(i)
        for same in by_key.values():
            out.extend(Anomaly("duplicate", series, e, others) for e, others in _duplicates(same))
        flagged: set[int] = set()
        for indexes in by_type.values():
            typed = [members[i] for i in indexes]
            for i, days, j, later in _out_of_order(typed, tolerance_days):
                flagged.add(indexes[i])
                out.append(Anomaly("out_of_order", series, typed[i], (typed[j],), days=days, later=later))
        common = len(by_type) < 2
        if not common:
            kept = _kept([e.date.toordinal() if e.date else 0 for e in members])
            common = shares_numbers(members, kept)
            across = [x for x in _out_of_order(members, tolerance_days) if x[0] not in flagged]
            if common:
                for i, days, j, later in across:
                    out.append(Anomaly("out_of_order", series, members[i], (members[j],), days=days, later=later))
            elif across:  # one note for the series: which, and how many, cannot be judged
                i, days, j, later = across[0]
                note = Anomaly("unproven", series, members[i], (members[j],), days=days, later=later)
                out.append(replace(note, missing=((len(across), len(across)),)))
        parts = [members] if common else [[members[i] for i in idx] for _, idx in sorted(by_type.items())]
        for part in parts:
            missing = _gaps(sorted({e.number.number for e in part}))
            if missing:
                typed_series = series if common else replace(series, doc_type=_kind(part[0]), entries=tuple(part))
                out.append(Anomaly("gap", typed_series, missing=missing))
    return out
