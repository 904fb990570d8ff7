"""The text layer of page 1, extracted with pypdf."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


def first_page_text(reader: Any) -> str:
    """Text of page 1 in pypdf's plain layout; an empty string when there is none.

    ``reader`` is a ``pypdf.PdfReader``.  An image-only (scanned) page yields "".
    """
    return "".join(text for text, _ in first_page_runs(reader))


def first_page_runs(reader: Any) -> list[tuple[str, str | None]]:
    """pypdf's plain-layout text of page 1 as (text, BaseFont name) runs, in order.

    The runs concatenate to exactly what ``extract_text()`` returns; the font of each run is
    what legacy 8-bit Vietnamese text needs (capitals fonts put capitals at lower-case codes).
    """
    if len(reader.pages) == 0:
        return []
    runs: list[tuple[str, str | None]] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if text:
            name = font.get("/BaseFont") if font else None
            runs.append((text, str(name).lstrip("/") if name is not None else None))

    whole = reader.pages[0].extract_text(visitor_text=visit) or ""
    if "".join(t for t, _ in runs) != whole:  # a pypdf version that visits differently
        return [(whole, None)]
    return runs


def first_page_fonts(reader: Any) -> tuple[str, ...]:
    """BaseFont names used on page 1 (subset prefix kept), for legacy-encoding detection."""
    try:
        page = reader.pages[0]
        fonts = page.get("/Resources", {}).get_object().get("/Font") or {}
        names = []
        for ref in fonts.get_object().values():
            font = ref.get_object()
            name = font.get("/BaseFont")
            if name is None and "/DescendantFonts" in font:
                name = font["/DescendantFonts"][0].get_object().get("/BaseFont")
            if name is not None:
                names.append(str(name).lstrip("/"))
        return tuple(sorted(names))
    except Exception:
        log.debug("cannot list the fonts of page 1", exc_info=True)
        return ()
