"""Updates that are not well-formed incremental updates, written byte by byte on real signed
documents (the generated e-office file always; real e-office documents and a DSS file when
present): an update with no cross-reference section of its own, a table with no trailer,
an object its update's table leaves out, an object of the signed revision replaced under
another generation number (viewers resolve references by number and show it).  Each is an
error that names what was found; honest files never show these breaks
(``test_changes_matrix.py``'s honest classes, ``tests/realworld``)."""

from __future__ import annotations

import io
import re

import pytest
from conftest import ROOT
from test_changes_after_signing import _verdict
from test_changes_matrix import ALL_SOURCES, _change_errors

import sigaudit

_FORGED = b"BT /Helvetica 24 Tf 72 720 Td (BAN SUA) Tj ET"


def _content_ref(data: bytes) -> tuple[int, int]:
    """(number, generation) of page 1's (last) content stream."""
    from pypdf import PdfReader

    contents = PdfReader(io.BytesIO(data)).pages[0].raw_get("/Contents")
    if not hasattr(contents, "idnum"):
        contents = contents.get_object()[-1]
    return contents.idnum, contents.generation


def _parts(data: bytes, generation_step: int = 0) -> dict[str, bytes | int]:
    number, generation = _content_ref(data)
    generation += generation_step
    base = data if data.endswith(b"\n") else data + b"\n"
    obj = (
        b"%d %d obj\n<< /Length %d >>\nstream\n" % (number, generation, len(_FORGED))
        + _FORGED
        + b"\nendstream\nendobj\n"
    )
    prev = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    size = max(int(x) for x in re.findall(rb"/Size\s+(\d+)", data))
    root = re.findall(rb"/Root\s+(\d+\s+\d+\s+R)", data)[-1]
    return {
        "base": base,
        "obj": obj,
        "at": len(base),
        "xref_at": len(base) + len(obj),
        "entry": b"xref\n%d 1\n%010d %05d n \n" % (number, len(base), generation),
        "trailer": b"trailer\n<< /Size %d /Root %s /Prev %d >>\n" % (size, root, prev),
        "prev": prev,
    }


def update_without_section(data: bytes) -> bytes:
    """The page's content redefined in an update whose trailer and startxref name the signed
    revision's section: the update lists nothing it writes."""
    p = _parts(data)
    return p["base"] + p["obj"] + p["trailer"] + b"startxref\n%d\n%%%%EOF\n" % p["prev"]


def table_without_trailer(data: bytes) -> bytes:
    """The page's content redefined in an update whose table has no trailer."""
    p = _parts(data)
    return p["base"] + p["obj"] + p["entry"] + b"startxref\n%d\n%%%%EOF\n" % p["xref_at"]


def object_left_out(data: bytes) -> bytes:
    """A well-formed update of the document information, which also writes the page's content
    anew without listing it in its table."""
    p = _parts(data)
    number = max(int(x) for x in re.findall(rb"/Size\s+(\d+)", data))
    root = re.findall(rb"/Root\s+(\d+\s+\d+\s+R)", data)[-1]
    info = b"%d 0 obj\n<< /Producer (sigaudit test) >>\nendobj\n" % number
    info_at = p["xref_at"]
    return (
        p["base"]
        + p["obj"]
        + info
        + b"xref\n%d 1\n%010d 00000 n \n" % (number, info_at)
        + b"trailer\n<< /Size %d /Root %s /Info %d 0 R /Prev %d >>\n" % (number + 1, root, number, p["prev"])
        + b"startxref\n%d\n%%%%EOF\n" % (info_at + len(info))
    )


def generation_bumped(data: bytes) -> bytes:
    """The page's content written as a new generation of its number, listed in a well-formed
    update: a strict parser keeps the signed object for ``N 0 R``, viewers show the new one."""
    p = _parts(data, generation_step=1)
    return p["base"] + p["obj"] + p["entry"] + p["trailer"] + b"startxref\n%d\n%%%%EOF\n" % p["xref_at"]


BREAKS = {
    "update-without-section": (update_without_section, "unlisted"),
    "table-without-trailer": (table_without_trailer, "damaged"),
    "object-left-out": (object_left_out, "unlisted"),
}


