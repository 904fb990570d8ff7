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
import contextlib
import datetime as dt
import hashlib
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo

from asn1crypto import cms
from asn1crypto import core as asn1_core
from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.generic import NameObject
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.validation.pdf_embedded import (
    EmbeddedPdfSignature,
    async_validate_pdf_signature,
    async_validate_pdf_timestamp,
)
from pyhanko.sign.validation.generic_cms import async_validate_cms_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko_certvalidator import ValidationContext

from sigaudit import fastpath
from sigaudit.evidence import fastverify
from sigaudit.evidence.effects import compare_revisions
from sigaudit.evidence.revisions import signature_additions_only
from sigaudit.evidence.signer import identify
from sigaudit.evidence.structure import byte_range_problem, describe_changes
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


def _signing_time_problem(signer_info: Any) -> str | None:
    """Why the signed signingTime attribute cannot be read (an impossible date…), or None."""
    value = _cms_attr(signer_info["signed_attrs"], "signing_time")
    if value is None:
        return None
    try:
        value.native
    except Exception as exc:
        raw = getattr(getattr(value, "chosen", value), "contents", b"") or b""
        return f"the signed signing time {raw.decode('latin-1', 'replace')!r} is not a valid time ({_short(exc)})"
    return None


@contextlib.contextmanager
def _tolerant_signing_time(active: bool) -> Iterator[None]:
    """While validating a signature whose signingTime attribute cannot be parsed, let
    pyHanko read it as absent instead of aborting: the signature's integrity, validity and
    chain do not depend on it, and the unreadable time is reported on its own
    (SIGNING_TIME_UNREADABLE).  Scoped to the call; the replacement only differs from
    pyHanko's function where that one raises."""
    if not active:
        yield
        return
    from pyhanko.sign.validation import generic_cms

    original = generic_cms.extract_self_reported_ts

    def tolerant(signer_info: Any) -> dt.datetime | None:
        try:
            return original(signer_info)
        except ValueError:
            return None

    generic_cms.extract_self_reported_ts = tolerant
    try:
        yield
    finally:
        generic_cms.extract_self_reported_ts = original


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

    def __init__(self, reader: Any, settings: Settings, trust: TrustStore, data: bytes | None = None) -> None:
        self.reader = reader
        self.data = data if data is not None else _stream_bytes(reader)
        self.settings = settings
        self.trust = trust
        self.zone = ZoneInfo(settings.tz)
        self._dss: tuple[list[Any], list[Any], list[Any]] | None = None
        self.strictness_failed = False
        """A failure came from strict parsing: the caller should retry leniently."""
        self._field_refs: dict[str, Any] = {}
        self._sig_field_names: set[str] = set()
        self._fast_modification: Modification | None = None

    def _note_strictness(self, exc: BaseException) -> None:
        text = str(exc)
        if getattr(self.reader, "strict", False) and any(m in text for m in _STRICT_MARKERS):
            self.strictness_failed = True

    def read_all(self) -> tuple[SignatureEvidence, ...]:
        filled = []
        for fq_name, value, field_ref in enumerate_sig_fields(self.reader, filled_status=None):
            self._sig_field_names.add(str(fq_name))
            if value is not None:
                filled.append((str(fq_name), value, field_ref))
        seen_values = {_value_ref(ref) for _, _, ref in filled}
        for name, value, field_ref in _widget_signatures(self.reader):
            # Signed widgets on the pages that no form field lists: a gazette extract cut out
            # of a signed issue, or an /AcroForm removed after signing.  They were signed
            # and must be judged, never dropped.
            if _value_ref(field_ref) in seen_values:
                continue
            seen_values.add(_value_ref(field_ref))
            self._sig_field_names.add(name)
            filled.append((name, value, field_ref))
        results = []
        owners: dict[tuple[int, int], list[str]] = {}
        for name, value, field_ref in filled:
            self._field_refs[name] = field_ref
            evidence = self._read_field(name, value, field_ref)
            results.append(replace(evidence, **self._byte_range_facts(value)))
            key = _value_ref(field_ref)
            if key is not None:
                owners.setdefault(key, []).append(name)
        # One signature dictionary shown through several fields (an old iText-based tool
        # does this) is one signature: listed once, under its first field, naming the others.
        out = []
        repeated: set[str] = set()
        for names in owners.values():
            repeated.update(names[1:])
        for e in results:
            if e.field in repeated:
                continue
            others = next((tuple(n[1:]) for n in owners.values() if n[0] == e.field and len(n) > 1), ())
            out.append(replace(e, shared_with=others) if others else e)
        return tuple(out)

    def _byte_range_facts(self, value: Any) -> dict[str, Any]:
        try:
            raw = _get(value.get_object(), "/ByteRange")
        except Exception:
            return {}
        if raw is None:
            return {"byte_range_problem": "is missing"}
        try:
            byte_range = [v.get_object() if hasattr(v, "get_object") else v for v in raw]
            values = tuple(int(v) for v in byte_range)
        except Exception:
            return {"byte_range_problem": "is not four offsets"}
        return {"byte_range": values, "byte_range_problem": byte_range_problem(self.data, byte_range)}

    def _modification_of(self, status: Any) -> Modification | None:
        return self._fast_modification if self._fast_modification is not None else _modification(status)

    def _after_signing(self, embedded: Any, status: Any) -> dict[str, Any]:
        """Form fields changed after the signature, and what the later revisions touched."""
        signed_revision = getattr(embedded, "signed_revision", None)
        diff = getattr(status, "diff_result", None)
        changed = getattr(diff, "changed_form_fields", None) or set()
        candidates = {str(f) for f in changed} - self._sig_field_names
        fields = self._rewritten_fields(candidates, signed_revision) if candidates else ()
        modification = self._modification_of(status)
        changes: tuple[str, ...] = ()
        if modification in (Modification.OTHER, Modification.ANNOTATIONS) or fields:
            # Only where it explains a finding: further signatures need no inventory.
            changes = describe_changes(self.reader, signed_revision)
        return {"changed_fields": fields, "changes": changes}

    def _judged_after_signing(self, embedded: Any, status: Any, diff_problem: str | None) -> dict[str, Any]:
        """modification, changes, changed_fields and problem of a validated signature.

        pyHanko's verdict stands where it finds nothing beyond signatures and form filling.
        Where it finds more, or its analysis failed, the signed revision is compared with
        the final file by effect (evidence/effects.py): only what changes what a reader
        sees counts.  An inconclusive comparison keeps the stricter verdict.
        """
        modification = self._modification_of(status)
        after = self._after_signing(embedded, status)
        out: dict[str, Any] = {"modification": modification, "problem": diff_problem, **after}
        needs_review = modification in (Modification.OTHER, Modification.ANNOTATIONS) or (
            modification is None and diff_problem is not None
        )
        coverage = getattr(status, "coverage", None)
        if not needs_review or coverage is not SignatureCoverageLevel.ENTIRE_REVISION:
            return out
        signed_revision = getattr(embedded, "signed_revision", None)
        try:
            ranges = [int(v) for v in embedded.sig_object["/ByteRange"]]
            end = ranges[2] + ranges[3]
        except Exception:
            return out
        if signed_revision is None or end > len(self.data):
            return out
        effect = compare_revisions(self.reader, signed_revision, self.data[:end], self.data)
        if effect is None:
            return out
        if effect.changes or effect.covering:
            changes = [*effect.changes, *(f"{c} annotation added over signed text" for c in effect.covering)]
            out.update(modification=Modification.OTHER, changes=tuple(changes), problem=None)
        elif effect.added_annotations:
            counts = Counter(effect.added_annotations)
            out.update(modification=Modification.ANNOTATIONS, problem=None,
                       changes=tuple(f"annotation {k} added ×{v}" for k, v in sorted(counts.items())))
        else:
            out.update(modification=Modification.FORM_FILLING if effect.signatures_added else Modification.NONE,
                       changes=(), problem=None)
        return out

    def _rewritten_fields(self, names: set[str], signed_revision: int | None) -> tuple[str, ...]:
        """Of the fields pyHanko names as changed, those whose field object, value or
        appearance was really written after the signed revision (pyHanko also names
        untouched fields when the field list around them is rewritten)."""
        if signed_revision is None:
            return tuple(sorted(names))
        try:
            xrefs = self.reader.xrefs
            later = {
                (r.idnum, r.generation)
                for rev in range(signed_revision + 1, xrefs.total_revisions)
                for r in xrefs.explicit_refs_in_revision(rev)
            }
            touched = _field_refs_by_name(self.reader)
        except Exception:
            log.debug("could not check which fields were rewritten", exc_info=True)
            return tuple(sorted(names))
        return tuple(sorted(n for n in names if touched.get(n, set()) & later))

    def _revision_review(self, sig_ref: Any, end: int) -> dict[str, Any]:
        """Coverage and later changes of a signature pyHanko's PDF validation does not
        handle (legacy SubFilters): pyHanko's difference analysis, run directly."""
        if end >= len(self.data):
            return {"coverage": "entire_file", "modification": Modification.NONE}
        try:
            from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY

            signed_revision = self.reader.xrefs.get_last_change(sig_ref)
            result = DEFAULT_DIFF_POLICY.review_file(self.reader, signed_revision)
        except MemoryError:
            raise
        except Exception as exc:
            log.info("difference analysis failed for a legacy signature", exc_info=True)
            return {"coverage": "entire_revision", "problem": f"the changes made after it could not be analysed ({_short(exc)})"}
        holder = type("Reviewed", (), {"modification_level": getattr(result, "modification_level", None),
                                       "diff_result": result})()
        review: dict[str, Any] = {"coverage": "entire_revision", "modification": _modification(holder)}
        review.update(self._after_signing(type("Signed", (), {"signed_revision": signed_revision})(), holder))
        return review

    # -- one field ------------------------------------------------------------------

    def _read_field(self, name: str, value: Any, field_ref: Any) -> SignatureEvidence:
        try:
            sig_obj = value.get_object()
            sig_type_name = str(_get(sig_obj, "/Type", "")) or None
            sub_filter = str(_get(sig_obj, "/SubFilter")) if _get(sig_obj, "/SubFilter") is not None else None
        except MemoryError:
            raise
        except Exception as exc:
            return SignatureEvidence(
                field=name, type=SignatureType.SIGNATURE, status=ValidationStatus.MALFORMED,
                problem=f"the signature dictionary cannot be read ({_short(exc)})",
            )
        is_ts = sig_type_name == "/DocTimeStamp" or sub_filter in TIMESTAMP_SUBFILTERS
        sig_type = SignatureType.DOCUMENT_TIMESTAMP if is_ts else SignatureType.SIGNATURE
        pdf_time, pdf_naive = self._pdf_time(sig_obj)
        base = dict(field=name, type=sig_type, sub_filter=_name(sub_filter), pdf_time=pdf_time, pdf_time_naive=pdf_naive)

        beyond = self._beyond_end(sig_obj)
        if beyond is not None:
            return self._signed_bytes_missing(base, sig_obj, beyond)
        supported = TIMESTAMP_SUBFILTERS if is_ts else SIG_SUBFILTERS
        if not is_ts and sub_filter in LEGACY_SUBFILTERS:
            return self._legacy(base, sig_obj, sub_filter, getattr(field_ref.get_object().raw_get("/V"), "reference", None))
        if sub_filter not in supported:
            return self._unsupported(base, sig_obj, sub_filter)

        try:
            embedded = _embedded_class(is_ts)(self.reader, field_ref, name)
            signer_info = embedded.signer_info
            cert = _signer_cert(embedded)
        except MemoryError:
            raise
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

    def _clock_skew(self, attr_time: dt.datetime | None, token_time: dt.datetime | None,
                    base: dict[str, Any]) -> float | None:
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
            references.append((token_time, self.settings.timestamp_tolerance_s))
        pdf_time = base.get("pdf_time")
        if pdf_time is not None and not base.get("pdf_time_naive"):
            references.append((pdf_time, max(self.settings.timestamp_tolerance_s, 1800.0)))
        for reference, tolerance in references:
            offset = reference.astimezone(self.zone).utcoffset()
            if not offset:
                continue
            gap = (attr_time - reference).total_seconds()
            offset_s = offset.total_seconds()
            if abs(gap) <= tolerance:
                return None  # the claimed time agrees with this reference: no skew
            if abs(gap - offset_s) <= tolerance:
                return offset_s
        return None

    def _beyond_end(self, sig_obj: Any) -> str | None:
        """The problem, when the /ByteRange points past the end of this file."""
        try:
            values = [int(v) for v in sig_obj["/ByteRange"]]
        except Exception:
            return None
        if len(values) == 4 and min(values) >= 0 and values[2] + values[3] > len(self.data):
            return byte_range_problem(self.data, values)
        return None

    def _signed_bytes_missing(self, base: dict[str, Any], sig_obj: Any, problem: str) -> SignatureEvidence:
        """A signature whose signed bytes are not all in the file (pages cut out of a signed
        gazette issue, a truncated file): it exists and it fails — never "unsigned"."""
        identity = _identity_from_contents(sig_obj)
        fields = {}
        if identity is not None:
            fields = dict(signer=identity.name, signer_org=identity.organization, signer_ids=identity.ids,
                          kind=identity.kind, issuer=identity.issuer)
        return SignatureEvidence(
            **base, **fields, status=ValidationStatus.VALIDATED, intact=False, valid=False,
            problem=f"its /ByteRange {problem}: the signed bytes are not all in this file",
            signing_time=base["pdf_time"], time_source=TimeSource.PDF_DICTIONARY if base["pdf_time"] else None,
        )

    def _pdf_time(self, sig_obj: Any) -> tuple[dt.datetime | None, bool]:
        raw = _get(sig_obj, "/M")
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

    def _legacy(self, base: dict[str, Any], sig_obj: Any, sub_filter: str, sig_ref: Any) -> SignatureEvidence:
        """adbe.pkcs7.sha1 and adbe.x509.rsa_sha1, which pyHanko does not validate.

        pkcs7.sha1: the CMS encapsulates the SHA-1 digest of the byte ranges; pyHanko's
        generic CMS validation checks the CMS (signature, chain, key usage) and we
        compare the digest.  x509.rsa_sha1: a bare PKCS #1 v1.5 value over the byte
        ranges, certificates in /Cert; verified with cryptography, the chain with
        pyhanko-certvalidator.  Both at the signing time claimed in the file.
        """
        try:
            ranges = [int(v) for v in sig_obj["/ByteRange"]]
            contents = bytes(sig_obj["/Contents"])
            if len(ranges) != 4 or not contents.strip(b"\x00"):
                raise ValueError("empty signature value or bad /ByteRange")
            signed = _signed_bytes(self.data, ranges)
        except MemoryError:
            raise
        except Exception as exc:
            return SignatureEvidence(
                **base, status=ValidationStatus.MALFORMED, problem=f"the signature value cannot be read ({_short(exc)})",
                signing_time=base["pdf_time"], time_source=TimeSource.PDF_DICTIONARY if base["pdf_time"] else None,
            )
        digest = hashlib.sha1(signed).digest()  # noqa: S324 - the SubFilter's own hash
        review = self._revision_review(sig_ref, ranges[2] + ranges[3])
        try:
            if sub_filter == "/adbe.pkcs7.sha1":
                return self._legacy_pkcs7(base, contents, digest, review)
            return self._legacy_x509(base, sig_obj, contents, signed, review)
        except MemoryError:
            raise
        except Exception as exc:
            log.info("legacy signature could not be validated", exc_info=True)
            return SignatureEvidence(
                **base, status=ValidationStatus.MALFORMED, problem=f"its {_name(sub_filter)} value is broken ({_short(exc)})",
                signing_time=base["pdf_time"], time_source=TimeSource.PDF_DICTIONARY if base["pdf_time"] else None,
            )

    def _legacy_pkcs7(self, base: dict[str, Any], contents: bytes, digest: bytes, review: dict[str, Any]) -> SignatureEvidence:
        signed_data = cms.ContentInfo.load(contents)["content"]
        signer_info = signed_data["signer_infos"][0]
        encapsulated = signed_data["encap_content_info"]["content"]
        content = encapsulated.native if encapsulated.native is not None else b""
        if isinstance(content, bytes) and len(content) != 20:
            # some producers wrap the digest in an OCTET STRING once more
            try:
                content = asn1_core.OctetString.load(content).native
            except Exception:
                pass
        attr_time = _signed_attr_time(signer_info)
        claimed = attr_time or base["pdf_time"]
        crls, ocsps = _adobe_revinfo(signer_info)
        embedded_certs = [c.chosen for c in signed_data["certificates"]] if signed_data["certificates"].native else []
        context = self._context(claimed, embedded_certs, crls, ocsps)
        status = _run(async_validate_cms_signature(signed_data, validation_context=context, key_usage_settings=_KEY_USAGE))
        intact = bool(status.intact) and content == digest
        fields = self._identity_fields(status.signing_cert)
        trusted = bool(status.trusted) if self.trust.configured else None
        indic = getattr(status, "trust_problem_indic", None)
        return SignatureEvidence(
            **base, **fields, status=ValidationStatus.VALIDATED,
            signing_time=claimed, time_source=_source(None, attr_time) or (TimeSource.PDF_DICTIONARY if claimed else None),
            signed_attr_time=attr_time, intact=intact, valid=intact and bool(status.valid), trusted=trusted,
            trust_problem=indic.name.lower() if indic is not None and trusted is False else None,
            weak_algorithms=_chain_weak_algorithms(status, "sha1"), md_algorithm="sha1", **review,
        )

    def _legacy_x509(
        self, base: dict[str, Any], sig_obj: Any, contents: bytes, signed: bytes, review: dict[str, Any]
    ) -> SignatureEvidence:
        from cryptography import x509 as crypto_x509
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding, rsa

        raw_certs = sig_obj["/Cert"]
        blobs = [bytes(raw_certs)] if not isinstance(raw_certs, list) else [bytes(c) for c in raw_certs]
        certs = [asn1_x509.Certificate.load(b) for b in blobs]
        value = asn1_core.OctetString.load(contents).native
        public_key = crypto_x509.load_der_x509_certificate(blobs[0]).public_key()
        if not isinstance(public_key, rsa.RSAPublicKey):
            raise ValueError("the certificate's key is not an RSA key")
        try:
            public_key.verify(value, signed, padding.PKCS1v15(), hashes.SHA1())  # noqa: S303
            good = True
        except InvalidSignature:
            good = False
        claimed = base["pdf_time"]
        context = self._context(claimed, certs[1:], [], [])
        trusted, problem, path = _run(_validate_chain(certs[0], certs[1:], context))
        fields = self._identity_fields(certs[0])
        return SignatureEvidence(
            **base, **fields, status=ValidationStatus.VALIDATED,
            signing_time=claimed, time_source=TimeSource.PDF_DICTIONARY if claimed else None,
            intact=good, valid=good, trusted=trusted if self.trust.configured else None,
            trust_problem=problem if self.trust.configured and not trusted else None,
            weak_algorithms=_chain_weak_algorithms(_PathHolder(path), "sha1"), md_algorithm="sha1", **review,
        )

    # -- validation -----------------------------------------------------------------

    def _dss_material(self) -> tuple[list[Any], list[Any], list[Any]]:
        if self._dss is None:
            self._dss = read_dss(self.reader)
        return self._dss

    def _context_kwargs(self, extra_certs: Iterable[Any], crls: list[Any], ocsps: list[Any]) -> dict[str, Any]:
        dss_certs, dss_crls, dss_ocsps = self._dss_material()
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

    def _context(self, moment: dt.datetime | None, extra_certs: Iterable[Any], crls: list[Any], ocsps: list[Any]) -> Any:
        kwargs = self._context_kwargs(extra_certs, crls, ocsps)
        if moment is not None and not self.settings.online:
            kwargs["moment"] = moment
        return ValidationContext(**kwargs)

    def _later_revisions(self, embedded: Any) -> Modification | None:
        """The fast revision check, for a signature that covers a whole revision."""
        try:
            coverage = embedded.evaluate_signature_coverage()
        except Exception:
            return None
        if coverage not in (SignatureCoverageLevel.ENTIRE_FILE, SignatureCoverageLevel.ENTIRE_REVISION):
            return None
        return signature_additions_only(self.reader, getattr(embedded, "signed_revision", None))

    def _fast_status(self, embedded: Any, signer_info: Any, moment: dt.datetime | None, has_token: bool,
                     crls: list[Any], ocsps: list[Any]) -> Any | None:
        """The fast path of evidence/fastverify.py, when this signature qualifies."""
        if not fastpath.ENABLED or self.settings.online or has_token or crls or ocsps or any(self._dss_material()):
            return None
        try:
            field = self._field_refs[embedded.field_name].get_object()
        except Exception:
            return None
        if not fastverify.eligible(embedded, embedded.sig_object, field, signer_info):
            return None
        modification = self._later_revisions(embedded)
        if modification is None:
            return None
        status = fastverify.verify(
            embedded, self.trust, moment, self._context_kwargs(embedded.other_embedded_certs, [], []), _KEY_USAGE
        )
        if status is not None:
            self._fast_modification = modification
        return status

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
        key_usage = _KEY_USAGE
        fields = self._identity_fields(cert)
        self._fast_modification = None
        time_problem = _signing_time_problem(signer_info)
        status = None
        if time_problem is None:
            status = self._fast_status(embedded, signer_info, claimed, token_time is not None, crls, ocsps)
        if status is not None:
            diff_problem, exc = None, None
        else:
            context = self._context(claimed, embedded.other_embedded_certs, crls, ocsps)
            # The token's own chain is validated at its own time; without a token pyHanko
            # needs no second context.
            ts_context = self._context(token_time, embedded.other_embedded_certs, crls, ocsps) if token_time else None
            with _tolerant_signing_time(time_problem is not None), _known_signer(embedded):
                status, diff_problem, exc = self._validated(
                    embedded, base["field"], False,
                    lambda emb, skip_diff: async_validate_pdf_signature(
                        emb, signer_validation_context=context, ts_validation_context=ts_context,
                        key_usage_settings=key_usage, skip_diff=skip_diff,
                    ),
                )
        if time_problem is not None:
            base = {**base, "signing_time_problem": time_problem}
        if status is None:
            digest = _unverifiable_digest(signer_info)
            return SignatureEvidence(
                **base, **fields,
                status=ValidationStatus.UNSUPPORTED if digest else _failure_status(exc),
                problem=f"its digest algorithm {digest} cannot be verified by this tool" if digest else _problem(exc),
                md_algorithm=_md_name(embedded), signed_attr_time=attr_time, timestamp_time=token_time,
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
        skew = self._clock_skew(attr_time, token_time if source is TimeSource.TIMESTAMP_TOKEN else None, base)
        if skew is not None and source is TimeSource.SIGNED_ATTRIBUTE and attr_time is not None:
            signing_time = attr_time - dt.timedelta(seconds=skew)
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
                modification=self._modification_of(status),
            )
        after = self._judged_after_signing(embedded, status, diff_problem)
        return SignatureEvidence(
            **base, **fields,
            status=ValidationStatus.VALIDATED,
            signing_time=signing_time,
            time_source=source,
            clock_skew_s=skew,
            signed_attr_time=attr_time,
            timestamp_time=token_time,
            timestamp_valid=timestamp_valid,
            intact=bool(status.intact),
            valid=bool(status.valid),
            trusted=trusted,
            trust_problem=(problem_indic.name.lower() if problem_indic is not None and trusted is False else None),
            weak_algorithms=_chain_weak_algorithms(status, embedded.md_algorithm),
            coverage=status.coverage.name.lower() if status.coverage is not None else None,
            md_algorithm=embedded.md_algorithm,
            **after,
        )

    def _validated(
        self, embedded: Any, name: str, is_ts: bool, validate: Callable[[Any, bool], Any]
    ) -> tuple[Any | None, str | None, Exception | None]:
        """Run a pyHanko validation; returns (status, problem, error).

        pyHanko's difference analysis crashes on some real files (dangling references in
        later revisions).  Then validate again without it: integrity, signature and chain
        are still decided, and what changed after signing is reported as not analysed.
        """
        self._fast_modification = None
        if fastpath.ENABLED:
            fast = self._later_revisions(embedded)
            if fast is not None:
                # Only signatures (or timestamps) were added after it: pyHanko's analysis
                # would say the same (tests/test_fastpath.py), so skip it.
                try:
                    status = _run(validate(embedded, True))
                except MemoryError:
                    raise
                except Exception as exc:
                    self._note_strictness(exc)
                    log.info("validation failed for %s", name, exc_info=True)
                    return None, None, exc
                self._fast_modification = fast
                return status, None, None
        try:
            return _run(validate(embedded, False)), None, None
        except MemoryError:
            raise
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
        after = self._judged_after_signing(embedded, status, diff_problem)
        return SignatureEvidence(
            **base, **fields,
            status=ValidationStatus.VALIDATED,
            signing_time=status.timestamp or gen_time,
            time_source=TimeSource.TIMESTAMP_TOKEN,
            timestamp_time=status.timestamp or gen_time,
            timestamp_valid=bool(status.intact and status.valid),
            intact=bool(status.intact),
            valid=bool(status.valid),
            trusted=trusted,
            coverage=status.coverage.name.lower() if status.coverage is not None else None,
            md_algorithm=embedded.md_algorithm,
            **after,
        )


