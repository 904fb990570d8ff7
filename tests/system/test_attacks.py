"""The published attack classes on PDF signatures, and their honest twins.

Files: fixtures/corpus/attacks/ (made by fixtures/craft.py).  The exact finding codes of
every file are asserted in test_corpus; here, the evidence behind them.
"""

from __future__ import annotations

import pytest
from conftest import CORPUS

import sigaudit
from sigaudit.checks.judgements import sound
from sigaudit.evidence.structure import byte_range_problem, trailing_bytes
from sigaudit.findings import byte_range_term, term

HONEST = [
    "attacks/honest-doc-timestamp-added.pdf",
    "attacks/honest-overlay.pdf",
    "attacks/honest-filled-field.pdf",
    "attacks/honest-alternative-content.pdf",
]
ATTACKS = [
    "attacks/isa-content-redefined.pdf",
    "attacks/isa-appended-without-xref.pdf",
    "attacks/swa-objects-in-gap.pdf",
    "attacks/usf-empty-contents.pdf",
    "attacks/usf-zero-contents.pdf",
    "attacks/usf-no-byterange.pdf",
    "attacks/shadow-hide.pdf",
    "attacks/shadow-hide-and-replace.pdf",
    "attacks/signature-shared-by-two-fields.pdf",
]


@pytest.mark.parametrize("path", HONEST)
def test_honest_twins_are_clean(by_path, path):
    doc = by_path[path]
    assert doc.findings == ()
    assert all(sound(s) for s in doc.evidence.signatures)
    assert doc.signed_person_and_org
    assert all(s.changed_fields == () for s in doc.evidence.signatures)


@pytest.mark.parametrize("path", ATTACKS)
def test_every_attack_is_flagged_with_an_error(by_path, path):
    assert any(f.severity is sigaudit.Severity.ERROR for f in by_path[path].findings)


@pytest.mark.parametrize(
    "path", ["attacks/usf-empty-contents.pdf", "attacks/usf-zero-contents.pdf", "attacks/usf-no-byterange.pdf"]
)
def test_forged_signatures_never_count(by_path, path):
    doc = by_path[path]
    forged = next(s for s in doc.evidence.signatures if s.field == "CoQuan")
    assert forged.status is sigaudit.ValidationStatus.MALFORMED and not sound(forged)
    assert not doc.signed_person_and_org


def test_signature_wrapping_gap_is_found_and_the_signature_does_not_count(by_path):
    doc = by_path["attacks/swa-objects-in-gap.pdf"]
    wrapped = next(s for s in doc.evidence.signatures if s.field == "CoQuan")
    assert wrapped.byte_range_problem.fault is sigaudit.ByteRangeFault.UNSIGNED_GAP
    assert wrapped.intact  # the hash still matches: only the layout gives it away
    assert not sound(wrapped) and not doc.signed_person_and_org
    assert any("annotation" in c for c in wrapped.changes)


def test_incremental_saving_attack_names_the_content_stream(by_path):
    doc = by_path["attacks/isa-content-redefined.pdf"]
    for sig in doc.evidence.approval_signatures:
        assert sig.modification is sigaudit.Modification.OTHER
        assert any(c.startswith("page content stream") for c in sig.changes)


def test_appended_object_without_xref_is_unsigned_trailing_data(by_path):
    ev = by_path["attacks/isa-appended-without-xref.pdf"].evidence
    assert ev.trailing_bytes > 0 and ev.trailing_objects
    assert all(by_path[p].evidence.trailing_bytes == 0 for p in HONEST)


def test_shadow_replace_names_the_refilled_field(by_path):
    doc = by_path["attacks/shadow-replace.pdf"]
    assert [s.changed_fields for s in doc.evidence.signatures] == [("GhiChu",), ("GhiChu",)]
    # Form filling, which the PDF rules allow where no lock forbids it: a warning that
    # names the field and its new value (an error where a FieldMDP/DocMDP lock forbids it,
    # tests/unit/evidence/test_change_verdict.py).
    assert {s.modification for s in doc.evidence.signatures} == {sigaudit.Modification.FORM_FILLING}
    refilled = [f for f in doc.findings if f.code == "MODIFIED_AFTER_SIGNING"]
    assert refilled and all(f.severity is sigaudit.Severity.WARNING for f in refilled)
    assert all("GhiChu" in f.message and "' = '" in f.message for f in refilled), [f.message for f in refilled]


def test_shadow_hide_and_hide_and_replace_are_modifications(by_path):
    for path, kind in (("attacks/shadow-hide.pdf", "form XObject"), ("attacks/shadow-hide-and-replace.pdf", "page")):
        last = by_path[path].evidence.approval_signatures[-1]
        assert last.modification is sigaudit.Modification.OTHER
        assert any(c.startswith(kind) for c in last.changes), last.changes


def test_shared_signature_dictionary(by_path):
    doc = by_path["attacks/signature-shared-by-two-fields.pdf"]
    # one signature shown through two fields: listed and counted once, naming the other field
    (sig,) = doc.evidence.signatures
    assert sig.field == "CoQuan" and sig.shared_with == ("ChuKyThem",)
    shared = [f for f in doc.findings if f.code == "SIGNATURE_SHARED"]
    assert [f.severity.value for f in shared] == ["warning"]
    # the second field was added after signing: an added widget repeating the signature
    assert any("repeats an earlier signature" in c for c in sig.changes)


def test_later_document_timestamp_is_not_a_signature(by_path):
    ev = by_path["attacks/honest-doc-timestamp-added.pdf"].evidence
    assert [s.type.value for s in ev.signatures] == ["signature", "signature", "document_timestamp"]
    assert len(ev.approval_signatures) == 2


# -- the byte-level helpers on their own --


DATA = b"%PDF-1.7\n" + b"a" * 91 + b"<" + b"0A" * 10 + b">" + b"b" * 50 + b"\n%%EOF\n"


@pytest.mark.parametrize(
    "byte_range, problem",
    [
        ([0, 100, 122, 57], None),
        ([1, 99, 122, 57], "does not start at the beginning of the file"),
        ([0, 100, 90, 57], "has overlapping ranges"),
        ([0, 100, 122, 58], "points beyond the end of the file"),
        ([0, 99, 122, 57], "leaves 23 unsigned bytes"),
        ([0, 100, 122], "is not four offsets"),
        ([0, 0, 0, 0], "leaves 179 unsigned bytes"),  # signs nothing: every byte is unsigned
        ([0, 100, 100, 79], "leaves 0 unsigned bytes"),  # no room for the signature value
    ],
)
def test_byte_range_problems(byte_range, problem):
    problem_found = byte_range_problem(DATA, byte_range)
    found = term(byte_range_term(problem_found), "en") if problem_found else None
    assert found == problem if problem is None else found.startswith(problem)


def test_trailing_bytes():
    assert trailing_bytes(DATA, [len(DATA)]) == (0, False)
    assert trailing_bytes(DATA + b"\r\n\x00 ", [len(DATA)]) == (0, False)
    assert trailing_bytes(DATA + b"junk", [len(DATA)]) == (4, False)
    assert trailing_bytes(DATA + b"9 0 obj\n<<>>\nendobj\n", [len(DATA)]) == (19, True)
    assert trailing_bytes(DATA + b"junk", []) == (0, False)


def test_fixture_attack_files_exist():
    assert all((CORPUS / p).is_file() for p in HONEST + ATTACKS)
