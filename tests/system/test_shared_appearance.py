"""Signing an empty field of a signed file while rewriting, in place, the appearance stream
it had (pyHanko's own test files "form-update-override-appearance-stream-…-sneaky"): the
signature's appearance is harmless where it draws only the new field, an attack where the
same stream is also drawn by the page, by another annotation, or reached from the catalog.

Built here, deterministically: a page with a title line, an empty signature field ``Sig2``
whose appearance is a grey box, signed once in a new field ``Sig1``; then ``Sig2`` is signed
by pyHanko in an update that also rewrites the grey box's stream to a black box "FORGED".
"""

from __future__ import annotations

import io

import pytest
from test_changes_after_signing import SETTINGS
from test_changes_matrix import _pki

import sigaudit

CHANGE_CODES = {"MODIFIED_AFTER_SIGNING", "NOT_AN_UPDATE", "CHANGES_NOT_ANALYSED"}


def _n(name: str):
    from pyhanko.pdf_utils import generic

    return generic.NameObject(name)


def _numbers(*values):
    from pyhanko.pdf_utils import generic

    return generic.ArrayObject([generic.NumberObject(v) for v in values])


def _helvetica():
    from pyhanko.pdf_utils import generic

    return generic.DictionaryObject(
        {_n("/Type"): _n("/Font"), _n("/Subtype"): _n("/Type1"), _n("/BaseFont"): _n("/Helvetica")}
    )


def _unsigned(shared_with: str) -> tuple[bytes, int]:
    """The page and its empty field ``Sig2``; the grey box's stream is also drawn by the page
    (``page``), by a square annotation over the title (``annotation``), named by a private
    catalog key (``catalog``), or by nothing else (``none``).  Returns the bytes and the
    stream's object number."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.writer import PdfFileWriter

    w = PdfFileWriter()
    box = generic.StreamObject(
        {_n("/Type"): _n("/XObject"), _n("/Subtype"): _n("/Form"), _n("/BBox"): _numbers(0, 0, 280, 60)},
        stream_data=b"q 0.95 0.95 0.95 rg 0 0 280 60 re f Q 0.5 w 0 0 280 60 re S",
    )
    box_ref = w.add_object(box)
    content = b"BT /F1 18 Tf 20 400 Td (KE HOACH so 12/KH-UBND ngay 05/03/2025) Tj ET"
    xobjects = generic.DictionaryObject()
    if shared_with == "page":
        content += b" q 1 0 0 1 20 300 cm /Fx Do Q"
        xobjects[_n("/Fx")] = box_ref
    page = generic.DictionaryObject(
        {
            _n("/Type"): _n("/Page"),
            _n("/MediaBox"): _numbers(0, 0, 595, 842),
            _n("/Resources"): generic.DictionaryObject(
                {_n("/Font"): generic.DictionaryObject({_n("/F1"): _helvetica()}), _n("/XObject"): xobjects}
            ),
            _n("/Contents"): w.add_object(generic.StreamObject(stream_data=content)),
        }
    )
    page_ref = w.insert_page(page)
    appearance = w.add_object(generic.DictionaryObject({_n("/N"): box_ref}))
    widget = w.add_object(
        generic.DictionaryObject(
            {
                _n("/FT"): _n("/Sig"),
                _n("/T"): generic.TextStringObject("Sig2"),
                _n("/Type"): _n("/Annot"),
                _n("/Subtype"): _n("/Widget"),
                _n("/F"): generic.NumberObject(132),
                _n("/Rect"): _numbers(10, 74, 290, 134),
                _n("/P"): page_ref,
                _n("/AP"): appearance,
            }
        )
    )
    annots = generic.ArrayObject([widget])
    if shared_with == "annotation":
        square = {
            _n("/Type"): _n("/Annot"),
            _n("/Subtype"): _n("/Square"),
            _n("/F"): generic.NumberObject(4),
            _n("/Rect"): _numbers(20, 390, 300, 450),
            _n("/AP"): generic.DictionaryObject({_n("/N"): box_ref}),
        }
        annots.append(w.add_object(generic.DictionaryObject(square)))
    page[_n("/Annots")] = annots
    form = {_n("/Fields"): generic.ArrayObject([widget]), _n("/SigFlags"): generic.NumberObject(3)}
    w.root[_n("/AcroForm")] = w.add_object(generic.DictionaryObject(form))
    if shared_with == "catalog":
        w.root[_n("/FooBar")] = appearance
    out = io.BytesIO()
    w.write(out)
    return out.getvalue(), box_ref.idnum


def _sign(writer_or_data, field: str, box=None) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    who = next(iter(_pki().people.values()))
    signer = signers.SimpleSigner(signing_cert=who.asn1_cert, signing_key=who.asn1_key, cert_registry=None)
    meta = signers.PdfSignatureMetadata(field_name=field, md_algorithm="sha256")
    writer = writer_or_data
    if isinstance(writer_or_data, bytes):
        writer = IncrementalPdfFileWriter(io.BytesIO(writer_or_data), strict=False)
    spec = fields.SigFieldSpec(field, on_page=0, box=box) if box is not None else None
    return signers.sign_pdf(writer, meta, signer=signer, new_field_spec=spec).getvalue()


def _signed_sneakily(data: bytes, box_number: int) -> bytes:
    """``Sig2`` signed in an update that also rewrites the grey box's stream in place."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    ref = generic.Reference(box_number, 0, writer)
    stream = ref.get_object()
    stream[_n("/Resources")] = generic.DictionaryObject(
        {_n("/Font"): generic.DictionaryObject({_n("/F1"): _helvetica()})}
    )
    stream._data, stream._encoded_data = (
        b"q 0.1 0.1 0.1 rg 0 0 280 60 re f Q BT /F1 14 Tf 10 20 Td (FORGED) Tj ET",
        None,
    )
    writer.mark_update(ref)
    return _sign(writer, "Sig2")


def _change_errors(data: bytes) -> list[str]:
    result = sigaudit.inspect(data, settings=SETTINGS)
    assert sorted(s.field for s in result.evidence.signatures) == ["Sig1", "Sig2"]
    return [f.message for f in result.findings if f.code in CHANGE_CODES and f.severity is sigaudit.Severity.ERROR]


@pytest.mark.parametrize(
    ("shared_with", "named"),
    [("page", "form XObject"), ("annotation", "Square"), ("catalog", "FooBar")],
)
def test_a_signing_that_rewrites_a_stream_drawn_elsewhere_is_a_change(shared_with, named):
    data, box_number = _unsigned(shared_with)
    signed = _sign(data, "Sig1", box=(300, 700, 500, 760))
    messages = _change_errors(_signed_sneakily(signed, box_number))
    assert any(named in m for m in messages), messages
    # the same field signed as signing software does (a new appearance stream) is no change
    assert _change_errors(_sign(signed, "Sig2")) == []


def test_a_rewritten_stream_that_only_the_signed_field_drew_is_its_new_appearance():
    # Sig2 now draws with a new stream: the rewritten one is drawn by nothing; no change shows.
    data, box_number = _unsigned("none")
    signed = _sign(data, "Sig1", box=(300, 700, 500, 760))
    assert _change_errors(_signed_sneakily(signed, box_number)) == []
