"""The verdict of evidence/changes/: what an effect amounts to under the locks in force,
and which updates the closed list of harmless changes explains on its own."""

from __future__ import annotations

import io

import pytest
from conftest import DSS, ROOT

from sigaudit.evidence.changes.effects import Effect
from sigaudit.evidence.changes.harmless import HARMLESS, explain
from sigaudit.evidence.changes.locks import Locks
from sigaudit.evidence.changes.verdict import judge, verdict_of
from sigaudit.model import Modification

FIXTURE = ROOT / "fixtures" / "eoffice" / "stamped-number-itext.pdf"


def _filled(**values: str) -> Effect:
    effect = Effect()
    for name, value in values.items():
        what = f"form field '{name}' value"
        effect.changes.append(what)
        effect.filled.append(what)
        effect.filled_values[name] = value
    return effect


def test_permitted_form_filling_is_named_with_its_value():
    v = verdict_of(_filled(SoVanBan="99/KH-UBND"), Locks())
    assert v.modification is Modification.FORM_FILLING
    assert v.changes == ("form field 'SoVanBan' = '99/KH-UBND'",)
    assert v.changed_fields == ("SoVanBan",)


@pytest.mark.parametrize(
    "locks",
    [
        Locks(fields=(("All", frozenset()),)),
        Locks(fields=(("Include", frozenset({"SoVanBan"})),)),
        Locks(fields=(("Exclude", frozenset({"GhiChu"})),)),
        Locks(docmdp=1),
    ],
)
def test_filling_a_locked_field_is_a_change(locks):
    v = verdict_of(_filled(SoVanBan="99"), locks)
    assert v.modification is Modification.OTHER
    assert "form field 'SoVanBan' value (locked by a signature)" in v.changes


def test_a_field_outside_the_lock_may_be_filled():
    v = verdict_of(_filled(GhiChu="x"), Locks(fields=(("Exclude", frozenset({"GhiChu"})),)))
    assert v.modification is Modification.FORM_FILLING


def test_a_lock_naming_a_group_holds_its_members_and_no_field_that_only_shares_its_prefix():
    # as Acrobat and pyHanko read /Fields (pyHanko's test_form_field_in_group_locked_…)
    include = Locks(fields=(("Include", frozenset({"TextInput"})),))
    assert verdict_of(_filled(**{"TextInput.TextField1": "x"}), include).modification is Modification.OTHER
    assert verdict_of(_filled(TextInputOther="x"), include).modification is Modification.FORM_FILLING
    exclude = Locks(fields=(("Exclude", frozenset({"TextInput"})),))
    assert verdict_of(_filled(**{"TextInput.TextField2": "x"}), exclude).modification is Modification.FORM_FILLING
    assert verdict_of(_filled(Other="x"), exclude).modification is Modification.OTHER


@pytest.mark.parametrize("level, expected", [(None, "ANNOTATIONS"), (3, "ANNOTATIONS"), (2, "OTHER"), (1, "OTHER")])
def test_annotations_under_a_certification(level, expected):
    effect = Effect(added_annotations=["Text"])
    assert verdict_of(effect, Locks(docmdp=level)).modification is Modification[expected]


def test_a_signature_added_under_p1_is_a_change_and_under_p2_is_not():
    effect = Effect(signatures_added=True)
    assert verdict_of(effect, Locks(docmdp=1)).modification is Modification.OTHER
    assert verdict_of(effect, Locks(docmdp=2)).modification is Modification.FORM_FILLING


def test_every_harmless_entry_says_why():
    roles = [h.role for h in HARMLESS]
    assert len(roles) == len(set(roles))
    assert all(len(h.why) > 40 for h in HARMLESS)


def _reader(data: bytes):
    from pyhanko.pdf_utils.reader import PdfFileReader

    return PdfFileReader(io.BytesIO(data), strict=False)


def test_signatures_added_by_e_office_software_are_explained_by_the_list():
    """The generated e-office file: each later revision adds a signature, its widget and
    rewrites catalog, info and pages (one also adds a graphics state to a resource
    dictionary: not on the list, so that signature is compared by effect)."""
    data = FIXTURE.read_bytes()
    reader = _reader(data)
    light = []
    for sig in reader.embedded_signatures[:-1]:
        end = sum(int(v) for v in list(sig.sig_object["/ByteRange"])[2:])
        verdict = judge(reader, sig.signed_revision, data, end, {})
        assert verdict.modification is Modification.FORM_FILLING, verdict
        light.append(verdict.light)
        if verdict.light:
            assert explain(reader, sig.signed_revision).new_annotations  # the later widgets
    assert any(light) and not all(light), light


