#!/usr/bin/env python3
"""sigaudit against pyHanko's own difference-analysis suite: every file pyHanko's tests
validate, with pyHanko's verdict beside sigaudit's.

    python3 -m venv /tmp/phv
    /tmp/phv/bin/pip install pytest freezegun "certomancer[web-api-async]>=0.16" pytest-asyncio \\
        pytest-aiohttp requests requests-mock "pyhanko==$(pip show pyhanko | sed -n 's/^Version: //p')"
    python benchmarks/pyhanko_suite.py --python /tmp/phv/bin/python

It fetches pyHanko's source distribution (the installed version) with pip, runs its
``tests/test_diff_analysis.py`` under ``--python`` with a plugin that saves each file a
test validates (difference analysis on) and pyHanko's modification level for the signature
validated, then reads every saved file with sigaudit and prints, per pyHanko level, how
many of those signatures sigaudit gave a change error, a warning or nothing — and lists
the OTHER verdicts it leaves without an error and the NONE/LTA/FORM_FILLING ones it calls
an error.  Takes about two minutes.  Figures and why each difference is what it is:
docs/signatures.md ("pyHanko's own difference-analysis suite").
"""

from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
import tarfile
import tempfile
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sigaudit  # noqa: E402

CHANGE_CODES = {
    "MODIFIED_AFTER_SIGNING",
    "NOT_AN_UPDATE",
    "CHANGES_NOT_ANALYSED",
    "BYTE_RANGE_INVALID",
    "UNSIGNED_TRAILING_BYTES",
    "SIGNATURE_MALFORMED",
}

PLUGIN = """
import hashlib, json, os
import pyhanko.sign.validation as V
_orig = V.async_validate_pdf_signature
OUT = os.environ["SIGAUDIT_DUMP"]
async def _saving(embedded_sig, *args, **kwargs):
    status = await _orig(embedded_sig, *args, **kwargs)
    if not kwargs.get("skip_diff"):
        stream = embedded_sig.reader.stream
        at = stream.tell(); stream.seek(0); data = stream.read(); stream.seek(at)
        name = hashlib.sha256(data).hexdigest()[:16]
        with open(os.path.join(OUT, name + ".pdf"), "wb") as f:
            f.write(data)
        record = {"file": name, "field": embedded_sig.field_name, "level": status.modification_level.name,
                  "test": os.environ.get("PYTEST_CURRENT_TEST", "").split("::")[-1].replace(" (call)", "")}
        with open(os.path.join(OUT, "records.jsonl"), "a") as f:
            f.write(json.dumps(record) + "\\n")
    return status
V.async_validate_pdf_signature = _saving
"""


def _suite(python: str, work: Path) -> Path:
    version = metadata.version("pyhanko")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--no-binary",
            ":all:",
            "-q",
            "-d",
            str(work),
            f"pyhanko=={version}",
        ],
        check=True,
    )
    with tarfile.open(next(work.glob("pyhanko-*.tar.gz"))) as archive:
        archive.extractall(work, filter="data")
    source = next(p for p in work.iterdir() if p.is_dir() and p.name.startswith("pyhanko-"))
    (source / "sigaudit_dump.py").write_text(PLUGIN, encoding="utf-8")
    dump = work / "dump"
    dump.mkdir()
    subprocess.run(
        [python, "-m", "pytest", "-q", "-p", "sigaudit_dump", "-p", "no:cacheprovider", "tests/test_diff_analysis.py"],
        cwd=source,
        env={"PYTHONPATH": str(source), "SIGAUDIT_DUMP": str(dump), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    return dump


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--python", required=True, help="a Python with pyHanko's test dependencies")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        dump = _suite(args.python, Path(tmp))
        records = [json.loads(line) for line in (dump / "records.jsonl").read_text().splitlines()]
        settings = sigaudit.Settings(ocr="off")
        results = {p.stem: sigaudit.inspect(p.read_bytes(), settings=settings) for p in dump.glob("*.pdf")}
    table: collections.Counter = collections.Counter()
    odd = []
    for r in records:
        found = [f for f in results[r["file"]].findings if f.signature == r["field"] and f.code in CHANGE_CODES]
        ours = "error" if any(f.severity.value == "error" for f in found) else ("warning" if found else "nothing")
        table[(r["level"], ours)] += 1
        if (r["level"] == "OTHER") != (ours == "error"):
            odd.append(f"  {r['level']:<13} sigaudit {ours:<8} {r['test']} ({r['field']})")
    print(f"{len(records)} verdicts on {len(results)} files\n")
    print(f"{'pyHanko':<14} {'error':>6} {'warning':>8} {'nothing':>8}")
    for level in ("NONE", "LTA_UPDATES", "FORM_FILLING", "ANNOTATIONS", "OTHER"):
        if any(k[0] == level for k in table):
            print(
                f"{level:<14} "
                + " ".join(f"{table[(level, o)]:>{w}}" for o, w in (("error", 6), ("warning", 8), ("nothing", 8)))
            )
    print("\nwhere the two differ (docs/signatures.md says why):")
    print("\n".join(sorted(set(odd))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
