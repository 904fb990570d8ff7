"""PDF date strings (the signature dictionary's ``/M``)."""

from __future__ import annotations

import datetime as dt
import logging
import re

log = logging.getLogger(__name__)


_PDF_DATE = re.compile(
    r"^D?:?(?P<y>\d{4})(?P<mo>\d{2})?(?P<d>\d{2})?(?P<h>\d{2})?(?P<mi>\d{2})?(?P<s>\d{2})?"
    r"(?P<tz>[Zz]|[+\-]\d{2}'?\d{0,2}'?)?"
)


def parse_pdf_date(raw: str, zone: dt.tzinfo) -> tuple[dt.datetime | None, bool]:
    """Parse a PDF date string.  Returns (aware datetime, was_naive).

    A date without an offset is read in ``zone``: the PDF standard leaves its zone
    unknown, and a Vietnamese signing tool writes local time.
    """
    m = _PDF_DATE.match(raw.strip())
    if not m:
        return None, False
    try:
        value = dt.datetime(
            int(m["y"]),
            int(m["mo"] or 1),
            int(m["d"] or 1),
            int(m["h"] or 0),
            int(m["mi"] or 0),
            int(m["s"] or 0),
        )
    except ValueError:
        return None, False
    tz = m["tz"]
    if not tz:
        return value.replace(tzinfo=zone), True
    if tz in ("Z", "z"):
        return value.replace(tzinfo=dt.timezone.utc), False
    digits = tz[1:].replace("'", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    offset = dt.timedelta(hours=hours, minutes=minutes)
    if tz[0] == "-":
        offset = -offset
    try:
        return value.replace(tzinfo=dt.timezone(offset)), False
    except ValueError:
        return value.replace(tzinfo=zone), True


def clock_skew(
    attr_time: dt.datetime | None,
    token_time: dt.datetime | None,
    pdf_time: dt.datetime | None,
    pdf_time_naive: bool,
    zone: dt.tzinfo,
    tolerance_s: float,
) -> float | None:
    """The zone offset (seconds) by which the signed signingTime runs ahead of the
    trustworthy time, when that is what the gap is; else None.

    Widespread Vietnamese signing software writes the local time (UTC+7) into the CMS
    signingTime as if it were UTC.  The reference is the timestamp token, else the
    signature dictionary's ``/M`` when it carries an explicit offset (written by the
    same software from the local clock, correctly).  ``/M`` is often written a few
    minutes before the CMS, so the gap is compared with a tolerance of at least 30 min.
    """
    if attr_time is None:
        return None
    references = []
    if token_time is not None:
        references.append((token_time, tolerance_s))
    if pdf_time is not None and not pdf_time_naive:
        references.append((pdf_time, max(tolerance_s, 1800.0)))
    for reference, tolerance in references:
        offset = reference.astimezone(zone).utcoffset()
        if not offset:
            continue
        gap = (attr_time - reference).total_seconds()
        offset_s = offset.total_seconds()
        if abs(gap) <= tolerance:
            return None  # the claimed time agrees with this reference: no skew
        if abs(gap - offset_s) <= tolerance:
            return offset_s
    return None
