"""What later revisions did after each signature: pyHanko's analysis, the fast check,
and the comparison by effect (evidence/changes/effects.py)."""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from pyhanko.sign.validation.status import SignatureCoverageLevel

from sigaudit.evidence.changes.effects import compare_revisions
from sigaudit.evidence.changes.fastcheck import signature_additions_only
from sigaudit.evidence.changes.verdict import judge
from sigaudit.evidence.signatures.common import _modification, _short
from sigaudit.evidence.signatures.fields import _field_refs_by_name
from sigaudit.evidence.structure import byte_range_problem, describe_changes
from sigaudit.model import Coverage, Modification, Problem

log = logging.getLogger(__name__)


def modification_of(status: Any, fast: Modification | None) -> Modification | None:
    """What changed after the signature: the fast revision check's answer when it ran,
    else pyHanko's difference analysis (``status.modification_level``)."""
    return fast if fast is not None else _modification(status)


def _whole_revision_by_bytes(data: bytes, ranges: list[int]) -> bool:
    """The /ByteRange leaves out exactly its hex string and ends at an end-of-file marker."""
    if len(ranges) != 4 or byte_range_problem(data, ranges) is not None:
        return False
    end = ranges[2] + ranges[3]
    return data[:end].rstrip(b"\x00\t\n\x0c\r ").endswith(b"%%EOF")


