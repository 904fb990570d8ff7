"""Changes after signing that pyHanko's policy accepts or that a comparison by effect used to
forgive, built as an insider would build them on signed documents: the generated e-office
documents (always) and real e-office documents of ../shared/realworld/vn (when present).

Every attack must be an error on the signatures it follows; the honest update beside them
must stay clean.  The incremental updates are written with pyHanko's own writer.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, TEST_ROOT

import sigaudit

VN = ROOT.parent / "shared" / "realworld" / "vn"
FIXTURE = ROOT / "fixtures" / "eoffice" / "stamped-number-itext.pdf"
# nb_kh196 would do as well but costs pyHanko's difference analysis 3 s a run
SOURCES = [FIXTURE] + [VN / n for n in ("vl_ttr617_ubnd.pdf", "p1vt_qd66.pdf") if (VN / n).is_file()]
SETTINGS = sigaudit.Settings(trust=(str(TEST_ROOT), "vn"), ocr="off")


def _around(boxes) -> tuple[float, float, float, float]:
    """The rectangle around character boxes (left, bottom, right, top), a point wider."""
    return (
        min(b[0] for b in boxes) - 1,
        min(b[1] for b in boxes) - 1,
        max(b[2] for b in boxes) + 1,
        max(b[3] for b in boxes) + 1,
    )


def _date_box(data: bytes) -> tuple[float, float, float, float]:
    """Where page 1 prints "ngày … năm …" (the page content's own text)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        page = pdf[0]
        text = page.get_textpage()
        found = text.search("ngày", match_case=False)
        first = found.get_next()
        assert first is not None, "no date line on page 1"
        start, count = first
        boxes = [text.get_charbox(i) for i in range(start, start + count + 20)]
        boxes = [b for b in boxes if b[2] > b[0]]
        return _around(boxes)
    finally:
        pdf.close()


def _update(data: bytes, change: Callable[..., None]) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    change(writer, data)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _page(writer):
    return _page_ref(writer).get_object()


def _page_ref(writer):
    """Page 1's reference: the first leaf of the page tree (a tree may nest /Pages nodes)."""
    node = writer.root["/Pages"]
    ref = None
    while node.get("/Type") != "/Page":
        ref = node["/Kids"].raw_get(0)
        node = ref.get_object()
    return ref


def _stream(writer, body: bytes, rect, resources=None):
    from pyhanko.pdf_utils import generic

    x0, y0, x1, y1 = rect
    stream = generic.StreamObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/XObject"),
            generic.NameObject("/Subtype"): generic.NameObject("/Form"),
            generic.NameObject("/BBox"): generic.ArrayObject(
                [
                    generic.FloatObject(0),
                    generic.FloatObject(0),
                    generic.FloatObject(x1 - x0),
                    generic.FloatObject(y1 - y0),
                ]
            ),
            **({generic.NameObject("/Resources"): resources} if resources is not None else {}),
        },
        stream_data=body,
    )
    return writer.add_object(stream)


def _add_annotation(writer, annot) -> None:
    from pyhanko.pdf_utils import generic

    page = _page(writer)
    ref = writer.add_object(annot)
    annots = page.get("/Annots")
    annots = generic.ArrayObject(list(annots.get_object()) if annots is not None else [])
    annots.append(ref)
    page[generic.NameObject("/Annots")] = annots
    writer.update_container(page)
    return ref


PAINTS = {
    # white over the date, another date printed on it
    "white": "1 1 1 rg 0 0 {w:.2f} {h:.2f} re f 0 0 0 rg BT /F1 {size:.1f} Tf 1 {rise:.1f} Td (ngay 01 thang 01 nam 2020) Tj ET",
    # the date buried: its glyphs stay dark, the paper around them turns dark too
    "black": "0 0 0 rg 0 0 {w:.2f} {h:.2f} re f",
    "red": "0.8 0 0 rg 0 0 {w:.2f} {h:.2f} re f",
    "grey": "0.6 0.6 0.6 rg 0 0 {w:.2f} {h:.2f} re f",
    # an empty field prepared for a next signer: its appearance draws nothing
    "nothing": "",
}


