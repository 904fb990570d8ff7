"""The verdict on what happened after one signature, from our own analysis.

1. No later revision: nothing changed.
2. Every object the later revisions redefine falls under the closed list of harmless
   changes (``harmless.py``): the only effects are the annotations they add (judged by
   type and place) and the signature appearances they draw (which may draw only where the
   signed page was blank, ``ink.py``).
3. Otherwise the signed revision is compared with the final file by effect
   (``effects.py``), rendering where a page's objects differ.
4. The locks the signatures set (``locks.py``) turn permitted kinds into errors.

A comparison that cannot be carried out is "cannot be decided" (``modification`` None with
a problem), never "unchanged" — but where it failed because the final file's page tree no
longer reads while the signed one did, that is a change of the page tree, named.  pyHanko's difference analysis is not used here; it stays
available as ``Settings.diff_policy = "pyhanko"`` and as the tests' oracle.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from sigaudit.evidence.changes.effects import Effect, compare_revisions
from sigaudit.evidence.changes.generations import regenerated
from sigaudit.evidence.changes.harmless import explain, light_effect
from sigaudit.evidence.changes.locks import Locks, locks_at
from sigaudit.evidence.changes.signedpage import appearances_over_text
from sigaudit.evidence.changes.structure import texts_changed
from sigaudit.model import Modification, Problem

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Judgement:
    modification: Modification | None
    changes: tuple[str, ...] = ()
    changed_fields: tuple[str, ...] = ()
    problem: Problem | None = None
    light: bool = False
    """Decided by the harmless list alone (no page compared or rendered)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "modification": self.modification,
            "changes": self.changes,
            "changed_fields": self.changed_fields,
            "problem": self.problem,
        }


def judge(reader: Any, signed_revision: int, data: bytes, end: int, ink_cache: dict[Any, Any]) -> Judgement:
    """What the revisions after ``signed_revision`` (the bytes up to ``end``) changed."""
    if signed_revision >= reader.xrefs.total_revisions - 1:
        return Judgement(Modification.NONE)
    signed_bytes = data[:end]
    explained = explain(reader, signed_revision)
    effect: Effect | None
    if explained is not None:
        try:
            effect = light_effect(reader, signed_revision, explained, signed_bytes)
            appearances_over_text(effect, signed_bytes, data, {}, ink_cache, reader, signed_revision)
        except MemoryError:
            raise
        except Exception:
            log.debug("light effect failed; comparing by effect", exc_info=True)
            effect = compare_revisions(reader, signed_revision, signed_bytes, data, ink_cache)
            explained = None
    else:
        effect = compare_revisions(reader, signed_revision, signed_bytes, data, ink_cache)
    if effect is None:
        if _page_tree_broken(reader, signed_revision):
            return Judgement(Modification.OTHER, changes=(PAGE_TREE_BROKEN,))
        return Judgement(None, problem=Problem.of("changes_not_analysed", "the later revisions could not be compared"))
    judgement = verdict_of(effect, locks_at(reader, signed_revision))
    if explained is not None:
        judgement = replace(judgement, light=True)
    try:
        # what a parser keeping the letter of generation numbers does not see, viewers show;
        # what the logical structure says the signed page reads as (changes/structure.py)
        replaced = regenerated(reader, signed_revision) + texts_changed(reader, signed_revision)
    except MemoryError:
        raise
    except Exception:
        log.debug("generation numbers or structure texts could not be compared", exc_info=True)
        return Judgement(None, problem=Problem.of("changes_not_analysed", "the later revisions could not be compared"))
    if replaced:
        judgement = replace(
            judgement,
            modification=Modification.OTHER,
            changes=(*judgement.changes, *replaced),
            light=False,
        )
    return judgement


PAGE_TREE_BROKEN = "page tree rewritten so that it cannot be read"


def _page_tree_broken(reader: Any, signed_revision: int) -> bool:
    """Whether the signed revision's page tree reads and the final file's does not (its
    /Kids made a name, a null, direct objects…): what a viewer shows then is no longer the
    signed pages (no page, or pages it finds by repairing the file), a change of the page
    tree that the issue's closed list names, not a comparison that could not be made."""
    from sigaudit.evidence.changes.compare import _pages

    try:
        _pages(reader.get_historical_resolver(signed_revision).root)
    except Exception:
        return False
    try:
        return not _pages(reader.root)
    except Exception:
        return True


def verdict_of(effect: Effect, locks: Locks) -> Judgement:
    """The modification level an effect amounts to, under the locks in force."""
    filled = set(effect.filled)
    beyond = [c for c in effect.changes if c not in filled]
    locked = [name for name in effect.filled_values if locks.locked(name) or locks.docmdp == 1]
    forbidden: list[str] = [f"form field '{name}' value (locked by a signature)" for name in locked]
    if locks.docmdp in (1, 2) and effect.fields_added:
        forbidden.extend(
            f"form field '{name}' added where the certification allows none (DocMDP P={locks.docmdp})"
            for name in effect.fields_added
        )
    if locks.docmdp == 1 and (effect.signatures_added or effect.added_annotations):
        forbidden.append("a signature or annotation added where the certification allows no change (DocMDP P=1)")
    elif locks.docmdp == 2 and effect.added_annotations:
        counts = Counter(effect.added_annotations)
        forbidden.extend(
            f"annotation {k} added ×{v} where the certification allows none (DocMDP P=2)"
            for k, v in sorted(counts.items())
        )
    if beyond or effect.covering or forbidden:
        changes = [*beyond, *(f"{c} annotation added over signed text" for c in effect.covering), *forbidden]
        return Judgement(Modification.OTHER, tuple(changes), tuple(sorted(effect.filled_values)))
    if effect.added_annotations:
        counts = Counter(effect.added_annotations)
        return Judgement(
            Modification.ANNOTATIONS, tuple(f"annotation {k} added ×{v}" for k, v in sorted(counts.items()))
        )
    if effect.filled_values:
        values = tuple(f"form field '{k}' = '{v}'" for k, v in sorted(effect.filled_values.items()))
        return Judgement(Modification.FORM_FILLING, values, tuple(sorted(effect.filled_values)))
    return Judgement(Modification.FORM_FILLING if effect.signatures_added else Modification.NONE)
