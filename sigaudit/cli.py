"""``python -m sigaudit PATH...``: argument parsing, progress, exit codes — no business logic.

Exit codes: 0 no finding at or above ``--fail-on``; 1 at least one; 2 usage error or
nothing to scan.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Any, TextIO

from sigaudit._version import __version__
from sigaudit.audit import AuditReport, audit
from sigaudit.baseline import write_baseline
from sigaudit.cache import default_cache_dir
from sigaudit.errors import SigauditError
from sigaudit.logs import configure as configure_logging
from sigaudit.model import DocumentResult, Settings, Severity
from sigaudit.report import write_atomically
from sigaudit.report.formats import FORMATS
from sigaudit.report.text import safe, verdict

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="sigaudit",
        description="Audit digitally signed PDF documents: signatures, issuance dates, per-office counts.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="PDF files and folders (searched recursively for *.pdf)")
    p.add_argument(
        "--format",
        choices=tuple(FORMATS),
        default=None,
        help="report format (default: json with -o, else text): "
        + "; ".join(f"{f.name}: {f.help}" for f in FORMATS.values()),
    )
    p.add_argument(
        "--lang",
        choices=("vi", "en"),
        default=None,
        help="language of text, md, html and csv reports and of the summary line (default: vi)",
    )
    p.add_argument("--rules", metavar="FILE", help="deduction rule set (TOML, docs/rules.md) instead of the default")
    p.add_argument("--baseline", metavar="FILE", help="leave out the findings this baseline accepts")
    p.add_argument("--write-baseline", metavar="FILE", help="write every current finding to FILE as accepted")
    p.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE (atomically) instead of stdout")
    p.add_argument(
        "--trust",
        action="append",
        default=[],
        metavar="PEM_OR_DIR",
        help="trust roots and intermediates: a PEM/DER file, a folder, or a bundle name ('vn'); repeatable",
    )
    p.add_argument("--tz", default="Asia/Ho_Chi_Minh", help="time zone for comparing dates (default: %(default)s)")
    p.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, metavar="N", help="worker processes (default: all cores)"
    )
    p.add_argument(
        "--fail-on",
        choices=("error", "warning", "never"),
        default="error",
        help="exit 1 when a finding at or above this severity exists (default: %(default)s)",
    )
    p.add_argument(
        "--timestamp-tolerance",
        type=float,
        default=900.0,
        metavar="SECONDS",
        help="largest accepted gap between claimed signing time and timestamp (default: %(default)s)",
    )
    p.add_argument(
        "--signer-kind",
        action="append",
        default=[],
        metavar="NAME_OR_ID=KIND",
        help="override the person/organisation inference for a certificate CN or UID, "
        "e.g. 'USB Token 0042=person' or 'MST:4600123456=organization'; repeatable",
    )
    p.add_argument(
        "--max-seconds",
        type=float,
        default=120.0,
        metavar="S",
        help="time limit per document; beyond it the document is a RESOURCE_LIMIT entry (0: none)",
    )
    p.add_argument("--max-file-mb", type=float, default=100.0, metavar="MB", help="larger files are not read")
    p.add_argument(
        "--max-memory-mb", type=int, default=2048, metavar="MB", help="memory limit of each worker process (0: none)"
    )
    p.add_argument(
        "--ocr",
        choices=("auto", "on", "off"),
        default="auto",
        help="read the header of scanned pages with Tesseract: auto (when installed), on (required), off "
        "(needs: pip install 'sigaudit[ocr]' and apt-get install tesseract-ocr tesseract-ocr-vie)",
    )
    p.add_argument("--strict-sha1", action="store_true", help="reject SHA-1-signed CA certificates instead of warning")
    p.add_argument("--online", action="store_true", help="allow fetching revocation data over the network")
    p.add_argument(
        "--cache",
        metavar="DIR",
        default=None,
        help=f"content cache folder: unchanged files are not validated again (default: {default_cache_dir()})",
    )
    p.add_argument("--no-cache", action="store_true", help="neither read nor write the content cache")
    p.add_argument(
        "--dask",
        metavar="ADDRESS",
        default=None,
        help="run on a Dask cluster: a scheduler address (tcp://host:8786) or local[:N] for a local cluster "
        "(needs: pip install 'sigaudit[dask]')",
    )
    p.add_argument("--log-file", metavar="FILE", help="write library logs and tracebacks to FILE")
    p.add_argument("-v", "--verbose", action="count", default=0, help="more detail in the log file (-vv: debug)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress display")
    p.add_argument("--version", action="version", version=f"sigaudit {__version__}")
    return p


class Progress:
    """A one-line progress display on stderr, only when stderr is a terminal."""

    def __init__(self, stream: TextIO, enabled: bool) -> None:
        self.stream = stream
        self.enabled = enabled and stream.isatty()
        self.start = time.monotonic()
        self.last = 0.0

    def __call__(self, result: DocumentResult, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.last < 0.1 and done < total:
            return
        self.last = now
        elapsed = max(now - self.start, 1e-6)
        rate = done / elapsed
        eta = (total - done) / rate if rate else 0
        width = 24
        filled = int(width * done / total) if total else width
        bar = "█" * filled + "·" * (width - filled)
        self.stream.write(f"\r\x1b[K{bar} {done}/{total} documents  {rate:.1f}/s  ETA {_duration(eta)}")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def _report_interrupt(paths: list[str], finished: set[str], output: str | None) -> None:
    """Say what an interrupted run leaves: no new report, the previous one intact, and
    which documents were not audited."""
    from sigaudit.scan import discover

    try:
        found = discover(paths)
        names = [i.display_path for i in found.items]
    except Exception:
        names = []
    left = [n for n in names if n not in finished]
    kept = f"; {output} still holds the previous report" if output and os.path.exists(output) else ""
    print(f"sigaudit: interrupted after {len(finished)} document(s); no report was written{kept}.", file=sys.stderr)
    if left:
        shown = ", ".join(safe(n) for n in left[:20]) + (f" … and {len(left) - 20} more" if len(left) > 20 else "")
        print(f"sigaudit: {len(left)} document(s) not audited: {shown}", file=sys.stderr)


def _signer_kind(value: str) -> tuple[str, str]:
    key, sep, kind = value.rpartition("=")
    if not sep or not key.strip():
        raise ValueError(f"--signer-kind needs NAME_OR_ID=person|organization, not {value!r}.")
    return key.strip(), kind.strip().lower()


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


def exit_code(report: AuditReport, fail_on: str) -> int:
    if fail_on == "never":
        return EXIT_OK
    threshold = Severity(fail_on).rank
    return EXIT_FINDINGS if report.worst_severity_rank() >= threshold else EXIT_OK


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["check"]:
        return check_main(argv[1:])
    args = build_parser().parse_args(argv)
    configure_logging(args.log_file, args.verbose)
    try:
        signer_kinds = tuple(_signer_kind(v) for v in args.signer_kind)
    except ValueError as exc:
        print(f"sigaudit: {exc}", file=sys.stderr)
        return EXIT_USAGE
    settings = Settings(
        trust=tuple(args.trust),
        tz=args.tz,
        timestamp_tolerance_s=args.timestamp_tolerance,
        allow_sha1_chains=not args.strict_sha1,
        online=args.online,
        signer_kinds=signer_kinds,
        max_seconds=args.max_seconds,
        max_file_mb=args.max_file_mb,
        max_memory_mb=args.max_memory_mb,
        ocr=args.ocr,
    )
    fmt = args.format or ("json" if args.output else "text")
    if args.jobs < 1:
        print("sigaudit: --jobs must be at least 1.", file=sys.stderr)
        return EXIT_USAGE
    progress = Progress(sys.stderr, not args.quiet)
    finished: set[str] = set()

    def on_result(result: DocumentResult, done: int, total: int) -> None:
        finished.add(result.path)
        progress(result, done, total)

    try:
        cache = None if args.no_cache else (args.cache or default_cache_dir())
        report = audit(
            args.paths,
            settings=settings,
            jobs=args.jobs,
            on_result=on_result,
            cache=cache,
            spool=True,
            executor=args.dask,
            rules=args.rules,
            baseline=args.baseline,
        )
    except SigauditError as exc:
        progress.close()
        print(f"sigaudit: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        progress.close()
        _report_interrupt(args.paths, finished, args.output)
        return 130
    progress.close()
    if not report.documents:
        print("sigaudit: no PDF file found in the given paths.", file=sys.stderr)
        return EXIT_USAGE
    lang = args.lang or "vi"
    outputs = _render(report, fmt, lang, args.output)
    try:
        if args.write_baseline:
            count = write_baseline(report.documents, args.write_baseline)
            print(f"sigaudit: {count} finding(s) accepted in {args.write_baseline}.", file=sys.stderr)
        for target, write in outputs:
            if target is None:
                write(sys.stdout)
            else:
                write_atomically(target, write)
    except OSError as exc:
        print(f"sigaudit: cannot write {exc.filename or args.output}: {exc.strerror or exc}.", file=sys.stderr)
        return EXIT_USAGE
    if args.output:
        print(safe(verdict(report, lang if fmt != "json" else (args.lang or "vi"))), file=sys.stderr)
    return exit_code(report, args.fail_on)


def _render(report: AuditReport, fmt: str, lang: str, output: str | None) -> list[tuple[str | None, Any]]:
    """(target file or None for stdout, writer) pairs for the chosen format."""
    formatter = FORMATS[fmt]
    main = (output, lambda fh: formatter.write(report, fh, lang))
    return [main, *formatter.companions(report, lang, output)] if output else [main]


def check_main(argv: list[str]) -> int:
    """``python -m sigaudit check FILE.pdf``: a verdict a clerk understands, exit 0 or 1."""
    p = argparse.ArgumentParser(
        prog="sigaudit check",
        description="Check one document before submitting it as evidence: ĐẠT / KHÔNG ĐẠT and why.",
    )
    p.add_argument("file", metavar="FILE.pdf")
    p.add_argument("--trust", action="append", default=[], metavar="PEM_OR_DIR")
    p.add_argument("--tz", default="Asia/Ho_Chi_Minh")
    p.add_argument("--lang", choices=("vi", "en"), default="vi")
    p.add_argument("--ocr", choices=("auto", "on", "off"), default="auto", help="read scanned headers with Tesseract")
    p.add_argument("--log-file", metavar="FILE")
    args = p.parse_args(argv)
    configure_logging(args.log_file, 0)
    try:
        report = audit([args.file], settings=Settings(trust=tuple(args.trust), tz=args.tz, ocr=args.ocr), cache=None)
    except SigauditError as exc:
        print(f"sigaudit: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not report.documents:
        print(f"sigaudit: {safe(args.file)} is not a PDF file.", file=sys.stderr)
        return EXIT_USAGE
    FORMATS["verdict"].write(report, sys.stdout, args.lang)
    return exit_code(report, "error")
