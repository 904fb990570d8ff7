#!/usr/bin/env python3
"""Render the HTML report of the sample corpus in headless Chromium and save a screenshot.

    python docs/screenshot.py [OUT.png] [--filter 'code=UNSIGNED&severity=error']

Needs Debian's chromium (apt-get install chromium).  Prints the number of findings the page
shows after its filter script ran (read back from the DOM), then where the PNG went.
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
        run(
            [
                f"--screenshot={args.out}",
                "--window-size=1280,2000",
                html_file.as_uri() + (f"#{args.filter}" if args.filter else ""),
            ]
        )
    print(f"screenshot: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
