"""Checks of the file as a whole: why it could not be audited, how it was read."""

from __future__ import annotations

from collections.abc import Iterator

from sigaudit.findings import finding
from sigaudit.model import DocumentEvidence, Finding, Settings


def error_finding(ev: DocumentEvidence) -> Finding:
    """The one finding of a document that could not be audited."""
    assert ev.error is not None
    return finding(ev.error.code, detail=ev.error.problem)


def check_parse_mode(ev: DocumentEvidence, settings: Settings) -> Iterator[Finding]:
    if ev.lenient_parse:
        yield finding("LENIENT_PARSE")
