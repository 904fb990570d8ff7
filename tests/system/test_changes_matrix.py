"""Every class of change after signing, built on real signed documents (the generated
e-office file always; real e-office documents of ../shared/realworld/vn and a DSS file when
present): each attack an error, each honest update without a change finding.

pyHanko's difference analysis is the oracle, not the judge: where it accepts a built file,
sigaudit accepts it too unless it names a visible or behavioural change.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from conftest import ROOT
from test_changes_after_signing import (
    SETTINGS,
    SOURCES,
    _add_annotation,
    _page,
    _stream,
    _update,
    _verdict,
    metadata_only,
    outlines,
)
from test_changes_after_signing import (
    _date_box as _printed_date_box,
)

import sigaudit

DSS = ROOT.parent / "shared" / "realworld" / "dss"
ALL_SOURCES = [*SOURCES, DSS / "PAdES-LT.pdf"] if (DSS / "PAdES-LT.pdf").is_file() else SOURCES


def _n(name: str):
    from pyhanko.pdf_utils import generic

    return generic.NameObject(name)


def _date_box(data: bytes):
    """Where page 1 prints its date, else (a file of another country) its first words."""
    try:
        return _printed_date_box(data)
    except AssertionError:
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(data)
        try:
            text = pdf[0].get_textpage()
            boxes = [b for b in (text.get_charbox(i) for i in range(min(30, text.count_chars()))) if b[2] > b[0]]
            assert boxes, "no text on page 1"
            return (
                min(b[0] for b in boxes) - 1,
                min(b[1] for b in boxes) - 1,
                max(b[2] for b in boxes) + 1,
                max(b[3] for b in boxes) + 1,
            )
        finally:
            pdf.close()


def _first_content(writer):
    page = _page(writer)
    contents = page.raw_get("/Contents")
    from pyhanko.pdf_utils import generic

    if isinstance(contents.get_object(), generic.ArrayObject):
        return contents.get_object().raw_get(0)
    return contents


def content_replaced(writer, data: bytes) -> None:
    """The page's content stream replaced by one that paints the printed date over."""
    from pyhanko.pdf_utils import generic

    x0, y0, x1, y1 = _date_box(data)
    page = _page(writer)
    old = _first_content(writer).get_object().data
    body = old + f"\nq 1 1 1 rg {x0:.1f} {y0:.1f} {x1 - x0:.1f} {y1 - y0:.1f} re f Q\n".encode()
    page[_n("/Contents")] = writer.add_object(generic.StreamObject(stream_data=body))
    writer.update_container(page)


def square_over_date(writer, data: bytes) -> None:
    """A white square annotation over the printed date."""
    from pyhanko.pdf_utils import generic

    rect = _date_box(data)
    w, h = rect[2] - rect[0], rect[3] - rect[1]
    ap = _stream(writer, f"1 1 1 rg 0 0 {w:.2f} {h:.2f} re f".encode(), rect)
    annot = generic.DictionaryObject(
        {
            _n("/Type"): _n("/Annot"),
            _n("/Subtype"): _n("/Square"),
            _n("/Rect"): generic.ArrayObject([generic.FloatObject(v) for v in rect]),
            _n("/IC"): generic.ArrayObject([generic.FloatObject(1)] * 3),
            _n("/F"): generic.NumberObject(4),
            _n("/AP"): generic.DictionaryObject({_n("/N"): ap}),
        }
    )
    _add_annotation(writer, annot)


def _fonts(writer):
    """(reference, font) of the indirect fonts page 1 draws with."""
    page = _page(writer)
    resources = page["/Resources"] if "/Resources" in page else writer.root["/Pages"]["/Resources"]
    fonts = resources["/Font"] if "/Font" in resources else {}
    return [(fonts.raw_get(k), fonts[k]) for k in fonts if hasattr(fonts.raw_get(k), "idnum")]


