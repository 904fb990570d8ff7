"""XMP metadata written after signing (evidence/changes/metadata.py): forgiven while it is
plain XMP, named as a change when it is not (a DTD with entities that attack the XML parser
of whatever reads it, bytes that are not XML, XML that is not XMP, no stream) — the cases
of pyHanko's own tests "bogus metadata" and "dangerous XML metadata", built here on the
page of ``test_shared_appearance.py`` with pyHanko's writer."""

from __future__ import annotations

import io

import pytest
from test_changes_after_signing import SETTINGS
from test_shared_appearance import CHANGE_CODES, _n, _sign, _unsigned

import sigaudit

XMP = (
    b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:format>application/pdf'
    b"</dc:format></rdf:Description></rdf:RDF></x:xmpmeta>"
    b'<?xpacket end="w"?>'
)
BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/">&lol2;</x:xmpmeta>'
)


@pytest.fixture(scope="module")
def signed() -> bytes:
    data, _ = _unsigned("none")
    return _sign(data, "Sig1", box=(300, 700, 560, 760))


def _with_metadata(data: bytes, body: bytes | None, *, direct: bool = False) -> bytes:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    writer._update_meta = lambda: None  # pyHanko writes its own XMP on every save otherwise
    if body is None:
        value = generic.NameObject("/Nothing")
    else:
        stream = generic.StreamObject({_n("/Type"): _n("/Metadata"), _n("/Subtype"): _n("/XML")}, stream_data=body)
        value = stream if direct else writer.add_object(stream)
    writer.root[_n("/Metadata")] = value
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _change_findings(data: bytes) -> list[sigaudit.Finding]:
    result = sigaudit.inspect(data, settings=SETTINGS)
    return [f for f in result.findings if f.signature == "Sig1" and f.code in CHANGE_CODES]


def test_plain_xmp_written_after_signing_is_no_change(signed):
    assert _change_findings(_with_metadata(signed, XMP)) == []


@pytest.mark.parametrize(
    "body, direct, named",
    [
        (BOMB, False, "with XML entity declarations (DTD)"),
        (b"This is bogus data, yay!", False, "not well-formed XML"),
        (b"<note><to>nobody</to></note>", False, "not XMP"),
        (XMP, True, "not a stream of its own"),
        (None, False, "not a stream of its own"),
    ],
    ids=["entity-bomb", "not-xml", "not-xmp", "direct-stream", "a-name"],
)
def test_metadata_that_is_not_plain_xmp_is_a_change_that_names_it(signed, body, direct, named):
    found = _change_findings(_with_metadata(signed, body, direct=direct))
    assert [f.severity.value for f in found] == ["error"]
    assert f"document metadata {named}" in found[0].message
    assert "siêu dữ liệu" in found[0].message_vi and "document metadata" not in found[0].message_vi


def test_xmp_of_the_signed_revision_rewritten_in_place_with_a_dtd_is_a_change():
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    data, _ = _unsigned("none")
    signed = _sign(_with_metadata(data, XMP), "Sig1", box=(300, 700, 560, 760))
    assert _change_findings(_with_metadata(signed, XMP)) == []
    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    writer._update_meta = lambda: None
    ref = writer.root.raw_get("/Metadata")
    stream = ref.get_object()
    stream._data, stream._encoded_data = BOMB, None
    writer.mark_update(ref)
    out = io.BytesIO()
    writer.write(out)
    (found,) = _change_findings(out.getvalue())
    assert "document metadata with XML entity declarations (DTD)" in found.message
