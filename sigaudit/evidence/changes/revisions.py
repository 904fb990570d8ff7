"""The revision chain, read from the bytes: is the final file an incremental update of each
signed revision?

A signed revision is exactly the bytes up to the end of the signature's ``/ByteRange``; its
cross-reference section is the one its last ``startxref`` names.  An incremental update
appends objects and a new cross-reference section whose trailer's ``/Prev`` leads back,
section by section, to that one.  Whatever else follows the signed bytes is not an update of
what was signed, and a viewer shows it all the same:

- a second PDF appended whole (``%PDF-`` after the signed bytes, its own cross-reference
  section and a trailer without ``/Prev``): the viewer shows the appended document;
- a final trailer whose ``/Prev`` chain never reaches the signed revision's section;
- objects written after the final section's ``%%EOF`` and closed by another ``%%EOF``, with no
  cross-reference section of their own (``outside``): no update lists them, and a parser that
  gives up on the file, or a viewer that repairs it, may read them.

- a pointer written after signing (the final ``startxref`` or a later ``/Prev``) that leads
  to no cross-reference section, or an entry of a classic cross-reference table written
  after signing that points where its object is not: the later revisions cannot be read as
  written, and a viewer shows what its repair finds.

Only what the bytes prove is said: a pointer at the line break before its section is
followed; a loop, or a broken pointer inside the signed bytes, claims nothing here (the
parser's own repairs are reported as ``LENIENT_PARSE``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sigaudit.model import RevisionBreak

_STARTXREF = re.compile(rb"startxref\s+(\d+)")
_PREV = re.compile(rb"/Prev\s+(\d+)")
_OBJ = re.compile(rb"\s*\d+\s+\d+\s+obj\b")
_BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")
_HEADER = re.compile(rb"[\x00\t\n\x0c\r ]{0,32}(?P<h>%PDF-\d)")
_EOF = re.compile(rb"%%EOF")
_OBJ_AT = re.compile(rb"(?<![0-9])(\d+)\s+(\d+)\s+obj\b")
_STREAM_OR_END = re.compile(rb"\bstream\b|\bendobj\b")
MAX_SECTIONS = 10_000


def xref_chain(data: bytes) -> list[int] | None:
    """Offsets of the cross-reference sections, from the final one back along ``/Prev``;
    None when the chain cannot be followed from the bytes."""
    chain, _ = _follow(data)
    return chain


def _follow(
    data: bytes, pointers: list[tuple[int, int]] | None = None
) -> tuple[list[int] | None, tuple[int, int] | None]:
    """(the chain, None), or (None, (where the pointer is written, where it points)) when a
    pointer leads to no cross-reference section, or (None, None) when nothing can be said.
    ``pointers``: (where, to) of every ``startxref``, when the caller has them."""
    if pointers is None:
        pointers = _pointers(data)
    if not pointers:
        return None, None
    offset: int | None = pointers[-1][1]
    written = pointers[-1][0]
    chain: list[int] = []
    while offset is not None:
        if offset in chain or len(chain) >= MAX_SECTIONS:
            return None, None
        if offset >= len(data):
            return None, (written, offset)
        # a pointer to the line break before the section is a common, harmless slip
        at = _section_start(data, offset)
        chain.append(offset)
        offset = at
        head = data[offset : offset + 8]
        if head.startswith(b"xref"):
            trailer = data.find(b"trailer", offset)
            end = data.find(b"startxref", trailer) if trailer >= 0 else -1
            if trailer < 0 or end < 0 or data.find(b"startxref", offset, trailer) >= 0:
                # a table with no trailer of its own before the next startxref: the
                # section cannot be read as written
                return None, (written, offset)
            prev = _PREV.search(data, trailer, end)
        elif _OBJ.match(data, offset):
            end = data.find(b"stream", offset)
            if end < 0:
                return None, None
            prev = _PREV.search(data, offset, end)
        else:
            return None, (written, offset)
        written = prev.start(1) if prev else written
        offset = int(prev[1]) if prev else None
    return chain, None


def _section_start(data: bytes, offset: int) -> int:
    """Where the section a pointer names starts: a pointer at the line break before its
    section is a common, harmless slip."""
    return offset + len(data[offset : offset + 4]) - len(data[offset : offset + 4].lstrip(b"\r\n \t"))


def _pointers(data: bytes) -> list[tuple[int, int]]:
    """(where the number is written, the offset it names) of every ``startxref``."""
    return [(m.start(1), int(m[1])) for m in _STARTXREF.finditer(data)]


def signed_xref(data: bytes, end: int, pointers: list[tuple[int, int]] | None = None) -> int | None:
    """The cross-reference section the signed revision (the bytes up to ``end``) names."""
    return next((to for at, to in reversed(_pointers(data) if pointers is None else pointers) if at < end), None)


def _appended_header(data: bytes, end: int) -> int | None:
    """The offset of a file header that starts a new file right after the signed bytes or
    after a later ``%%EOF`` (only white space between): a whole PDF appended.  A header
    inside a stream (an attached PDF) is not one."""
    ends = [end] + [m.end() for m in _EOF.finditer(data, end)]
    for at in ends:
        m = _HEADER.match(data, at)
        if m is not None:
            return m.start("h")
    return None


def breaks(data: bytes, signatures: Sequence[tuple[str, int]]) -> tuple[RevisionBreak, ...]:
    """For each (field, end of its ``/ByteRange``) signed revision that later bytes follow,
    how the final file fails to be an incremental update of it (nothing when it is one or
    the bytes cannot tell)."""
    if not signatures:
        # the final document shows no signature: a signed file with another PDF appended
        # whole hides its signatures from any reader of the final document
        signatures = [
            (f"/ByteRange @{m.start()}", end)
            for m in _BYTE_RANGE.finditer(data)
            if data[: (end := int(m[3]) + int(m[4]))].rstrip(b"\x00\t\n\x0c\r ").endswith(b"%%EOF")
        ]
    later = [(field, end) for field, end in signatures if 0 < end < len(data)]
    if not later:
        return ()
    pointers = _pointers(data)
    chain, broken = _follow(data, pointers)
    first = min(end for _, end in later)
    misplaced = [m for at in chain or () if at >= first for m in _misplaced_entries(data, at)]
    closings = [m.start() for m in _EOF.finditer(data, first)]
    segments: dict[tuple[int, int], int | None] = {}  # (start, %%EOF): an unlisted object
    out = []
    for field, end in later:
        header = _appended_header(data, end)
        if header is not None:
            out.append(RevisionBreak(field, "second_header", header))
            continue
        if broken is not None and broken[0] >= end:
            # a pointer written after signing leads to no cross-reference section: the
            # later revisions cannot be read as written (a viewer repairs and shows them)
            out.append(RevisionBreak(field, "damaged", broken[1]))
            continue
        wrong = [pointed for written, pointed in misplaced if written >= end]
        if wrong:
            # a cross-reference entry written after signing points where its object is not
            out.append(RevisionBreak(field, "misplaced", wrong[0]))
            continue
        signed = signed_xref(data, end, pointers)
        if chain is not None and signed is not None and signed not in chain:
            out.append(RevisionBreak(field, "unlinked", chain[0]))
            continue
        outside = _outside_sections(data, end, pointers)
        if outside is not None:
            # objects after the final section's end of file, themselves followed by an end of
            # file (what follows the last one is UNSIGNED_TRAILING_BYTES): in no section
            out.append(RevisionBreak(field, "outside", outside))
            continue
        unlisted = _unlisted(data, end, pointers, closings, segments)
        if unlisted is not None:
            out.append(RevisionBreak(field, "unlisted", unlisted))
    return tuple(out)


def _outside_sections(data: bytes, end: int, pointers: list[tuple[int, int]]) -> int | None:
    """The offset of an object written after ``end`` and after the ``%%EOF`` that closes the
    final cross-reference section (the one the last ``startxref`` names), before a later
    ``%%EOF``: an object no cross-reference section lists."""
    if not pointers:
        return None
    closing = _EOF.search(data, pointers[-1][0])
    last = data.rfind(b"%%EOF")
    if closing is None or last <= closing.start():
        return None
    m = _OBJ_AT.search(data, max(closing.end(), end), last)
    return m.start() if m else None


def _objects(data: bytes, start: int, stop: int) -> list[int]:
    """Offsets of the objects written between ``start`` and ``stop``, read in order (a
    stream's data is skipped to its ``endstream``)."""
    out: list[int] = []
    pos = start
    while len(out) < MAX_ENTRIES:
        m = _OBJ_AT.search(data, pos, stop)
        if m is None:
            break
        out.append(m.start())
        after = _STREAM_OR_END.search(data, m.end(), stop)
        if after is None:
            break
        pos = after.end()
        if after[0] == b"stream":
            closing = data.find(b"endstream", pos, stop)
            if closing < 0:
                break
            pos = closing + 9
    return out


def _unlisted(
    data: bytes,
    end: int,
    pointers: list[tuple[int, int]],
    closings: list[int],
    segments: dict[tuple[int, int], int | None],
) -> int | None:
    """The offset of an object written after ``end`` in an update that does not list it:
    each update (the bytes up to the next ``%%EOF``) must hold its own cross-reference
    section, the one its ``startxref`` names, and a classic table there must list every
    object the update writes.  Updates whose section is a stream are checked for the first
    rule only (their entries are compressed).  ``segments`` remembers each update's answer
    for the other signatures of the file.  Nothing is said where the signed bytes do not end
    a revision (at its ``%%EOF``): that signature's coverage says what is unsigned."""
    if not data[max(0, end - 64) : end].rstrip(b"\x00\t\n\x0c\r ").endswith(b"%%EOF"):
        return None
    start = end
    for closing in closings:
        if closing < start:
            continue
        key = (start, closing)
        if key not in segments:
            segments[key] = _unlisted_in(data, start, closing, pointers)
        if segments[key] is not None:
            return segments[key]
        start = closing + 5
    return None


def _unlisted_in(data: bytes, start: int, stop: int, pointers: list[tuple[int, int]]) -> int | None:
    objects = _objects(data, start, stop)
    if not objects:
        return None
    named = [to for at, to in pointers if start <= at < stop]
    if not named or named[-1] < start:
        return objects[0]  # no section of its own lists what the update writes
    listed = _table_offsets(data, named[-1])
    return next((at for at in objects if at not in listed), None) if listed is not None else None


def _table_offsets(data: bytes, section: int) -> set[int] | None:
    """Where the objects the classic table at ``section`` lists start (white space after the
    listed offset passed); None for a cross-reference stream."""
    at = _section_start(data, section)
    if not data.startswith(b"xref", at):
        return None
    trailer = data.find(b"trailer", at)
    if trailer < 0:
        return None
    out: set[int] = set()
    for e in _ENTRY.finditer(data, at, trailer):
        if e[3] == b"n":
            offset = int(e[1])
            out.add(
                offset + len(data[offset : offset + 64]) - len(data[offset : offset + 64].lstrip(b"\x00\t\n\x0c\r "))
            )
    return out


_ENTRY = re.compile(rb"(\d{10})[ ](\d{5})[ ]([nf])")
_OBJ_HEAD = re.compile(rb"[\x00\t\n\x0c\r ]*(\d+)\s+(\d+)\s+obj\b")
MAX_ENTRIES = 100_000


def _misplaced_entries(data: bytes, section: int) -> list[tuple[int, int]]:
    """(where the entry is written, where it points) of the in-use entries of the classic
    cross-reference table at ``section`` that do not point at their object's ``N G obj``
    (white space before it is allowed).  Cross-reference streams are not read here."""
    at = _section_start(data, section)
    if not data.startswith(b"xref", at):
        return []
    trailer = data.find(b"trailer", at)
    if trailer < 0:
        return []
    out: list[tuple[int, int]] = []
    pos = at + 4
    checked = 0
    header = re.compile(rb"\s*(\d+)\s+(\d+)[ \t]*\r?\n?")
    while pos < trailer and checked < MAX_ENTRIES:
        m = header.match(data, pos, trailer)
        if m is None:
            break
        number, count = int(m[1]), int(m[2])
        pos = m.end()
        for i in range(count):
            e = _ENTRY.search(data, pos, min(trailer, pos + 40))
            if e is None:
                return out
            pos = e.end()
            checked += 1
            if e[3] != b"n":
                continue
            offset, generation = int(e[1]), int(e[2])
            found = _OBJ_HEAD.match(data, offset, offset + 64)
            if found is None or (int(found[1]), int(found[2])) != (number + i, generation):
                out.append((e.start(), offset))
    return out
