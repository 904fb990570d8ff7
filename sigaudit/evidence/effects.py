"""Changes after signing judged by their effect on what a reader sees.

pyHanko's difference analysis judges which *objects* later revisions rewrote.  Real
e-office software (iText) rewrites the catalog, the document information, XMP metadata,
fonts and page dictionaries in every revision that adds a signature, while every page's
content stream stays byte-identical; PAdES B-LT/B-LTA prolongation adds DSS/VRI data and
document timestamps and re-lists objects as free.  pyHanko rejects many of those, so its
verdict is one input here, not the last word.

``compare_revisions`` compares the signed revision with the final file by effect:

- the number of pages, each page's geometry, its content (decoded content streams) and
  the resources that content uses (fonts, images, form XObjects, colour spaces), deep;
- the annotations that existed at signing (kept, same type, rectangle, text and
  appearance), and the annotations added since (signature widgets, or others by type);
- the values of the form fields that existed at signing;
- document-level things that change what is shown or done on opening: optional content
  (layers), open actions and document JavaScript, the AcroForm itself.

Where the object comparison cannot prove that a page is unchanged (resources rewritten
with different bytes), both revisions of that page are rendered with PDFium, without
annotations, and compared pixel by pixel.  Whatever cannot be read or rendered makes the
comparison inconclusive (``None``): the caller then keeps the stricter verdict.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from sigaudit.evidence.pdfdict import entry

log = logging.getLogger(__name__)

MAX_NODES = 200_000
_PAGE_KEYS = ("/MediaBox", "/CropBox", "/Rotate", "/UserUnit")
_INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")
_IGNORED_KEYS = {"/Parent", "/Length", "/Filter", "/DecodeParms", "/P", "/StructParent", "/StructParents"}
_ANNOT_KEYS = ("/Subtype", "/Rect", "/Contents", "/AP", "/F", "/V", "/AS", "/QuadPoints", "/InkList", "/Vertices")
_CATALOG_KEYS = ("/OpenAction", "/AA", "/OCProperties")


class Inconclusive(Exception):
    """The comparison could not be carried out."""


@dataclass
class Effect:
    """What later revisions changed in what a reader sees."""

    changes: list[str] = field(default_factory=list)
    """Changes to what was signed: page content, pages, existing annotations, field values."""
    added_annotations: list[str] = field(default_factory=list)
    """Annotations added after signing that are not signature widgets, by type."""
    covering: list[str] = field(default_factory=list)
    """Of those, the ones whose rectangle covers text of the signed page."""
    signatures_added: bool = False
    rendered_pages: int = 0
    """Pages that had to be rendered to prove them unchanged."""


def compare_revisions(
    reader: Any, signed_revision: int, signed_bytes: bytes | None, final_bytes: bytes | None
) -> Effect | None:
    """Compare the signed revision with the final file; None when it cannot be done."""
    try:
        return _compare(reader, signed_revision, signed_bytes, final_bytes)
    except MemoryError:
        raise
    except Exception as exc:
        log.info("effect comparison inconclusive: %s", exc, exc_info=True)
        return None


def _compare(reader: Any, signed_revision: int, signed_bytes: bytes | None, final_bytes: bytes | None) -> Effect:
    old = reader.get_historical_resolver(signed_revision)
    old_root, new_root = old.root, reader.root
    effect = Effect()
    old_walk, new_walk = _pages(old_root), _pages(new_root)
    cmp = _Comparer(old.root, reader.root)
    # A reference to a page (a destination, an annotation's /P) means "page n", not the
    # page dictionary's contents, which a new widget legitimately changes.
    cmp.page_refs = tuple({_ref(ref): i for i, (ref, _, _) in enumerate(walk)} for walk in (old_walk, new_walk))
    old_pages = [(page, attrs) for _, page, attrs in old_walk]
    new_pages = [(page, attrs) for _, page, attrs in new_walk]
    if len(old_pages) != len(new_pages):
        effect.changes.append(f"page tree ({len(old_pages)} pages → {len(new_pages)})")
    text_boxes: dict[int, list[tuple[float, float, float, float]]] = {}
    _, old_signatures, old_fields = _form(old_root)
    sig_fields_new, _, new_fields = _form(new_root)
    for index, (op, np_) in enumerate(zip(old_pages, new_pages, strict=False), start=1):
        (old_page, old_inh), (new_page, new_inh) = op, np_
        for key in _PAGE_KEYS:
            if not cmp.same(
                entry(old_inh, key) if key in old_inh else entry(old_page, key),
                entry(new_inh, key) if key in new_inh else entry(new_page, key),
            ):
                effect.changes.append(f"page geometry (page {index}, {key[1:]})")
        if _contents(old_page) != _contents(new_page):
            effect.changes.append(f"page content stream (page {index})")
        elif not cmp.same(entry(old_inh, "/Resources"), entry(new_inh, "/Resources")):
            renderable = (
                signed_bytes is not None
                and final_bytes is not None
                and _renderable(old_page, old_inh)
                and _renderable(new_page, new_inh)
            )
            if not renderable or not _renders_equal(signed_bytes, final_bytes, index - 1):
                what = _resource_changes(_Comparer(), entry(old_inh, "/Resources"), entry(new_inh, "/Resources"))
                effect.changes.extend(f"{w} (page {index} resources)" for w in what or ["resources"])
            else:
                effect.rendered_pages += 1
        _compare_annotations(
            cmp, index, old_page, new_page, sig_fields_new, effect, signed_bytes, text_boxes, old_signatures
        )
    _compare_fields(cmp, old_root, new_root, old_fields, new_fields, effect)
    for key in _CATALOG_KEYS:
        if not cmp.same(entry(old_root, key), entry(new_root, key)):
            effect.changes.append(f"document {key[1:]}")
    old_js = _javascript(old_root)
    if not cmp.same(old_js, _javascript(new_root)):
        effect.changes.append("document JavaScript")
    return effect


class _Comparer:
    def __init__(self, old_root: Any = None, new_root: Any = None) -> None:
        self.page_refs: tuple[dict[Any, int], dict[Any, int]] = ({}, {})
        self.nodes = 0
        self.assumed: set[tuple[Any, Any]] = set()
        self.different: set[tuple[Any, Any]] = set()

    def same(self, a: Any, b: Any) -> bool:
        from pyhanko.pdf_utils import generic

        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise Inconclusive("too many objects to compare")
        if isinstance(a, generic.DecryptedObjectProxy):
            a = a.decrypted
        if isinstance(b, generic.DecryptedObjectProxy):
            b = b.decrypted
        if isinstance(a, generic.IndirectObject) and isinstance(b, generic.IndirectObject):
            old_page, new_page = self.page_refs[0].get(_ref(a)), self.page_refs[1].get(_ref(b))
            if old_page is not None or new_page is not None:
                return old_page == new_page
        if isinstance(a, generic.IndirectObject) or isinstance(b, generic.IndirectObject):
            key = (_ref(a), _ref(b))
            if key in self.different:
                return False
            if key in self.assumed:
                return True  # being compared further up (a cycle), or found equal
            self.assumed.add(key)
            a = a.get_object() if isinstance(a, generic.IndirectObject) else a
            b = b.get_object() if isinstance(b, generic.IndirectObject) else b
            result = self._same_resolved(a, b)
            if not result:
                self.assumed.discard(key)
                self.different.add(key)
            return result
        return self._same_resolved(a, b)

    def _same_resolved(self, a: Any, b: Any) -> bool:
        from pyhanko.pdf_utils import generic

        if isinstance(a, generic.StreamObject) or isinstance(b, generic.StreamObject):
            if not (isinstance(a, generic.StreamObject) and isinstance(b, generic.StreamObject)):
                return False
            if not self._same_stream_data(a, b):
                return False
            return self._same_dict(a, b)
        if isinstance(a, generic.DictionaryObject) and isinstance(b, generic.DictionaryObject):
            return self._same_dict(a, b)
        if isinstance(a, generic.ArrayObject) and isinstance(b, generic.ArrayObject):
            return len(a) == len(b) and all(self.same(a.raw_get(i), b.raw_get(i)) for i in range(len(a)))
        if isinstance(a, (generic.DictionaryObject, generic.ArrayObject)) or isinstance(
            b, (generic.DictionaryObject, generic.ArrayObject)
        ):
            return False
        if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
            return abs(float(a) - float(b)) < 1e-6
        return bool(a == b)

    def _same_stream_data(self, a: Any, b: Any) -> bool:
        """Same bytes as encoded with the same filters, else the same decoded bytes (a
        rewrite may recompress); filters nobody decodes here (images) must match encoded."""
        same_filters = self.same(
            a.raw_get("/Filter") if "/Filter" in a else None, b.raw_get("/Filter") if "/Filter" in b else None
        ) and self.same(
            a.raw_get("/DecodeParms") if "/DecodeParms" in a else None,
            b.raw_get("/DecodeParms") if "/DecodeParms" in b else None,
        )
        if same_filters and a.encoded_data == b.encoded_data:
            return True
        try:
            return bool(a.data == b.data)
        except NotImplementedError:
            return False

    def _same_dict(self, a: Any, b: Any) -> bool:
        keys_a = {k for k in a.keys() if k not in _IGNORED_KEYS}
        keys_b = {k for k in b.keys() if k not in _IGNORED_KEYS}
        if keys_a != keys_b:
            return False
        return all(self.same(a.raw_get(k), b.raw_get(k)) for k in sorted(keys_a))


_RESOURCE_KINDS = {
    "/Font": "font",
    "/ExtGState": "graphics state",
    "/ColorSpace": "colour space",
    "/Pattern": "pattern",
    "/Shading": "shading",
    "/Properties": "optional content",
}


def _resource_changes(cmp: _Comparer, old: Any, new: Any) -> list[str]:
    """Which kinds of resources differ: "form XObject", "image", "font"…"""
    old = old.get_object() if hasattr(old, "get_object") else old
    new = new.get_object() if hasattr(new, "get_object") else new
    if old is None or new is None:
        return ["resources"]
    out: list[str] = []
    for key in sorted(set(old.keys()) | set(new.keys())):
        if key in old and key in new and cmp.same(old.raw_get(key), new.raw_get(key)):
            continue
        if key != "/XObject" or key not in old or key not in new:
            out.append(_RESOURCE_KINDS.get(key, f"resource {key[1:]}"))
            continue
        xo_old, xo_new = old["/XObject"], new["/XObject"]
        for name in sorted(set(xo_old.keys()) | set(xo_new.keys())):
            if name in xo_old and name in xo_new and cmp.same(xo_old.raw_get(name), xo_new.raw_get(name)):
                continue
            obj = (xo_new if name in xo_new else xo_old)[name]
            out.append("image" if entry(obj, "/Subtype") == "/Image" else "form XObject")
    return sorted(set(out))


def _ref(obj: Any) -> Any:
    return (obj.idnum, obj.generation) if hasattr(obj, "idnum") else id(obj)


def _pages(root: Any) -> list[tuple[Any, Any, dict[str, Any]]]:
    """Leaf pages in order: (reference, page, inherited attributes)."""
    out: list[tuple[Any, Any, dict[str, Any]]] = []
    stack: list[tuple[Any, dict[str, Any]]] = [(root.raw_get("/Pages"), {})]
    visited = 0
    while stack:
        visited += 1
        if visited > 100_000:
            raise Inconclusive("page tree too large or cyclic")
        ref, inherited = stack.pop()
        node = ref.get_object()
        attrs = dict(inherited)
        for key in _INHERITED:
            if key in node:
                attrs[key] = node.raw_get(key)
        if "/Kids" in node:
            kids = node["/Kids"]
            stack.extend((kids.raw_get(i), attrs) for i in reversed(range(len(kids))))
        else:
            out.append((ref, node, attrs))
    return out


def _contents(page: Any) -> bytes:
    from pyhanko.pdf_utils import generic

    if "/Contents" not in page:
        return b""
    contents = page["/Contents"]
    if isinstance(contents, generic.ArrayObject):
        return b"\n".join(c.get_object().data for c in contents)
    return bytes(contents.data)


def _annotations(page: Any) -> list[Any]:
    if "/Annots" not in page:
        return []
    annots = page["/Annots"]
    return [annots.raw_get(i) for i in range(len(annots))]


def _form(root: Any) -> tuple[set[Any], set[Any], dict[str, Any]]:
    """One walk of the form's field tree: the references of signature fields and widgets,
    of the signature dictionaries they hold, and the values of the other fields by name."""
    from pyhanko.pdf_utils import generic

    sig_nodes: set[Any] = set()
    sig_values: set[Any] = set()
    values: dict[str, Any] = {}
    fields = entry(entry(root, "/AcroForm"), "/Fields")
    if fields is None:
        return sig_nodes, sig_values, values
    stack = [(fields.raw_get(i), "", None) for i in range(len(fields))]
    visited = 0
    while stack and visited < 50_000:
        visited += 1
        ref, prefix, ft = stack.pop()
        node = ref.get_object()
        part = entry(node, "/T")
        name = f"{prefix}.{part}" if prefix and part is not None else (str(part) if part is not None else prefix)
        kind = entry(node, "/FT", ft)
        if "/Kids" in node:
            kids = node["/Kids"]
            stack.extend((kids.raw_get(i), name, kind) for i in range(len(kids)))
        if kind == "/Sig":
            sig_nodes.add(_ref(ref))
            if "/V" in node and isinstance(node.raw_get("/V"), generic.IndirectObject):
                sig_values.add(_ref(node.raw_get("/V")))
        elif "/V" in node:
            values[name] = node.raw_get("/V")
    return sig_nodes, sig_values, values


def _is_signature_widget(ref: Any, obj: Any, sig_ids: set[Any]) -> bool:
    if _ref(ref) in sig_ids:
        return True
    if entry(obj, "/Subtype") != "/Widget":
        return False
    node = obj
    for _ in range(20):
        if entry(node, "/FT") == "/Sig":
            return True
        if "/Parent" not in node:
            return False
        node = node["/Parent"]
    return False


def _repeats_old_signature(widget: Any, old_values: set[Any]) -> bool:
    node = widget
    for _ in range(20):
        if "/V" in node:
            return _ref(node.raw_get("/V")) in old_values
        if "/Parent" not in node:
            return False
        node = node["/Parent"]
    return False


def _compare_annotations(
    cmp: _Comparer,
    index: int,
    old_page: Any,
    new_page: Any,
    sig_ids: set[Any],
    effect: Effect,
    signed_bytes: bytes | None,
    text_boxes: dict[int, list[tuple[float, float, float, float]]],
    old_values: set[Any],
) -> None:
    old_annots = _annotations(old_page)
    new_annots = _annotations(new_page)
    new_by_ref = {_ref(r): r for r in new_annots}
    old_refs = {_ref(r) for r in old_annots}
    for ref in old_annots:
        key = _ref(ref)
        obj = ref.get_object()
        if key not in new_by_ref:
            effect.changes.append(f"page {index} annotation removed ({str(entry(obj, '/Subtype', '?'))[1:]})")
            continue
        new_obj = new_by_ref[key].get_object()
        if not all(cmp.same(entry(obj, k), entry(new_obj, k)) for k in _ANNOT_KEYS if k != "/V"):
            effect.changes.append(f"page {index} annotation changed ({str(entry(obj, '/Subtype', '?'))[1:]})")
    for ref in new_annots:
        if _ref(ref) in old_refs:
            continue
        obj = ref.get_object()
        if _is_signature_widget(ref, obj, sig_ids):
            if not _repeats_old_signature(obj, old_values):
                effect.signatures_added = True
                continue
            # A new widget showing a signature made before: it adds no signature, only
            # an appearance on the page (one signature shown as several).
            subtype = "Widget (repeats an earlier signature)"
            effect.added_annotations.append(subtype)
            if _visible(obj) and signed_bytes is not None and _covers_text(obj, index - 1, signed_bytes, text_boxes):
                effect.covering.append(f"page {index} {subtype}")
            continue
        subtype = str(entry(obj, "/Subtype", "/?"))[1:]
        if subtype in ("Link", "Popup"):
            effect.added_annotations.append(subtype)
            continue
        effect.added_annotations.append(subtype)
        if _visible(obj) and signed_bytes is not None and _covers_text(obj, index - 1, signed_bytes, text_boxes):
            effect.covering.append(f"page {index} {subtype}")


def _visible(annot: Any) -> bool:
    flags = int(entry(annot, "/F", 0) or 0)
    return not (flags & 0b10 or flags & 0b100000)  # Hidden, NoView


def _covers_text(
    annot: Any, page_index: int, signed_bytes: bytes, cache: dict[int, list[tuple[float, float, float, float]]]
) -> bool:
    try:
        rect = [float(v) for v in annot["/Rect"]]
    except Exception:
        return True  # an annotation whose place cannot be read is assumed to cover
    x0, y0, x1, y1 = min(rect[0], rect[2]), min(rect[1], rect[3]), max(rect[0], rect[2]), max(rect[1], rect[3])
    if page_index not in cache:
        cache[page_index] = _text_boxes(signed_bytes, page_index)
    return any(bx0 < x1 and bx1 > x0 and by0 < y1 and by1 > y0 for bx0, by0, bx1, by1 in cache[page_index])


def _text_boxes(data: bytes, page_index: int) -> list[tuple[float, float, float, float]]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        page = pdf[page_index]
        textpage = page.get_textpage()
        boxes = []
        for i in range(textpage.count_chars()):
            box = textpage.get_charbox(i)
            if box[2] > box[0] and box[3] > box[1]:
                boxes.append(box)
        textpage.close()
        page.close()
        return boxes
    finally:
        pdf.close()


def _compare_fields(
    cmp: _Comparer, old_root: Any, new_root: Any, old_values: dict[str, Any], new_values: dict[str, Any], effect: Effect
) -> None:
    if "/AcroForm" in old_root and "/AcroForm" not in new_root:
        effect.changes.append("the form (AcroForm) was removed")
    for name, value in old_values.items():
        if name not in new_values or not cmp.same(value, new_values[name]):
            effect.changes.append(f"form field '{name}' value")


def _javascript(root: Any) -> Any:
    try:
        return entry(root["/Names"], "/JavaScript") if "/Names" in root else None
    except Exception:
        return None


def _renderable(page: Any, inherited: dict[str, Any]) -> bool:
    """Whether rendering the page stays within the decoding budget (PDFium has none)."""
    from pyhanko.pdf_utils import generic

    from sigaudit.evidence.budget import page_within_limits

    if "/Resources" not in page and "/Resources" in inherited:
        page = generic.DictionaryObject(
            {**{k: page.raw_get(k) for k in page.keys()}, "/Resources": inherited["/Resources"]}
        )
    return page_within_limits(page, images=True)


def _renders_equal(old_bytes: bytes, new_bytes: bytes, page_index: int, scale: float = 1.0) -> bool:
    """Page ``page_index`` of both files rendered without annotations, in colour at 72 dpi:
    the same pixels?  (Any difference counts: a re-encoded font or image that draws the
    same is equal, a changed digit or colour is not.)"""
    import pypdfium2 as pdfium

    images = []
    for data in (old_bytes, new_bytes):
        pdf = pdfium.PdfDocument(data)
        try:
            page = pdf[page_index]
            bitmap = page.render(scale=scale, draw_annots=False)
            images.append(bytes(bitmap.buffer))
            bitmap.close()
            page.close()
        finally:
            pdf.close()
    return images[0] == images[1]
