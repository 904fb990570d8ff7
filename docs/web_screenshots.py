#!/usr/bin/env python3
"""Screenshots of the clerks' page (docs/web.md) after three sample documents were dropped.

    python docs/web_screenshots.py   # needs sigaudit[web], playwright and Debian's chromium

Writes docs/web-screenshot.png (1280 px wide) and docs/web-screenshot-phone.png (390 px),
and prints how far each page overflows sideways (0 = no sideways scrolling).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "web")]

from pagekit import browser_page, drop_files, running_server, sideways_overflow  # noqa: E402
from webkit import make_store  # noqa: E402

CORPUS = ROOT / "fixtures" / "corpus"
FILES = [
    CORPUS / "ubnd-phu-binh" / "KH-45-cai-cach-hanh-chinh.pdf",
    CORPUS / "ubnd-xa-tan-khanh" / "QD-06-modified-after-signing.pdf",
    CORPUS / "so-tnmt-bac-giang" / "BC-24-no-issuance-date.pdf",
]


def main() -> int:
    files = [f for f in FILES if f.exists()]
    with tempfile.TemporaryDirectory() as tmp:
        store = make_store(Path(tmp))
        with running_server(store) as url:
            for name, width, height in (("web-screenshot.png", 1280, 1000), ("web-screenshot-phone.png", 390, 1400)):
                with browser_page(width, height) as page:
                    page.goto(url)
                    drop_files(page, files)
                    page.wait_for_selector("#downloads:not([hidden])", timeout=60_000)
                    out = ROOT / "docs" / name
                    page.screenshot(path=str(out), full_page=False)
                    print(f"{out.relative_to(ROOT)}: {width} px wide, sideways overflow {sideways_overflow(page)} px")
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
