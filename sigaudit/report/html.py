"""One self-contained HTML file: summary, a chart per office, deductions, a filterable
findings table.  No CDN, no external file: it works offline and can be mailed.

Every text that comes from a document, a certificate or a file name is untrusted and goes
through ``html.escape`` (text and attributes); the filter script reads data attributes and
never builds markup from them.
"""

from __future__ import annotations

import html

from sigaudit.report.base import RenderedFormatter, Report
from sigaudit.report.i18n import basis_text, code_title, name_in, severity, word


def e(value: object) -> str:
    return html.escape(str(value), quote=True)


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;margin:2rem;color:#1d2329;background:#fff}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.3rem}
.cards{display:flex;flex-wrap:wrap;gap:.8rem}.card{border:1px solid #d0d7de;border-radius:8px;padding:.7rem 1rem;min-width:9rem}
.card b{display:block;font-size:1.5rem}.lost b{color:#b42318}
table{border-collapse:collapse;width:100%;font-size:.92rem}th,td{border-bottom:1px solid #eaeef2;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.n{text-align:right;font-variant-numeric:tabular-nums}
.sev-error{color:#b42318;font-weight:600}.sev-warning{color:#9a6700}.sev-info{color:#0969da}
.filters{display:flex;gap:1rem;flex-wrap:wrap;margin:.6rem 0}.filters label{font-size:.9rem}
svg text{font-size:12px;font-family:inherit}.muted{color:#57606a;font-size:.85rem}
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
    parts = [
        f'<svg role="img" aria-label="{e(word("chart", lang))}" width="{width}" height="{row_h * len(offices) + 10}" '
        f'viewBox="0 0 {width} {row_h * len(offices) + 10}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, o in enumerate(offices):
        y = i * row_h + 5
        total = bar_w * o.documents / biggest
        signed = bar_w * o.signed / biggest
        name = o.office if len(o.office) <= 42 else o.office[:41] + "…"
        parts.append(f'<text x="0" y="{y + 15}">{e(name)}</text>')
        parts.append(
            f'<rect x="{label_w}" y="{y}" width="{total:.1f}" height="18" fill="#d0d7de"><title>{e(o.office)}: '
            f"{o.documents}</title></rect>"
        )
        parts.append(
            f'<rect x="{label_w}" y="{y}" width="{signed:.1f}" height="18" fill="#2da44e"><title>{e(word("signed", lang))}: '
            f"{o.signed}</title></rect>"
        )
        parts.append(f'<text x="{label_w + total + 6:.1f}" y="{y + 14}">{o.signed}/{o.documents}</text>')
    parts.append("</svg>")
    return "".join(parts)


def render(report: Report, *, lang: str = "vi") -> str:
    s = report.summary()
    sev = s["findings_by_severity"]
    cards = [
        ("documents", s["documents"]),
        ("signed", s["signed"]),
        ("signed_person_and_org", s["signed_person_and_org"]),
        ("date_consistent", s["date_consistent"]),
        ("unreadable", s["errors"]),
    ]
    out = [
        f'<!DOCTYPE html><html lang="{e(lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(word('report_title', lang))}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(word('report_title', lang))}</h1>",
        f'<p class="muted">{e(word("generated", lang))}: {e(report.generated_at.isoformat(timespec="seconds"))}'
        + (f" · {e(word('rules', lang))}: {e(report.rules.name)}" if report.rules else "")
        + "</p>",
        f'<h2>{e(word("summary", lang))}</h2><div class="cards">',
    ]
    for key, value in cards:
        out.append(f'<div class="card"><b>{e(value)}</b>{e(word(key, lang))}</div>')
    out.append(
        f'<div class="card"><b>{sev["error"]} / {sev["warning"]}</b>{e(word("errors", lang))} / {e(word("warnings", lang))}</div>'
    )
    out.append(
        f'<div class="card lost"><b>{s["points_lost"]["total"]:.4g}</b>{e(word("points_lost", lang))}</div></div>'
    )

    out.append(f"<h2>{e(word('offices', lang))}</h2>")
    out.append(
        f'<figure id="chart">{_chart(report, lang)}<figcaption class="muted">{e(word("chart", lang))}</figcaption></figure>'
    )

    out.append(
        f"<h2>{e(word('points_lost', lang))}</h2><table><thead><tr><th>{e(word('area', lang))}</th>"
        f"<th>{e(word('max_points', lang))}</th><th>{e(word('lost', lang))}</th></tr></thead><tbody>"
    )
    for a in s["points_lost"]["by_area"]:
        out.append(
            f'<tr><td>{e(name_in(a, lang))}</td><td class="n">{a["max_points"]:g}</td>'
            f'<td class="n">{a["points_lost"]:.4g}</td></tr>'
        )
    out.append("</tbody></table>")

    out.append(
        f'<h2>{e(word("deductions", lang))}</h2><table id="deductions"><thead><tr><th>{e(word("criterion", lang))}</th>'
        f"<th>{e(word('area', lang))}</th><th>{e(word('lost', lang))}</th><th>{e(word('basis', lang))}</th>"
        f"<th>{e(word('documents', lang))}</th></tr></thead><tbody>"
    )
    for d in report.deductions:
        docs = ", ".join(d["documents"][:20]) + (" …" if len(d["documents"]) > 20 else "")
        out.append(
            f"<tr><td>{e(name_in(d, lang))}</td><td>{e(d['area'])}</td>"
            f'<td class="n">{d["points_lost"]:.4g} / {d["max_points"]:g}</td><td>{e(basis_text(d["basis"], lang))}</td>'
            f"<td>{e(docs)}</td></tr>"
        )
    out.append("</tbody></table>")

    rows, offices, codes = [], set(), set()
    for doc in report.documents:
        for f in doc.findings:
            office = doc.office or ""
            offices.add(office)
            codes.add(f.code)
            rows.append(
                f'<tr data-office="{e(office)}" data-code="{e(f.code)}" data-severity="{e(f.severity.value)}">'
                f"<td>{e(doc.path)}</td><td>{e(office)}</td>"
                f'<td class="sev-{e(f.severity.value)}">{e(severity(f.severity.value, lang))}</td>'
                f"<td><code>{e(f.code)}</code><br>{e(code_title(f.code, lang))}</td><td>{e(f.text(lang))}</td></tr>"
            )
    out.append(f'<h2>{e(word("findings", lang))}</h2><div class="filters">')
    out.append(
        f'<label>{e(word("office", lang))} <select id="f-office">'
        f"{_options([(o, o or word('none', lang)) for o in sorted(offices)], lang)}</select></label>"
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
    out.append(
        f'<table id="findings"><thead><tr><th>{e(word("path", lang))}</th><th>{e(word("office", lang))}</th>'
        f"<th>{e(word('severity', lang))}</th><th>{e(word('code', lang))}</th><th>{e(word('message', lang))}</th>"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    out.append(f"<script>{_JS}</script></body></html>")
    return "\n".join(out) + "\n"


class HtmlFormat(RenderedFormatter):
    name = "html"
    extensions = (".html", ".htm")
    help = "one self-contained page people read, filter and print"
    render = staticmethod(render)
