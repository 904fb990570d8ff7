"""Markdown report: for a wiki, an e-mail or a ticket."""

from __future__ import annotations

from sigaudit.report.base import RenderedFormatter, Report
from sigaudit.report.i18n import basis_text, code_title, name_in, severity, word


def _cell(text: object) -> str:
    """Table-safe: no pipe, no line break, no HTML, no link syntax from untrusted names."""
    s = str(text)
    for old, new in (
        ("\\", "\\\\"),
        ("|", "\\|"),
        ("\n", " "),
        ("\r", " "),
        ("<", "&lt;"),
        (">", "&gt;"),
        ("[", "\\["),
        ("]", "\\]"),
        ("`", "\\`"),
        ("*", "\\*"),
        ("_", "\\_"),
    ):
        s = s.replace(old, new)
    return s


def render(report: Report, *, lang: str = "vi") -> str:
    s = report.summary()
    out = [f"# {word('report_title', lang)}", ""]
    out.append(
        f"{word('generated', lang)}: {report.generated_at.isoformat(timespec='seconds')}"
        + (f" · {word('rules', lang)}: {_cell(report.rules.name)}" if report.rules else "")
    )
    out += ["", f"## {word('summary', lang)}", "", "| | |", "|---|---:|"]
    for key in ("documents", "signed", "signed_person_and_org", "date_consistent"):
        out.append(f"| {word(key, lang)} | {s[key]} |")
    out.append(f"| {word('unreadable', lang)} | {s['errors']} |")
    sev = s["findings_by_severity"]
    out.append(
        f"| {word('errors', lang)} / {word('warnings', lang)} / {word('notes', lang)} | "
        f"{sev['error']} / {sev['warning']} / {sev['info']} |"
    )
    out.append(f"| **{word('points_lost', lang)}** | **{s['points_lost']['total']:.4g}** |")
    out += [
        "",
        f"## {word('points_lost', lang)}",
        "",
        f"| {word('area', lang)} | {word('max_points', lang)} | {word('lost', lang)} |",
        "|---|---:|---:|",
    ]
    for a in s["points_lost"]["by_area"]:
        out.append(f"| {_cell(name_in(a, lang))} | {a['max_points']:g} | {a['points_lost']:.4g} |")
    out += [
        "",
        f"## {word('deductions', lang)}",
        "",
        f"| {word('criterion', lang)} | {word('area', lang)} | {word('lost', lang)} | {word('basis', lang)} | {word('documents', lang)} |",
        "|---|---|---:|---|---:|",
    ]
    for d in report.deductions:
        out.append(
            f"| {_cell(name_in(d, lang))} | {_cell(d['area'])} | "
            f"{d['points_lost']:.4g} / {d['max_points']:g} | {_cell(basis_text(d['basis'], lang))} | {len(d['documents'])} |"
        )
    out += [
        "",
        f"## {word('offices', lang)}",
        "",
        f"| {word('office', lang)} | {word('documents', lang)} | {word('signed', lang)} | "
        f"{word('signed_person_and_org', lang)} | {word('date_consistent', lang)} |",
        "|---|---:|---:|---:|---:|",
    ]
    for o in report.offices:
        out.append(
            f"| {_cell(o.office)} | {o.documents} | {o.signed} ({o.signed_rate:.0%}) | {o.signed_person_and_org} | "
            f"{o.date_consistent} |"
        )
    out += ["", f"## {word('findings', lang)}", ""]
    for doc in report.documents:
        if not doc.findings:
            continue
        out.append(f"### {_cell(doc.path)}")
        out.append("")
        for f in doc.findings:
            out.append(
                f"- **{severity(f.severity.value, lang)}** `{f.code}` {_cell(code_title(f.code, lang))}: {_cell(f.text(lang))}"
            )
        out.append("")
    return "\n".join(out) + "\n"


class MarkdownFormat(RenderedFormatter):
    name = "md"
    extensions = (".md", ".markdown")
    help = "Markdown, for a wiki or an e-mail"
    render = staticmethod(render)