# Vietnamese signing certificates often carry digitalSignature without nonRepudiation;
# either one is enough for a document signature.
_KEY_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)


class _PathHolder:
    def __init__(self, path: Any) -> None:
        self.validation_path = path


async def _validate_chain(cert: Any, others: list[Any], context: Any) -> tuple[bool, str | None, Any]:
    """(trusted, problem, path) for a certificate pyHanko's CMS validation does not see."""
    from pyhanko_certvalidator import CertificateValidator
    from pyhanko_certvalidator.errors import (
        ExpiredError,
        InvalidCertificateError,
        NotYetValidError,
        PathBuildingError,
        PathValidationError,
        RevokedError,
    )

    try:
        _KEY_USAGE.validate(cert)
    except MemoryError:
        raise
    except Exception as exc:
        return False, f"key usage: {_short(exc)}", None
    validator = CertificateValidator(cert, intermediate_certs=others, validation_context=context)
    try:
        path = await validator.async_validate_path()
    except RevokedError:
        return False, "revoked", None
    except ExpiredError:
        return False, "expired", None
    except NotYetValidError:
        return False, "not_yet_valid", None
    except PathBuildingError:
        return False, "no_certificate_chain_found", None
    except (PathValidationError, InvalidCertificateError) as exc:
        return False, _short(exc), None
    return True, None, path


