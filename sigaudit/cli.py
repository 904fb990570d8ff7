"""``python -m sigaudit PATH...``: argument parsing, progress, exit codes — no business logic.

Exit codes: 0 no finding at or above ``--fail-on``; 1 at least one; 2 usage error or
nothing to scan.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any, TextIO

from sigaudit.audit import AuditReport, audit, audit_dossier
from sigaudit.baseline import write_baseline
from sigaudit.cache import default_cache_dir
from sigaudit.cliargs import build_parser, check_parser, dossier_parser, serve_parser, trust_sources
from sigaudit.console import ansi_escapes, safe_streams
from sigaudit.errors import SigauditError, say
from sigaudit.logs import configure as configure_logging
from sigaudit.model import DocumentResult, Settings, Severity, Verdict
from sigaudit.report.formats import FORMATS
from sigaudit.report.output import prepare, write_all
from sigaudit.report.text import safe, verdict

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class Progress:
    """A one-line progress display on stderr, only when stderr is a terminal."""

    def __init__(self, stream: TextIO, enabled: bool, lang: str = "vi") -> None:
        self.lang = lang
        self.stream = stream
        # the line is redrawn with escape codes: only where the console interprets them
        self.enabled = enabled and ansi_escapes(stream)
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
        if self.lang == "vi":
            line = f"{bar} {done}/{total} văn bản  {rate:.1f}/giây  còn {_duration(eta)}".replace(".", ",", 1)
        else:
            line = f"{bar} {done}/{total} documents  {rate:.1f}/s  ETA {_duration(eta)}"
        self.stream.write(f"\r\x1b[K{line}")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def _report_interrupt(paths: list[str], finished: set[str], output: str | None, lang: str = "vi") -> None:
    """Say what an interrupted run leaves: no new report, the previous one intact, and
    which documents were not audited."""
    from sigaudit.scan import discover

    try:
        found = discover(paths)
        names = [i.display_path for i in found.items]
    except Exception:
        names = []
    left = [n for n in names if n not in finished]
    vi = lang == "vi"
    kept = ""
    if output and os.path.exists(output):
        kept = f"; {output} vẫn giữ báo cáo trước" if vi else f"; {output} still holds the previous report"
    print(f"sigaudit: {say('interrupted', lang, done=len(finished), kept=kept)}", file=sys.stderr)
    if left:
        more = len(left) - 20
        shown = ", ".join(safe(n) for n in left[:20])
        if more > 0:
            shown += f" … và {more} văn bản khác" if vi else f" … and {more} more"
        head = f"{len(left)} văn bản chưa được kiểm tra" if vi else f"{len(left)} document(s) not audited"
        print(f"sigaudit: {head}: {shown}", file=sys.stderr)


def _signer_kind(value: str, lang: str = "vi") -> tuple[str, str]:
    key, sep, kind = value.rpartition("=")
    if not sep or not key.strip():
        raise ValueError(say("signer_kind_form", lang, value=value))
    return key.strip(), kind.strip().lower()


def _register_columns(values: list[str], lang: str = "vi") -> dict[str, str]:
    from sigaudit.register.reader import FIELDS, OPTIONAL_FIELDS

    known = (*FIELDS, *OPTIONAL_FIELDS)
    out = {}
    for value in values:
        name, sep, header = value.partition("=")
        if not sep or name.strip() not in known or not header.strip():
            raise ValueError(say("register_column_form", lang, value=value, fields=", ".join(known)))
        out[name.strip()] = header.strip()
    return out


def _document_settings(args: Any, lang: str) -> Settings:
    """The settings of ``check``, ``dossier`` and ``serve`` (``cliargs.document_arguments``);
    ValueError with a sentence in ``lang`` for a bad ``--signer-kind``."""
    return Settings(
        trust=trust_sources(args.trust),
        tz=args.tz,
        ocr=args.ocr,
        signer_kinds=tuple(_signer_kind(v, lang) for v in args.signer_kind),
        max_seconds=args.max_seconds,
        max_file_mb=args.max_file_mb,
        max_memory_mb=args.max_memory_mb,
    )


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


def _lang(argv: list[str]) -> str:
    """The user's language before the arguments are parsed: --lang, else the locale, else vi."""
    for i, arg in enumerate(argv):
        if arg.startswith("--lang="):
            return "en" if arg.split("=", 1)[1] == "en" else "vi"
        if arg == "--lang" and i + 1 < len(argv):
            return "en" if argv[i + 1] == "en" else "vi"
    locale = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG") or ""
    return "en" if locale.startswith("en") else "vi"


