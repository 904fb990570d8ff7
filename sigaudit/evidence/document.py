"""One file in, facts out: the pure, per-document step of the audit.

``inspect_bytes`` judges nothing and raises nothing: whatever goes wrong with the file
becomes ``DocumentEvidence.error``.  It depends only on the bytes and the settings, so
it can run in any worker process and its result can be cached by the file's SHA-256.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import signal
import threading
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from pyhanko.pdf_utils.crypt.api import AuthStatus
from pyhanko.pdf_utils.reader import PdfFileReader

import sigaudit.fastpath as fastpath
from sigaudit.evidence import pdfium_page
from sigaudit.evidence.budget import file_within_limits, page_within_limits
from sigaudit.evidence.changes.revisions import breaks as revision_breaks
from sigaudit.evidence.page import legacy_text, ocr, trust
from sigaudit.evidence.page.header import parse_header
from sigaudit.evidence.page.pagetext import read_page_text
from sigaudit.evidence.page.text import first_page_fonts, first_page_runs
from sigaudit.evidence.pdfdict import entry
from sigaudit.evidence.signatures import SignatureReader, fields_with_pdfium, fields_without_pyhanko
from sigaudit.evidence.structure import trailing_bytes
from sigaudit.limits import worker_timer
from sigaudit.model import DocumentError, DocumentEvidence, HeaderEvidence, Problem, Settings
from sigaudit.storage import file_size, read_bytes
from sigaudit.trust import load_trust

log = logging.getLogger(__name__)
fastpath.install()

UNREADABLE_PDF = "UNREADABLE_PDF"
ENCRYPTED_PDF = "ENCRYPTED_PDF"
READ_ERROR = "READ_ERROR"
INTERNAL_ERROR = "INTERNAL_ERROR"


def _open_pyhanko(data: bytes, *, strict: bool = True) -> tuple[Any, bool]:
    """Open strictly; on failure retry leniently.  Returns (reader, lenient)."""
    if not strict:
        return PdfFileReader(io.BytesIO(data), strict=False), True
    try:
        return PdfFileReader(io.BytesIO(data), strict=True), False
    except Exception as strict_exc:
        log.info("strict parsing failed (%s); retrying leniently", strict_exc)
        return PdfFileReader(io.BytesIO(data), strict=False), True


def _opens_without_password(data: bytes, reader: Any) -> str | None:
    """Where pyHanko cannot decrypt the file with the empty password but PDFium opens it
    without one (as every viewer does): the encryption's filter and revision, else None."""
    import pypdfium2 as pdfium

    try:
        pdfium.PdfDocument(data).close()
    except Exception:
        return None  # a real password
    try:
        encrypt = reader.trailer["/Encrypt"]
        return (
            f"{str(entry(encrypt, '/Filter', '/?'))[1:]}, R {entry(encrypt, '/R', '?')}, V {entry(encrypt, '/V', '?')}"
        )
    except Exception:
        log.debug("cannot describe the encryption", exc_info=True)
        return "/Encrypt"


def _is_encrypted(reader: Any) -> bool:
    try:
        return bool(reader.encrypted)
    except Exception:
        return False


def _first_page_within_limits(reader: Any) -> bool | None:
    """Whether page 1's streams are small enough to hand to PDFium; None where the parser
    cannot find page 1 (a file only a repairing reader opens)."""
    try:
        pages = reader.root["/Pages"]
        node = pages
        for _ in range(64):
            if "/Kids" not in node:
                return page_within_limits(node)
            node = node["/Kids"][0]
    except Exception:
        log.debug("cannot find page 1", exc_info=True)
    return None


def _pypdf_reader(data: bytes) -> Any:
    """pypdf's reader, for the files pyHanko or PDFium cannot read (imported only then: 0.06 s
    of every run's start-up otherwise)."""
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(data), strict=False)


