"""Checks of signing times: the claimed time, the timestamp token, the time the appearance prints."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from sigaudit.findings import Term, finding
from sigaudit.model import DocumentEvidence, Finding, Settings, SignatureEvidence


def check_timestamps(ev: DocumentEvidence, settings: Settings) -> Iterator[Finding]:
    tolerance = dt.timedelta(seconds=settings.timestamp_tolerance_s)
    zone = ZoneInfo(settings.tz)
    for s in ev.approval_signatures:
        if s.signing_time_problem:
            source = Term.of(f"time_taken_from.{s.time_source.value if s.time_source else 'none'}")
            yield finding(
                "SIGNING_TIME_UNREADABLE",
                signature=s.field,
                field=s.field,
                problem=s.signing_time_problem,
                source=source,
            )
        if s.timestamp_valid is False:
            yield finding("TIMESTAMP_INVALID", signature=s.field, field=s.field)
        if s.timestamp_unverifiable:
            yield finding("TIMESTAMP_UNVERIFIABLE", signature=s.field, field=s.field, signer=s.signer)
        if s.clock_skew_s is not None and s.signed_attr_time is not None:
            yield finding(
                "SIGNING_CLOCK_SKEW",
                signature=s.field,
                field=s.field,
                claimed=s.signed_attr_time.astimezone(zone),
                hours=s.clock_skew_s / 3600,
                trusted=s.signing_time.astimezone(zone) if s.signing_time else None,
            )
        claimed = s.signed_attr_time
        if claimed is not None and s.clock_skew_s is not None:
            claimed = claimed - dt.timedelta(seconds=s.clock_skew_s)
        if s.timestamp_time and claimed and abs(s.timestamp_time - claimed) > tolerance:
            yield finding(
                "TIMESTAMP_MISMATCH",
                "corrected" if s.clock_skew_s is not None else "default",
                s.field,
                field=s.field,
                signer=s.signer,
                claimed=claimed.astimezone(zone),
                timestamp=s.timestamp_time.astimezone(zone),
            )
        elif s.timestamp_time and s.timestamp_valid is not False and backs_the_printed_date(ev, s, tolerance, zone):
            yield finding(
                "TIMESTAMP_MISMATCH",
                "pdf_time",
                s.field,
                field=s.field,
                signer=s.signer,
                claimed=s.pdf_time.astimezone(zone) if s.pdf_time else None,
                timestamp=s.timestamp_time.astimezone(zone),
            )


def backs_the_printed_date(ev: DocumentEvidence, s: SignatureEvidence, tolerance: dt.timedelta, zone: ZoneInfo) -> bool:
    """Whether the signature dictionary's unverified ``/M`` falls on the printed issuance
    date while the token's time, which decides, falls on another day and disagrees with it
    beyond the clock mistakes signing computers make.  ``/M`` drifts by minutes on honest
    files (the signing computer's clock: 15-25 minutes on real e-office documents), and a
    token added days later is how PAdES extends a signature (EU DSS files): neither is a
    finding; a claimed time that backs the printed date against the token is."""
    printed = ev.header.issuance_date
    if printed is None or s.pdf_time is None or s.timestamp_time is None:
        return False
    if s.pdf_time.astimezone(zone).date() != printed or s.timestamp_time.astimezone(zone).date() == printed:
        return False
    return pdf_time_disagrees(s, max(tolerance, dt.timedelta(hours=1)))


LOCAL_AS_UTC = dt.timedelta(hours=7)
"""The known clock mistake: Vietnam's local time written as if it were UTC (7 hours ahead)."""


def pdf_time_disagrees(s: SignatureEvidence, tolerance: dt.timedelta) -> bool:
    """Whether the signature dictionary's ``/M`` is further from the token's time than the
    tolerance, other than by the local-time-as-UTC mistake (either way when ``/M`` carries
    no offset and was read in the configured zone)."""
    if s.pdf_time is None or s.timestamp_time is None:
        return False
    gap = s.pdf_time - s.timestamp_time
    if abs(gap) <= tolerance:
        return False
    if abs(gap - LOCAL_AS_UTC) <= tolerance:
        return False
    return not (s.pdf_time_naive and abs(gap + LOCAL_AS_UTC) <= tolerance)


def check_stamp_times(ev: DocumentEvidence, settings: Settings) -> Iterator[Finding]:
    """The time a signature's appearance prints against the signature's own time."""
    zone = ZoneInfo(settings.tz)
    by_field = {s.field: s for s in ev.approval_signatures}
    tolerance = max(settings.timestamp_tolerance_s, 1800.0)
    for field, printed in ev.header.stamp_times:
        sig = by_field.get(field)
        if sig is None or sig.signing_time is None:
            continue
        shown = dt.datetime.fromisoformat(printed)
        if shown.tzinfo is None:
            shown = shown.replace(tzinfo=zone)
        if abs((shown - sig.signing_time).total_seconds()) > tolerance:
            yield finding(
                "STAMP_TIME_MISMATCH",
                signature=field,
                field=field,
                shown=shown.astimezone(zone),
                signed=sig.signing_time.astimezone(zone),
            )
