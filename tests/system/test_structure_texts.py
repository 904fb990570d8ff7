"""What a tagged PDF's structure says its page reads as (``changes/structure.py``): changed
after signing, the document says something else to a screen reader and to every tool that
copies its text, while no pixel changes.  The real e-office exports are tagged."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_changes_after_signing import SOURCES, _page_ref, _update, _verdict
from test_changes_matrix import _change_errors

TAGGED = [p for p in SOURCES if b"/StructTreeRoot" in Path(p).read_bytes()]


def _n(name: str):
    from pyhanko.pdf_utils import generic

    return generic.NameObject(name)


def _first_element_with_content(writer):
    """(reference, element) of the first structure element that marks page content."""
    from pyhanko.pdf_utils import generic

    queue = [writer.root.raw_get("/StructTreeRoot")]
    while queue:
        ref = queue.pop(0)
        obj = ref.get_object()
        kids = obj.raw_get("/K") if "/K" in obj else None
        items = list(kids) if isinstance(kids, generic.ArrayObject) else [kids]
        if "/S" in obj and any(isinstance(k, int) and not isinstance(k, bool) for k in items):
            return ref, obj
        queue.extend(k for k in items if isinstance(k, generic.IndirectObject))
    raise AssertionError("no element marks page content")


def _actual_text_set(writer, data: bytes) -> None:
    from pyhanko.pdf_utils import generic

    ref, element = _first_element_with_content(writer)
    element[_n("/ActualText")] = generic.TextStringObject("ngày 30 tháng 12 năm 2025")
    writer.mark_update(ref)


def _new_tree_with_text(writer, data: bytes) -> None:
    from pyhanko.pdf_utils import generic

    element = generic.DictionaryObject(
        {
            _n("/S"): _n("/P"),
            _n("/Pg"): _page_ref(writer),
            _n("/K"): generic.NumberObject(0),
            _n("/ActualText"): generic.TextStringObject("ngày 30 tháng 12 năm 2025"),
        }
    )
    root = generic.DictionaryObject(
        {_n("/Type"): _n("/StructTreeRoot"), _n("/K"): generic.ArrayObject([writer.add_object(element)])}
    )
    writer.root[_n("/StructTreeRoot")] = writer.add_object(root)
    writer.update_root()


def _signature_field_described(writer, data: bytes) -> None:
    """What a tagging tool does when it adds a field for the next signer: the field's widget
    gets a Form element in the structure, described ("Chữ ký số")."""
    from pyhanko.pdf_utils import generic
    from pyhanko.sign import fields

    fields.append_signature_field(writer, fields.SigFieldSpec("KyTiep", on_page=0, box=(8, 4, 60, 14)))
    page = _page_ref(writer).get_object()
    widget = page["/Annots"].raw_get(len(page["/Annots"]) - 1)
    tree_ref = writer.root.raw_get("/StructTreeRoot")
    tree = tree_ref.get_object()
    objr = generic.DictionaryObject({_n("/Type"): _n("/OBJR"), _n("/Obj"): widget, _n("/Pg"): _page_ref(writer)})
    element = generic.DictionaryObject(
        {
            _n("/Type"): _n("/StructElem"),
            _n("/S"): _n("/Form"),
            _n("/P"): tree_ref,
            _n("/K"): objr,
            _n("/Alt"): generic.TextStringObject("Chữ ký số"),
        }
    )
    kids = tree.raw_get("/K") if "/K" in tree else None
    kids = list(kids) if isinstance(kids, generic.ArrayObject) else [kids] if kids is not None else []
    tree[_n("/K")] = generic.ArrayObject([*kids, writer.add_object(element)])
    writer.mark_update(tree_ref)


@pytest.mark.parametrize("path", TAGGED, ids=lambda p: Path(p).stem)
def test_a_signed_elements_actual_text_changed_is_an_error(path):
    errors = _change_errors(_verdict(_update(Path(path).read_bytes(), _actual_text_set)))
    assert errors and all("logical structure text" in f.message for f in errors), [f.message for f in errors]
    # and in the clerk's language, said in it
    assert all("cấu trúc logic" in f.message_vi and "logical" not in f.message_vi for f in errors)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: Path(p).stem)
def test_a_new_structure_that_gives_the_page_another_text_is_an_error(path):
    errors = _change_errors(_verdict(_update(Path(path).read_bytes(), _new_tree_with_text)))
    assert errors and all("logical structure text" in f.message for f in errors), [f.message for f in errors]


@pytest.mark.parametrize("path", TAGGED, ids=lambda p: Path(p).stem)
def test_a_new_signature_field_described_in_the_structure_is_no_change(path):
    data = Path(path).read_bytes()
    before = {(f.code, f.severity) for f in _verdict(data).findings}
    after = _verdict(_update(data, _signature_field_described))
    new = {(f.code, f.severity) for f in after.findings} - before
    assert not [code for code, _ in new if code in ("MODIFIED_AFTER_SIGNING", "CHANGES_NOT_ANALYSED")], [
        f.message for f in after.findings if f.code == "MODIFIED_AFTER_SIGNING"
    ]


def test_no_real_documents_revision_tells_another_text_or_fails_to_be_read():
    """Every revision of every signed real file (the e-office exports are tagged; DSS's
    files come from many producers, some with free entries the parser cannot resolve):
    judged without an error, and none tells another text."""
    import io

    from conftest import DSS
    from pyhanko.pdf_utils.reader import PdfFileReader

    from sigaudit.evidence.changes.structure import texts_changed

    vn = DSS.parent / "vn"
    files = [p for folder in (vn, DSS) if folder.is_dir() for p in sorted(folder.glob("*.pdf"))]
    if not files:
        pytest.skip("../shared/realworld is not present")
    judged = 0
    for path in files:
        data = path.read_bytes()
        if b"/ByteRange" not in data:
            continue
        try:
            reader = PdfFileReader(io.BytesIO(data), strict=False)
            signed_revisions = {s.signed_revision for s in reader.embedded_signatures}
        except Exception:
            continue  # a file the parser cannot open at all is judged elsewhere (revision breaks)
        for signed in sorted(signed_revisions):
            assert texts_changed(reader, signed) == [], (path.name, signed)
            judged += 1
    assert judged > 100
