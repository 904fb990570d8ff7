"""Generated fixtures of what real e-office documents do (fixtures/eoffice.py, issue #12):
each reproduces a phenomenon seen in ../shared/realworld/, so that these tests show it
without shared/.  Every file's findings are exactly the ones its manifest names."""

from __future__ import annotations

import importlib.util
import io
import json
from pathlib import Path

import pytest
from conftest import ROOT, TEST_ROOT, assert_regenerates

import sigaudit
from sigaudit.findings import say

EOFFICE = ROOT / "fixtures" / "eoffice"
MANIFEST = json.loads((EOFFICE / "MANIFEST.json").read_text(encoding="utf-8"))
HAS_FONTS = any(
    Path(d, "DejaVuSerif.ttf").exists() for d in ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu")
)


@pytest.fixture(scope="module")
def by_name() -> dict[str, sigaudit.DocumentResult]:
    report = sigaudit.audit(EOFFICE, settings=sigaudit.Settings(trust=(str(TEST_ROOT),)), jobs=2)
    return {d.path: d for d in report}


def _codes(doc: sigaudit.DocumentResult) -> list[str]:
    return sorted({f.code for f in doc.findings})


def test_findings_are_exactly_the_expected_ones(by_name):
    assert sorted(by_name) == sorted(m["path"] for m in MANIFEST)
    wrong = {
        m["path"]: (m["expect"], _codes(by_name[m["path"]]))
        for m in MANIFEST
        if m["expect"] != _codes(by_name[m["path"]])
    }
    assert wrong == {}


@pytest.mark.parametrize(
    "item", [m for m in MANIFEST if "number_stamped_by" in m or "issued_by" in m], ids=lambda m: m["path"]
)
def test_number_date_and_issuing_signature(by_name, item):
    doc = by_name[item["path"]]
    h = doc.evidence.header
    if "number" in item:
        assert h.number == item["number"] and h.issuance_date.isoformat() == item["issuance_date"]
    if "number_stamped_by" in item:
        assert list(h.number_stamped_by) == item["number_stamped_by"]
        assert list(h.date_stamped_by) == item["date_stamped_by"]
    assert doc.issued_by == item["issued_by"]
    assert list(doc.republished_by) == item.get("republished_by", [])


def test_the_number_is_in_no_content_stream():
    # The fixture is honest about the phenomenon: without the widgets' appearances the
    # page has blanks where the number and the day are.
    from pypdf import PdfReader

    text = PdfReader(EOFFICE / "stamped-number-itext.pdf").pages[0].extract_text()
    assert "45" not in text.split("KH-UBND")[0] and "/KH-UBND" in text


def test_pyhanko_alone_calls_the_itext_rewrite_suspicious():
    # What the fixture reproduces: pyHanko's difference policy rejects rewritten objects
    # whose effect is nil; sigaudit judges the effect (evidence/changes/effects.py).
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY, ModificationLevel

    reader = PdfFileReader(io.BytesIO((EOFFICE / "stamped-number-itext.pdf").read_bytes()))
    first = reader.embedded_signatures[0]
    try:
        level = DEFAULT_DIFF_POLICY.review_file(reader, first.signed_revision).modification_level
    except Exception:
        level = None
    assert level in (None, ModificationLevel.OTHER)


def test_a_content_change_hidden_in_a_rewrite_is_caught_on_the_right_signature(by_name):
    doc = by_name["stamped-number-content-changed.pdf"]
    flagged = {f.signature for f in doc.findings if f.code == "MODIFIED_AFTER_SIGNING"}
    assert flagged == {"NguoiKy"}
    (sig,) = [s for s in doc.evidence.signatures if s.field == "NguoiKy"]
    assert any(c.startswith("page content stream (page 1)") for c in sig.changes)


@pytest.mark.parametrize(
    "name, severity", [("evil-annotation-over-date.pdf", "error"), ("annotation-in-margin.pdf", "warning")]
)
def test_annotations_added_after_signing(by_name, name, severity):
    found = [f for f in by_name[name].findings if f.code == "MODIFIED_AFTER_SIGNING"]
    assert found and {f.severity.value for f in found} == {severity}
    assert all("FreeText" in f.message for f in found)


def test_clock_skew_uses_the_trustworthy_time(by_name):
    doc = by_name["clock-skew-without-token.pdf"]
    org = next(s for s in doc.evidence.signatures if s.field == "CoQuan")
    assert org.clock_skew_s == 7 * 3600
    # 18:10 in Vietnam, not 01:10 the next day
    assert org.signing_time.astimezone(sigaudit.checks.ZoneInfo("Asia/Ho_Chi_Minh")).hour == 18
    assert doc.signing_date.isoformat() == "2021-08-19" and doc.date_consistent


def test_a_byte_range_past_the_end_is_a_failing_signature_never_unsigned(by_name):
    doc = by_name["byte-range-past-end.pdf"]
    (sig,) = doc.evidence.signatures
    assert sig.byte_range_problem.fault is sigaudit.ByteRangeFault.PAST_END
    assert sig.intact is False and not doc.signed
    assert sig.signer == "TRUNG TÂM CÔNG BÁO VÀ TIN HỌC"


