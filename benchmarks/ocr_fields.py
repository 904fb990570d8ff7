#!/usr/bin/env python3
"""What OCR reads right, and what it states wrong with confidence, on real pages.

    python benchmarks/ocr_fields.py            # the real scans and their scanned copies
    python benchmarks/ocr_fields.py --harsh    # and three harsher sets of copies

Sets (each page 1 read by OCR as ``sigaudit.inspect`` reads it, ``--ocr auto``):

1. the image-only files of ``../shared/realworld/vn`` (scans, labels a person read);
2. every real text-layer page printed and scanned back as
   ``tests/realworld/test_vn_scanned_copies.py`` makes it (150 dpi, turned up to 1°, noise,
   blur, JPEG 55): a person reads every labelled field of such a copy without doubt;
3. with ``--harsh``: copies at 200 dpi, at 150 dpi turned 2.5° at JPEG 40, and at 300 dpi
   blurred 1.2 px, with other seeds.

For each set it prints the fields read right (the labels' seven fields; "UỶ"/"ỦY" one
spelling), per field and in all, every value stated with confidence (≥ 0.90) that is
wrong — the count that must stay 0 — and how many wrong values were stated as unsure.  Takes about a minute a set on one core.  Figures:
docs/ocr.md.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "realworld")]

import sigaudit  # noqa: E402
from sigaudit.checks import OCR_CONFIDENT  # noqa: E402
from sigaudit.evidence.page import ocr  # noqa: E402
from sigaudit.offices import key_for  # noqa: E402


def score(
    name: str, data: bytes, labels: dict, fields: tuple[str, ...], right: Counter, wrong: list[str], unsure: Counter
) -> None:
    from test_vn import _got, _nfc, _want

    result = sigaudit.inspect(data, settings=sigaudit.Settings(ocr="auto"))
    header = result.evidence.header
    for field in fields:
        if field == "issuance_month":  # the month the labelled date is in
            want, got = (labels[name]["issuance_date"] or "")[:7] or None, header.issuance_month
        else:
            want, got = _want(labels[name], field), _nfc(_got(result, field))
        if got is None:
            continue
        if want is not None and (key_for(got) == key_for(want) if "office" in field else got == want):
            right[field] += 1
        elif want is None or (header.confidence_for(field) or 0) >= OCR_CONFIDENT:
            wrong.append(f"{name}: {field} = {got!r} ({header.confidence_for(field)}), labelled {want!r}")
        else:
            unsure[field] += 1  # stated as unsure, and wrong: shown, never an error by itself


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--harsh", action="store_true", help="also the three harsher sets of copies")
    args = parser.parse_args(argv)
    if ocr.tesseract_version() is None:
        print(f"OCR is not installed: {ocr.INSTALL_HINT}", file=sys.stderr)
        return 2
    from test_vn import FIELDS, LABELS, VN

    fields = (*FIELDS, "issuance_month")  # the date line's month, read also where its day is not

    if not (VN / "labels.json").is_file():
        print(f"{VN} is not present", file=sys.stderr)
        return 2
    from test_vn_scanned_copies import TEXT_LAYER, scanned_copy

    scans = sorted(n for n, label in LABELS.items() if not label["header_in_text"])
    sets = [
        ("real scans", scans, lambda n: (VN / n).read_bytes()),
        ("scanned copies (the test's)", TEXT_LAYER, lambda n: scanned_copy(VN / n, seed=len(n))),
    ]
    if args.harsh:
        for seed, dpi, turn, quality, blur in ((7, 200, 1.0, 55, 0.6), (11, 150, 2.5, 40, 0.7), (5, 300, 1.5, 60, 1.2)):
            shape = {"dpi": dpi, "turn": turn, "noise": 5, "blur": blur, "quality": quality}
            sets.append(
                (
                    f"copies {dpi} dpi, turned ≤{turn}°, JPEG {quality}, blur {blur}",
                    TEXT_LAYER,
                    lambda n, s=seed, k=shape: scanned_copy(VN / n, s + len(n), **k),
                )
            )
    print(f"{ocr.tesseract_version()}\n")
    failed = 0
    for title, names, make in sets:
        right: Counter = Counter()
        unsure: Counter = Counter()
        wrong: list[str] = []
        for name in names:
            score(name, make(name), LABELS, fields, right, wrong, unsure)
        print(
            f"{title} ({len(names)} pages): right {sum(right.values())}, wrong with confidence {len(wrong)}, "
            f"wrong stated as unsure {sum(unsure.values())}"
        )
        print("   " + ", ".join(f"{f} {right[f]}" for f in fields))
        if unsure:
            print("   unsure and wrong: " + ", ".join(f"{f} {n}" for f, n in sorted(unsure.items())))
        for line in wrong:
            print(f"   WRONG {line}")
        failed += len(wrong)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
