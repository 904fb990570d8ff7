"""Evidence dossiers (issue 16): every status on generated dossiers, in JSON and every format."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from conftest import ROOT, SCHEMA, TEST_ROOT, assert_regenerates

import sigaudit
from sigaudit.report.formats import FORMATS

DOSSIERS = ROOT / "fixtures" / "dossier"
OFFICE = "UBND huyện Phú Bình"


@pytest.fixture(scope="module")
def settings_test():
    return sigaudit.Settings(trust=(str(TEST_ROOT),))


@pytest.fixture(scope="module")
def judged(settings_test):
    return {
        name: sigaudit.audit_dossier(DOSSIERS / name, year=2021, office=OFFICE, settings=settings_test, jobs=2)
        for name in ("pass", "fail", "manifest")
    }


def _status(report):
    return {c["id"]: (c["status"], c["points_lost"]) for c in report.criteria}


def test_a_complete_dossier_meets_every_criterion(judged):
    report = judged["pass"]
    assert {k: s for k, (s, _) in _status(report).items()} == dict.fromkeys(
        ("1.1", "1.2", "1.3", "1.4", "1.5", "6.1"), "met"
    )
    quarterly = next(c for c in report.criteria if c["id"] == "1.4")
    assert [r["period"] for r in quarterly["reasons"]] == ["Q1", "Q2", "Q3", "Q4"]
    assert report.dossier["warnings"] == [] and report.dossier["unfiled"] == []


def test_each_failure_gets_its_status_and_its_points(judged):
    assert _status(judged["fail"]) == {
        "1.1": ("backdated", 1.0),  # printed 30/12/2020, the body signed on 05/01/2021
        "1.2": ("late", 0.5),
        "1.3": ("wrong_type", 0.5),
        "1.4": ("missing", 1.0),
        "1.5": ("wrong_office", 0.5),
        "6.1": ("not_acceptable", 1.0),
    }
    backdated = next(c for c in judged["fail"].criteria if c["id"] == "1.1")["reasons"][0]
    assert (backdated["issued"], backdated["due"], backdated["signed"]) == ("2020-12-30", "2020-12-31", "2021-01-05")
    lost = {a["area"]: a["points_lost"] for a in judged["fail"].points_by_area}
    assert lost["direction"] >= 3.5 and lost["modernisation"] >= 1.0


def test_a_manifest_dossier_reports_what_does_not_fit(judged):
    report = judged["manifest"]
    status = _status(report)
    assert status["6.1"] == ("out_of_period", 1.0) and status["1.1"] == ("met", 0.0) and status["1.5"][0] == "missing"
    kinds = {(w["kind"], w["name"]) for w in report.dossier["warnings"]}
    assert ("filed_twice", "tai-lieu/KH-122.pdf") in kinds
    # rows are named by the manifest's line
    assert ("unknown_criterion", "dossier.csv:5: 9.9,tai-lieu/KH-122.pdf") in kinds
    assert ("missing_file", "dossier.csv:6: 1.2,tai-lieu/khong-co.pdf") in kinds
    assert report.dossier["unfiled"] == ["Tài liệu khác/KH-09.pdf"]
    assert len(report.documents) == 3  # every file audited, filed or not


def test_json_and_every_format_show_the_dossier(judged):
    report = judged["fail"]
    data = json.loads(report.to_json())
    jsonschema.validate(data, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert [c["status"] for c in data["criteria"]][:2] == ["backdated", "late"]
    for fmt in ("text", "md", "html"):
        buf = io.StringIO()
        FORMATS[fmt].write(report, buf, "vi")
        text = buf.getvalue()
        assert "Hồ sơ tài liệu kiểm chứng theo tiêu chí" in text and "ký số sau hạn (ghi lùi ngày)" in text, fmt
        assert "không phải văn bản của cơ quan" in text and "thiếu tài liệu kiểm chứng" in text, fmt
    buf = io.BytesIO()
    FORMATS["xlsx"].write(report, buf, "vi")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(buf.getvalue()))["Tiêu chí"]
    assert next(r[2].value for r in sheet.iter_rows(min_row=2)) == "ký số sau hạn (ghi lùi ngày)"


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "sigaudit", "dossier", *map(str, args)], capture_output=True,
                          text=True, cwd=ROOT, timeout=300)  # fmt: skip


def test_the_command_line(tmp_path):
    ok = _cli(DOSSIERS / "pass", "--year", "2021", "--office", OFFICE, "--trust", TEST_ROOT, "-o", tmp_path / "r.html")
    assert ok.returncode == 0, ok.stderr
    bad = _cli(DOSSIERS / "fail", "--year", "2021", "--office", OFFICE, "--trust", TEST_ROOT, "--format", "text")
    assert bad.returncode == 1 and "ban hành muộn" in bad.stdout
    no_year = _cli(DOSSIERS / "pass", "--office", OFFICE)
    assert no_year.returncode == 2 and "Cần --year" in no_year.stderr
    no_office = _cli(DOSSIERS / "pass", "--year", "2021", "--lang", "en")
    assert no_office.returncode == 2 and "--office is needed" in no_office.stderr
    rules = tmp_path / "rules.toml"
    rules.write_text(
        "[[area]]\nid = 'a'\nname_vi = 'A'\nname_en = 'A'\nmax_points = 1\n", encoding="utf-8"
    )  # a rule set without evidence criteria
    none = _cli(DOSSIERS / "pass", "--year", "2021", "--office", OFFICE, "--rules", rules)
    assert none.returncode == 2 and "evidence" in none.stderr


def test_evidence_criteria_are_validated():
    from sigaudit.rules import RuleError, parse_rules

    area = "[[area]]\nid = 'a'\nname_vi = 'A'\nname_en = 'A'\nmax_points = 5\n"
    crit = "[[criterion]]\nid = 'x'\narea = 'a'\nname_vi = 'x'\nname_en = 'x'\nmax_points = 1\nkind = 'evidence'\n"
    with pytest.raises(RuleError, match="periods must be one of"):
        parse_rules(area + crit + "periods = 'month'\n")
    with pytest.raises(RuleError, match="not a YYYY-MM-DD date"):
        parse_rules(area + crit + "due = '{year}-13-45'\n")
    rules = parse_rules(area + crit + "due = '{year-1}-12-31'\ntitle_contains = ['cải cách']\n")
    assert rules.criteria[0].due == "{year-1}-12-31" and rules.criteria[0].title_contains == ("cải cách",)


def test_dossier_fixtures_regenerate(tmp_path):
    assert_regenerates(ROOT / "fixtures" / "dossier.py", tmp_path, {"": DOSSIERS})


def test_regular_use_counts_months_with_signed_documents(corpus_report):
    entry = next(d for d in corpus_report.deductions if d["criterion"] == "regular-use")
    assert entry["basis"]["rate"] == "regular_use" and entry["points_lost"] > 0
    for office in corpus_report.offices:
        if not office.key:
            assert office.months_without_signed == ()
            continue
        docs = [d for d in corpus_report if d.office_key == office.key]
        signed = {
            (d.evidence.header.issuance_date or d.signing_date).strftime("%Y-%m")
            for d in docs
            if d.signed and (d.evidence.header.issuance_date or d.signing_date)
        }
        assert not signed & set(office.months_without_signed)
        rate = entry["basis"]["by_office"][office.key]
        months = len(office.months_without_signed) + len(signed)
        assert rate == pytest.approx(len(signed) / months, abs=1e-4)


def _manifest_variant(tmp_path, write) -> Path:
    import shutil

    folder = tmp_path / "manifest"
    shutil.copytree(DOSSIERS / "manifest", folder)
    rows = list(csv.reader((DOSSIERS / "manifest" / "dossier.csv").read_text(encoding="utf-8-sig").splitlines()))
    (folder / "dossier.csv").unlink()
    write(folder, rows)
    return folder


@pytest.mark.parametrize(
    "variant",
    ["excel-vietnamese-ansi-semicolons", "tabs-utf8-bom-vietnamese-headers", "xlsx", "blank-rows-windows-paths"],
)
def test_the_manifest_as_excel_saves_it_files_the_same(tmp_path, variant):
    from sigaudit.dossier import file_dossier
    from sigaudit.rules import default_rules

    def write(folder, rows):
        if variant == "excel-vietnamese-ansi-semicolons":
            # Excel on Vietnamese Windows: "CSV (Comma delimited)" in cp1258 with the list separator ";"
            rows = [rows[0], *rows[1:], ["1.1", "Tài liệu khác/không có.pdf"]]
            text = "\r\n".join(";".join(r) for r in rows) + "\r\n"
            from sigaudit.console import cp1258_spelling

            (folder / "dossier.csv").write_bytes(cp1258_spelling(text).encode("cp1258"))
        elif variant == "tabs-utf8-bom-vietnamese-headers":
            rows = [["Tiêu chí", "Tệp"], *rows[1:]]
            (folder / "dossier.csv").write_text("\n".join("\t".join(r) for r in rows), encoding="utf-8-sig")
        elif variant == "xlsx":
            import openpyxl

            book = openpyxl.Workbook()
            for r in rows:
                book.active.append(r)
            book.save(folder / "dossier.xlsx")
        else:
            out = [rows[0], [], *[[c, f.replace("/", "\\")] for c, f in rows[1:]], ["", ""]]
            (folder / "dossier.csv").write_text("\n".join(",".join(r) for r in out), encoding="utf-8")

    folder = _manifest_variant(tmp_path, write)
    expected = file_dossier(DOSSIERS / "manifest", default_rules())
    got = file_dossier(folder, default_rules())
    assert got.by_criterion == expected.by_criterion and got.unfiled == expected.unfiled
    kinds = [k for k, _ in got.warnings]
    assert kinds[: len(expected.warnings)] == [k for k, _ in expected.warnings]
    if variant == "excel-vietnamese-ansi-semicolons":
        # the row naming a missing file is named by its line, its letters intact
        assert got.warnings[-1][0] == "missing_file" and got.warnings[-1][1].startswith("dossier.csv:")
        assert "Tài liệu khác/không có.pdf" in got.warnings[-1][1]


def test_a_manifest_without_its_columns_is_refused_in_one_sentence(tmp_path):
    folder = _manifest_variant(tmp_path, lambda f, rows: (f / "dossier.csv").write_text("a,b\n1.1,x.pdf\n"))
    done = _cli(folder, "--year", "2021", "--office", OFFICE, "--trust", TEST_ROOT)
    assert done.returncode == 2
    assert "criterion" in done.stderr and "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
