"""Signature evidence, read and validated with pyHanko.

Every filled signature field of the document yields one ``SignatureEvidence``, whether or
not pyHanko can validate it: fields are enumerated from the AcroForm ourselves, and a
field whose SubFilter pyHanko does not support, or whose CMS blob is broken, is reported
as ``unsupported`` or ``malformed`` with the reason — never dropped (pyHanko's own
enumeration silently skips unknown SubFilters).

Chains are validated at the signing time (the timestamp token's time when there is one),
offline unless the settings allow fetching, with the revocation data the file embeds
(DSS and Adobe ``revocation info archival``).

The package: ``reader`` (``SignatureReader``), ``changes`` (after signing), ``legacy``
(old SubFilters), ``cms`` (facts from CMS blobs), ``fields`` (form and widgets),
``broken`` (files pyHanko cannot open), ``dates``, ``common``.
"""

import sigaudit.evidence.signatures._pyhanko  # noqa: F401  (first: its import warnings go to the log)
from sigaudit.evidence.signatures.broken import (
    fields_with_pdfium,
    fields_without_pyhanko,
)
from sigaudit.evidence.signatures.cms import read_dss
from sigaudit.evidence.signatures.dates import parse_pdf_date
from sigaudit.evidence.signatures.reader import SignatureReader

__all__ = ["SignatureReader", "fields_with_pdfium", "fields_without_pyhanko", "parse_pdf_date", "read_dss"]
