"""Deep comparison of PDF objects across two revisions (the signed one and the final
file): the same value whatever object numbers, compression or key order a rewrite chose;
a reference to a page compares as that page's number."""

from __future__ import annotations

from typing import Any

from sigaudit.evidence.pdfdict import entry

MAX_NODES = 200_000


_IGNORED_KEYS = {"/Parent", "/Length", "/Filter", "/DecodeParms", "/P", "/StructParent", "/StructParents"}


class Inconclusive(Exception):
    """The comparison could not be carried out."""


class _Comparer:
    def __init__(self, old_root: Any = None, new_root: Any = None) -> None:
        self.page_refs: tuple[dict[Any, Any], dict[Any, Any]] = ({}, {})  # page number, or "catalog"
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


_INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")


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


def _annotations(page: Any) -> list[Any]:
    if "/Annots" not in page:
        return []
    annots = page["/Annots"]
    return [annots.raw_get(i) for i in range(len(annots))]
