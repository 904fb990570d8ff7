"""Regular use of digital signatures ("chữ ký số … chưa thường xuyên"): the months of a
period with at least one validly signed document, per office (the ``regular_use`` rate)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from sigaudit.evidence.page.ocr import CONFIDENT
from sigaudit.model import DocumentResult


class Months:
    """``regular_use``: the months of the assessment period with at least one validly
    signed document, per office.

    The period is the year assessed when one is given (``year``), else each office's own
    range, from the first to the last month its documents name (one office's old or
    misread date never stretches another's).  A date read by OCR without confidence
    never places a document in a month: the signing date does, else nothing."""

    def __init__(self, year: int | None = None) -> None:
        self.year = year
        self.seen: dict[str, set[str]] = defaultdict(set)
        self.signed: dict[str, set[str]] = defaultdict(set)

    def add(self, doc: DocumentResult, office: str) -> None:
        header = doc.evidence.header
        printed = header.issuance_date if (header.confidence_for("issuance_date") or 0) >= CONFIDENT else None
        day = printed or doc.signing_date
        if day is None or (self.year is not None and day.year != self.year):
            return
        month = f"{day.year:04d}-{day.month:02d}"
        self.seen[office].add(month)
        if doc.signed:
            self.signed[office].add(month)

    def period(self, office: str) -> list[str]:
        if self.year is not None:
            return [f"{self.year:04d}-{m:02d}" for m in range(1, 13)]
        seen = set().union(*self.seen.values()) if office == "*" else self.seen.get(office, set())
        if not seen:
            return []
        first, last = min(seen), max(seen)
        out, (y, m) = [], (int(first[:4]), int(first[5:]))
        while f"{y:04d}-{m:02d}" <= last:
            out.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out

    def fill(self, population: Counter[str], meeting: Counter[str], offices: Iterable[str]) -> None:
        """Months as the population of the rate, in place of documents."""
        for office in offices:
            period = set(self.period(office))
            population[office] = len(period)
            signed = self.signed[office] if office != "*" else set().union(*self.signed.values())
            meeting[office] = len(signed & period)

    def without(self, office: str) -> list[str]:
        return [m for m in self.period(office) if m not in self.signed[office]]
