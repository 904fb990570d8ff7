"""Bounded work per file, crashed workers, interrupted runs, no network (issue #7)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from conftest import CORPUS, TEST_ROOT

import sigaudit
from sigaudit.evidence import document
from sigaudit.findings import say


def test_a_file_above_the_size_limit_is_a_resource_limit_entry(tmp_path):
    big = tmp_path / "big.pdf"
    big.write_bytes(b"%PDF-1.7\n" + b"0" * (2 * 1024 * 1024))
    report = sigaudit.audit(tmp_path, settings=sigaudit.Settings(max_file_mb=1))
    (doc,) = report.documents
    assert doc.evidence.error.code == "RESOURCE_LIMIT" and "1 MB limit" in say(doc.evidence.error.problem, "en")


def test_the_time_limit_interrupts_one_document(tmp_path, monkeypatch):
    shutil.copy(CORPUS / "ubnd-phu-binh/KH-45-cai-cach-hanh-chinh.pdf", tmp_path / "slow.pdf")
    shutil.copy(CORPUS / "ubnd-phu-binh/TB-02-leading-zeros.pdf", tmp_path / "fast.pdf")
    real = document.inspect_bytes

    def slow(data, **kw):
        if kw["path"] == "slow.pdf":
            while True:  # a parser stuck in a loop
                pass
        return real(data, **kw)

    monkeypatch.setattr(document, "inspect_bytes", slow)
    report = sigaudit.audit(tmp_path, settings=sigaudit.Settings(max_seconds=1))
    by = {d.path: d for d in report}
    assert by["slow.pdf"].evidence.error.code == "RESOURCE_LIMIT"
    assert by["fast.pdf"].evidence.error is None


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_parent_stops_a_document_beyond_the_time_limit(tmp_path, monkeypatch, jobs):
    """As on Windows (no SIGALRM): the worker has no timer of its own; the parent sees the
    document run past --max-seconds, stops its worker, reports it, and the documents in
    flight beside it are audited by a new worker."""
    import time

    shutil.copy(CORPUS / "ubnd-phu-binh/KH-45-cai-cach-hanh-chinh.pdf", tmp_path / "stuck.pdf")
    for name in ("a.pdf", "b.pdf", "c.pdf"):
        shutil.copy(CORPUS / "ubnd-phu-binh/TB-02-leading-zeros.pdf", tmp_path / name)
    real = document.inspect_bytes

    def stuck(data, **kw):
        if kw["path"] == "stuck.pdf":
            time.sleep(600)  # work that nothing inside the worker interrupts
        return real(data, **kw)

    monkeypatch.setattr(document, "inspect_bytes", stuck)  # inherited by forked workers
    monkeypatch.setenv("SIGAUDIT_WORKER_TIMER", "0")
    began = time.monotonic()
    report = sigaudit.audit(tmp_path, settings=sigaudit.Settings(max_seconds=1), jobs=jobs)
    assert time.monotonic() - began < 60
    by = {d.path: d for d in report}
    assert sorted(by) == ["a.pdf", "b.pdf", "c.pdf", "stuck.pdf"]
    assert by["stuck.pdf"].evidence.error.code == "RESOURCE_LIMIT"
    assert (
        say(by["stuck.pdf"].evidence.error.problem, "en") == "Auditing the file took longer than 1 s (--max-seconds)."
    )
    assert all(by[n].evidence.error is None for n in ("a.pdf", "b.pdf", "c.pdf"))


def test_a_decompression_bomb_hits_the_memory_limit_in_a_worker(tmp_path, monkeypatch):
    import zlib

    bomb = zlib.compress(b"\0" * (600 * 1024 * 1024), 9)  # 600 MB of zeros in ~600 kB
    head = (
        b"%PDF-1.7\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 600 800]/Contents 4 0 R>>endobj\n"
    )
    stream = b"4 0 obj<</Length " + str(len(bomb)).encode() + b"/Filter/FlateDecode>>stream\n"
    pdf = head + stream + bomb + b"\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    (tmp_path / "bomb.pdf").write_bytes(pdf)
    shutil.copy(CORPUS / "ubnd-phu-binh/TB-02-leading-zeros.pdf", tmp_path / "fine.pdf")
    monkeypatch.setenv("SIGAUDIT_START_METHOD", "forkserver")  # workers that do not carry pytest's memory
    settings = sigaudit.Settings(trust=(), max_memory_mb=400, max_seconds=60)  # the bomb, not the chains
    report = sigaudit.audit(tmp_path, settings=settings, jobs=2)
    by = {d.path: d for d in report}
    assert by["fine.pdf"].evidence.error is None
    bomb_doc = by["bomb.pdf"]
    # bounded either way: refused for memory, or read without inflating the bomb
    assert bomb_doc.evidence.error is None or bomb_doc.evidence.error.code in ("RESOURCE_LIMIT", "UNREADABLE_PDF")


def test_a_worker_crash_costs_only_its_document(tmp_path, monkeypatch):
    for name in ("a.pdf", "b.pdf", "c.pdf", "killer.pdf"):
        shutil.copy(CORPUS / "ubnd-phu-binh/TB-02-leading-zeros.pdf", tmp_path / name)
    real = document.inspect_path

    def crashing(path, **kw):
        if path.endswith("killer.pdf"):
            os._exit(70)  # as a segfault would
        return real(path, **kw)

    monkeypatch.setattr(document, "inspect_path", crashing)  # inherited by forked workers
    report = sigaudit.audit(tmp_path, jobs=2)
    by = {d.path: d for d in report}
    assert sorted(by) == ["a.pdf", "b.pdf", "c.pdf", "killer.pdf"]
    assert by["killer.pdf"].evidence.error.code == "INTERNAL_ERROR" and "twice" in say(
        by["killer.pdf"].evidence.error.problem, "en"
    )
    assert all(by[n].evidence.error is None for n in ("a.pdf", "b.pdf", "c.pdf"))


@pytest.mark.skipif(
    subprocess.run(["unshare", "-rn", "true"], capture_output=True).returncode != 0
    if shutil.which("unshare")
    else True,
    reason="cannot run without network here (unshare -rn)",
)
def test_the_audit_runs_with_networking_denied(tmp_path):
    # A network namespace with no interface: any connection attempt fails.  The run must
    # not need one (and --online is the only way to ask for one).
    proc = subprocess.run(
        [
            "unshare",
            "-rn",
            sys.executable,
            "-m",
            "sigaudit",
            str(CORPUS),
            "--trust",
            str(TEST_ROOT),
            "--no-cache",
            "--jobs",
            "2",
            "-o",
            str(tmp_path / "r.json"),
            "--log-file",
            str(tmp_path / "log.txt"),
            "-v",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 1, proc.stderr
    log = (tmp_path / "log.txt").read_text(encoding="utf-8")
    assert "Network is unreachable" not in log and "fetch" not in log.lower()
    import json

    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert len(report["documents"]) == len(list(CORPUS.rglob("*.pdf")))


def test_interrupted_run_keeps_the_previous_report_and_names_what_was_left(tmp_path):
    import signal
    import time

    out = tmp_path / "report.json"
    out.write_text('{"previous": true}', encoding="utf-8")
    folder = tmp_path / "many"
    for copy in range(12):  # enough documents that the run is still going when interrupted
        shutil.copytree(CORPUS, folder / f"copy{copy}")
    for jobs, lang in (("1", "en"), ("2", "vi")):
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "sigaudit",
                str(folder),
                "--no-cache",
                "--jobs",
                jobs,
                "-o",
                str(out),
                "--lang",
                lang,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(3)
        proc.send_signal(signal.SIGINT)
        asked = time.monotonic()
        _, err = proc.communicate(timeout=120)
        if proc.returncode != 130:
            pytest.skip("the run finished before it could be interrupted")
        # It ends promptly, workers included (no waiting for the documents in flight).
        assert time.monotonic() - asked < 15
        assert out.read_text(encoding="utf-8") == '{"previous": true}'
        if lang == "en":
            assert "not audited" in err and "previous report" in err and "interrupted after" in err
        else:
            assert "chưa được kiểm tra" in err and "báo cáo trước" in err and "đã dừng sau" in err


def _pdf(objects: list[bytes], root: int = 1) -> bytes:
    """A small hand-made PDF with a correct xref (not from the fixture generator)."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


