"""What the signatures themselves forbid after them (ISO 32000-1 §12.8.2).

- DocMDP (the certification signature, ``/Perms /DocMDP``): ``/P 1`` allows no change at
  all, ``/P 2`` form filling and signing, ``/P 3`` those and annotations; DSS data and
  document timestamps are always allowed (ISO 32000-2 §12.8.4.3).
- FieldMDP (a signature's ``/Reference`` with ``/TransformMethod /FieldMDP``, written
  from the signature field's ``/Lock``): the fields named (``/Include``), all but those
  (``/Exclude``) or all (``/All``) may not change after that signature.  Where the signer
  wrote no such reference, the signed field's ``/Lock`` itself is the lock (and its PDF 2.0
  ``/P``, the permissions after that signature, counts as a DocMDP level).

A lock holds from the revision its signature was made in; a signature is judged against
the locks of itself and of every signature made before it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from sigaudit.evidence.pdfdict import entry

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Locks:
    docmdp: int | None = None
    """The certification's permission level (1, 2, 3), or None: not certified."""
    fields: tuple[tuple[str, frozenset[str]], ...] = field(default_factory=tuple)
    """FieldMDP locks: (``All`` | ``Include`` | ``Exclude``, field names)."""

    def locked(self, name: str) -> bool:
        """Whether the field of full name ``name`` may not change.  A name in a lock's list
        names that field and every field under it ("TextInput" names "TextInput.TextField1"),
        as Acrobat and pyHanko read it: a lock on a group locks its members."""
        for action, names in self.fields:
            named = any(name == n or name.startswith(n + ".") for n in names)
            if action == "All" or (action == "Include" and named) or (action == "Exclude" and not named):
                return True
        return False


def locks_at(reader: Any, revision: int) -> Locks:
    """The locks in force for a signature of ``revision``: DocMDP, and the FieldMDP locks of
    the signatures made in it or before."""
    try:
        return _locks_at(reader, revision)
    except Exception:
        log.debug("could not read the locks", exc_info=True)
        return Locks()


def _locks_at(reader: Any, revision: int) -> Locks:
    root = reader.root
    docmdp: int | None = None
    fields: list[tuple[str, frozenset[str]]] = []
    certification = entry(entry(root, "/Perms"), "/DocMDP")
    if certification is not None:
        for ref in _references(certification):
            if entry(ref, "/TransformMethod") == "/DocMDP":
                p = entry(entry(ref, "/TransformParams"), "/P", 2)
                docmdp = int(p) if int(p) in (1, 2, 3) else 2
    for value, sig_ref, field_dict in _signature_values(reader):
        try:
            made = reader.xrefs.get_introducing_revision(sig_ref.reference)
        except Exception:
            continue
        if made > revision:
            continue
        declared = [
            entry(ref, "/TransformParams")
            for ref in _references(value)
            if entry(ref, "/TransformMethod") == "/FieldMDP"
        ]
        lock = entry(field_dict, "/Lock")
        if not declared and lock is not None:
            # The field's own lock dictionary, where the signer wrote no FieldMDP reference
            # (ISO 32000-1 Table 233: the fields it names are locked once the field is
            # signed; seen in other producers' files): the same lock.
            declared = [lock]
            p = entry(lock, "/P")  # PDF 2.0: the permissions after this signature, as DocMDP's
            if p is not None and int(p) in (1, 2, 3):
                docmdp = int(p) if docmdp is None else min(docmdp, int(p))
        for params in declared:
            action = str(entry(params, "/Action", "/All"))[1:]
            names = frozenset(str(n) for n in (entry(params, "/Fields") or []))
            fields.append((action if action in ("All", "Include", "Exclude") else "All", names))
    return Locks(docmdp, tuple(fields))


def _references(sig: Any) -> list[Any]:
    refs = entry(sig, "/Reference")
    if refs is None:
        return []
    return [refs[i] for i in range(len(refs))]


def _signature_values(reader: Any) -> list[tuple[Any, Any, Any]]:
    """(signature dictionary, its reference, the field) of every signed signature field
    (pyHanko's own enumeration, as ``SignatureReader`` reads them)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.sign.fields import enumerate_sig_fields

    out: list[tuple[Any, Any, Any]] = []
    for _, value, field_ref in enumerate_sig_fields(reader, filled_status=True):
        field_dict = field_ref.get_object()
        raw = field_dict.raw_get("/V")
        if isinstance(raw, generic.IndirectObject):
            out.append((value, raw, field_dict))
    return out
