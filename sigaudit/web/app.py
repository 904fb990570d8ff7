"""The clerks' page: a Starlette app (``python -m sigaudit serve``, docs/web.md).

Routes (all answers ``Cache-Control: no-store``):

- ``GET /``: the page (``static/index.html``, its script and style from ``/static/``; no
  CDN, works offline).  ``/?token=…`` sets the access cookie and redirects to ``/``.
- ``POST /api/jobs``: a new check → ``{"id"}``.
- ``POST /api/jobs/{id}/files``: one file as the raw body, its name in ``X-File-Name``
  (percent-encoded); a zip archive is unpacked.
- ``POST /api/jobs/{id}/start``; ``GET /api/jobs/{id}?since=N``: state and the documents
  finished from the N-th on; ``GET /api/jobs/{id}/report.{html,xlsx,json}?lang=vi|en``;
  ``DELETE /api/jobs/{id}``.

Security (each rule has a test in tests/web/test_security.py): the Host header must name
this server (DNS rebinding); a request that carries an ``Origin`` must come from this
server's own origin (cross-site requests); on an address other than loopback every request
needs the token printed at start-up (cookie, ``Authorization: Bearer`` or ``?token=`` on the
page); uploads are limited in count and size (``uploads.Limits``); a strict
Content-Security-Policy, ``nosniff``, no framing, no referrer.
"""

from __future__ import annotations

import hmac
import io
import ipaddress
import json
import logging
import urllib.parse
from importlib import resources
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from sigaudit.web.jobs import JobStore, both, register_notes
from sigaudit.web.uploads import UploadRefused

log = logging.getLogger(__name__)

COOKIE = "sigaudit_token"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
]
STATIC = {"app.js": "text/javascript; charset=utf-8", "app.css": "text/css; charset=utf-8"}
DOWNLOADS = {"html": "text/html; charset=utf-8", "xlsx": None, "json": "application/json; charset=utf-8"}


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _lang(request: Request) -> str:
    wanted = request.query_params.get("lang") or request.headers.get("accept-language", "vi")
    return "en" if wanted.lower().startswith("en") else "vi"


def refusal(status: int, key: str, **params: Any) -> JSONResponse:
    """A refusal the page shows in either language."""
    return JSONResponse({"error": key, "message": both(key, **params)}, status_code=status)


class Guard:
    """ASGI middleware: Host, Origin and token checks, and the security headers."""

    def __init__(self, app: Any, *, hosts: set[str] | None, token: str | None) -> None:
        self.app, self.hosts, self.token = app, hosts, token

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def secured(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k, v) for k, v in SECURITY_HEADERS if k not in names
                ]
            await send(message)

        request = Request(scope)
        problem = self._problem(request)
        if problem is not None:
            await problem(scope, receive, secured)
            return
        await self.app(scope, receive, secured)

    def _problem(self, request: Request) -> Response | None:
        host = request.headers.get("host", "")
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if self.hosts is not None and name.lower() not in self.hosts:
            return refusal(400, "host", host=host[:100])
        origin = request.headers.get("origin")
        if origin is not None and request.method not in ("GET", "HEAD"):
            own = {f"http://{host}", f"https://{host}"}
            if origin not in own:
                return refusal(403, "origin")
        if request.headers.get("sec-fetch-site") == "cross-site" and request.url.path.startswith("/api/"):
            return refusal(403, "origin")
        if self.token is not None:
            given = request.cookies.get(COOKIE) or ""
            auth = request.headers.get("authorization", "")
            if auth.lower().startswith("bearer "):
                given = auth[7:].strip()
            if request.url.path == "/" and request.query_params.get("token"):
                given = request.query_params["token"]
            if not hmac.compare_digest(given.encode(), self.token.encode()):
                return refusal(401, "token")
        return None


