"""Checks of signing times: the claimed time, the timestamp token, the time the appearance prints."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from sigaudit.findings import Term, finding
from sigaudit.model import DocumentEvidence, Finding, Settings


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
