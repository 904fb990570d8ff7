"""Points lost, computed as documents arrive: ``Deductions`` (per criterion of the rule set)
and ``OfficePoints`` (per office, each scored as if alone).  ``audit()`` feeds each finished
document to both, so a spooled report is not read again to score it; ``deductions`` and
``points_by_office`` do the same over any iterable."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from sigaudit.model import DocumentResult, Severity
from sigaudit.regularity import Months
from sigaudit.rules import RuleSet, _meets, _score


class Deductions:
    """Points lost per criterion, with the basis and the documents involved."""

    def __init__(self, rules: RuleSet, year: int | None = None) -> None:
        self.rules = rules
        self.per_criterion_docs: dict[str, list[str]] = defaultdict(list)
        self.code_counts: dict[str, Counter[str]] = defaultdict(Counter)
        self.populations: dict[str, Counter[str]] = defaultdict(Counter)  # criterion → office → documents
        self.meeting: dict[str, Counter[str]] = defaultdict(Counter)
        self.months: dict[str, Months] = defaultdict(lambda: Months(year))
        self.over_register: set[str] = set()

    def add(self, doc: DocumentResult) -> None:
        rules = self.rules
        doc_type = doc.evidence.header.doc_type
        # Only errors cost points: a warning (an annotation added in a margin, a signature
        # shown through two fields) is for people to look at, not a deduction.
        codes = {f.code for f in doc.findings if f.severity is Severity.ERROR}
        for c in rules.criteria:
            if c.kind == "evidence" or (c.doc_types and doc_type not in c.doc_types):
                continue
            if c.kind == "findings":
                hit = codes.intersection(c.codes)
                if hit:
                    self.per_criterion_docs[c.id].append(doc.path)
                    self.code_counts[c.id].update(hit)
            elif c.rate == "regular_use":
                scored = (doc.office_key or "") if c.scope == "per_office" else "*"
                self.months[c.id].add(doc, scored)
                if doc.evidence.error is None:  # the office is scored, signed this month or not
                    self.populations[c.id].setdefault(scored, 0)
            else:
                office = (doc.office_key or "") if c.scope == "per_office" else "*"
                self.populations[c.id][office] += 1
                if _meets(doc, c.rate or ""):
                    self.meeting[c.id][office] += 1
                else:
                    self.per_criterion_docs[c.id].append(doc.path)

    def use_register(self, share: Iterable[dict[str, Any]]) -> None:
        """Score the share of signed documents over the office's register (registered
        documents with a valid organisation signature / registered documents) instead of
        over the PDFs (``sigaudit.register``)."""
        registered: Counter[str] = Counter()
        signed: Counter[str] = Counter()
        for row in share:
            registered[row["office_key"]] += row["registered"]
            signed[row["office_key"]] += row["signed_org"]
        for c in self.rules.criteria:
            if c.kind != "rate" or c.rate != "signed":
                continue
            if c.scope == "per_office":
                for office in registered:
                    self.populations[c.id][office] = registered[office]
                    self.meeting[c.id][office] = signed[office]
            else:
                self.populations[c.id]["*"] = sum(registered.values())
                self.meeting[c.id]["*"] = sum(signed.values())
            self.over_register.add(c.id)

    def result(self) -> list[dict[str, Any]]:
        rules = self.rules
        per_criterion_docs, code_counts, populations, meeting = (
            self.per_criterion_docs,
            self.code_counts,
            self.populations,
            self.meeting,
        )
        for cid, m in self.months.items():
            m.fill(populations[cid], meeting[cid], list(populations[cid]))
        out = []
        for c in rules.criteria:
            if c.kind == "evidence":
                continue  # judged on a dossier (sigaudit.dossier), not on a folder of documents
            area = rules.area(c.area)
            entry: dict[str, Any] = {
                "criterion": c.id,
                "name": c.name_vi,
                "name_en": c.name_en,
                "area": c.area,
                "area_name": area.name_vi,
                "max_points": c.max_points,
            }
            if c.kind == "findings":
                n = len(per_criterion_docs[c.id])
                lost = min(c.max_points, n * c.points_per_document)
                entry["basis"] = {
                    "kind": "findings",
                    "documents": n,
                    "points_per_document": c.points_per_document,
                    "codes": dict(sorted(code_counts[c.id].items())),
                }
            else:
                offices = populations[c.id]
                total = sum(offices.values())
                rates = {o: meeting[c.id][o] / n for o, n in offices.items() if n}
                if not rates:
                    lost, rate = 0.0, None
                elif c.scope == "per_office":
                    lost = sum(_score(c, rates[o]) for o in sorted(rates)) / len(rates)  # any arrival order
                    rate = sum(meeting[c.id].values()) / total
                else:
                    rate = rates["*"]
                    lost = _score(c, rate)
                entry["basis"] = {
                    "kind": "rate",
                    "rate": c.rate,
                    "scope": c.scope,
                    "scoring": c.scoring,
                    "value": round(rate, 4) if rate is not None else None,
                    "documents": total,
                    "meeting": sum(meeting[c.id].values()),
                    "population": "register" if c.id in self.over_register else "documents",
                }
                if c.scope == "per_office":
                    entry["basis"]["by_office"] = {o: round(r, 4) for o, r in sorted(rates.items())}
            entry["points_lost"] = round(min(max(lost, 0.0), c.max_points), 4)
            entry["documents"] = sorted(per_criterion_docs[c.id])
            out.append(entry)
        return out


class OfficePoints:
    """The points each office's documents would lose on their own (office key → points):
    the same criteria, each office scored as if alone, with counters only."""

    def __init__(self, rules: RuleSet, year: int | None = None) -> None:
        self.rules = rules
        self.hits: dict[str, Counter[str]] = defaultdict(Counter)  # office → criterion → documents hit
        self.population: dict[str, Counter[str]] = defaultdict(Counter)
        self.meeting: dict[str, Counter[str]] = defaultdict(Counter)
        self.months: dict[str, Months] = defaultdict(lambda: Months(year))

    def add(self, doc: DocumentResult) -> None:
        rules = self.rules
        office = doc.office_key or ""
        codes = {f.code for f in doc.findings if f.severity is Severity.ERROR}
        doc_type = doc.evidence.header.doc_type
        for c in rules.criteria:
            if c.kind == "evidence" or (c.doc_types and doc_type not in c.doc_types):
                continue
            if c.kind == "findings":
                self.hits[office][c.id] += bool(codes.intersection(c.codes))
            elif c.rate == "regular_use":
                self.months[c.id].add(doc, office)
                if doc.evidence.error is None:
                    self.population[office].setdefault(c.id, 0)
            else:
                self.population[office][c.id] += 1
                self.meeting[office][c.id] += _meets(doc, c.rate or "")

    def result(self) -> dict[str, float]:
        rules = self.rules
        hits, population, meeting = self.hits, self.population, self.meeting
        for cid, m in self.months.items():
            for office in population:
                by_office: Counter[str] = Counter()
                signed_months: Counter[str] = Counter()
                m.fill(by_office, signed_months, [office])
                population[office][cid], meeting[office][cid] = by_office[office], signed_months[office]
        out = {}
        for office in {*hits, *population}:
            lost: Counter[str] = Counter()
            for c in rules.criteria:
                if c.kind == "evidence":
                    continue
                if c.kind == "findings":
                    points = min(c.max_points, hits[office][c.id] * c.points_per_document)
                else:
                    n = population[office][c.id]
                    points = _score(c, meeting[office][c.id] / n) if n else 0.0
                lost[c.area] += min(max(points, 0.0), c.max_points)
            out[office] = float(round(sum(min(lost[a.id], a.max_points) for a in rules.areas), 4))
        return out


def deductions(rules: RuleSet, documents: Iterable[DocumentResult]) -> list[dict[str, Any]]:
    """Points lost per criterion, with the basis and the documents involved (one pass)."""
    acc = Deductions(rules)
    for doc in documents:
        acc.add(doc)
    return acc.result()


def points_by_office(rules: RuleSet, documents: Iterable[DocumentResult]) -> dict[str, float]:
    """The points each office's documents would lose on their own (office key → points)."""
    acc = OfficePoints(rules)
    for doc in documents:
        acc.add(doc)
    return acc.result()
