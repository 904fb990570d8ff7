"""The public Python API: audit(), inspect(), streaming, frozen results."""

from __future__ import annotations

import dataclasses

import pytest
from conftest import CORPUS, TEST_ROOT

import sigaudit

CLEAN = CORPUS / "ubnd-phu-binh/KH-45-cai-cach-hanh-chinh.pdf"


def test_inspect_path_and_bytes_agree(settings):
    from_path = sigaudit.inspect(CLEAN, settings=settings)
    from_bytes = sigaudit.inspect(CLEAN.read_bytes(), settings=settings, name=CLEAN.name)
    assert from_path.findings == from_bytes.findings == ()
    assert from_path.evidence == from_bytes.evidence


def test_results_are_frozen(settings):
    result = sigaudit.inspect(CLEAN, settings=settings)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.office = "x"  # type: ignore[misc]


def test_report_iterates_as_a_stream_of_documents(corpus_report):
    assert [d.path for d in corpus_report] == [d.path for d in corpus_report.documents]


def test_iter_audit_yields_every_document(settings, corpus_report):
    streamed = sorted(r.path for r in sigaudit.iter_audit([CORPUS], settings=settings))
    assert streamed == [d.path for d in corpus_report.documents]


def test_without_trust_roots_trust_is_unknown_not_false_and_never_passes():
    result = sigaudit.inspect(CLEAN, settings=sigaudit.Settings(trust=()))
    assert {s.trusted for s in result.evidence.signatures} == {None}
    codes = {f.code for f in result.findings}
    assert "CERT_UNTRUSTED" not in codes and "CHAIN_NOT_CHECKED" in codes
    assert result.verdict is sigaudit.Verdict.INCONCLUSIVE and result.signed


def test_trust_is_checked_by_default_against_the_vietnamese_roots():
    # The sample's test PKI is not a Vietnamese root: by default its chain is checked and fails.
    assert sigaudit.Settings().trust == ("vn",)
    result = sigaudit.inspect(CLEAN)
    assert {s.trusted for s in result.evidence.signatures} == {False}
    assert "CERT_UNTRUSTED" in {f.code for f in result.findings}
    assert result.verdict is sigaudit.Verdict.FAIL and not result.signed


def test_one_trust_source_may_be_given_as_a_string_or_a_path():
    # Iterated, the string would be one source per character ("/" among them: the whole disk).
    for one in (str(TEST_ROOT), TEST_ROOT):
        settings = sigaudit.Settings(trust=one, signer_kinds=[["USB Token 0042", "person"]], ocr="off")
        assert settings.trust == (str(TEST_ROOT),) and settings.signer_kinds == (("USB Token 0042", "person"),)
        assert hash(settings) == hash(
            sigaudit.Settings(trust=(str(TEST_ROOT),), signer_kinds=settings.signer_kinds, ocr="off")
        )
        result = sigaudit.inspect(CLEAN, settings=settings)
        assert {s.trusted for s in result.evidence.signatures} == {True}


def test_sequential_and_parallel_runs_agree(settings):
    one = sigaudit.audit(CORPUS / "ubnd-phu-binh", settings=settings, jobs=1)
    two = sigaudit.audit(CORPUS / "ubnd-phu-binh", settings=settings, jobs=2)
    assert [(d.path, d.findings, d.evidence) for d in one] == [(d.path, d.findings, d.evidence) for d in two]


def test_bad_settings_fail_once_with_a_clear_error():
    with pytest.raises(sigaudit.UsageError, match="time zone"):
        sigaudit.audit(CORPUS, settings=sigaudit.Settings(tz="Mars/Olympus"))
    with pytest.raises(sigaudit.TrustConfigError, match="neither"):
        sigaudit.audit(CORPUS, settings=sigaudit.Settings(trust=("no-such-bundle",)))


def test_a_file_argument_is_named_by_its_file_name(settings):
    report = sigaudit.audit([CLEAN, TEST_ROOT], settings=settings)
    names = {d.path: d for d in report}
    assert set(names) == {CLEAN.name, TEST_ROOT.name}
    assert names[TEST_ROOT.name].evidence.error.code == "UNREADABLE_PDF"


def test_parallel_api_works_from_code_without_a_main_file(tmp_path):
    # A notebook cell or `python -` has no main module file to import again in workers.
    code = (
        "import sigaudit\n"
        f"r = sigaudit.audit([{str(CORPUS / 'ubnd-phu-binh')!r}], settings=sigaudit.Settings(trust=({str(TEST_ROOT)!r},)), jobs=2)\n"
        "print(sum(d.evidence.error is None for d in r), len(r.documents))\n"
    )
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-"], input=code, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    ok, total = map(int, done.stdout.split())
    assert ok == total == 7


@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_a_script_without_a_main_guard_runs_under_spawn(tmp_path, method):
    """Windows and macOS start workers by importing the caller's script again: a script with
    no ``if __name__ == "__main__":`` guard must still get its documents audited."""
    import json
    import os
    import subprocess
    import sys

    script = tmp_path / "run.py"
    script.write_text(
        "import json, sigaudit\n"
        f"r = sigaudit.audit({str(CORPUS / 'ubnd-phu-binh')!r}, jobs=2,"
        f" settings=sigaudit.Settings(trust=({str(TEST_ROOT)!r},)))\n"
        "print(json.dumps([d.evidence.error.code if d.evidence.error else None for d in r]))\n",
        encoding="utf-8",
    )
    env = {**os.environ, "SIGAUDIT_START_METHOD": method}
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    errors = json.loads(done.stdout.strip().splitlines()[-1])
    assert errors and all(e is None for e in errors), errors


def test_library_use_prints_nothing_of_pdfiums_chatter():
    """An XFA form (EU DSS's DSS-2601) makes pypdfium2 log a warning about its build; from
    code that configured no logging Python printed it on the terminal.  What users see is
    sigaudit's: the records still reach a handler the application sets up."""
    import subprocess
    import sys

    from conftest import DSS

    xfa = DSS / "DSS-2601.pdf"
    if not xfa.is_file():
        pytest.skip("../shared/realworld/dss is not present")
    code = (
        "import sigaudit\n"
        f"r = sigaudit.inspect(open({str(xfa)!r}, 'rb').read(), settings=sigaudit.Settings(trust=('vn',), ocr='off'))\n"
        "print(r.verdict.value)\n"
    )
    done = subprocess.run([sys.executable, "-"], input=code, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and done.stdout.strip(), done.stderr
    assert done.stderr == ""
