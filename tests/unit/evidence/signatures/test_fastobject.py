"""The fast object reader (``sigaudit/fastobject.py``) gives pyHanko's answer: the same
objects (types, values, container references, stream payloads), the same position after
them, the same error, on every object of every PDF the project has and on generated syntax."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from conftest import CORPUS, PDF_FOLDERS, ROOT
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader

from sigaudit import fastobject, fastpath

FOLDERS = PDF_FOLDERS


def _shape(obj, depth=0):
    """Everything pyHanko's object says, nested values included."""
    ref = getattr(obj, "container_ref", None)
    where = (ref.idnum, ref.generation) if isinstance(ref, generic.Reference) else ref
    kind = type(obj).__name__
    if isinstance(obj, generic.IndirectObject):
        return (kind, obj.idnum, obj.generation, where)
    if isinstance(obj, generic.StreamObject):
        items = sorted((str(k), _shape(v, depth + 1)) for k, v in obj.items())
        return (kind, items, obj.encoded_data, where)
    if isinstance(obj, dict):
        return (kind, sorted((str(k), type(k).__name__, _shape(v, depth + 1)) for k, v in obj.items()), where)
    if isinstance(obj, list):
        return (kind, [_shape(v, depth + 1) for v in obj], where)
    if isinstance(obj, generic.NullObject):
        return (kind, None, where)
    if isinstance(obj, generic.BooleanObject):
        return (kind, bool(obj), where)
    if isinstance(obj, (generic.TextStringObject, generic.ByteStringObject)):
        return (kind, bytes(obj.original_bytes) if hasattr(obj, "original_bytes") else str(obj), where)
    return (kind, repr(obj), where)


def _read(reader, data: bytes, at: int, handler, ref=(1, 0)):
    stream = io.BytesIO(data)
    stream.seek(at)
    container = generic.Reference(ref[0], ref[1], handler)
    try:
        obj = reader(stream, container)
    except Exception as exc:
        return ("error", type(exc).__name__)
    return ("ok", _shape(obj), stream.tell())


def _both(data: bytes, at: int, handler, ref=(1, 0)):
    """pyHanko's reader, then the fast one (the other fast paths, each tested against
    pyHanko on its own in test_fastpath.py, stay on for both)."""
    generic.read_object = fastobject._ORIGINAL_READ_OBJECT
    try:
        original = _read(fastobject._ORIGINAL_READ_OBJECT, data, at, handler, ref)
    finally:
        fastpath.install()
    assert generic.read_object is fastobject.read_object
    return original, _read(fastobject.read_object, data, at, handler, ref)


_OBJ = re.compile(rb"(?<![0-9])([0-9]{1,10})[ \r\n\t\f]{1,4}([0-9]{1,5})[ \r\n\t\f]{1,4}obj[ \r\n\t\f]*")


def _pdfs() -> list[Path]:
    return [p for folder in FOLDERS if folder.is_dir() for p in sorted(folder.rglob("*.pdf"))]


def _object_stream(data: bytes, at: int, handler) -> tuple[bytes, list[int]] | None:
    """(decoded data, offsets of its objects) when the object at ``at`` is an object stream."""
    stream = io.BytesIO(data)
    stream.seek(at)
    try:
        obj = fastobject._ORIGINAL_READ_OBJECT(stream, generic.Reference(1, 0, handler))
        if not (isinstance(obj, generic.StreamObject) and obj.get("/Type") == "/ObjStm"):
            return None
        decoded = obj.data
        header = io.BytesIO(decoded)
        first = int(obj["/First"])
        offsets = []
        for _ in range(int(obj["/N"])):
            generic.read_non_whitespace(header, seek_back=True)
            generic.NumberObject.read_from_stream(header)
            generic.read_non_whitespace(header, seek_back=True)
            offsets.append(first + int(generic.NumberObject.read_from_stream(header)))
        return decoded, offsets
    except Exception:
        return None


