"""The byte ranges' digests hashed once per stretch of the file
(``sigaudit/evidence/signatures/digests.py``) are pyHanko's own, on every signature of every
PDF the project has, whatever order the signatures are asked in."""

from __future__ import annotations

import io

from conftest import signed_pdfs
from pyhanko.sign.general import byte_range_digest

from sigaudit.evidence.signatures.digests import RangeDigests


def _documents():
    return signed_pdfs()


def _pyhankos(embedded):
    algorithm = embedded.external_md_algorithm
    return byte_range_digest(embedded.reader.stream, byte_range=embedded.byte_range, md_algorithm=algorithm)[1]


def test_each_signatures_digest_is_pyhankos_in_any_order():
    primed = several = 0
    for path, reader, signatures in _documents():
        for order in (signatures, signatures[::-1]):
            digests = RangeDigests(reader.stream)
            for embedded in order:
                embedded.external_digests.clear()
                try:
                    expected = _pyhankos(embedded)
                except Exception:
                    assert not digests.prime(embedded), path.name  # what pyHanko cannot hash is left to it
                    continue
                if digests.prime(embedded):
                    primed += 1
                    assert embedded.external_digests[embedded.external_md_algorithm] == expected, (path.name, order)
                    assert embedded.compute_digest() == expected
        several += len(signatures) > 2
    assert primed >= 200 and several >= 20, (primed, several)


def test_byte_ranges_of_other_shapes_are_left_to_pyhanko():
    class Embedded:
        external_md_algorithm = "sha256"

        def __init__(self, byte_range):
            self.byte_range = byte_range
            self.external_digests = {}

    digests = RangeDigests(io.BytesIO(b"%PDF-1.7\n" + b"x" * 100))
    for byte_range in (
        [5, 10, 20, 10],
        [0, 10, 5, 10],
        [0, 10, 20, 200],
        [0, 0, 20, 10],
        [0, 10, 20],
        [0, 10, 20, 10, 40, 5],
    ):
        assert not digests.prime(Embedded(byte_range)), byte_range
    good = Embedded([0, 10, 20, 10])
    assert digests.prime(good) and not digests.prime(good)  # once: pyHanko's cache holds it
