"""Fast paths where profiling shows pyHanko is the bottleneck (docs/performance.md).

Each one gives the library's own answer, faster, and is tested against the library on
the whole fixture corpus and on generated inputs (tests/test_fastpath.py).  ``install()``
is idempotent; ``uninstall()`` restores pyHanko's functions (the tests use it to compare).

Set ``SIGAUDIT_NO_FASTPATH=1`` to turn all of them off.

1. Hex strings.  pyHanko reads a hex string one byte at a time through Python calls; a
   signature's ``/Contents`` is 16–30 kB of hex, read several times per signature.  The fast
   reader finds the closing ``>`` with one ``find`` and decodes with ``binascii``; a hex
   string holding a comment (``%``) goes to pyHanko's reader, which skips comments.
2. Tokens.  pyHanko's tokenizer reads names and other tokens one byte per Python call
   (``misc._read_until_class``) and decodes every name byte by byte (``generic._decode_name``);
   a one-page document's object reading is a fifth of its audit.  The fast reader reads a
   block and finds the delimiter with one regular-expression search; a name made only of
   regular printable ASCII without ``#`` escapes is decoded in one call, any other name by
   pyHanko.
3. Objects in object streams.  For every object it reads from an object stream, pyHanko
   parses the stream's table of object numbers and offsets from the start up to that object,
   and it never caches objects of earlier revisions: pyHanko's difference analysis of a real
   e-office document (thousands of objects in object streams, one pass per revision) spends
   a quarter of its time re-reading those tables.  The fast reader parses each table once per
   reader and goes straight to the object; anything unusual (a damaged table, a missing
   object, an index mismatch, an object that does not parse or is a stream) is read by
   pyHanko's own code.
4. Certificate names.  pyHanko's path building compares names (RFC 5280 §7.1) and keys its
   registries by ``Name.hashable``; asn1crypto recomputes the LDAP string preparation of
   every attribute on every comparison (a third of a real e-office document's validation).
   A name is read-only once parsed, so its prepared form is computed once per ``Name`` and
   kept on it; equality compares the same (length, type → prepared value) per RDN that
   asn1crypto's ``__eq__`` compares.
5. Objects.  pyHanko reads every object one byte per Python call; ``fastobject.py`` reads
   dictionaries, arrays, names, numbers and references from the bytes with regular
   expressions and hands anything unusual (comments, duplicate keys, the end of the data)
   back to pyHanko from the object's start.
6. Cross-references.  pyHanko reads a cross-reference table one line per call and a stream
   one field per call, through a dataclass per entry; ``fastxref.py`` reads the standard
   layout with regular expressions and a stream's fields with ``int.from_bytes``, and hands
   anything else to pyHanko — whose table reader is guarded against an endless loop, with
   the fast paths off too (``fastxref._Circling``).
7. Difference analysis (``--diff-policy pyhanko`` only).  When the revisions after a signature only add signatures or
   document timestamps (``evidence/changes/fastcheck.py``), pyHanko validates with ``skip_diff``
   and the modification level comes from that check.
"""

from __future__ import annotations

import binascii
import os
import re
from io import BytesIO
from typing import Any

from pyhanko.pdf_utils import generic, misc
from pyhanko.pdf_utils.decode_limits import DecodePurpose
from pyhanko.pdf_utils.misc import PDF_DELIMITERS, PDF_WHITESPACE, PdfStreamError
from pyhanko.pdf_utils.reader import PdfFileReader

from sigaudit import fastobject, fastxref

ENABLED = os.environ.get("SIGAUDIT_NO_FASTPATH", "") in ("", "0")
"""Fast paths on (default).  ``SIGAUDIT_NO_FASTPATH=1`` runs pyHanko's own code everywhere."""

_ORIGINAL_READ_HEX = generic.read_hex_string_from_stream
_HEX_DIGITS = b"0123456789abcdefABCDEF"
_CHUNK = 1 << 16


