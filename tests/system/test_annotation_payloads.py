"""What an annotation carries or does, judged after signing (issue 24's closed list).

An annotation may hold a file (a FileAttachment's file specification), media, or an action,
and a link leads somewhere: none of it is drawn on the page, so the pixels cannot judge it.
Added after signing, an annotation that carries a file or acts when clicked (any action but
going to a page of this document) is a change; on an annotation that existed at signing,
the attached file and the link's destination must stay what was signed."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_changes_after_signing import (
    FIXTURE,
    VN,
    _add_annotation,
    _file_spec,
    _link,
    _page,
    _page_ref,
    _update,
    _verdict,
    attachment_added,
    hiding_link_added,
)
from test_changes_matrix import _sign

import sigaudit

SOURCES = [FIXTURE] + [VN / n for n in ("ld_cv125_stp.pdf",) if (VN / n).is_file()]


def _n(name: str):
    from pyhanko.pdf_utils import generic

    return generic.NameObject(name)


def page_link_added(writer, data: bytes) -> None:
    """A link in the margin to page 1 of the document: navigation only."""
    _link(writer)


def signed_with_attachment_and_link(data: bytes) -> bytes:
    """The source with an attachment and a link to page 1, then signed ('KyThem')."""

    def both(writer, data: bytes) -> None:
        attachment_added(writer, data)
        page_link_added(writer, data)

    return _sign(_update(data, both), None)


def _annotation(writer, subtype: str):
    return next(a.get_object() for a in _page(writer)["/Annots"] if a.get_object().get("/Subtype") == subtype)


def attachment_swapped(writer, data: bytes) -> None:
    annot = _annotation(writer, "/FileAttachment")
    annot[_n("/FS")] = _file_spec(writer, b"so lieu khac")
    writer.update_container(annot)


def attached_file_rewritten(writer, data: bytes) -> None:
    """The attached file's stream itself redefined, the annotation untouched."""
    from pyhanko.pdf_utils import generic

    spec = _annotation(writer, "/FileAttachment")["/FS"]
    ref = spec["/EF"].raw_get("/F")
    writer.objects[(ref.generation, ref.idnum)] = generic.StreamObject(
        {_n("/Type"): _n("/EmbeddedFile")}, stream_data=b"so lieu khac"
    )


def destination_changed(writer, data: bytes) -> None:
    from pyhanko.pdf_utils import generic

    annot = _annotation(writer, "/Link")
    annot[_n("/Dest")] = generic.ArrayObject(
        [_page_ref(writer), _n("/XYZ"), *(generic.NumberObject(v) for v in (0, 9999, 8))]
    )
    writer.update_container(annot)


def _change_errors(result: sigaudit.DocumentResult, signature: str | None = None) -> list[sigaudit.Finding]:
    return [
        f
        for f in result.findings
        if f.code == "MODIFIED_AFTER_SIGNING"
        and f.severity is sigaudit.Severity.ERROR
        and (signature is None or f.signature == signature)
    ]


@pytest.fixture(scope="module", params=SOURCES, ids=lambda p: Path(p).stem)
def source(request) -> bytes:
    return Path(request.param).read_bytes()


@pytest.mark.parametrize(
    ("change", "named"),
    [(attachment_added, "file or media added (FileAttachment)"), (hiding_link_added, "action added (Link)")],
)
def test_an_added_annotation_that_carries_a_file_or_acts_is_a_change(source, change, named):
    errors = _change_errors(_verdict(_update(source, change)))
    assert errors and all(named in f.message for f in errors), [f.message for f in errors]


def test_an_added_link_to_a_page_of_the_document_is_no_change_error(source):
    after = _verdict(_update(source, page_link_added))
    assert not [f for f in _change_errors(after) if "Link" in f.message], [f.message for f in after.findings]


@pytest.fixture(scope="module")
def signed_base(source) -> bytes:
    return signed_with_attachment_and_link(source)


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (attachment_swapped, "FileAttachment: /FS"),
        (attached_file_rewritten, "FileAttachment: /FS"),
        (destination_changed, "Link: /Dest"),
    ],
)
def test_what_a_signed_annotation_carries_or_leads_to_may_not_change(signed_base, change, named):
    assert not _change_errors(_verdict(signed_base), "KyThem")
    errors = _change_errors(_verdict(_update(signed_base, change)), "KyThem")
    assert errors and named in errors[0].message, [f.message for f in errors]


