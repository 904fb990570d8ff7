"""The fixture generator is deterministic: regenerating gives the committed bytes."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from conftest import CORPUS, PKI, ROOT, assert_regenerates

HAS_FONTS = any(
    Path(d, "DejaVuSerif.ttf").exists() for d in ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu")
)


@pytest.mark.skipif(importlib.util.find_spec("fpdf") is None or not HAS_FONTS, reason="needs fpdf2 and DejaVu fonts")
def test_regenerated_corpus_is_byte_identical(tmp_path):
    assert_regenerates(ROOT / "fixtures" / "generate.py", tmp_path, {"corpus": CORPUS, "pki": PKI})
