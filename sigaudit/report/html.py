"""One self-contained HTML file: summary, a chart per office, deductions, a filterable
findings table.  No CDN, no external file: it works offline and can be mailed.

Every text that comes from a document, a certificate or a file name is untrusted and goes
through ``html.escape`` (text and attributes); the filter script reads data attributes and
never builds markup from them.
"""

from __future__ import annotations

import html

from sigaudit.findings import how_to_fix
from sigaudit.names import collation_key, shown
from sigaudit.report.base import RenderedFormatter, Report
from sigaudit.report.i18n import (
    basis_text,
    code_title,
    criterion_rows,
    dossier_notes,
    instant_text,
    issued_text,
    months_text,
    name_in,
    number,
    number_text,
    office_names,
    severity,
    word,
)
from sigaudit.report.register import register_notes, share_table


def e(value: object) -> str:
    return html.escape(shown(str(value)), quote=True)


_CSS = """
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;margin:2rem;color:#1d2329;background:#fff;overflow-wrap:anywhere}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.3rem}
.cards{display:flex;flex-wrap:wrap;gap:.8rem}.card{border:1px solid #d0d7de;border-radius:8px;padding:.7rem 1rem;min-width:9rem}
.card b{display:block;font-size:1.5rem}.lost b{color:#b42318}.pass b{color:#1a7f37}
.notice{border-left:4px solid #9a6700;background:#fff8c5;padding:.6rem 1rem;margin:1rem 0}
table{border-collapse:collapse;width:100%;font-size:.92rem;table-layout:auto}
th,td{border-bottom:1px solid #eaeef2;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa;overflow-wrap:normal}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.sev-error,.v-fail{color:#b42318;font-weight:600}.sev-warning,.v-inconclusive{color:#9a6700;font-weight:600}
.sev-info{color:#0969da}.v-pass{color:#1a7f37;font-weight:600}.fix{color:#57606a;font-size:.88rem}
.filters{display:flex;gap:1rem;flex-wrap:wrap;margin:.6rem 0}.filters label{font-size:.9rem;max-width:100%}
.filters select{max-width:100%;width:22rem}
figure{margin:0}svg{max-width:100%;height:auto}svg text{font-size:12px;font-family:inherit}.muted{color:#57606a;font-size:.85rem}
@media (max-width:700px){
  body{margin:.8rem}
  table.cards-on-phone,table.cards-on-phone tbody,table.cards-on-phone tr,table.cards-on-phone td{display:block;width:100%}
  table.cards-on-phone thead{display:none}
  table.cards-on-phone tr{border:1px solid #d0d7de;border-radius:8px;margin:.5rem 0;padding:.3rem .5rem}
  table.cards-on-phone td{border:0;padding:.15rem 0;text-align:left}
  table.cards-on-phone td::before{content:attr(data-label) ": ";font-weight:600;color:#57606a}
}
@page{size:A4;margin:15mm 12mm}
@media print{
  body{margin:0;font-size:10pt}.filters,script{display:none!important}
  tr,td,th,.card,figure{break-inside:avoid;page-break-inside:avoid}
  thead{display:table-header-group}h2{break-after:avoid;page-break-after:avoid}
  tr[hidden]{display:table-row!important}a{color:inherit;text-decoration:none}
}
"""

_JS = """
(function(){
  var rows=[].slice.call(document.querySelectorAll('#findings tbody tr'));
  var sel={office:document.getElementById('f-office'),code:document.getElementById('f-code'),severity:document.getElementById('f-severity')};
  var count=document.getElementById('f-count');
  function apply(){
    var shown=0;
    rows.forEach(function(r){
      var ok=['office','code','severity'].every(function(k){return !sel[k].value||r.getAttribute('data-'+k)===sel[k].value;});
      r.hidden=!ok; if(ok){shown++;}
    });
    count.textContent=shown;
  }
  Object.keys(sel).forEach(function(k){sel[k].addEventListener('change',apply);});
  // a link can preset the filters: report.html#code=UNSIGNED&severity=error
  (location.hash||'').replace(/^#/,'').split('&').forEach(function(part){
    var kv=part.split('='); var k=decodeURIComponent(kv[0]||''); var v=decodeURIComponent(kv[1]||'');
    if(sel[k]){ [].slice.call(sel[k].options).forEach(function(o){ if(o.value===v){ sel[k].value=v; } }); }
  });
  apply();
})();
"""


