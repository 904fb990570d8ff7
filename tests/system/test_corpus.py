"""The fixture corpus: every file's findings are exactly the ones its manifest names."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import CORPUS


def codes(doc) -> set[str]:
    return {f.code for f in doc.findings}


def test_every_manifest_file_is_in_the_report(manifest, by_path):
    assert sorted(by_path) == sorted(m["path"] for m in manifest)


def test_findings_are_exactly_the_expected_ones(manifest, by_path):
    wrong = {
        m["path"]: (sorted(m["expect"]), sorted(codes(by_path[m["path"]])))
        for m in manifest
        if set(m["expect"]) != codes(by_path[m["path"]])
    }
    assert wrong == {}, "expected vs found"


def test_every_issue_two_code_is_demonstrated(manifest):
    required = {
        "UNSIGNED",
        "SIGNATURE_INVALID",
        "MODIFIED_AFTER_SIGNING",
        "CERT_UNTRUSTED",
        "CERT_NOT_VALID_AT_SIGNING_TIME",
        "MISSING_ORG_SIGNATURE",
        "MISSING_PERSONAL_SIGNATURE",
        "SIGNING_DATE_MISMATCH",
        "ISSUANCE_DATE_NOT_FOUND",
        "NUMBER_NOT_FOUND",
        "TIMESTAMP_MISMATCH",
        "OFFICE_MISMATCH",
        "UNREADABLE_PDF",
        "ENCRYPTED_PDF",
    }
    demonstrated = {c for m in manifest for c in m["expect"]}
    assert required <= demonstrated


@pytest.mark.parametrize(
    "path, number, doc_type, place, date, office, parent",
    [
        (
            "ubnd-phu-binh/KH-45-cai-cach-hanh-chinh.pdf",
            "45/KH-UBND",
            "KH",
            "Phú Bình",
            "2021-08-19",
            "ỦY BAN NHÂN DÂN HUYỆN PHÚ BÌNH",
            "UBND TỈNH THÁI NGUYÊN",
        ),
        (
            "ubnd-phu-binh/QD-12-2021-early-morning.pdf",
            "12/2021/QĐ-UBND",
            "QĐ",
            "Phú Bình",
            "2021-08-19",
            "ỦY BAN NHÂN DÂN HUYỆN PHÚ BÌNH",
            "UBND TỈNH THÁI NGUYÊN",
        ),
        (
            "ubnd-phu-binh/TB-02-leading-zeros.pdf",
            "02/TB-UBND",
            "TB",
            "Phú Bình",
            "2021-02-05",
            "ỦY BAN NHÂN DÂN HUYỆN PHÚ BÌNH",
            "UBND TỈNH THÁI NGUYÊN",
        ),
        (
            "phong-noi-vu/KH-15-glued-motto.pdf",
            "15/KH-PNV",
            "KH",
            "Phú Bình",
            "2021-03-02",
            "PHÒNG NỘI VỤ",
            "UBND HUYỆN PHÚ BÌNH",
        ),
        (
            "phong-noi-vu/TB-16-nfd-text.pdf",
            "16/TB-PNV",
            "TB",
            "Phú Bình",
            "2021-03-10",
            "PHÒNG NỘI VỤ",
            "UBND HUYỆN PHÚ BÌNH",
        ),
        (
            "phong-noi-vu/CV-14-numeric-date.pdf",
            "14/PNV-TCCB",
            None,
            "Phú Bình",
            "2021-02-05",
            "PHÒNG NỘI VỤ",
            "UBND HUYỆN PHÚ BÌNH",
        ),
        (
            "so-tnmt-bac-giang/TTr-21-date-line-break.pdf",
            "21/TTr-STNMT",
            "TTr",
            "Bắc Giang",
            "2021-06-09",
            "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG",
            "UBND TỈNH BẮC GIANG",
        ),
        (
            "so-tnmt-bac-giang/KH-22-odd-spacing-timestamped.pdf",
            "22/KH-STNMT",
            "KH",
            "Bắc Giang",
            "2021-07-14",
            "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG",
            "UBND TỈNH BẮC GIANG",
        ),
    ],
)
def test_header_fields_from_real_pdfs(by_path, path, number, doc_type, place, date, office, parent):
    h = by_path[path].evidence.header
    assert (h.number, h.doc_type, h.issuance_place, h.office, h.parent_office) == (
        number,
        doc_type,
        place,
        office,
        parent,
    )
    assert h.issuance_date == dt.date.fromisoformat(date)


def test_nfd_text_is_really_decomposed_in_the_pdf():
    # Guards the fixture itself: the NFD document must keep combining marks in its text.
    from pypdf import PdfReader

    text = PdfReader(CORPUS / "phong-noi-vu/TB-16-nfd-text.pdf").pages[0].extract_text()
    assert "\u0300" in text or "\u0301" in text or "\u0323" in text


def test_signature_evidence_of_a_clean_plan(by_path):
    doc = by_path["ubnd-phu-binh/KH-45-cai-cach-hanh-chinh.pdf"]
    person, org = doc.evidence.signatures
    assert (person.field, person.signer, person.kind.value) == ("NguoiKy", "Nguyễn Văn An", "person")
    assert (org.field, org.signer, org.signer_org, org.kind.value) == (
        "CoQuan",
        "Ủy ban nhân dân huyện Phú Bình",
        "UBND tỉnh Thái Nguyên",
        "organization",
    )
    for s in (person, org):
        assert (s.intact, s.valid, s.trusted) == (True, True, True)
        assert s.time_source.value == "signed_attribute"
        assert s.signing_time.tzinfo is not None
    assert person.coverage == "entire_revision" and person.modification.value == "form_filling"
    assert org.coverage == "entire_file" and org.modification.value == "none"
    assert doc.signed and doc.signed_person_and_org and doc.date_consistent


def test_timestamp_token_is_the_preferred_signing_time(by_path):
    org = by_path["so-tnmt-bac-giang/KH-22-odd-spacing-timestamped.pdf"].evidence.signatures[1]
    assert org.time_source.value == "timestamp_token" and org.timestamp_valid is True
    assert org.sub_filter == "ETSI.CAdES.detached"
    assert org.signing_time == dt.datetime(2021, 7, 14, 3, 5, 3, tzinfo=dt.timezone.utc)


def test_tampered_document_is_not_counted_as_signed(by_path):
    doc = by_path["ubnd-xa-tan-khanh/QD-07-tampered.pdf"]
    assert all(s.intact is False for s in doc.evidence.signatures)
    assert not doc.signed


def test_per_office_counts(corpus_report):
    offices = {o.office: o for o in corpus_report.offices}
    pb = offices["ỦY BAN NHÂN DÂN HUYỆN PHÚ BÌNH"]
    # A signature counts when it is intact, valid, trusted and its certificate was valid when
    # it signed: the office's documents signed with an untrusted, revoked or expired body
    # certificate are signed (by the person) but not by person *and* body.
    assert (pb.documents, pb.signed, pb.signed_person_and_org, pb.date_consistent) == (7, 7, 4, 6)
    bad_org = {"KH-46-expired-person-cert.pdf", "KH-47-untrusted-org-cert.pdf", "KH-48-revoked-person-cert.pdf"}
    names = {d.path.split("/")[-1] for d in corpus_report.documents if d.office == pb.office}
    assert bad_org <= names
    # Header "ỦY BAN NHÂN DÂN XÃ TÂN KHÁNH" and certificate "UBND xã Tân Khánh" are one office.
    xa = offices["ỦY BAN NHÂN DÂN XÃ TÂN KHÁNH"]
    assert (xa.documents, xa.signed, xa.signed_person_and_org) == (7, 5, 2)
    assert sum(o.documents for o in corpus_report.offices) == len(corpus_report.documents)