def _field_refs_by_name(reader: Any) -> dict[str, set[tuple[int, int]]]:
    """Fully qualified field name → the objects that carry it: the field and its
    widgets, an indirect value, and their appearance streams."""
    from pyhanko.pdf_utils import generic

    out: dict[str, set[tuple[int, int]]] = {}
    fields = reader.root["/AcroForm"]["/Fields"]
    stack = [(fields.raw_get(i), "") for i in range(len(fields))]
    visited = 0
    while stack and visited < 20000:  # bounded: field trees can contain cycles
        visited += 1
        ref, prefix = stack.pop()
        if not isinstance(ref, generic.IndirectObject):
            continue
        node = ref.get_object()
        part = _get(node, "/T")
        name = f"{prefix}.{part}" if prefix and part is not None else (str(part) if part is not None else prefix)
        refs = out.setdefault(name, set())
        refs.add((ref.idnum, ref.generation))
        value = node.raw_get("/V") if "/V" in node else None
        if isinstance(value, generic.IndirectObject):
            refs.add((value.idnum, value.generation))
        appearance = node.get("/AP")
        if appearance is not None:
            for key in ("/N", "/D", "/R"):
                entry = appearance.raw_get(key) if key in appearance else None
                if isinstance(entry, generic.IndirectObject):
                    refs.add((entry.idnum, entry.generation))
        kids = node.get("/Kids")
        if kids is not None:
            stack.extend((kids.raw_get(i), name) for i in range(len(kids)))
    return out


