"""XMP metadata changed after signing: harmless only while it is plain XMP.

The harmless list forgives the document's XMP metadata (``harmless.py``: it repeats the
document information and no page draws it), and the comparison by effect takes the
catalog's ``/Metadata`` for inert (``effects.py``).  Both hold for metadata, not for
anything put in its place: a viewer, an indexer or a document system parses the stream
as XML, and a stream with a DTD (entity declarations: the "billion laughs" expansion, an
external entity that reads a file or calls a server) attacks that parser, while one that
is not XML, or not XMP, is no metadata at all.  ISO 16684-1 (XMP) §7.3: an XMP packet is
RDF/XML without a DTD.  So new or rewritten metadata must be a stream (an indirect one,
as ISO 32000-1 §14.3.2 asks) whose bytes decode, hold no ``<!DOCTYPE``/``<!ENTITY``, parse as
XML and have ``x:xmpmeta`` or ``rdf:RDF`` at their root; else it is a change, named.
pyHanko's policy refuses the same files (its test cases "bogus metadata", "dangerous XML
metadata").
"""

from __future__ import annotations

import re
from typing import Any

MAX_XMP_BYTES = 8 * 1024 * 1024
"""Metadata larger than this is not parsed (real XMP packets are a few kilobytes)."""
_DECLARATION = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_ROOTS = ("{adobe:ns:meta/}xmpmeta", "{adobe:ns:meta/}xapmeta", "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF")


def is_xmp_stream(obj: Any) -> bool:
    """A stream that says it is XMP metadata (``/Type /Metadata /Subtype /XML``)."""
    from pyhanko.pdf_utils import generic

    return bool(
        isinstance(obj, generic.StreamObject) and obj.get("/Type") == "/Metadata" and obj.get("/Subtype") == "/XML"
    )


def xmp_problem(value: Any) -> str | None:
    """What makes the catalog's ``/Metadata`` value (as stored: a reference, or a direct
    object) other than plain XMP, in a few words; None for plain XMP."""
    from pyhanko.pdf_utils import generic

    if not isinstance(value, generic.IndirectObject):
        return "not a stream of its own"
    try:
        return stream_problem(value.get_object())
    except Exception:
        return "unreadable"


def stream_problem(stream: Any) -> str | None:
    """What makes a metadata stream other than plain XMP (``xmp_problem``), or None."""
    from xml.etree import ElementTree

    from pyhanko.pdf_utils import generic

    if not isinstance(stream, generic.StreamObject):
        return "not a stream"
    try:
        data = stream.data
    except Exception:
        return "unreadable"
    if len(data) > MAX_XMP_BYTES:
        return "too large to be XMP"
    if _DECLARATION.search(data):
        return "with XML entity declarations (DTD)"
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return "not well-formed XML"
    return None if root.tag in _ROOTS else "not XMP"
