"""A page tree rewritten after signing so that it cannot be read (pyHanko's own test
"pages kids tamper": ``/Kids`` made a name, a null, a direct null): what a viewer shows is
no longer the signed pages, so it is a change that names the page tree (an error), not
"cannot be decided" and not a malformed signature (evidence/changes/verdict.py)."""

from __future__ import annotations

import io

import pytest
from test_changes_after_signing import SETTINGS
from test_shared_appearance import _sign, _unsigned

import sigaudit


def _kids(value_of):
    def change(data: bytes) -> bytes:
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        pages = writer.root["/Pages"]
        pages["/Kids"] = value_of(writer)
        writer.update_container(pages)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    return change


def _name(writer):
    from pyhanko.pdf_utils import generic

    return generic.NameObject("/Test")


def _direct_null(writer):
    from pyhanko.pdf_utils import generic

    return generic.ArrayObject([generic.NullObject()])


def _indirect_null(writer):
    from pyhanko.pdf_utils import generic

    return generic.ArrayObject([writer.add_object(generic.NullObject())])


@pytest.mark.parametrize("value_of", [_name, _direct_null, _indirect_null], ids=["name", "null", "indirect-null"])
def test_a_page_tree_made_unreadable_after_signing_is_an_error_naming_it(value_of):
    data, _ = _unsigned("none")
    signed = _sign(data, "Sig1", box=(300, 700, 560, 760))
    result = sigaudit.inspect(_kids(value_of)(signed), settings=SETTINGS)
    found = [f for f in result.findings if f.signature == "Sig1" and f.code == "MODIFIED_AFTER_SIGNING"]
    assert [f.severity.value for f in found] == ["error"]
    assert "page tree rewritten so that it cannot be read" in found[0].message
    assert "cây trang" in found[0].message_vi
    assert "SIGNATURE_MALFORMED" not in {f.code for f in result.findings}
