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
