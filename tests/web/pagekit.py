"""A real server (uvicorn on a free port, in a thread) and the page in headless Chromium
(Debian's ``chromium`` driven by Playwright), for tests and for docs/web_screenshots.py."""

from __future__ import annotations

import base64
import contextlib
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@contextlib.contextmanager
def running_server(store: Any) -> Iterator[str]:
    import uvicorn

    from sigaudit.web import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(store), host="127.0.0.1", port=port, log_level="warning", log_config=None)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.should_exit = True
        thread.join(10)


@contextlib.contextmanager
def browser_page(width: int = 1280, height: int = 900) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox", "--disable-dev-shm-usage"])
        try:
            context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
            yield context.new_page()
        finally:
            browser.close()


DROP = """
([files]) => {
  const dt = new DataTransfer();
  for (const f of files) {
    const bytes = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0));
    dt.items.add(new File([bytes], f.name, { type: "application/pdf" }));
  }
  const zone = document.getElementById("drop");
  zone.dispatchEvent(new DragEvent("dragenter", { dataTransfer: dt, bubbles: true, cancelable: true }));
  zone.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
}
"""


def drop_files(page: Any, files: list[Path]) -> None:
    """Drop ``files`` on the page's drop zone as a person drags them from a folder."""
    payload = [{"name": f.name, "b64": base64.b64encode(f.read_bytes()).decode()} for f in files]
    page.evaluate(DROP, [payload])


def sideways_overflow(page: Any) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
