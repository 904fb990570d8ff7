"""Markdown report: for a wiki, an e-mail or a ticket."""

from __future__ import annotations

from sigaudit.findings import how_to_fix
from sigaudit.names import shown
from sigaudit.report.base import RenderedFormatter, Report
from sigaudit.report.i18n import (
    basis_text,
    code_title,
    criterion_rows,
    dossier_notes,
    instant_text,
    issued_text,
    name_in,
    number,
    number_text,
    office_names,
    severity,
    word,
)
from sigaudit.report.register import register_notes, share_lines


def _cell(text: object) -> str:
    """Table-safe: no pipe, no line break, no HTML, no link syntax from untrusted names."""
    s = shown(str(text))
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


def _rows(header: list[str], aligns: str, rows: list[list[object]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---:" if a == "r" else "---" for a in aligns) + "|"]
    out += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return out


def render(report: Report, *, lang: str = "vi") -> str:
    s = report.summary()
    office = office_names(report, lang)
    n = lambda value: number(value, lang)  # noqa: E731
    out = [f"# {word('report_title', lang)}", ""]
    out.append(
        f"{word('generated', lang)}: {instant_text(report.generated_at, lang)}"
        + (f" · {word('rules', lang)}: {_cell(report.rules.name)}" if report.rules else "")
    )
    if not report.settings.trust:
        out += ["", f"> **{word('chain_not_checked', lang)}**"]
    out += ["", f"## {word('summary', lang)}", ""]
    sev = s["findings_by_severity"]
    summary_rows = [
        [word(key, lang), s[key]]
        for key in ("documents", "passing", "signed", "signed_person_and_org", "date_consistent")
    ]
    summary_rows += [
        [word("unreadable", lang), s["errors"]],
        [f"{word('errors', lang)} / {word('warnings', lang)} / {word('notes', lang)}",
         f"{sev['error']} / {sev['warning']} / {sev['info']}"],
        [word("points_lost", lang), n(s["points_lost"]["total"])],
    ]  # fmt: skip
    out += _rows(["", ""], "lr", summary_rows)
    rows = criterion_rows(report, lang)
    if rows:
        out += ["", f"## {word('criteria', lang)}", ""]
        heads = [word(k, lang) for k in ("criterion", "title", "status", "lost", "reasons", "documents")]
        out += _rows(heads, "lllrll", [list(r) for r in rows])
        out += [f"- {_cell(note)}" for note in dossier_notes(report, lang)]
    notes, shares = register_notes(report), share_lines(report, lang)
    if notes or shares:
        out += ["", f"## {word('sheet_register', lang)}", ""]
        out += [
            f"- **{severity(r.finding.severity.value, lang)}** `{r.finding.code}` {_cell(r.finding.text(lang))}"
            for r in notes
        ]
        out += [f"- {_cell(line)}" for line in shares]
    out += ["", f"## {word('points_lost', lang)}", ""]
    out += _rows(
        [word("area", lang), word("max_points", lang), word("lost", lang)],
        "lrr",
        [[name_in(a, lang), n(a["max_points"]), n(a["points_lost"])] for a in s["points_lost"]["by_area"]],
    )
    out += ["", f"## {word('deductions', lang)}", ""]
    out += _rows(
        [word(k, lang) for k in ("criterion", "lost", "basis", "documents")],
        "lrlr",
        [
            [name_in(d, lang), f"{n(d['points_lost'])} / {n(d['max_points'])}", basis_text(d["basis"], lang),
             len(d["documents"])]
            for d in report.deductions
        ],
    )  # fmt: skip
    out += ["", f"## {word('offices', lang)}", ""]
    keys = ("office", "documents", "signed", "signed_person_and_org", "date_consistent", "passing", "points_lost")
    out += _rows(
        [word(k, lang) for k in keys],
        "lrrrrrr",
        [
            [o.office if o.key else word("unattributed", lang), o.documents, f"{o.signed} ({o.signed_rate:.0%})",
             o.signed_person_and_org, o.date_consistent, o.passing, n(o.points_lost)]
            for o in report.offices
        ],
    )  # fmt: skip
    out += ["", f"## {word('documents', lang)}", ""]
    out += _rows(
        [word(k, lang) for k in ("path", "number", "issuance_date", "office", "verdict")],
        "lllll",
        [
            [shown(d.path), number_text(d.evidence.header, lang) or "", issued_text(d.evidence.header, lang) or "",
             office(d), word(d.verdict.value, lang)]
            for d in report.documents
        ],
    )  # fmt: skip
    out += ["", f"## {word('findings', lang)}", ""]
    for doc in report.documents:
        if not doc.findings:
            continue
        out.append(f"### {_cell(shown(doc.path))} — {word(doc.verdict.value, lang)}")
        out.append("")
        for f in doc.findings:
            out.append(
                f"- **{severity(f.severity.value, lang)}** `{f.code}` {_cell(code_title(f.code, lang))}: "
                f"{_cell(f.text(lang))}  \n  → {word('fix', lang)}: {_cell(how_to_fix(f.code, lang))}"
            )
        out.append("")
    return "\n".join(out) + "\n"


class MarkdownFormat(RenderedFormatter):
    name = "md"
    extensions = (".md", ".markdown")
    help = "Markdown, for a wiki or an e-mail"
    help_vi = "Markdown, cho wiki hoặc thư điện tử"
    render = staticmethod(render)