def test_hostile_structures_are_reported_not_fatal(tmp_path):
    cyclic_pages = _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Pages /Kids [2 0 R] /Count 1 /Parent 2 0 R >>",
        ]
    )
    reference_loop = _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /AcroForm 4 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>",
            b"<< /Fields [5 0 R] >>",
            b"<< /FT /Sig /T (a) /Kids [5 0 R] /Parent 5 0 R /V 5 0 R >>",
        ]
    )
    many = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>",
    ] + [b"<< /N %d >>" % i for i in range(100_000)]
    (tmp_path / "cyclic-pages.pdf").write_bytes(cyclic_pages)
    (tmp_path / "reference-loop.pdf").write_bytes(reference_loop)
    (tmp_path / "100000-objects.pdf").write_bytes(_pdf(many))
    (tmp_path / "loop").mkdir()
    os.symlink(tmp_path / "loop", tmp_path / "loop" / "again")  # a symlink loop in the folder
    report = sigaudit.audit(tmp_path, settings=sigaudit.Settings(max_seconds=60), jobs=2)
    assert sorted(d.path for d in report) == ["100000-objects.pdf", "cyclic-pages.pdf", "reference-loop.pdf"]
    for d in report:
        assert d.findings, d.path  # each says something (unsigned, unreadable…), none crashed the run
        assert not (d.evidence.error and d.evidence.error.code == "INTERNAL_ERROR"), d.path