def test_every_object_of_every_file_reads_as_pyhanko_reads_it():
    compared = in_streams = 0
    for path in _pdfs():
        data = path.read_bytes()
        try:
            handler = PdfFileReader(io.BytesIO(data), strict=False)
        except Exception:
            continue
        for m in _OBJ.finditer(data):
            ref = (int(m[1]), int(m[2]))
            original, fast = _both(data, m.end(), handler, ref)
            assert fast == original, (path.name, m.start())
            compared += 1
            found = _object_stream(data, m.end(), handler)
            for at in found[1] if found else ():
                original, fast = _both(found[0], at, handler)
                assert fast == original, (path.name, "object stream", at)
                in_streams += 1
    # the real documents of ../shared/realworld hold most of them; without that folder, the project's own
    real = (ROOT.parent / "shared" / "realworld").is_dir()
    assert compared > (20_000 if real else 5_000) and (in_streams > 1_000 or not real), (compared, in_streams)


ATOMS = [
    b"/Type",
    b"/A#20B",
    b"/",
    b"12",
    b"-3",
    b"+.5",
    b"1.2.3",
    b"4,5",
    b"007",
    b"12 0 R",
    b"0 0 R",
    b"3\t0\nR",
    b"3 0\x0bR",
    b"3 0 Rx",
    b"true",
    b"fals",
    b"false",
    b"null",
    b"nul",
    b"(a(b)c\\)d)",
    b"(\xfe\xff\x00A)",
    b"<4142>",
    b"<4 1>",
    b"<",
    b"<<",
    b">>",
    b">",
    b"[",
    b"]",
    b"%c\n",
    b" ",
    b"\r\n",
    b"\x00",
    b"{",
    b"stream\nab\nendstream",
]


@hsettings(max_examples=1500, deadline=None)
@given(parts=st.lists(st.sampled_from(ATOMS), max_size=14), lead=st.sampled_from([b"<<", b"[", b"", b"<< /K "]))
def test_generated_syntax_reads_as_pyhanko_reads_it(parts, lead):
    data = lead + b" ".join(parts) if parts and parts[0] != b" " else lead + b"".join(parts)
    handler = PdfFileReader(io.BytesIO((CORPUS / "ubnd-phu-binh/KH-45-cai-cach-hanh-chinh.pdf").read_bytes()))
    original, fast = _both(data, 0, handler)
    assert fast == original


@pytest.mark.parametrize(
    "text",
    [
        b"<< /Length 3 >>\nstream\nabc\nendstream",
        b"<< /A [1 2.5 /N (s) <41> true null 5 0 R] /B << /C -1 >> >>",
        b"<< /A 1 /A 2 >>",
        b"<< /A 1 % comment\n/B 2 >>",
        b"[1 2",
        b"<< /A 1 >",
    ],
)
def test_known_shapes_read_as_pyhanko_reads_them(text):
    handler = PdfFileReader(io.BytesIO((CORPUS / "ubnd-phu-binh/KH-45-cai-cach-hanh-chinh.pdf").read_bytes()))
    original, fast = _both(text, 0, handler)
    assert fast == original


def test_damaged_files_give_the_same_evidence_with_either_reader():
    """Mutants of the fixture corpus (benchmarks/fuzz.py: flipped bytes, damaged
    cross-references, truncations, deleted spans): the same evidence read either way."""
    import random
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import fuzz

    import sigaudit
    from sigaudit.evidence.document import inspect_bytes

    settings = sigaudit.Settings(trust=(str(fuzz.TRUST),), max_seconds=30, ocr="off")
    rng = random.Random(5)
    files = [p.read_bytes() for p in fuzz.seeds()]
    differ = []
    for i in range(80):
        mutant, _ = fuzz.mutate(rng.choice(files), rng.choice(fuzz.MUTATIONS), rng)
        generic.read_object = fastobject._ORIGINAL_READ_OBJECT
        try:
            original = repr(inspect_bytes(mutant, path="x", settings=settings))
        finally:
            fastpath.install()
        if repr(inspect_bytes(mutant, path="x", settings=settings)) != original:
            differ.append(i)
    assert differ == []
