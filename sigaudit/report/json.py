"""The JSON report: the contract other assessment tools import (docs/report.schema.json)."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import IO, Any, TextIO
from zoneinfo import ZoneInfo

from sigaudit.checks.judgements import cert_valid_at_signing_time, unchecked
from sigaudit.findings import byte_range_term, how_to_fix, say, term
from sigaudit.model import DocumentResult, Finding, OfficeStats, SignatureEvidence
from sigaudit.names import raw_name, shown
from sigaudit.report.base import Formatter, Report
from sigaudit.report.register import register_to_dict


def _instant(value: dt.datetime | None, zone: dt.tzinfo) -> str | None:
    return value.astimezone(zone).isoformat() if value is not None else None


def signature_to_dict(s: SignatureEvidence, zone: dt.tzinfo) -> dict[str, Any]:
    return {
        "field": s.field,
        "type": s.type.value,
        "status": s.status.value,
        "sub_filter": s.sub_filter,
        "signer": s.signer,
        "signer_org": s.signer_org,
        "signer_ids": list(s.signer_ids),
        "issuer": s.issuer,
        "kind": s.kind.value,
        "signing_time": _instant(s.signing_time, zone),
        "time_source": s.time_source.value if s.time_source else None,
        "signed_attr_time": _instant(s.signed_attr_time, zone),
        "timestamp_time": _instant(s.timestamp_time, zone),
        "pdf_time": _instant(s.pdf_time, zone),
        "timestamp_valid": s.timestamp_valid,
        "intact": s.intact,
        "valid": s.valid,
        "trusted": s.trusted,
        "trust_problem": s.trust_detail or (s.trust_problem.value if s.trust_problem else None),
        "cert_valid_at_signing_time": cert_valid_at_signing_time(s),
        "weak_algorithms": list(s.weak_algorithms),
        "coverage": s.coverage.value if s.coverage else None,
        "modification": s.modification.value if s.modification else None,
        "problem": say(s.problem, "en"),
        "problem_detail": s.problem.detail if s.problem else None,
        "byte_range": list(s.byte_range),
        "byte_range_problem": term(byte_range_term(s.byte_range_problem), "en") if s.byte_range_problem else None,
        "shared_with": list(s.shared_with),
        "changed_fields": list(s.changed_fields),
        "changes": list(s.changes),
        "clock_skew_s": s.clock_skew_s,
        "signing_time_problem": say(s.signing_time_problem, "en"),
    }


def finding_to_dict(f: Finding) -> dict[str, Any]:
    out: dict[str, Any] = {"code": f.code, "severity": f.severity.value, "message": f.message}
    if f.message_vi:
        out["message_vi"] = f.message_vi
    if f.signature is not None:
        out["signature"] = f.signature
    out["fix"] = how_to_fix(f.code, "en")
    out["fix_vi"] = how_to_fix(f.code, "vi")
    return out


def document_to_dict(d: DocumentResult, zone: dt.tzinfo) -> dict[str, Any]:
    ev, h = d.evidence, d.evidence.header
    return {
        "path": shown(ev.path),
        "sha256": ev.sha256,
        "size": ev.size,
        "error": {
            "code": ev.error.code,
            "message": say(ev.error.problem, "en"),
            "message_vi": say(ev.error.problem, "vi"),
            "detail": ev.error.problem.detail,
        }
        if ev.error
        else None,
        "raw_path": raw_name(ev.path),
        "office": d.office,
        "parent_office": h.parent_office,
        "number": h.number,
        "doc_type": h.doc_type,
        "issuance_place": h.issuance_place,
        "issuance_date": h.issuance_date.isoformat() if h.issuance_date else None,
        "issuance_month": h.issuance_month,
        "signing_date": d.signing_date.isoformat() if d.signing_date else None,
        "has_text": h.has_text,
        "title": h.title,
        "title_type": h.title_type,
        "subject": h.subject,
        "encoding": h.encoding,
        "header_office": h.office,
        "header_source": h.source,
        "header_confidence": {field: value for field, value in h.confidence},
        "illegible": list(h.illegible),
        "ocr_status": say(h.ocr_status, "en"),
        "stamp_times": [{"signature": field, "time": value} for field, value in h.stamp_times],
        "number_stamped_by": list(h.number_stamped_by),
        "date_stamped_by": list(h.date_stamped_by),
        "issued_by": d.issued_by,
        "republished_by": list(d.republished_by),
        "copy_certified_by": list(d.copy_certified_by),
        "lenient_parse": ev.lenient_parse,
        "trailing_bytes": ev.trailing_bytes,
        "signed": d.signed,
        "signed_person_and_org": d.signed_person_and_org,
        "date_consistent": d.date_consistent,
        "verdict": d.verdict.value,
        "unchecked": [f.code for f in unchecked(d.findings)],
        "signatures": [signature_to_dict(s, zone) for s in ev.signatures],
        "findings": [finding_to_dict(f) for f in d.findings],
    }


def office_to_dict(o: OfficeStats) -> dict[str, Any]:
    return {
        "office": o.office,
        "documents": o.documents,
        "signed": o.signed,
        "signed_person_and_org": o.signed_person_and_org,
        "date_consistent": o.date_consistent,
        "passing": o.passing,
        "points_lost": o.points_lost,
        "months_without_signed": list(o.months_without_signed),
        "signed_rate": round(o.signed_rate, 4),
    }


def _report_dict(report: Report, documents: Any) -> dict[str, Any]:
    return {
        "schema_version": report.schema_version,
        "generated_at": report.generated_at.isoformat(timespec="seconds"),
        "tool": {"name": "sigaudit", "version": report.tool_version},
        "settings": report.settings.to_json(),
        "documents": documents,
        "offices": [office_to_dict(o) for o in report.offices],
        "rules": {"name": report.rules.name, "version": report.rules.version, "source": report.rules.source}
        if report.rules
        else None,
        "deductions": list(report.deductions),
        "statistics": report.statistics(),
        "summary": report.summary(),
        "criteria": list(getattr(report, "criteria", ())),
        "dossier": getattr(report, "dossier", None),
        "register": register_to_dict(report),
    }


def report_to_dict(report: Report) -> dict[str, Any]:
    zone = ZoneInfo(report.settings.tz)
    return _report_dict(report, [document_to_dict(d, zone) for d in report.documents])


_SLOT = "\x00documents\x00"


def write(report: Report, fh: TextIO, *, indent: int | None = 2) -> None:
    """Write the report as JSON, one document at a time (the same text as ``dumps``).

    With ``indent`` the report is indented but each document is one line: tools read it
    the same, a person still finds one document per line, and the documents (nearly all
    of the text) go through the json module's C encoder, which does not indent."""
    zone = ZoneInfo(report.settings.tz)
    text = json.dumps(_report_dict(report, _SLOT), ensure_ascii=False, indent=indent)
    prefix, suffix = text.split(json.dumps(_SLOT), 1)
    fh.write(prefix + "[")
    pad = "\n" + " " * (2 * indent) if indent is not None else ""
    first = True
    for doc in report.documents:
        fh.write(("" if first else ",") + pad + json.dumps(document_to_dict(doc, zone), ensure_ascii=False))
        first = False
    if not first and indent is not None:
        fh.write("\n" + " " * indent)
    fh.write("]" + suffix + "\n")


def dumps(report: Report, *, indent: int | None = 2) -> str:
    buf = io.StringIO()
    write(report, buf, indent=indent)
    return buf.getvalue()


class JsonFormat(Formatter):
    name = "json"
    extensions = (".json",)
    help = "the whole audit for other tools (docs/report.schema.json)"
    help_vi = "toàn bộ kết quả cho công cụ khác (docs/report.schema.json)"

    def write(self, report: Report, stream: IO[Any], lang: str) -> None:
        write(report, stream)
