"""The audited file's page as PDFium loaded it, shared by the steps that read it.

Loading page 1 of a real e-office document (its fonts, images and content stream) costs
PDFium a few milliseconds, as much as validating a signature.  Within one document's
inspection (``inspect_bytes``), the ink check of stamped widgets (``changes/ink.py``) and the
page-1 reading (``page/pagetext.py``) both start from the final file's page with its form
environment, so it is loaded once here and handed to both.

The page is read, never changed, until one caller *takes* it (``take``: the page reader
flattens the annotations into it); after that nobody else gets it.  Outside a ``scope`` of
the same bytes object, ``page`` and ``take`` return None and callers open their own.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

log = logging.getLogger(__name__)

_local = threading.local()


class _Document:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pdf: Any = None
        self.pages: dict[int, Any] = {}
        self.textpages: dict[int, Any] = {}
        self.taken = False
        self.failed = False

    def page(self, index: int) -> Any | None:
        if self.taken or self.failed:
            return None
        try:
            if self.pdf is None:
                import pypdfium2 as pdfium

                self.pdf = pdfium.PdfDocument(self.data)
                self.pdf.init_forms()
            if index not in self.pages:
                self.pages[index] = self.pdf[index]
            return self.pages[index]
        except Exception:
            log.debug("PDFium cannot load the page to share", exc_info=True)
            self.failed = True
            return None

    def close(self) -> None:
        for page in [*self.textpages.values(), *self.pages.values()]:
            try:
                page.close()
            except Exception:  # pragma: no cover - closing never fails in practice
                log.debug("closing a shared page failed", exc_info=True)
        self.pages.clear()
        self.textpages.clear()
        if self.pdf is not None:
            self.pdf.close()
            self.pdf = None


@contextmanager
def scope(data: bytes) -> Iterator[None]:
    """Within it, ``page(data, i)`` loads page ``i`` of ``data`` once; closed on exit."""
    previous = getattr(_local, "document", None)
    document = _Document(data)
    _local.document = document
    try:
        yield
    finally:
        _local.document = previous
        document.close()


def _current(data: bytes) -> _Document | None:
    document = getattr(_local, "document", None)
    return document if document is not None and document.data is data else None


def page(data: bytes, index: int) -> Any | None:
    """Page ``index`` of ``data`` with its form environment, to read and render without
    changing it (do not close it); None outside a scope of ``data`` or once taken."""
    document = _current(data)
    return document.page(index) if document is not None else None


def take(data: bytes, index: int) -> tuple[Any, Any] | None:
    """(document, page ``index``) for a caller that changes the page; nobody gets the page
    afterwards, and the scope closes both."""
    document = _current(data)
    if document is None:
        return None
    loaded = document.page(index)
    if loaded is None:
        return None
    document.taken = True
    return document.pdf, loaded


def textpage(page: Any) -> Any:
    """PDFium's text page of ``page``: the one already built where ``page`` is the shared
    page (the ink check and the page reader both read its characters); give it back with
    ``release``, never ``close``."""
    document = getattr(_local, "document", None)
    if document is not None:
        for index, shared in document.pages.items():
            if shared is page:
                built = document.textpages.get(index)
                if built is None:
                    built = document.textpages[index] = page.get_textpage()
                return built
    return page.get_textpage()


def release(built: Any) -> None:
    """Close a text page from ``textpage`` unless it is the shared one."""
    document = getattr(_local, "document", None)
    if document is not None and any(shared is built for shared in document.textpages.values()):
        return
    built.close()


def annotations(
    page: Any, form: Any = None, *, own_names: bool = False
) -> list[tuple[int, int, tuple[float, float, float, float], int, str | None]]:
    """(PDFium's index, subtype code, rectangle (left, bottom, right, top), flags, field name)
    of each annotation of the loaded ``page`` that has a rectangle; the field name of a
    widget where ``form`` (the document's form handle) is given, else, with ``own_names``,
    the name its own dictionary gives (``_own_field_name``: a widget no form lists)."""
    from pypdfium2 import raw

    out = []
    for i in range(raw.FPDFPage_GetAnnotCount(page.raw)):
        annot = raw.FPDFPage_GetAnnot(page.raw, i)
        if not annot:
            continue
        try:
            rect = raw.FS_RECTF()
            if not raw.FPDFAnnot_GetRect(annot, rect):
                continue
            subtype = raw.FPDFAnnot_GetSubtype(annot)
            name = None
            if subtype == WIDGET and form is not None:
                name = _utf16(lambda buf, n, a=annot: raw.FPDFAnnot_GetFormFieldName(form, a, buf, n))
            elif subtype == WIDGET and own_names:
                name = _own_field_name(annot)
            x0, x1 = sorted((rect.left, rect.right))
            y0, y1 = sorted((rect.bottom, rect.top))
            out.append((i, subtype, (x0, y0, x1, y1), raw.FPDFAnnot_GetFlags(annot), name))
        finally:
            raw.FPDFPage_CloseAnnot(annot)
    return out


WIDGET = 20  # FPDF_ANNOT_WIDGET


def _own_field_name(annot: Any) -> str | None:
    """The partial name (/T) of the field of a widget that no form lists: the widget's own,
    or its /Parent's where the widget is only a kid of the field (no /FT of its own) — the
    name ``signatures.fields._widget_signatures`` gives the signature such a widget carries."""
    from pypdfium2 import raw

    target, parent = annot, None
    try:
        if not raw.FPDFAnnot_HasKey(annot, b"FT") and raw.FPDFAnnot_HasKey(annot, b"Parent"):
            parent = raw.FPDFAnnot_GetLinkedAnnot(annot, b"Parent")
            if not parent:
                return None
            target = parent
        return _utf16(lambda buf, n: raw.FPDFAnnot_GetStringValue(target, b"T", buf, n))
    except Exception:
        log.debug("cannot read a widget's own field name", exc_info=True)
        return None
    finally:
        if parent:
            raw.FPDFPage_CloseAnnot(parent)


def _utf16(call: Any) -> str | None:
    """A UTF-16 string PDFium writes into a buffer it is asked the size of first."""
    import ctypes

    size = call(None, 0)
    if size <= 2:
        return None
    buf = ctypes.create_string_buffer(size)
    call(ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)), size)
    return buf.raw[: size - 2].decode("utf-16-le", "replace") or None


def plain_calls(*specs: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """PDFium's functions bound with ``by_address``, each spec ``(name, restype,
    *argtypes)``: a pointer argument given as ``c_void_p`` is passed as an address (an
    int), the cheapest thing ctypes converts (a ctypes pointer object is converted on every
    call: 1.1 µs a call against 0.66 µs).  None where one of them cannot be bound (the
    caller uses pypdfium2's bindings)."""
    from pypdfium2 import raw

    try:
        return tuple(by_address(getattr(raw, name), restype, *argtypes) for name, restype, *argtypes in specs)
    except Exception:  # pragma: no cover - a pypdfium2 without these symbols
        log.debug("PDFium's calls taken as pypdfium2 binds them", exc_info=True)
        return None


def by_address(function: Any, restype: Any, *argtypes: Any) -> Any:
    """A PDFium function as pypdfium2 binds it, called with PDFium's handles as plain
    addresses (``c_void_p``) instead of pypdfium2's pointer types: the same C function
    without a ctypes conversion of the handle on every call (thousands of calls a page)."""
    import ctypes

    return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(function, ctypes.c_void_p).value)
