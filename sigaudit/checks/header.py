"""Checks of page 1 as printed: number, issuance date and its form, type, and the signing date."""

from __future__ import annotations

import re
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from sigaudit.checks.roles import deciding_signature, local_date
from sigaudit.checks.signers import OCR_CONFIDENT
from sigaudit.findings import Term, finding
from sigaudit.model import DocumentEvidence, Finding, Settings

_DATE_PARTS = re.compile(
    r"ng[àa]y\s*(?P<d>\d{1,2})\s*[,.]?\s*th[áa]ng\s*(?P<m>\d{1,2})\s*[,.]?\s*n[ăa]m", re.IGNORECASE
)


def padding_problems(date_text: str | None) -> tuple[Term, ...]:
    """How a printed date breaks Decree 30's padding rule (days 1–9 and months 1–2 take a
    leading zero, other months none), as registry terms; empty when it keeps the rule.
    Only the "ngày … tháng … năm" form is judged; a numeric date has no such rule."""
    m = _DATE_PARTS.search(date_text or "")
    if not m:
        return ()
    day, month = m["d"], m["m"]
    problems = []
    if int(day) < 10 and len(day) == 1:
        problems.append(Term.of("padding.day", day=day))
    if int(month) <= 2 and len(month) == 1:
        problems.append(Term.of("padding.month", month=month))
    if int(month) > 2 and month.startswith("0"):
        problems.append(Term.of("padding.month_extra", month=month, plain=int(month)))
    return tuple(problems)


def _field(name: str) -> Term:
    return Term.of(f"field.{name}", fallback=name)


def check_header(ev: DocumentEvidence, settings: Settings) -> Iterator[Finding]:
    h = ev.header
    if h.text_error:
        yield finding("TEXT_UNREADABLE", problem=h.text_error)
        return
    if not h.has_text:
        if h.encoding == "garbled":  # a text layer that does not read as the page shows
            yield finding("NO_TEXT_LAYER", "garbled", status=h.ocr_status)
        else:
            yield finding("NO_TEXT_LAYER", "ocr_layer" if h.ocr_layer_ignored else "default", status=h.ocr_status)
        return
    ocr = h.source == "ocr"
    if ocr:
        read = [Term.of("field_confidence", field=_field(f), confidence=c) for f, c in h.confidence]
        # the number and the date have findings of their own when illegible: said once
        own = {"number"} if h.number is None else set()
        own |= {"issuance_date"} if h.issuance_date is None else set()
        illegible = [_field(f) for f in h.illegible if f not in own]
        garbled = h.encoding == "garbled"
        yield finding("HEADER_READ_BY_OCR", "garbled" if garbled else "default", read=read, illegible=illegible)
    if h.number is None:
        yield finding("NUMBER_NOT_FOUND", "illegible" if ocr and "number" in h.illegible else "default")
    if ocr and h.issuance_date is None and "issuance_date" in h.illegible:
        yield finding("ISSUANCE_DATE_NOT_FOUND", "illegible")
    elif ocr and h.issuance_date is not None and (h.confidence_for("issuance_date") or 0) < OCR_CONFIDENT:
        pass  # an uncertain OCR date is not judged for its format
    elif h.issuance_date is None and h.issuance_date_text:
        yield finding("DATE_FORMAT", "not_real", date=h.issuance_date_text)
    elif h.issuance_date is None:
        yield finding("ISSUANCE_DATE_NOT_FOUND")
    else:
        problems = padding_problems(h.issuance_date_text)
        if problems:
            yield finding("DATE_FORMAT", "padding", date=h.issuance_date_text, problems=problems)
    if (
        h.doc_type
        and h.title_type
        and h.doc_type != h.title_type
        and min(h.confidence_for("number") or 0, h.confidence_for("title_type") or 0) >= OCR_CONFIDENT
    ):
        yield finding(
            "DOC_TYPE_MISMATCH", title_line=h.title, title_type=h.title_type, number=h.number, doc_type=h.doc_type
        )


def check_signing_date(ev: DocumentEvidence, settings: Settings) -> Iterator[Finding]:
    zone = ZoneInfo(settings.tz)
    sig = deciding_signature(ev, zone)
    h = ev.header
    issued = h.issuance_date
    confidence = h.confidence_for("issuance_date") or 0.0
    if (
        h.source == "ocr"
        and issued is not None
        and confidence < OCR_CONFIDENT
        and (sig is None or sig.signing_time is None)
    ):
        # read without confidence (a handwritten day), and no signing date to agree with it
        yield finding("ISSUANCE_DATE_UNSURE", issued=issued, confidence=confidence)
    if sig is None or sig.signing_time is None or (issued is None and h.issuance_month is None):
        return
    signed_on = local_date(sig.signing_time, zone)
    if signed_on == issued:
        return
    source = Term.of(f"time_source.{sig.time_source.value if sig.time_source else 'none'}")
    when = {"time": sig.signing_time.astimezone(zone), "source": source}
    if issued is None or confidence < OCR_CONFIDENT:
        # The day not read, or not with confidence: the month and year printed, read with
        # confidence, still prove a signature made in another month.
        month = h.issuance_month
        if month is not None and (h.confidence_for("issuance_month") or 0.0) >= OCR_CONFIDENT:
            year, number = (int(part) for part in month.split("-"))
            if (signed_on.year, signed_on.month) != (year, number):
                who = {"signature": sig.field, "field": sig.field, "signer": sig.signer, "signed": signed_on}
                yield finding("SIGNING_DATE_MISMATCH", "month", **who, month=f"{number:02d}/{year}", **when)
                return
        if issued is None:
            return
    who = {"signature": sig.field, "field": sig.field, "signer": sig.signer, "issued": issued, "signed": signed_on}
    if confidence < OCR_CONFIDENT:
        # Read by OCR without enough confidence: never an error by itself.
        yield finding("SIGNING_DATE_UNCERTAIN", **who, confidence=confidence)
        return
    yield finding("SIGNING_DATE_MISMATCH", **who, **when)
