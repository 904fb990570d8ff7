"""The clerks' page: ``python -m sigaudit serve`` (``pip install 'sigaudit[web]'``).

``create_app`` (``app.py``) is the ASGI app; ``JobStore`` (``jobs.py``) receives files and
runs the same ``audit()`` as the command line; ``uploads.py`` holds the limits and the safe
handling of names and zip archives.  docs/web.md describes the page and its security rules.
"""

from __future__ import annotations

import logging
import secrets
import socket
import sys
import threading
import webbrowser
from typing import Any

from sigaudit.model import Settings
from sigaudit.web.app import create_app, is_loopback
from sigaudit.web.jobs import JobStore
from sigaudit.web.uploads import Limits

__all__ = ["JobStore", "Limits", "create_app", "serve"]

log = logging.getLogger(__name__)


def serve(
    settings: Settings,
    *,
    host: str = "127.0.0.1",
    port: int = 8765,
    open_browser: bool = False,
    jobs: int = 1,
    cache: Any = None,
    rules: Any = None,
    lang: str = "vi",
    limits: Limits | None = None,
) -> int:
    """Serve the page until Ctrl+C.  On an address other than loopback a token is made and
    printed inside the link; without it the server answers nothing."""
    import uvicorn

    from sigaudit.audit import validate_settings
    from sigaudit.errors import say
    from sigaudit.rules import load_rules

    validate_settings(settings)
    ruleset = load_rules(rules) if rules else None  # a bad rule set is a usage error now, not per job
    try:
        with socket.create_server((host, port)):
            pass
    except OSError:
        print(f"sigaudit: {say('port_busy', lang, port=port)}", file=sys.stderr)
        return 2
    token = None if is_loopback(host) else secrets.token_urlsafe(24)
    store = JobStore(settings, limits=limits, jobs=jobs, cache=cache, rules=ruleset)
    app = create_app(store, host=host, token=token)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    shown = f"[{shown}]" if ":" in shown else shown
    url = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
    print(say("serving", lang, url=url), flush=True)
    if token:
        print(say("serving_token", lang), flush=True)
    if open_browser:
        threading.Timer(0.8, webbrowser.open, args=(url,)).start()
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, log_config=None)
    finally:
        store.close()
    return 0