def _read_header(data: bytes, reader: Any = None) -> HeaderEvidence:
    """Page 1 as a reader sees it (PDFium, annotation appearances included); pypdf's text
    layer where PDFium cannot open the file, or where page 1's streams are too large to hand
    to PDFium safely (``reader``: the pyHanko reader, to check that first)."""
    within = _first_page_within_limits(reader) if reader is not None else None
    page = read_page_text(data, reader=reader) if within else None
    if page is not None:
        return _from_page(page)
    try:
        reader = _pypdf_reader(data)
        if reader.is_encrypted:
            reader.decrypt("")
        runs = first_page_runs(reader)
        fonts = first_page_fonts(reader) if runs else ()
    except MemoryError:
        raise
    except Exception as exc:
        log.info("text extraction failed: %s", exc, exc_info=True)
        # neither parser finds page 1 where a viewer does (it repairs the file): read what
        # the viewer shows; never where page 1 was found too large to hand to PDFium
        page = read_page_text(data) if within is None and file_within_limits(data) else None
        if page is not None:
            return _from_page(page)
        return HeaderEvidence(has_text=False, text_error=Problem.of("text_unreadable", _sentence(exc)))
    text, encoding = legacy_text.decode_runs(runs, fonts)
    if trust.garbled(text):
        return HeaderEvidence(has_text=False, encoding="garbled")
    header = parse_header(text)
    return replace(header, encoding=encoding) if encoding != "unicode" else header


def _from_page(page: Any) -> HeaderEvidence:
    """The header of page 1 as PDFium laid it out."""
    text, encoding = legacy_text.decode_runs(page.runs())
    if trust.garbled(text):
        # glyphs whose text maps to other letters ("TàNH", "CÞNG"), decoded or not: read by
        # OCR, never believed
        return HeaderEvidence(has_text=False, encoding="garbled")
    if encoding != "unicode":
        header = parse_header(text)  # converted text: offsets of the sources are moot
        return replace(header, encoding=encoding)
    header = parse_header(page.text, page.sources, scanned=page.scanned)
    return replace(header, ocr_layer_ignored=True) if page.ocr_layer_ignored else header


def _ocr_header(data: bytes, header: HeaderEvidence, settings: Settings) -> HeaderEvidence:
    """Page 1 has no header text: read its image with Tesseract when OCR is on."""
    reason = ocr.unavailable_reason(settings.ocr)
    if reason is not None:
        return replace(header, ocr_status=reason)
    timeout = settings.max_seconds if settings.max_seconds > 0 else 120.0
    read = ocr.read_header_image(data, timeout=timeout)
    if read is None:
        return replace(header, ocr_status=Problem.of("ocr_failed"))
    found = ocr.header_from_ocr(read)
    keep = {
        "copy_stamped_by": header.copy_stamped_by,
        "copy_stamp": header.copy_stamp,
        "ocr_layer_ignored": header.ocr_layer_ignored,
        "encoding": header.encoding,
    }
    if not found.has_text:
        return replace(header, source="ocr", ocr_status=Problem.of("ocr_empty"))
    return replace(found, **keep)


def _sentence(exc: BaseException) -> str:
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:200]


def inspect_bytes(data: bytes, *, path: str, settings: Settings, folder_office: str | None = None) -> DocumentEvidence:
    """Read every fact sigaudit needs from one PDF held in memory."""
    with pdfium_page.scope(data):  # page 1 loaded once for the ink check and the reading
        return _inspect_bytes(data, path=path, settings=settings, folder_office=folder_office)


def _inspect_bytes(data: bytes, *, path: str, settings: Settings, folder_office: str | None) -> DocumentEvidence:
    digest = hashlib.sha256(data).hexdigest()
    base: dict[str, Any] = dict(path=path, sha256=digest, size=len(data), folder_office=folder_office)

    def error(code: str, key: str, detail: str | None = None) -> DocumentEvidence:
        return DocumentEvidence(**base, error=DocumentError(code, Problem.of(key, detail)))

    if not data:
        return error(UNREADABLE_PDF, "error.empty")
    if b"%PDF-" not in data[:1024]:
        return error(UNREADABLE_PDF, "error.not_pdf")
    try:
        reader, lenient = _open_pyhanko(data)
        if not lenient and reader.xrefs.hybrid_xrefs_present:
            # A hybrid-reference file is valid PDF (ISO 32000-1 §7.5.8.4), read here strictly
            # without complaint; pyHanko validates one only in lenient mode, refusing after
            # all the work before it.  So the reader goes on leniently, and no
            # LENIENT_PARSE is claimed for a file that breaks no rule.
            reader.strict = False
    except Exception as exc:
        return _broken_structure(data, base, settings, exc)
    if _is_encrypted(reader):
        try:
            # Documents "encrypted" with an empty user password open for anyone.
            opened = reader.decrypt("").status is not AuthStatus.FAILED
        except Exception:
            opened = False
        if not opened:
            unsupported = _opens_without_password(data, reader)
            if unsupported is not None:
                return error(ENCRYPTED_PDF, "error.encrypted_unsupported", unsupported)
            return error(ENCRYPTED_PDF, "error.encrypted")
    try:
        trust = load_trust(settings.trust)
        sig_reader = SignatureReader(reader, settings, trust, data)
        signatures = sig_reader.read_all()
        if sig_reader.strictness_failed:
            # e.g. hybrid cross-reference files, refused in strict mode: validate them
            # leniently and say so on the document (LENIENT_PARSE).
            lenient_reader, _ = _open_pyhanko(data, strict=False)
            signatures = SignatureReader(lenient_reader, settings, trust, data).read_all()
            lenient = True
    except MemoryError:
        raise
    except Exception as exc:
        log.info("signature enumeration failed for %s", path, exc_info=True)
        if not lenient:
            try:  # a broken structure strict parsing refuses: read it leniently
                lenient_reader, _ = _open_pyhanko(data, strict=False)
                signatures = SignatureReader(lenient_reader, settings, load_trust(settings.trust), data).read_all()
                return _evidence(data, base, signatures, lenient=True, reader=lenient_reader, settings=settings)
            except MemoryError:
                raise
            except Exception:
                log.info("lenient signature enumeration failed too for %s", path, exc_info=True)
        broken = _broken_structure(data, base, settings, exc)
        if broken.error is not None:
            return error(UNREADABLE_PDF, "error.fields_unreadable", _sentence(exc))
        return broken
    return _evidence(data, base, signatures, lenient=lenient, reader=reader, settings=settings)