def test_signatures_whose_form_was_removed_are_still_judged(by_name):
    doc = by_name["acroform-removed.pdf"]
    assert [s.field for s in doc.evidence.signatures] == ["NguoiKy", "CoQuan"]
    assert all(s.intact and s.valid for s in doc.evidence.signatures)
    assert any("AcroForm" in c for s in doc.evidence.signatures for c in s.changes)


@pytest.mark.skipif(importlib.util.find_spec("fpdf") is None or not HAS_FONTS, reason="needs fpdf2 and DejaVu fonts")
def test_regenerated_fixtures_are_byte_identical(tmp_path):
    assert_regenerates(ROOT / "fixtures" / "eoffice.py", tmp_path, {"": EOFFICE})


def test_a_digest_nobody_here_computes_is_unsupported_not_malformed(by_name):
    sig = next(s for s in by_name["ripemd160-digest.pdf"].evidence.signatures if s.field == "CoQuan")
    assert sig.status is sigaudit.ValidationStatus.UNSUPPORTED and "RIPEMD-160" in say(sig.problem, "en")


@pytest.mark.parametrize(
    "data, byte_range, problem",
    [
        (b"%PDF<0a1b>%%EOF", [0, 4, 10, 5], None),  # the gap is "<0a1b>"
        (b"%PDF<0a1b>%%EOF", [0, 5, 9, 6], None),  # brackets signed, digits the gap
        (b"%PDF<0a1b>%%EOF", [0, 6, 9, 6], "leaves"),  # the gap starts inside the value
        (b"%PDF<0a>xx<1b>%%EOF", [0, 5, 13, 6], "leaves"),  # the gap hides other bytes
        (b"%PDF<0a1b>%%EOF", [0, 4, 10, 6], "points beyond the end of the file"),
    ],
)
def test_byte_range_gap_rules(data, byte_range, problem):
    from sigaudit.evidence.structure import byte_range_problem
    from sigaudit.findings import byte_range_term, term

    problem_found = byte_range_problem(data, byte_range)
    found = term(byte_range_term(problem_found), "en") if problem_found else None
    assert (found is None) if problem is None else (found is not None and found.startswith(problem))


def test_an_unreadable_signing_time_is_about_the_time_not_the_signature(by_name):
    sig = next(s for s in by_name["unreadable-signing-time.pdf"].evidence.signatures if s.field == "CoQuan")
    assert sig.status is sigaudit.ValidationStatus.VALIDATED and sig.intact and sig.valid
    assert "month 13" in say(sig.signing_time_problem, "en") or "month must be" in say(sig.signing_time_problem, "en")
    assert sig.time_source is sigaudit.TimeSource.PDF_DICTIONARY


def test_only_errors_cost_points():
    # the evil annotation (error) costs the evidence criterion; the margin note (warning) does not
    report = sigaudit.audit(
        [EOFFICE / "evil-annotation-over-date.pdf", EOFFICE / "annotation-in-margin.pdf"],
        settings=sigaudit.Settings(trust=(str(TEST_ROOT),)),
    )
    (entry,) = [d for d in report.deductions if d["criterion"] == "evidence-acceptable"]
    assert [Path(p).name for p in entry["documents"]] == ["evil-annotation-over-date.pdf"]


def test_signer_certificate_matched_on_bytes_where_pyhanko_cannot(monkeypatch):
    # Some real CMS blobs carry issuer names pyHanko's comparison cannot match although the
    # certificate is there (same issuer and serial bytes): simulate that comparison failing.
    from pyhanko.sign import general

    monkeypatch.setattr(general, "match_issuer_serial", lambda sid, cert: False)
    monkeypatch.setenv("SIGAUDIT_NO_FASTPATH", "1")
    result = sigaudit.inspect(
        EOFFICE / "republished-by-gazette.pdf", settings=sigaudit.Settings(trust=(str(TEST_ROOT),))
    )
    sigs = result.evidence.signatures
    assert [s.status for s in sigs] == [sigaudit.ValidationStatus.VALIDATED] * 3
    assert all(s.intact and s.valid and s.trusted for s in sigs)
    assert [s.signer for s in sigs][-1] == "TRUNG TÂM CÔNG BÁO VÀ TIN HỌC"


def test_the_byte_match_still_requires_the_ess_binding():
    from pyhanko.pdf_utils.reader import PdfFileReader

    from sigaudit.evidence.signatures.cms import _ess_binds

    reader = PdfFileReader(io.BytesIO((EOFFICE / "republished-by-gazette.pdf").read_bytes()))
    person, org, _ = reader.embedded_signatures
    assert _ess_binds(person.signer_cert, person.signer_info["signed_attrs"])
    assert not _ess_binds(org.signer_cert, person.signer_info["signed_attrs"])


def test_resources_that_differ_but_draw_the_same_are_proven_by_rendering():
    from pyhanko.pdf_utils.reader import PdfFileReader

    from sigaudit.evidence.changes.effects import compare_revisions

    data = (EOFFICE / "stamped-number-itext.pdf").read_bytes()
    reader = PdfFileReader(io.BytesIO(data))
    first = reader.embedded_signatures[0]
    ranges = [int(v) for v in first.sig_object["/ByteRange"]]
    effect = compare_revisions(reader, first.signed_revision, data[: ranges[2] + ranges[3]], data)
    assert effect is not None and effect.changes == [] and effect.rendered_pages >= 1
