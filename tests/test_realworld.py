"""Real-world tier: the EU DSS test PDFs in ../shared/realworld/dss (skipped when absent).

Minimum bar (issue #2/#3): every file in the report, no exception escapes, no signed file
reported as unsigned, every signature field listed.  Signature fields are counted
independently of pyHanko, with pypdf.
"""

from __future__ import annotations

import pytest
from pypdf import PdfReader

import sigaudit
from conftest import DSS

pytestmark = pytest.mark.skipif(not DSS.is_dir(), reason="../shared/realworld/dss is not present")


def filled_signature_fields(path) -> int | None:
    """Filled /Sig fields as pypdf sees them; None when pypdf cannot read the file either."""
    try:
        reader = PdfReader(path, strict=False)
        acroform = reader.trailer["/Root"].get("/AcroForm")
    except Exception:
        return None
    if not acroform:
        return 0
    count = 0
    seen: set[int] = set()

    def walk(fields, inherited_ft=None):
        nonlocal count
        for ref in fields or []:
            if getattr(ref, "idnum", None) in seen:
                continue
            seen.add(getattr(ref, "idnum", id(ref)))
            f = ref.get_object()
            ft = f.get("/FT", inherited_ft)
            if "/Kids" in f and "/T" in f and any("/T" in k.get_object() for k in f["/Kids"]):
                walk(f["/Kids"], ft)
            elif ft == "/Sig" and f.get("/V") is not None:
                count += 1

    walk(acroform.get_object().get("/Fields"))
    return count


@pytest.fixture(scope="module")
def dss_report():
    return sigaudit.audit(DSS, jobs=2)


def test_every_file_is_in_the_report(dss_report):
    assert sorted(d.path for d in dss_report) == sorted(p.name for p in DSS.glob("*.pdf"))


def test_no_exception_escapes_into_an_internal_error(dss_report):
    assert [d.path for d in dss_report if d.evidence.error and d.evidence.error.code == "INTERNAL_ERROR"] == []


def test_every_signature_field_is_listed_and_no_signed_file_is_unsigned(dss_report):
    mismatches = {}
    for doc in dss_report:
        expected = filled_signature_fields(DSS / doc.path)
        if expected is None:
            continue  # pypdf cannot read it either; it must then be an error entry
        got = len(doc.evidence.signatures)
        if doc.evidence.error or got != expected:
            mismatches[doc.path] = (expected, got, doc.evidence.error)
        if expected and any(f.code == "UNSIGNED" for f in doc.findings):
            approval = [s for s in doc.evidence.signatures if s.type.value == "signature"]
            assert not approval, doc.path
    assert mismatches == {}


def test_unreadable_files_are_errors_with_a_sentence(dss_report):
    for doc in dss_report:
        if filled_signature_fields(DSS / doc.path) is None:
            assert doc.evidence.error is not None and doc.evidence.error.message.endswith(".")