class ChangesMixin:
    """Methods of ``SignatureReader`` about changes after signing."""

    def _after_signing(self, embedded: Any, status: Any, modification: Modification | None) -> dict[str, Any]:
        """Form fields changed after the signature, and what the later revisions touched."""
        signed_revision = getattr(embedded, "signed_revision", None)
        diff = getattr(status, "diff_result", None)
        changed = getattr(diff, "changed_form_fields", None) or set()
        candidates = {str(f) for f in changed} - self._sig_field_names
        fields = self._rewritten_fields(candidates, signed_revision) if candidates else ()
        changes: tuple[str, ...] = ()
        if modification in (Modification.OTHER, Modification.ANNOTATIONS) or fields:
            # Only where it explains a finding: further signatures need no inventory.
            changes = describe_changes(self.reader, signed_revision)
        return {"changed_fields": fields, "changes": changes}

    def _judged_after_signing(
        self, embedded: Any, status: Any, diff_problem: Problem | None, fast_modification: Modification | None
    ) -> dict[str, Any]:
        """modification, changes, changed_fields and problem of a validated signature.

        pyHanko's verdict stands where it finds nothing beyond signatures and form filling.
        Where it finds more, or its analysis failed, the signed revision is compared with
        the final file by effect (evidence/changes/effects.py): only what changes what a reader
        sees counts.  An inconclusive comparison keeps the stricter verdict.
        """
        coverage = getattr(status, "coverage", None)
        out: dict[str, Any] = {"coverage": Coverage[coverage.name] if coverage is not None else None}
        if self.settings.diff_policy != "pyhanko":
            return {**out, **self._own_judgement(embedded, status, diff_problem)}
        modification = modification_of(status, fast_modification)
        after = self._after_signing(embedded, status, modification)
        out.update({"modification": modification, "problem": diff_problem, **after})
        needs_review = modification in (Modification.OTHER, Modification.ANNOTATIONS) or (
            modification is None and diff_problem is not None
        )
        # What pyHanko's policy (or the fast check) accepts is compared by effect too: its
        # policy allows outlines rewritten, a widget moved to another field or page, a new
        # signature field drawing over the date; only an escalation is taken from here.
        accepted = modification in (Modification.NONE, Modification.FORM_FILLING)
        coverage = getattr(status, "coverage", None)
        if not (needs_review or accepted) or coverage is not SignatureCoverageLevel.ENTIRE_REVISION:
            return out
        signed_revision = getattr(embedded, "signed_revision", None)
        try:
            ranges = [int(v) for v in embedded.sig_object["/ByteRange"]]
            end = ranges[2] + ranges[3]
        except Exception:
            return out
        if signed_revision is None or end > len(self.data):
            return out
        effect = compare_revisions(self.reader, signed_revision, self.data[:end], self.data, self._ink_cache)
        if effect is None:
            return out
        beyond_filling = [c for c in effect.changes if c not in effect.filled]
        if accepted and not (beyond_filling or effect.covering or effect.added_annotations):
            return out  # nothing beyond what was accepted: field values are changed_fields
        if effect.changes or effect.covering:
            changes = [*effect.changes, *(f"{c} annotation added over signed text" for c in effect.covering)]
            out.update(modification=Modification.OTHER, changes=tuple(changes), problem=None)
        elif effect.added_annotations:
            counts = Counter(effect.added_annotations)
            out.update(
                modification=Modification.ANNOTATIONS,
                problem=None,
                changes=tuple(f"annotation {k} added ×{v}" for k, v in sorted(counts.items())),
            )
        else:
            out.update(
                modification=Modification.FORM_FILLING if effect.signatures_added else Modification.NONE,
                changes=(),
                problem=None,
            )
        return out

    def _own_judgement(self, embedded: Any, status: Any, diff_problem: Problem | None) -> dict[str, Any]:
        """modification, changes, changed_fields and problem from our own analysis
        (``evidence/changes/verdict.py``); pyHanko's difference analysis did not run."""
        coverage = getattr(status, "coverage", None)
        if coverage is SignatureCoverageLevel.ENTIRE_FILE:
            return {"modification": Modification.NONE, "problem": diff_problem}
        signed_revision = getattr(embedded, "signed_revision", None)
        try:
            ranges = [int(v) for v in embedded.sig_object["/ByteRange"]]
            end = ranges[2] + ranges[3]
        except Exception:
            ranges, end = [], 0
        if coverage is not SignatureCoverageLevel.ENTIRE_REVISION and _whole_revision_by_bytes(self.data, ranges):
            # pyHanko counts the gap from the decoded signature (line breaks in the hex
            # string, a newline after %%EOF make it "unclear"); the bytes say the signature
            # covers everything but its own hex string, up to an end of file
            if not self.data[end:].strip(b"\x00\t\n\x0c\r "):
                return {"modification": Modification.NONE, "problem": diff_problem}
            coverage = SignatureCoverageLevel.ENTIRE_REVISION
        if coverage is not SignatureCoverageLevel.ENTIRE_REVISION or signed_revision is None:
            # a signature over less than a revision: what lies outside it is unsigned
            # (pyHanko's own level for such coverage, whichever path validated it)
            if coverage is None:
                return {"modification": None, "problem": diff_problem}
            changes = describe_changes(self.reader, signed_revision) if signed_revision is not None else ()
            return {"modification": Modification.OTHER, "changes": changes, "problem": diff_problem}
        if not ranges:
            return {"modification": None, "problem": diff_problem}
        signed_revision = _last_section_within(self.reader, signed_revision, end)
        # the bytes, not pyHanko's count, say the signature covers a whole revision
        return {
            "coverage": Coverage.ENTIRE_REVISION,
            **judge(self.reader, signed_revision, self.data, end, self._ink_cache).as_dict(),
        }

    def _rewritten_fields(self, names: set[str], signed_revision: int | None) -> tuple[str, ...]:
        """Of the fields pyHanko names as changed, those whose field object, value or
        appearance was really written after the signed revision (pyHanko also names
        untouched fields when the field list around them is rewritten)."""
        if signed_revision is None:
            return tuple(sorted(names))
        try:
            xrefs = self.reader.xrefs
            later = {
                (r.idnum, r.generation)
                for rev in range(signed_revision + 1, xrefs.total_revisions)
                for r in xrefs.explicit_refs_in_revision(rev)
            }
            touched = _field_refs_by_name(self.reader)
        except Exception:
            log.debug("could not check which fields were rewritten", exc_info=True)
            return tuple(sorted(names))
        return tuple(sorted(n for n in names if touched.get(n, set()) & later))

    def _revision_review(self, sig_ref: Any, end: int) -> dict[str, Any]:
        """Coverage and later changes of a signature pyHanko's PDF validation does not
        handle (legacy SubFilters): pyHanko's difference analysis, run directly."""
        if end >= len(self.data):
            return {"coverage": Coverage.ENTIRE_FILE, "modification": Modification.NONE}
        if self.settings.diff_policy != "pyhanko":
            try:
                revision = self.reader.xrefs.get_last_change(sig_ref)
            except Exception:
                return {"coverage": Coverage.ENTIRE_REVISION, "modification": None}
            own = judge(self.reader, revision, self.data, end, self._ink_cache)
            return {"coverage": Coverage.ENTIRE_REVISION, **own.as_dict()}
        try:
            from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY

            signed_revision = self.reader.xrefs.get_last_change(sig_ref)
            result = DEFAULT_DIFF_POLICY.review_file(self.reader, signed_revision)
        except MemoryError:
            raise
        except Exception as exc:
            log.info("difference analysis failed for a legacy signature", exc_info=True)
            return {
                "coverage": Coverage.ENTIRE_REVISION,
                "problem": Problem.of("changes_not_analysed", _short(exc)),
            }
        holder = type(
            "Reviewed", (), {"modification_level": getattr(result, "modification_level", None), "diff_result": result}
        )()
        modification = _modification(holder)
        review: dict[str, Any] = {"coverage": Coverage.ENTIRE_REVISION, "modification": modification}
        signed = type("Signed", (), {"signed_revision": signed_revision})()
        review.update(self._after_signing(signed, holder, modification))
        return review

    def _later_revisions(self, embedded: Any) -> Modification | None:
        """The fast revision check, for a signature that covers a whole revision."""
        try:
            coverage = embedded.evaluate_signature_coverage()
        except Exception:
            return None
        if coverage not in (SignatureCoverageLevel.ENTIRE_FILE, SignatureCoverageLevel.ENTIRE_REVISION):
            return None
        return signature_additions_only(self.reader, getattr(embedded, "signed_revision", None))


