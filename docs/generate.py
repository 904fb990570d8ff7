"""Regenerate what the finding registry (sigaudit/data/findings.toml) decides elsewhere:

- the code tables of docs/findings.md (between the ``registry`` markers);
- the finding-code list of docs/report.schema.json;
- the table of harmless changes in docs/signatures.md (from evidence/changes/harmless.py).

    python docs/generate.py          # rewrite both
    python docs/generate.py --check  # exit 1 when either is out of date (the tests run this)
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from sigaudit.evidence.changes.harmless import HARMLESS
from sigaudit.findings import AREAS, CODES

DOCS = Path(__file__).resolve().parent
FINDINGS_MD = DOCS / "findings.md"
SCHEMA = DOCS / "report.schema.json"
SIGNATURES_MD = DOCS / "signatures.md"
START, END = "<!-- registry:start (python docs/generate.py) -->", "<!-- registry:end -->"
H_START, H_END = "<!-- harmless:start (python docs/generate.py) -->", "<!-- harmless:end -->"

HEADINGS = {
    "document": "The file itself",
    "signatures": "Signatures",
    "certificates": "Certificates",
    "time": "Signing times",
    "signers": "Who signed",
    "header": "Header and dates",
    "register": "The register (across documents)",
}


def severity_text(code: str) -> str:
    entry = CODES[code]
    found = {m.severity.value for m in entry.messages.values()} | {entry.severity.value}
    order = ["error", "warning", "info"]
    return " / ".join(s for s in order if s in found)


def findings_tables() -> str:
    parts = []
    for area in AREAS:
        codes = [c for c in CODES.values() if c.area == area]
        parts.append(f"### {HEADINGS[area]}\n")
        parts.append("| code | severity | meaning | how to fix (vi / en) |")
        parts.append("|---|---|---|---|")
        for c in codes:
            cell = c.doc.replace("|", "\\|")
            fix = f"{c.fix.vi}<br>{c.fix.en}".replace("|", "\\|")
            parts.append(f"| `{c.code}` | {severity_text(c.code)} | {cell} | {fix} |")
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"


def findings_md(current: str) -> str:
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.S)
    if not pattern.search(current):
        raise SystemExit(f"{FINDINGS_MD}: the registry markers are missing")
    return pattern.sub(lambda _: f"{START}\n\n{findings_tables()}\n{END}", current)


def harmless_md(current: str) -> str:
    rows = ["| role in the signed revision | entries that may change | why it is harmless |", "|---|---|---|"]
    for h in HARMLESS:
        keys = "any" if h.keys is None else (", ".join(f"`{k}`" for k in sorted(h.keys)) or "— (appends only)")
        rows.append(f"| {h.role} | {keys} | {h.why} |")
    pattern = re.compile(re.escape(H_START) + r".*?" + re.escape(H_END), re.S)
    if not pattern.search(current):
        raise SystemExit(f"{SIGNATURES_MD}: the harmless-list markers are missing")
    table = "\n".join(rows)
    return pattern.sub(lambda _: f"{H_START}\n\n{table}\n\n{H_END}", current)


def schema(current: str) -> str:
    data = json.loads(current)
    data["$defs"]["finding"]["properties"]["code"]["enum"] = sorted(CODES)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str]) -> int:
    stale = []
    for path, make in ((FINDINGS_MD, findings_md), (SCHEMA, schema), (SIGNATURES_MD, harmless_md)):
        current = path.read_text(encoding="utf-8")
        wanted = make(current)
        if wanted != current:
            stale.append(path)
            if "--check" not in argv:
                path.write_text(wanted, encoding="utf-8")
    if stale and "--check" in argv:
        print("out of date (run python docs/generate.py): " + ", ".join(str(p) for p in stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