def test_a_page_content_change_is_not_explained_and_is_judged_by_effect():
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    data = FIXTURE.read_bytes()
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page[generic.NameObject("/Contents")] = writer.add_object(generic.StreamObject(stream_data=b"0 0 m 9 9 l S"))
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    changed = out.getvalue()
    reader = _reader(changed)
    last = reader.embedded_signatures[-1]
    assert explain(reader, last.signed_revision) is None
    end = sum(int(v) for v in list(last.sig_object["/ByteRange"])[2:])
    verdict = judge(reader, last.signed_revision, changed, end, {})
    assert not verdict.light
    assert verdict.modification is Modification.OTHER
    assert "page content stream (page 1)" in verdict.changes


def _updated(data: bytes, change) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _last_verdict(data: bytes):
    reader = _reader(data)
    last = reader.embedded_signatures[-1]
    end = sum(int(v) for v in list(last.sig_object["/ByteRange"])[2:])
    return explain(reader, last.signed_revision), judge(reader, last.signed_revision, data, end, {})


def _xmp_stream(body: bytes):
    from pyhanko.pdf_utils import generic

    return generic.StreamObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Metadata"),
            generic.NameObject("/Subtype"): generic.NameObject("/XML"),
        },
        stream_data=body,
    )


def test_xmp_metadata_rewritten_is_on_the_list():
    from pyhanko.pdf_utils import generic

    def new_xmp(writer):
        ref = writer.root.raw_get("/Metadata")
        writer.objects[(ref.generation, ref.idnum)] = _xmp_stream(b"<x:xmpmeta>sua</x:xmpmeta>")

    data = FIXTURE.read_bytes()
    assert isinstance(_reader(data).root.raw_get("/Metadata"), generic.IndirectObject)
    explained, verdict = _last_verdict(_updated(data, new_xmp))
    assert explained is not None and verdict.light
    assert verdict.modification is Modification.NONE


