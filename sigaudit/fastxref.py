"""pyHanko's cross-reference reading, faster (``fastpath.py``, 6).

pyHanko reads a cross-reference table one 20-byte line per ``stream.read`` and a
cross-reference stream one field per call (each width looked up in the ``/W`` array
through pyHanko's object layer), builds an ``XRefEntry`` dataclass per object and then
files it (``XRefSectionData.process_entries``).  A real e-office document carries thousands
of entries over its revisions: pyHanko took 39 ms to read
them on the largest of the real files.  Here:

- a table in the standard layout (subsection headers of two whole numbers, entries of
  exactly 20 bytes ``nnnnnnnnnn ggggg n|f`` ended by `` \\r``, `` \\n`` or ``\\r\\n``, then
  ``trailer``) is read with regular expressions over the bytes behind the stream;
- a stream's data is decoded by pyHanko (``read_data``, with its limits) and cut into
  fields with ``int.from_bytes``, widths taken once;

both give rows (kind, object number, two values) that ``process_entries`` files into the
very dictionaries and sets pyHanko's own loop fills, in the same order.  Anything else —
a table line of another length, a comment, a subsection header that is not two whole
numbers, an entry type or width pyHanko reads otherwise (a field of eight bytes, signed in
pyHanko), data shorter or longer than the entries, decreasing subsections, a stream that
is not a ``BytesIO`` — goes to pyHanko's own generator from the same position, so that its
answer (or its error) is the answer; only where pyHanko's table reader would loop for ever
(``_Circling``) is the answer an error.  Tested against pyHanko on every file the project has
and on generated tables and streams (``tests/unit/evidence/signatures/test_fastxref.py``).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

from pyhanko.pdf_utils import xref
from pyhanko.pdf_utils.decode_limits import DecodePurpose
from pyhanko.pdf_utils.misc import PdfReadError, PdfStrictReadError

_ORIGINAL_TABLE = xref.parse_xref_table
_ORIGINAL_STREAM = xref.parse_xref_stream
_ORIGINAL_PROCESS = xref.XRefSectionData.process_entries

_WS = rb"[ \n\r\t\f\x00]"
_HEADER = re.compile(rb"(?:" + _WS + rb")*([0-9]+)" + _WS + rb"+([0-9]+)" + _WS + rb"*(?=[0-9t])")
_ENTRY = re.compile(rb"([0-9]{10}) ([0-9]{5}) ([nf])(?: \r| \n|\r\n)")
_TRAILER = re.compile(rb"(?:" + _WS + rb")*trailer" + _WS + rb"*")

STANDARD, IN_OBJ_STREAM, FREE = 1, 2, 0


class _Rows:
    """Entries already read: pyHanko's ``XRefEntry`` objects when iterated, plain rows for
    the fast ``process_entries``."""

    __slots__ = ("sigaudit_rows",)

    def __init__(self, rows: list[tuple[int, int, int, int]]) -> None:
        self.sigaudit_rows = rows

    def __iter__(self) -> Iterator[Any]:
        for kind, idnum, a, b in self.sigaudit_rows:
            if kind == STANDARD:
                yield xref.XRefEntry(xref_type=xref.XRefType.STANDARD, location=a, idnum=idnum, generation=b)
            elif kind == IN_OBJ_STREAM:
                yield xref.XRefEntry(
                    xref_type=xref.XRefType.IN_OBJ_STREAM, location=xref.ObjStreamRef(a, b), idnum=idnum
                )
            else:
                yield xref.XRefEntry(xref_type=xref.XRefType.FREE, location=None, idnum=idnum, generation=b)


def parse_xref_table(stream: Any, strict: bool) -> Any:
    """Drop-in replacement of ``pyhanko.pdf_utils.xref.parse_xref_table``."""
    if type(stream) is not io.BytesIO:
        return _ORIGINAL_TABLE(stream, strict)
    start = stream.tell()
    data = stream.getvalue()  # the same bytes object, not a copy, for a BytesIO read only
    rows = _table(data, start)
    if rows is None:
        return _guarded(data, start, stream, strict)
    found, end = rows
    stream.seek(end)
    return _Rows(found)


class _Circling(io.BytesIO):
    """The file's bytes for pyHanko's table reader, which stops with an error where it would
    read from one position for ever: pyHanko 0.38 looks for the next 20-byte line by
    stepping back 19 bytes and reading 20 while the line starts with a line break, and a
    line break within the last 19 bytes of the file sends it round that loop without end."""

    _ROUNDS = 64

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self._last, self._rounds = -1, 0

    def read(self, size: int | None = -1) -> bytes:
        at = self.tell()
        if at == self._last:
            self._rounds += 1
            if self._rounds > self._ROUNDS:
                raise PdfReadError("xref table read error: a line break at the end of the file")
        else:
            self._last, self._rounds = at, 0
        return super().read(size)


def _guarded(data: bytes, start: int, stream: Any, strict: bool) -> Iterator[Any]:
    """pyHanko's own reading of the table at ``start``, entry by entry as pyHanko yields
    them (so that its errors come in its order), on bytes that stop its endless loop; the
    stream is left where pyHanko leaves it."""
    circling = _Circling(data)
    circling.seek(start)
    yield from _ORIGINAL_TABLE(circling, strict)
    stream.seek(circling.tell())


def _table(data: bytes, at: int) -> tuple[list[tuple[int, int, int, int]], int] | None:
    """(rows, where pyHanko leaves the stream: the first byte after ``trailer`` and the
    white space after it) of a table in the standard layout; None for anything else."""
    rows: list[tuple[int, int, int, int]] = []
    while True:
        header = _HEADER.match(data, at)
        if header is None:
            return None
        num, size = int(header.group(1)), int(header.group(2))
        at = header.end()
        end = at + 20 * size
        entries = _ENTRY.findall(data, at, end)
        if len(entries) != size:  # (``size`` matches of 20 bytes fill the 20 × ``size`` exactly)
            return None  # a line of another length somewhere: pyHanko's own reading
        for offset, generation, marker in entries:
            if marker == b"n":
                rows.append((STANDARD, num, int(offset), int(generation)))
            else:
                rows.append((FREE, num, 0, int(generation)))
            num += 1
        at = end
        trailer = _TRAILER.match(data, at)
        if trailer is not None:
            # pyHanko skips comments here too, and fails at the end of the data
            return (rows, trailer.end()) if data[trailer.end() : trailer.end() + 1] not in (b"", b"%") else None


def parse_xref_stream(xref_stream: Any, strict: bool = True) -> Any:
    """Drop-in replacement of ``pyhanko.pdf_utils.xref.parse_xref_stream``."""
    try:
        rows = _stream_rows(xref_stream, strict)
    except Exception:
        rows = None
    return _ORIGINAL_STREAM(xref_stream, strict) if rows is None else _Rows(rows)


def _stream_rows(xref_stream: Any, strict: bool) -> list[tuple[int, int, int, int]] | None:
    idx_pairs = xref_stream.get("/Index", [0, xref_stream.get("/Size")])
    sizes = xref_stream.get("/W")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (*sizes, *idx_pairs)):
        return None
    widths, pairs = [int(w) for w in sizes], [int(v) for v in idx_pairs]
    if len(widths) != 3 or not all(0 <= w <= 7 for w in widths) or len(pairs) % 2:
        return None  # a field of eight bytes is signed in pyHanko; other shapes are its to refuse
    data = xref_stream.read_data(
        DecodePurpose.XREF_STREAM,
        expected_size=xref._expected_xref_stream_size(idx_pairs, sizes),
    )
    w0, w1, w2 = widths
    step = w0 + w1 + w2
    count = sum(pairs[1::2])
    if step == 0 or len(data) < step * count or (strict and len(data) > step * count):
        return None  # pyHanko's own reading says what is missing or left over
    rows: list[tuple[int, int, int, int]] = []
    append = rows.append
    frombytes = int.from_bytes
    at = 0
    last_end = 0
    for i in range(0, len(pairs), 2):
        first, size = pairs[i], pairs[i + 1]
        if first < last_end or size < 0:
            return None
        last_end = first + size
        for num in range(first, first + size):
            kind = frombytes(data[at : at + w0], "big") if w0 else 1
            a = frombytes(data[at + w0 : at + w0 + w1], "big") if w1 else 0
            b = frombytes(data[at + w0 + w1 : at + step], "big") if w2 else 0
            at += step
            if kind == 1:
                append((STANDARD, num, a, b))
            elif kind == 2:
                append((IN_OBJ_STREAM, num, a, b))
            elif kind == 0:
                append((FREE, num, 0, b))
    return rows


def process_entries(self: Any, entries: Any, strict: bool) -> int:
    """Drop-in replacement of ``XRefSectionData.process_entries``: rows from the fast
    readers are filed as pyHanko files its entries; anything else by pyHanko."""
    rows = getattr(entries, "sigaudit_rows", None)
    if rows is None:
        return _ORIGINAL_PROCESS(self, entries, strict)
    highest_id = 0
    standard, in_objstm, freed = self.standard_xrefs, self.xrefs_in_objstm, self.freed
    explicit, streams_used = self.explicit_refs_in_revision, self.obj_streams_used
    objstm_ref = xref.ObjStreamRef
    for kind, idnum, a, b in rows:
        if idnum > highest_id:
            highest_id = idnum
        generation = 0 if kind == IN_OBJ_STREAM else b
        if generation > 0xFFFF:
            if strict:
                raise PdfStrictReadError(f"Illegal generation {generation} for object ID {idnum}.")
            continue
        if idnum == 0:
            continue
        if kind == STANDARD:
            standard[idnum] = (generation, a)
            explicit.add((idnum, generation))
        elif kind == IN_OBJ_STREAM:
            in_objstm[idnum] = objstm_ref(a, b)
            streams_used.add(a)
            explicit.add((idnum, 0))
        else:
            freed[idnum] = generation
            explicit.add((idnum, generation - 1))
    return highest_id


def guarded_table(stream: Any, strict: bool) -> Any:
    """pyHanko's ``parse_xref_table`` on bytes that stop its endless loop (``_Circling``):
    what runs with the fast paths off (``SIGAUDIT_NO_FASTPATH=1``), which must not hang either."""
    if type(stream) is not io.BytesIO:
        return _ORIGINAL_TABLE(stream, strict)
    return _guarded(stream.getvalue(), stream.tell(), stream, strict)


def install(fast: bool = True) -> None:
    """The fast readers (``fast``), else only the guard against pyHanko's endless loop."""
    if not fast:
        xref.parse_xref_table = guarded_table
        return
    xref.parse_xref_table = parse_xref_table
    xref.parse_xref_stream = parse_xref_stream
    xref.XRefSectionData.process_entries = process_entries


def uninstall() -> None:
    xref.parse_xref_table = _ORIGINAL_TABLE
    xref.parse_xref_stream = _ORIGINAL_STREAM
    xref.XRefSectionData.process_entries = _ORIGINAL_PROCESS
