"""Content cache: evidence of a file, keyed by what it depends on.

The key is the SHA-256 of the file's bytes plus a fingerprint of everything else the
evidence depends on: sigaudit's version and cache format, the versions of pyHanko,
pyhanko-certvalidator and pypdf, the trust store's certificates, the time zone, the SHA-1
policy and ``online``.  Checks are not cached (they are cheap and depend on more settings),
so changing ``--timestamp-tolerance`` or the rule set needs no new validation.

Entries are JSON (``codec.py``), never pickles: a cache folder may be shared between users
or cluster workers.  Each entry is written to a temporary file and renamed into place, so
concurrent runs never see half an entry; an unreadable entry is a miss.

Layout: ``DIR/v1/ab/abcdef….json``.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import logging
import os
import threading
from dataclasses import dataclass, replace
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from sigaudit._version import __version__
from sigaudit.codec import from_data, to_data
from sigaudit.model import DocumentEvidence, Settings

_BINARY = getattr(os, "O_BINARY", 0)
"""Windows opens descriptors in text mode (LF written as CRLF) unless told otherwise."""

log = logging.getLogger(__name__)

CACHE_FORMAT = "v30"  # v30: a page tree made unreadable after signing is a named change; v29: a page node the parser cannot read no longer makes the signatures of the form unreadable; v28: metadata written after signing must be plain XMP (no DTD, XML, XMP root, a stream of its own); a FieldMDP lock naming a group locks its members; v27: a file that opens without a password but whose encryption pyHanko cannot decrypt named so; v26: an empty signature field of a file pyHanko cannot walk is no signature (PDFium lists it); v25: a signed field's widget judged with its flags after signing (Adobe Reader locks it); a widget listed in a signature field's /Kids without a /Parent takes that field's value; v24: a handwritten day or month glued by OCR into "ngày"/"tháng"'s box read from where the printed word ends; v23: handwritten numbers, days and months of scans read digit by digit (unsure); v22: long office names wrapped inside a word or after a comma, a long place above its date line, a name line starting like a stamp field, the ink check's line skipping, a numeric date's month; popups that open over signed text; the logical structure's texts (ActualText, Alt, E); a form redrawn from a changed DA where NeedAppearances is set; OCR: office lines glued to a misread motto, a line unread under the office, a symbol's lost dash; v21: the date line's month and year read on their own (issuance_month); page 1 rendered for OCR with the widgets the size of a clerk's stamp (the stamped number and day); a stop after the day or month of a date line read through; v20: new widgets drawn otherwise when pointed at or pressed judged by their rectangle; text nobody sees (white or invisible on blank paper, off the page) not read; text drawn twice over itself read once; a ward's number read as a letter in an OCR place mended from a legible office line; a signed comment's rich text and subject compared; headers read as glyph numbers (fonts without a Unicode map) judged garbled; what a page or an annotation carries or how a page is shown beyond its drawing (/AF, /Thumb, /Dur, /PresSteps, /B); v19: a party document's star before the place; an OCR place that spells the office's unit; glued office lines with a misread level word; a type read with a letter twice; the symbol after a handwritten number; a typed number and symbol read again; v18: links whose appearance draws over signed text; appearances that hide the signed page's stamps; filled fields that hide signed words; Ð, ǎ and other dashes read as Đ, ă, hyphens; "TP"/"TX" before a place; a dot between a symbol's capitals; commas in the date line; annotations added that carry a file or act beyond going to a page, and what signed annotations carry or lead to (/FS, /Dest…); v17: header places that look like "Số" or begin with capitals, KẾT LUẬN, funds and unions as bodies; v16: the signed revision from the bytes (and /M as signed), NeedAppearances update by update; v15: filled fields and unsupported signatures judged after signing, glyphs that fade; v14: signature appearances that hide, cover or bury signed ink, unsigned signature fields drawing on the page, bodies under a ministry or province (Vụ, Hạt, Thuế); v13: printed-only annotations over signed text, the stamped number, day and month read again by OCR; v12: pages turned upright by /Rotate read as displayed; v11: garbled text layers read by OCR, words split across text objects, stamps in the content, catalog and form keys and earlier signatures compared after signing; v10: page-1 readings of issue 25 (header band, cp1258 read as Mac Roman, symbols with & and Đ, running heads, the OCR number line only in the header); v9: tokens without their TSA certificate; v8: revision breaks read from the bytes; v7: page text laid out by position, OCR layers of scans ignored; v2: page text with annotation appearances (PDFium), stamped-by fields; v3: enums for coverage, trust problem, /ByteRange problem; v4: problems as facts (model.Problem); v5: header subject; v6: weak algorithms name the CA by its common name
_NOT_CACHED = {"READ_ERROR", "INTERNAL_ERROR", "RESOURCE_LIMIT"}


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "sigaudit"


def _version(dist: str) -> str:
    try:
        return version(dist)
    except PackageNotFoundError:
        return "?"


def _ocr_fingerprint(settings: Settings) -> str:
    """What OCR would do: off, or the Tesseract that reads (evidence made without OCR must
    not answer once it is installed, and the reverse)."""
    if settings.ocr == "off":
        return "off"
    from sigaudit.evidence.page.ocr import tesseract_version

    return tesseract_version() or "unavailable"


def settings_fingerprint(settings: Settings) -> str:
    from sigaudit.trust import load_trust

    trust = load_trust(settings.trust)
    parts = [
        f"sigaudit={__version__}",
        f"format={CACHE_FORMAT}",
        f"pyhanko={_version('pyhanko')}",
        f"certvalidator={_version('pyhanko-certvalidator')}",
        f"pypdf={_version('pypdf')}",
        f"pdfium={_version('pypdfium2')}",
        f"tz={settings.tz}",
        f"sha1={settings.allow_sha1_chains}",
        f"online={settings.online}",
        f"trust={trust.fingerprint()}",
        f"ocr={_ocr_fingerprint(settings)}",
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


@dataclass(frozen=True)
class EvidenceCache:
    """A cache folder bound to one settings fingerprint.  Picklable (goes to workers)."""

    root: Path
    salt: str

    @classmethod
    def open(cls, root: str | os.PathLike[str], settings: Settings) -> EvidenceCache:
        return cls(Path(root) / CACHE_FORMAT, settings_fingerprint(settings))

    def _entry(self, sha256: str) -> Path:
        key = hashlib.sha256(f"{sha256}:{self.salt}".encode()).hexdigest()
        return self.root / key[:2] / f"{key}.json"

    def get(self, sha256: str, *, path: str, folder_office: str | None) -> DocumentEvidence | None:
        entry = self._entry(sha256)
        try:
            data = json.loads(entry.read_text(encoding="utf-8"))
            evidence = from_data(DocumentEvidence, data)
        except FileNotFoundError:
            return None
        except Exception:
            log.info("ignoring an unreadable cache entry %s", entry, exc_info=True)
            return None
        if evidence.sha256 != sha256:
            return None
        return replace(evidence, path=path, folder_office=folder_office)

    def put(self, evidence: DocumentEvidence) -> None:
        if evidence.sha256 is None or (evidence.error and evidence.error.code in _NOT_CACHED):
            return
        entry = self._entry(evidence.sha256)
        payload = json.dumps(
            to_data(replace(evidence, path="", folder_office=None)), ensure_ascii=False, separators=(",", ":")
        ).encode("utf-8")
        try:
            folder = str(entry.parent)
            if folder not in _MADE:
                entry.parent.mkdir(parents=True, exist_ok=True)
                _MADE.add(folder)
            # A name no other process or thread uses (O_EXCL refuses one that exists), the
            # whole entry in one write, then renamed into place.
            tmp = f"{folder}/.tmp-{os.getpid()}-{threading.get_ident()}-{next(_COUNTER)}.json"
            try:
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, 0o644)
            except FileNotFoundError:  # the folder was removed since this process made it
                entry.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, 0o644)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(payload)
                os.replace(tmp, entry)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
        except OSError as exc:
            # A full disk or a read-only cache must not cost the audit.
            log.warning("cannot write the cache entry %s: %s", entry, exc)


_MADE: set[str] = set()
"""Cache folders this process has made (one ``mkdir`` per folder, not per entry)."""
_COUNTER = itertools.count()


def file_sha256(path: str) -> str | None:
    """SHA-256 of a file's bytes, or None if it cannot be read (the worker reports why)."""
    try:
        from sigaudit.storage import open_binary

        digest = hashlib.sha256()
        with open_binary(path) as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        return digest.hexdigest()
    except Exception:  # OSError, or a remote filesystem's own error: the worker reports it
        return None
