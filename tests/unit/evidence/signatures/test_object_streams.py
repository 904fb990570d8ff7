"""The object-stream reader (``fastpath.get_object_from_stream``) reads what pyHanko reads.

Every object of every revision of every PDF the project has (fixtures, e-office documents,
real Vietnamese and DSS files) is read with pyHanko's own ``_get_object_from_stream`` and
with the fast one: the same objects, the same errors.  Damaged object streams go to
pyHanko's code and give its answer.
"""

from __future__ import annotations

import io
import re
import zlib
from pathlib import Path

import pytest
from conftest import CORPUS, DSS, ROOT
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader

from sigaudit import fastpath

FOLDERS = [
    CORPUS,
    ROOT / "fixtures" / "eoffice",
    ROOT / "fixtures" / "scans",
    ROOT.parent / "shared" / "realworld" / "vn",
    DSS,
]


def _outcome(call):
    try:
        value = call()
    except Exception as exc:
        return ("error", type(exc).__name__, str(exc))
    return ("ok", type(value).__name__, re.sub(r" object at 0x[0-9a-f]+", "", repr(value)))


def _every_object(data: bytes, strict: bool) -> list:
    out = []
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=strict)
        xrefs = reader.xrefs
        revisions = xrefs.total_revisions
    except Exception as exc:
        return [("unreadable", type(exc).__name__)]
    for revision in range(revisions):
        try:
            refs = sorted(xrefs.explicit_refs_in_revision(revision), key=lambda r: (r.idnum, r.generation))
        except Exception:
            continue
        for ref in refs:
            out.append((revision, ref.idnum, _outcome(lambda: reader.get_object(ref, revision=revision))))
    for ref in sorted(xrefs.explicit_refs_in_revision(revisions - 1), key=lambda r: r.idnum)[:50]:
        out.append(("latest", ref.idnum, _outcome(lambda: reader.get_object(ref))))
    return out


def _both(data: bytes, strict: bool) -> tuple[list, list]:
    try:
        PdfFileReader._get_object_from_stream = fastpath._ORIGINAL_FROM_STREAM
        slow = _every_object(data, strict)
    finally:
        PdfFileReader._get_object_from_stream = fastpath.get_object_from_stream
    return slow, _every_object(data, strict)


def test_every_object_of_every_revision_reads_the_same():
    files = streams = 0
    for folder in FOLDERS:
        for path in sorted(Path(folder).rglob("*.pdf")) if folder.is_dir() else ():
            data = path.read_bytes()
            if b"/ObjStm" not in data:
                continue
            slow, fast = _both(data, strict=False)
            assert fast == slow, path.name
            files += 1
            streams += data.count(b"/ObjStm")
    if not files:  # the fixtures write classic cross-reference tables; real files use object streams
        pytest.skip("no file with object streams: ../shared/realworld is absent (the crafted streams below still run)")
    assert files >= 10 and streams >= 20, (files, streams)


def _object_stream_pdf(header: bytes, body: bytes, n: int) -> bytes:
    """A small PDF whose catalog (object 1) lives in an object stream with ``header``."""
    content = header + body
    stream = zlib.compress(content)
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = {}
    offsets[3] = out.tell()
    out.write(b"3 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n")
    offsets[2] = out.tell()
    first = len(header)
    out.write(
        b"2 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (n, first, len(stream))
    )
    out.write(stream + b"\nendstream\nendobj\n")
    xref_at = out.tell()
    entries = [(0, 0, 255), (2, 2, 0), (1, offsets[2], 0), (1, offsets[3], 0), (1, xref_at, 0)]
    rows = b"".join(bytes([t]) + o.to_bytes(4, "big") + g.to_bytes(1, "big") for t, o, g in entries)
    out.write(
        b"4 0 obj\n<< /Type /XRef /Size 5 /W [1 4 1] /Root 1 0 R /Length %d >>\nstream\n" % len(rows)
        + rows
        + b"\nendstream\nendobj\n"
    )
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref_at)
    return out.getvalue()


@pytest.mark.parametrize(
    "header,body,n",
    [
        (b"1 0 ", b"<< /Type /Catalog /Pages 3 0 R >>", 1),  # well formed
        (b"1 0 9 ", b"<< /Type /Catalog /Pages 3 0 R >> 42", 2),  # an entry past the object
        (b"7 0 1 5 ", b"12345<< /Type /Catalog /Pages 3 0 R >>", 2),  # the object second
        (b"1 x ", b"<< /Type /Catalog /Pages 3 0 R >>", 1),  # a damaged table
        (b"5 0 ", b"<< /Type /Catalog >>", 1),  # the object is not in the stream
        (b"1 0 ", b"<< /Type /Catalog /Pages 3 0 R", 1),  # the object does not parse
        (b"1 0 ", b"<< /Type /Catalog >>", 3),  # /N larger than the table
    ],
)
@pytest.mark.parametrize("strict", [False, True])
def test_damaged_object_streams_get_pyhankos_answer(header, body, n, strict):
    data = _object_stream_pdf(header, body, n)
    slow, fast = _both(data, strict)
    assert fast == slow
    assert generic  # the module the reader is compared in
