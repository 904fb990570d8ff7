"""pyHanko's ``generic.read_object``, faster, for the objects of a file (``fastpath.py``, 5).

pyHanko reads an object one byte per Python call: every dictionary key, every skip over
white space and every number goes through ``stream.read(1)``.  Objects are read on every
step of an audit (the signature fields, the revisions compared, the page budget), and on
the generated plans this reading is a third of the signature path.  Here a dictionary or an
array is read from the bytes behind the stream with regular expressions, building the very
objects pyHanko builds (``NameObject``, ``NumberObject``, ``FloatObject``,
``IndirectObject``, ``BooleanObject``, ``NullObject``, ``ArrayObject``,
``DictionaryObject``, ``StreamObject``), each with the same ``container_ref``, leaving the
stream where pyHanko leaves it.

Only the plain syntax is read here: a literal string without escapes or nested
parentheses is its bytes; other strings, hex strings, stream payloads and names are handed
to pyHanko's own readers at their position; anything else — a comment, a
duplicate key, a byte pyHanko would refuse, a reference split by an unusual white space,
the end of the data, a content stream, an XMP stream — makes the whole object be read again
by pyHanko from its start, so that its answer (or its error) is the answer.  Tested against
pyHanko on every object of the fixture corpus and the real files, and on generated syntax
(``tests/unit/evidence/signatures/test_fastobject.py``).
"""

from __future__ import annotations

import io
import re
from typing import Any

from pyhanko.pdf_utils import generic

_ORIGINAL_READ_OBJECT = generic.read_object

_SKIP = re.compile(rb"[ \n\r\t\f\x00]*")
_NAME_END = re.compile(rb"[ \n\r\t\f\x00()<>\[\]{}/%]")  # whitespace and delimiters
_NUMBER_END = re.compile(b"[^+-.0-9]")  # pyHanko's NumberObject.NumberPattern, '+-.' a range
_REFERENCE = re.compile(rb"([0-9]+)[ \n\r\t\f]+([0-9]+)[ \n\r\t\f]+R")
_NO = generic.ContentOpReading.NO
_PLAIN = rb"[!\"$&'*+,\-.0-9:;=?@A-Z\\^_`a-z|~]"  # printable, no delimiter, no '#'
_NAME_AT = re.compile(rb"/(" + _PLAIN + rb"*)")
"""A name written with only its plain characters: no ``#`` escape, nothing pyHanko refuses."""
_KEY_AT = re.compile(rb"[ \n\r\t\f\x00]*/(" + _PLAIN + rb"*)")
_ENDS_NAME = frozenset(b" \n\r\t\f\x00()<>[]{}/%")
_KEYS: dict[bytes, Any] = {}
"""Dictionary keys met before (a file has a few dozen): pyHanko's key is a ``NameObject``
with no container reference, the same value whatever dictionary holds it."""


class _Fallback(Exception):
    """The object is read by pyHanko."""


def read_object(
    stream: Any,
    container_ref: Any,
    as_metadata_stream: bool = False,
    in_content_stream: Any = _NO,
) -> Any:
    """Drop-in replacement of ``pyhanko.pdf_utils.generic.read_object``."""
    if as_metadata_stream or in_content_stream is not _NO or type(stream) is not io.BytesIO:
        return _ORIGINAL_READ_OBJECT(stream, container_ref, as_metadata_stream, in_content_stream)
    start = stream.tell()
    data = stream.getvalue()  # the same bytes object, not a copy, for a BytesIO read only
    try:
        obj, end = _value(data, start, stream, container_ref)
    except Exception:
        stream.seek(start)
        return _ORIGINAL_READ_OBJECT(stream, container_ref, as_metadata_stream, in_content_stream)
    stream.seek(end)
    return obj


