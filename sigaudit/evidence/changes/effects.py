"""Changes after signing judged by their effect on what a reader sees, on screen or on paper.

Where the closed list of harmless changes (``harmless.py``) cannot explain a revision (real
e-office software, iText, rewrites the catalog, fonts and page dictionaries in every
revision that adds a signature), ``compare_revisions`` compares the signed revision with
the final file by effect:

- the number of pages, each page's geometry, its content (decoded content streams) and
  the resources that content uses (fonts, images, form XObjects, colour spaces), deep;
- the annotations that existed at signing (kept, same type, rectangle, text, appearance,
  actions, layer, page and field), and the annotations added since (signature widgets,
  whose appearance may draw only where the page was blank: ``ink.py``; annotations that
  act when shown or clicked; others by type and by what they lie over, printed-only ones
  too);
- the values of the form fields that existed at signing;
- document-level things that change what is shown or done on opening or navigation:
  optional content (layers), open actions, page and document actions, document
  JavaScript, outlines, page labels, named destinations, embedded files, the AcroForm;
  and every other catalog key and form key but a closed few that no viewer draws or acts
  on (``_CATALOG_KEYS_INERT``, ``_FORM_KEYS_INERT``);
- the dictionaries of the signatures made before (time, name, byte range).

Where the object comparison cannot prove that a page is unchanged (resources rewritten
with different bytes), both revisions of that page are rendered with PDFium, without
annotations, and compared pixel by pixel.  Whatever cannot be read or rendered makes the
comparison inconclusive (``None``): the caller then keeps the stricter verdict.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sigaudit.evidence.changes.annotations import (
    ANNOT_KEYS,
    UNSIGNED_DRAWING,
    _active,
    _field_name,
    _is_signature_widget,
    _names,
    _raw,
    _rect,
    _repeats_old_signature,
    _signed,
    _timestamp,
    _visible,
    carries_content,
    draws,
    other_appearances,
    unsigned_drawing,
    with_field,
)
from sigaudit.evidence.changes.compare import (
    _INHERITED,
    _annotations,
    _Comparer,
    _pages,
    _ref,
    _resource_changes,
)
from sigaudit.evidence.changes.forms import _compare_fields, _form, _signatures_changed, need_appearances_with_filling
from sigaudit.evidence.changes.metadata import xmp_problem
from sigaudit.evidence.changes.signedpage import (
    _renderable,
    _renders_equal,
    appearances_over_text,
    covering,
    over_signed_on_paper,
)
from sigaudit.evidence.pdfdict import entry

log = logging.getLogger(__name__)

_PAGE_KEYS = ("/MediaBox", "/CropBox", "/Rotate", "/UserUnit")
_PAGE_KEYS_ACTING = {
    "/AF": "associated files",
    "/Thumb": "thumbnail",
    "/Dur": "display duration",
    "/PresSteps": "presentation steps",
    "/B": "article beads",
}
"""Page keys no rendering of the page can prove harmless: the files it carries (PDF 2.0
associated files, each an embedded file), the thumbnail viewers show for it in their page
panel, how long it stays on screen before a presentation turns the page, its navigation
steps and the article threads that lead a reader through it.  Each is named where it
changes."""
_FILLING_KEYS = frozenset({"/AP", "/AS"})
"""What a filled field's widget may change with its value: the appearance that shows it."""
# What changes what the file does on opening or navigation: never forgiven by effect.
_CATALOG_KEYS = ("/OpenAction", "/AA", "/OCProperties", "/Outlines", "/PageLabels", "/Dests")
_CATALOG_KEYS_ELSEWHERE = frozenset({"/Type", "/Pages", "/AcroForm", "/Names", *_CATALOG_KEYS})
"""Catalog keys compared on their own (the pages, the form field by field, the name trees)."""
_CATALOG_KEYS_INERT = frozenset(
    {"/Metadata", "/DSS", "/Extensions", "/Version", "/StructTreeRoot", "/MarkInfo", "/Lang", "/PieceInfo"}
)
"""Catalog keys no viewer draws or acts on: XMP metadata, the validation data of long-term
signatures, the version and its extensions, the logical structure and its language (for
assistive technology), a producer's private data.  Any other catalog key that changes
(the page mode and layout, viewer preferences, a portfolio's /Collection, a base /URI,
article /Threads, usage rights /Perms…) changes how the file opens or behaves: named."""
_FORM_KEYS_INERT = frozenset({"/Fields", "/SigFlags", "/DR", "/DA"})
"""Form keys that change nothing shown: the fields (compared one by one), the flags that
say signatures exist, and the resources and default appearance used only to draw a field
with no appearance — unless /NeedAppearances asks viewers to draw every field again.  Any
other (/NeedAppearances set, /XFA, whose form Acrobat shows instead of the pages, /CO,
the fields' calculation order) is named."""


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
    filled: list[str] = field(default_factory=list)
    """Of ``changes``, the values of existing form fields (what pyHanko's policy calls form
    filling: judged with the fields, ``changed_fields``)."""
    filled_values: dict[str, str] = field(default_factory=dict)
    """The existing form fields whose value changed: name → new value (as text)."""
    widgets_changed: list[tuple[str | None, str]] = field(default_factory=list)
    """(field name, change) of existing widgets that changed."""
    new_widgets: dict[int, list[tuple[float, float, float, float]]] = field(default_factory=dict)
    """Visible signature widgets added after signing, by page index: their appearance may
    draw only where the signed page was blank (``changes/ink.py``)."""
    filled_widgets: dict[int, list[tuple[str, tuple[float, float, float, float]]]] = field(default_factory=dict)
    """Widgets of existing fields whose appearance changed with a filling, by page index:
    (field name, rectangle).  Filling a field may not hide the signed words under it."""
    rendered_pages: int = 0
    """Pages that had to be rendered to prove them unchanged."""
    fields_added: list[str] = field(default_factory=list)
    """Form fields (not signature fields) made after signing, by name."""