def read_hex_string_from_stream(stream: Any) -> Any:
    """Drop-in replacement of ``pyhanko.pdf_utils.generic.read_hex_string_from_stream``."""
    start = stream.tell()
    stream.read(1)  # '<'
    parts = []
    closed = False
    while True:
        block = stream.read(_CHUNK)
        if not block:
            break
        end = block.find(b">")
        if end < 0:
            parts.append(block)
            continue
        parts.append(block[:end])
        stream.seek(end + 1 - len(block), 1)
        closed = True
        break
    body = b"".join(parts)
    if b"%" in body:
        stream.seek(start)
        return _ORIGINAL_READ_HEX(stream)
    digits = body.translate(None, PDF_WHITESPACE)
    bad = digits.translate(None, _HEX_DIGITS)
    if bad:
        raise PdfStreamError("Unexpected token in hex string: " + repr(bad[:1]))
    if not closed:
        raise PdfStreamError("Stream ended prematurely")
    if len(digits) % 2:
        digits += b"0"
    return generic.pdf_string(binascii.unhexlify(digits))


_ORIGINAL_READ_UNTIL_CLASS = misc._read_until_class
_ORIGINAL_DECODE_NAME = generic._decode_name
_CLASS_PATTERNS: dict[bytes, re.Pattern[bytes]] = {}
_TOKEN_BLOCK = 64
_PLAIN_NAME = bytes(b for b in range(0x21, 0x7F) if b not in PDF_DELIMITERS and b != 0x23)


def read_until_class(class_chars: bytes, stream: Any, maxchars: int | None = None) -> tuple[bytes, bool]:
    """Drop-in replacement of ``pyhanko.pdf_utils.misc._read_until_class``: the bytes before
    the first byte of ``class_chars`` (which is consumed), and whether the stream ended."""
    if maxchars is not None:
        return _ORIGINAL_READ_UNTIL_CLASS(class_chars, stream, maxchars=maxchars)
    pattern = _CLASS_PATTERNS.get(class_chars)
    if pattern is None:
        pattern = _CLASS_PATTERNS[class_chars] = re.compile(b"[" + re.escape(class_chars) + b"]")
    parts = []
    while True:
        block = stream.read(_TOKEN_BLOCK)
        if not block:
            return b"".join(parts), True
        found = pattern.search(block)
        if found is None:
            parts.append(block)
            continue
        at = found.start()
        parts.append(block[:at])
        stream.seek(at + 1 - len(block), os.SEEK_CUR)
        return b"".join(parts), False


def decode_name(name_bytes: bytes) -> Any:
    """Drop-in replacement of ``pyhanko.pdf_utils.generic._decode_name``."""
    if name_bytes.translate(None, _PLAIN_NAME):
        return _ORIGINAL_DECODE_NAME(name_bytes)
    return generic.NameObject("/" + name_bytes.decode("ascii"))


_ORIGINAL_FROM_STREAM = PdfFileReader._get_object_from_stream


def _offset_table(stream: Any, data: bytes) -> dict[int, tuple[int, int]] | None:
    """Object number → (index, offset) of an object stream, first occurrence; None when any
    entry does not parse (pyHanko's code then reads every object of this stream)."""
    table: dict[int, tuple[int, int]] = {}
    buf = BytesIO(data)
    try:
        for i in range(stream["/N"]):
            misc.read_non_whitespace(buf, seek_back=True)
            objnum = generic.NumberObject.read_from_stream(buf)
            misc.read_non_whitespace(buf, seek_back=True)
            offset = generic.NumberObject.read_from_stream(buf)
            misc.read_non_whitespace(buf, seek_back=True)
            table.setdefault(int(objnum), (i, int(offset)))
    except Exception:
        return None
    return table