def test_a_metadata_update_after_the_annotations_were_signed_is_not_a_change(signed_base):
    from test_changes_after_signing import metadata_only

    after = _verdict(_update(signed_base, metadata_only))
    assert not [f for f in after.findings if f.code == "MODIFIED_AFTER_SIGNING" and f.signature == "KyThem"]


def _text_field(name: str, rect):
    """An empty text field (no appearance yet): nothing is drawn at signing."""
    from pyhanko.pdf_utils import generic

    def add(writer, data: bytes) -> None:
        box = rect(data) if callable(rect) else rect
        widget = generic.DictionaryObject(
            {
                _n("/Type"): _n("/Annot"),
                _n("/Subtype"): _n("/Widget"),
                _n("/FT"): _n("/Tx"),
                _n("/T"): generic.TextStringObject(name),
                _n("/F"): generic.NumberObject(4),
                _n("/Rect"): generic.ArrayObject([generic.FloatObject(v) for v in box]),
            }
        )
        ref = _add_annotation(writer, widget)
        form = writer.root.get("/AcroForm")
        if form is None:
            writer.root[_n("/AcroForm")] = generic.DictionaryObject({_n("/Fields"): generic.ArrayObject([ref])})
        else:
            form = form.get_object()
            form["/Fields"].append(ref)
            if hasattr(writer.root.raw_get("/AcroForm"), "idnum"):
                writer.update_container(form)
        writer.update_root()

    return add


def _fill(name: str, value: str, paint: bytes):
    """Fill field ``name``: its value and an appearance that paints ``paint`` (a white box)
    and writes the value."""
    from pyhanko.pdf_utils import generic

    def fill(writer, data: bytes) -> None:
        widget = next(a.get_object() for a in _page(writer)["/Annots"] if a.get_object().get("/T") == name)
        r = [float(v) for v in widget["/Rect"]]
        w, h = r[2] - r[0], r[3] - r[1]
        stream = paint % (w, h) + b" BT /Helv 9 Tf 0 g 2 3 Td (" + value.encode("latin-1") + b") Tj ET"
        helv = generic.DictionaryObject(
            {_n("/Type"): _n("/Font"), _n("/Subtype"): _n("/Type1"), _n("/BaseFont"): _n("/Helvetica")}
        )
        ap = generic.StreamObject(
            {
                _n("/Type"): _n("/XObject"),
                _n("/Subtype"): _n("/Form"),
                _n("/BBox"): generic.ArrayObject([generic.FloatObject(v) for v in (0, 0, w, h)]),
                _n("/Resources"): generic.DictionaryObject(
                    {_n("/Font"): generic.DictionaryObject({_n("/Helv"): helv})}
                ),
            },
            stream_data=stream,
        )
        widget[_n("/V")] = generic.TextStringObject(value)
        widget[_n("/AP")] = generic.DictionaryObject({_n("/N"): writer.add_object(ap)})
        writer.update_container(widget)

    return fill


WHITE = b"1 g 0 0 %.2f %.2f re f"


@pytest.fixture(scope="module")
def fields_base(source) -> bytes:
    """Two empty text fields, one over the printed date and one in the bottom margin, then
    signed ('KyThem')."""
    from test_changes_after_signing import _date_box

    def both(writer, data: bytes) -> None:
        _text_field("ngay", _date_box)(writer, data)
        _text_field("ghi_chu", (300.0, 5.0, 560.0, 25.0))(writer, data)

    return _sign(_update(source, both), None)


def test_a_field_filled_over_the_signed_date_is_a_change(fields_base):
    """A field that existed at signing, empty, over the printed date: filled after signing
    with a white box and another date, it hides what was signed — no filling."""
    errors = _change_errors(_verdict(_update(fields_base, _fill("ngay", "01/01/2020", WHITE))), "KyThem")
    assert errors and "form field 'ngay' filled over signed text" in errors[0].message, [f.message for f in errors]


def test_a_field_filled_in_a_blank_is_permitted_filling(fields_base):
    after = _verdict(_update(fields_base, _fill("ghi_chu", "Da xem", WHITE)))
    assert not _change_errors(after, "KyThem"), [f.message for f in after.findings]
    warned = [f for f in after.findings if f.code == "MODIFIED_AFTER_SIGNING" and f.signature == "KyThem"]
    assert warned and "'ghi_chu' = 'Da xem'" in warned[0].message
