#!/usr/bin/env python3
"""Render the HTML report of the sample corpus in headless Chromium and save screenshots.

    python docs/screenshot.py [OUT.png] [--filter 'code=UNSIGNED&severity=error']

Needs Debian's chromium (apt-get install chromium).  Prints the number of findings the page
shows after its filter script ran (read back from the DOM), how far the page overflows
sideways at phone width (390 px; 0 = no sideways scrolling), the printed page size, then
where the pictures went: OUT.png (desktop), OUT-phone.png, OUT-print.png (page 1 of the
A4 print, rendered from Chromium's PDF with PDFium).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def run(args: list[str]) -> str:
    exe = chromium()
    assert exe, "chromium is not installed"
    proc = subprocess.run(
        [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return proc.stdout


def shown_rows(html_file: Path, fragment: str = "") -> int:
    dom = run(["--dump-dom", html_file.as_uri() + (f"#{fragment}" if fragment else "")])
    m = re.search(r'id="f-count">(\d+)<', dom)
    assert m, "the filter script did not run"
    return int(m.group(1))


def phone_overflow(html_file: Path, width: int = 390) -> int:
    """Pixels the page is wider than a phone screen (0: no sideways scrolling)."""
    wrapper = html_file.with_name(f"phone-{html_file.name}")
    wrapper.write_text(
        f'<!DOCTYPE html><html><body style="margin:0"><iframe id="f" src="{html_file.name}" '
        f'style="width:{width}px;height:900px;border:0"></iframe><script>'
        "document.getElementById('f').onload=function(){var d=this.contentDocument.documentElement;"
        "document.body.setAttribute('data-overflow',String(d.scrollWidth-d.clientWidth));};"
        "</script></body></html>",
        encoding="utf-8",
    )
    dom = run(["--allow-file-access-from-files", "--virtual-time-budget=5000", "--dump-dom", wrapper.as_uri()])
    m = re.search(r'data-overflow="(-?\d+)"', dom)
    assert m, "the phone check did not run"
    return int(m.group(1))


def print_pdf(html_file: Path, out: Path) -> Path:
    """The page printed by Chromium (its print stylesheet: A4)."""
    run(["--no-pdf-header-footer", f"--print-to-pdf={out}", html_file.as_uri()])
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("out", nargs="?", default=str(ROOT / "docs" / "report-screenshot.png"))
    p.add_argument("--filter", default="", help="preset filters, e.g. 'code=UNSIGNED&severity=error'")
    p.add_argument("--lang", default="vi", choices=("vi", "en"))
    args = p.parse_args(argv)
    if not chromium():
        print("chromium is not installed (Debian: apt-get install chromium)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        html_file = Path(tmp) / "report.html"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "sigaudit",
                str(ROOT / "fixtures" / "corpus"),
                "--trust",
                str(ROOT / "fixtures" / "pki" / "test-root.pem"),
                "--no-cache",
                "--format",
                "html",
                "--lang",
                args.lang,
                "-o",
                str(html_file),
                "-q",
                "--fail-on",
                "never",
            ],
            check=True,
        )
        print(f"findings shown: {shown_rows(html_file, args.filter)}")
        print(f"sideways overflow at 390 px: {phone_overflow(html_file)} px")
        out = Path(args.out)
        page = html_file.as_uri() + (f"#{args.filter}" if args.filter else "")
        run([f"--screenshot={out}", "--window-size=1280,2000", page])
        phone = out.with_name(f"{out.stem}-phone.png")
        run([f"--screenshot={phone}", "--window-size=390,1600", "--hide-scrollbars", page])
        pdf = print_pdf(html_file, Path(tmp) / "print.pdf")
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(str(pdf))
        w, h = doc[0].get_size()
        print(f"printed: {len(doc)} page(s) of {w / 72 * 25.4:.0f} × {h / 72 * 25.4:.0f} mm")
        printed = out.with_name(f"{out.stem}-print.png")
        doc[0].render(scale=1.2).to_pil().save(printed)
    print(f"screenshots: {out}, {phone}, {printed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
