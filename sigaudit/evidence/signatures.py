"""Signature evidence, read and validated with pyHanko.

Every filled signature field of the document yields one ``SignatureEvidence``, whether or
not pyHanko can validate it: fields are enumerated from the AcroForm ourselves, and a
field whose SubFilter pyHanko does not support, or whose CMS blob is broken, is reported
as ``unsupported`` or ``malformed`` with the reason — never dropped (pyHanko's own
enumeration silently skips unknown SubFilters).

Chains are validated at the signing time (the timestamp token's time when there is one),
offline unless the settings allow fetching, with the revocation data the file embeds
(DSS and Adobe ``revocation info archival``).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
from collections.abc import Callable, Iterable
from typing import Any
from zoneinfo import ZoneInfo

from asn1crypto import cms
from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.generic import NameObject
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.validation.pdf_embedded import (
    EmbeddedPdfSignature,
    async_validate_pdf_signature,
    async_validate_pdf_timestamp,
)
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko_certvalidator import ValidationContext

from sigaudit.evidence.signer import identify
from sigaudit.model import (
    Modification,
    Settings,
    SignatureEvidence,
    SignatureType,
    SignerKind,
    TimeSource,
    ValidationStatus,
)
from sigaudit.trust import TrustStore

log = logging.getLogger(__name__)

SIG_SUBFILTERS = {"/adbe.pkcs7.detached", "/ETSI.CAdES.detached", "/PBAD.PAdES"}
TIMESTAMP_SUBFILTERS = {"/ETSI.RFC3161"}
LEGACY_SUBFILTERS = {"/adbe.pkcs7.sha1", "/adbe.x509.rsa_sha1"}
_WEAK_HASHES = {"md2", "md5", "sha1"}
# Messages of pyHanko errors that only strict parsing raises.
_STRICT_MARKERS = ("strict mode", "hybrid-reference", "hybrid reference")

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
            int(m["y"]), int(m["mo"] or 1), int(m["d"] or 1),
            int(m["h"] or 0), int(m["mi"] or 0), int(m["s"] or 0),
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


def _cms_attr(attrs: Any, name: str) -> Any | None:
    """First value of a CMS attribute, or None."""
    if attrs is None or not hasattr(attrs, "__iter__"):
        return None
    try:
        for attr in attrs:
            if attr["type"].native == name:
                return attr["values"][0]
    except Exception:  # a broken attribute set says nothing usable
        return None
    return None


def _signed_attr_time(signer_info: Any) -> dt.datetime | None:
    value = _cms_attr(signer_info["signed_attrs"], "signing_time")
    try:
        return value.native if value is not None else None
    except Exception:
        return None


def _token_time(signer_info: Any) -> dt.datetime | None:
    token = _cms_attr(signer_info["unsigned_attrs"], "signature_time_stamp_token")
    if token is None:
        return None
    try:
        tst_info = token["content"]["encap_content_info"]["content"].parsed
        return tst_info["gen_time"].native
    except Exception:
        return None


def _tst_gen_time(signed_data: Any) -> dt.datetime | None:
    try:
        return signed_data["encap_content_info"]["content"].parsed["gen_time"].native
    except Exception:
        return None


def _adobe_revinfo(signer_info: Any) -> tuple[list[Any], list[Any]]:
    value = _cms_attr(signer_info["signed_attrs"], "adobe_revocation_info_archival")
    if value is None:
        return [], []
    try:
        crls = list(value["crl"]) if value["crl"].native is not None else []
        ocsps = list(value["ocsp"]) if value["ocsp"].native is not None else []
        return crls, ocsps
    except Exception:
        return [], []


def read_dss(reader: Any) -> tuple[list[Any], list[Any], list[Any]]:
    """Certificates, CRLs and OCSP responses from the document security store."""
    try:
        dss = reader.root["/DSS"]
    except Exception:
        return [], [], []
    out: list[list[Any]] = [[], [], []]
    for idx, (key, loader) in enumerate(
        (("/Certs", asn1_x509.Certificate), ("/CRLs", asn1_crl.CertificateList), ("/OCSPs", asn1_ocsp.OCSPResponse))
    ):
        try:
            refs = dss.get(key) or []
            for ref in refs:
                try:
                    out[idx].append(loader.load(ref.get_object().data))
                except Exception:
                    log.debug("skipping an unreadable DSS %s entry", key)
        except Exception:
            log.debug("unreadable DSS %s array", key)
    return out[0], out[1], out[2]


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
                    weak.append(f"{algo} in certificate {cert.subject.human_friendly}")
        except Exception:
            log.debug("could not walk the validation path", exc_info=True)
    return tuple(weak)


class SignatureReader:
    """Reads all signature fields of one opened document.  One instance per document."""

    def __init__(self, reader: Any, settings: Settings, trust: TrustStore) -> None:
        self.reader = reader
        self.settings = settings
        self.trust = trust
        self.zone = ZoneInfo(settings.tz)
        self._dss: tuple[list[Any], list[Any], list[Any]] | None = None
        self.strictness_failed = False
        """A failure came from strict parsing: the caller should retry leniently."""
        self._field_refs: dict[str, Any] = {}

    def _note_strictness(self, exc: BaseException) -> None:
        text = str(exc)
        if getattr(self.reader, "strict", False) and any(m in text for m in _STRICT_MARKERS):
            self.strictness_failed = True

    def read_all(self) -> tuple[SignatureEvidence, ...]:
        results = []
        for fq_name, value, field_ref in enumerate_sig_fields(self.reader, filled_status=True):
            self._field_refs[str(fq_name)] = field_ref
            results.append(self._read_field(str(fq_name), value, field_ref))
        return tuple(results)

    # -- one field ------------------------------------------------------------------

    def _read_field(self, name: str, value: Any, field_ref: Any) -> SignatureEvidence:
        try:
            sig_obj = value.get_object()
            sig_type_name = str(sig_obj.get("/Type", "")) or None
            sub_filter = str(sig_obj.get("/SubFilter")) if sig_obj.get("/SubFilter") is not None else None
        except Exception as exc:
            return SignatureEvidence(
                field=name, type=SignatureType.SIGNATURE, status=ValidationStatus.MALFORMED,
                problem=f"the signature dictionary cannot be read ({_short(exc)})",
            )
        is_ts = sig_type_name == "/DocTimeStamp" or sub_filter in TIMESTAMP_SUBFILTERS
        sig_type = SignatureType.DOCUMENT_TIMESTAMP if is_ts else SignatureType.SIGNATURE
        pdf_time, pdf_naive = self._pdf_time(sig_obj)
        base = dict(field=name, type=sig_type, sub_filter=_name(sub_filter), pdf_time=pdf_time, pdf_time_naive=pdf_naive)

        supported = TIMESTAMP_SUBFILTERS if is_ts else SIG_SUBFILTERS
        if sub_filter not in supported:
            return self._unsupported(base, sig_obj, sub_filter)

        try:
            embedded = _embedded_class(is_ts)(self.reader, field_ref, name)
            signer_info = embedded.signer_info
            cert = embedded.signer_cert
        except Exception as exc:
            self._note_strictness(exc)
            return SignatureEvidence(
                **base, status=ValidationStatus.MALFORMED,
                problem=f"its CMS signature cannot be decoded ({_short(exc)})",
                time_source=TimeSource.PDF_DICTIONARY if pdf_time else None, signing_time=pdf_time,
            )
        if is_ts:
            return self._validate_timestamp(base, embedded, cert)
        return self._validate_signature(base, embedded, signer_info, cert)

    def _pdf_time(self, sig_obj: Any) -> tuple[dt.datetime | None, bool]:
        raw = sig_obj.get("/M")
        if raw is None:
            return None, False
        try:
            return parse_pdf_date(str(raw), self.zone)
        except Exception:
            return None, False

    def _unsupported(self, base: dict[str, Any], sig_obj: Any, sub_filter: str | None) -> SignatureEvidence:
        """A field pyHanko will not validate: say who signed it if the CMS can tell."""
        identity = _identity_from_contents(sig_obj) if sub_filter != "/adbe.x509.rsa_sha1" else None
        what = sub_filter or "no SubFilter"
        return SignatureEvidence(
            **base,
            status=ValidationStatus.UNSUPPORTED,
            problem=f"the signature format {what} cannot be validated by this tool",
            signer=identity.name if identity else None,
            signer_org=identity.organization if identity else None,
            signer_ids=identity.ids if identity else (),
            kind=identity.kind if identity else SignerKind.UNKNOWN,
            signing_time=base["pdf_time"],
            time_source=TimeSource.PDF_DICTIONARY if base["pdf_time"] else None,
        )

    # -- validation -----------------------------------------------------------------

    def _dss_material(self) -> tuple[list[Any], list[Any], list[Any]]:
        if self._dss is None:
            self._dss = read_dss(self.reader)
        return self._dss

    def _context(self, moment: dt.datetime | None, extra_certs: Iterable[Any], crls: list[Any], ocsps: list[Any]) -> Any:
        dss_certs, dss_crls, dss_ocsps = self._dss_material()
        weak = {"md2", "md5"} if self.settings.allow_sha1_chains else set(_WEAK_HASHES)
        kwargs: dict[str, Any] = dict(
            trust_roots=list(self.trust.roots),
            other_certs=[*self.trust.intermediates, *dss_certs, *extra_certs],
            crls=[*dss_crls, *crls],
            ocsps=[*dss_ocsps, *ocsps],
            allow_fetching=self.settings.online,
            revocation_mode="soft-fail",
            weak_hash_algos=weak,
        )
        if moment is not None and not self.settings.online:
            kwargs["moment"] = moment
        return ValidationContext(**kwargs)

    def _identity_fields(self, cert: Any) -> dict[str, Any]:
        identity = identify(cert)
        return dict(
            signer=identity.name,
            signer_org=identity.organization,
            signer_ids=identity.ids,
            kind=identity.kind,
            issuer=identity.issuer,
            cert_not_before=cert.not_valid_before,
            cert_not_after=cert.not_valid_after,
        )

    def _validate_signature(self, base: dict[str, Any], embedded: Any, signer_info: Any, cert: Any) -> SignatureEvidence:
        attr_time = _signed_attr_time(signer_info)
        token_time = _token_time(signer_info)
        claimed = token_time or attr_time or base["pdf_time"]
        crls, ocsps = _adobe_revinfo(signer_info)
        context = self._context(claimed, embedded.other_embedded_certs, crls, ocsps)
        # The token's own chain is validated at its own time; without a token pyHanko
        # needs no second context.
        ts_context = self._context(token_time, embedded.other_embedded_certs, crls, ocsps) if token_time else None
        # Vietnamese signing certificates often carry digitalSignature without
        # nonRepudiation; either one is enough for a document signature.
        key_usage = KeyUsageConstraints(
            key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False
        )
        fields = self._identity_fields(cert)
        status, diff_problem, exc = self._validated(
            embedded, base["field"], False,
            lambda emb, skip_diff: async_validate_pdf_signature(
                emb, signer_validation_context=context, ts_validation_context=ts_context,
                key_usage_settings=key_usage, skip_diff=skip_diff,
            ),
        )
        if status is None:
            return SignatureEvidence(
                **base, **fields, status=_failure_status(exc), problem=_problem(exc),
                md_algorithm=embedded.md_algorithm, signed_attr_time=attr_time, timestamp_time=token_time,
                signing_time=claimed, time_source=_source(token_time, attr_time),
            )
        unsupported = _unsupported_mechanism(signer_info) if not status.valid else None
        ts_status = getattr(status, "timestamp_validity", None)
        timestamp_valid = None
        if ts_status is not None:
            timestamp_valid = bool(ts_status.intact and ts_status.valid)
            token_time = ts_status.timestamp or token_time
        if token_time is not None and timestamp_valid is not False:
            signing_time, source = token_time, TimeSource.TIMESTAMP_TOKEN
        elif attr_time is not None:
            signing_time, source = attr_time, TimeSource.SIGNED_ATTRIBUTE
        else:
            signing_time = base["pdf_time"]
            source = TimeSource.PDF_DICTIONARY if signing_time else None
        trusted = bool(status.trusted) if self.trust.configured else None
        problem_indic = getattr(status, "trust_problem_indic", None)
        if unsupported:
            # Not proven wrong: this validator cannot check the algorithm at all.
            return SignatureEvidence(
                **base, **fields, status=ValidationStatus.UNSUPPORTED,
                problem=f"its signature algorithm {unsupported} cannot be verified by this tool",
                signing_time=signing_time, time_source=source, signed_attr_time=attr_time,
                timestamp_time=token_time, intact=bool(status.intact), md_algorithm=embedded.md_algorithm,
                coverage=status.coverage.name.lower() if status.coverage is not None else None,
                modification=_modification(status),
            )
        return SignatureEvidence(
            **base, **fields,
            status=ValidationStatus.VALIDATED,
            problem=diff_problem,
            signing_time=signing_time,
            time_source=source,
            signed_attr_time=attr_time,
            timestamp_time=token_time,
            timestamp_valid=timestamp_valid,
            intact=bool(status.intact),
            valid=bool(status.valid),
            trusted=trusted,
            trust_problem=(problem_indic.name.lower() if problem_indic is not None and trusted is False else None),
            weak_algorithms=_chain_weak_algorithms(status, embedded.md_algorithm),
            coverage=status.coverage.name.lower() if status.coverage is not None else None,
            modification=_modification(status),
            md_algorithm=embedded.md_algorithm,
        )

    def _validated(
        self, embedded: Any, name: str, is_ts: bool, validate: Callable[[Any, bool], Any]
    ) -> tuple[Any | None, str | None, Exception | None]:
        """Run a pyHanko validation; returns (status, problem, error).

        pyHanko's difference analysis crashes on some real files (dangling references in
        later revisions).  Then validate again without it: integrity, signature and chain
        are still decided, and what changed after signing is reported as not analysed.
        """
        try:
            return _run(validate(embedded, False)), None, None
        except Exception as exc:
            self._note_strictness(exc)
            first = exc
        try:
            fresh = _embedded_class(is_ts)(self.reader, self._field_refs[name], name)
            status = _run(validate(fresh, True))
        except Exception:
            log.info("validation failed for %s", name, exc_info=True)
            return None, None, first
        log.info("difference analysis failed for %s: %s", name, first)
        return status, f"the changes made after it could not be analysed ({_short(first)})", None

    def _validate_timestamp(self, base: dict[str, Any], embedded: Any, cert: Any) -> SignatureEvidence:
        gen_time = _tst_gen_time(embedded.signed_data)
        context = self._context(gen_time, embedded.other_embedded_certs, [], [])
        fields = self._identity_fields(cert)
        status, diff_problem, exc = self._validated(
            embedded, base["field"], True,
            lambda emb, skip_diff: async_validate_pdf_timestamp(emb, validation_context=context, skip_diff=skip_diff),
        )
        if status is None:
            return SignatureEvidence(
                **base, **fields, status=_failure_status(exc), problem=_problem(exc),
                signing_time=gen_time, time_source=TimeSource.TIMESTAMP_TOKEN if gen_time else None,
                timestamp_time=gen_time,
            )
        trusted = bool(status.trusted) if self.trust.configured else None
        fields["kind"] = SignerKind.UNKNOWN  # a TSA, neither a person nor the issuing body
        return SignatureEvidence(
            **base, **fields,
            status=ValidationStatus.VALIDATED,
            problem=diff_problem,
            signing_time=status.timestamp or gen_time,
            time_source=TimeSource.TIMESTAMP_TOKEN,
            timestamp_time=status.timestamp or gen_time,
            timestamp_valid=bool(status.intact and status.valid),
            intact=bool(status.intact),
            valid=bool(status.valid),
            trusted=trusted,
            coverage=status.coverage.name.lower() if status.coverage is not None else None,
            modification=_modification(status),
            md_algorithm=embedded.md_algorithm,
        )


def _identity_from_contents(sig_obj: Any) -> Any | None:
    """The signer named by the first certificate of a CMS blob pyHanko will not validate."""
    try:
        signed_data = cms.ContentInfo.load(bytes(sig_obj["/Contents"]))["content"]
        certs = [c.chosen for c in signed_data["certificates"]]
        return identify(certs[0]) if certs else None
    except Exception:
        log.debug("no signer identity in this signature's /Contents", exc_info=True)
        return None


def fields_without_pyhanko(pypdf_reader: Any, settings: Settings) -> tuple[SignatureEvidence, ...]:
    """Signature fields of a file pyHanko cannot open at all, found with pypdf.

    pypdf rebuilds broken cross-reference tables that pyHanko refuses even in lenient
    mode.  Such signatures cannot be validated (their byte ranges point into a file whose
    structure is broken), but they exist and must be listed: each one is reported as
    malformed, with whatever the CMS says about the signer.
    """
    zone = ZoneInfo(settings.tz)
    out: list[SignatureEvidence] = []
    acroform = pypdf_reader.trailer["/Root"].get("/AcroForm")
    if not acroform:
        return ()
    seen: set[int] = set()

    def walk(fields: Any, prefix: str, inherited_ft: Any) -> None:
        for ref in fields or []:
            key = getattr(ref, "idnum", None)
            if key is not None:
                if key in seen:
                    continue
                seen.add(key)
            field = ref.get_object()
            name = f"{prefix}.{field['/T']}" if prefix and "/T" in field else str(field.get("/T", prefix))
            ft = field.get("/FT", inherited_ft)
            kids = field.get("/Kids")
            if kids and any("/T" in k.get_object() for k in kids):
                walk(kids, name, ft)
            elif ft == "/Sig" and field.get("/V") is not None:
                out.append(_broken_file_signature(name, field["/V"].get_object(), zone))

    walk(acroform.get_object().get("/Fields"), "", None)
    return tuple(out)


def _broken_file_signature(name: str, sig_obj: Any, zone: dt.tzinfo) -> SignatureEvidence:
    sub_filter = sig_obj.get("/SubFilter")
    is_ts = sig_obj.get("/Type") == "/DocTimeStamp" or sub_filter in TIMESTAMP_SUBFILTERS
    pdf_time, naive = parse_pdf_date(str(sig_obj["/M"]), zone) if sig_obj.get("/M") else (None, False)
    identity = _identity_from_contents(sig_obj)
    return SignatureEvidence(
        field=name,
        type=SignatureType.DOCUMENT_TIMESTAMP if is_ts else SignatureType.SIGNATURE,
        status=ValidationStatus.MALFORMED,
        sub_filter=_name(str(sub_filter)) if sub_filter else None,
        signer=identity.name if identity else None,
        signer_org=identity.organization if identity else None,
        signer_ids=identity.ids if identity else (),
        kind=identity.kind if identity else SignerKind.UNKNOWN,
        issuer=identity.issuer if identity else None,
        pdf_time=pdf_time,
        pdf_time_naive=naive,
        signing_time=pdf_time,
        time_source=TimeSource.PDF_DICTIONARY if pdf_time else None,
        problem="the file's structure is broken beyond what the signature validator accepts, "
        "so the signed byte ranges cannot be checked",
    )


# Signature mechanisms pyHanko verifies (asn1crypto names).  Anything else that fails is
# "unsupported", not "invalid": invalid means proven wrong.
_VERIFIABLE_MECHANISMS = {
    "rsassa_pkcs1v15", "rsassa_pss", "md5_rsa", "sha1_rsa", "sha224_rsa", "sha256_rsa", "sha384_rsa",
    "sha512_rsa", "ecdsa", "sha1_ecdsa", "sha224_ecdsa", "sha256_ecdsa", "sha384_ecdsa", "sha512_ecdsa",
    "dsa", "sha1_dsa", "sha224_dsa", "sha256_dsa", "ed25519", "ed448",
}


def _unsupported_mechanism(signer_info: Any) -> str | None:
    try:
        algo = signer_info["signature_algorithm"]["algorithm"]
        name, dotted = algo.native, algo.dotted
    except Exception:
        return "(unreadable)"
    if name in _VERIFIABLE_MECHANISMS:
        return None
    return dotted if name == dotted else f"{name} ({dotted})"


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


def _problem(exc: BaseException) -> str:
    return f"it could not be validated ({_short(exc)})"


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


def _name(value: str | None) -> str | None:
    return value[1:] if value and value.startswith("/") else value
