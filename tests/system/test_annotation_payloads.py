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
