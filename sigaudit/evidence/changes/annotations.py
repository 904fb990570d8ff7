"""Facts about annotations the effect comparison needs: which are signature widgets,
which act when shown or clicked, where they sit, which field they belong to."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any

from sigaudit.evidence.changes.compare import _ref
from sigaudit.evidence.pdfdict import entry

# What an annotation that existed at signing must keep (effects.py compares each, deep).
ANNOT_KEYS = (
    "/Subtype",
    "/Rect",
    "/Contents",
    "/AP",
    "/F",
    "/V",
    "/AS",
    "/QuadPoints",
    "/InkList",
    "/Vertices",
    "/A",
    "/AA",
    "/OC",
    # how the appearance is drawn: its opacity and (PDF 2.0) blend mode — a stamp drawn at
    # opacity 0 disappears.  Keys a viewer uses only to draw an appearance again (/MK, /DA,
    # colours, border) do not change one that is there (/AP is compared); field flags (/Ff)
    # change no pixel (Acrobat sets ReadOnly on the fields a signature locks).
    "/CA",
    "/ca",
    "/BM",
    "/FT",
    # what an annotation carries or leads to: its attached file, sound, film, rich media or
    # 3D model, its associated files (PDF 2.0), and a link's destination
    "/FS",
    "/AF",
    "/Sound",
    "/Movie",
    "/RichMediaContent",
    "/RichMediaSettings",
    "/3DD",
    "/Dest",
    "/PA",
    # what a comment says where the viewer shows it: its rich text (Acrobat shows /RC in
    # place of /Contents) and its subject
    "/RC",
    "/Subj",
)
_PASSIVE_ACTIONS = frozenset({"/GoTo"})
"""The closed list of actions that do nothing but show a page of this document; every other
action (JavaScript, Launch, URI, submit/reset/import, remote go-to, /Hide, /SetOCGState,
renditions, sounds, movies…) acts on the file, the screen or the world when clicked."""
_STANDARD_NAMED = frozenset({"/NextPage", "/PrevPage", "/FirstPage", "/LastPage"})
"""Named actions every viewer must support, all navigation (ISO 32000-1 §12.6.4.11); other
names are the viewer's own menu items (print, save, close…)."""
_CARRIERS = frozenset({"/FileAttachment", "/Sound", "/Movie", "/Screen", "/RichMedia", "/3D"})
"""Annotation types that carry a file or media of their own (an attachment, a sound, a
film, rich media, a 3D model): what they hold is content no page shows and no signature
vouches for."""


def _is_signature_widget(ref: Any, obj: Any, sig_ids: Collection[Any]) -> bool:
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


def with_field(ref: Any, widget: Any, sig_ids: Mapping[Any, Any]) -> Any:
    """``widget``, or where it has no /Parent but a signature field lists it in its /Kids
    (``sig_ids``: ``forms._form``'s map of the signature nodes to the field that lists them;
    pyHanko's "separate-annots-kids-indir" test file), a copy of it that names that field as
    its parent: whose value it shows is then read as for any widget of a field."""
    from pyhanko.pdf_utils import generic

    field = sig_ids.get(_ref(ref)) if "/Parent" not in widget else None
    if field is None:
        return widget
    copy = generic.DictionaryObject(widget)
    copy["/Parent"] = field
    return copy


def _repeats_old_signature(widget: Any, old_values: set[Any]) -> bool:
    node = widget
    for _ in range(20):
        if "/V" in node:
            return _ref(node.raw_get("/V")) in old_values
        if "/Parent" not in node:
            return False
        node = node["/Parent"]
    return False


def _raw(obj: Any, key: str) -> Any:
    return obj.raw_get(key) if key in obj else None


def _rect(annot: Any) -> tuple[float, float, float, float] | None:
    try:
        r = [float(v) for v in annot["/Rect"]]
    except Exception:
        return None
    return (min(r[0], r[2]), min(r[1], r[3]), max(r[0], r[2]), max(r[1], r[3]))


def _field_name(widget: Any) -> str | None:
    """The fully qualified name of the field a widget belongs to (None: no field)."""
    parts = []
    node = widget
    for _ in range(20):
        if "/T" in node:
            parts.append(str(node["/T"]))
        if "/Parent" not in node:
            break
        node = node["/Parent"]
    return ".".join(reversed(parts)) or None


