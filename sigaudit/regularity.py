"""Regular use of digital signatures ("chữ ký số … chưa thường xuyên"): the months of a
period with at least one validly signed document, per office (the ``regular_use`` rate)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from sigaudit.model import DocumentResult


class Months:
    """``regular_use``: the months of the period with at least one validly signed document,
    per office.  The period runs from the first to the last month any document names."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.signed: dict[str, set[str]] = defaultdict(set)

    def add(self, doc: DocumentResult, office: str) -> None:
        day = doc.evidence.header.issuance_date or doc.signing_date
        if day is None:
            return
        month = f"{day.year:04d}-{day.month:02d}"
        self.seen.add(month)
        if doc.signed:
            self.signed[office].add(month)

    def period(self) -> list[str]:
        if not self.seen:
            return []
        first, last = min(self.seen), max(self.seen)
        out, (y, m) = [], (int(first[:4]), int(first[5:]))
        while f"{y:04d}-{m:02d}" <= last:
            out.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out

    def fill(self, population: Counter[str], meeting: Counter[str], offices: Iterable[str]) -> None:
        """Months as the population of the rate, in place of documents."""
        period = set(self.period())
        for office in offices:
            population[office] = len(period)
            signed = self.signed[office] if office != "*" else set().union(*self.signed.values())
            meeting[office] = len(signed & period)

    def without(self, office: str) -> list[str]:
        return [m for m in self.period() if m not in self.signed[office]]
