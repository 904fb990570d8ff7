"""One exception hierarchy.  Per-document problems never escape as exceptions: they
become ``documents[].error`` entries.  These are for configuration and usage."""

from __future__ import annotations


class SigauditError(Exception):
    """Base class of every error sigaudit raises on purpose."""


class UsageError(SigauditError):
    """The caller asked for something that cannot be done (bad path, bad option)."""


class TrustConfigError(UsageError):
    """A trust source could not be loaded."""