def compare_revisions(
    reader: Any,
    signed_revision: int,
    signed_bytes: bytes | None,
    final_bytes: bytes | None,
    ink_cache: dict[Any, Any] | None = None,
) -> Effect | None:
    """Compare the signed revision with the final file; None when it cannot be done.
    ``ink_cache``: one per document, shared by its signatures (``changes/ink.py``)."""
    try:
        return _compare(reader, signed_revision, signed_bytes, final_bytes, {} if ink_cache is None else ink_cache)
    except MemoryError:
        raise
    except Exception as exc:
        log.info("effect comparison inconclusive: %s", exc, exc_info=True)
        return None


def _compare(
    reader: Any, signed_revision: int, signed_bytes: bytes | None, final_bytes: bytes | None, ink_cache: dict[Any, Any]
) -> Effect:
    old = reader.get_historical_resolver(signed_revision)
    old_root, new_root = old.root, reader.root
    effect = Effect()
    old_walk, new_walk = _pages(old_root), _pages(new_root)
    cmp = _Comparer(old.root, reader.root)
    # A reference to a page (a destination, an annotation's /P) means "page n", not the
    # page dictionary's contents, which a new widget legitimately changes.
    cmp.page_refs = tuple({_ref(ref): i for i, (ref, _, _) in enumerate(walk)} for walk in (old_walk, new_walk))
    # and a reference to the catalog (a certification's /Reference /Data) means "the
    # document", whose changes are judged key by key here
    for refs, trailer in zip(
        cmp.page_refs, (reader.trailer.flatten(signed_revision), reader.trailer.flatten()), strict=True
    ):
        refs[_ref(trailer.raw_get("/Root"))] = "catalog"
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
        if not cmp.same(entry(old_page, "/AA"), entry(new_page, "/AA")):
            effect.changes.append(f"page {index} actions (AA)")
        for key, what in _PAGE_KEYS_ACTING.items():
            if not cmp.same(entry(old_page, key), entry(new_page, key)):
                effect.changes.append(f"page {index} {what} ({key[1:]})")
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
        elif _other_page_keys(cmp, old_page, new_page):
            # keys compared nowhere else (a transparency group, a transition…): proven by
            # rendering, or named
            keys = _other_page_keys(cmp, old_page, new_page)
            renderable = (
                signed_bytes is not None
                and final_bytes is not None
                and _renderable(old_page, old_inh)
                and _renderable(new_page, new_inh)
            )
            if renderable and _renders_equal(signed_bytes, final_bytes, index - 1):
                effect.rendered_pages += 1
            else:
                effect.changes.append(f"page {index} dictionary ({', '.join(k[1:] for k in keys)})")
        _compare_annotations(
            cmp,
            index,
            old_page,
            new_page,
            sig_fields_new,
            effect,
            signed_bytes,
            text_boxes,
            old_signatures,
            functools.partial(_renderable, old_page, old_inh),
        )
    _compare_fields(cmp, old_root, new_root, old_fields, new_fields, effect)
    if all(what in effect.filled for what in effect.changes):
        # the pages are the signed ones (a permitted filling changed only its fields'
        # appearances): the new widgets' appearances may be judged
        appearances_over_text(effect, signed_bytes, final_bytes, text_boxes, ink_cache, reader, signed_revision)
    for key in _CATALOG_KEYS:
        if not cmp.same(entry(old_root, key), entry(new_root, key)):
            effect.changes.append(f"document {key[1:]}")
    effect.changes.extend(
        f"document {k[1:]}" for k in _other_keys(cmp, old_root, new_root, _CATALOG_KEYS_ELSEWHERE | _CATALOG_KEYS_INERT)
    )
    if "/Metadata" in new_root and not cmp.same(entry(old_root, "/Metadata"), entry(new_root, "/Metadata")):
        problem = xmp_problem(new_root.raw_get("/Metadata"))  # inert only while it is XMP (metadata.py)
        effect.changes.extend([f"document metadata {problem}"] if problem else [])
    for what in _form_keys(cmp, old_root, new_root):
        effect.changes.append(what)
        if what == "form NeedAppearances" and effect.filled_values:
            # set by the tool that filled the fields, in the same update: part of the filling
            if need_appearances_with_filling(reader, signed_revision):
                effect.filled.append(what)
    effect.changes.extend(_signatures_changed(cmp, old_root, new_root))
    old_js = _javascript(old_root)
    if not cmp.same(old_js, _javascript(new_root)):
        effect.changes.append("document JavaScript")
    if not cmp.same(_names(old_root, "/EmbeddedFiles"), _names(new_root, "/EmbeddedFiles")):
        effect.changes.append("document EmbeddedFiles")
    # the other name trees: named destinations (where links and bookmarks go), named
    # appearances, page templates, web captures, renditions
    for key in sorted(_name_trees(old_root) | _name_trees(new_root)):
        if not cmp.same(_names(old_root, key), _names(new_root, key)):
            effect.changes.append(f"document named {key[1:]}")
    return effect