def _evidence(
    data: bytes,
    base: dict[str, Any],
    signatures: tuple[Any, ...],
    *,
    lenient: bool,
    reader: Any = None,
    settings: Settings | None = None,
) -> DocumentEvidence:
    header = _read_header(data, reader)
    if settings is not None and not header.has_text and header.text_error is None:
        header = _ocr_header(data, header, settings)
    ends = [s.byte_range[2] + s.byte_range[3] for s in signatures if len(s.byte_range) == 4]
    tail, tail_objects = trailing_bytes(data, ends)
    ended = [(s.field, s.byte_range[2] + s.byte_range[3]) for s in signatures if len(s.byte_range) == 4]
    breaks = revision_breaks(data, ended)
    if settings is not None and any(b.kind in _UNREAD_AFTER_SIGNING for b in breaks):
        signatures = _on_signed_bytes(data, signatures, settings)
        ended = [(s.field, s.byte_range[2] + s.byte_range[3]) for s in signatures if len(s.byte_range) == 4]
        breaks = revision_breaks(data, ended)
    return DocumentEvidence(
        **base,
        signatures=signatures,
        header=header,
        lenient_parse=lenient,
        trailing_bytes=tail,
        trailing_objects=tail_objects,
        revision_breaks=breaks,
    )


def _broken_structure(data: bytes, base: dict[str, Any], settings: Settings, exc: Exception) -> DocumentEvidence:
    """pyHanko cannot open the file: list its signatures with pypdf, or report it unreadable."""
    try:
        reader = _pypdf_reader(data)
        if reader.is_encrypted:
            raise ValueError("encrypted")
        signatures = fields_without_pyhanko(reader, settings)
    except Exception:
        signatures = ()
    if not signatures:
        try:
            signatures = fields_with_pdfium(data, settings)
        except Exception:
            log.info("PDFium cannot list the signatures either", exc_info=True)
            signatures = ()
    if not signatures:
        # pypdf reads the page (it repairs broken cross-reference tables): audit what it shows.
        header = _read_header(data)
        if header.has_text:
            return DocumentEvidence(**base, header=header, lenient_parse=True)
    if not signatures:
        return DocumentEvidence(
            **base,
            error=DocumentError(UNREADABLE_PDF, Problem.of("error.structure_broken", _sentence(exc))),
        )
    ended = [(s.field, s.byte_range[2] + s.byte_range[3]) for s in signatures if len(s.byte_range) == 4]
    breaks = revision_breaks(data, ended)
    if any(b.kind in _UNREAD_AFTER_SIGNING for b in breaks):
        signatures = _on_signed_bytes(data, signatures, settings)
        ended = [(s.field, s.byte_range[2] + s.byte_range[3]) for s in signatures if len(s.byte_range) == 4]
        breaks = revision_breaks(data, ended)
    return DocumentEvidence(
        **base,
        signatures=signatures,
        header=_read_header(data),
        lenient_parse=True,
        revision_breaks=breaks,
    )


