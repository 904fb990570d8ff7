"""A comment's window (its popup) is drawn by the viewer over the page, from the note's
text, where it opens with the file: it is judged by what its rectangle lies over, like any
box over the signed page; a closed one, or an open one in a blank margin, is only a
comment (a warning)."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from test_changes_matrix import SOURCES, _change_errors, _sign, _update, _verdict, popup_open_over_date

import sigaudit


def _changes(result: sigaudit.DocumentResult) -> list[sigaudit.Finding]:
    return [f for f in result.findings if f.code == "MODIFIED_AFTER_SIGNING"]


@pytest.fixture(scope="module", params=SOURCES, ids=lambda p: Path(p).stem)
def source(request) -> bytes:
    return Path(request.param).read_bytes()


def test_a_popup_that_opens_over_the_date_is_an_error(source):
    errors = _change_errors(_verdict(_update(source, popup_open_over_date)))
    assert errors and all("Popup annotation added over signed text" in f.message for f in errors), errors


@pytest.mark.parametrize(
    "shape", [dict(open_=False), dict(over_date=False)], ids=["closed-over-the-date", "open-in-the-margin"]
)
def test_a_popup_closed_or_in_the_margin_is_a_comment(source, shape):
    result = _verdict(_update(source, functools.partial(popup_open_over_date, **shape)))
    # a comment added: a warning at most (an error only where a certification forbids
    # annotations), never "over signed text"
    assert _changes(result) and not any("over signed text" in f.message for f in _changes(result))


def _open_the_popup(writer, data: bytes) -> None:
    from pyhanko.pdf_utils import generic
    from test_changes_after_signing import _page

    annots = _page(writer)["/Annots"]
    for i in range(len(annots)):
        if annots[i].get("/Subtype") == "/Popup":
            ref = annots.raw_get(i)
            ref.get_object()[generic.NameObject("/Open")] = generic.BooleanObject(True)
            writer.mark_update(ref)
            return
    raise AssertionError("no popup on page 1")


def test_a_signed_comments_window_opened_over_the_date_after_signing_is_an_error():
    """A comment signed with the document, its window closed over the date: opened after
    signing, it covers the date when the file opens."""
    closed = functools.partial(popup_open_over_date, open_=False)
    signed = _sign(_update(Path(SOURCES[0]).read_bytes(), closed), None)
    assert not _change_errors(_verdict(signed))
    errors = _change_errors(_verdict(_update(signed, _open_the_popup)))
    assert errors and any("comment opened over signed text" in f.message for f in errors), errors
    assert any("cửa sổ ghi chú" in f.message_vi and "opened" not in f.message_vi for f in errors)
