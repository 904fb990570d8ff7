"""A plain-text summary for a terminal or a log."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sigaudit.model import Severity

if TYPE_CHECKING:
    from sigaudit.audit import AuditReport

# C0/C1 controls and the bidi overrides/isolates: untrusted names must not drive the terminal.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def safe(text: object) -> str:
    return _UNSAFE.sub("?", str(text))


def verdict(report: AuditReport) -> str:
    s = report.summary()
    sev = s["findings_by_severity"]
    return (
        f"{s['documents']} document(s): {s['signed']} signed, {s['signed_person_and_org']} signed by person and "
        f"organisation, {s['date_consistent']} with matching dates, {s['errors']} unreadable; "
        f"findings: {sev['error']} error(s), {sev['warning']} warning(s), {sev['info']} note(s)."
    )


def render(report: AuditReport) -> str:
    lines: list[str] = []
    for doc in report.documents:
        worst = doc.worst_severity()
        mark = {Severity.ERROR: "FAIL", Severity.WARNING: "WARN", Severity.INFO: "ok  ", None: "ok  "}[worst]
        h = doc.evidence.header
        facts = ", ".join(
            x for x in (
                safe(h.number) if h.number else None,
                h.issuance_date.isoformat() if h.issuance_date else None,
                safe(doc.office) if doc.office else None,
            ) if x
        )
        lines.append(f"{mark} {safe(doc.path)}" + (f"  [{facts}]" if facts else ""))
        for f in doc.findings:
            lines.append(f"     {f.severity.value:<7} {f.code}: {safe(f.message)}")
    lines.append("")
    lines.append("Offices:")
    for o in report.offices:
        lines.append(
            f"  {safe(o.office)}: {o.documents} document(s), {o.signed} signed ({o.signed_rate:.0%}), "
            f"{o.signed_person_and_org} person+organisation, {o.date_consistent} date-consistent"
        )
    lines.append("")
    lines.append(verdict(report))
    return "\n".join(lines) + "\n"