def _last_section_within(reader: Any, signed_revision: int, end: int) -> int:
    """The last revision whose cross-reference section lies in the signed bytes.  pyHanko
    takes the revision that last wrote the signature object; in a linearized file that is
    the main section at the end, and the first-page section (with the trailer that names
    the catalog) comes after it in the chain though it sits at the file's start: both were
    signed.  A signature dictionary written again after signing (another claimed time and
    name over the same signed bytes) makes that revision a later, unsigned one: the signed
    revision is the last whose section starts within the signed bytes."""
    try:
        xrefs = reader.xrefs
        while signed_revision > 0 and xrefs.get_startxref_for_revision(signed_revision) >= end:
            signed_revision -= 1
        while (
            signed_revision + 1 < xrefs.total_revisions and xrefs.get_startxref_for_revision(signed_revision + 1) < end
        ):
            signed_revision += 1
    except Exception:
        log.debug("the revisions' sections could not be placed", exc_info=True)
    return signed_revision


def as_signed(reader: Any, value: Any, sig_obj: Any) -> Any:
    """The signature dictionary as its signed bytes hold it: a later update may write it
    again with another claimed time and name (an error of its own, see
    ``_last_section_within``), and what the signer claimed is what was signed."""
    try:
        ranges = [int(v) for v in sig_obj["/ByteRange"]]
        end = ranges[2] + ranges[3]
        last = reader.xrefs.total_revisions - 1
        revision = _last_section_within(reader, last, end)
        if revision == last or not hasattr(value, "reference"):
            return sig_obj
        return reader.get_object(value.reference, revision=revision)
    except Exception:
        log.debug("the signed signature dictionary could not be read", exc_info=True)
        return sig_obj
