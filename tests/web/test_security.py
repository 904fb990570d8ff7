"""Every security rule of the clerks' page, each with a test that tries to break it
(sigaudit/web/app.py lists the rules)."""

from __future__ import annotations

import os
import stat
import time
import zipfile
from pathlib import Path

import pytest
from webkit import BASE, CLEAN, ORIGIN, client_for, new_job, run_job, store_and_client, upload, zip_bytes

from sigaudit.web import create_app

store, client = store_and_client(max_files=3, max_file_bytes=300_000, max_total_bytes=700_000, max_jobs=3)


def _files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


# ---------------------------------------------------------------- where it listens, who may ask


def test_an_address_other_than_loopback_needs_a_token(store):
    with pytest.raises(ValueError):
        create_app(store, host="0.0.0.0")
    create_app(store, host="127.0.0.1")  # loopback: no token needed


def test_without_the_token_nothing_answers(store):
    with client_for(store, host="0.0.0.0", token="s3cret-token", base="http://192.168.1.20:8765") as c:
        for method, url in [("GET", "/"), ("GET", "/api/limits"), ("POST", "/api/jobs"), ("GET", "/static/app.js")]:
            r = c.request(method, url)
            assert r.status_code == 401, url
            assert r.json()["message"]["vi"]  # said in Vietnamese (and English)
        assert c.get("/api/limits", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert c.get("/?token=wrong").status_code == 401
        assert c.get("/api/limits", headers={"Authorization": "Bearer s3cret-token"}).status_code == 200
        # the link printed at start-up sets the cookie and drops the token from the address
        r = c.get("/?token=s3cret-token", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/"
        cookie = r.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie
        assert (
            c.get("/").status_code == 200
            and c.post("/api/jobs", headers={"Origin": "http://192.168.1.20:8765"}).status_code == 201
        )


def test_a_foreign_host_name_is_refused(client):
    """DNS rebinding: a page of evil.example whose name now points at 127.0.0.1."""
    for host in ("evil.example", "evil.example:8765", "127.0.0.1.evil.example"):
        r = client.get("/api/limits", headers={"Host": host})
        assert r.status_code == 400, host
    assert client.get("/api/limits", headers={"Host": "localhost:8765"}).status_code == 200


def test_requests_from_another_site_are_refused(client, store):
    for origin in ("http://evil.example", "null", "http://127.0.0.1:9999", "https://127.0.0.1.evil.example"):
        r = client.post("/api/jobs", headers={"Origin": origin})
        assert r.status_code == 403, origin
    r = client.get("/api/limits", headers={"Sec-Fetch-Site": "cross-site"})
    assert r.status_code == 403
    assert client.post("/api/jobs", headers=ORIGIN).status_code == 201
    assert client.post("/api/jobs").status_code == 201  # no Origin: not a browser, not a cross-site request


def test_every_answer_carries_the_security_headers(client):
    job = new_job(client)
    for r in (
        client.get("/"),
        client.get("/static/app.js"),
        client.get(f"/api/jobs/{job}"),
        client.get("/api/jobs/nope"),
    ):
        csp = r.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["cache-control"] == "no-store"
        assert r.headers["referrer-policy"] == "no-referrer"


def test_no_file_path_from_the_client_is_opened(client):
    for url in (
        "/static/../../../../etc/passwd",
        "/static/..%2F..%2Fapp.py",
        "/static/index.html",
        "/static/%2Fetc%2Fpasswd",
    ):
        r = client.get(url)
        assert r.status_code == 404 and "root:" not in r.text, url


# ---------------------------------------------------------------- what it takes


def test_uploaded_names_never_leave_the_jobs_folder(client, store, tmp_path):
    job = new_job(client)
    body = CLEAN.read_bytes()
    names = ["../../../outside.pdf", "/tmp/abs.pdf", "..\\..\\win.pdf", "a/b/../c.pdf"]
    for name in names[:3]:
        assert upload(client, job, name, body).status_code == 201
    stored = _files_under(store.root)
    assert all(s.startswith(f"{job}/") for s in stored)
    assert not (tmp_path / "outside.pdf").exists() and not Path("/tmp/abs.pdf").exists()
    assert {Path(s).name for s in stored} == {"outside.pdf", "abs.pdf", "win.pdf"}


def test_a_file_over_the_size_limit_is_refused_and_not_kept(client, store):
    job = new_job(client)
    r = upload(client, job, "big.pdf", b"%PDF-1.7\n" + b"0" * 400_000)
    assert r.status_code == 413 and r.json()["error"] == "file_too_large" and "MB" in r.json()["message"]["vi"]
    # the same without a declared length (chunked): counted as it arrives

    def chunks():
        for _ in range(50):
            yield b"0" * 10_000

    r = client.post(f"/api/jobs/{job}/files", content=chunks(), headers={**ORIGIN, "X-File-Name": "stream.pdf"})
    assert r.status_code == 413
    assert _files_under(store.root) == set()
    assert upload(client, job, CLEAN.name, CLEAN.read_bytes()).status_code == 201  # the job still works


def test_count_and_total_limits(client, store):
    job = new_job(client)
    body = b"%PDF-1.7\n" + os.urandom(250_000)
    assert upload(client, job, "a.pdf", body).status_code == 201
    assert upload(client, job, "b.pdf", body).status_code == 201
    r = upload(client, job, "c.pdf", body)
    assert r.status_code == 413 and r.json()["error"] == "job_too_large"
    assert upload(client, job, "d.pdf", b"%PDF-1.7\n").status_code == 201
    r = upload(client, job, "e.pdf", b"%PDF-1.7\n")
    assert r.status_code == 413 and r.json()["error"] == "too_many_files"
    assert len(_files_under(store.root)) == 3


def test_too_many_jobs_at_once(client):
    for _ in range(3):
        new_job(client)
    r = client.post("/api/jobs", headers=ORIGIN)
    assert r.status_code == 429 and r.json()["error"] == "too_many_jobs"


def test_zip_entries_never_land_outside_the_jobs_folder(client, store, tmp_path):
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("../../escape.pdf", b"x")
        zf.writestr("/abs/escape.pdf", b"x")
        zf.writestr("C:/win/escape.pdf", b"x")
        zf.writestr("ok/../../../escape2.pdf", b"x")
        link = zipfile.ZipInfo("link.pdf")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
        zf.writestr("1.1/KH.pdf", CLEAN.read_bytes())
    job = new_job(client)
    r = upload(client, job, "ho-so.zip", buf.getvalue())
    assert r.status_code == 201, r.text
    assert r.json()["documents"] == 1
    reasons = sorted(s["reason"] for s in r.json()["skipped"])
    assert reasons == ["link", "outside", "outside", "outside", "outside"]
    assert all(s["message"]["vi"] for s in r.json()["skipped"])
    assert _files_under(store.root) == {f"{job}/files/ho-so/1.1/KH.pdf"}
    assert not list(tmp_path.rglob("escape*.pdf"))
    status = run_job(client, job)
    assert [d["path"] for d in status["documents"]] == ["1.1/KH.pdf"]
    assert len(status["skipped"]) == 5


def test_zip_bombs_are_refused(client, store):
    job = new_job(client)
    bomb = zip_bytes({"bomb.pdf": b"\0" * 5_000_000})  # 5 MB of zeros packs to ~5 kB
    r = upload(client, job, "bomb.zip", bomb)
    assert r.status_code == 413 and r.json()["error"] in ("zip_bomb", "file_too_large", "job_too_large")
    assert _files_under(store.root) == set()
    many = zip_bytes({f"{i}.pdf": b"%PDF" for i in range(10)})
    r = upload(client, job, "many.zip", many)
    assert r.status_code == 413 and r.json()["error"] == "too_many_files"
    assert _files_under(store.root) == set()
    r = upload(client, job, "hong.zip", b"PK\x03\x04 not really a zip")
    assert r.status_code == 400 and r.json()["error"] == "bad_zip"


# ---------------------------------------------------------------- how long it keeps files


def test_uploads_are_deleted_once_audited_and_results_after_the_timeout(client, store):
    job = new_job(client)
    upload(client, job, CLEAN.name, CLEAN.read_bytes())
    run_job(client, job)
    assert _files_under(store.root) == set()  # the files went as soon as they were read
    assert client.get(f"/api/jobs/{job}/report.json").status_code == 200
    store.expire(now=time.monotonic() + store.limits.ttl_seconds + 1)
    assert client.get(f"/api/jobs/{job}").status_code == 404
    assert not (store.root / job).exists()


def test_an_abandoned_upload_is_deleted_after_the_timeout(client, store):
    job = new_job(client)
    upload(client, job, CLEAN.name, CLEAN.read_bytes())
    assert _files_under(store.root)
    store.expire(now=time.monotonic() + store.limits.ttl_seconds + 1)
    assert not store.root.exists() or _files_under(store.root) == set()


def test_results_are_not_cached_by_proxies(client):
    job = new_job(client)
    upload(client, job, CLEAN.name, CLEAN.read_bytes())
    run_job(client, job)
    for url in (f"/api/jobs/{job}", f"/api/jobs/{job}/report.html", f"/api/jobs/{job}/report.xlsx"):
        assert client.get(url).headers["cache-control"] == "no-store", url


def test_base_url_is_the_one_the_tests_use():
    assert BASE.startswith("http://127.0.0.1")
