"""The closed list of harmless changes, object by object.

Every object a later revision writes is either new (introduced after the signed revision)
or a redefinition of an object the signed revision holds.  A new object matters only
through what refers to it, so only redefinitions are judged here: each one is compared
with its signed value (shallowly: references by object number, since every referenced
object that was itself redefined is judged on its own, and one that was not is the same
bytes) and must fall under one entry of ``HARMLESS`` — its role in the signed revision and
the entries it may change.  A redefinition whose value is unchanged (iText rewrites the
catalog, fonts and pages unchanged in every revision) is harmless whatever its role.

``explain`` answers with the light ``Effect`` when every redefinition is explained: then
nothing a reader sees can differ except through the new annotations and signature
appearances it lists, which the caller judges (ink over the signed page).  Anything else —
an unexplained redefinition, a freed object, a new catalog, a redefined stream — returns None: the effect comparison (``effects.py``) decides, rendering
where the page's objects differ.  docs/signatures.md explains each entry.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sigaudit.evidence.changes.annotations import _timestamp
from sigaudit.evidence.changes.compare import _ref
from sigaudit.evidence.changes.metadata import is_xmp_stream, stream_problem, xmp_problem
from sigaudit.evidence.changes.objects import (
    _appended,
    _appends_only,
    _array_appended,
    _array_appends,
    _differing_keys,
    _is_new,
    _is_new_sig_field,
)
from sigaudit.evidence.pdfdict import entry

log = logging.getLogger(__name__)

MAX_REDEFINED = 500


@dataclass(frozen=True)
class Harmless:
    role: str
    keys: frozenset[str] | None
    """Entries that may change; None: any (the object does not change what is shown)."""
    why: str


HARMLESS: tuple[Harmless, ...] = (
    Harmless(
        "info",
        None,
        "The document information dictionary (producer, dates, title) is shown by no page; "
        "signing software updates it with every signature. Only a dictionary with none of the "
        "entries of resources, fonts or graphics states (which a page could draw with).",
    ),
    Harmless(
        "metadata",
        None,
        "The XMP metadata stream repeats the document information; no page draws it. Only a "
        "stream typed /Metadata /XML before and after, that no page draws as its content, a "
        "form XObject or a pattern, and that is plain XMP: XML without a DTD (entity "
        "declarations attack whatever parses it) whose root is x:xmpmeta or rdf:RDF.",
    ),
    Harmless(
        "dss",
        None,
        "The document security store (DSS and its VRI entries) holds certificates, OCSP "
        "responses and CRLs for long-term validation (PAdES B-LT/B-LTA); no page draws it. "
        "Only dictionaries with none of the entries a page draws with.",
    ),
    Harmless(
        "catalog",
        frozenset({"/AcroForm", "/DSS", "/Metadata", "/Extensions", "/Version"}),
        "The catalog gains the form (its first signature field), the DSS, new metadata (a "
        "stream of its own, plain XMP as above), the "
        "extension levels that declare them or a later PDF version; each is judged under its "
        "own role (a form written inline in the catalog, as the form's).",
    ),
    Harmless(
        "acroform",
        frozenset({"/Fields", "/SigFlags", "/DR", "/DA"}),
        "The form gains the new signature fields (the fields it had stay, in order), the "
        "flags that say signatures exist, and the resources and default appearance the new "
        "widgets are drawn with (used only to draw fields that have no appearance, so only "
        "where /NeedAppearances is not set).",
    ),
    Harmless(
        "structure",
        frozenset({"/K", "/ParentTree", "/ParentTreeNextKey", "/Nums", "/Kids", "/Limits"}),
        "The logical structure of a tagged PDF (structure tree root, elements and parent "
        "tree) gains entries for the new widgets; it orders the content for assistive "
        "technology and draws nothing.",
    ),
    Harmless(
        "fields",
        frozenset(),
        "An indirect /Fields array may only gain new signature fields (judged as the form's).",
    ),
    Harmless(
        "page",
        frozenset({"/Annots", "/Tabs"}),
        "A page gains the widgets of the new signature fields: its /Annots keeps the "
        "annotations it had, in order, and appends new ones, each judged as an added "
        "annotation (a signature appearance may draw only where the page was blank); /Tabs "
        "is the order the Tab key visits annotations in, which e-office software sets when "
        "it adds a widget and which changes nothing drawn.",
    ),
    Harmless(
        "annots",
        frozenset(),
        "An indirect /Annots array may only append new annotations (judged as the page's).",
    ),
    Harmless(
        "signature field",
        frozenset({"/V", "/AP", "/AS", "/MK", "/DA", "/F"}),
        "An empty signature field that existed at signing is signed: it gains its value (a "
        "new signature), its widget an appearance judged like a new signature's with the flags "
        "it has now (/F: Adobe Reader locks the widget it signs); the signing tool may restate "
        "how a viewer would build that appearance (/MK, /DA), unused while it has one (required).",
    ),
)
_BY_ROLE = {h.role: h for h in HARMLESS}


@dataclass
class Explained:
    """Every redefinition after the signed revision falls under ``HARMLESS``."""

    new_annotations: list[tuple[int, Any]]
    """(page number, reference) of the annotations appended to pages after signing."""
    signed_fields: list[tuple[int | None, Any]]
    """(page number or None, widget) of signature fields that existed empty and were signed."""
    rewritten: int = 0
    """Redefinitions with their signed value unchanged."""


def explain(reader: Any, signed_revision: int) -> Explained | None:
    try:
        return _explain(reader, signed_revision)
    except MemoryError:
        raise
    except Exception:
        log.debug("harmless-list check gave up", exc_info=True)
        return None


def _explain(reader: Any, signed_revision: int) -> Explained | None:
    from pyhanko.pdf_utils import generic

    xrefs = reader.xrefs
    # Hybrid sections (a classic table beside an /XRefStm stream, as iText writes them) are
    # read as current viewers read them, the table first and the stream for the rest: the
    # same view the effect comparison and the renderer have.
    redefined: set[tuple[int, int]] = set()
    refs: dict[tuple[int, int], Any] = {}
    for revision in range(signed_revision + 1, xrefs.total_revisions):
        if xrefs.refs_freed_in_revision(revision):
            return None
        for ref in xrefs.explicit_refs_in_revision(revision):
            if xrefs.get_introducing_revision(ref) <= signed_revision:
                redefined.add((ref.idnum, ref.generation))
                refs[(ref.idnum, ref.generation)] = ref
        if len(redefined) > MAX_REDEFINED:
            return None
    old_trailer = reader.trailer.flatten(signed_revision)
    new_trailer = reader.trailer.flatten()
    if _ref(old_trailer.raw_get("/Root")) != _ref(new_trailer.raw_get("/Root")):
        return None
    if ("/Encrypt" in old_trailer) != ("/Encrypt" in new_trailer):
        return None
    old = reader.get_historical_resolver(signed_revision)
    roles = _roles(old, old_trailer, reader)
    roles.resolver, roles.reader = old, reader
    out = Explained([], [])
    page_numbers = {key: n for n, key in enumerate(roles.pages, start=1)}
    drawn: set[Any] | None = None
    for key in sorted(redefined):
        ref = refs[key]
        before, after = old.get_object(ref), reader.get_object(ref)
        if roles.of(key) == "metadata" and is_xmp_stream(before) and is_xmp_stream(after) and not stream_problem(after):
            if drawn is None:
                drawn = _drawn_streams(old.root) | _drawn_streams(reader.root)
            if key not in drawn:
                continue  # metadata rewritten: harmless whatever its bytes
        differing = _differing_keys(before, after)
        if differing is None:
            return None  # a stream rewritten with other data, or another kind of object
        if not differing:
            out.rewritten += 1
            continue
        role = roles.of(key) or _structure_role(before) or _signature_field_role(before)
        harmless = _BY_ROLE.get(role) if role else None
        if harmless is None:
            return None
        if harmless.keys is not None and not differing <= harmless.keys:
            return None
        if role in ("info", "dss") and not (_inert(before) and _inert(after)):
            return None  # shaped like something a page draws with: not forgiven by its role
        if role == "catalog" and not _catalog_ok(before, after, differing, roles):
            return None
        if role == "acroform" and not _form_ok(before, after, old, reader):
            return None
        if role == "fields" and not _array_appends(before, after, old, reader, _is_new_sig_field):
            return None
        if role == "page":
            added = _appended(before, after, "/Annots", old, reader)
            if added is None:
                return None
            out.new_annotations.extend((page_numbers[key], r) for r in added)
        if role == "annots":
            added = _array_appended(before, after, old, reader)
            if added is None:
                return None
            out.new_annotations.extend((roles.annots_arrays[key], r) for r in added)
        if role == "signature field":
            value = after.raw_get("/V") if "/V" in after else None
            if "/V" in before or not isinstance(value, generic.IndirectObject) or not _is_new(value, old, reader):
                return None
            if differing & {"/MK", "/DA"} and not isinstance(entry(after, "/AP"), generic.DictionaryObject):
                return None  # with no appearance of its own, a viewer builds one from these
            out.signed_fields.append((roles.widget_pages.get(key), after))
    return out


@dataclass
class _Roles:
    catalog: Any
    info: Any
    metadata: Any
    acroform: Any
    fields_array: Any
    pages: list[Any]
    annots_arrays: dict[Any, int]
    dss: set[Any]
    widget_pages: dict[Any, int]
    resolver: Any = None
    reader: Any = None

    def __post_init__(self) -> None:
        self.page_set = set(self.pages)
        self.page_tree: set[Any] = set()

    def of(self, key: Any) -> str | None:
        if key in self.page_tree:
            return "page tree"  # not on the list: pages added, removed or reordered
        singles = (self.catalog, self.info, self.metadata, self.acroform, self.fields_array)
        for role, value in zip(("catalog", "info", "metadata", "acroform", "fields"), singles, strict=True):
            if key == value:
                return role
        if key in self.annots_arrays:
            return "annots"
        if key in self.dss:
            return "dss"
        if key in self.page_set:
            return "page"
        return None


def _page_walk(reader: Any) -> tuple[list[Any], dict[Any, int], dict[Any, int], set[Any]]:
    """(pages, indirect /Annots arrays → page number, annotations → page number, the page
    tree's inner nodes) of the final file, once per document.  They stand for the signed revision's wherever the list
    can explain an update: a page tree node redefined, a page's /Annots not merely appended
    to, is outside the list, so the pages and their order are the signed ones."""
    cached = getattr(reader, "_sigaudit_page_walk", None)
    if cached is not None:
        return cached
    from sigaudit.evidence.changes.compare import _pages

    walk = _pages(reader.root)
    annots_arrays: dict[Any, int] = {}
    widget_pages: dict[Any, int] = {}
    for n, (_, page, _) in enumerate(walk, start=1):
        if "/Annots" in page and hasattr(page.raw_get("/Annots"), "idnum"):
            annots_arrays[_ref(page.raw_get("/Annots"))] = n
        for i in range(len(entry(page, "/Annots", []) or [])):
            widget_pages[_ref(page["/Annots"].raw_get(i))] = n
    nodes: set[Any] = set()
    stack = [reader.root.raw_get("/Pages")]
    while stack and len(nodes) < 100_000:
        ref = stack.pop()
        node = ref.get_object()
        if hasattr(node, "keys") and "/Kids" in node:
            nodes.add(_ref(ref))
            kids = node["/Kids"]
            stack.extend(kids.raw_get(i) for i in range(len(kids)) if _ref(kids.raw_get(i)) not in nodes)
    cached = ([_ref(ref) for ref, _, _ in walk], annots_arrays, widget_pages, nodes)
    try:
        reader._sigaudit_page_walk = cached
    except AttributeError:
        pass
    return cached


def _signature_field_role(obj: Any) -> str | None:
    """An empty signature field whose widget is the field itself (the usual shape),
    recognised by its own entries: only a signature's value and appearance may come."""
    if entry(obj, "/FT") == "/Sig" and "/Kids" not in obj and "/V" not in obj:
        return "signature field"
    return None


def _roles(old: Any, trailer: Any, reader: Any) -> _Roles:
    """The role each object of the signed revision plays (by object number)."""
    root = old.root
    pages, annots_arrays, widget_pages, page_tree = _page_walk(reader)
    acro = root.raw_get("/AcroForm") if "/AcroForm" in root else None
    form = entry(root, "/AcroForm")
    fields = form.raw_get("/Fields") if form is not None and "/Fields" in form else None
    dss: set[Any] = set()
    if "/DSS" in root:
        holder = root.raw_get("/DSS")
        if hasattr(holder, "idnum"):
            dss.add(_ref(holder))
        vri = entry(entry(root, "/DSS"), "/VRI")
        if vri is not None:
            if hasattr(entry(root, "/DSS").raw_get("/VRI"), "idnum"):
                dss.add(_ref(entry(root, "/DSS").raw_get("/VRI")))
            dss.update(_ref(vri.raw_get(k)) for k in vri.keys() if hasattr(vri.raw_get(k), "idnum"))
    metadata = root.raw_get("/Metadata") if "/Metadata" in root else None
    info = trailer.raw_get("/Info") if "/Info" in trailer else None
    roles = _Roles(
        catalog=_ref(trailer.raw_get("/Root")),
        info=_ref(info) if hasattr(info, "idnum") else None,
        metadata=_ref(metadata) if hasattr(metadata, "idnum") else None,
        acroform=_ref(acro) if hasattr(acro, "idnum") else None,
        fields_array=_ref(fields) if hasattr(fields, "idnum") else None,
        pages=pages,
        annots_arrays=annots_arrays,
        dss=dss,
        widget_pages=widget_pages,
    )
    roles.page_tree = page_tree
    return roles


# Entries of the dictionaries a page draws with (resources, fonts, graphics states): an
# information or DSS dictionary holding one could be the same object a page uses.
_DRAWING_KEYS = frozenset(
    [
        "/Font",
        "/XObject",
        "/ExtGState",
        "/ColorSpace",
        "/Pattern",
        "/Shading",
        "/Properties",
        "/ProcSet",
        "/CA",
        "/ca",
        "/BM",
        "/SMask",
        "/BaseFont",
        "/FontDescriptor",
        "/Encoding",
        "/ToUnicode",
        "/Widths",
        "/FirstChar",
        "/LastChar",
        "/FontMatrix",
        "/CharProcs",
        "/DescendantFonts",
        "/LW",
        "/LC",
        "/LJ",
        "/ML",
        "/D",
        "/RI",
        "/OP",
        "/op",
        "/OPM",
        "/TR",
        "/TR2",
        "/HT",
        "/BG",
        "/BG2",
        "/UCR",
        "/UCR2",
        "/Subtype",
        "/BBox",
        "/Resources",
        "/Matrix",
        "/Group",
    ]
)


def _inert(obj: Any) -> bool:
    """A dictionary that no page can draw with: not a stream, none of the drawing entries."""
    from pyhanko.pdf_utils import generic

    return (
        isinstance(obj, generic.DictionaryObject)
        and not isinstance(obj, generic.StreamObject)
        and not (set(obj.keys()) & _DRAWING_KEYS)
    )


def _drawn_streams(root: Any) -> set[Any]:
    """The streams the pages draw directly: their content streams and the form XObjects and
    patterns their resources name.  A metadata stream that is also one of these is not
    harmless metadata.  (A stream drawn only deeper — a Type 3 glyph, a nested form — that
    is also the catalog's metadata would have to be built so before signing.)"""
    from sigaudit.evidence.changes.compare import _pages
    from sigaudit.evidence.structure import content_stream_refs

    holder = type("Root", (), {"root": root})()
    out = set(content_stream_refs(holder))
    for _, page, inherited in _pages(root):
        resources = entry(page, "/Resources")
        if resources is None and "/Resources" in inherited:
            held = inherited["/Resources"]
            resources = held.get_object() if hasattr(held, "get_object") else held
        for kind in ("/XObject", "/Pattern"):
            named = entry(resources, kind)
            if named is not None:
                out.update(_ref(named.raw_get(k)) for k in named.keys() if hasattr(named.raw_get(k), "idnum"))
    return out


def _structure_role(obj: Any) -> str | None:
    """Objects of the logical structure, recognised by their own type."""
    from pyhanko.pdf_utils import generic

    if not isinstance(obj, generic.DictionaryObject) or isinstance(obj, generic.StreamObject):
        return None
    kind = obj.get("/Type")
    if kind in ("/StructTreeRoot", "/StructElem") or ("/S" in obj and "/P" in obj and "/K" in obj):
        return "structure"
    if "/Nums" in obj and set(obj.keys()) <= {"/Nums", "/Limits", "/Kids"}:
        return "structure"  # a node of the parent tree
    return None


def _form_ok(before: Any, after: Any, old: Any, reader: Any) -> bool:
    """The form's changed entries are those of ``HARMLESS`` (checked by the caller for an
    indirect form): fields appended are new signature fields; no appearances regenerated."""
    differing = _differing_keys(before, after)
    if differing is None or not differing <= (_BY_ROLE["acroform"].keys or frozenset()):
        return False
    if ("/DA" in differing or "/DR" in differing) and bool(entry(after, "/NeedAppearances", False)):
        return False  # a viewer redraws the fields with these: what they show may change
    return "/Fields" not in differing or _appends_only(before, after, "/Fields", old, reader, _is_new_sig_field)


def _catalog_ok(before: Any, after: Any, differing: set[str], roles: _Roles) -> bool:
    """The catalog's changed entries: a form (by reference) that is new or the same object,
    judged as the form; a DSS, metadata or extensions (any)."""
    from pyhanko.pdf_utils import generic

    if "/Metadata" in differing and "/Metadata" in after and xmp_problem(after.raw_get("/Metadata")):
        return False  # what replaced the metadata is not plain XMP: the effect comparison names it
    if "/AcroForm" in differing:
        form = after.raw_get("/AcroForm") if "/AcroForm" in after else None
        old_form = before.raw_get("/AcroForm") if "/AcroForm" in before else None
        if isinstance(old_form, generic.DictionaryObject) and isinstance(form, generic.DictionaryObject):
            return _form_ok(old_form, form, roles.resolver, roles.reader)  # a form written inline
        if old_form is not None or form is None:
            return False  # a form replaced or removed: the effect comparison decides
        fields = entry(form, "/Fields")
        # a form made after signing: it may hold only new signature fields
        return fields is not None and all(
            entry(f, "/FT") == "/Sig" for f in (fields.raw_get(i).get_object() for i in range(len(fields)))
        )
    return True


def light_effect(reader: Any, signed_revision: int, explained: Explained, signed_bytes: bytes | None) -> Any:
    """The ``Effect`` of revisions whose every redefinition is harmless: the new
    annotations (judged as ``effects.py`` judges them) and the signed empty fields."""
    import functools

    from sigaudit.evidence.changes.effects import Effect, _judge_new_annotation, _judge_signed_field, renderable_page
    from sigaudit.evidence.changes.forms import _form

    old = reader.get_historical_resolver(signed_revision)
    effect = Effect()
    sig_ids, _, _ = _form(reader.root)
    _, old_values, _ = _form(old.root)
    text_boxes: dict[int, list[tuple[float, float, float, float]]] = {}
    for page, ref in explained.new_annotations:
        renderable = functools.partial(renderable_page, old.root, page)
        _judge_new_annotation(
            ref, ref.get_object(), page, sig_ids, old_values, effect, signed_bytes, text_boxes, renderable
        )
    for page, widget in explained.signed_fields:
        if page is None:
            effect.signatures_added |= not _timestamp(widget)
        else:
            renderable = functools.partial(renderable_page, old.root, page)
            _judge_signed_field(widget, page, effect, signed_bytes, text_boxes, renderable)
    return effect