def tounicode_swapped(writer, data: bytes) -> None:
    """A font's ToUnicode map replaced: the same glyphs, other words to a reader of text."""
    from pyhanko.pdf_utils import generic

    fonts = _fonts(writer)
    if not fonts:
        pytest.skip("page 1 has no indirect font")
    # the map of a font that carries one (the body text's), else the first font's
    ref, font = next((f for f in fonts if "/ToUnicode" in f[1]), fonts[0])
    two = font.get("/Subtype") == "/Type0"
    space = "<0000> <FFFF>" if two else "<00> <FF>"
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Swapped def "
        f"1 begincodespacerange {space} endcodespacerange 1 beginbfrange {space} <0041> endbfrange "
        "endcmap CMapName currentdict /CMap defineresource pop end end"
    ).encode()
    font[_n("/ToUnicode")] = writer.add_object(generic.StreamObject(stream_data=cmap))
    writer.mark_update(ref)


def pages_changed(writer, data: bytes) -> None:
    """Pages reordered (several) or a blank page added (one)."""
    from pyhanko.pdf_utils import generic

    pages = writer.root["/Pages"]
    kids = list(pages["/Kids"])
    if len(kids) >= 2:
        kids = [pages["/Kids"].raw_get(i) for i in reversed(range(len(kids)))]
    else:
        blank = generic.DictionaryObject(
            {
                _n("/Type"): _n("/Page"),
                _n("/Parent"): writer.root.raw_get("/Pages"),
                _n("/MediaBox"): generic.ArrayObject([generic.NumberObject(v) for v in (0, 0, 595, 842)]),
            }
        )
        kids = [pages["/Kids"].raw_get(0), writer.add_object(blank)]
        pages[_n("/Count")] = generic.NumberObject(int(pages["/Count"]) + 1)
    pages[_n("/Kids")] = generic.ArrayObject(kids)
    writer.update_container(pages)


def page_rotated(writer, data: bytes) -> None:
    """A page dictionary of the signed revision redefined: turned a quarter."""
    from pyhanko.pdf_utils import generic

    page = _page(writer)
    page[_n("/Rotate")] = generic.NumberObject(90)
    writer.update_container(page)


def layers_added(writer, data: bytes) -> None:
    """Optional content configured after signing (a layer set off by default)."""
    from pyhanko.pdf_utils import generic

    ocg = writer.add_object(
        generic.DictionaryObject({_n("/Type"): _n("/OCG"), _n("/Name"): generic.TextStringObject("x")})
    )
    writer.root[_n("/OCProperties")] = generic.DictionaryObject(
        {
            _n("/OCGs"): generic.ArrayObject([ocg]),
            _n("/D"): generic.DictionaryObject({_n("/OFF"): generic.ArrayObject([ocg])}),
        }
    )
    writer.update_root()


def open_action_javascript(writer, data: bytes) -> None:
    from pyhanko.pdf_utils import generic

    writer.root[_n("/OpenAction")] = generic.DictionaryObject(
        {_n("/S"): _n("/JavaScript"), _n("/JS"): generic.TextStringObject("app.alert('x')")}
    )
    writer.update_root()


def _write_form(writer, change) -> None:
    """``change`` applied to the form dictionary, written back where it lives."""
    from pyhanko.pdf_utils import generic

    form = writer.root["/AcroForm"]
    change(form)
    if isinstance(writer.root.raw_get("/AcroForm"), generic.IndirectObject):
        writer.update_container(form)
    else:
        writer.update_root()


def need_appearances(writer, data: bytes) -> None:
    """/NeedAppearances set: viewers draw every field again from its value."""
    from pyhanko.pdf_utils import generic

    _write_form(writer, lambda form: form.__setitem__(_n("/NeedAppearances"), generic.BooleanObject(True)))