def get_object_from_stream(self: Any, idnum: int, stmnum: int, idx: int) -> Any:
    """Drop-in replacement of ``PdfFileReader._get_object_from_stream``."""
    stream = generic.Reference(stmnum, 0, self).get_object()
    try:
        usable = isinstance(stream, generic.StreamObject) and stream["/Type"] == "/ObjStm" and 0 <= idx < stream["/N"]
    except Exception:
        usable = False
    if not usable:
        return _ORIGINAL_FROM_STREAM(self, idnum, stmnum, idx)
    tables = self.__dict__.setdefault("_sigaudit_object_streams", {})
    known = tables.get(id(stream))
    data = stream.read_data(DecodePurpose.OBJECT_STREAM)
    if known is None or known[0] is not stream:
        known = tables[id(stream)] = (stream, _offset_table(stream, data))
    table = known[1]
    found = table.get(idnum) if table is not None else None
    if found is None or (self.strict and found[0] != idx):
        return _ORIGINAL_FROM_STREAM(self, idnum, stmnum, idx)
    buf = BytesIO(data)
    buf.seek(stream["/First"] + found[1])
    try:
        obj = generic.read_object(buf, generic.Reference(idnum, 0, self))
    except (misc.PdfStreamError, misc.PdfReadError):
        return _ORIGINAL_FROM_STREAM(self, idnum, stmnum, idx)
    if isinstance(obj, (generic.StreamObject, generic.IndirectObject)):
        return _ORIGINAL_FROM_STREAM(self, idnum, stmnum, idx)
    generic.read_non_whitespace(buf, seek_back=True, allow_eof=True)
    return obj


from asn1crypto import x509 as _x509  # noqa: E402

_ORIGINAL_NAME_EQ = _x509.Name.__eq__
_ORIGINAL_NAME_HASHABLE = _x509.Name.hashable


_NAME_KEYS: dict[bytes, tuple[Any, ...]] = {}
_NAME_HASHABLES: dict[bytes, str] = {}
_MAX_NAMES = 20_000


def _remember(table: dict[bytes, Any], der: bytes, value: Any) -> Any:
    if len(table) >= _MAX_NAMES:
        table.clear()
    table[der] = value
    return value


def _name_key(name: Any) -> tuple[Any, ...]:
    """What asn1crypto's ``Name.__eq__`` compares, once per name (by its DER bytes: the same
    issuer is parsed again from every certificate that names it)."""
    key = name.__dict__.get("_sigaudit_key")
    if key is None:
        der = name.dump()
        key = _NAME_KEYS.get(der)
        if key is None:
            rdns = name.chosen
            key = tuple((len(rdn), tuple(sorted(rdn._get_values(rdn).items()))) for rdn in rdns)
            _remember(_NAME_KEYS, der, key)
        name._sigaudit_key = key
    return key


def name_eq(self: Any, other: Any) -> bool:
    """Drop-in replacement of ``asn1crypto.x509.Name.__eq__``."""
    if not isinstance(other, _x509.Name):
        return False
    return _name_key(self) == _name_key(other)


def _name_hashable(self: Any) -> str:
    value = self.__dict__.get("_sigaudit_hashable")
    if value is None:
        der = self.dump()
        value = _NAME_HASHABLES.get(der)
        if value is None:
            value = _remember(_NAME_HASHABLES, der, _ORIGINAL_NAME_HASHABLE.fget(self))
        self._sigaudit_hashable = value
    return value


name_hashable = property(_name_hashable, doc="Cached ``asn1crypto.x509.Name.hashable``.")


def install() -> None:
    fastxref.install(fast=ENABLED)  # without the fast readers, pyHanko's table reader is still guarded
    if ENABLED:
        _x509.Name.__eq__ = name_eq
        _x509.Name.hashable = name_hashable
        PdfFileReader._get_object_from_stream = get_object_from_stream
        generic.read_hex_string_from_stream = read_hex_string_from_stream
        misc._read_until_class = read_until_class
        generic._decode_name = decode_name
        generic.read_object = fastobject.read_object


def uninstall() -> None:
    _x509.Name.__eq__ = _ORIGINAL_NAME_EQ
    _x509.Name.hashable = _ORIGINAL_NAME_HASHABLE
    PdfFileReader._get_object_from_stream = _ORIGINAL_FROM_STREAM
    generic.read_hex_string_from_stream = _ORIGINAL_READ_HEX
    misc._read_until_class = _ORIGINAL_READ_UNTIL_CLASS
    generic._decode_name = _ORIGINAL_DECODE_NAME
    generic.read_object = fastobject._ORIGINAL_READ_OBJECT
    fastxref.uninstall()
