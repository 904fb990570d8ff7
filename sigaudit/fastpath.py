"""Fast paths where profiling shows pyHanko is the bottleneck (docs/performance.md).

Each one gives the library's own answer, faster, and is tested against the library on
the whole fixture corpus and on generated inputs (tests/test_fastpath.py).  ``install()``
is idempotent; ``uninstall()`` restores pyHanko's functions (the tests use it to compare).

Set ``SIGAUDIT_NO_FASTPATH=1`` to turn all of them off.

1. Hex strings.  pyHanko reads a hex string one byte at a time through Python calls; a
   signature's ``/Contents`` is 16–30 kB of hex, read several times per signature.  The fast
   reader finds the closing ``>`` with one ``find`` and decodes with ``binascii``; a hex
   string holding a comment (``%``) goes to pyHanko's reader, which skips comments.
2. Difference analysis.  When the revisions after a signature only add signatures or
   document timestamps (``evidence/revisions.py``), pyHanko validates with ``skip_diff``
   and the modification level comes from that check.
"""

from __future__ import annotations

import binascii
import os
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PDF_WHITESPACE, PdfStreamError

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


def install() -> None:
    if ENABLED:
        generic.read_hex_string_from_stream = read_hex_string_from_stream


def uninstall() -> None:
    generic.read_hex_string_from_stream = _ORIGINAL_READ_HEX
