"""A short run of the throughput benchmark (the full run is documented in docs/performance.md)."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_benchmark_smoke_run(tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "bench.py"),
            "-n",
            "6",
            "--seed",
            "3",
            "--work",
            str(tmp_path),
            "--skip",
            "memory",
            "--skip",
            "pdfsig",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "docs/s" in proc.stdout and "warm cache" in proc.stdout
    assert "sigaudit agrees with pyHanko on all" in proc.stdout


def test_register_benchmark_smoke_run():
    """The register analysis benchmark (docs/performance.md has the 100,000-document figures)."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "register_bench.py"), "-n", "3000"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "µs/document" in proc.stdout and "all planted anomalies found" in proc.stdout


def test_page_benchmark_smoke_run():
    """Issue 25's page-text benchmark, without OCR, each document read twice."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "page_bench.py"), "--no-ocr", "--repeat", "2"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "dense one-page plan" in proc.stdout and "PDFium ms" in proc.stdout
