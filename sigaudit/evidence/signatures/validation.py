"""The pyHanko validation calls, behind one small interface.

``Contexts`` builds the certificate-validation contexts of one document (trust roots and
intermediates, the document's DSS, the signature's own revocation data, the moment of
validation); ``validate_signature`` and ``validate_timestamp`` run pyHanko's PDF
validation with them.  Every call into pyHanko's signature validation goes through here
or through ``legacy.py`` (CMS of the legacy SubFilters) and ``fastverify.py`` (the fast
path, tested against pyHanko's answer).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cached_property
from typing import Any

from sigaudit.evidence.signatures.cms import read_dss
from sigaudit.evidence.signatures.common import _WEAK_HASHES
from sigaudit.model import Settings
from sigaudit.trust import TrustStore


class Contexts:
    """Validation contexts for the signatures of one document."""

    def __init__(self, reader: Any, settings: Settings, trust: TrustStore) -> None:
        self.reader = reader
        self.settings = settings
        self.trust = trust

    @cached_property
    def dss(self) -> tuple[list[Any], list[Any], list[Any]]:
        """(certificates, CRLs, OCSP responses) of the document's security store, read once."""
        return read_dss(self.reader)

    def kwargs(self, extra_certs: Iterable[Any], crls: list[Any], ocsps: list[Any]) -> dict[str, Any]:
        dss_certs, dss_crls, dss_ocsps = self.dss
        weak = {"md2", "md5"} if self.settings.allow_sha1_chains else set(_WEAK_HASHES)
        return dict(
            trust_roots=list(self.trust.roots),
            other_certs=[*self.trust.intermediates, *dss_certs, *extra_certs],
            crls=[*dss_crls, *crls],
            ocsps=[*dss_ocsps, *ocsps],
            allow_fetching=self.settings.online,
            revocation_mode="soft-fail",
            weak_hash_algos=weak,
        )

    def at(self, moment: dt.datetime | None, extra_certs: Iterable[Any], crls: list[Any], ocsps: list[Any]) -> Any:
        """A context that validates at ``moment`` (offline), with these extra certificates and
        revocation data."""
        from pyhanko_certvalidator import ValidationContext

        kwargs = self.kwargs(extra_certs, crls, ocsps)
        if moment is not None and not self.settings.online:
            kwargs["moment"] = moment
        return ValidationContext(**kwargs)


def validate_signature(embedded: Any, context: Any, ts_context: Any, key_usage: Any, skip_diff: bool) -> Any:
    """pyHanko's validation of a PDF signature (a coroutine)."""
    from pyhanko.sign.validation import async_validate_pdf_signature

    return async_validate_pdf_signature(
        embedded,
        signer_validation_context=context,
        ts_validation_context=ts_context,
        key_usage_settings=key_usage,
        skip_diff=skip_diff,
    )


def validate_timestamp(embedded: Any, context: Any, skip_diff: bool) -> Any:
    """pyHanko's validation of a document timestamp (a coroutine)."""
    from pyhanko.sign.validation import async_validate_pdf_timestamp

    return async_validate_pdf_timestamp(embedded, validation_context=context, skip_diff=skip_diff)
