"""The fixture generator is deterministic: regenerating gives the committed bytes."""

from __future__ import annotations

import filecmp
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPUS, PKI, ROOT

HAS_FONTS = any(
    Path(d, "DejaVuSerif.ttf").exists() for d in ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu")
)


@pytest.mark.skipif(importlib.util.find_spec("fpdf") is None or not HAS_FONTS, reason="needs fpdf2 and DejaVu fonts")
def test_regenerated_corpus_is_byte_identical(tmp_path):
    subprocess.run(
        [sys.executable, str(ROOT / "fixtures" / "generate.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    for committed, fresh in ((CORPUS, tmp_path / "corpus"), (PKI, tmp_path / "pki")):
        files = sorted(p.relative_to(committed) for p in committed.rglob("*") if p.is_file())
        assert files == sorted(p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file())
        _, mismatch, errors = filecmp.cmpfiles(committed, fresh, [str(f) for f in files], shallow=False)
        assert mismatch == [] and errors == []
