#!/usr/bin/env python3
"""What OCR costs: seconds per scanned page, and what it reads.

    python benchmarks/ocr_bench.py                       # fixtures/scans + ../shared/realworld/vn scans
    python benchmarks/ocr_bench.py --repeat 3 FILE.pdf…  # any scanned PDFs

For each scanned PDF (a page 1 without header text) it times, in this process:

1. the whole per-document audit with OCR off (signatures, text layer) — the baseline;
2. the same with OCR on (the difference is OCR: render, deskew, Tesseract, grammar);
3. OCR alone split in its steps: render at 300 dpi, deskew, Tesseract.

and prints the fields read with their confidence.  Figures: docs/performance.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sigaudit  # noqa: E402
from sigaudit.evidence.document import inspect_bytes  # noqa: E402
from sigaudit.evidence.page import ocr, scanimage  # noqa: E402


def default_files() -> list[Path]:
    files = sorted((ROOT / "fixtures" / "scans").glob("*.pdf"))
    vn = ROOT.parent / "shared" / "realworld" / "vn"
    files += sorted(vn.glob("*_scan.pdf")) if vn.is_dir() else []
    return files


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=1, help="runs per file; the median is printed")
    args = parser.parse_args(argv)
    version = ocr.tesseract_version()
    if version is None:
        print(f"OCR is not installed: {ocr.INSTALL_HINT}", file=sys.stderr)
        return 2
    files = args.files or default_files()
    base = sigaudit.Settings(trust=(str(ROOT / "fixtures" / "pki" / "test-root.pem"), "vn"), max_seconds=0)
    print(f"{version}; {len(files)} scanned files; median of {args.repeat}\n")
    print(f"{'file':42} {'no OCR':>8} {'with OCR':>9} {'render':>7} {'deskew':>7} {'tesseract':>9}  fields read")
    costs = []
    for path in files:
        data = path.read_bytes()
        off, _ = timed(lambda: inspect_bytes(data, path=path.name, settings=replace(base, ocr="off")), args.repeat)
        on, evidence = timed(lambda: inspect_bytes(data, path=path.name, settings=replace(base, ocr="on")), args.repeat)
        render, image = timed(lambda: scanimage.render_header(data, ocr.DPI, ocr.HEADER_FRACTION), args.repeat)
        deskew, _ = timed(lambda: scanimage.deskew(image), args.repeat) if image is not None else (0.0, None)
        tess = max(on - off - render - deskew, 0.0)
        costs.append(on - off)
        h = evidence.header  # type: ignore[attr-defined]
        read = ", ".join(
            f"{f}={getattr(h, f) if f != 'title_type' else h.title_type}({c:.2f})" for f, c in h.confidence
        )
        print(
            f"{path.name[:42]:42} {off:8.2f} {on:9.2f} {render:7.2f} {deskew:7.2f} {tess:9.2f}  {read or '-'}"
            + (f"; illegible: {', '.join(h.illegible)}" if h.illegible else "")
        )
    if costs:
        print(f"\nOCR per scanned page: median {statistics.median(costs):.2f} s, max {max(costs):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