@pytest.fixture(scope="module", params=ALL_SOURCES, ids=lambda p: p.stem)
def source(request) -> bytes:
    return request.param.read_bytes()


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_an_update_that_is_not_well_formed_is_named(source, name):
    build, kind = BREAKS[name]
    result = _verdict(build(source))
    assert result.verdict is not sigaudit.Verdict.PASS
    assert {b.kind for b in result.evidence.revision_breaks} == {kind}, result.evidence.revision_breaks
    errors = [f for f in result.findings if f.code == "NOT_AN_UPDATE" and f.severity is sigaudit.Severity.ERROR]
    assert errors and all(str(b.offset) in errors[0].message for b in result.evidence.revision_breaks[:1])


def test_a_table_without_trailer_leaves_the_signatures_judged_on_their_own_bytes(source):
    result = _verdict(table_without_trailer(source))
    assert all(s.intact for s in result.evidence.signatures), [s.problem for s in result.evidence.signatures]
    # neither pyHanko nor pypdf finds page 1; PDFium repairs the file and shows it: read so
    assert result.evidence.header.has_text, result.evidence.header.text_error


def test_an_object_replaced_under_another_generation_is_a_change(source):
    attacked = generation_bumped(source)
    number, generation = _content_ref(source)
    import pypdfium2 as pdfium

    shown = pdfium.PdfDocument(attacked)[0].get_textpage().get_text_range()
    assert "BAN SUA" in shown  # the premise: a viewer shows the new generation
    result = _verdict(attacked)
    errors = _change_errors(result)
    assert errors and result.verdict is not sigaudit.Verdict.PASS, [(f.code, f.message) for f in result.findings]
    changes = {c for s in result.evidence.signatures for c in s.changes}
    assert (
        f"object {number} replaced under generation {generation + 1} (viewers show it for {number} {generation} R)"
        in changes
    )


LINEARIZED = ROOT.parent / "shared" / "realworld" / "dss" / "adbe_ocsp_signed.pdf"


@pytest.mark.skipif(not LINEARIZED.is_file(), reason="../shared/realworld/dss is not present")
@pytest.mark.parametrize("name", ["signed-invisibly", "metadata", "document-timestamp"])
def test_an_honest_update_of_a_linearized_signed_file_is_not_a_change(name):
    """A linearized file's first-page section sits at its start but comes last in the /Prev
    chain: the signed revision is the last section within the signed bytes, not the one
    that wrote the signature object (whose trailer names no catalog)."""
    from test_changes_matrix import HONEST

    source = LINEARIZED.read_bytes()
    before = _verdict(source)
    after = _verdict(HONEST[name](source))
    new = {(f.code, f.severity) for f in after.findings} - {(f.code, f.severity) for f in before.findings}
    assert not [c for c, _ in new if c in ("MODIFIED_AFTER_SIGNING", "NOT_AN_UPDATE", "CHANGES_NOT_ANALYSED")], [
        f.message for f in after.findings
    ]
    first = after.evidence.signatures[0]
    assert first.modification is not None and first.problem is None


DSS = ROOT.parent / "shared" / "realworld" / "dss"


def _sign_existing(data: bytes) -> bytes:
    """The first empty signature field of the file signed (pyHanko writes the field's value,
    an appearance and restates the widget's /MK)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import fields, signers
    from test_changes_matrix import _pki

    empty = [name for name, _, _ in fields.enumerate_sig_fields(PdfFileReader(io.BytesIO(data)), filled_status=False)]
    who = next(iter(_pki().people.values()))
    signer = signers.SimpleSigner(signing_cert=who.asn1_cert, signing_key=who.asn1_key, cert_registry=None)
    meta = signers.PdfSignatureMetadata(field_name=empty[0], md_algorithm="sha256")
    return signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data), strict=False), meta, signer=signer).getvalue()


@pytest.mark.parametrize("name", ["dss-2554_certified-changes-permitted.pdf", "timestamped-fields.pdf"])
def test_signing_an_empty_field_that_existed_at_signing_is_not_a_change(name):
    """The issue's honest class: an empty signature field of a signed (here certified,
    DocMDP P=2) file signed later gains a value and an appearance — a further signature."""
    if not (DSS / name).is_file():
        pytest.skip("../shared/realworld/dss is not present")
    source = (DSS / name).read_bytes()
    before, after = _verdict(source), _verdict(_sign_existing(source))
    new = {(f.code, f.severity) for f in after.findings} - {(f.code, f.severity) for f in before.findings}
    assert not [c for c, _ in new if c in ("MODIFIED_AFTER_SIGNING", "NOT_AN_UPDATE", "CHANGES_NOT_ANALYSED")], [
        f.message for f in after.findings
    ]
    assert all(s.modification is not None for s in after.evidence.signatures if s.intact)
