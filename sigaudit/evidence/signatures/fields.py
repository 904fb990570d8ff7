"""Signature fields: the form's tree and the pages' widgets."""

from __future__ import annotations

import logging
from typing import Any

from sigaudit.evidence.pdfdict import entry

log = logging.getLogger(__name__)


def _field_refs_by_name(reader: Any) -> dict[str, set[tuple[int, int]]]:
    """Fully qualified field name → the objects that carry it: the field and its
    widgets, an indirect value, and their appearance streams."""
    from pyhanko.pdf_utils import generic

    out: dict[str, set[tuple[int, int]]] = {}
    fields = reader.root["/AcroForm"]["/Fields"]
    stack = [(fields.raw_get(i), "") for i in range(len(fields))]
    visited = 0
    while stack and visited < 20000:  # bounded: field trees can contain cycles
        visited += 1
        ref, prefix = stack.pop()
        if not isinstance(ref, generic.IndirectObject):
            continue
        node = ref.get_object()
        part = entry(node, "/T")
        name = f"{prefix}.{part}" if prefix and part is not None else (str(part) if part is not None else prefix)
        refs = out.setdefault(name, set())
        refs.add((ref.idnum, ref.generation))
        value = node.raw_get("/V") if "/V" in node else None
        if isinstance(value, generic.IndirectObject):
            refs.add((value.idnum, value.generation))
        appearance = node.get("/AP")
        if appearance is not None:
            for key in ("/N", "/D", "/R"):
                stream_ref = appearance.raw_get(key) if key in appearance else None
                if isinstance(stream_ref, generic.IndirectObject):
                    refs.add((stream_ref.idnum, stream_ref.generation))
        kids = node.get("/Kids")
        if kids is not None:
            stack.extend((kids.raw_get(i), name) for i in range(len(kids)))
    return out


def _widget_signatures(reader: Any) -> list[tuple[str, Any, Any]]:
    """(name, value, field) of signed signature widgets reachable from the pages' /Annots."""
    from pyhanko.pdf_utils import generic

    out: list[tuple[str, Any, Any]] = []
    try:
        pages = reader.root["/Pages"]
    except Exception:
        return out
    stack = [pages]
    visited = 0
    while stack and visited < 20000:
        visited += 1
        try:
            node = stack.pop().get_object()
            if "/Kids" in node:
                kids = node["/Kids"]
                stack.extend(kids.raw_get(i) for i in range(len(kids)))
                continue
        except Exception:
            # a page node the parser cannot read (a wrong cross-reference offset, which
            # viewers repair): the form's own fields are still listed and validated, and
            # page 1 is read by PDFium, which repairs it
            log.info("a page node cannot be read while looking for signature widgets", exc_info=True)
            continue
        try:
            annots = node["/Annots"] if "/Annots" in node else []
        except Exception:
            continue
        for i in range(len(annots)):
            try:
                ref = annots.raw_get(i)
                widget = ref.get_object()
                if entry(widget, "/Subtype") != "/Widget":
                    continue
                field_ref, field = ref, widget
                if "/FT" not in widget and "/Parent" in widget:
                    field_ref, field = widget.raw_get("/Parent"), widget["/Parent"]
                if entry(field, "/FT") != "/Sig" or "/V" not in field:
                    continue
                if not isinstance(field_ref, generic.IndirectObject):
                    continue
                name = str(entry(field, "/T", f"widget {ref.idnum}"))
                out.append((name, field.raw_get("/V"), field_ref))
            except Exception:
                log.debug("unreadable annotation while looking for signature widgets", exc_info=True)
    return out


def _null_reference(reader: Any, value: Any) -> bool:
    """Whether a field's ``/V`` is a reference to an object the file does not have: that
    reference is null (ISO 32000-1 §7.3.10), so the field is not signed.  A signature
    dictionary that exists but cannot be read is another matter (malformed)."""
    from pyhanko.pdf_utils import generic

    if isinstance(value, generic.NullObject):
        return True
    if not isinstance(value, generic.IndirectObject):
        return False
    try:
        reader.xrefs.get_last_change(value.reference)
    except KeyError:
        return True
    except Exception:
        return False
    return False
