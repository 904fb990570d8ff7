"""Regenerate what the finding registry (sigaudit/data/findings.toml) decides elsewhere:

- the code tables of docs/findings.md (between the ``registry`` markers);
- the finding-code list of docs/report.schema.json.

    python docs/generate.py          # rewrite both
    python docs/generate.py --check  # exit 1 when either is out of date (the tests run this)
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from sigaudit.findings import AREAS, CODES

DOCS = Path(__file__).resolve().parent
FINDINGS_MD = DOCS / "findings.md"
SCHEMA = DOCS / "report.schema.json"
START, END = "<!-- registry:start (python docs/generate.py) -->", "<!-- registry:end -->"

HEADINGS = {
    "document": "The file itself",
    "signatures": "Signatures",
    "certificates": "Certificates",
    "time": "Signing times",
    "signers": "Who signed",
    "header": "Header and dates",
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


def schema(current: str) -> str:
    data = json.loads(current)
    data["$defs"]["finding"]["properties"]["code"]["enum"] = sorted(CODES)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str]) -> int:
    stale = []
    for path, make in ((FINDINGS_MD, findings_md), (SCHEMA, schema)):
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