def _signed(widget: Any) -> bool:
    """Whether the signature field of a widget holds a value (a signature)."""
    node = widget
    for _ in range(20):
        if "/V" in node:
            return node["/V"] is not None
        if "/Parent" not in node:
            return False
        node = node["/Parent"]
    return False


def _timestamp(widget: Any) -> bool:
    """Whether the signature a widget's field holds is a document timestamp."""
    node = widget
    for _ in range(20):
        if "/V" in node:
            return bool(entry(node, "/V") is not None and entry(node["/V"], "/Type") == "/DocTimeStamp")
        if "/Parent" not in node:
            return False
        node = node["/Parent"]
    return False


def _active(annot: Any) -> bool:
    """An annotation that does something when shown or clicked: additional actions, or an
    action other than going to a page of this document (``_PASSIVE_ACTIONS``)."""
    if "/AA" in annot:
        return True
    action = entry(annot, "/A")
    seen = 0
    while action is not None and seen < 50:
        seen += 1
        if not hasattr(action, "keys"):
            return True  # an array of actions or something unreadable: not shown to be harmless
        kind = entry(action, "/S")
        if kind not in _PASSIVE_ACTIONS and not (kind == "/Named" and entry(action, "/N") in _STANDARD_NAMED):
            return True
        action = entry(action, "/Next")
    return False


def carries_content(annot: Any) -> bool:
    """Whether the annotation holds a file or media of its own (``_CARRIERS``), or a file
    specification whatever its type: its /FS, or associated files (/AF, PDF 2.0)."""
    return entry(annot, "/Subtype") in _CARRIERS or "/FS" in annot or "/AF" in annot


def _names(root: Any, tree: str) -> Any:
    try:
        return entry(root["/Names"], tree) if "/Names" in root else None
    except Exception:
        return None


def _visible(annot: Any) -> bool:
    """Whether a viewer shows the annotation on screen (neither Hidden nor NoView)."""
    flags = int(entry(annot, "/F", 0) or 0)
    return not (flags & 0b10 or flags & 0b100000)  # Hidden, NoView


def _printed_only(annot: Any) -> bool:
    """Whether the annotation is left off the screen but printed (NoView with Print, ISO
    32000-1 §12.5.3): the paper copy a clerk files shows it, the viewer does not — so its
    rectangle is judged like that of any annotation over the page, never by the screen's
    pixels."""
    flags = int(entry(annot, "/F", 0) or 0)
    return not flags & 0b10 and bool(flags & 0b100000) and bool(flags & 0b100)


UNSIGNED_DRAWING = "Widget (unsigned signature field drawing on the page)"
"""How an added empty signature field whose appearance draws is named: it adds text or
graphics to a signed page that no signature covers (a clerk's stamp is a signed field)."""
_PAINTS = re.compile(rb"(?:^|[\s\]\)>])(?:f\*?|F|B\*?|b\*?|S|s|Tj|TJ|'|\"|Do|sh|EI)(?=[\s\[\(<]|$)")


def unsigned_drawing(widget: Any) -> bool:
    """Whether ``widget`` is shown, holds no signature, and its normal appearance paints
    (text, paths, images or forms): an empty field prepared for a next signer draws nothing."""
    return not _signed(widget) and draws(widget)


def draws(annot: Any) -> bool:
    """Whether ``annot`` is shown and its normal appearance paints (text, paths, images or
    forms); a link without an appearance of its own draws nothing."""
    if not _visible(annot):
        return False
    appearance = entry(entry(annot, "/AP"), "/N")
    if appearance is not None and not hasattr(appearance, "data"):  # states: the one shown
        appearance = entry(appearance, str(entry(annot, "/AS", "/Off")))
    try:
        return appearance is not None and bool(_PAINTS.search(appearance.data))
    except Exception:
        return True  # an appearance that cannot be decoded is not shown to draw nothing


def other_appearances(annot: Any) -> bool:
    """Whether ``annot`` has an appearance for the pointer over it or the button pressed
    (``/AP /R``, ``/AP /D``) other than its normal one: a viewer draws it then, and only the
    normal one is drawn (and judged) here.  The same stream, or the same bytes, is none."""
    ap = entry(annot, "/AP")
    if ap is None:
        return False
    normal = entry(ap, "/N")
    for mode in ("/R", "/D"):
        other = entry(ap, mode)
        if other is None or other is normal:
            continue
        try:
            if normal is not None and hasattr(other, "data") and hasattr(normal, "data") and other.data == normal.data:
                continue
        except Exception:
            pass  # an appearance that cannot be decoded is another one
        return True
    return False
