#!/usr/bin/env python3
"""Every attack and honest update of tests/system/test_changes_after_signing.py,
test_changes_matrix.py and test_structure_texts.py on every signed real file.

    python benchmarks/attack_sweep.py                  # ../shared/realworld/{vn,dss}; figures in docs/signatures.md
    python benchmarks/attack_sweep.py --only DSS-3577   # the files whose name contains a word
    python benchmarks/attack_sweep.py PATH …            # other files

The test modules build each attack (mostly an incremental update written with pyHanko's
writer) on three or four sources; this script builds them on every signed file it is given,
with the honest updates beside them (metadata, DSS data, a second signature, a document
timestamp…), and prints per file what was missed (an attack without a ``MODIFIED_AFTER_SIGNING``
or ``NOT_AN_UPDATE`` error) or flagged (an honest update with a new change finding).  Where page 1 has
no "ngày" line the attacks that box over the date box over page 1's first characters, or,
on a page with no text, over its first printed row.  An attack that cannot
be built on a file (no annotation to alter, a blank page 1) is counted, not judged.  A file whose own
signatures are already broken (``SIGNATURE_INVALID``, ``SIGNATURE_MALFORMED``) has no signed
revision to compare with: its misses are listed apart.

Exit status 1 when an attack on a sound signature is missed or an honest update flagged.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "system")]

import pytest  # noqa: E402
import test_changes_after_signing as attacks  # noqa: E402
import test_changes_matrix as matrix  # noqa: E402
import test_structure_texts as structure  # noqa: E402

import sigaudit  # noqa: E402

REAL = [ROOT.parent / "shared" / "realworld" / "vn", ROOT.parent / "shared" / "realworld" / "dss"]
BROKEN = {"SIGNATURE_INVALID", "SIGNATURE_MALFORMED", "BYTE_RANGE_INVALID"}


def _date_box(data: bytes) -> tuple[float, float, float, float]:
    """The date line, else page 1's first characters, else a scan's header band."""
    import pypdfium2 as pdfium

    try:
        return _the_date_line(data)
    except AssertionError:
        pass
    pdf = pdfium.PdfDocument(data)
    try:
        page = pdf[0]
        text = page.get_textpage()
        boxes = [text.get_charbox(i) for i in range(min(text.count_chars(), 200))]
        boxes = [b for b in boxes if b[2] > b[0] and b[3] > b[1]][:20]
        if not boxes:
            return _first_ink(page)
        return attacks._around(boxes)
    finally:
        pdf.close()


def _first_ink(page) -> tuple[float, float, float, float]:
    """A page with no text (a scan): its first band 30 points tall whose ink is a printed row
    (2 % of its pixels, 8 points tall: not the scan's edge, a speck or a ruled line)."""
    image = page.render(scale=1, grayscale=True).to_pil().convert("L")
    ink = image.point(lambda v: 255 if v < 128 else 0)
    height = page.get_height()
    for y in range(0, image.height - 30, 5):
        band = ink.crop((0, y, image.width, y + 30))
        box = band.getbbox()
        if box and box[3] - box[1] >= 8 and band.histogram()[255] >= 0.02 * band.width * band.height:
            return (float(box[0]), height - y - 30, float(box[2]), height - y)
    raise LookupError("page 1 prints nothing to box over")


def _with_text(build):
    """A font's ToUnicode map changes what page 1's text reads as: only where it has text."""

    def guarded(data: bytes) -> bytes:
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(data)
        try:
            if not pdf[0].get_textpage().count_chars():
                raise LookupError("page 1 has no text for a ToUnicode map to change")
        finally:
            pdf.close()
        return build(data)

    return guarded


_the_date_line = attacks._date_box


def _builds() -> tuple[dict[str, object], dict[str, object]]:
    """(attacks, honest updates) by name, each a function of the file's bytes: the changes
    test's (an incremental update each) and the matrix test's (some write the bytes
    themselves: a damaged or misplaced cross-reference, an object stream, a signature)."""
    built = {name: functools.partial(attacks._update, change=change) for name, change in attacks.ATTACKS.items()}
    built.update({f"matrix:{name}": build for name, build in matrix.ATTACKS.items()})
    built["matrix:tounicode-swapped"] = _with_text(matrix.ATTACKS["tounicode-swapped"])
    # what the logical structure says the page reads as (a tagged file's elements only)
    built["structure:actual-text-set"] = functools.partial(attacks._update, change=structure._actual_text_set)
    built["structure:new-tree-with-text"] = functools.partial(attacks._update, change=structure._new_tree_with_text)
    honest = {"metadata": functools.partial(attacks._update, change=attacks.metadata_only)}
    honest.update({f"matrix:{name}": build for name, build in matrix.HONEST.items()})
    honest["structure:signature-field-described"] = functools.partial(
        attacks._update, change=structure._signature_field_described
    )
    return built, honest


CHANGE_ERRORS = {"MODIFIED_AFTER_SIGNING", "NOT_AN_UPDATE"}
CHANGE_CODES = CHANGE_ERRORS | {"CHANGES_NOT_ANALYSED"}


def sweep(path: Path) -> dict[str, str] | None:
    """Attack name → caught / MISSED / build-fail, and each honest update's clean / FLAGGED;
    None for a file with no signature."""
    data = path.read_bytes()
    before = attacks._verdict(data)
    if not before.evidence.signatures:
        return None
    built, honest = _builds()
    row: dict[str, str] = {}
    for name, build in sorted(built.items()):
        try:
            updated = build(data)
        except (Exception, pytest.skip.Exception) as exc:  # the file has nothing this attack alters
            row[name] = f"build-fail: {type(exc).__name__}"
            continue
        result = attacks._verdict(updated)
        caught = any(f.code in CHANGE_ERRORS and f.severity is sigaudit.Severity.ERROR for f in result.findings)
        row[name] = "caught" if caught else "MISSED: " + ",".join(sorted({f.code for f in result.findings}))
    known = {(f.code, f.severity) for f in before.findings}
    for name, build in sorted(honest.items()):
        try:
            after = attacks._verdict(build(data))
        except (Exception, pytest.skip.Exception) as exc:
            row[f"honest:{name}"] = f"build-fail: {type(exc).__name__}"
            continue
        new = {code for code, severity in {(f.code, f.severity) for f in after.findings} - known}
        row[f"honest:{name}"] = "FLAGGED: " + ",".join(sorted(new & CHANGE_CODES)) if new & CHANGE_CODES else "clean"
    if BROKEN & {f.code for f in before.findings}:
        row = {k: v.replace("MISSED", "broken-before") for k, v in row.items()}
    return row


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="*", type=Path)
    ap.add_argument("--only", nargs="*", default=[], help="files whose name contains one of these")
    ap.add_argument("--json", type=Path, help="write every file's row here")
    args = ap.parse_args(argv)
    files = args.paths or [p for d in REAL if d.is_dir() for p in sorted(d.glob("*.pdf"))]
    if args.only:
        files = [p for p in files if any(word in p.name for word in args.only)]
    rows: dict[str, dict[str, str]] = {}
    attacks._date_box = _date_box  # the attacks box over page 1's text where no date line is
    try:
        for path in files:
            row = sweep(path)
            if row is None:
                continue
            rows[path.name] = row
            bad = {k: v for k, v in row.items() if v.startswith(("MISSED", "FLAGGED"))}
            print(f"{path.name}: {bad or 'ok'}", flush=True)
    finally:
        attacks._date_box = _the_date_line
    tally = Counter(v.split(":")[0] for row in rows.values() for v in row.values())
    print(f"{len(rows)} signed files: " + ", ".join(f"{k} {v}" for k, v in sorted(tally.items())))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1, ensure_ascii=False), encoding="utf-8")
    return 1 if tally["MISSED"] or tally["FLAGGED"] else 0


if __name__ == "__main__":
    sys.exit(main())
