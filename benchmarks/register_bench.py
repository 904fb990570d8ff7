#!/usr/bin/env python3
"""What the register analysis adds to an audit (issue #27): its cost for 100,000 documents.

    python benchmarks/register_bench.py                 # 100,000 documents, and the scaling
    python benchmarks/register_bench.py -n 2000         # a smoke run

Synthesises the register lines of N documents — 250 offices, one series each per year, types
mixed in one numbering, about 1 in 200 backdated and 1 in 1,000 numbers given twice — then
times, from one run: the series analysis (``Ledger.finish`` without a register), the same
with the office registers matched (one row per document, 1 in 100 rows without a PDF), and
the findings built from them.  It prints the time per document at N/4, N/2 and N: flat
figures mean the O(n log n) the issue asks for (the sort dominates).  It checks that every
planted anomaly is found.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sigaudit.checks.register import document_findings, report_findings
from sigaudit.register import Entry, Ledger, Register, Row, parse_number

TYPES = ("KH", "QĐ", "BC", "TB", "TTr", "")


def synthesise(n: int, seed: int) -> tuple[list[Entry], Register, set[str], set[str]]:
    """(entries, the registers as one, backdated paths, duplicated paths)."""
    rng = random.Random(seed)
    offices = 250
    per_office = max(1, n // offices)
    entries: list[Entry] = []
    rows: list[Row] = []
    backdated: set[str] = set()
    duplicated: set[str] = set()
    for o in range(offices):
        office = f"Ủy ban nhân dân xã {o:03d}"
        day = dt.date(2025, 1, 2)
        count = per_office if o < offices - 1 else n - per_office * (offices - 1)
        for i in range(1, count + 1):
            if rng.random() < 0.35:
                day = min(day + dt.timedelta(days=1), dt.date(2025, 12, 31))
            kind = rng.choice(TYPES)
            text = f"{i}/{kind}-UBND" if kind else f"{i}/UBND-VP"
            printed = day
            path = f"{office}/{i:05d}.pdf"
            if rng.random() < 0.005 and day > dt.date(2025, 2, 1):
                printed = day - dt.timedelta(days=rng.randint(10, 30))
                backdated.add(path)
            if rng.random() < 0.001 and entries and entries[-1].office == office:
                text = entries[-1].text  # the previous number again, on another document
                duplicated.update({path, entries[-1].path or ""})
            number = parse_number(text)
            assert number is not None
            entries.append(
                Entry(number=number, text=text, office=office, office_key=office.casefold(), date=printed, path=path,
                      summary=f"Văn bản {i}", signed=True, signed_org=True)
            )  # fmt: skip
            if rng.random() >= 0.01:  # registered with its PDF, or (1 in 100) a row without one
                rows.append(Row(row=len(rows) + 2, text=text, number=number, date=printed, office=office))
            else:
                rows.append(Row(row=len(rows) + 2, text=f"{count + i}/TB-UBND", number=parse_number(f"{count + i}/TB-UBND"),  # type: ignore[arg-type]
                                date=printed, office=office))  # fmt: skip
    return entries, Register("so-dang-ky.xlsx", rows=tuple(rows)), backdated, duplicated


def timed(entries: list[Entry], register: Register | None) -> tuple[float, object]:
    ledger = Ledger()
    start = time.perf_counter()
    ledger.entries = list(entries)
    result = ledger.finish(register)
    per_document = document_findings(result)
    notes = list(report_findings(result))
    return time.perf_counter() - start, (result, per_document, notes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=100_000, help="documents (default 100000)")
    parser.add_argument("--seed", type=int, default=27)
    args = parser.parse_args(argv)
    entries, register, backdated, duplicated = synthesise(args.n, args.seed)
    print(f"register analysis over {len(entries):,} documents of 250 offices ({len(register.rows):,} register rows)")
    for share in (4, 2, 1):
        part = entries[: len(entries) // share]
        seconds, _ = timed(part, None)
        print(f"  {len(part):>8,} documents: {seconds:7.3f} s  ({1e6 * seconds / max(len(part), 1):6.1f} µs/document)")
    alone, (_, per_document, _) = timed(entries, None)
    both, (matched, _, _) = timed(entries, register)
    print(f"  analysis alone:          {alone:7.3f} s for {len(entries):,} documents")
    print(f"  with the registers:      {both:7.3f} s ({len(matched.missing_pdf):,} rows without a PDF)")  # type: ignore[attr-defined]
    late = {p for p, fs in per_document.items() if any(f.code == "REGISTER_OUT_OF_ORDER" for f in fs)}  # type: ignore[attr-defined]
    twice = {p for p, fs in per_document.items() if any(f.code == "REGISTER_DUPLICATE" for f in fs)}  # type: ignore[attr-defined]
    found_late, found_twice = len(backdated & late), len(duplicated & twice)
    print(
        f"  backdated found: {found_late}/{len(backdated)}; numbers given twice found: {found_twice}/{len(duplicated)}"
    )
    print(
        f"  other documents said out of order: {len(late - backdated)} (a backdated number shifts its neighbours' order too)"
    )
    ok = found_late == len(backdated) and found_twice == len(duplicated)
    print("all planted anomalies found" if ok else "MISSED planted anomalies")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