def _name_trees(root: Any) -> set[str]:
    try:
        names = entry(root, "/Names")
        return {str(k) for k in names.keys()} - {"/JavaScript", "/EmbeddedFiles"} if names is not None else set()
    except Exception:
        return {"/Names"}


def _contents(page: Any) -> bytes:
    from pyhanko.pdf_utils import generic

    if "/Contents" not in page:
        return b""
    contents = page["/Contents"]
    if isinstance(contents, generic.ArrayObject):
        return b"\n".join(c.get_object().data for c in contents)
    return bytes(contents.data)


def _same_parent(old: Any, new: Any) -> bool:
    """Whether a widget still hangs from the same field object (a field's value may be
    filled, so its node is compared by reference, not by contents)."""
    a, b = _raw(old, "/Parent"), _raw(new, "/Parent")
    if a is None or b is None:
        return a is None and b is None
    return _ref(a) == _ref(b)


def _compare_annotations(
    cmp: _Comparer,
    index: int,
    old_page: Any,
    new_page: Any,
    sig_ids: Mapping[Any, Any],
    effect: Effect,
    signed_bytes: bytes | None,
    text_boxes: dict[int, list[tuple[float, float, float, float]]],
    old_values: set[Any],
    renderable: Callable[[], bool],
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
        name = _field_name(obj)
        same_field = name == _field_name(new_obj)
        # an empty signature field signed since: it gains a value and an appearance, judged
        # like a new signature's widget (the harmless list's "signature field")
        signing = (
            _is_signature_widget(ref, obj, set())
            and not _signed(obj)
            and _signed(new_obj)
            and not _repeats_old_signature(new_obj, old_values)
        )
        kept = ("/V", "/AP", "/AS", "/F") if signing else ("/V",)  # its flags: judged as they are now
        keys = [k for k in ANNOT_KEYS if k not in kept and not cmp.same(entry(obj, k), entry(new_obj, k))]
        keys += [] if cmp.same(_raw(obj, "/P"), _raw(new_obj, "/P")) else ["/P"]
        keys += [] if _same_parent(obj, new_obj) else ["/Parent"]
        if not same_field or keys:
            what = f"page {index} annotation changed ({str(entry(obj, '/Subtype', '?'))[1:]}: {' '.join(keys) or '/T'})"
            effect.changes.append(what)
            if name is not None and same_field and set(keys) <= _FILLING_KEYS:
                # its appearance shows the field's new value: part of a filling, if the
                # field's value changed; actions, layers, opacity or flags are not
                effect.widgets_changed.append((name, what))
                rect = _rect(new_obj)
                if rect is not None and _visible(new_obj):
                    effect.filled_widgets.setdefault(index, []).append((name, rect))
        elif signing:
            _judge_signed_field(new_obj, index, effect, signed_bytes, text_boxes, renderable)
        elif (
            entry(new_obj, "/Subtype") == "/Popup"
            and _opens(new_obj)
            and not _opens(obj)
            and covering(new_obj, index, signed_bytes, text_boxes, renderable) is not None
        ):
            # a signed comment's window, closed at signing, now opens with the file over
            # signed text (its /Open, or its note's, set since)
            effect.changes.append(f"page {index} comment opened over signed text (Popup)")
    for ref in new_annots:
        if _ref(ref) not in old_refs:
            _judge_new_annotation(
                ref, ref.get_object(), index, sig_ids, old_values, effect, signed_bytes, text_boxes, renderable
            )


def _judge_signed_field(
    widget: Any,
    index: int,
    effect: Effect,
    signed_bytes: bytes | None,
    text_boxes: dict[int, list[tuple[float, float, float, float]]],
    renderable: Callable[[], bool],
) -> None:
    """An empty signature field of the signed revision, signed since: its appearance is
    judged like a new signature's widget (by the screen's pixels, or where it is only
    printed, by what it lies over)."""
    rect = _rect(widget)
    if _visible(widget) and "/AP" in widget and rect is not None:
        effect.new_widgets.setdefault(index, []).append(rect)
    elif over_signed_on_paper(widget, index, signed_bytes, text_boxes, renderable):
        effect.covering.append(f"page {index} Widget (printed, not shown on screen)")
    effect.signatures_added = effect.signatures_added or not _timestamp(widget)


def _judge_new_annotation(
    ref: Any,
    obj: Any,
    index: int,
    sig_ids: Mapping[Any, Any],
    old_values: set[Any],
    effect: Effect,
    signed_bytes: bytes | None,
    text_boxes: dict[int, list[tuple[float, float, float, float]]],
    renderable: Callable[[], bool],
) -> None:
    """An annotation added to page ``index`` after signing."""
    obj = with_field(ref, obj, sig_ids)
    if _active(obj):
        effect.changes.append(f"page {index} annotation with an action added ({str(entry(obj, '/Subtype', '?'))[1:]})")
        return
    if carries_content(obj):
        effect.changes.append(
            f"page {index} annotation with a file or media added ({str(entry(obj, '/Subtype', '?'))[1:]})"
        )
        return
    if _is_signature_widget(ref, obj, sig_ids):
        if not _repeats_old_signature(obj, old_values):
            if other_appearances(obj) and covering(obj, index, signed_bytes, text_boxes, renderable) is not None:
                # drawn when pointed at or pressed, never judged by its pixels: judged by
                # what its rectangle lies over, as a comment's box is
                effect.covering.append(f"page {index} Widget (another appearance when pointed at or pressed)")
            if _visible(obj) and "/AP" in obj:
                rect = _rect(obj)
                if rect is not None:
                    effect.new_widgets.setdefault(index, []).append(rect)
            elif over_signed_on_paper(obj, index, signed_bytes, text_boxes, renderable):
                effect.covering.append(f"page {index} Widget (printed, not shown on screen)")
            if _signed(obj) and not _timestamp(obj):
                effect.signatures_added = True
            elif unsigned_drawing(obj):  # draws on the signed page, and no signature covers it
                effect.added_annotations.append(UNSIGNED_DRAWING)
            return
        # A new widget showing a signature made before: it adds no signature, only
        # an appearance on the page (one signature shown as several).
        subtype = "Widget (repeats an earlier signature)"
    else:
        subtype = str(entry(obj, "/Subtype", "/?"))[1:]
    effect.added_annotations.append(subtype)
    # a link is judged by what it lies over only where its appearance draws (a white box
    # drawn by a link's /AP hides the date as any annotation's does); a popup is drawn by
    # the viewer as a window of its parent's text, not from its appearance: by what its
    # rectangle lies over where it opens with the file (its /Open, or its note's)
    judged = (subtype != "Popup" or _opens(obj)) and (subtype != "Link" or draws(obj))
    how = covering(obj, index, signed_bytes, text_boxes, renderable) if judged else None
    if how is not None:
        effect.covering.append(f"page {index} {subtype}{how}")


def _opens(popup: Any) -> bool:
    """Whether a popup is shown open when the file opens: its own /Open, or its note's."""
    parent = entry(popup, "/Parent")
    return bool(entry(popup, "/Open", False)) or (isinstance(parent, dict) and bool(entry(parent, "/Open", False)))


_PAGE_KEYS_ELSEWHERE = frozenset(
    {"/Type", "/Parent", "/Contents", "/Resources", "/Annots", "/AA", *_PAGE_KEYS, *_PAGE_KEYS_ACTING, *_INHERITED}
)
"""Page keys compared on their own (or, for /Annots, annotation by annotation)."""
_PAGE_KEYS_INERT = frozenset({"/Tabs", "/StructParents", "/LastModified", "/PieceInfo"})
"""Page keys that change nothing drawn: the tab order, the structure tree's index, a
producer's modification date and private data."""


def _other_page_keys(cmp: _Comparer, old: Any, new: Any) -> list[str]:
    """The page's other keys whose values differ."""
    return _other_keys(cmp, old, new, _PAGE_KEYS_ELSEWHERE | _PAGE_KEYS_INERT)


def _other_keys(cmp: _Comparer, old: Any, new: Any, known: frozenset[str]) -> list[str]:
    """The keys of ``old`` or ``new`` (dictionaries, or None) outside ``known`` whose values differ."""
    keys = {str(k) for d in (old, new) if d is not None for k in d.keys()} - known
    return sorted(k for k in keys if not cmp.same(entry(old, k), entry(new, k)))


def _form_keys(cmp: _Comparer, old_root: Any, new_root: Any) -> list[str]:
    """The form's own keys that changed what viewers show or do (``_FORM_KEYS_INERT``); a
    /NeedAppearances cleared is not one (viewers then show the stored appearances, compared
    widget by widget)."""
    old, new = entry(old_root, "/AcroForm"), entry(new_root, "/AcroForm")
    if new is None:
        return []  # a form removed: judged with the fields
    redrawn = bool(entry(new, "/NeedAppearances", False)) or bool(entry(old, "/NeedAppearances", False))
    known = _FORM_KEYS_INERT - ({"/DR", "/DA"} if redrawn else set())
    keys = _other_keys(cmp, old, new, known)
    return [f"form {k[1:]}" for k in keys if k != "/NeedAppearances" or entry(new, k, False)]


def _javascript(root: Any) -> Any:
    try:
        return entry(root["/Names"], "/JavaScript") if "/Names" in root else None
    except Exception:
        return None


def renderable_page(root: Any, index: int) -> bool:
    """Whether page ``index`` (from 1) of the revision whose catalog is ``root`` stays
    within the decoding budget when rendered."""
    pages = _pages(root)
    if not 0 < index <= len(pages):
        return False
    _, page, inherited = pages[index - 1]
    return _renderable(page, inherited)
