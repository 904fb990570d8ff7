"""``python -m sigaudit serve`` as a clerk or the office's IT staff starts it."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time

import pytest
from webkit import httpx

pytest.importorskip("uvicorn")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(*args: str) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "sigaudit", "serve", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "LANG": "vi_VN.UTF-8"},
    )
    line = proc.stdout.readline()
    return proc, line


def _wait(url: str, **kw) -> httpx.Response:
    deadline = time.monotonic() + 20
    while True:
        try:
            return httpx.get(url, **kw)
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_serve_on_this_machine_prints_the_link_and_answers():
    port = _free_port()
    proc, line = _start("--port", str(port))
    try:
        assert f"http://127.0.0.1:{port}/" in line and "Ctrl+C" in line, line
        page = _wait(f"http://127.0.0.1:{port}/")
        assert page.status_code == 200 and "Kiểm tra văn bản ký số" in page.text
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(20)
    assert "Traceback" not in proc.stderr.read()


def test_serve_on_the_network_needs_the_printed_token():
    port = _free_port()
    proc, line = _start("--host", "0.0.0.0", "--port", str(port))
    try:
        link = re.search(r"http://\S+", line).group(0)
        token = link.split("token=", 1)[1]
        assert len(token) >= 24
        assert _wait(f"http://127.0.0.1:{port}/api/limits").status_code == 401
        ok = httpx.get(f"http://127.0.0.1:{port}/api/limits", headers={"Authorization": f"Bearer {token}"})
        assert ok.status_code == 200
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(20)


def test_a_busy_port_is_a_plain_sentence():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        proc = subprocess.run(
            [sys.executable, "-m", "sigaudit", "serve", "--port", str(port)], capture_output=True, text=True, timeout=60
        )
    assert proc.returncode == 2
    assert f"Cổng {port} đang được dùng" in proc.stderr and "Traceback" not in proc.stderr