def main(argv: list[str] | None = None) -> int:
    """The command line.  Its workers start from a fork server, small and clean (see
    ``scan._worker_context``), unless ``SIGAUDIT_START_METHOD`` says otherwise; the
    environment is restored afterwards (``main`` may be called in-process)."""
    key = "SIGAUDIT_START_METHOD"
    before = os.environ.get(key)
    os.environ.setdefault(key, "forkserver")
    try:
        with safe_streams():
            return _main(argv)
    finally:
        if before is None:
            os.environ.pop(key, None)


def _main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["check"]:
        return check_main(argv[1:])
    if argv[:1] == ["dossier"]:
        return dossier_main(argv[1:])
    if argv[:1] == ["serve"]:
        return serve_main(argv[1:])
    lang = _lang(argv)
    args = build_parser(lang).parse_args(argv)
    configure_logging(args.log_file, args.verbose)
    try:
        signer_kinds = tuple(_signer_kind(v, lang) for v in args.signer_kind)
        register_columns = _register_columns(args.register_column, lang)
    except ValueError as exc:
        print(f"sigaudit: {exc}", file=sys.stderr)
        return EXIT_USAGE
    settings = Settings(
        trust=trust_sources(args.trust),
        tz=args.tz,
        timestamp_tolerance_s=args.timestamp_tolerance,
        allow_sha1_chains=not args.strict_sha1,
        online=args.online,
        signer_kinds=signer_kinds,
        max_seconds=args.max_seconds,
        max_file_mb=args.max_file_mb,
        max_memory_mb=args.max_memory_mb,
        ocr=args.ocr,
        diff_policy=args.diff_policy,
    )
    if args.jobs < 1:
        print(f"sigaudit: {say('jobs', lang)}", file=sys.stderr)
        return EXIT_USAGE
    try:
        formatter = prepare(args.format, args.output)
        if args.profile and formatter.name == "docx":
            from sigaudit.report.wordreport import DocxFormat, load_profile

            formatter = DocxFormat(load_profile(args.profile))
    except SigauditError as exc:
        print(f"sigaudit: {exc.text(lang)}", file=sys.stderr)
        return EXIT_USAGE
    progress = Progress(sys.stderr, not args.quiet, lang)
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
            register=args.register,
            register_columns=register_columns,
            register_office=args.register_office,
            register_tolerance_days=args.register_tolerance,
        )
    except SigauditError as exc:
        progress.close()
        print(f"sigaudit: {exc.text(lang)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        progress.close()
        _report_interrupt(args.paths, finished, args.output, lang)
        return 130
    progress.close()
    if not report.documents:
        print(f"sigaudit: {say('no_pdf', lang, paths=', '.join(args.paths))}", file=sys.stderr)
        return EXIT_USAGE
    if args.write_baseline:
        try:
            count = write_baseline(report.documents, args.write_baseline)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            print(f"sigaudit: {say('cannot_write', lang, path=args.write_baseline, reason=reason)}", file=sys.stderr)
            return EXIT_USAGE
        print(f"sigaudit: {count} finding(s) accepted in {args.write_baseline}.", file=sys.stderr)
    written = _write_report(report, formatter, args.output, lang)
    return written if written is not None else exit_code(report, args.fail_on)


def _write_report(report: AuditReport, formatter: Any, output: str | None, lang: str) -> int | None:
    """Write the report (to ``output`` or stdout) and the summary line; EXIT_USAGE on failure."""
    try:
        if output:
            write_all(
                [(output, lambda fh: formatter.write(report, fh, lang)), *formatter.companions(report, lang, output)],
                binary=formatter.binary,
            )
        else:
            stream = sys.stdout.buffer if formatter.binary else sys.stdout
            formatter.write(report, stream, lang)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        print(f"sigaudit: {say('cannot_write', lang, path=exc.filename or output, reason=reason)}", file=sys.stderr)
        return EXIT_USAGE
    if output:
        print(safe(verdict(report, lang)), file=sys.stderr)
    return None


def dossier_main(argv: list[str]) -> int:
    """``python -m sigaudit dossier FOLDER --year 2021 --office "…"``: each criterion of the
    index judged on its evidence; exit 0 when every criterion is met, 1 otherwise, 2 on a
    usage error."""
    lang = _lang(argv)
    args = dossier_parser(lang).parse_args(argv)
    configure_logging(args.log_file, 0)
    try:
        settings = _document_settings(args, lang)
    except ValueError as exc:
        print(f"sigaudit: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        formatter = prepare(args.format, args.output)
        report = audit_dossier(
            args.folder,
            year=args.year,
            office=args.office,
            settings=settings,
            rules=args.rules,
            jobs=args.jobs,
            cache=None if args.no_cache else default_cache_dir(),
        )
    except SigauditError as exc:
        print(f"sigaudit: {exc.text(lang)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    written = _write_report(report, formatter, args.output, lang)
    if written is not None:
        return written
    return EXIT_OK if all(c["status"] == "met" for c in report.criteria) else EXIT_FINDINGS


def serve_main(argv: list[str]) -> int:
    """``python -m sigaudit serve``: the clerks' page (``sigaudit.web``, extra ``sigaudit[web]``)."""
    lang = _lang(argv)
    args = serve_parser(lang).parse_args(argv)
    configure_logging(args.log_file, 0)
    try:
        from sigaudit.web import serve
    except ImportError:
        print(f"sigaudit: {say('web_missing', lang)}", file=sys.stderr)
        return EXIT_USAGE
    try:
        settings = _document_settings(args, lang)
    except ValueError as exc:
        print(f"sigaudit: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        return serve(
            settings,
            host=args.host,
            port=args.port,
            open_browser=args.open,
            jobs=args.jobs,
            cache=None if args.no_cache else default_cache_dir(),
            rules=args.rules,
            lang=lang,
        )
    except SigauditError as exc:
        print(f"sigaudit: {exc.text(lang)}", file=sys.stderr)
        return EXIT_USAGE


def check_main(argv: list[str]) -> int:
    """``python -m sigaudit check FILE.pdf|FOLDER...``: a verdict a clerk understands.

    Exit 0 when every document passes (ĐẠT), 1 when one does not (KHÔNG ĐẠT or CHƯA KẾT
    LUẬN), 2 on a usage error (a missing file, nothing to check)."""
    lang = _lang(argv)
    p = check_parser(lang)
    args = p.parse_args(argv)
    configure_logging(args.log_file, 0)
    try:
        settings = _document_settings(args, lang)
    except ValueError as exc:
        print(f"sigaudit: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        empty = [path for path in args.paths if os.path.isdir(path) and not _has_pdf(path)]
        for path in empty:
            print(
                f"sigaudit: {say('folder_without_pdf', lang, path=path, found=_folder_contents(path, lang))}",
                file=sys.stderr,
            )
        report = audit(args.paths, settings=settings, jobs=min(os.cpu_count() or 1, 4), cache=None)
    except SigauditError as exc:
        print(f"sigaudit: {exc.text(lang)}", file=sys.stderr)
        return EXIT_USAGE
    if not report.documents:
        if not empty:
            print(f"sigaudit: {say('no_pdf', lang, paths=', '.join(args.paths))}", file=sys.stderr)
        return EXIT_USAGE
    FORMATS["verdict"].write(report, sys.stdout, lang)
    return EXIT_OK if all(d.verdict is Verdict.PASS for d in report.documents) else EXIT_FINDINGS


def _has_pdf(folder: str) -> bool:
    return any(name.lower().endswith(".pdf") for _, _, names in os.walk(folder) for name in names)


def _folder_contents(folder: str, lang: str) -> str:
    """What a folder holds instead of PDFs: "3 tệp .docx, 2 tệp .jpg"."""
    kinds: dict[str, int] = {}
    for _, _, names in os.walk(folder):
        for name in names:
            ext = os.path.splitext(name)[1].lower() or "(không đuôi)"
            kinds[ext] = kinds.get(ext, 0) + 1
    if not kinds:
        return say("empty_folder", lang)
    ordered = sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))
    return ", ".join(say("files_of_kind", lang, count=n, ext=ext) for ext, n in ordered)