def create_app(store: JobStore, *, host: str = "127.0.0.1", token: str | None = None) -> Any:
    """The page's ASGI app for ``store``.  ``host``: the address served; on one that is not
    loopback ``token`` is required (``serve`` makes one)."""
    if not is_loopback(host) and not token:
        raise ValueError("a token is required on an address other than loopback")
    # On loopback only this machine's names (a page elsewhere whose name now points here, DNS
    # rebinding, is refused); elsewhere any name the office uses for this machine, the token
    # guards it (a rebound page has neither the token nor the cookie).
    hosts: set[str] | None = {"127.0.0.1", "localhost", "[::1]", "::1"} if is_loopback(host) else None

    async def page(request: Request) -> Response:
        if request.query_params.get("token") and token:
            response = RedirectResponse("/", status_code=303)
            response.set_cookie(COOKIE, token, httponly=True, samesite="strict", path="/")
            return response
        html = resources.files("sigaudit.web").joinpath("static/index.html").read_text(encoding="utf-8")
        return Response(html, media_type="text/html; charset=utf-8")

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:  # a fixed list: no path from the client is ever opened
            return Response("", status_code=404)
        body = resources.files("sigaudit.web").joinpath(f"static/{name}").read_bytes()
        return Response(body, media_type=STATIC[name])

    async def limits(request: Request) -> Response:
        lim = store.limits
        return JSONResponse(
            {
                "max_files": lim.max_files,
                "max_file_mb": lim.max_file_bytes // (1024 * 1024),
                "max_total_mb": lim.max_total_bytes // (1024 * 1024),
                "trust": list(store.settings.trust),
            }
        )

    async def new_job(request: Request) -> Response:
        try:
            job = store.create()
        except UploadRefused as exc:
            return refusal(429, exc.key, **exc.params)
        return JSONResponse({"id": job.id}, status_code=201)

    def _job(request: Request) -> Any:
        return store.get(request.path_params["job"])

    async def upload(request: Request) -> Response:
        job = _job(request)
        if job is None:
            return refusal(404, "no_job")
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > store.limits.max_file_bytes:
            return refusal(413, "file_too_large", limit_mb=store.limits.max_file_bytes // (1024 * 1024))
        name = urllib.parse.unquote(request.headers.get("x-file-name", ""))
        try:
            incoming = store.receive(job, name)
        except UploadRefused as exc:
            return refusal(413 if "large" in exc.key or "many" in exc.key else 409, exc.key, **exc.params)
        try:
            async for chunk in request.stream():
                incoming.write(chunk)
            done = await run_in_threadpool(incoming.finish)
        except UploadRefused as exc:
            incoming.abort()
            status = 413 if exc.key in ("file_too_large", "job_too_large", "too_many_files", "zip_bomb") else 400
            return refusal(status, exc.key, **exc.params)
        except BaseException:
            incoming.abort()
            raise
        return JSONResponse(done, status_code=201)

    async def start(request: Request) -> Response:
        job = _job(request)
        if job is None:
            return refusal(404, "no_job")
        try:
            store.start(job)
        except UploadRefused as exc:
            return refusal(409, exc.key, **exc.params)
        return JSONResponse({"state": job.state}, status_code=202)

    async def status(request: Request) -> Response:
        job = _job(request)
        if job is None:
            return refusal(404, "no_job")
        since = request.query_params.get("since", "0")
        first = int(since) if since.isdigit() else 0
        # once done, the documents as the register left them (its findings join at the end)
        documents = (job.final if job.state == "done" and job.final is not None else job.documents)[first:]
        body: dict[str, Any] = {
            "state": job.state,
            "total": job.total,
            "done": first + len(documents),
            "documents": documents,
            "skipped": job.skipped,
        }
        if job.state == "done" and job.report is not None:
            body["summary"] = job.report.summary()
            body["register"] = register_notes(job.report)
            if job.final is not None:
                body["final"] = job.final
        if job.state == "failed":
            body["message"] = both("failed")
        return Response(json.dumps(body, ensure_ascii=False, default=str), media_type="application/json")

    async def report(request: Request) -> Response:
        job = _job(request)
        if job is None:
            return refusal(404, "no_job")
        fmt = request.path_params["fmt"]
        if fmt not in DOWNLOADS:
            return refusal(404, "unknown_format", format=fmt[:20])
        if job.state != "done" or job.report is None:
            return refusal(409, "not_ready")
        lang = _lang(request)
        body, media = await run_in_threadpool(_render, job.report, fmt, lang)
        name = f"sigaudit-{'bao-cao' if lang == 'vi' else 'report'}.{fmt}"
        return Response(body, media_type=media, headers={"content-disposition": f'attachment; filename="{name}"'})

    async def delete(request: Request) -> Response:
        store.delete(request.path_params["job"])
        return Response(status_code=204)

    routes = [
        Route("/", page, methods=["GET"]),
        Route("/static/{name}", static, methods=["GET"]),
        Route("/api/limits", limits, methods=["GET"]),
        Route("/api/jobs", new_job, methods=["POST"]),
        Route("/api/jobs/{job}/files", upload, methods=["POST"]),
        Route("/api/jobs/{job}/start", start, methods=["POST"]),
        Route("/api/jobs/{job}", status, methods=["GET"]),
        Route("/api/jobs/{job}", delete, methods=["DELETE"]),
        Route("/api/jobs/{job}/report.{fmt}", report, methods=["GET"]),
    ]
    app = Starlette(routes=routes)
    return Guard(app, hosts=hosts, token=token)


def _render(report: Any, fmt: str, lang: str) -> tuple[bytes, str]:
    """The report in ``fmt``, written by the same formatter as ``-o report.{fmt}``."""
    from sigaudit.report.formats import FORMATS

    formatter = FORMATS[fmt]
    if formatter.binary:
        buf = io.BytesIO()
        formatter.write(report, buf, lang)
        return buf.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    text = io.StringIO()
    formatter.write(report, text, lang)
    return text.getvalue().encode("utf-8"), DOWNLOADS[fmt] or "application/octet-stream"