def xfa_added(writer, data: bytes) -> None:
    """An XFA form, which Acrobat shows instead of the pages."""
    from pyhanko.pdf_utils import generic

    xdp = writer.add_object(generic.StreamObject(stream_data=b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"/>'))
    _write_form(writer, lambda form: form.__setitem__(_n("/XFA"), xdp))


def opens_full_screen(writer, data: bytes) -> None:
    """The file set to open full screen, with the viewer's toolbar and menus hidden."""
    from pyhanko.pdf_utils import generic

    writer.root[_n("/PageMode")] = _n("/FullScreen")
    writer.root[_n("/ViewerPreferences")] = generic.DictionaryObject(
        {_n("/HideToolbar"): generic.BooleanObject(True), _n("/HideMenubar"): generic.BooleanObject(True)}
    )
    writer.update_root()


def _file_spec(writer):
    """A file specification embedding a small executable's name and bytes."""
    from pyhanko.pdf_utils import generic

    stream = writer.add_object(generic.StreamObject({_n("/Type"): _n("/EmbeddedFile")}, stream_data=b"MZ payload"))
    return writer.add_object(
        generic.DictionaryObject(
            {
                _n("/Type"): _n("/Filespec"),
                _n("/F"): generic.TextStringObject("update.exe"),
                _n("/UF"): generic.TextStringObject("update.exe"),
                _n("/EF"): generic.DictionaryObject({_n("/F"): stream}),
            }
        )
    )


def page_associated_file(writer, data: bytes) -> None:
    """A file attached to page 1 as a PDF 2.0 associated file (/AF): the page draws the
    same, the file travels with it unsigned."""
    from pyhanko.pdf_utils import generic

    page = _page(writer)
    page[_n("/AF")] = generic.ArrayObject([_file_spec(writer)])
    writer.update_container(page)


def page_thumbnail(writer, data: bytes) -> None:
    """Page 1's thumbnail (what the viewer's page panel shows) replaced by another picture."""
    from pyhanko.pdf_utils import generic

    picture = {
        _n("/Width"): generic.NumberObject(2),
        _n("/Height"): generic.NumberObject(2),
        _n("/ColorSpace"): _n("/DeviceGray"),
        _n("/BitsPerComponent"): generic.NumberObject(8),
    }
    page = _page(writer)
    page[_n("/Thumb")] = writer.add_object(generic.StreamObject(picture, stream_data=b"\x00\xff\xff\x00"))
    writer.update_container(page)


def _corner_note(writer, text: str, **entries) -> None:
    """A comment (a Text annotation) in page 1's bottom-left corner, with more entries."""
    from pyhanko.pdf_utils import generic

    annot = generic.DictionaryObject(
        {
            _n("/Type"): _n("/Annot"),
            _n("/Subtype"): _n("/Text"),
            _n("/Rect"): generic.ArrayObject([generic.FloatObject(x) for x in (2, 2, 12, 12)]),
            _n("/Contents"): generic.TextStringObject(text),
            **{_n(f"/{key}"): value for key, value in entries.items()},
        }
    )
    _add_annotation(writer, annot)


def popup_open_over_date(writer, data: bytes, *, open_: bool = True, over_date: bool = True) -> None:
    """A note in page 1's corner whose comment window (its popup) opens with the file over
    the printed date, saying another date: a viewer shows the window over the page."""
    from pyhanko.pdf_utils import generic

    x0, y0, x1, y1 = _date_box(data) if over_date else (6, 6, 30, 12)  # the page's blank corner
    note = generic.DictionaryObject(
        {
            _n("/Type"): _n("/Annot"),
            _n("/Subtype"): _n("/Text"),
            _n("/Rect"): generic.ArrayObject([generic.FloatObject(x) for x in (2, 2, 12, 12)]),
            _n("/Contents"): generic.TextStringObject("ngày 30 tháng 12 năm 2025"),
            _n("/Open"): generic.BooleanObject(open_),
        }
    )
    note_ref = _add_annotation(writer, note)
    popup = generic.DictionaryObject(
        {
            _n("/Type"): _n("/Annot"),
            _n("/Subtype"): _n("/Popup"),
            _n("/Rect"): generic.ArrayObject([generic.FloatObject(x) for x in (x0 - 4, y0 - 4, x1 + 40, y1 + 30)]),
            _n("/Open"): generic.BooleanObject(open_),
            _n("/Parent"): note_ref,
        }
    )
    note[_n("/Popup")] = _add_annotation(writer, popup)
    writer.update_container(note)


def margin_note_with_file(writer, data: bytes) -> None:
    """A note in the page's corner that carries a file as its associated file (/AF)."""
    from pyhanko.pdf_utils import generic

    _corner_note(writer, "ghi chú", AF=generic.ArrayObject([_file_spec(writer)]))


def signature_rewritten(writer, data: bytes) -> None:
    """The first signature's dictionary written again with another claimed time and signer
    name (what a viewer's signature panel shows), its signed bytes untouched."""
    from pyhanko.pdf_utils import generic

    fields = writer.root["/AcroForm"]["/Fields"]
    field = next(f.get_object() for f in fields if "/V" in f.get_object())
    value = field.raw_get("/V")
    signature = value.get_object()
    signature[_n("/M")] = generic.TextStringObject("D:20200101090000+07'00'")
    signature[_n("/Name")] = generic.TextStringObject("Nguyen Van A")
    writer.mark_update(value)


def _damaged_xref(data: bytes) -> bytes:
    """Content replaced, then the update's startxref pointed a few bytes off."""
    import re

    updated = _update(data, content_replaced)
    last = list(re.finditer(rb"startxref\s+(\d+)", updated))[-1]
    return updated[: last.start(1)] + str(int(last[1]) + 7).encode() + updated[last.end(1) :]


def _misplaced_entries(data: bytes) -> bytes:
    """Content replaced, then every entry of the update's cross-reference table pointed a
    few bytes off (the update's own table; a cross-reference stream is left alone)."""
    import re

    updated = _update(data, content_replaced)
    section = int(list(re.finditer(rb"startxref\s+(\d+)", updated))[-1][1])
    if not updated.startswith(b"xref", section):
        pytest.skip("the update is written with a cross-reference stream")
    end = updated.index(b"trailer", section)
    table = re.sub(rb"(\d{10}) (\d{5}) n", lambda e: b"%010d %s n" % (int(e[1]) + 3, e[2]), updated[section:end])
    return updated[:section] + table + updated[end:]


def _in_object_stream(data: bytes, *, hybrid: bool = False) -> bytes:
    """Page 1 redefined inside an object stream of an update written by hand with a
    cross-reference stream: its content gains a black box over the printed date.
    ``hybrid``: the update's classic table lists only the new content stream and the
    cross-reference stream, whose entries (the page among them) a reader finds through the
    trailer's /XRefStm (a hybrid-reference file, ISO 32000-1 §7.5.8.4): readers that skip
    /XRefStm see nothing changed, PDFium and Acrobat see the box."""
    import io
    import re

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    ref = reader.root["/Pages"]["/Kids"].raw_get(0)
    page = ref.get_object()
    root = reader.trailer_view.raw_get("/Root")
    prev = int(list(re.finditer(rb"startxref\s+(\d+)", data))[-1][1])
    box, content, objstm, xref = (
        _date_box(data),
        *range(int(reader.trailer_view["/Size"]), int(reader.trailer_view["/Size"]) + 3),
    )
    draw = b"q 0 g %.1f %.1f %.1f %.1f re f Q" % (box[0], box[1], box[2] - box[0], box[3] - box[1])
    drawn = page.get_object().raw_get("/Contents")
    streams = list(drawn.get_object()) if isinstance(drawn.get_object(), generic.ArrayObject) else [drawn]
    new_page = generic.DictionaryObject({k: page.raw_get(k) for k in page.keys()})
    new_page[generic.NameObject("/Contents")] = generic.ArrayObject(
        [*streams, generic.IndirectObject(content, 0, reader)]
    )
    serialized = io.BytesIO()
    new_page.write_to_stream(serialized, None)
    out = bytearray(data if data.endswith(b"\n") else data + b"\n")
    at = {content: len(out)}
    out += b"%d 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\n" % (content, len(draw), draw)
    head = b"%d 0 " % ref.idnum
    body = head + serialized.getvalue()
    at[objstm] = len(out)
    out += b"%d 0 obj\n<< /Type /ObjStm /N 1 /First %d /Length %d >>\nstream\n" % (objstm, len(head), len(body))
    out += body + b"\nendstream\nendobj\n"
    at[xref] = len(out)
    rows = sorted([(ref.idnum, 2, objstm, 0), *((n, 1, at[n], 0) for n in (content, objstm, xref))])
    entries = b"".join(bytes([t]) + f2.to_bytes(4, "big") + f3.to_bytes(2, "big") for _, t, f2, f3 in rows)
    index = " ".join(f"{n} 1" for n, *_ in rows).encode()
    out += (
        b"%d 0 obj\n<< /Type /XRef /Size %d /Root %d %d R /Prev %d /W [1 4 2] /Index [%s] /Length %d >>\nstream\n"
        % (xref, xref + 1, root.idnum, root.generation, prev, index, len(entries))
    )
    out += entries + b"\nendstream\nendobj\n"
    if not hybrid:
        return bytes(out + b"startxref\n%d\n%%%%EOF\n" % at[xref])
    table = len(out)
    out += b"xref\n%d 1\n%010d 00000 n \n%d 1\n%010d 00000 n \n" % (content, at[content], xref, at[xref])
    out += b"trailer\n<< /Size %d /Root %d %d R /Prev %d /XRefStm %d >>\n" % (
        xref + 1,
        root.idnum,
        root.generation,
        prev,
        at[xref],
    )
    return bytes(out + b"startxref\n%d\n%%%%EOF\n" % table)


ATTACKS = {
    "misplaced-xref-entries": _misplaced_entries,
    "content-replaced": lambda d: _update(d, content_replaced),
    "square-over-date": lambda d: _update(d, square_over_date),
    "tounicode-swapped": lambda d: _update(d, tounicode_swapped),
    "pages-changed": lambda d: _update(d, pages_changed),
    "page-rotated": lambda d: _update(d, page_rotated),
    "layers-added": lambda d: _update(d, layers_added),
    "open-action-javascript": lambda d: _update(d, open_action_javascript),
    "outlines": lambda d: _update(d, outlines),
    "damaged-xref": _damaged_xref,
    "need-appearances": lambda d: _update(d, need_appearances),
    "xfa-added": lambda d: _update(d, xfa_added),
    "opens-full-screen": lambda d: _update(d, opens_full_screen),
    "page-associated-file": lambda d: _update(d, page_associated_file),
    "page-thumbnail": lambda d: _update(d, page_thumbnail),
    "margin-note-with-file": lambda d: _update(d, margin_note_with_file),
    "popup-open-over-date": lambda d: _update(d, popup_open_over_date),
    "signature-rewritten": lambda d: _update(d, signature_rewritten),
    "page-in-object-stream": _in_object_stream,
    "hybrid-reference-update": lambda d: _in_object_stream(d, hybrid=True),
}


# ---------------------------------------------------------------- honest updates


@cache
def _pki():
    import sys

    sys.path.insert(0, str(ROOT / "fixtures"))
    import generate

    return generate.build_pki()


def _sign(data: bytes, box) -> bytes:
    import io

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    pki = _pki()
    who = next(iter(pki.people.values()))
    signer = signers.SimpleSigner(signing_cert=who.asn1_cert, signing_key=who.asn1_key, cert_registry=None)
    meta = signers.PdfSignatureMetadata(field_name="KyThem", md_algorithm="sha256")
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    spec = fields.SigFieldSpec("KyThem", on_page=0, box=box)
    return signers.sign_pdf(writer, meta, signer=signer, new_field_spec=spec).getvalue()


def rewritten_unchanged(writer, data: bytes) -> None:
    """An incremental save that writes the catalog, the page and its fonts again, unchanged."""
    writer.update_root()
    writer.update_container(_page(writer))
    for ref, _ in _fonts(writer):
        writer.mark_update(ref)


def language_set(writer, data: bytes) -> None:
    """The catalog's language (read by screen readers) set after signing: nothing shown or
    done changes (on a certified file the certification refers to the catalog)."""
    from pyhanko.pdf_utils import generic

    writer.root[_n("/Lang")] = generic.TextStringObject("vi-VN")
    writer.update_root()


def dss_added(writer, data: bytes) -> None:
    """Long-term validation data: a DSS with a certificate and an empty VRI."""
    from pyhanko.pdf_utils import generic

    cert = writer.add_object(generic.StreamObject(stream_data=_pki().ca.cert.public_bytes(_der())))
    writer.root[_n("/DSS")] = writer.add_object(
        generic.DictionaryObject({_n("/Certs"): generic.ArrayObject([cert]), _n("/VRI"): generic.DictionaryObject()})
    )
    writer.update_root()


def _der():
    from cryptography.hazmat.primitives import serialization

    return serialization.Encoding.DER


def _timestamp(data: bytes) -> bytes:
    import sys

    sys.path.insert(0, str(ROOT / "fixtures"))
    import generate

    return generate.add_document_timestamp(data, _pki())


def _hex_line_breaks(data: bytes) -> bytes:
    """The last signature's hex string wrapped (two digits of zero padding made line
    breaks): nothing signed changes, but pyHanko's coverage count calls it "unclear"."""
    import re

    ranges = list(re.finditer(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", data))
    start, end = int(ranges[-1][2]), int(ranges[-1][3]) - 1  # the '<' and the '>'
    assert data[start : start + 1] == b"<" and data[end : end + 1] == b">"
    body = data[start + 1 : end]
    assert body.endswith(b"00"), "no zero padding to replace"
    return data[: start + 1] + body[:-2] + b"\r\n" + data[end:]


HONEST = {
    "hex-line-breaks": _hex_line_breaks,
    "metadata": lambda d: _update(d, metadata_only),
    "rewritten-unchanged": lambda d: _update(d, rewritten_unchanged),
    "language-set": lambda d: _update(d, language_set),
    "dss-added": lambda d: _update(d, dss_added),
    "signed-invisibly": lambda d: _sign(d, None),
    "signed-in-blank-corner": lambda d: _sign(d, (8, 4, 60, 14)),
    "document-timestamp": _timestamp,
}


def _comment(writer, data: bytes) -> None:
    """A comment in page 1's corner, its text plain and rich."""
    from pyhanko.pdf_utils import generic

    _corner_note(writer, "Đã kiểm tra", RC=generic.TextStringObject("<body><p>Đã kiểm tra</p></body>"))


def _comment_rewritten(writer, data: bytes) -> None:
    """The signed comment's rich text (what Acrobat shows) made to say something else."""
    from pyhanko.pdf_utils import generic

    page = _page(writer)
    annots = page["/Annots"]
    for i in range(len(annots)):
        if annots[i].get("/Subtype") == "/Text":
            ref = annots.raw_get(i)
            ref.get_object()[_n("/RC")] = generic.TextStringObject("<body><p>Không đạt</p></body>")
            writer.mark_update(ref)
            return
    raise AssertionError("no comment on page 1")


def test_a_signed_comments_rich_text_rewritten_is_a_change():
    """A comment signed with the document: its rich text (/RC, which Acrobat shows instead of
    /Contents) changed after signing is an error; the comment signed, nothing more, is not."""
    signed = _sign(_update(Path(SOURCES[0]).read_bytes(), _comment), None)
    assert not _change_errors(_verdict(signed))
    named = _change_errors(_verdict(_update(signed, _comment_rewritten)))
    assert named and any("/RC" in str(f.message) for f in named), [f.message for f in named]


@pytest.fixture(scope="module", params=ALL_SOURCES, ids=lambda p: Path(p).stem)
def source(request) -> bytes:
    return Path(request.param).read_bytes()


@pytest.fixture(scope="module")
def before(source) -> sigaudit.DocumentResult:
    return _verdict(source)


def _pyhanko_accepts(data: bytes) -> bool:
    """pyHanko's difference analysis, for every signature: nothing beyond form filling."""
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY, ModificationLevel

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception:
        return False  # pyHanko cannot read the file at all
    for sig in signatures:
        try:
            level = DEFAULT_DIFF_POLICY.review_file(reader, sig.signed_revision).modification_level
        except Exception:
            return False
        if level is None or level > ModificationLevel.FORM_FILLING:
            return False
    return True


def _change_errors(result: sigaudit.DocumentResult) -> list[sigaudit.Finding]:
    return [
        f
        for f in result.findings
        if f.code in ("MODIFIED_AFTER_SIGNING", "NOT_AN_UPDATE") and f.severity is sigaudit.Severity.ERROR
    ]


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_every_attack_class_is_an_error(source, before, name):
    attacked = ATTACKS[name](source)
    result = _verdict(attacked)
    errors = _change_errors(result)
    assert errors, [(f.code, f.message) for f in result.findings]
    assert result.verdict is not sigaudit.Verdict.PASS
    # where pyHanko's policy accepts the file, the change is named
    if _pyhanko_accepts(attacked):
        changes = [c for s in result.evidence.signatures for c in s.changes]
        assert changes or any(f.code == "NOT_AN_UPDATE" for f in errors)


@pytest.mark.parametrize("name", sorted(HONEST))
def test_every_honest_class_is_not_a_change(source, before, name):
    after = _verdict(HONEST[name](source))
    new = {(f.code, f.severity) for f in after.findings} - {(f.code, f.severity) for f in before.findings}
    changed = [code for code, _ in new if code in ("MODIFIED_AFTER_SIGNING", "NOT_AN_UPDATE", "CHANGES_NOT_ANALYSED")]
    assert changed == [], [f.message for f in after.findings]


def test_the_default_path_does_not_run_pyhankos_difference_analysis(source, monkeypatch):
    from pyhanko.sign import diff_analysis

    def refuse(*a, **k):
        raise AssertionError("pyHanko's difference analysis ran")

    monkeypatch.setattr(diff_analysis.DiffPolicy, "review_file", refuse, raising=False)
    monkeypatch.setattr(diff_analysis.StandardDiffPolicy, "review_file", refuse)
    result = _verdict(_update(source, metadata_only))
    assert all(s.modification is not None for s in result.evidence.signatures if s.intact)
    assert SETTINGS.diff_policy == "own"


def test_a_damaged_update_leaves_each_signature_judged_on_its_own_bytes(source, before):
    """The later revision cannot be read: the break is the error, each signature is still
    validated on the signed revision (not called malformed), and what came after it is
    "cannot be decided", never unchanged."""
    result = _verdict(_damaged_xref(source))
    assert {b.kind for b in result.evidence.revision_breaks} == {"damaged"}
    valid_before = {s.field for s in before.evidence.signatures if s.intact}
    after = {s.field: s for s in result.evidence.signatures}
    for field in valid_before:
        assert after[field].intact and after[field].status is sigaudit.ValidationStatus.VALIDATED
        assert after[field].modification is None
    assert "CHANGES_NOT_ANALYSED" in {f.code for f in result.findings}
