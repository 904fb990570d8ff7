"""Helpers for the clerks' page tests: a JobStore on the sample's test PKI, a Starlette test client."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest
from conftest import CORPUS, TEST_ROOT

import sigaudit

pytest.importorskip("starlette")
try:  # Starlette's test client is built on httpx2 (httpx before it)
    import httpx2 as httpx
except ImportError:
    httpx = pytest.importorskip("httpx")

from starlette.testclient import TestClient

from sigaudit.web import JobStore, Limits, create_app

BASE = "http://127.0.0.1:8765"
ORIGIN = {"Origin": BASE}
CLEAN = CORPUS / "ubnd-phu-binh" / "KH-45-cai-cach-hanh-chinh.pdf"


def make_store(tmp_path: Path, **limits) -> JobStore:
    tmp_path.mkdir(parents=True, exist_ok=True)
    return JobStore(sigaudit.Settings(trust=(str(TEST_ROOT),)), limits=Limits(**limits), jobs=1, root=tmp_path)


def client_for(store: JobStore, *, host: str = "127.0.0.1", token: str | None = None, base: str = BASE) -> TestClient:
    return TestClient(create_app(store, host=host, token=token), base_url=base)


def new_job(client: TestClient) -> str:
    r = client.post("/api/jobs", headers=ORIGIN)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def upload(client: TestClient, job: str, name: str, body: bytes, headers: dict | None = None):
    from urllib.parse import quote

    return client.post(
        f"/api/jobs/{job}/files", content=body, headers={**ORIGIN, "X-File-Name": quote(name), **(headers or {})}
    )


def run_job(client: TestClient, job: str, timeout: float = 120) -> dict:
    r = client.post(f"/api/jobs/{job}/start", headers=ORIGIN)
    assert r.status_code == 202, r.text
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = client.get(f"/api/jobs/{job}").json()
        if status["state"] in ("done", "failed"):
            return status
        time.sleep(0.1)
    raise AssertionError("the job did not finish")


def zip_bytes(entries: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def store_and_client(**limits):
    """The ``store`` and ``client`` fixtures of a test module, with these limits."""

    @pytest.fixture
    def store(tmp_path):
        s = make_store(tmp_path / "jobs", **limits)
        yield s
        s.close()

    @pytest.fixture
    def client(store):
        with client_for(store) as c:
            yield c

    return store, client