def _append(data: bytes, objects: dict) -> bytes:
    """A hand-written incremental update (pyHanko's writer would replace the metadata on its
    own): ``objects`` maps object numbers to pyHanko objects."""
    import re

    reader = _reader(data)
    prev = int(list(re.finditer(rb"startxref\s+(\d+)", data))[-1][1])
    out = io.BytesIO()
    out.write(data + b"\n")
    offsets = {}
    for num, obj in sorted(objects.items()):
        offsets[num] = out.tell()
        out.write(f"{num} 0 obj\n".encode())
        obj.write_to_stream(out, None)
        out.write(b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n")
    for num, at in sorted(offsets.items()):
        out.write(f"{num} 1\n{at:010d} 00000 n \n".encode())
    root = reader.trailer.raw_get("/Root")
    size = max(int(reader.trailer["/Size"]), max(objects) + 1)
    out.write(f"trailer\n<< /Size {size} /Root {root.idnum} 0 R /Prev {prev} >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


_XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description rdf:about="">%s</rdf:Description></rdf:RDF></x:xmpmeta>'
)


@pytest.mark.parametrize("drawn", [True, False])
def test_metadata_is_forgiven_only_when_no_page_draws_it(drawn):
    """A catalog whose /Metadata names a stream the page draws (prepared before signing),
    that stream redefined after: not on the list, and the page change is found.  The same
    with a stream no page draws: harmless metadata."""
    from pyhanko.pdf_utils import generic

    data = FIXTURE.read_bytes()
    reader = _reader(data)
    page = reader.root["/Pages"]["/Kids"][0]
    contents = page.raw_get("/Contents")
    contents = contents.get_object().raw_get(0) if isinstance(contents.get_object(), generic.ArrayObject) else contents
    body = contents.get_object().data
    size = int(reader.trailer["/Size"])
    target = contents.idnum if drawn else size
    catalog = generic.DictionaryObject({k: reader.root.raw_get(k) for k in reader.root.keys()})
    catalog[generic.NameObject("/Metadata")] = generic.IndirectObject(target, 0, None)
    if drawn:
        signed_body, later_body = body, body + b"\nq 1 1 1 rg 0 0 600 800 re f Q\n"
    else:  # metadata no page draws, rewritten: plain XMP before and after (changes/metadata.py)
        signed_body, later_body = _XMP % b"signed", _XMP % b"rewritten"
    prepared = _append(data, {target: _xmp_stream(signed_body), reader.trailer.raw_get("/Root").idnum: catalog})
    signed_revision = _reader(prepared).xrefs.total_revisions - 1
    changed = _append(prepared, {target: _xmp_stream(later_body)})
    after = _reader(changed)
    explained = explain(after, signed_revision)
    assert (explained is None) is drawn
    if drawn:
        verdict = judge(after, signed_revision, changed, len(prepared), {})
        assert verdict.modification is Modification.OTHER, verdict


def test_a_page_tree_node_is_never_forgiven_as_structure():
    """A root /Pages node prepared without /Type and /Count and with an empty /Nums looks like
    a node of the structure's parent tree; its /Kids changed after signing (the page shown
    twice) is still a page-tree change."""
    from pyhanko.pdf_utils import generic

    data = FIXTURE.read_bytes()
    reader = _reader(data)
    pages_ref = reader.root.raw_get("/Pages")
    kids = reader.root["/Pages"].raw_get("/Kids")
    nums = {generic.NameObject("/Nums"): generic.ArrayObject()}
    bare = generic.DictionaryObject({generic.NameObject("/Kids"): kids, **nums})
    prepared = _append(data, {pages_ref.idnum: bare})
    signed_revision = _reader(prepared).xrefs.total_revisions - 1
    first = kids.get_object().raw_get(0) if hasattr(kids, "get_object") else kids.raw_get(0)
    twice = generic.DictionaryObject({generic.NameObject("/Kids"): generic.ArrayObject([first, first]), **nums})
    changed = _append(prepared, {pages_ref.idnum: twice})
    after = _reader(changed)
    assert explain(after, signed_revision) is None
    verdict = judge(after, signed_revision, changed, len(prepared), {})
    assert verdict.modification is Modification.OTHER, verdict


def test_only_an_inert_information_dictionary_is_forgiven_whatever_it_says():
    """The document information may change freely; a dictionary shaped like something a page
    draws with (resources, a font, a graphics state) may not hide behind that role."""
    from pyhanko.pdf_utils import generic

    from sigaudit.evidence.changes.harmless import _inert

    n = generic.NameObject
    info = generic.DictionaryObject(
        {n("/Producer"): generic.TextStringObject("iText"), n("/ModDate"): generic.TextStringObject("D:2025")}
    )
    assert _inert(info)
    for key in ("/Font", "/ExtGState", "/CA", "/BaseFont", "/XObject"):
        assert not _inert(generic.DictionaryObject({**info, n(key): generic.NumberObject(0)})), key
    assert not _inert(generic.StreamObject({}, stream_data=b"q Q"))


def _set_need_appearances(writer) -> None:
    from pyhanko.pdf_utils import generic

    form = writer.root["/AcroForm"]
    form[generic.NameObject("/NeedAppearances")] = generic.BooleanObject(True)
    if isinstance(writer.root.raw_get("/AcroForm"), generic.IndirectObject):
        writer.update_container(form)
    else:
        writer.update_root()


def _fill_text_field(name: str, value: str):
    def change(writer) -> None:
        from pyhanko.pdf_utils import generic

        for ref in writer.root["/AcroForm"]["/Fields"]:
            field = ref.get_object()
            if str(field.get("/T")) == name:
                field["/V"] = generic.TextStringObject(value)
                writer.update_container(field)
                return
        raise AssertionError(f"no field {name}")

    return change


@pytest.mark.parametrize(
    "field, locked",
    [("Plaats", True), ("Plaats QuoVadis", False)],
)
def test_a_lock_declared_only_by_the_signed_fields_lock_dictionary_holds(field, locked):
    """EU DSS's file: 'Handtekening houder' is signed with a /Lock (Exclude: the other
    parties' fields) and no FieldMDP reference.  Filling a field it locks afterwards is a
    change; filling one it leaves open is permitted form filling."""
    source = DSS / "dss-2554_fieldmdp-exclude-signed.pdf"
    if not source.is_file():
        pytest.skip(f"{source} is absent")
    changed = _updated(source.read_bytes(), _fill_text_field(field, "Ha Noi"))
    reader = _reader(changed)
    signed = next(s for s in reader.embedded_signatures if s.field_name == "Handtekening houder")
    end = sum(int(v) for v in list(signed.sig_object["/ByteRange"])[2:])
    verdict = judge(reader, signed.signed_revision, changed, end, {})
    if locked:
        assert verdict.modification is Modification.OTHER, verdict
        assert any("Plaats" in c for c in verdict.changes), verdict.changes
    else:
        assert verdict.modification is Modification.FORM_FILLING, verdict


@pytest.mark.parametrize("action", [False, True])
def test_a_form_field_added_after_signing_shows_only_through_its_widget_unless_it_acts(action):
    """A field made after signing shows only through its widgets (judged as added
    annotations); its value is form data that was not there, named as a field filled in (a
    warning; an error under a certification); one with a script of its own is a change."""
    source = ROOT / "fixtures" / "eoffice" / "stamped-number-itext.pdf"  # no field locks

    def add_field(writer) -> None:
        from pyhanko.pdf_utils import generic

        n = generic.NameObject
        field = generic.DictionaryObject(
            {
                n("/FT"): n("/Tx"),
                n("/T"): generic.TextStringObject("Ghi chu them"),
                n("/V"): generic.TextStringObject("da duyet"),
            }
        )
        if action:
            script = generic.DictionaryObject({n("/S"): n("/JavaScript"), n("/JS"): generic.TextStringObject("1")})
            field[n("/AA")] = generic.DictionaryObject({n("/C"): script})
        form = writer.root["/AcroForm"]
        form["/Fields"].append(writer.add_object(field))
        writer.update_container(
            form["/Fields"] if isinstance(form.raw_get("/Fields"), generic.IndirectObject) else form
        )

    changed = _updated(source.read_bytes(), add_field)
    reader = _reader(changed)
    signed = reader.embedded_signatures[0]
    end = sum(int(v) for v in list(signed.sig_object["/ByteRange"])[2:])
    verdict = judge(reader, signed.signed_revision, changed, end, {})
    if action:
        assert verdict.modification is Modification.OTHER
        assert "form field 'Ghi chu them' with an action added" in verdict.changes
    else:
        assert verdict.modification is Modification.FORM_FILLING, verdict
        assert "form field 'Ghi chu them' = 'da duyet'" in verdict.changes


@pytest.mark.parametrize("level, expected", [(None, "FORM_FILLING"), (2, "OTHER"), (1, "OTHER")])
def test_a_field_added_under_a_certification_is_a_change(level, expected):
    effect = Effect(
        changes=["form field 'X' value"],
        filled=["form field 'X' value"],
        filled_values={"X": "1"},
        fields_added=["X"],
    )
    assert verdict_of(effect, Locks(docmdp=level)).modification is Modification[expected]


def test_a_field_made_read_only_after_signing_is_not_a_change():
    """Acrobat sets the ReadOnly flag (/Ff) on the fields a signature locks: no value and no
    pixel changes."""
    source = DSS / "dss-2554_fieldmdp-exclude-signed.pdf"
    if not source.is_file():
        pytest.skip(f"{source} is absent")

    def read_only(writer) -> None:
        from pyhanko.pdf_utils import generic

        for ref in writer.root["/AcroForm"]["/Fields"]:
            field = ref.get_object()
            if str(field.get("/T")) == "Plaats":
                field["/Ff"] = generic.NumberObject(1)
                writer.update_container(field)
                return
        raise AssertionError("no field Plaats")

    changed = _updated(source.read_bytes(), read_only)
    reader = _reader(changed)
    signed = reader.embedded_signatures[0]
    end = sum(int(v) for v in list(signed.sig_object["/ByteRange"])[2:])
    assert judge(reader, signed.signed_revision, changed, end, {}).modification is Modification.NONE


@pytest.mark.parametrize("fill", [True, False])
def test_need_appearances_set_with_filling_is_part_of_it_and_alone_a_change(fill):
    """A filling tool may set /NeedAppearances (pypdf does): viewers then draw the fields
    again from their values, which the filling names — permitted form filling.  Set with no
    field filled, it changes what viewers show: a change that names it."""
    source = DSS / "dss-2554_fieldmdp-exclude-signed.pdf"
    if not source.is_file():
        pytest.skip(f"{source} is absent")

    def change(writer) -> None:

        if fill:
            _fill_text_field("Plaats QuoVadis", "Ha Noi")(writer)
        _set_need_appearances(writer)

    changed = _updated(source.read_bytes(), change)
    reader = _reader(changed)
    signed = next(s for s in reader.embedded_signatures if s.field_name == "Handtekening houder")
    end = sum(int(v) for v in list(signed.sig_object["/ByteRange"])[2:])
    verdict = judge(reader, signed.signed_revision, changed, end, {})
    if fill:
        assert verdict.modification is Modification.FORM_FILLING, verdict
    else:
        assert verdict.modification is Modification.OTHER, verdict
        assert "form NeedAppearances" in verdict.changes


@pytest.mark.parametrize("key", [None, "/AA", "/OC", "/CA"])
def test_a_filled_fields_widget_may_show_the_value_but_gains_no_action_layer_or_opacity(key):
    """Filling a field may change its widget's appearance (it shows the new value); an
    action, a layer or an opacity put on that widget in the same update is not part of the
    filling (EU DSS-3577 filled after signing: an /AA added to the filled field's widget
    was forgiven as the filling)."""
    source = DSS / "dss-2554_fieldmdp-exclude-signed.pdf"
    if not source.is_file():
        pytest.skip(f"{source} is absent")

    def change(writer) -> None:
        from pyhanko.pdf_utils import generic

        n = generic.NameObject
        _fill_text_field("Plaats QuoVadis", "Ha Noi")(writer)
        field = next(
            r for r in writer.root["/AcroForm"]["/Fields"] if str(r.get_object().get("/T")) == "Plaats QuoVadis"
        )
        kids = field.get_object().get("/Kids")
        widget = kids.raw_get(0) if kids else field  # a field with one widget is that widget
        obj = widget.get_object()
        assert obj.get("/Subtype") == "/Widget"
        if key == "/AA":
            script = {n("/S"): n("/JavaScript"), n("/JS"): generic.TextStringObject("app.alert('x')")}
            obj[n("/AA")] = generic.DictionaryObject({n("/E"): generic.DictionaryObject(script)})
        elif key == "/OC":
            obj[n("/OC")] = writer.add_object(generic.DictionaryObject({n("/Type"): n("/OCG"), n("/Name"): n("/x")}))
        elif key == "/CA":
            obj[n("/CA")] = generic.FloatObject(0)
        writer.mark_update(widget)

    changed = _updated(source.read_bytes(), change)
    reader = _reader(changed)
    signed = next(s for s in reader.embedded_signatures if s.field_name == "Handtekening houder")
    end = sum(int(v) for v in list(signed.sig_object["/ByteRange"])[2:])
    verdict = judge(reader, signed.signed_revision, changed, end, {})
    if key is None:
        assert verdict.modification is Modification.FORM_FILLING, verdict
    else:
        assert verdict.modification is Modification.OTHER, verdict
        assert any(c.endswith(f"annotation changed (Widget: {key})") for c in verdict.changes), verdict.changes


def test_need_appearances_set_after_an_earlier_filling_is_a_change():
    """EU DSS-1376: a field filled after signing (permitted).  /NeedAppearances set in an
    update of its own later is not part of that filling: viewers redraw every field from
    its value, those filled before signing too (before, any filling in the file forgave it)."""
    source = DSS / "dss-1376_DSS1376-rev_n-1.pdf"
    if not source.is_file():
        pytest.skip(f"{source} is absent")

    data = source.read_bytes()
    before = _reader(data)
    signed = before.embedded_signatures[0]
    end = sum(int(v) for v in list(signed.sig_object["/ByteRange"])[2:])
    assert judge(before, signed.signed_revision, data, end, {}).modification is Modification.FORM_FILLING
    changed = _updated(data, _set_need_appearances)
    reader = _reader(changed)
    signed = reader.embedded_signatures[0]
    verdict = judge(reader, signed.signed_revision, changed, end, {})
    assert verdict.modification is Modification.OTHER, verdict
    assert "form NeedAppearances" in verdict.changes