_UNREAD_AFTER_SIGNING = ("damaged", "misplaced", "outside")
"""Revision breaks after which no parser reads the file as written: its signatures are
validated on their signed bytes (``_on_signed_bytes``)."""


def _on_signed_bytes(data: bytes, signatures: tuple[Any, ...], settings: Settings) -> tuple[Any, ...]:
    """Signatures of a file whose later revisions no parser reads (``NOT_AN_UPDATE``),
    validated on the last signed revision, which is readable: each signature itself is
    judged; what came after that revision cannot be (``CHANGES_NOT_ANALYSED`` beside the
    break)."""
    import re

    from sigaudit.model import Coverage, ValidationStatus

    ends = sorted(
        {
            end
            for m in re.finditer(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", data)
            if 0 < (end := int(m[3]) + int(m[4])) < len(data)
            and data[:end].rstrip(b"\x00\t\n\x0c\r ").endswith(b"%%EOF")
        }
    )
    if not ends:
        return signatures
    try:
        signed = inspect_bytes(data[: ends[-1]], path="", settings=settings)
    except Exception:
        log.info("the last signed revision cannot be read either", exc_info=True)
        return signatures
    validated = [s for s in signed.signatures if s.status is ValidationStatus.VALIDATED]
    by_range = {tuple(s.byte_range): s for s in validated if len(s.byte_range) == 4}
    by_field = {s.field: s for s in validated}
    out = []
    for sig in signatures:
        # the same signature: by its byte range (PDFium names fields by number), else by name
        match = by_range.get(tuple(sig.byte_range)) or by_field.get(sig.field)
        if sig.status is ValidationStatus.MALFORMED and match is not None:
            problem = Problem.of("changes_not_analysed", "the file after it is not an update of it")
            sig = replace(match, coverage=Coverage.ENTIRE_REVISION, modification=None, problem=problem, changes=())
        out.append(sig)
    return tuple(out)


RESOURCE_LIMIT = "RESOURCE_LIMIT"


class TimeLimit(BaseException):
    """Raised by the per-document timer.  A BaseException, so that no ``except Exception``
    inside the libraries can swallow it."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the work after ``seconds`` (main thread of a process only: elsewhere, e.g.
    in a Dask worker thread, the cluster's own limits apply)."""
    usable = seconds > 0 and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise TimeLimit()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _limit_error(
    display_path: str, folder_office: str | None, problem: Problem, data: bytes | None = None
) -> DocumentEvidence:
    return DocumentEvidence(
        path=display_path,
        sha256=hashlib.sha256(data).hexdigest() if data is not None else None,
        size=len(data) if data is not None else None,
        folder_office=folder_office,
        error=DocumentError(RESOURCE_LIMIT, problem),
    )


def inspect_path(
    path: str, *, display_path: str, settings: Settings, folder_office: str | None = None
) -> DocumentEvidence:
    """``inspect_bytes`` for a file on disk, within the settings' limits; a file that cannot
    be read, or exceeds a limit, is an error entry."""
    size = file_size(path)
    if settings.max_file_mb and size is not None and size > settings.max_file_mb * 1024 * 1024:
        return _limit_error(
            display_path,
            folder_office,
            Problem.of("error.too_large", size=f"{size / 1048576:.0f}", limit=f"{settings.max_file_mb:g}"),
        )
    try:
        data = read_bytes(path)
    except MemoryError:
        return _limit_error(display_path, folder_office, Problem.of("error.memory"))
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return DocumentEvidence(
            path=display_path,
            sha256=None,
            folder_office=folder_office,
            error=DocumentError(READ_ERROR, Problem.of("error.read", reason)),
        )
    try:
        with time_limit(settings.max_seconds if worker_timer() else 0):
            return inspect_bytes(data, path=display_path, settings=settings, folder_office=folder_office)
    except TimeLimit:
        log.warning("time limit reached on %s", display_path)
        return _limit_error(
            display_path,
            folder_office,
            Problem.of("error.time_limit", limit=f"{settings.max_seconds:g}"),
            data,
        )
    except MemoryError:
        log.warning("memory limit reached on %s", display_path)
        return _limit_error(
            display_path,
            folder_office,
            Problem.of("error.memory_limit", limit=settings.max_memory_mb),
            data,
        )
    except Exception as exc:  # a bug of ours must cost one document, not the batch
        log.exception("internal error on %s", display_path)
        return DocumentEvidence(
            path=display_path,
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            folder_office=folder_office,
            error=DocumentError(INTERNAL_ERROR, Problem.of("error.internal", _sentence(exc))),
        )