def _widget_signatures(reader: Any) -> list[tuple[str, Any, Any]]:
    """(name, value, field) of signed signature widgets reachable from the pages' /Annots."""
    from pyhanko.pdf_utils import generic

    out: list[tuple[str, Any, Any]] = []
    try:
        pages = reader.root["/Pages"]
    except Exception:
        return out
    stack = [pages]
    visited = 0
    while stack and visited < 20000:
        visited += 1
        node = stack.pop().get_object()
        if "/Kids" in node:
            kids = node["/Kids"]
            stack.extend(kids.raw_get(i) for i in range(len(kids)))
            continue
        try:
            annots = node["/Annots"] if "/Annots" in node else []
        except Exception:
            continue
        for i in range(len(annots)):
            try:
                ref = annots.raw_get(i)
                widget = ref.get_object()
                if _get(widget, "/Subtype") != "/Widget":
                    continue
                field_ref, field = ref, widget
                if "/FT" not in widget and "/Parent" in widget:
                    field_ref, field = widget.raw_get("/Parent"), widget["/Parent"]
                if _get(field, "/FT") != "/Sig" or "/V" not in field:
                    continue
                if not isinstance(field_ref, generic.IndirectObject):
                    continue
                name = str(_get(field, "/T", f"widget {ref.idnum}"))
                out.append((name, field.raw_get("/V"), field_ref))
            except Exception:
                log.debug("unreadable annotation while looking for signature widgets", exc_info=True)
    return out


