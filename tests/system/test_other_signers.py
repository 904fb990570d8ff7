"""Honest signatures as other signing tools make them, which a closed list must not take for
changes (both seen in pyHanko's own test files, `minimal-two-fields-signed-twice.pdf` made
by Adobe Reader and `separate-annots-kids-indir.pdf`):

- Adobe Reader signs an empty signature field that existed at signing and, in the same
  update, locks its widget: the widget's flags go from Print (4) to Print and Locked (132);
- a signature field added and signed later whose widget is listed in the field's ``/Kids``
  but has no ``/Parent`` back to it: its value is the field's.

Built here with pyHanko's writer on the page of ``test_shared_appearance.py``.  Beside
each, the attack that differs from it by one step stays an error.
"""

from __future__ import annotations

import io

from test_changes_after_signing import SETTINGS
from test_shared_appearance import CHANGE_CODES, _n, _numbers, _sign, _unsigned

import sigaudit


def _codes(data: bytes, field: str) -> set[str]:
    result = sigaudit.inspect(data, settings=SETTINGS)
    assert {s.field for s in result.evidence.signatures} >= {"Sig1", "Sig2"}
    return {f.code for f in result.findings if f.signature == field} & CHANGE_CODES


def _writer(data: bytes):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    return IncrementalPdfFileWriter(io.BytesIO(data), strict=False)


def _widget_flags(data: bytes, flags: int) -> bytes:
    """An update that sets the empty field ``Sig2``'s widget flags (before anything is signed)."""
    from pyhanko.pdf_utils import generic

    writer = _writer(data)
    ref = writer.root["/AcroForm"]["/Fields"].raw_get(0)
    ref.get_object()[_n("/F")] = generic.NumberObject(flags)
    writer.update_container(ref.get_object())
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _locked_and_signed(data: bytes, *, hide_square: bool = False) -> bytes:
    """``Sig2`` signed in an update that sets its widget's flags to Print and Locked, as Adobe
    Reader does; ``hide_square``: the same update also hides the square annotation the
    signed page showed over its title."""
    from pyhanko.pdf_utils import generic

    writer = _writer(data)
    annots = writer.root["/Pages"]["/Kids"][0]["/Annots"]
    for i in range(len(annots)):
        annot = annots[i]
        if annot.get("/T") == "Sig2":
            annot[_n("/F")] = generic.NumberObject(132)
            writer.update_container(annot)
        elif hide_square and annot.get("/Subtype") == "/Square":
            annot[_n("/F")] = generic.NumberObject(2)
            writer.update_container(annot)
    return _sign(writer, "Sig2")


def _adobe_style(hide_square: bool = False) -> bytes:
    data, _ = _unsigned("annotation")
    data = _widget_flags(data, 4)
    data = _sign(data, "Sig1", box=(300, 700, 560, 760))
    return _locked_and_signed(data, hide_square=hide_square)


def test_an_empty_field_signed_and_locked_as_adobe_reader_does_is_not_a_change():
    assert _codes(_adobe_style(), "Sig1") == set()


def test_another_annotation_hidden_in_that_update_is_still_a_change():
    assert "MODIFIED_AFTER_SIGNING" in _codes(_adobe_style(hide_square=True), "Sig1")


def _kid_without_parent(data: bytes, *, signed: bool = True) -> bytes:
    """An update that adds the field ``Sig3`` whose one widget, a black box, is listed in
    its ``/Kids`` and has no ``/Parent``, then signs it (pyHanko fills the existing field and
    draws its own appearance in the blank lower margin); or (not ``signed``) leaves it
    empty, its black box over the signed title line."""
    from pyhanko.pdf_utils import generic

    writer = _writer(data)
    page_ref = writer.root["/Pages"]["/Kids"].raw_get(0)
    page = page_ref.get_object()
    rect = (300, 20, 560, 70) if signed else (20, 390, 560, 430)
    body = b"q 0 0 0 rg 0 0 %d %d re f Q" % (rect[2] - rect[0], rect[3] - rect[1])
    box = generic.StreamObject(
        {
            _n("/Type"): _n("/XObject"),
            _n("/Subtype"): _n("/Form"),
            _n("/BBox"): _numbers(0, 0, rect[2] - rect[0], rect[3] - rect[1]),
        },
        stream_data=body,
    )
    widget = writer.add_object(
        generic.DictionaryObject(
            {
                _n("/Type"): _n("/Annot"),
                _n("/Subtype"): _n("/Widget"),
                _n("/F"): generic.NumberObject(4),
                _n("/Rect"): _numbers(*rect),
                _n("/P"): page_ref,
                _n("/AP"): generic.DictionaryObject({_n("/N"): writer.add_object(box)}),
            }
        )
    )
    field = writer.add_object(
        generic.DictionaryObject(
            {
                _n("/FT"): _n("/Sig"),
                _n("/T"): generic.TextStringObject("Sig3"),
                _n("/Kids"): generic.ArrayObject([widget]),
            }
        )
    )
    page["/Annots"].append(widget)
    writer.update_container(page)
    form = writer.root["/AcroForm"]
    form["/Fields"].append(field)
    writer.update_container(form)
    if signed:
        return _sign(writer, "Sig3")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _with_kid(signed: bool = True) -> bytes:
    data, _ = _unsigned("none")
    data = _sign(data, "Sig1", box=(300, 700, 560, 760))
    return _kid_without_parent(data, signed=signed)


def test_a_signed_field_whose_widget_has_no_parent_is_a_signature_not_an_unsigned_drawing():
    data = _with_kid()
    result = sigaudit.inspect(data, settings=SETTINGS)
    assert "Sig3" in {s.field for s in result.evidence.signatures}
    assert {f.code for f in result.findings if f.signature == "Sig1"} & CHANGE_CODES == set()


def test_such_a_widget_left_empty_and_blacking_out_the_signed_title_is_an_error():
    result = sigaudit.inspect(_with_kid(signed=False), settings=SETTINGS)
    errors = {f.code for f in result.findings if f.signature == "Sig1" and f.severity.value == "error"}
    assert "MODIFIED_AFTER_SIGNING" in errors