def whiteout_field(
    writer, data: bytes, *, signed: bool = False, flags: int = 4, paint: str = "white", rect=None, pressed=False
) -> None:
    """A new (unsigned) signature field whose appearance paints white over the printed
    date line and prints another date (``flags``: the widget's /F; ``paint``: one of
    ``PAINTS``; ``rect``: where, the date line by default; ``pressed``: that appearance is
    drawn only when the pointer is over the field or presses it, the normal one is empty)."""
    from pyhanko.pdf_utils import generic

    rect = rect or _date_box(data)
    w, h = rect[2] - rect[0], rect[3] - rect[1]
    font = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Font"),
            generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
            generic.NameObject("/BaseFont"): generic.NameObject("/Helvetica"),
        }
    )
    res = generic.DictionaryObject(
        {generic.NameObject("/Font"): generic.DictionaryObject({generic.NameObject("/F1"): writer.add_object(font)})}
    )
    body = PAINTS[paint].format(w=w, h=h, size=h * 0.7, rise=h * 0.2).encode()
    ap = _stream(writer, body, rect, res)
    field = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Annot"),
            generic.NameObject("/Subtype"): generic.NameObject("/Widget"),
            generic.NameObject("/FT"): generic.NameObject("/Sig"),
            generic.NameObject("/T"): generic.TextStringObject("Overlay"),
            generic.NameObject("/F"): generic.NumberObject(flags),
            generic.NameObject("/Rect"): generic.ArrayObject([generic.FloatObject(v) for v in rect]),
            generic.NameObject("/P"): _page_ref(writer),
            generic.NameObject("/AP"): generic.DictionaryObject({generic.NameObject("/N"): ap}),
        }
    )
    if pressed:
        empty = _stream(writer, b"", rect, res)
        field[generic.NameObject("/AP")] = generic.DictionaryObject(
            {generic.NameObject("/N"): empty, generic.NameObject("/R"): ap, generic.NameObject("/D"): ap}
        )
    ref = _add_annotation(writer, field)
    form = writer.root["/AcroForm"]
    fields = generic.ArrayObject(list(form["/Fields"]))
    fields.append(ref)
    form[generic.NameObject("/Fields")] = fields
    writer.update_container(form)


def page_open_action(writer, data: bytes) -> None:
    from pyhanko.pdf_utils import generic

    page = _page(writer)
    js = generic.DictionaryObject(
        {
            generic.NameObject("/S"): generic.NameObject("/JavaScript"),
            generic.NameObject("/JS"): generic.TextStringObject("app.alert('x')"),
        }
    )
    page[generic.NameObject("/AA")] = generic.DictionaryObject({generic.NameObject("/O"): writer.add_object(js)})
    writer.update_container(page)


def outlines(writer, data: bytes) -> None:
    from pyhanko.pdf_utils import generic

    item = generic.DictionaryObject(
        {
            generic.NameObject("/Title"): generic.TextStringObject("Quyết định số 99 ngày 01/01/2020"),
            generic.NameObject("/Dest"): generic.ArrayObject([_page_ref(writer), generic.NameObject("/Fit")]),
        }
    )
    item_ref = writer.add_object(item)
    root = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Outlines"),
            generic.NameObject("/First"): item_ref,
            generic.NameObject("/Last"): item_ref,
            generic.NameObject("/Count"): generic.NumberObject(1),
        }
    )
    item[generic.NameObject("/Parent")] = writer.add_object(root)
    writer.root[generic.NameObject("/Outlines")] = item["/Parent"]
    writer.update_root()


def javascript_link(writer, data: bytes) -> None:
    from pyhanko.pdf_utils import generic

    rect = _date_box(data)
    link = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Annot"),
            generic.NameObject("/Subtype"): generic.NameObject("/Link"),
            generic.NameObject("/Rect"): generic.ArrayObject([generic.FloatObject(v) for v in rect]),
            generic.NameObject("/A"): generic.DictionaryObject(
                {
                    generic.NameObject("/S"): generic.NameObject("/JavaScript"),
                    generic.NameObject("/JS"): generic.TextStringObject("this.print()"),
                }
            ),
        }
    )
    _add_annotation(writer, link)


def layer_on_existing_widget(writer, data: bytes) -> None:
    """/OC on an annotation that existed at signing: a layer that is off hides it."""
    from pyhanko.pdf_utils import generic

    page = _page(writer)
    ocg = writer.add_object(
        generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/OCG"),
                generic.NameObject("/Name"): generic.TextStringObject("hidden"),
            }
        )
    )
    annot_ref = page["/Annots"].raw_get(0)
    annot = annot_ref.get_object()
    annot[generic.NameObject("/OC")] = ocg
    writer.mark_update(annot_ref)


def _existing_widget(writer):
    page = _page(writer)
    annots = page["/Annots"]
    for i in range(len(annots)):
        ref = annots.raw_get(i)
        if ref.get_object().get("/Subtype") == "/Widget" and "/AP" in ref.get_object():
            return ref
    return annots.raw_get(0)


def named_destination(writer, data: bytes) -> None:
    """A named destination added: where a link or bookmark naming it goes."""
    from pyhanko.pdf_utils import generic

    n = generic.NameObject
    dests = generic.DictionaryObject(
        {
            n("/Names"): generic.ArrayObject(
                [generic.TextStringObject("dieu-1"), generic.ArrayObject([_page_ref(writer), n("/Fit")])]
            )
        }
    )
    names = writer.root.get("/Names")
    names = names.get_object() if names is not None else None
    names = generic.DictionaryObject(dict(names.items())) if names is not None else generic.DictionaryObject()
    names[n("/Dests")] = writer.add_object(dests)
    writer.root[n("/Names")] = names
    writer.update_root()


