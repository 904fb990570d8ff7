"""The form's fields after signing: their values by name (one walk of the field tree), the
fields that act on their own, and the comparison of the signed revision's fields with the
final file's (``effects.py`` records what it finds in its ``Effect``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sigaudit.evidence.changes.compare import _Comparer, _ref
from sigaudit.evidence.pdfdict import entry


def _walk(root: Any) -> Iterator[tuple[Any, Any, str, Any]]:
    """(reference, node, full name, field type) of every node of the form's field tree."""
    fields = entry(entry(root, "/AcroForm"), "/Fields")
    if fields is None:
        return
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
        yield ref, node, name, kind


def _form(root: Any) -> tuple[dict[Any, Any], set[Any], dict[str, Any]]:
    """One walk of the form's field tree: the references of signature fields and widgets
    (each with the reference of the field whose /Kids list it, None for a field at the top),
    of the signature dictionaries they hold, and the values of the other fields by name
    (None: no value yet)."""
    from pyhanko.pdf_utils import generic

    sig_nodes: dict[Any, Any] = {}
    sig_values: set[Any] = set()
    values: dict[str, Any] = {}
    listed_by: dict[Any, Any] = {}
    for ref, node, name, kind in _walk(root):
        if "/Kids" in node and isinstance(node["/Kids"], generic.ArrayObject):
            kids = node["/Kids"]
            listed_by.update((_ref(kids.raw_get(i)), ref) for i in range(len(kids)))
        if kind == "/Sig":
            sig_nodes[_ref(ref)] = listed_by.get(_ref(ref))
            if "/V" in node and isinstance(node.raw_get("/V"), generic.IndirectObject):
                sig_values.add(_ref(node.raw_get("/V")))
        elif "/V" in node:
            values[name] = node.raw_get("/V")
        elif name:
            # a field with no value yet (its widgets carry its name too, and never its
            # value): filling it later is a change of its value
            values.setdefault(name, None)
    return sig_nodes, sig_values, values


def _signatures(root: Any) -> dict[str, Any]:
    """The signature fields that hold a signature: full name → their value (``/V``)."""
    return {name: node.raw_get("/V") for _, node, name, kind in _walk(root) if kind == "/Sig" and "/V" in node}


def _fields_with_actions(root: Any) -> set[str]:
    """Names of the form's non-signature fields that carry an action (/A, /AA)."""
    return {name for _, node, name, kind in _walk(root) if kind != "/Sig" and name and ("/AA" in node or "/A" in node)}


def _signatures_changed(cmp: _Comparer, old_root: Any, new_root: Any) -> list[str]:
    """Signatures made before the signed revision whose dictionary a later revision
    rewrote with another value (its claimed time, name, reason or byte range: what a viewer
    shows of the signature), or whose field lost it."""
    new = _signatures(new_root)
    out: list[str] = []
    for name, value in sorted(_signatures(old_root).items()):
        if name not in new:
            out.append(f"signature field '{name}' removed or emptied")
        elif not cmp.same(value, new[name]):
            old_dict, new_dict = value.get_object(), new[name].get_object()
            keys = sorted(
                str(k)[1:]
                for k in {*_keys(old_dict), *_keys(new_dict)}
                if not cmp.same(entry(old_dict, k), entry(new_dict, k))
            )
            out.append(f"signature '{name}' dictionary rewritten ({', '.join(keys) or 'value'})")
    return out


def _keys(obj: Any) -> set[Any]:
    return set(obj.keys()) if hasattr(obj, "keys") else set()


def _compare_fields(
    cmp: _Comparer, old_root: Any, new_root: Any, old_values: dict[str, Any], new_values: dict[str, Any], effect: Any
) -> None:
    if "/AcroForm" in old_root and "/AcroForm" not in new_root:
        effect.changes.append("the form (AcroForm) was removed")
    added = new_values.keys() - old_values.keys()
    if added:
        # A field made after signing shows only through its widgets, judged as annotations
        # added (a warning in a blank, an error over signed text or ink); one that acts on
        # its own (field actions: format, calculate, keystroke scripts) is an error.
        acting = _fields_with_actions(new_root)
        effect.changes.extend(f"form field '{name}' with an action added" for name in sorted(added & acting))
        for name in sorted(added - acting):
            # form data that was not there: named with its value, as a field filled in
            effect.fields_added.append(name)
            effect.changes.append(f"form field '{name}' value")
            effect.filled.append(f"form field '{name}' value")
            effect.filled_values[name] = _text(new_values[name])
    for name, value in old_values.items():
        if name not in new_values or not cmp.same(value, new_values[name]):
            effect.changes.append(f"form field '{name}' value")
            effect.filled.append(f"form field '{name}' value")
            effect.filled_values[name] = _text(new_values.get(name))
            # its widget shows the new value: part of the same filling
            effect.filled.extend(what for field_name, what in effect.widgets_changed if field_name == name)


def _text(value: Any) -> str:
    """A field value as a person reads it (a name without its slash, a string as is)."""
    try:
        value = value.get_object() if hasattr(value, "get_object") else value
    except Exception:
        return "?"
    if value is None:
        return ""
    text = str(value)
    return (text[1:] if text.startswith("/") else text)[:200]


def need_appearances_with_filling(reader: Any, signed_revision: int) -> bool:
    """Whether each update after the signed revision that turns /NeedAppearances on also
    changes a field's value: set by the tool that fills the fields (pypdf does), part of
    that filling; set in an update of its own, it redraws every field from its value, the
    ones filled before signing too, and is a change."""
    cmp = _Comparer()
    for revision in range(signed_revision + 1, reader.xrefs.total_revisions):
        before, after = reader.get_historical_root(revision - 1), reader.get_historical_root(revision)
        if not _need_appearances(after) or _need_appearances(before):
            continue
        old_values, new_values = _form(before)[2], _form(after)[2]
        if all(name in old_values and cmp.same(old_values[name], value) for name, value in new_values.items()):
            return False
    return True


def _need_appearances(root: Any) -> bool:
    form = entry(root, "/AcroForm")
    return bool(entry(form, "/NeedAppearances", False)) if form is not None else False
