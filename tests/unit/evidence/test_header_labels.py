"""Field-level accuracy of the header parser on the labelled variants (fixtures/headers/)."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter

import pytest
from conftest import ROOT

import sigaudit

HEADERS = ROOT / "fixtures" / "headers"
LABELS = json.loads((HEADERS / "LABELS.json").read_text(encoding="utf-8"))
FIELDS = ("office", "parent_office", "number", "doc_type", "issuance_place", "issuance_date", "title_type", "encoding")


def _fields(path) -> dict:
    h = sigaudit.inspect(path).evidence.header
    return dict(
        office=h.office,
        parent_office=h.parent_office,
        number=h.number,
        doc_type=h.doc_type,
        issuance_place=h.issuance_place,
        issuance_date=h.issuance_date.isoformat() if h.issuance_date else None,
        title_type=h.title_type,
        encoding=h.encoding,
    )


def test_the_set_is_large_and_covers_every_dimension():
    assert len(LABELS) >= 150
    for dim, values in (
        ("encoding", {"unicode", "nfd", "tcvn3", "vni", "eth"}),
        ("layout", {"standard", "glued", "date-break"}),
        ("number_form", {"plain", "year", "cong-van", "no-colon", "spaces", "zeros"}),
        ("date_form", {"padded", "loose", "numeric", "spaces"}),
    ):
        assert {label[dim] for label in LABELS} == values, dim
    assert all((HEADERS / label["file"]).is_file() for label in LABELS)


def test_field_level_accuracy_is_100_percent(capsys):
    right, total = Counter(), Counter()
    misses = []
    for label in LABELS:
        got = _fields(HEADERS / label["file"])
        for field in FIELDS:
            total[field] += 1
            if got[field] == label["expect"][field]:
                right[field] += 1
            else:
                misses.append(f"{label['file']}: {field} = {got[field]!r}, expected {label['expect'][field]!r}")
    with capsys.disabled():
        print("\nheader fields, labelled set:", ", ".join(f"{f} {right[f]}/{total[f]}" for f in FIELDS))
    assert misses == []


def test_generator_is_deterministic(tmp_path):
    spec = importlib.util.spec_from_file_location("headers_gen", ROOT / "fixtures" / "headers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sample = [0, 1, 2, 3, 18, 159, 160]  # each encoding and layout at least once
    module.build(tmp_path, only=sample)
    for i in sample:
        name = LABELS[i]["file"]
        assert (tmp_path / name).read_bytes() == (HEADERS / name).read_bytes(), name


def _breaks_rule(label) -> bool:
    _, month, day = (int(x) for x in label["expect"]["issuance_date"].split("-"))
    return label["date_form"] == "loose" and (day < 10 or month < 10)


@pytest.mark.parametrize("label", [lab for lab in LABELS if _breaks_rule(lab)][:4], ids=lambda lab: lab["file"])
def test_loose_dates_are_read_and_flagged(label):
    result = sigaudit.inspect(HEADERS / label["file"])
    assert result.evidence.header.issuance_date.isoformat() == label["expect"]["issuance_date"]
    assert "DATE_FORMAT" in {f.code for f in result.findings}
