"""The decoding budget counted before PDFium decodes anything (``evidence/budget.py``)."""

from __future__ import annotations

import zlib

import pytest

from sigaudit.evidence.budget import _inflated_size, file_within_limits


@pytest.mark.parametrize("size", [0, 1, 1 << 20, (1 << 20) + 7, 3 << 20])
@pytest.mark.parametrize("after", [b"", b"\n", b"\r\nendstream"])
def test_a_stream_is_counted_to_its_end_whatever_follows(size, after):
    # bytes after the compressed data's end once made the count loop forever (the stream's
    # end reached exactly at a 1 MB step, one byte left over)
    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    assert _inflated_size(zlib.compress(data, 9) + after, 10 << 20) == size


def test_the_count_stops_at_its_cap():
    assert (4 << 20) <= _inflated_size(zlib.compress(b"\0" * (64 << 20), 9), 4 << 20) < (6 << 20)


def test_a_file_whose_streams_inflate_past_the_budget_is_refused():
    bomb = zlib.compress(b"\0" * (80 << 20), 9)
    pdf = b"%%PDF-1.7\n4 0 obj<</Length %d/Filter/FlateDecode>>stream\n" % len(bomb) + bomb + b"\nendstream endobj\n"
    assert not file_within_limits(pdf)
    small = zlib.compress(b"BT /F1 12 Tf (a) Tj ET", 9)
    fine = (
        b"%%PDF-1.7\n4 0 obj<</Length %d/Filter/FlateDecode>>stream\r\n" % len(small) + small + b"\nendstream endobj\n"
    )
    assert file_within_limits(fine) and file_within_limits(fine * 50)
