"""Running totals of an audit, and a spool that keeps finished documents on disk.

A report over hundreds of thousands of documents must not hold them all in memory: the
CLI adds each result to a ``Tally`` (counts, offices, worst severity — a few kilobytes) and
to a ``SpooledDocuments`` (a temporary file plus a small index), then writes the report
by reading the spool back in path order.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from sigaudit.model import DocumentResult, OfficeStats, Verdict
from sigaudit.names import collation_key
from sigaudit.offices import office_stats


def office_order(name: str, key: str) -> tuple[bool, tuple[tuple[int, ...], tuple[int, ...]], str]:
    """Sort key of an office row: Vietnamese collation, the unattributed row ("" key) last."""
    return (key == "", collation_key(name), key)


class Tally:
    """Counts that a report's summary and office table are made of; ``add`` is O(1)."""

    def __init__(self) -> None:
        self.documents = 0
        self.errors = 0
        self.signed = 0
        self.signed_person_and_org = 0
        self.date_consistent = 0
        self.passing = 0
        self.verdicts: Counter[str] = Counter()
        self.severities: Counter[str] = Counter()
        self.codes: Counter[str] = Counter()
        self.worst_rank = 0
        self.accepted = 0
        """Findings left out because a baseline accepts them."""
        self._offices: dict[str, OfficeStats] = {}
        self._spellings: dict[str, Counter[tuple[int, str]]] = {}
        self._stats: dict[tuple[str, str, str], list[int]] = {}

    def add(self, result: DocumentResult) -> None:
        self.documents += 1
        self.errors += result.evidence.error is not None
        self.signed += result.signed
        self.signed_person_and_org += result.signed_person_and_org
        self.date_consistent += result.date_consistent
        self.passing += result.verdict is Verdict.PASS
        self.verdicts[result.verdict.value] += 1
        for f in result.findings:
            self.severities[f.severity.value] += 1
            self.codes[f.code] += 1
            self.worst_rank = max(self.worst_rank, f.severity.rank)
        stats = office_stats(result)
        current = self._offices.get(stats.key)
        self._offices[stats.key] = current.merge(stats) if current else stats
        # printed in a header (0) before a certificate's or a folder's spelling (1)
        printed = 0 if result.evidence.header.office else 1
        self._spellings.setdefault(stats.key, Counter())[(printed, stats.office)] += 1
        header = result.evidence.header
        day = header.issuance_date or result.signing_date
        key = (stats.key, day.strftime("%Y-%m") if day else "", header.doc_type or "")
        row = self._stats.setdefault(key, [0, 0, 0, 0, 0])
        row[0] += 1
        row[1] += result.signed
        row[2] += result.signed_person_and_org
        row[3] += result.date_consistent
        row[4] += result.verdict is Verdict.PASS

    def statistics(self) -> list[dict[str, Any]]:
        """What an office files: documents per office × month × type, signed, signed by
        person and organisation, date-consistent.  Month from the issuance date (else the
        signing date; "" when neither is known), type from the symbol ("" for none)."""
        names = {key: self._name(key) for key in self._offices}
        rows = sorted(self._stats.items(), key=lambda kv: (office_order(names[kv[0][0]], kv[0][0]), kv[0][1:]))
        return [
            {
                "office": names[key],
                "month": month,
                "doc_type": doc_type,
                "documents": row[0],
                "signed": row[1],
                "signed_person_and_org": row[2],
                "date_consistent": row[3],
                "passing": row[4],
            }
            for (key, month, doc_type), row in rows
        ]

    def _name(self, key: str) -> str:
        """The spelling an office is shown by: as its documents' headers print it (not a
        certificate's "Ủy ban nhân dân tỉnh …" beside the headers' "ỦY BAN NHÂN DÂN TỈNH
        …"), the most used, then the first in dictionary order — whatever order the
        documents came in."""
        spellings = self._spellings.get(key)
        if not spellings:
            return self._offices[key].office
        (_, name), _ = min(spellings.items(), key=lambda kv: (kv[0][0], -kv[1], collation_key(kv[0][1]), kv[0][1]))
        return name

    def offices(self) -> tuple[OfficeStats, ...]:
        """One row per office (one name for all its spellings), in Vietnamese dictionary
        order; documents without an office last."""
        named = [replace(o, office=self._name(o.key)) for o in self._offices.values()]
        return tuple(sorted(named, key=lambda s: office_order(s.office, s.key)))

    def summary(self) -> dict[str, Any]:
        n = self.documents
        return {
            "documents": n,
            "errors": self.errors,
            "signed": self.signed,
            "unsigned": n - self.signed,
            "signed_person_and_org": self.signed_person_and_org,
            "date_consistent": self.date_consistent,
            "passing": self.passing,
            "verdicts": {v.value: self.verdicts.get(v.value, 0) for v in Verdict},
            "signed_rate": round(self.signed / n, 4) if n else 0.0,
            "findings_by_severity": {k: self.severities.get(k, 0) for k in ("error", "warning", "info")},
            "findings_by_code": dict(sorted(self.codes.items())),
            "accepted_findings": self.accepted,
        }


class SpooledDocuments:
    """A sequence of results kept in a private temporary file; iterates in path order.

    Pickle is safe here: the file is created by this process, unnamed (``TemporaryFile``)
    and read back only by it.
    """

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="sigaudit-spool-")  # noqa: SIM115 - lives as long as the spool
        self._index: list[tuple[str, int, int]] = []
        self._sorted = True

    def append(self, result: DocumentResult) -> None:
        blob = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        offset = self._file.seek(0, os.SEEK_END)
        self._file.write(blob)
        self._index.append((result.path, offset, len(blob)))
        self._sorted = False

    def _read(self, offset: int, length: int) -> DocumentResult:
        self._file.seek(offset)
        result: DocumentResult = pickle.loads(self._file.read(length))
        return result

    def __iter__(self) -> Iterator[DocumentResult]:
        if not self._sorted:
            self._index.sort(key=lambda entry: entry[0])
            self._sorted = True
        for _, offset, length in list(self._index):
            yield self._read(offset, length)

    def __len__(self) -> int:
        return len(self._index)

    def __bool__(self) -> bool:
        return bool(self._index)

    def close(self) -> None:
        self._file.close()
