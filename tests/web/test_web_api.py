"""The page's API: upload, progress, results, downloads — the same verdicts as the command line."""

from __future__ import annotations

import io
import json

import openpyxl
from conftest import CORPUS, TEST_ROOT
from webkit import CLEAN, ORIGIN, new_job, run_job, store_and_client, upload, zip_bytes

import sigaudit

store, client = store_and_client()


def test_two_files_two_verdicts_with_reasons_and_fixes(client):
    job = new_job(client)
    bad = CORPUS / "ubnd-xa-tan-khanh" / "QD-06-modified-after-signing.pdf"
    assert upload(client, job, CLEAN.name, CLEAN.read_bytes()).status_code == 201
    assert upload(client, job, bad.name, bad.read_bytes()).status_code == 201
    status = run_job(client, job)
    assert status["state"] == "done" and status["total"] == 2 and status["done"] == 2
    docs = {d["path"]: d for d in status["documents"]}
    assert docs[CLEAN.name]["verdict"] == "pass" and docs[CLEAN.name]["verdict_label"]["vi"] == "ĐẠT"
    failed = docs[bad.name]
    assert failed["verdict"] == "fail" and failed["verdict_label"] == {"vi": "KHÔNG ĐẠT", "en": "FAIL"}
    errors = [f for f in failed["findings"] if f["severity"] == "error"]
    assert errors and all(f["message_vi"] and f["fix_vi"] and f["fix"] for f in errors)
    # polling from a position gives only what came after it
    assert client.get(f"/api/jobs/{job}?since=1").json()["documents"] == status["documents"][1:]


def test_bundled_sample_as_a_zip_gives_the_command_lines_verdicts(client):
    """The sample (fixtures/corpus), zipped as a clerk would, audited by the page and by
    ``sigaudit.audit`` on the folder: the same documents, verdicts and finding codes."""
    entries = {p.relative_to(CORPUS).as_posix(): p.read_bytes() for p in sorted(CORPUS.rglob("*.pdf"))}
    job = new_job(client)
    r = upload(client, job, "ho-so.zip", zip_bytes(entries))
    assert r.status_code == 201 and r.json()["documents"] == len(entries)
    status = run_job(client, job, timeout=300)
    page = {d["path"]: (d["verdict"], sorted(f["code"] for f in d["findings"])) for d in status["documents"]}
    cli = sigaudit.audit(CORPUS, settings=sigaudit.Settings(trust=(str(TEST_ROOT),)))
    expected = {d.path: (d.verdict.value, sorted(f.code for f in d.findings)) for d in cli.documents}
    assert page == expected
    assert {"pass", "fail"} <= {v for v, _ in page.values()}


def test_downloads_are_the_command_lines_reports(client, tmp_path):
    job = new_job(client)
    upload(client, job, CLEAN.name, CLEAN.read_bytes())
    run_job(client, job)
    r = client.get(f"/api/jobs/{job}/report.json")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    report = json.loads(r.content)
    assert [d["path"] for d in report["documents"]] == [CLEAN.name]
    r = client.get(f"/api/jobs/{job}/report.xlsx?lang=vi")
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    assert "Văn bản" in book.sheetnames
    r = client.get(f"/api/jobs/{job}/report.html?lang=en")
    assert r.headers["content-type"].startswith("text/html") and CLEAN.name in r.text and 'lang="en"' in r.text
    assert client.get(f"/api/jobs/{job}/report.exe").status_code == 404


def test_bad_input_gets_a_verdict_and_the_server_keeps_working(client):
    """A file that is not a PDF, an empty file, an encrypted and a broken PDF: each is a
    document with the command line's verdict; the next job works."""
    broken = CORPUS / "broken" / "truncated.pdf"
    encrypted = CORPUS / "broken" / "encrypted.pdf"
    docx = zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
    files = [
        ("ghi-chu.docx", docx),  # a Word file is a zip inside: still one document, not unpacked
        ("rong.pdf", b""),
        (broken.name, broken.read_bytes()),
        (encrypted.name, encrypted.read_bytes()),
    ]
    job = new_job(client)
    for name, body in files:
        r = upload(client, job, name, body)
        assert r.status_code == 201 and not r.json()["zip"], name
    status = run_job(client, job)
    verdicts = {d["path"]: d for d in status["documents"]}
    assert set(verdicts) == {name for name, _ in files} and status["skipped"] == []
    assert all(d["verdict"] == "fail" and d["error"] for d in verdicts.values())
    assert all(d["error"]["message_vi"] for d in verdicts.values())
    cli = sigaudit.audit([broken, encrypted], settings=sigaudit.Settings(trust=(str(TEST_ROOT),)))
    for doc in cli.documents:  # the command line's code for the same file
        assert verdicts[doc.path]["error"]["code"] == doc.evidence.error.code
    job2 = new_job(client)
    upload(client, job2, CLEAN.name, CLEAN.read_bytes())
    assert run_job(client, job2)["documents"][0]["verdict"] == "pass"


def test_results_are_not_ready_before_the_audit_and_jobs_can_be_deleted(client, store):
    job = new_job(client)
    assert client.get(f"/api/jobs/{job}/report.html").status_code == 409
    assert client.post(f"/api/jobs/{job}/start", headers=ORIGIN).status_code == 409  # nothing to check
    assert client.delete(f"/api/jobs/{job}", headers=ORIGIN).status_code == 204
    assert client.get(f"/api/jobs/{job}").status_code == 404
    assert not (store.root / job).exists()


def test_the_page_and_its_files_are_served_without_any_outside_source(client):
    page = client.get("/")
    assert page.status_code == 200 and "<html" in page.text
    assert "http://" not in page.text and "https://" not in page.text
    for name in ("app.js", "app.css"):
        r = client.get(f"/static/{name}")
        assert r.status_code == 200 and "http://" not in r.text and "https://" not in r.text


def test_a_check_starts_only_when_its_uploads_have_arrived(store):
    from sigaudit.web.uploads import UploadRefused

    job = store.create()
    incoming = store.receive(job, "KH.pdf")
    incoming.write(CLEAN.read_bytes()[:1000])
    try:
        store.start(job)
    except UploadRefused as exc:
        assert exc.key == "job_busy"
    else:
        raise AssertionError("a job started while a file was still arriving")
    incoming.write(CLEAN.read_bytes()[1000:])
    assert incoming.finish()["documents"] == 1
    store.start(job)
    assert job.state in ("queued", "running", "done")
