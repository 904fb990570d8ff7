"""OCR of scanned pages (issue #13): generated scans with known labels (fixtures/scans.py),
the policy on uncertain readings, and what happens without Tesseract."""

from __future__ import annotations

import dataclasses
import importlib.util
import json

import pytest
from conftest import ROOT, TEST_ROOT, assert_regenerates

import sigaudit
from sigaudit import cli
from sigaudit.evidence.page import ocr
from sigaudit.findings import say

SCANS = ROOT / "fixtures" / "scans"
LABELS = json.loads((SCANS / "LABELS.json").read_text(encoding="utf-8"))
HAS_OCR = ocr.tesseract_version() is not None
needs_ocr = pytest.mark.skipif(not HAS_OCR, reason="Tesseract with the Vietnamese model is not installed")
SETTINGS = sigaudit.Settings(trust=(str(TEST_ROOT),))


@pytest.fixture(scope="module")
def scanned() -> dict[str, sigaudit.DocumentResult]:
    if not HAS_OCR:
        pytest.skip("Tesseract with the Vietnamese model is not installed")
    return {d.path: d for d in sigaudit.audit(SCANS, settings=SETTINGS, jobs=2)}


def _value(doc: sigaudit.DocumentResult, field: str):
    value = getattr(doc.evidence.header, field)
    return value.isoformat() if field == "issuance_date" and value else value


@needs_ocr
@pytest.mark.parametrize("label", LABELS, ids=lambda lab: lab["path"])
def test_scans_are_read_as_labelled(scanned, label):
    doc = scanned[label["path"]]
    h = doc.evidence.header
    assert h.source == "ocr" and h.has_text
    for field, want in label["expect"].items():
        if field == "illegible":
            assert sorted(h.illegible) == want
        else:
            assert _value(doc, field) == want, field
    for code in label["codes"]:
        assert code in {f.code for f in doc.findings}
    assert "NO_TEXT_LAYER" not in {f.code for f in doc.findings}
    assert "HEADER_READ_BY_OCR" in {f.code for f in doc.findings}


@needs_ocr
def test_nothing_wrong_is_stated_with_confidence(scanned):
    wrong = []
    for label in LABELS:
        doc = scanned[label["path"]]
        for field, want in label["expect"].items():
            if field == "illegible":
                continue
            got = _value(doc, field)
            if got is not None and got != want and (doc.evidence.header.confidence_for(field) or 0) >= ocr.CONFIDENT:
                wrong.append((label["path"], field, got))
    assert wrong == []


@needs_ocr
def test_handwritten_numbers_are_illegible_not_guessed(scanned):
    doc = scanned["CT-03-scan-handwritten.pdf"]
    assert doc.evidence.header.number is None and doc.evidence.header.issuance_date is None
    messages = {f.code: f.message for f in doc.findings}
    assert "handwritten" in messages["NUMBER_NOT_FOUND"] and "handwritten" in messages["ISSUANCE_DATE_NOT_FOUND"]
    assert doc.evidence.header.doc_type == "CT"  # the printed symbol is read even so


@needs_ocr
def test_an_uncertain_date_never_makes_an_error(scanned):
    doc = scanned["TB-08-scan-signed-next-day.pdf"]
    assert "SIGNING_DATE_MISMATCH" in {f.code for f in doc.findings}  # read with confidence: an error
    h = doc.evidence.header
    unsure = dict(h.confidence) | {"issuance_date": 0.7}
    evidence = dataclasses.replace(
        doc.evidence, header=dataclasses.replace(h, confidence=tuple(sorted(unsure.items())))
    )
    found = {f.code: f for f in _evaluate(evidence)}
    assert "SIGNING_DATE_MISMATCH" not in found
    assert found["SIGNING_DATE_UNCERTAIN"].severity is sigaudit.Severity.WARNING
    assert "70%" in found["SIGNING_DATE_UNCERTAIN"].message


def _evaluate(evidence):
    from sigaudit.audit import evaluate

    return evaluate(evidence, SETTINGS).findings


def test_without_tesseract_a_scan_says_how_to_read_it(monkeypatch):
    monkeypatch.setattr(ocr, "tesseract_version", lambda: None)
    doc = sigaudit.inspect(SCANS / "KH-45-scan-straight.pdf", settings=SETTINGS)
    assert not doc.evidence.header.has_text
    (finding,) = [f for f in doc.findings if f.code == "NO_TEXT_LAYER"]
    assert "tesseract-ocr-vie" in finding.message and "tesseract-ocr-vie" in finding.message_vi


def test_ocr_off_is_said(monkeypatch):
    doc = sigaudit.inspect(SCANS / "KH-45-scan-straight.pdf", settings=dataclasses.replace(SETTINGS, ocr="off"))
    assert say(doc.evidence.header.ocr_status, "en").startswith("OCR is turned off")


def test_ocr_on_without_tesseract_is_a_usage_error(monkeypatch, capsys):
    monkeypatch.setattr(ocr, "tesseract_version", lambda: None)
    code = cli.main([str(SCANS), "--ocr", "on", "--no-cache", "-q"])
    assert code == 2
    assert "tesseract-ocr-vie" in capsys.readouterr().err


@pytest.mark.skipif(importlib.util.find_spec("fpdf") is None, reason="needs fpdf2")
def test_regenerated_scans_are_byte_identical(tmp_path):
    assert_regenerates(ROOT / "fixtures" / "scans.py", tmp_path, {"": SCANS})


def test_tesseract_is_found_where_the_windows_installer_puts_it(monkeypatch, tmp_path):
    # The usual Windows installer puts tesseract.exe under Program Files without adding it
    # to the PATH; SIGAUDIT_TESSERACT names any other place.
    exe = tmp_path / "Tesseract-OCR" / "tesseract.exe"
    exe.parent.mkdir()
    exe.write_bytes(b"")
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    monkeypatch.delenv("SIGAUDIT_TESSERACT", raising=False)
    monkeypatch.setenv("PROGRAMFILES", str(tmp_path))
    assert ocr.tesseract_path() == str(exe)
    other = tmp_path / "elsewhere.exe"
    other.write_bytes(b"")
    monkeypatch.setenv("SIGAUDIT_TESSERACT", str(other))
    assert ocr.tesseract_path() == str(other)
    monkeypatch.setenv("SIGAUDIT_TESSERACT", str(tmp_path / "missing.exe"))
    assert ocr.tesseract_path() is None


@pytest.mark.skipif(importlib.util.find_spec("tesserocr") is None, reason="tesserocr is not installed")
def test_without_the_program_tesserocrs_engine_reads_the_scans(monkeypatch):
    """Windows without Tesseract on the PATH: the engine of the tesserocr wheel, loaded once,
    reads the fixture scans as labelled (the fields a person reads for sure)."""
    from sigaudit.evidence.page import tessengine

    if tessengine.tessdata() is None:
        pytest.skip("no vie.traineddata where tesserocr can find it")
    monkeypatch.setenv("SIGAUDIT_TESSERACT", str(ROOT / "no-such-tesseract.exe"))
    ocr.tesseract_version.cache_clear()
    tessengine.version.cache_clear()
    try:
        assert "(tesserocr)" in (ocr.tesseract_version() or "")
        for label in LABELS:
            doc = sigaudit.inspect(SCANS / label["path"], settings=SETTINGS)
            h = doc.evidence.header
            assert h.source == "ocr", label["path"]
            for field in ("office", "issuance_place"):
                if field in label["expect"]:
                    assert _value(doc, field) == label["expect"][field], (label["path"], field)
    finally:
        ocr.tesseract_version.cache_clear()
        tessengine.version.cache_clear()
