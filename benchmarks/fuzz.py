#!/usr/bin/env python3
"""Fuzz the per-document audit with mutated fixture PDFs.

    python benchmarks/fuzz.py -n 3000 --seed 1      # a long run; figures in docs/reliability.md

Mutations (seeded, reproducible): random byte flips, a flip inside a signed range, edits of
/ByteRange numbers, of the /Contents hex, of cross-reference offsets and ``startxref``, of
/M dates and of certificate-name bytes, truncation, duplicated tails, and deleted spans.
Invariants checked on every mutant:

1. ``inspect_bytes`` never raises; every mutant gets an evidence record (the batch always
   reports the file);
2. no signature whose signed byte ranges contain a mutated byte is counted as good;
3. the checks and the JSON serialisation of the result do not fail.

A short run (tests/test_fuzz.py, via hypothesis) is part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fixtures" / "corpus"
TRUST = ROOT / "fixtures" / "pki" / "test-root.pem"
_BR = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")

MUTATIONS = (
    "flip",
    "flip-signed",
    "byterange",
    "contents",
    "xref",
    "startxref",
    "date",
    "name",
    "truncate",
    "duplicate-tail",
    "delete-span",
)


def seeds() -> list[Path]:
    return sorted(p for p in CORPUS.rglob("*.pdf") if p.stat().st_size > 1000)


def signed_ranges(data: bytes) -> list[tuple[int, int, int, int]]:
    return [tuple(int(g) for g in m.groups()) for m in _BR.finditer(data)]  # type: ignore[misc]


def mutate(data: bytes, kind: str, rng: random.Random) -> tuple[bytes, list[int]]:
    """(mutant, offsets whose byte really changed in place — empty when the layout moved)."""
    mutant, touched = _mutate(data, kind, rng)
    return mutant, [p for p in touched if p < len(data) and p < len(mutant) and mutant[p] != data[p]]


def _mutate(data: bytes, kind: str, rng: random.Random) -> tuple[bytes, list[int]]:
    b = bytearray(data)
    if kind in ("flip", "flip-signed"):
        ranges = signed_ranges(data)
        if kind == "flip-signed" and ranges:
            a, l1, s2, l2 = rng.choice(ranges)
            pos = rng.randrange(a, a + l1) if rng.random() < 0.5 or not l2 else rng.randrange(s2, min(s2 + l2, len(b)))
        else:
            pos = rng.randrange(len(b))
        b[pos] ^= 1 << rng.randrange(8)
        return bytes(b), [pos]
    if kind == "byterange":
        m = rng.choice(list(_BR.finditer(data)) or [None])
        if m is None:
            return data, []
        g = rng.randrange(1, 5)
        value = int(m.group(g))
        new = str(max(0, value + rng.choice([-1, 1, -100, 100, 10**7]))).encode()
        return data[: m.start(g)] + new + data[m.end(g) :], []
    if kind == "contents":
        starts = [m.end() for m in re.finditer(rb"/Contents\s*<", data)]
        if not starts:
            return data, []
        pos = rng.choice(starts) + rng.randrange(0, 400)
        if pos < len(b):
            b[pos] = rng.choice(b"0123456789ABCDEFZ>< ")
        return bytes(b), [pos]
    if kind == "xref":
        entries = [m.start() for m in re.finditer(rb"\d{10} \d{5} [nf]", data)]
        if not entries:
            return data, []
        pos = rng.choice(entries) + rng.randrange(10)
        b[pos] = ord(str(rng.randrange(10)))
        return bytes(b), [pos]
    if kind == "startxref":
        m = list(re.finditer(rb"startxref\s+(\d+)", data))
        if not m:
            return data, []
        last = m[-1]
        return data[: last.start(1)] + str(rng.randrange(len(data) * 2)).encode() + data[last.end(1) :], []
    if kind == "date":
        m = list(re.finditer(rb"/M\s*\(D:(\d{14})", data))
        if not m:
            return data, []
        pick = rng.choice(m)
        digits = bytearray(pick.group(1))
        digits[rng.randrange(14)] = ord(str(rng.randrange(10)))
        return data[: pick.start(1)] + bytes(digits) + data[pick.end(1) :], [pick.start(1)]
    if kind == "name":
        # bytes inside the signature value (certificate names live there)
        starts = [m.end() for m in re.finditer(rb"/Contents\s*<", data)]
        if not starts:
            return data, []
        pos = rng.choice(starts) + rng.randrange(400, 3000)
        if pos < len(b):
            b[pos] = rng.choice(b"0123456789ABCDEF")
        return bytes(b), [pos]
    if kind == "truncate":
        return data[: rng.randrange(len(data))], []
    if kind == "duplicate-tail":
        cut = rng.randrange(len(data))
        return data + data[cut:], []
    if kind == "delete-span":
        start = rng.randrange(len(data))
        return data[:start] + data[start + rng.randrange(1, 200) :], []
    raise ValueError(kind)


def check(mutant: bytes, changed: list[int], settings: object) -> tuple[list[str], object]:
    """(invariant violations for one mutant — empty: fine, its evidence)."""
    from sigaudit.checks import evaluate
    from sigaudit.checks.judgements import sound as counts
    from sigaudit.evidence.document import inspect_bytes
    from sigaudit.report.json import document_to_dict

    problems = []
    try:
        ev = inspect_bytes(mutant, path="mutant.pdf", settings=settings)  # type: ignore[arg-type]
    except BaseException as exc:
        return [f"inspect_bytes raised {type(exc).__name__}: {exc}"], None
    for s in ev.signatures:
        if counts(s) and len(s.byte_range) == 4:
            a, l1, s2, l2 = s.byte_range
            for pos in changed:
                if a <= pos < a + l1 or s2 <= pos < s2 + l2:
                    problems.append(f"signature {s.field} is good although byte {pos} of its signed range changed")
    try:
        from zoneinfo import ZoneInfo

        json.dumps(document_to_dict(evaluate(ev, settings), ZoneInfo("Asia/Ho_Chi_Minh")))  # type: ignore[arg-type]
    except Exception as exc:
        problems.append(f"evaluation or serialisation failed: {type(exc).__name__}: {exc}")
    return problems, ev


def main(argv: list[str] | None = None) -> int:
    import sigaudit
    from sigaudit.checks.judgements import sound as _counts

    p = argparse.ArgumentParser(description="fuzz sigaudit with mutated fixture PDFs")
    p.add_argument("-n", type=int, default=1000)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    settings = sigaudit.Settings(trust=(str(TRUST),), max_seconds=30)
    rng = random.Random(args.seed)
    files = [(p, p.read_bytes()) for p in seeds()]
    outcomes: Counter[str] = Counter()
    failures = []
    started = time.monotonic()
    for i in range(args.n):
        path, data = rng.choice(files)
        kind = rng.choice(MUTATIONS)
        mutant, changed = mutate(data, kind, rng)
        problems, ev = check(mutant, changed, settings)
        if problems or ev is None:
            failures.append((i, path.name, kind, problems))
            continue
        outcomes[
            ev.error.code if ev.error else ("signed-good" if any(_counts(s) for s in ev.signatures) else "read")
        ] += 1
    elapsed = time.monotonic() - started
    print(
        f"{args.n} mutants of {len(files)} fixture files, seed {args.seed}: {elapsed:.0f} s "
        f"({args.n / elapsed:.1f} mutants/s)"
    )
    print("outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))
    print(f"invariant violations: {len(failures)}")
    for i, name, kind, problems in failures[:20]:
        print(f"  #{i} {name} {kind}: {'; '.join(problems)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