def stamp_made_transparent(writer, data: bytes) -> None:
    """/CA 0 on a widget that existed at signing (the clerk's stamped number): drawn with
    no opacity, it disappears."""
    from pyhanko.pdf_utils import generic

    ref = _existing_widget(writer)
    ref.get_object()[generic.NameObject("/CA")] = generic.FloatObject(0)
    writer.mark_update(ref)


def widget_action_added(writer, data: bytes) -> None:
    """/AA with JavaScript on a widget that existed at signing."""
    from pyhanko.pdf_utils import generic

    ref = _existing_widget(writer)
    action = generic.DictionaryObject(
        {
            generic.NameObject("/S"): generic.NameObject("/JavaScript"),
            generic.NameObject("/JS"): generic.TextStringObject("app.alert('x')"),
        }
    )
    ref.get_object()[generic.NameObject("/AA")] = generic.DictionaryObject({generic.NameObject("/E"): action})
    writer.mark_update(ref)


def widget_reparented(writer, data: bytes) -> None:
    """A widget that existed at signing hung from another field object (same name, another
    value): ``/Parent`` rewritten."""
    from pyhanko.pdf_utils import generic

    ref = _existing_widget(writer)
    widget = ref.get_object()
    parent = widget.get("/Parent")
    parent = parent.get_object() if parent is not None else None
    copy = generic.DictionaryObject({k: v for k, v in (parent.items() if parent is not None else [])})
    copy[generic.NameObject("/T")] = (parent or widget).get("/T") or generic.TextStringObject("x")
    copy[generic.NameObject("/Kids")] = generic.ArrayObject([ref])
    widget[generic.NameObject("/Parent")] = writer.add_object(copy)
    writer.mark_update(ref)


def embedded_file(writer, data: bytes) -> None:
    from pyhanko.pdf_utils import generic

    spec = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Filespec"),
            generic.NameObject("/F"): generic.TextStringObject("ban-khac.pdf"),
            generic.NameObject("/EF"): generic.DictionaryObject(
                {generic.NameObject("/F"): writer.add_object(generic.StreamObject(stream_data=b"%PDF-1.4 other"))}
            ),
        }
    )
    names = generic.DictionaryObject(
        {
            generic.NameObject("/EmbeddedFiles"): generic.DictionaryObject(
                {
                    generic.NameObject("/Names"): generic.ArrayObject(
                        [generic.TextStringObject("ban-khac.pdf"), writer.add_object(spec)]
                    )
                }
            )
        }
    )
    writer.root[generic.NameObject("/Names")] = writer.add_object(names)
    writer.update_root()


def printed_only_box(writer, data: bytes) -> None:
    """A black box over the printed date, left off the screen but printed (/F NoView and
    Print): a viewer shows the signed page, the paper copy a clerk files does not."""
    from pyhanko.pdf_utils import generic

    rect = _date_box(data)
    ap = _stream(writer, f"0 g 0 0 {rect[2] - rect[0]:.2f} {rect[3] - rect[1]:.2f} re f".encode(), rect)
    annot = {
        "/Type": generic.NameObject("/Annot"),
        "/Subtype": generic.NameObject("/Square"),
        "/F": generic.NumberObject(32 | 4),
        "/Rect": generic.ArrayObject([generic.FloatObject(v) for v in rect]),
        "/AP": generic.DictionaryObject({generic.NameObject("/N"): ap}),
    }
    _add_annotation(writer, generic.DictionaryObject({generic.NameObject(k): v for k, v in annot.items()}))


def metadata_only(writer, data: bytes) -> None:
    """Honest: the document information updated (a producer's save)."""
    from pyhanko.pdf_utils import generic

    info = generic.DictionaryObject({generic.NameObject("/Producer"): generic.TextStringObject("văn thư")})
    writer.set_info(writer.add_object(info))


def _n(name: str):
    from pyhanko.pdf_utils import generic

    return generic.NameObject(name)


def _rect(values):
    from pyhanko.pdf_utils import generic

    return generic.ArrayObject([generic.FloatObject(v) for v in values])


MARGIN = (5.0, 5.0, 60.0, 25.0)


def _file_spec(writer, content: bytes):
    from pyhanko.pdf_utils import generic

    data = writer.add_object(generic.StreamObject({_n("/Type"): _n("/EmbeddedFile")}, stream_data=content))
    spec = generic.DictionaryObject(
        {
            _n("/Type"): _n("/Filespec"),
            _n("/F"): generic.TextStringObject("phu-luc.xlsx"),
            _n("/EF"): generic.DictionaryObject({_n("/F"): data}),
        }
    )
    return writer.add_object(spec)


