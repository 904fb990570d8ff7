#!/usr/bin/env python3
"""What reading page 1 costs: the text layer laid out and the header parsed, per document.

    python benchmarks/page_bench.py              # a dense one-page plan, the e-office fixtures, real text layers
    python benchmarks/page_bench.py --repeat 20

For each group it prints the median milliseconds per document of
``pagetext.read_page_text`` (PDFium: glyphs, annotation appearances flattened, layout) and
of ``header.parse_header`` on its result, in this process, after one warm-up run.  The
dense plan is generated here (fixtures/generate.py's layout with a full page of body text).
It also times OCR per scanned page (render, deskew, Tesseract, grammar), and prints each
figure beside the one measured when issue 25 was filed; ``benchmarks/ocr_bench.py`` splits
OCR into its steps.  Figures: docs/performance.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "fixtures"))

from sigaudit.evidence.page.header import parse_header  # noqa: E402
from sigaudit.evidence.page.pagetext import read_page_text  # noqa: E402


def dense_plan() -> bytes:
    import generate as g

    body = tuple(
        f"{i}. Thực hiện nhiệm vụ cải cách hành chính năm 2021 theo Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 "
        f"năm 2020 của Chính phủ, bảo đảm đúng tiến độ và chất lượng, báo cáo kết quả trước ngày {i} tháng 12."
        for i in range(1, 25)
    )
    doc = g.Doc(
        g.PB_PARENT,
        g.PB,
        "Số: 45/KH-UBND",
        "Phú Bình, ngày 19 tháng 8 năm 2021",
        "KẾ HOẠCH",
        "Cải cách hành chính năm 2021",
        body=body,
    )
    return g.render(doc)


def measure(data: bytes, repeat: int) -> tuple[float, float]:
    # as an audit reads it: with the file's pyHanko reader (page 1's stamps read apart,
    # page/stamped.py), opened before the clock starts (the signatures need it anyway)
    from sigaudit.evidence.document import _open_pyhanko

    try:
        reader = _open_pyhanko(data)[0]
    except Exception:
        reader = None
    read_page_text(data, reader=reader)  # warm-up
    text_times, parse_times = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        page = read_page_text(data, reader=reader)
        middle = time.perf_counter()
        if page is not None:
            parse_header(page.text, page.sources, scanned=page.scanned)
        end = time.perf_counter()
        text_times.append(middle - start)
        parse_times.append(end - middle)
    return statistics.median(text_times) * 1000, statistics.median(parse_times) * 1000


def pdfium_floor(data: bytes, repeat: int) -> float:
    """Median ms PDFium takes to open the file, load page 1 and make its text page — what
    reading page 1 with PDFium costs before any character is asked for."""
    import pypdfium2 as pdfium

    times = []
    for _ in range(repeat + 1):
        start = time.perf_counter()
        pdf = pdfium.PdfDocument(data)
        page = pdf[0]
        page.get_textpage().close()
        page.close()
        pdf.close()
        times.append(time.perf_counter() - start)
    return statistics.median(times[1:]) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--no-ocr", action="store_true", help="leave out OCR of the scanned pages")
    args = parser.parse_args(argv)
    groups: list[tuple[str, list[bytes]]] = [("dense one-page plan (generated)", [dense_plan()])]
    groups.append(
        ("e-office fixtures", [p.read_bytes() for p in sorted((ROOT / "fixtures" / "eoffice").glob("*.pdf"))])
    )
    real = ROOT.parent / "shared" / "realworld" / "vn"
    if real.is_dir():
        groups.append(
            (
                "real text layers (shared/realworld/vn)",
                [p.read_bytes() for p in sorted(real.glob("*.pdf")) if "_scan" not in p.name],
            )
        )
    print(f"{'group':45} {'docs':>5} {'page text ms':>13} {'header ms':>10} {'issue 25':>9} {'PDFium ms':>10}")
    for name, files in groups:
        text, parse = zip(*(measure(d, args.repeat) for d in files), strict=True)
        floor = statistics.median(pdfium_floor(d, args.repeat) for d in files)
        before = BEFORE.get(name, "")
        print(
            f"{name:45} {len(files):5d} {statistics.median(text):13.2f} {statistics.median(parse):10.2f} {before:>9}"
            f" {floor:10.2f}"
        )
    if not args.no_ocr:
        _ocr(real)
    print("(issue 25: the figures when the issue was filed; aims: 1 ms a dense plan, 0.35 s a scanned page)")
    print("(PDFium ms: opening the file, loading page 1 and making its text page, nothing read: the floor of PDFium)")
    return 0


BEFORE = {"dense one-page plan (generated)": "8.9", "real text layers (shared/realworld/vn)": "15.7"}
"""Page-text cost per document when issue 25 was filed (docs/performance.md)."""


def _ocr(real: Path) -> None:
    """OCR per scanned page, one core: the scans of fixtures/scans and of the real folder."""
    from sigaudit.evidence.page import ocr

    if ocr.tesseract_version() is None:
        print(f"{'scanned page with OCR (not installed)':45}")
        return
    scans = sorted((ROOT / "fixtures" / "scans").glob("*.pdf"))
    scans += sorted(real.glob("*_scan.pdf")) if real.is_dir() else []
    times = []
    for path in scans:
        data = path.read_bytes()
        start = time.perf_counter()
        read = ocr.read_header_image(data)
        if read is not None:
            ocr.header_from_ocr(read)
        times.append(time.perf_counter() - start)
    print(
        f"{'scanned page with OCR (s, one core)':45} {len(scans):5d} {statistics.median(times):13.2f} {'':>10} {'~1.0':>9}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
