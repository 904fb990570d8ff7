"""Constants and small helpers shared by the signature modules."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any

from pyhanko.pdf_utils.generic import NameObject
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation.pdf_embedded import (
    EmbeddedPdfSignature,
)
from pyhanko.sign.validation.settings import KeyUsageConstraints

from sigaudit.model import (
    Modification,
    Problem,
    TimeSource,
    ValidationStatus,
)

log = logging.getLogger(__name__)


SIG_SUBFILTERS = {"/adbe.pkcs7.detached", "/ETSI.CAdES.detached", "/PBAD.PAdES"}


TIMESTAMP_SUBFILTERS = {"/ETSI.RFC3161"}


LEGACY_SUBFILTERS = {"/adbe.pkcs7.sha1", "/adbe.x509.rsa_sha1"}


_WEAK_HASHES = {"md2", "md5", "sha1"}
# Messages of pyHanko errors that only strict parsing raises.


_STRICT_MARKERS = ("strict mode", "hybrid-reference", "hybrid reference")


def _modification(status: Any) -> Modification | None:
    level = getattr(status, "modification_level", None)
    if level is None:
        if getattr(status, "diff_result", None) is not None:
            return Modification.OTHER  # SuspiciousModification
        return None
    return {
        ModificationLevel.NONE: Modification.NONE,
        ModificationLevel.LTA_UPDATES: Modification.NONE,
        ModificationLevel.FORM_FILLING: Modification.FORM_FILLING,
        ModificationLevel.ANNOTATIONS: Modification.ANNOTATIONS,
    }.get(level, Modification.OTHER)


def _chain_weak_algorithms(status: Any, md_algorithm: str | None) -> tuple[str, ...]:
    weak: list[str] = []
    if md_algorithm in _WEAK_HASHES:
        weak.append(f"signature digest {md_algorithm}")
    path = getattr(status, "validation_path", None)
    if path is not None:
        try:
            for cert in path.iter_certs(include_root=False):
                algo = cert["signature_algorithm"].hash_algo
                if algo in _WEAK_HASHES:
                    name = cert.subject.native.get("common_name") or cert.subject.human_friendly
                    weak.append(f"{algo} in certificate {name}")
        except Exception:
            log.debug("could not walk the validation path", exc_info=True)
    return tuple(weak)


_KEY_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)


class _PathHolder:
    def __init__(self, path: Any) -> None:
        self.validation_path = path


def _signed_bytes(data: bytes, ranges: list[int]) -> bytes:
    start1, len1, start2, len2 = ranges
    if min(ranges) < 0 or start2 + len2 > len(data) or start1 + len1 > len(data):
        raise ValueError("the byte range points beyond the end of the file")
    return data[start1 : start1 + len1] + data[start2 : start2 + len2]


def _stream_bytes(reader: Any) -> bytes:
    stream = reader.stream
    position = stream.tell()
    stream.seek(0)
    data = stream.read()
    stream.seek(position)
    return bytes(data)


def _value_ref(field_ref: Any) -> tuple[int, int] | None:
    """(idnum, generation) of a signature field's /V, when it is an indirect object."""
    try:
        raw = field_ref.get_object().raw_get("/V")
        return (raw.idnum, raw.generation) if hasattr(raw, "idnum") else None
    except Exception:
        return None


def _md_name(embedded: Any) -> str | None:
    try:
        return embedded.md_algorithm
    except Exception:
        return None


def _embedded_class(is_timestamp: bool) -> type:
    """pyHanko's EmbeddedPdfSignature; for timestamps, one that trusts the SubFilter.

    Some producers write document timestamps (SubFilter ETSI.RFC3161) with ``/Type /Sig``.
    pyHanko refuses to validate those as timestamps because of the type; the SubFilter
    and the CMS content (a TSTInfo) say unambiguously what they are.
    """
    if not is_timestamp:
        return EmbeddedPdfSignature

    class _DocTimestamp(EmbeddedPdfSignature):  # type: ignore[misc]
        @property
        def sig_object_type(self) -> Any:
            return NameObject("/DocTimeStamp")

    return _DocTimestamp


def _source(token_time: dt.datetime | None, attr_time: dt.datetime | None) -> TimeSource | None:
    if token_time is not None:
        return TimeSource.TIMESTAMP_TOKEN
    if attr_time is not None:
        return TimeSource.SIGNED_ATTRIBUTE
    return None


def _run(coro: Any) -> Any:
    return asyncio.run(coro)


def _failure_status(exc: BaseException) -> ValidationStatus:
    """An exception during validation: not proven wrong, so never 'invalid'."""
    text = f"{type(exc).__name__} {exc}".lower()
    if isinstance(exc, NotImplementedError) or "not supported" in text or "unsupported" in text:
        return ValidationStatus.UNSUPPORTED
    if "hybrid" in text:
        return ValidationStatus.UNSUPPORTED
    return ValidationStatus.MALFORMED


def _problem(exc: BaseException) -> Problem:
    return Problem.of("not_validated", _short(exc))


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


def _name(value: str | None) -> str | None:
    return value[1:] if value and value.startswith("/") else value
