"""Deduction rules of the administrative-reform index, as data (TOML, docs/rules.md).

A rule set declares areas (id, names, maximum points) and criteria of two kinds:

- ``findings``: each document with one of the given finding codes costs
  ``points_per_document``, up to the criterion's ``max_points``;
- ``rate``: a measured share of documents (``signed``, ``signed_person_and_org``,
  ``date_consistent``), over all documents or per office (then averaged), scored by
  thresholds or proportionally.

Rule sets are validated when loaded; every error names the criterion and says what is
wrong.  The default profile ships in ``sigaudit/data/rules/default.toml``.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from sigaudit.errors import UsageError
from sigaudit.model import DocumentResult

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

RATES = ("signed", "signed_person_and_org", "date_consistent", "regular_use")
SCOPES = ("overall", "per_office")
SCORINGS = ("thresholds", "proportional")


class RuleError(UsageError):
    """A rule set that cannot be used, with the reason."""


@dataclass(frozen=True)
class Area:
    id: str
    name_vi: str
    name_en: str
    max_points: float


@dataclass(frozen=True)
class Threshold:
    at_least: float
    lose: float


@dataclass(frozen=True)
class Criterion:
    id: str
    area: str
    name_vi: str
    name_en: str
    max_points: float
    kind: str
    codes: tuple[str, ...] = ()
    points_per_document: float = 0.0
    rate: str | None = None
    scope: str = "overall"
    scoring: str = "thresholds"
    thresholds: tuple[Threshold, ...] = ()
    doc_types: tuple[str, ...] = ()
    """Only documents whose symbol has one of these types (empty: all documents)."""
    title_contains: tuple[str, ...] = ()
    """Evidence: the title and subject must contain one of these (after folding diacritics)."""
    issued_by: str = "self"
    """Evidence: "self" (the dossier's office), "any", or an office name."""
    min_documents: int = 1
    """Evidence: how many acceptable documents the criterion needs (per period, if periodic)."""
    due: str | None = None
    """Evidence: the deadline, relative to the dossier's year ("{year-1}-12-31")."""
    periods: str | None = None
    """Evidence: "quarter" or "half": one document per period, each due ``period_due_days``
    after the period ends."""
    period_due_days: int = 0
    window: tuple[str, str] = ("{year}-01-01", "{year}-12-31")
    """Evidence: the issuance dates the criterion accepts (``from``/``to`` keys)."""


@dataclass(frozen=True)
class RuleSet:
    name: str
    version: str
    areas: tuple[Area, ...]
    criteria: tuple[Criterion, ...] = field(default_factory=tuple)
    source: str = "default"

    def area(self, area_id: str) -> Area:
        return next(a for a in self.areas if a.id == area_id)


def default_rules() -> RuleSet:
    text = resources.files("sigaudit").joinpath("data/rules/default.toml").read_text(encoding="utf-8")
    return parse_rules(text, source="default")


def load_rules(path: str | Path) -> RuleSet:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise RuleError(key="rules_unreadable", path=str(path), reason=exc.strerror or exc) from exc
    return parse_rules(text, source=str(path))


def _where(kind: str, source: str, ident: str | None = None) -> Any:
    """Where in a rule set an error is, in the reader's language (a registry term)."""
    from sigaudit.findings import Term

    return Term.of(f"usage.rules.where.{kind}", source=source, id=ident)


def _keys(table: dict[str, Any], allowed: set[str], where: Any) -> None:
    unknown = set(table) - allowed
    if unknown:
        raise RuleError(key="rules.unknown_keys", where=where, keys=", ".join(sorted(unknown)))


def _number(value: Any, where: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RuleError(key="rules.not_number", where=where, what=what, value=repr(value))
    if value < 0:
        raise RuleError(key="rules.negative", where=where, what=what, value=value)
    return float(value)


def _text(table: dict[str, Any], key: str, where: Any) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise RuleError(key="rules.required", where=where, name=key)
    return value


def parse_rules(text: str, *, source: str = "<text>") -> RuleSet:
    from sigaudit.evidence.page.numbers import DOC_TYPES
    from sigaudit.findings import CODES

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(key="rules.toml", source=source, detail=str(exc)) from exc
    _keys(data, {"ruleset", "area", "criterion"}, source)
    head = data.get("ruleset", {})
    _keys(head, {"name", "version"}, _where("ruleset", source))
    areas: list[Area] = []
    for i, raw in enumerate(data.get("area", [])):
        where = _where("area", source, f"#{i + 1}")
        _keys(raw, {"id", "name_vi", "name_en", "max_points"}, where)
        area = Area(
            _text(raw, "id", where),
            _text(raw, "name_vi", where),
            _text(raw, "name_en", where),
            _number(raw.get("max_points"), where, "max_points"),
        )
        if any(a.id == area.id for a in areas):
            raise RuleError(key="rules.area_twice", where=where, id=area.id)
        areas.append(area)
    if not areas:
        raise RuleError(key="rules.no_area", where=source)
    criteria: list[Criterion] = []
    spent: Counter[str] = Counter()
    for i, raw in enumerate(data.get("criterion", [])):
        where = _where("criterion", source, str(raw.get("id", f"#{i + 1}")))
        _keys(
            raw,
            {
                "id",
                "area",
                "name_vi",
                "name_en",
                "max_points",
                "kind",
                "codes",
                "points_per_document",
                "rate",
                "scope",
                "scoring",
                "thresholds",
                "doc_types",
                "title_contains",
                "issued_by",
                "min_documents",
                "due",
                "periods",
                "period_due_days",
                "from",
                "to",
            },
            where,
        )
        cid = _text(raw, "id", where)
        if any(c.id == cid for c in criteria):
            raise RuleError(key="rules.criterion_twice", where=where)
        area_id = _text(raw, "area", where)
        if area_id not in {a.id for a in areas}:
            raise RuleError(key="rules.unknown_area", where=where, id=area_id, areas=", ".join(a.id for a in areas))
        max_points = _number(raw.get("max_points"), where, "max_points")
        kind = raw.get("kind")
        doc_types = tuple(raw.get("doc_types", ()))
        for t in doc_types:
            if t not in DOC_TYPES:
                raise RuleError(key="rules.unknown_type", where=where, type=t)
        common = dict(
            id=cid,
            area=area_id,
            name_vi=_text(raw, "name_vi", where),
            name_en=_text(raw, "name_en", where),
            max_points=max_points,
            kind=str(kind),
            doc_types=doc_types,
        )
        if kind == "findings":
            codes = tuple(raw.get("codes", ()))
            if not codes:
                raise RuleError(key="rules.no_codes", where=where)
            for code in codes:
                if code not in CODES:
                    raise RuleError(key="rules.unknown_code", where=where, code=code)
            criterion = Criterion(
                **common,
                codes=codes,
                points_per_document=_number(raw.get("points_per_document"), where, "points_per_document"),
            )
        elif kind == "rate":
            rate, scope, scoring = raw.get("rate"), raw.get("scope", "overall"), raw.get("scoring", "thresholds")
            if rate not in RATES:
                raise RuleError(
                    key="rules.choice", where=where, name="rate", choices=", ".join(RATES), value=repr(rate)
                )
            if scope not in SCOPES:
                raise RuleError(
                    key="rules.choice", where=where, name="scope", choices=", ".join(SCOPES), value=repr(scope)
                )
            if scoring not in SCORINGS:
                raise RuleError(
                    key="rules.choice", where=where, name="scoring", choices=", ".join(SCORINGS), value=repr(scoring)
                )
            thresholds = []
            for t in raw.get("thresholds", ()):
                _keys(t, {"at_least", "lose"}, where)
                at_least = _number(t.get("at_least"), where, "at_least")
                lose = _number(t.get("lose"), where, "lose")
                if at_least > 1:
                    raise RuleError(key="rules.share", where=where, value=at_least)
                if lose > max_points:
                    raise RuleError(key="rules.threshold_over", where=where, lose=lose, max=max_points)
                thresholds.append(Threshold(at_least, lose))
            if scoring == "thresholds":
                if not thresholds:
                    raise RuleError(key="rules.no_thresholds", where=where)
                if min(t.at_least for t in thresholds) > 0:
                    raise RuleError(key="rules.thresholds_from_zero", where=where)
            criterion = Criterion(
                **common,
                rate=rate,
                scope=scope,
                scoring=scoring,
                thresholds=tuple(sorted(thresholds, key=lambda t: -t.at_least)),
            )
        elif kind == "evidence":
            criterion = _evidence_criterion(raw, common, where)
        else:
            raise RuleError(key="rules.kind", where=where, value=repr(kind))
        spent[area_id] += max_points
        criteria.append(criterion)
    for area in areas:
        if spent[area.id] > area.max_points + 1e-9:
            raise RuleError(
                key="rules.area_over", where=source, id=area.id, spent=f"{spent[area.id]:g}", max=f"{area.max_points:g}"
            )
    return RuleSet(
        name=str(head.get("name", source)),
        version=str(head.get("version", "")),
        areas=tuple(areas),
        criteria=tuple(criteria),
        source=source,
    )


# --------------------------------------------------------------------------- scoring


def _evidence_criterion(raw: dict[str, Any], common: dict[str, Any], where: Any) -> Criterion:
    """A criterion judged on a dossier's evidence (docs/rules.md, "evidence")."""
    periods = raw.get("periods")
    if periods not in (None, "quarter", "half"):
        raise RuleError(key="rules.choice", where=where, name="periods", choices="quarter, half", value=repr(periods))
    texts = raw.get("title_contains", [])
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        raise RuleError(key="rules.not_list", where=where, name="title_contains")
    window = (str(raw.get("from", "{year}-01-01")), str(raw.get("to", "{year}-12-31")))
    for template in (*window, *([raw["due"]] if "due" in raw else [])):
        try:
            dated(str(template), 2020)
        except ValueError as exc:
            raise RuleError(key="rules.date", where=where, value=repr(template)) from exc
    return Criterion(
        **common,
        title_contains=tuple(texts),
        issued_by=str(raw.get("issued_by", "self")),
        min_documents=int(_number(raw.get("min_documents", 1), where, "min_documents")),
        due=str(raw["due"]) if "due" in raw else None,
        periods=periods,
        period_due_days=int(_number(raw.get("period_due_days", 0), where, "period_due_days")),
        window=window,
    )


def dated(template: str, year: int) -> dt.date:
    """``"{year-1}-12-31"`` for 2021 → 2020-12-31 (``{year}``, ``{year-N}``, ``{year+N}``)."""

    def value(m: re.Match[str]) -> str:
        return str(year + int(m.group(1) or 0))

    return dt.date.fromisoformat(re.sub(r"\{year([+-]\d+)?\}", value, template))


def _meets(doc: DocumentResult, rate: str) -> bool:
    return bool(getattr(doc, rate))


def _score(criterion: Criterion, rate: float) -> float:
    if criterion.scoring == "proportional":
        return round(criterion.max_points * (1.0 - rate), 4)
    for t in criterion.thresholds:
        if rate + 1e-12 >= t.at_least:
            return t.lose
    return criterion.max_points


def points_by_area(rules: RuleSet, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    lost: Counter[str] = Counter()
    for e in entries:
        lost[e["area"]] += e["points_lost"]
    return [
        {
            "area": a.id,
            "name": a.name_vi,
            "name_en": a.name_en,
            "max_points": a.max_points,
            "points_lost": round(min(lost[a.id], a.max_points), 4),
        }
        for a in rules.areas
    ]