def attachment_added(writer, data: bytes) -> None:
    """A paperclip in the bottom margin holding a file no signature covered."""
    from pyhanko.pdf_utils import generic

    annot = generic.DictionaryObject(
        {
            _n("/Type"): _n("/Annot"),
            _n("/Subtype"): _n("/FileAttachment"),
            _n("/Rect"): _rect(MARGIN),
            _n("/FS"): _file_spec(writer, b"so lieu da ky"),
            _n("/Name"): _n("/Paperclip"),
        }
    )
    _add_annotation(writer, annot)


def _link(writer, action=None):
    from pyhanko.pdf_utils import generic

    annot = generic.DictionaryObject(
        {_n("/Type"): _n("/Annot"), _n("/Subtype"): _n("/Link"), _n("/Rect"): _rect((70.0, 5.0, 140.0, 25.0))}
    )
    if action is None:
        annot[_n("/Dest")] = generic.ArrayObject([_page_ref(writer), _n("/Fit")])
    else:
        annot[_n("/A")] = action
    _add_annotation(writer, annot)


def hiding_link_added(writer, data: bytes) -> None:
    """A link in the margin whose action hides an annotation (the clerk's stamp) when clicked."""
    from pyhanko.pdf_utils import generic

    _link(writer, generic.DictionaryObject({_n("/S"): _n("/Hide"), _n("/T"): generic.TextStringObject("CapSo")}))


def link_drawn_over_date(writer, data: bytes) -> None:
    """A link to page 1 (no action: nothing happens on a click) whose appearance paints
    white over the printed date: viewers draw a link's appearance like any annotation's."""
    from pyhanko.pdf_utils import generic

    rect = _date_box(data)
    ap = _stream(writer, f"1 g 0 0 {rect[2] - rect[0]:.2f} {rect[3] - rect[1]:.2f} re f".encode(), rect)
    link = generic.DictionaryObject(
        {
            _n("/Type"): _n("/Annot"),
            _n("/Subtype"): _n("/Link"),
            _n("/F"): generic.NumberObject(4),
            _n("/Rect"): _rect(rect),
            _n("/Dest"): generic.ArrayObject([_page_ref(writer), _n("/Fit")]),
            _n("/AP"): generic.DictionaryObject({_n("/N"): ap}),
        }
    )
    _add_annotation(writer, link)