def _value(data: bytes, p: int, stream: Any, container_ref: Any) -> tuple[Any, int]:
    c = data[p]  # IndexError at the end: pyHanko's answer
    if c == 0x2F:  # '/'
        obj, p = _name(data, p)
    elif c == 0x3C:  # '<'
        if data[p + 1] == 0x3C:
            return _dictionary(data, p + 2, stream, container_ref)
        stream.seek(p)
        obj = generic.read_hex_string_from_stream(stream)
        p = stream.tell()
    elif c == 0x5B:  # '['
        return _array(data, p + 1, stream, container_ref)
    elif c == 0x28:  # '('
        close = data.find(b")", p + 1)
        raw = data[p + 1 : close]
        if close > 0 and b"(" not in raw and b"\\" not in raw:  # no nesting, no escape: the bytes as written
            obj, p = generic.pdf_string(raw), close + 1
        else:
            stream.seek(p)
            obj = generic.read_string_from_stream(stream)
            p = stream.tell()
    elif c == 0x74 and data[p : p + 4] == b"true":
        obj, p = generic.BooleanObject(True), p + 4
    elif c == 0x66 and data[p : p + 5] == b"false":
        obj, p = generic.BooleanObject(False), p + 5
    elif c == 0x6E and data[p : p + 4] == b"null":
        obj, p = generic.NullObject(), p + 4
    elif 0x30 <= c <= 0x39:
        peek = data[p : p + 20]
        if generic.INDIRECT_PATTERN.match(peek) is not None:
            found = _REFERENCE.match(peek)
            if found is None or int(found[1]) <= 0:  # pyHanko refuses object number 0
                raise _Fallback
            obj = generic.IndirectObject(int(found[1]), int(found[2]), container_ref.get_pdf_handler())
            p += found.end()
        else:
            obj, p = _number(data, p)
    elif c in b"+-.":
        obj, p = _number(data, p)
    else:
        raise _Fallback  # a comment, or a byte pyHanko refuses
    obj.container_ref = container_ref
    return obj, p


def _name(data: bytes, p: int) -> tuple[Any, int]:
    plain = _NAME_AT.match(data, p)
    if plain is not None:
        end = plain.end()
        if end < len(data) and data[end] in _ENDS_NAME:
            return generic.NameObject("/" + plain[1].decode("ascii")), end
    found = _NAME_END.search(data, p + 1)
    end = found.start() if found is not None else len(data)
    return generic._decode_name(data[p + 1 : end]), end


def _key(raw: bytes) -> Any:
    """The key named by ``raw`` (plain characters), the one met before where there is one."""
    key = _KEYS.get(raw)
    if key is None:
        key = generic.NameObject("/" + raw.decode("ascii"))
        if len(_KEYS) < 4096:
            _KEYS[raw] = key
    return key


def _number(data: bytes, p: int) -> tuple[Any, int]:
    found = _NUMBER_END.search(data, p)
    end = found.start() if found is not None else len(data)
    text = data[p:end].decode("ascii")
    return (generic.FloatObject(text) if "." in text else generic.NumberObject(text)), end


def _skip(data: bytes, p: int) -> int:
    p = _SKIP.match(data, p).end()  # type: ignore[union-attr]  # always matches
    if p >= len(data) or data[p] == 0x25:  # the end, or a comment: pyHanko's reading
        raise _Fallback
    return p


def _dictionary(data: bytes, p: int, stream: Any, container_ref: Any) -> tuple[Any, int]:
    entries: dict[Any, Any] = {}
    while True:
        key_at = _KEY_AT.match(data, p)  # white space, then a plain name: the usual key
        if key_at is not None and key_at.end() < len(data) and data[key_at.end()] in _ENDS_NAME:
            key, p = _key(key_at[1]), key_at.end()
        else:
            p = _skip(data, p)
            c = data[p]
            if c == 0x3E:  # '>': pyHanko consumes the next byte without looking at it
                if p + 1 >= len(data):
                    raise _Fallback
                p += 2
                break
            if c != 0x2F:
                raise _Fallback  # not a name: pyHanko's error
            key, p = _name(data, p)
        p = _skip(data, p)
        value, p = _value(data, p, stream, container_ref)
        if key in entries:
            raise _Fallback  # pyHanko refuses it (strict) or keeps the first with a warning
        entries[key] = value
    stream.seek(p)
    payload = generic._maybe_read_stream_payload(stream, entries, container_ref.get_pdf_handler())
    if payload is not None:
        obj = generic.StreamObject(entries, encoded_data=payload)
    else:
        obj = generic.DictionaryObject(entries)
    obj.container_ref = container_ref
    return obj, stream.tell()


def _array(data: bytes, p: int, stream: Any, container_ref: Any) -> tuple[Any, int]:
    items = generic.ArrayObject()
    while True:
        p = _skip(data, p)
        if data[p] == 0x5D:  # ']'
            p += 1
            break
        value, p = _value(data, p, stream, container_ref)
        items.append(value)
    items.container_ref = container_ref
    return items, p
