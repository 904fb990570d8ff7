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
