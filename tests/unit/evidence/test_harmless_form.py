"""The harmless list's form entry: the form's default appearance and resources may change
only where no viewer draws the fields again from them."""

from __future__ import annotations

import pytest
from pyhanko.pdf_utils import generic

from sigaudit.evidence.changes.harmless import _form_ok


def _form(need_appearances: bool | None, da: str) -> generic.DictionaryObject:
    form = generic.DictionaryObject(
        {
            generic.NameObject("/Fields"): generic.ArrayObject(),
            generic.NameObject("/DA"): generic.TextStringObject(da),
        }
    )
    if need_appearances is not None:
        form[generic.NameObject("/NeedAppearances")] = generic.BooleanObject(need_appearances)
    return form


@pytest.mark.parametrize(("need_appearances", "harmless"), [(True, False), (False, True), (None, True)])
def test_a_new_default_appearance_is_harmless_only_where_no_viewer_redraws_the_fields(need_appearances, harmless):
    before = _form(need_appearances, "/Helv 10 Tf 0 g")
    after = _form(need_appearances, "/Helv 0 Tf 1 1 1 rg")  # white text: the filled values vanish
    assert _form_ok(before, after, None, None) is harmless
