"""Rule sets as data: validation, and deductions that follow the rules."""

from __future__ import annotations

import pytest
from conftest import CORPUS

import sigaudit
from sigaudit.rules import RuleError, default_rules, parse_rules, points_by_area
from sigaudit.scoring import deductions

AREA = '[[area]]\nid = "m"\nname_vi = "Hiện đại hóa"\nname_en = "Modernisation"\nmax_points = 5\n'


def _crit(**kw) -> str:
    base = dict(
        id="c1",
        area="m",
        name_vi="x",
        name_en="x",
        max_points=2,
        kind="findings",
        codes=["UNSIGNED"],
        points_per_document=0.5,
    )
    base.update(kw)
    lines = ["[[criterion]]"]
    for k, v in base.items():
        if isinstance(v, str):
            lines.append(f'{k} = "{v}"')
        elif isinstance(v, list):
            lines.append(f"{k} = [" + ", ".join(f'"{x}"' for x in v) + "]")
        else:
            lines.append(f"{k} = {v}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    "text, message",
    [
        (AREA + _crit(codes=["NO_SUCH_CODE"]), "unknown finding code 'NO_SUCH_CODE'"),
        (AREA + _crit(area="nowhere"), "unknown area 'nowhere'"),
        (AREA + _crit(points_per_document=-1), "points_per_document must not be negative"),
        (AREA + _crit(max_points=9), "can lose 9 points, more than the area's 5"),
        (AREA + _crit(kind="magic"), "kind must be 'findings', 'rate' or 'evidence'"),
        (AREA + _crit(kind="rate", rate="happiness"), "rate must be one of"),
        (AREA + _crit(doc_types=["XYZ"]), "unknown document type 'XYZ'"),
        (AREA + _crit(colour="red"), "unknown key(s) colour"),
        (
            AREA + "[[criterion]]\nid = 'r'\narea = 'm'\nname_vi = 'x'\nname_en = 'x'\nmax_points = 1\nkind = 'rate'\n"
            "rate = 'signed'\nthresholds = [{ at_least = 0.5, lose = 0 }]\n",
            "must cover a rate of 0",
        ),
        ("[[area]]\nid = 'a'\n", "'name_vi' is required"),
        ("not toml = = =", "not valid TOML"),
    ],
)
def test_rule_errors_are_clear(text, message):
    with pytest.raises(RuleError) as exc:
        parse_rules(text, source="rules.toml")
    assert message in str(exc.value)


def test_default_profile_loads_with_the_index_areas():
    rules = default_rules()
    assert {a.id: a.max_points for a in rules.areas} == {
        "direction": 9,
        "modernisation": 18,
        "procedures": 14,
        "public-finance": 8,
        "socio-economic": 16,
        "organisation": 12,
        "institutions": 9,
    }
    assert rules.criteria


def test_deductions_follow_an_edited_rule_set(corpus_report):
    docs = list(corpus_report)
    unsigned = [d.path for d in docs if "UNSIGNED" in {f.code for f in d.findings}]
    text = AREA + _crit(points_per_document=0.75, max_points=5)
    (entry,) = deductions(parse_rules(text), docs)
    assert entry["documents"] == sorted(unsigned)
    assert entry["points_lost"] == min(5, 0.75 * len(unsigned))
    # a cap below the count: capped
    (capped,) = deductions(parse_rules(AREA + _crit(points_per_document=3, max_points=1)), docs)
    assert capped["points_lost"] == 1


def test_rate_criteria_thresholds_and_proportional(corpus_report):
    docs = list(corpus_report)
    signed = sum(d.signed for d in docs) / len(docs)
    text = AREA + (
        "[[criterion]]\nid = 'r'\narea = 'm'\nname_vi = 'x'\nname_en = 'x'\nmax_points = 2\nkind = 'rate'\n"
        "rate = 'signed'\nscoring = 'thresholds'\nthresholds = [{ at_least = 0.99, lose = 0 }, "
        "{ at_least = 0.8, lose = 0.5 }, { at_least = 0, lose = 2 }]\n"
    )
    (entry,) = deductions(parse_rules(text), docs)
    assert entry["basis"]["value"] == round(signed, 4)
    assert entry["points_lost"] == (0 if signed >= 0.99 else 0.5 if signed >= 0.8 else 2)
    proportional = text.replace("scoring = 'thresholds'", "scoring = 'proportional'")
    (entry,) = deductions(parse_rules(proportional), docs)
    assert entry["points_lost"] == round(2 * (1 - signed), 4)
    assert len(entry["documents"]) == sum(not d.signed for d in docs)


def test_report_carries_deductions_and_points_by_area(corpus_report, tmp_path):
    assert corpus_report.deductions and all(0 <= d["points_lost"] <= d["max_points"] for d in corpus_report.deductions)
    by_area = {a["area"]: a for a in corpus_report.summary()["points_lost"]["by_area"]}
    for area in by_area.values():
        assert 0 <= area["points_lost"] <= area["max_points"]
    assert by_area["procedures"]["points_lost"] == 0  # nothing measurable there
    rules_file = tmp_path / "rules.toml"
    rules_file.write_text(AREA + _crit(points_per_document=1, max_points=5), encoding="utf-8")
    custom = sigaudit.audit(CORPUS / "ubnd-xa-tan-khanh", settings=corpus_report.settings, rules=rules_file)
    assert [d["criterion"] for d in custom.deductions] == ["c1"]
    assert custom.summary()["points_lost"]["total"] == custom.deductions[0]["points_lost"] == 1
    assert points_by_area(custom.rules, list(custom.deductions))[0]["points_lost"] == 1


def test_statistics_per_office_month_and_type(corpus_report):
    stats = corpus_report.statistics()
    assert sum(s["documents"] for s in stats) == len(corpus_report.documents)
    row = next(
        s
        for s in stats
        if s["office"] == "ỦY BAN NHÂN DÂN HUYỆN PHÚ BÌNH" and s["month"] == "2021-08" and s["doc_type"] == "KH"
    )
    assert row["documents"] == 4 and row["signed"] == 4
