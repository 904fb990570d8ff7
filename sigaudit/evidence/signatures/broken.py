"""Signatures of files pyHanko cannot open: listed with pypdf or PDFium, never dropped."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any
from zoneinfo import ZoneInfo

from sigaudit.evidence.signatures.cms import _identity_from_contents, identity_fields
from sigaudit.evidence.signatures.common import TIMESTAMP_SUBFILTERS, _name
from sigaudit.evidence.signatures.dates import parse_pdf_date
from sigaudit.evidence.structure import byte_range_problem
from sigaudit.model import (
    Problem,
    Settings,
    SignatureEvidence,
    SignatureType,
    TimeSource,
    ValidationStatus,
)

log = logging.getLogger(__name__)


def fields_with_pdfium(data: bytes, settings: Settings) -> tuple[SignatureEvidence, ...]:
    """Signatures of a file that neither pyHanko nor pypdf can open, found with PDFium
    (which reconstructs damaged cross-reference tables, as qpdf and poppler do).  They
    cannot be validated through a broken structure, but they are listed: malformed, with
    the signer the CMS names and what is wrong with their /ByteRange."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    zone = ZoneInfo(settings.tz)
    out: list[SignatureEvidence] = []
    pdf = pdfium.PdfDocument(data)
    try:
        for i in range(raw.FPDF_GetSignatureCount(pdf.raw)):
            sig = raw.FPDF_GetSignatureObject(pdf.raw, i)
            n = raw.FPDFSignatureObj_GetContents(sig, None, 0)
            buf = ctypes.create_string_buffer(max(n, 1))
            raw.FPDFSignatureObj_GetContents(sig, buf, n)
            contents = buf.raw[:n]
            n = raw.FPDFSignatureObj_GetByteRange(sig, None, 0)
            ranges = (ctypes.c_int * max(n, 1))()
            raw.FPDFSignatureObj_GetByteRange(sig, ranges, n)
            byte_range = tuple(ranges[j] for j in range(n))
            n = raw.FPDFSignatureObj_GetSubFilter(sig, None, 0)
            sub = ctypes.create_string_buffer(max(n, 1))
            raw.FPDFSignatureObj_GetSubFilter(sig, sub, n)
            sub_filter = sub.value.decode("latin-1") or None
            if not contents.strip(b"\0") and not byte_range and sub_filter is None:
                continue  # PDFium lists an empty signature field too: nothing was signed there
            n = raw.FPDFSignatureObj_GetTime(sig, None, 0)
            tbuf = ctypes.create_string_buffer(max(n, 1))
            raw.FPDFSignatureObj_GetTime(sig, tbuf, n)
            pdf_time, naive = parse_pdf_date(tbuf.value.decode("latin-1"), zone) if tbuf.value else (None, False)
            identity = _identity_from_contents({"/Contents": contents})
            is_ts = sub_filter == "ETSI.RFC3161"
            out.append(
                SignatureEvidence(
                    field=f"signature {i + 1}",
                    type=SignatureType.DOCUMENT_TIMESTAMP if is_ts else SignatureType.SIGNATURE,
                    status=ValidationStatus.MALFORMED,
                    sub_filter=sub_filter,
                    **identity_fields(identity),
                    pdf_time=pdf_time,
                    pdf_time_naive=naive,
                    signing_time=pdf_time,
                    time_source=TimeSource.PDF_DICTIONARY if pdf_time else None,
                    byte_range=byte_range,
                    byte_range_problem=byte_range_problem(data, list(byte_range)),
                    problem=Problem.of("file_broken"),
                )
            )
    finally:
        pdf.close()
    return tuple(out)


def fields_without_pyhanko(pypdf_reader: Any, settings: Settings) -> tuple[SignatureEvidence, ...]:
    """Signature fields of a file pyHanko cannot open at all, found with pypdf.

    pypdf rebuilds broken cross-reference tables that pyHanko refuses even in lenient
    mode.  Such signatures cannot be validated (their byte ranges point into a file whose
    structure is broken), but they exist and must be listed: each one is reported as
    malformed, with whatever the CMS says about the signer.
    """
    zone = ZoneInfo(settings.tz)
    out: list[SignatureEvidence] = []
    acroform = pypdf_reader.trailer["/Root"].get("/AcroForm")
    if not acroform:
        return ()
    seen: set[int] = set()

    def walk(fields: Any, prefix: str, inherited_ft: Any) -> None:
        for ref in fields or []:
            key = getattr(ref, "idnum", None)
            if key is not None:
                if key in seen:
                    continue
                seen.add(key)
            field = ref.get_object()
            name = f"{prefix}.{field['/T']}" if prefix and "/T" in field else str(field.get("/T", prefix))
            ft = field.get("/FT", inherited_ft)
            kids = field.get("/Kids")
            if kids and any("/T" in k.get_object() for k in kids):
                walk(kids, name, ft)
            elif ft == "/Sig" and field.get("/V") is not None:
                out.append(_broken_file_signature(name, field["/V"].get_object(), zone))

    walk(acroform.get_object().get("/Fields"), "", None)
    return tuple(out)


def _broken_file_signature(name: str, sig_obj: Any, zone: dt.tzinfo) -> SignatureEvidence:
    sub_filter = sig_obj.get("/SubFilter")
    is_ts = sig_obj.get("/Type") == "/DocTimeStamp" or sub_filter in TIMESTAMP_SUBFILTERS
    pdf_time, naive = parse_pdf_date(str(sig_obj["/M"]), zone) if sig_obj.get("/M") else (None, False)
    identity = _identity_from_contents(sig_obj)
    return SignatureEvidence(
        field=name,
        type=SignatureType.DOCUMENT_TIMESTAMP if is_ts else SignatureType.SIGNATURE,
        status=ValidationStatus.MALFORMED,
        sub_filter=_name(str(sub_filter)) if sub_filter else None,
        **identity_fields(identity),
        pdf_time=pdf_time,
        pdf_time_naive=naive,
        signing_time=pdf_time,
        time_source=TimeSource.PDF_DICTIONARY if pdf_time else None,
        problem=Problem.of("file_broken"),
    )


# Signature mechanisms pyHanko verifies (asn1crypto names).  Anything else that fails is
# "unsupported", not "invalid": invalid means proven wrong.