def _options(values: list[tuple[str, str]], lang: str) -> str:
    opts = [f'<option value="">{e(word("all", lang))}</option>']
    opts += [f'<option value="{e(v)}">{e(label)}</option>' for v, label in values]
    return "".join(opts)


def _chart(report: Report, lang: str) -> str:
    offices = list(report.offices)
    if not offices:
        return ""
    width, label_w, bar_w, row_h = 760, 300, 400, 26
    biggest = max(o.documents for o in offices) or 1
    height = row_h * len(offices) + 10
    parts = [
        f'<svg role="img" aria-label="{e(word("chart", lang))}" viewBox="0 0 {width} {height}" '
        f'width="{width}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, o in enumerate(offices):
        y = i * row_h + 5
        total = bar_w * o.documents / biggest
        signed = bar_w * o.signed / biggest
        label = o.office if o.key else word("unattributed", lang)
        name = label if len(label) <= 42 else label[:41] + "…"
        parts.append(f'<text x="0" y="{y + 15}">{e(name)}</text>')
        parts.append(
            f'<rect x="{label_w}" y="{y}" width="{total:.1f}" height="18" fill="#d0d7de"><title>{e(label)}: '
            f"{o.documents}</title></rect>"
        )
        parts.append(
            f'<rect x="{label_w}" y="{y}" width="{signed:.1f}" height="18" fill="#2da44e"><title>{e(word("signed", lang))}: '
            f"{o.signed}</title></rect>"
        )
        parts.append(f'<text x="{label_w + total + 6:.1f}" y="{y + 14}">{o.signed}/{o.documents}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _table(table_id: str, headers: list[tuple[str, str]], rows: list[str]) -> str:
    """A table that becomes one card per row on a phone (each cell labelled)."""
    head = "".join(f'<th class="{cls}">{e(label)}</th>' for label, cls in headers)
    return (
        f'<table id="{table_id}" class="cards-on-phone"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _row(cells: list[tuple[str, str, str]], attrs: str = "") -> str:
    """cells: (label, class, already-escaped html)."""
    tds = "".join(f'<td data-label="{e(label)}" class="{cls}">{html_}</td>' for label, cls, html_ in cells)
    return f"<tr{attrs}>{tds}</tr>"


def _register_section(report: Report, lang: str) -> list[str]:
    """The register's findings that belong to no document, and the signed share over the
    office's register beside the PDFs' (``sigaudit.register``)."""
    notes = register_notes(report)
    headers, share = share_table(report, lang)
    if not notes and not share:
        return []
    out = [f'<h2 id="register">{e(word("sheet_register", lang))}</h2>']
    if notes:
        out.append(
            '<ul class="register">'
            + "".join(
                f'<li class="{e(r.finding.severity.value)}"><b>{e(severity(r.finding.severity.value, lang))}</b> '
                f"<code>{e(r.finding.code)}</code> {e(r.finding.text(lang))}</li>"
                for r in notes
            )
            + "</ul>"
        )
    if share:
        rows = [
            _row(
                [
                    (h, "" if i < 2 else "n", e(f"{v:.0%}" if isinstance(v, float) else ("—" if v is None else v)))
                    for i, (h, v) in enumerate(zip(headers, r, strict=True))
                ]
            )
            for r in share
        ]
        out.append(_table("register-share", [(h, "" if i < 2 else "n") for i, h in enumerate(headers)], rows))
    return out


def render(report: Report, *, lang: str = "vi") -> str:
    s = report.summary()
    sev = s["findings_by_severity"]
    office = office_names(report, lang)
    cards = [
        ("documents", s["documents"], ""),
        ("passing", s["passing"], " pass"),
        ("signed", s["signed"], ""),
        ("signed_person_and_org", s["signed_person_and_org"], ""),
        ("date_consistent", s["date_consistent"], ""),
        ("unreadable", s["errors"], ""),
    ]
    out = [
        f'<!DOCTYPE html><html lang="{e(lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(word('report_title', lang))}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(word('report_title', lang))}</h1>",
        f'<p class="muted">{e(word("generated", lang))}: {e(instant_text(report.generated_at, lang))}'
        + (f" · {e(word('rules', lang))}: {e(report.rules.name)}" if report.rules else "")
        + "</p>",
    ]
    if not report.settings.trust:
        out.append(f'<p class="notice">{e(word("chain_not_checked", lang))}</p>')
    out.append(f'<h2>{e(word("summary", lang))}</h2><div class="cards">')
    for key, value, cls in cards:
        out.append(f'<div class="card{cls}"><b>{e(value)}</b>{e(word(key, lang))}</div>')
    out.append(
        f'<div class="card"><b>{sev["error"]} / {sev["warning"]}</b>{e(word("errors", lang))} / {e(word("warnings", lang))}</div>'
    )
    out.append(
        f'<div class="card lost"><b>{number(s["points_lost"]["total"], lang)}</b>{e(word("points_lost", lang))}</div></div>'
    )

    criteria = criterion_rows(report, lang)
    if criteria:
        out.append(f"<h2>{e(word('criteria', lang))}</h2>")
        keys = ("criterion", "title", "status", "lost", "reasons", "documents")
        rows = [
            _row(
                [
                    (
                        word(k, lang),
                        "v-pass" if k == "status" and r[0] and v.isupper() else ("n" if k == "lost" else ""),
                        e(v),
                    )
                    for k, v in zip(keys, r, strict=True)
                ]
            )
            for r in criteria
        ]
        out.append(_table("criteria", [(word(k, lang), "n" if k == "lost" else "") for k in keys], rows))
        notes = dossier_notes(report, lang)
        if notes:
            out.append('<ul class="notice">' + "".join(f"<li>{e(n)}</li>" for n in notes) + "</ul>")
    out += _register_section(report, lang)
    out.append(f"<h2>{e(word('offices', lang))}</h2>")
    out.append(
        f'<figure id="chart">{_chart(report, lang)}<figcaption class="muted">{e(word("chart", lang))}</figcaption></figure>'
    )
    keys = ("office", "documents", "signed", "signed_person_and_org", "date_consistent", "passing", "points_lost")
    rows = [
        _row(
            [
                (word("office", lang), "", e(o.office if o.key else word("unattributed", lang))),
                *((word(k, lang), "n", e(getattr(o, k))) for k in keys[1:-1]),
                (word("points_lost", lang), "n", e(number(o.points_lost, lang))),
                (
                    word("months_without_signed", lang),
                    "",
                    e(months_text(o.months_without_signed, lang)),
                ),
            ]
        )
        for o in report.offices
    ]
    heads = [(word(k, lang), "" if k == "office" else "n") for k in keys] + [(word("months_without_signed", lang), "")]
    out.append(_table("offices", heads, rows))

    out.append(f"<h2>{e(word('points_lost', lang))}</h2>")
    rows = [
        _row(
            [
                (word("area", lang), "", e(name_in(a, lang))),
                (word("max_points", lang), "n", e(number(a["max_points"], lang))),
                (word("lost", lang), "n", e(number(a["points_lost"], lang))),
            ]
        )
        for a in s["points_lost"]["by_area"]
    ]
    out.append(
        _table("areas", [(word("area", lang), ""), (word("max_points", lang), "n"), (word("lost", lang), "n")], rows)
    )

    out.append(f"<h2>{e(word('deductions', lang))}</h2>")
    rows = []
    for d in report.deductions:
        docs = ", ".join(shown(p) for p in d["documents"][:20]) + (" …" if len(d["documents"]) > 20 else "")
        rows.append(
            _row(
                [
                    (word("criterion", lang), "", e(name_in(d, lang))),
                    (word("lost", lang), "n", f"{number(d['points_lost'], lang)} / {number(d['max_points'], lang)}"),
                    (word("basis", lang), "", e(basis_text(d["basis"], lang))),
                    (word("documents", lang), "", e(docs)),
                ]
            )
        )
    heads = [(word(k, lang), "n" if k == "lost" else "") for k in ("criterion", "lost", "basis", "documents")]
    out.append(_table("deductions", heads, rows))

    out.append(f"<h2>{e(word('documents', lang))}</h2>")
    rows = []
    for doc in report.documents:
        h = doc.evidence.header
        rows.append(
            _row(
                [
                    (word("path", lang), "", e(shown(doc.path))),
                    (word("number", lang), "", e(number_text(h, lang) or "")),
                    (word("issuance_date", lang), "", e(issued_text(h, lang) or "")),
                    (word("office", lang), "", e(office(doc))),
                    (word("verdict", lang), f"v-{doc.verdict.value}", e(word(doc.verdict.value, lang))),
                ]
            )
        )
    heads = [(word(k, lang), "") for k in ("path", "number", "issuance_date", "office", "verdict")]
    out.append(_table("documents", heads, rows))

    rows, offices, codes = [], set(), set()
    for doc in report.documents:
        name = office(doc)
        for f in doc.findings:
            offices.add(name)
            codes.add(f.code)
            attrs = f' data-office="{e(name)}" data-code="{e(f.code)}" data-severity="{e(f.severity.value)}"'
            rows.append(
                _row(
                    [
                        (word("path", lang), "", e(shown(doc.path))),
                        (word("office", lang), "", e(name)),
                        (word("severity", lang), f"sev-{e(f.severity.value)}", e(severity(f.severity.value, lang))),
                        (word("code", lang), "", f"<code>{e(f.code)}</code><br>{e(code_title(f.code, lang))}"),
                        (
                            word("message", lang),
                            "",
                            f'{e(f.text(lang))}<div class="fix">→ {e(word("fix", lang))}: '
                            f"{e(how_to_fix(f.code, lang))}</div>",
                        ),
                    ],
                    attrs,
                )
            )
    out.append(f'<h2>{e(word("findings", lang))}</h2><div class="filters">')
    out.append(
        f'<label>{e(word("office", lang))} <select id="f-office">'
        f"{_options([(o, o) for o in sorted(offices, key=collation_key)], lang)}</select></label>"
    )
    out.append(
        f'<label>{e(word("code", lang))} <select id="f-code">'
        f"{_options([(c, f'{c} — {code_title(c, lang)}') for c in sorted(codes)], lang)}</select></label>"
    )
    out.append(
        f'<label>{e(word("severity", lang))} <select id="f-severity">'
        f"{_options([(v, severity(v, lang)) for v in ('error', 'warning', 'info')], lang)}</select></label>"
    )
    out.append(f'<span class="muted"><span id="f-count">{len(rows)}</span> {e(word("shown", lang))}</span></div>')
    heads = [(word(k, lang), "") for k in ("path", "office", "severity", "code", "message")]
    out.append(_table("findings", heads, rows))
    out.append(f"<script>{_JS}</script></body></html>")
    return "\n".join(out) + "\n"


class HtmlFormat(RenderedFormatter):
    name = "html"
    extensions = (".html", ".htm")
    help = "one self-contained page people read, filter, print (A4) and open on a phone"
    help_vi = "một trang tự chứa để đọc, lọc, in (A4) và mở trên điện thoại"
    render = staticmethod(render)
