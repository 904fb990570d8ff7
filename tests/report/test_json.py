"""The JSON report: validated against docs/report.schema.json, the contract of issue #2."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
from conftest import CORPUS, SCHEMA

import sigaudit


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


def test_real_output_validates(report_json, schema):
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(report_json)


def test_schema_rejects_a_renamed_field(report_json, schema):
    broken = json.loads(json.dumps(report_json))
    broken["documents"][0]["issued"] = broken["documents"][0].pop("issuance_date")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_schema_lists_exactly_the_finding_codes(schema):
    assert sorted(schema["$defs"]["finding"]["properties"]["code"]["enum"]) == sorted(sigaudit.CODES)


def test_top_level_and_document_names(report_json):
    assert list(report_json) == [
        "schema_version",
        "generated_at",
        "tool",
        "settings",
        "documents",
        "offices",
        "rules",
        "deductions",
        "statistics",
        "summary",
        "criteria",
        "dossier",
        "register",
    ]
    assert report_json["tool"] == {"name": "sigaudit", "version": sigaudit.__version__}
    for doc in report_json["documents"]:
        assert "\\" not in doc["path"] and not doc["path"].startswith("/")
        if doc["issuance_date"]:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", doc["issuance_date"])
        for s in doc["signatures"]:
            if s["signing_time"]:
                assert s["signing_time"].endswith("+07:00")


def test_error_entries_have_a_message(report_json):
    errors = {d["path"]: d["error"] for d in report_json["documents"] if d["error"]}
    assert set(errors) == {"broken/empty.pdf", "broken/encrypted.pdf", "broken/not-a-pdf.pdf", "broken/truncated.pdf"}
    assert errors["broken/encrypted.pdf"]["code"] == "ENCRYPTED_PDF"
    assert all(e["message"].endswith(".") and len(e["message"]) > 10 for e in errors.values())


def test_summary_adds_up(report_json):
    s = report_json["summary"]
    assert s["documents"] == len(report_json["documents"])
    assert s["signed"] == sum(d["signed"] for d in report_json["documents"])
    assert sum(o["documents"] for o in report_json["offices"]) == s["documents"]
    assert sum(s["findings_by_code"].values()) == sum(len(d["findings"]) for d in report_json["documents"])


def test_streamed_json_is_the_plain_dump_with_one_document_per_line(corpus_report):
    from sigaudit.report.json import report_to_dict

    text = corpus_report.to_json()
    assert json.loads(text) == json.loads(json.dumps(report_to_dict(corpus_report), ensure_ascii=False))
    lines = text.splitlines()
    documents = [line for line in lines if line.startswith('    {"path": ')]
    assert len(documents) == len(corpus_report.documents)
    assert all(json.loads(line.rstrip(","))["path"] for line in documents)
    assert lines[0] == "{" and lines[1].startswith('  "')  # the rest is indented as before


def test_spooled_report_equals_the_in_memory_one(corpus_report):
    spooled = sigaudit.audit(CORPUS, settings=corpus_report.settings, spool=True)
    assert [d.path for d in spooled] == [d.path for d in corpus_report]
    assert [d.findings for d in spooled] == [d.findings for d in corpus_report]
    assert spooled.summary() == corpus_report.summary() and spooled.offices == corpus_report.offices
