"""The finding registry (sigaudit/data/findings.toml): complete, consistent, used, and the
only place messages are written."""

import ast
import datetime as dt
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from sigaudit.findings import AREAS, CODES, TERMS, Term, finding, how_to_fix, render, title
from sigaudit.model import Severity

CHECKS_DIR = ROOT / "sigaudit" / "checks"
# Codes a document error carries (set where the file is read, sigaudit/evidence and scan).
ERROR_CODES = {"UNREADABLE_PDF", "ENCRYPTED_PDF", "READ_ERROR", "RESOURCE_LIMIT", "INTERNAL_ERROR"}


def _check_sources() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(CHECKS_DIR.glob("*.py")))


def _used() -> set[tuple[str, str]]:
    """(code, variant) pairs the checks build: finding("CODE"[, "variant" | "a" if … else "b"], …)."""
    found = set()
    for path in sorted(CHECKS_DIR.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "finding" and node.args):
                continue
            code = node.args[0]
            if not isinstance(code, ast.Constant):
                continue
            variant = node.args[1] if len(node.args) > 1 else None
            if variant is None:
                found.add((code.value, "default"))
            elif isinstance(variant, ast.Constant):
                found.add((code.value, variant.value))
            else:
                assert isinstance(variant, ast.IfExp), f"{path.name}: name the variant of {code.value} literally"
                found |= {(code.value, branch.value) for branch in (variant.body, variant.orelse)}
    return found


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_entry_is_complete_in_both_languages(code):
    entry = CODES[code]
    assert entry.area in AREAS
    assert isinstance(entry.severity, Severity)
    for text in (entry.title, entry.fix):
        assert text.vi and text.en and text.vi != text.en
    assert entry.fix.vi.endswith(".") and entry.fix.en.endswith(".")
    assert entry.doc, f"{code} has no doc (what it means, for docs/findings.md)"
    assert entry.messages
    for message in entry.messages.values():
        assert message.text.vi and message.text.en
        vi_fields = {
            f for _, f, _, _ in string.Formatter().parse(message.text.vi.replace("[[", "").replace("]]", "")) if f
        }
        en_fields = {
            f for _, f, _, _ in string.Formatter().parse(message.text.en.replace("[[", "").replace("]]", "")) if f
        }
        # Both languages say the same facts; the Vietnamese also names the signer by name
        # (the English names the field).
        assert vi_fields <= en_fields | {"title", "signer"} and en_fields <= vi_fields | {"signer"}, (
            code,
            vi_fields,
            en_fields,
        )


def test_every_code_is_raised_somewhere_and_every_variant_used():
    used = _used()
    raised = {code for code, _ in used} | ERROR_CODES
    assert raised == set(CODES), set(CODES) ^ raised
    declared = {(code, v) for code, entry in CODES.items() for v in entry.messages if code not in ERROR_CODES}
    assert used == declared, used ^ declared


def test_checks_never_write_text():
    """No message prose in the checks: no f-strings with words, no message= arguments."""
    source = _check_sources()
    assert "message=" not in source and "message_vi" not in source and "vi=" not in source
    assert not re.search(r'f"[^"]*\b(the|The|được|của)\b', source)


def test_templates_render_with_structured_parameters():
    when = dt.datetime(2021, 1, 5, 1, 15, 24, tzinfo=dt.timezone.utc)
    f = finding(
        "SIGNING_DATE_MISMATCH",
        signature="CoQuan",
        field="CoQuan",
        signer="UBND huyện Phú Bình",
        issued=dt.date(2021, 1, 4),
        signed=dt.date(2021, 1, 5),
        time=when,
        source=Term.of("time_source.timestamp_token"),
    )
    assert f.severity is Severity.ERROR and f.signature == "CoQuan"
    assert f.message == (
        "Issued on 2021-01-04 but 'CoQuan' (UBND huyện Phú Bình) was signed on 2021-01-05 "
        "(2021-01-05T01:15:24+00:00, from the timestamp)."
    )
    assert f.message_vi == (
        "Ngày ban hành 04/01/2021 nhưng UBND huyện Phú Bình (chữ ký 'CoQuan') ký số ngày "
        "05/01/2021 (lúc 01 giờ 15 ngày 05/01/2021, theo dấu thời gian)."
    )


def test_optional_parts_sequences_and_variant_severity():
    assert finding("UNSIGNED", stamps=0).message == "The document has no digital signature."
    assert "2 document timestamp(s)" in finding("UNSIGNED", stamps=2).message
    shared = finding("SIGNATURE_SHARED", field="A", others=("B", "C"))
    assert "'B', 'C'" in shared.message and "'B', 'C'" in shared.message_vi
    assert finding("MODIFIED_AFTER_SIGNING", "annotations", field="A", changes=()).severity is Severity.WARNING
    assert finding("MODIFIED_AFTER_SIGNING", "other", field="A", changes=()).severity is Severity.ERROR
    assert finding("UNSIGNED_TRAILING_BYTES", "data", count=3).severity is Severity.WARNING
    ocr = finding("HEADER_READ_BY_OCR", read=[], illegible=[])
    assert "(confidence: nothing)." in ocr.message and "không trường nào" in ocr.message_vi
    assert render("{x}", {"x": None}, "en") == "?"


def test_terms_and_lookups():
    assert all(t.vi or t.en for t in TERMS.values())
    assert title("UNSIGNED", "vi") == "Văn bản không có chữ ký số" and title("NOPE", "en") == "NOPE"
    assert how_to_fix("UNSIGNED", "en").startswith("Have the competent person")
    assert Term.of("field.nope", fallback="nope") and render("{t}", {"t": Term.of("field.nope", "x")}, "vi") == "x"


def test_docs_and_schema_are_generated_from_the_registry():
    done = subprocess.run(
        [sys.executable, str(ROOT / "docs" / "generate.py"), "--check"], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 0, done.stdout + done.stderr
    text = (ROOT / "docs" / "findings.md").read_text(encoding="utf-8")
    assert set(re.findall(r"^\| `([A-Z_]+)` \|", text, re.M)) == set(CODES)


def test_finding_codes_are_nowhere_else_as_messages():
    """Report formats and the CLI take titles and messages from the registry only."""
    for path in (ROOT / "sigaudit").rglob("*.py"):
        if path.parent.name == "checks" or path.name == "findings.py":
            continue
        text = path.read_text(encoding="utf-8")
        assert "title_vi" not in text and "title_en" not in text, path


def test_registry_file_is_packaged():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert "data/findings.toml" in pyproject
    assert Path(ROOT / "sigaudit" / "data" / "findings.toml").is_file()