def fields_with_pdfium(data: bytes, settings: Settings) -> tuple[SignatureEvidence, ...]:
    """Signatures of a file that neither pyHanko nor pypdf can open, found with PDFium
    (which reconstructs damaged cross-reference tables, as qpdf and poppler do).  They
    cannot be validated through a broken structure, but they are listed: malformed, with
    the signer the CMS names and what is wrong with their /ByteRange."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    zone = ZoneInfo(settings.tz)
    out: list[SignatureEvidence] = []
    pdf = pdfium.PdfDocument(data)
    try:
        for i in range(raw.FPDF_GetSignatureCount(pdf.raw)):
            sig = raw.FPDF_GetSignatureObject(pdf.raw, i)
            n = raw.FPDFSignatureObj_GetContents(sig, None, 0)
            buf = ctypes.create_string_buffer(max(n, 1))
            raw.FPDFSignatureObj_GetContents(sig, buf, n)
            contents = buf.raw[:n]
            n = raw.FPDFSignatureObj_GetByteRange(sig, None, 0)
            ranges = (ctypes.c_int * max(n, 1))()
            raw.FPDFSignatureObj_GetByteRange(sig, ranges, n)
            byte_range = tuple(ranges[j] for j in range(n))
            n = raw.FPDFSignatureObj_GetSubFilter(sig, None, 0)
            sub = ctypes.create_string_buffer(max(n, 1))
            raw.FPDFSignatureObj_GetSubFilter(sig, sub, n)
            sub_filter = sub.value.decode("latin-1") or None
            n = raw.FPDFSignatureObj_GetTime(sig, None, 0)
            tbuf = ctypes.create_string_buffer(max(n, 1))
            raw.FPDFSignatureObj_GetTime(sig, tbuf, n)
            pdf_time, naive = parse_pdf_date(tbuf.value.decode("latin-1"), zone) if tbuf.value else (None, False)
            identity = _identity_from_contents({"/Contents": contents})
            is_ts = sub_filter == "ETSI.RFC3161"
            out.append(SignatureEvidence(
                field=f"signature {i + 1}",
                type=SignatureType.DOCUMENT_TIMESTAMP if is_ts else SignatureType.SIGNATURE,
                status=ValidationStatus.MALFORMED, sub_filter=sub_filter,
                signer=identity.name if identity else None,
                signer_org=identity.organization if identity else None,
                signer_ids=identity.ids if identity else (),
                kind=identity.kind if identity else SignerKind.UNKNOWN,
                issuer=identity.issuer if identity else None,
                pdf_time=pdf_time, pdf_time_naive=naive, signing_time=pdf_time,
                time_source=TimeSource.PDF_DICTIONARY if pdf_time else None,
                byte_range=byte_range, byte_range_problem=byte_range_problem(data, list(byte_range)),
                problem="the file's structure is broken beyond what the signature validator accepts, "
                "so the signed byte ranges cannot be checked",
            ))
    finally:
        pdf.close()
    return tuple(out)


def _signed_bytes(data: bytes, ranges: list[int]) -> bytes:
    start1, len1, start2, len2 = ranges
    if min(ranges) < 0 or start2 + len2 > len(data) or start1 + len1 > len(data):
        raise ValueError("the byte range points beyond the end of the file")
    return data[start1:start1 + len1] + data[start2:start2 + len2]


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


def _identity_from_contents(sig_obj: Any) -> Any | None:
    """The signer named by the first certificate of a CMS blob pyHanko will not validate."""
    try:
        signed_data = cms.ContentInfo.load(bytes(sig_obj["/Contents"]))["content"]
        certs = [c.chosen for c in signed_data["certificates"]]
        signer = _signer_certificate(signed_data, certs)
        return identify(signer) if signer is not None else None
    except Exception:
        log.debug("no signer identity in this signature's /Contents", exc_info=True)
        return None


def _signer_cert(embedded: Any) -> Any:
    """pyHanko's signer certificate; where pyHanko's issuer comparison fails (names whose
    string types it cannot compare), the certificate whose issuer and serial number are
    byte-for-byte those of the SignerInfo, bound by the ESS signing-certificate attribute
    as pyHanko would check it."""
    try:
        return embedded.signer_cert
    except Exception as exc:
        if "not included" not in str(exc):
            raise
        from pyhanko.sign.general import SignedDataCerts

        certs = [c.chosen.untag() for c in embedded.signed_data["certificates"] if c.name == "certificate"]
        cert = _signer_certificate(embedded.signed_data, certs, strict=True)
        if cert is None or not _ess_binds(cert, embedded.signer_info["signed_attrs"]):
            raise
        embedded._sd_cert_info = SignedDataCerts(  # noqa: SLF001 - the cache pyHanko reads
            signer_cert=cert, other_certs=[c for c in certs if c is not cert], attribute_certs=[])
        embedded._sigaudit_byte_matched = True  # noqa: SLF001 - see _known_signer
        log.info("signer certificate matched on issuer and serial bytes for %s", embedded.field_name)
        return cert


@contextlib.contextmanager
def _known_signer(embedded: Any) -> Iterator[None]:
    """While validating a signature whose signer certificate was matched on bytes
    (``_signer_cert``), pyHanko's CMS validation, which extracts the certificates again and
    checks the ESS signing-certificate attribute by name, gets that match for this signed
    data (its own answer for any other) and the ESS check on the certificate's hash.
    Scoped to the call."""
    if not getattr(embedded, "_sigaudit_byte_matched", False):
        yield
        return
    from pyhanko.sign.validation import generic_cms

    original = generic_cms.extract_certs_for_validation
    known = embedded.signed_data.dump()

    def extract(signed_data: Any) -> Any:
        if signed_data.dump() == known:  # this signature, whichever object holds it
            return embedded._sd_cert_info  # noqa: SLF001
        return original(signed_data)

    original_ess = generic_cms._check_signing_certificate  # noqa: SLF001

    def check_ess(cert: Any, signed_attrs: Any) -> None:
        # the same binding, on the certificate's hash rather than a name comparison
        if not _ess_binds(cert, signed_attrs):
            original_ess(cert, signed_attrs)

    generic_cms.extract_certs_for_validation = extract
    generic_cms._check_signing_certificate = check_ess  # noqa: SLF001
    try:
        yield
    finally:
        generic_cms.extract_certs_for_validation = original
        generic_cms._check_signing_certificate = original_ess  # noqa: SLF001


def _ess_binds(cert: Any, signed_attrs: Any) -> bool:
    """Whether the ESS signing-certificate(-v2) attribute, when present, names this very
    certificate by its hash (RFC 5035) — the binding pyHanko checks, done on bytes."""
    for name, default in (("signing_certificate_v2", "sha256"), ("signing_certificate", "sha1")):
        value = _cms_attr(signed_attrs, name)
        if value is None:
            continue
        try:
            first = value["certs"][0]
            algorithm = first["hash_algorithm"]["algorithm"].native if name.endswith("v2") else default
            expected = first["cert_hash"].native
            return bool(hashlib.new(algorithm.replace("_", "-") if algorithm.startswith("sha3") else algorithm,
                                    cert.dump()).digest() == expected)
        except Exception:
            log.debug("unreadable ESS signing-certificate attribute", exc_info=True)
            return False
    return True


def _signer_certificate(signed_data: Any, certs: list[Any], *, strict: bool = False) -> Any | None:
    """The certificate of the first SignerInfo, matched on the bytes of its issuer and
    serial number (or its subject key identifier); else the first certificate that is not
    a CA's.  CMS blobs list their certificates in any order."""
    try:
        sid = signed_data["signer_infos"][0]["sid"]
        if sid.name == "issuer_and_serial_number":
            issuer = sid.chosen["issuer"].dump()
            serial = sid.chosen["serial_number"].native
            for cert in certs:
                tbs = cert["tbs_certificate"]
                if tbs["serial_number"].native == serial and tbs["issuer"].dump() == issuer:
                    return cert
        elif sid.name == "subject_key_identifier":
            for cert in certs:
                if cert.key_identifier == sid.chosen.native:
                    return cert
    except Exception:
        log.debug("cannot match the signer's certificate", exc_info=True)
    if strict:
        return None
    for cert in certs:
        try:
            if not cert.ca:
                return cert
        except Exception:
            continue
    return certs[0] if certs else None


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


_DIGEST_NAMES = {"1.3.36.3.2.1": "RIPEMD-160", "2.16.840.1.101.3.4.2.9": "SHA3-512", "1.2.840.113549.2.2": "MD2"}


def _unverifiable_digest(signer_info: Any) -> str | None:
    """The SignerInfo's digest algorithm when the library cannot compute it (RIPEMD-160,
    MD2, an unknown OID): such a signature is unsupported here, not malformed."""
    try:
        algo = signer_info["digest_algorithm"]["algorithm"]
        name = algo.native
    except Exception:
        return None
    try:
        from pyhanko.sign.general import get_pyca_cryptography_hash

        get_pyca_cryptography_hash(name)
        return None
    except Exception:
        return _DIGEST_NAMES.get(algo.dotted, name)


def _md_name(embedded: Any) -> str | None:
    try:
        return embedded.md_algorithm
    except Exception:
        return None


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


def _get(obj: Any, key: str, default: Any = None) -> Any:
    """``obj[key]`` resolved (through decryption too), or ``default``.  pyHanko's
    ``dict.get`` returns the stored value as is: an encrypted file's entries are then
    proxies that are neither iterable nor the string they hold."""
    try:
        return obj[key] if key in obj else default
    except Exception:
        return default