def _inked(data: bytes, box) -> bool:
    """Whether page 1, as it shows, has ink (20 pixels at 144 dpi) inside ``box``."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        pdf.init_forms()
        page = pdf[0]
        width, height = page.get_size()
        crop = (max(box[0], 0), max(box[1], 0), max(width - box[2], 0), max(height - box[3], 0))
        if crop[0] + crop[2] >= width or crop[1] + crop[3] >= height:
            return False  # off the page
        image = page.render(scale=2, crop=crop, may_draw_forms=True, grayscale=True).to_pil().convert("L")
        return sum(image.histogram()[:128]) >= 20
    finally:
        pdf.close()


def _stamp_box(writer, data: bytes) -> tuple[float, float, float, float]:
    """The rectangle of page 1's first signed signature widget whose appearance shows
    something: the clerk's stamped number, a republisher's stamp."""
    for ref in _page(writer).get("/Annots") or []:
        annot = ref.get_object()
        node = annot
        while "/V" not in node and "/Parent" in node:
            node = node["/Parent"]
        if annot.get("/Subtype") != "/Widget" or "/AP" not in annot or node.get("/V") is None:
            continue
        r = [float(v) for v in annot["/Rect"]]
        box = (min(r[0], r[2]), min(r[1], r[3]), max(r[0], r[2]), max(r[1], r[3]))
        if box[2] - box[0] > 4 and box[3] - box[1] > 4 and _inked(data, box):
            return box
    pytest.skip("page 1 shows no signature stamp")


def stamp_whited_out(writer, data: bytes) -> None:
    """A new field whose appearance paints white over the clerk's stamp (the number or the
    day a cấp-số signature stamped into a blank) and prints other digits: the page content
    under it is blank, what the signed page showed there is the stamp."""
    whiteout_field(writer, data, rect=_stamp_box(writer, data))


ATTACKS = {
    "whiteout-by-unsigned-field": whiteout_field,
    "page-open-action": page_open_action,
    "outlines-added": outlines,
    "javascript-link-over-date": javascript_link,
    "layer-on-existing-widget": layer_on_existing_widget,
    "embedded-file": embedded_file,
    "stamp-made-transparent": stamp_made_transparent,
    "named-destination": named_destination,
    "widget-action-added": widget_action_added,
    "widget-reparented": widget_reparented,
    "printed-only-box-over-date": printed_only_box,
    "printed-only-field-over-date": functools.partial(whiteout_field, flags=32 | 4),
    "date-buried-by-black-field": functools.partial(whiteout_field, paint="black"),
    "date-buried-by-red-field": functools.partial(whiteout_field, paint="red"),
    "date-greyed-by-field": functools.partial(whiteout_field, paint="grey"),
    "attachment-in-margin": attachment_added,
    "link-hiding-an-annotation": hiding_link_added,
    "stamp-whited-out": stamp_whited_out,
    "link-drawn-over-date": link_drawn_over_date,
    "date-whited-out-when-pointed-at": functools.partial(whiteout_field, pressed=True),
}


@pytest.fixture(scope="module", params=SOURCES, ids=lambda p: Path(p).stem)
def source(request) -> bytes:
    return Path(request.param).read_bytes()


@pytest.fixture(scope="module")
def before(source) -> sigaudit.DocumentResult:
    return _verdict(source)


def _verdict(data: bytes) -> sigaudit.DocumentResult:
    return sigaudit.inspect(data, settings=SETTINGS)


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_every_attack_is_an_error_on_the_signatures_it_follows(source, before, name):
    attacked = _verdict(_update(source, ATTACKS[name]))
    errors = [f for f in attacked.findings if f.severity is sigaudit.Severity.ERROR]
    assert any(f.code == "MODIFIED_AFTER_SIGNING" for f in errors), [f.code for f in attacked.findings]
    assert attacked.verdict is not sigaudit.Verdict.PASS
    assert before.evidence.signatures, "the source is signed"


def test_an_honest_metadata_update_is_not_a_change(source, before):
    after = _verdict(_update(source, metadata_only))
    new = {f.code for f in after.findings} - {f.code for f in before.findings}
    assert "MODIFIED_AFTER_SIGNING" not in new, [f.message for f in after.findings]


def _appended_whole(data: bytes) -> bytes:
    """The document as a viewer would show it after an edit, written whole by pypdf as a
    second PDF after the signed file's %%EOF (its own header, cross-reference and trailer,
    no /Prev): every viewer shows the appended document."""
    import re

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.add_metadata({"/Title": "ban khac"})
    out = io.BytesIO()
    writer.write(out)
    other = out.getvalue()
    base = len(data) + 1
    xref = other.rindex(b"\nxref\n") + 1
    offsets = {int(m[1]): m.start() + base for m in re.finditer(rb"(?m)^(\d+) 0 obj", other[:xref])}
    count = max(offsets) + 1
    table = [b"xref", f"0 {count}".encode(), b"0000000000 65535 f "]
    table += [
        (f"{offsets[n]:010d} 00000 n " if n in offsets else "0000000000 65535 f ").encode() for n in range(1, count)
    ]
    trailer = re.sub(rb"startxref\s+\d+", f"startxref\n{xref + base}".encode(), other[other.index(b"trailer", xref) :])
    return data + b"\n" + other[:xref] + b"\n".join(table) + b"\n" + trailer


def _unlinked(data: bytes) -> bytes:
    """An honest-looking update whose trailer's /Prev is blanked: the final cross-reference
    never leads back to what was signed."""
    import re

    updated = _update(data, metadata_only)
    last = updated.rindex(b"trailer")
    tail = re.sub(rb"/Prev\s+\d+", lambda m: b" " * len(m[0]), updated[last:], count=1)
    assert tail != updated[last:]
    return updated[:last] + tail


def _objects_after_eof(data: bytes) -> bytes:
    """Page 1's content stream defined again after the end of file, with no cross-reference
    section, and closed by another %%EOF (the incremental saving attack's bare form): a
    parser that gives up on the file, or a viewer that repairs it, may read it."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.reader import PdfFileReader

    page = PdfFileReader(io.BytesIO(data), strict=False).root["/Pages"]["/Kids"][0].get_object()
    contents = page.raw_get("/Contents")
    ref = contents.get_object().raw_get(0) if isinstance(contents.get_object(), generic.ArrayObject) else contents
    body = b"BT /F1 24 Tf 100 700 Td (FORGED) Tj ET"
    forged = b"\n%d 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\n%%%%EOF\n" % (ref.idnum, len(body), body)
    return data + forged


@pytest.mark.parametrize(
    "build, kind",
    [(_appended_whole, "second_header"), (_unlinked, "unlinked"), (_objects_after_eof, "outside")],
)
def test_a_file_that_is_not_an_update_of_what_was_signed_is_an_error(source, build, kind):
    result = _verdict(build(source))
    breaks = {b.kind for b in result.evidence.revision_breaks}
    assert breaks == {kind}
    assert any(f.code == "NOT_AN_UPDATE" and f.severity is sigaudit.Severity.ERROR for f in result.findings)
    assert result.verdict is sigaudit.Verdict.FAIL
    if kind == "outside":
        # each signature is still judged on its own signed bytes: intact and validated
        assert result.evidence.signatures
        assert all(s.status is sigaudit.ValidationStatus.VALIDATED for s in result.evidence.signatures)


def test_every_honest_update_continues_the_signed_revision(source, before):
    assert before.evidence.revision_breaks == ()
    assert _verdict(_update(source, metadata_only)).evidence.revision_breaks == ()


SCANS = [ROOT / "fixtures" / "scans" / "KH-45-scan-straight.pdf"] + [
    VN / n for n in ("vl_bb05_snv_scan.pdf", "qn_bc23_scan.pdf") if (VN / n).is_file()
]


def _white_square(rect):
    def change(writer, data: bytes) -> None:
        from pyhanko.pdf_utils import generic

        w, h = rect[2] - rect[0], rect[3] - rect[1]
        ap = _stream(writer, f"1 1 1 rg 0 0 {w:.2f} {h:.2f} re f".encode(), rect)
        _add_annotation(
            writer,
            generic.DictionaryObject(
                {
                    generic.NameObject("/Type"): generic.NameObject("/Annot"),
                    generic.NameObject("/Subtype"): generic.NameObject("/Square"),
                    generic.NameObject("/Rect"): generic.ArrayObject([generic.FloatObject(v) for v in rect]),
                    generic.NameObject("/F"): generic.NumberObject(4),
                    generic.NameObject("/AP"): generic.DictionaryObject({generic.NameObject("/N"): ap}),
                }
            ),
        )

    return change


@pytest.mark.parametrize("scan", SCANS, ids=lambda p: p.name)
def test_an_annotation_over_a_scans_printed_header_is_an_error_and_in_the_margin_a_warning(scan):
    """A scan's date and number are pixels, not text: an annotation over them hides signed
    ink (error); one in a blank margin hides nothing (warning naming its type)."""
    import pypdfium2 as pdfium

    data = scan.read_bytes()
    pdf = pdfium.PdfDocument(data)
    width, height = pdf[0].get_size()
    pdf.close()
    over = _verdict(_update(data, _white_square((width * 0.45, height * 0.80, width * 0.95, height * 0.90))))
    changed = [f for f in over.findings if f.code == "MODIFIED_AFTER_SIGNING"]
    assert changed and all(f.severity is sigaudit.Severity.ERROR for f in changed), [f.severity for f in changed]
    margin = _verdict(_update(data, _white_square((2, 2, 30, 20))))
    changed = [f for f in margin.findings if f.code == "MODIFIED_AFTER_SIGNING"]
    assert changed and all(f.severity is sigaudit.Severity.WARNING for f in changed)
    assert any("Square" in str(f.message) for f in changed)


@pytest.mark.parametrize("paint", ["white", "black"])
@pytest.mark.parametrize("scan", SCANS, ids=lambda p: p.name)
def test_a_signature_field_over_a_scans_printed_header_is_an_error_and_in_the_blank_margin_none(scan, paint):
    """A signature appearance may draw only where the signed page was blank: over a scan's
    printed header (pixels, no text) a white or black box is a change; the same field in
    a blank margin hides nothing (the real stamps of the scans lie in the top margin, over
    no ink; a box there would hide them)."""
    import pypdfium2 as pdfium

    data = scan.read_bytes()
    pdf = pdfium.PdfDocument(data)
    width, height = pdf[0].get_size()
    pdf.close()
    header = (width * 0.45, height * 0.80, width * 0.95, height * 0.90)
    over = _verdict(_update(data, functools.partial(whiteout_field, paint=paint, rect=header)))
    errors = [f.code for f in over.findings if f.severity is sigaudit.Severity.ERROR]
    assert "MODIFIED_AFTER_SIGNING" in errors, [f.code for f in over.findings]
    margin = (4, 4, width * 0.3, 20)
    blank = _verdict(_update(data, functools.partial(whiteout_field, paint=paint, rect=margin)))
    errors = [
        f.message
        for f in blank.findings
        if f.severity is sigaudit.Severity.ERROR and f.code == "MODIFIED_AFTER_SIGNING"
    ]
    assert not errors, errors


def _page_key(key: str, value_of):
    def change(writer, data: bytes) -> None:
        from pyhanko.pdf_utils import generic

        page = _page(writer)
        page[generic.NameObject(key)] = value_of()
        writer.update_container(page)

    return change


def _transition():
    from pyhanko.pdf_utils import generic

    return generic.DictionaryObject({generic.NameObject("/S"): generic.NameObject("/Dissolve")})


@pytest.mark.parametrize("key, value_of", [("/Trans", _transition)], ids=["transition"])
def test_a_page_key_compared_nowhere_else_is_proven_by_rendering(source, key, value_of, monkeypatch):
    """A page key the comparison does not know (a presentation transition) is judged by its
    effect: the page is rendered from the signed bytes and from the final file; the same
    pixels and text, no change.  Where the two renderings differ, the key is named."""
    from sigaudit.evidence.changes import effects

    changed = _update(source, _page_key(key, value_of))
    assert not [f for f in _verdict(changed).findings if f.code == "MODIFIED_AFTER_SIGNING"]
    monkeypatch.setattr(effects, "_renders_equal", lambda *a, **k: False)
    named = [f for f in _verdict(changed).findings if f.code == "MODIFIED_AFTER_SIGNING"]
    assert named and all(f.severity is sigaudit.Severity.ERROR for f in named)
    assert any(f"dictionary ({key[1:]})" in str(f.message) for f in named), [f.message for f in named]


def test_a_printed_only_box_over_the_date_is_named_so_in_both_languages(source):
    attacked = _verdict(_update(source, printed_only_box))
    found = [
        f for f in attacked.findings if f.code == "MODIFIED_AFTER_SIGNING" and f.severity is sigaudit.Severity.ERROR
    ]
    assert found, [f.code for f in attacked.findings]
    assert "(printed, not shown on screen) annotation added over signed text" in found[0].message
    assert "chỉ hiện khi in" in found[0].message_vi and "printed" not in found[0].message_vi


def test_an_unsigned_field_drawing_in_a_blank_margin_is_named_and_one_drawing_nothing_is_not(source):
    """An empty signature field whose appearance draws text in a blank margin adds content
    no signature covers (a clerk's stamp is a signed field): named, in both languages, an
    error where a certification forbids annotations.  An empty field that draws nothing
    (prepared for a next signer) is no change."""
    margin = (40, 30, 300, 50)
    drawn = _verdict(_update(source, functools.partial(whiteout_field, rect=margin)))
    found = [f for f in drawn.findings if f.code == "MODIFIED_AFTER_SIGNING"]
    assert found, [f.code for f in drawn.findings]
    assert all("unsigned signature field drawing on the page" in f.message for f in found)
    assert all("ô chữ ký chưa ký" in f.message_vi and "unsigned" not in f.message_vi for f in found)
    certified = any("DocMDP P=2" in f.message for f in found)
    assert all(f.severity is (sigaudit.Severity.ERROR if certified else sigaudit.Severity.WARNING) for f in found)
    empty = _verdict(_update(source, functools.partial(whiteout_field, rect=margin, paint="nothing")))
    assert not [f.message for f in empty.findings if f.code == "MODIFIED_AFTER_SIGNING"]


def test_a_field_drawn_otherwise_when_pointed_at_is_judged_by_what_it_lies_over(source):
    """A new signature field whose normal appearance is empty and whose appearances for the
    pointer over it and pressed (/R, /D) box over the date: a viewer shows the box when the
    reader's pointer passes, and only the normal appearance is drawn here — so it is judged
    by its rectangle: over the printed date an error in both languages, in a blank margin
    nothing (it draws nothing there that was signed)."""
    over = _verdict(_update(source, functools.partial(whiteout_field, pressed=True)))
    found = [f for f in over.findings if f.code == "MODIFIED_AFTER_SIGNING" and f.severity is sigaudit.Severity.ERROR]
    assert found and all("pointed at or pressed" in f.message for f in found), [f.message for f in over.findings]
    assert all("trỏ chuột" in f.message_vi for f in found)
    margin = _verdict(_update(source, functools.partial(whiteout_field, pressed=True, rect=(40, 30, 300, 50))))
    assert not [f.message for f in margin.findings if f.code == "MODIFIED_AFTER_SIGNING"]


DSS_FILLED = ROOT.parent / "shared" / "realworld" / "dss" / "DSS-3577.pdf"
DSS_DARK = ROOT.parent / "shared" / "realworld" / "dss" / "DSS-2155.pdf"


def _first_line(data: bytes, text: str) -> tuple[float, float, float, float]:
    """The box of page 1's first characters, which must read ``text``."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        page = pdf[0].get_textpage()
        assert page.get_text_range(0, len(text)) == text
        boxes = [page.get_charbox(i) for i in range(len(text))]
    finally:
        pdf.close()
    return _around(boxes)


@pytest.mark.parametrize(
    "attack",
    ["white-box", "black-box", "layer-on-existing-widget", "widget-action-added", "stamp-made-transparent"],
)
def test_a_change_is_judged_also_where_a_field_was_filled_after_signing(attack):
    """EU DSS-3577: a field filled after signing (permitted: a warning).  A signature field
    added later whose appearance boxes over the signed page's first line is an error too
    (before, any filling left every new widget's appearance unjudged), and so is a layer,
    an action or no opacity put on the filled field's widget (before, forgiven as part of
    the filling)."""
    if not DSS_FILLED.is_file():
        pytest.skip(f"{DSS_FILLED} is absent")
    data = DSS_FILLED.read_bytes()
    before = _verdict(data)
    assert [f.severity for f in before.findings if f.code == "MODIFIED_AFTER_SIGNING"] == [sigaudit.Severity.WARNING]
    if attack.endswith("-box"):
        line = _first_line(data, "DEMONSTRATION DOCUMENT ONLY")
        change = functools.partial(whiteout_field, paint=attack.removesuffix("-box"), rect=line)
    else:
        change = ATTACKS[attack]
    attacked = _verdict(_update(data, change))
    errors = [
        f.message
        for f in attacked.findings
        if f.code == "MODIFIED_AFTER_SIGNING" and f.severity is sigaudit.Severity.ERROR
    ]
    assert errors, [f.message for f in attacked.findings]
    assert ("signature appearance" if attack.endswith("-box") else "annotation changed (Widget: /") in errors[0]


@pytest.mark.parametrize("paint", ["white", "black", "red", "grey"])
def test_light_text_on_a_dark_band_under_a_box_is_an_error(paint):
    """EU DSS-2155 prints its title white on a dark band.  A box over it hides the title
    whatever its colour: a red or grey one leaves the band dark and the letters' pixels
    as dark as the band (before, only the black one was caught: the rules looked for dark
    ink turning light, or for the paper around the glyphs changing)."""
    if not DSS_DARK.is_file():
        pytest.skip(f"{DSS_DARK} is absent")
    data = DSS_DARK.read_bytes()
    line = _first_line(data, "Esign testing")
    attacked = _verdict(_update(data, functools.partial(whiteout_field, paint=paint, rect=line)))
    errors = [
        f.message
        for f in attacked.findings
        if f.code == "MODIFIED_AFTER_SIGNING" and f.severity is sigaudit.Severity.ERROR
    ]
    assert errors and "signature appearance" in errors[0], [f.message for f in attacked.findings]


DSS_UNSUPPORTED = ROOT.parent / "shared" / "realworld" / "dss" / "pades-unsupported-signature-algorithm.pdf"


@pytest.mark.parametrize("name", ["outlines-added", "page-open-action", "whiteout-by-unsigned-field"])
def test_a_change_after_a_signature_this_tool_cannot_verify_is_still_named(name):
    """EU DSS's signature on a curve this validator does not support: not verified (a
    warning, the document undecided), but its signed revision ends where its /ByteRange
    ends, and what was changed after it is an error all the same (before: no finding)."""
    if not DSS_UNSUPPORTED.is_file():
        pytest.skip(f"{DSS_UNSUPPORTED} is absent")
    data = DSS_UNSUPPORTED.read_bytes()
    before = _verdict(data)
    assert "SIGNATURE_UNSUPPORTED" in {f.code for f in before.findings}
    assert before.verdict is sigaudit.Verdict.INCONCLUSIVE
    honest = _verdict(_update(data, metadata_only))
    assert "MODIFIED_AFTER_SIGNING" not in {f.code for f in honest.findings}
    change = ATTACKS[name]
    if name == "whiteout-by-unsigned-field":
        change = functools.partial(whiteout_field, rect=_first_line(data, "Hello"))
    attacked = _verdict(_update(data, change))
    errors = [f.code for f in attacked.findings if f.severity is sigaudit.Severity.ERROR]
    assert "MODIFIED_AFTER_SIGNING" in errors, [f.message for f in attacked.findings]
    assert attacked.verdict is sigaudit.Verdict.FAIL


def test_every_attack_is_told_in_vietnamese():
    """What the Vietnamese message names as changed is Vietnamese ("document named Dests" was
    left in English); PDF names (Widget, /AA) stay as they are."""
    source = FIXTURE.read_bytes()
    english = re.compile(r"\b(?:document|named|annotation|added|changed|removed|page|signed|over|field)\b", re.I)
    for name, change in sorted(ATTACKS.items()):
        for f in _verdict(_update(source, change)).findings:
            if f.code == "MODIFIED_AFTER_SIGNING":
                said = f.message_vi.split("Phần thay đổi:")[-1]
                assert not english.search(said), (name, said)


@pytest.mark.parametrize(
    "path", [ROOT.parent / "shared" / "realworld" / p for p in ("dss/pades-bes.pdf", "vn/qn_ct01_2021_scan.pdf")]
)
def test_a_signatures_own_dictionary_written_again_after_signing_is_an_error(path):
    """One signature, its dictionary written again in a later update with another claimed
    time and name (what a viewer's signature panel shows) over the same signed bytes.
    pyHanko dates the signed revision by the last write of the signature object, which made
    the forged revision look signed: no finding.  The signed revision ends where the
    /ByteRange ends."""
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    from test_changes_matrix import signature_rewritten

    attacked = _verdict(_update(path.read_bytes(), signature_rewritten))
    errors = [f.message for f in attacked.findings if f.code == "MODIFIED_AFTER_SIGNING"]
    assert errors and "dictionary rewritten (M, Name)" in errors[0], [f.message for f in attacked.findings]
    assert attacked.verdict is sigaudit.Verdict.FAIL
    assert attacked.evidence.signatures[0].coverage is sigaudit.Coverage.ENTIRE_REVISION
    # the claimed time is the signed one, not the rewritten 2020-01-01
    signed = _verdict(path.read_bytes()).evidence.signatures[0].pdf_time
    assert attacked.evidence.signatures[0].pdf_time == signed and signed.year != 2020
