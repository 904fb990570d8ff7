"""The text layer of page 1, extracted with pypdf."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


def first_page_text(reader: Any) -> str:
    """Text of page 1 in pypdf's plain layout; an empty string when there is none.

    ``reader`` is a ``pypdf.PdfReader``.  An image-only (scanned) page yields "".
    """
    if len(reader.pages) == 0:
        return ""
    return reader.pages[0].extract_text() or ""
