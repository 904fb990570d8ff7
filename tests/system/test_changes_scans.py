"""Changes after signing to a scanned page, whose printed header is the pixels of one image:
the image redefined after signing (same object number, same size) is an error naming it;
the same image written again unchanged (an incremental save) is no change."""

from __future__ import annotations

import io

import pytest
from test_changes_after_signing import SCANS, SETTINGS, _page, _update

import sigaudit


def _scan_image(writer):
    page = _page(writer)
    xobjects = page["/Resources"]["/XObject"]
    return next(xobjects.raw_get(k) for k in xobjects if xobjects[k].get("/Subtype") == "/Image")


def image_replaced(writer, data: bytes) -> None:
    """The page's image redefined as a blank page of the same size (a JPEG)."""
    from PIL import Image
    from pyhanko.pdf_utils import generic

    ref = _scan_image(writer)
    image = ref.get_object()
    gray = image.get("/ColorSpace") == "/DeviceGray"
    out = io.BytesIO()
    Image.new("L" if gray else "RGB", (int(image["/Width"]), int(image["/Height"])), "white").save(out, "JPEG")
    for key in ("/DecodeParms", "/SMask", "/Decode"):
        if key in image:
            del image[key]
    image[generic.NameObject("/Filter")] = generic.NameObject("/DCTDecode")
    image[generic.NameObject("/BitsPerComponent")] = generic.NumberObject(8)
    image._encoded_data, image._data = out.getvalue(), None
    writer.mark_update(ref)


def image_rewritten(writer, data: bytes) -> None:
    """The page's image written again as it was."""
    writer.mark_update(_scan_image(writer))


@pytest.mark.parametrize("scan", SCANS, ids=lambda p: p.name)
def test_a_scans_image_replaced_is_an_error_and_rewritten_unchanged_is_not(scan):
    data = scan.read_bytes()
    before = {(f.code, f.severity) for f in sigaudit.inspect(data, settings=SETTINGS).findings}
    replaced = sigaudit.inspect(_update(data, image_replaced), settings=SETTINGS)
    errors = [f for f in replaced.findings if f.code == "MODIFIED_AFTER_SIGNING"]
    assert errors and all(f.severity is sigaudit.Severity.ERROR for f in errors)
    assert all("image (page 1 resources)" in s.changes for s in replaced.evidence.signatures)
    assert replaced.verdict is not sigaudit.Verdict.PASS
    rewritten = sigaudit.inspect(_update(data, image_rewritten), settings=SETTINGS)
    new = {(f.code, f.severity) for f in rewritten.findings} - before
    assert not [code for code, _ in new if code in ("MODIFIED_AFTER_SIGNING", "CHANGES_NOT_ANALYSED")], new
