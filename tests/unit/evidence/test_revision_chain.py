"""The revision chain read from the bytes (``evidence/changes/revisions.py``), on the
generated corpus and the real folders: every honest file continues every signed revision."""

from __future__ import annotations

import pytest
from conftest import CORPUS, DSS, ROOT

from sigaudit.evidence.changes.revisions import breaks, signed_xref, xref_chain

VN = ROOT.parent / "shared" / "realworld" / "vn"
FILES = sorted(
    p
    for folder in (CORPUS, ROOT / "fixtures" / "eoffice", DSS, VN)
    if folder.is_dir()
    for p in folder.rglob("*.pdf")
    if "attacks" not in p.parts and "broken" not in p.parts
)


def _ends(data: bytes) -> list[tuple[str, int]]:
    import re

    # signed revisions end with %%EOF (a /ByteRange inside an attached PDF does not end one)
    return [
        (f"sig{i}", end)
        for i, m in enumerate(re.finditer(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", data))
        if data[: (end := int(m[3]) + int(m[4]))].rstrip().endswith(b"%%EOF")
    ]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_honest_files_continue_every_signed_revision(path):
    data = path.read_bytes()
    found = breaks(data, _ends(data))
    assert [b for b in found if b.kind == "second_header"] == []
    chain = xref_chain(data)
    if chain is not None:  # files whose offsets are broken claim nothing
        assert found == ()


def test_the_chain_follows_prev_and_stops_on_nonsense():
    head = b"%PDF-1.7\n1 0 obj<<>>endobj\n"
    at = len(head)
    one = head + b"xref\n0 1\n0000000000 65535 f \ntrailer<</Size 1>>\nstartxref\n%d\n%%%%EOF\n" % at
    assert xref_chain(one) == [at]
    two = one + b"xref\n0 1\n0000000000 65535 f \ntrailer<</Size 1/Prev %d>>\nstartxref\n%d\n%%%%EOF\n" % (at, len(one))
    assert xref_chain(two) == [len(one), at]
    assert signed_xref(two, len(one)) == at
    assert breaks(two, [("sig", len(one))]) == ()
    unlinked = two.replace(b"/Prev %d" % at, b"        ")
    assert [b.kind for b in breaks(unlinked, [("sig", len(one))])] == ["unlinked"]
    looped = one + b"xref\n0 1\n0000000000 65535 f \ntrailer<</Size 1/Prev %d>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(one),
        len(one),
    )
    assert xref_chain(looped) is None
    assert xref_chain(one.replace(b"startxref\n%d" % at, b"startxref\n99")) is None
    appended = one + b"\n" + one
    assert [(b.kind, b.offset) for b in breaks(appended, [("sig", len(one))])] == [("second_header", len(one) + 1)]
