"""``SignatureReader``: every filled signature field of one document, validated."""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo

from pyhanko.sign.fields import enumerate_sig_fields

import sigaudit.fastpath as fastpath
from sigaudit.evidence import fastverify
from sigaudit.evidence.pdfdict import entry
from sigaudit.evidence.signatures.changes import ChangesMixin, as_signed
from sigaudit.evidence.signatures.cms import (
    _adobe_revinfo,
    _identity_from_contents,
    _known_signer,
    _signed_attr_time,
    _signer_cert,
    _signing_time_problem,
    _token_time,
    _tolerant_signing_time,
    _tst_gen_time,
    _unsupported_mechanism,
    _unverifiable_digest,
    identity_fields,
)
from sigaudit.evidence.signatures.common import (
    _KEY_USAGE,
    _STRICT_MARKERS,
    LEGACY_SUBFILTERS,
    SIG_SUBFILTERS,
    TIMESTAMP_SUBFILTERS,
    _chain_weak_algorithms,
    _embedded_class,
    _failure_status,
    _md_name,
    _name,
    _problem,
    _run,
    _short,
    _source,
    _stream_bytes,
    _value_ref,
)
from sigaudit.evidence.signatures.dates import clock_skew, parse_pdf_date
from sigaudit.evidence.signatures.digests import RangeDigests
from sigaudit.evidence.signatures.fields import _null_reference, _widget_signatures
from sigaudit.evidence.signatures.legacy import LegacyMixin
from sigaudit.evidence.signatures.tokens import complete_tokens, own_certificates
from sigaudit.evidence.signatures.validation import Contexts, validate_signature, validate_timestamp
from sigaudit.evidence.signer import identify
from sigaudit.evidence.structure import byte_range_problem
from sigaudit.model import (
    ByteRangeFault,
    ByteRangeProblem,
    Modification,
    Problem,
    Settings,
    SignatureEvidence,
    SignatureType,
    SignerKind,
    TimeSource,
    TrustProblem,
    ValidationStatus,
)
from sigaudit.trust import TrustStore

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=256)
def _identity_of(der: bytes) -> tuple[tuple[str, Any], ...]:
    """The signer's identity and validity period, once per certificate per process (the
    documents of an office share a few signers).  Keyed by the certificate's bytes."""
    from asn1crypto import x509

    cert = x509.Certificate.load(der)
    return tuple(
        {
            **identity_fields(identify(cert)),
            "cert_not_before": cert.not_valid_before,
            "cert_not_after": cert.not_valid_after,
        }.items()
    )


class SignatureReader(ChangesMixin, LegacyMixin):
    """Reads all signature fields of one opened document.  One instance per document."""

    def __init__(self, reader: Any, settings: Settings, trust: TrustStore, data: bytes | None = None) -> None:
        self.reader = reader
        self.data = data if data is not None else _stream_bytes(reader)
        self.settings = settings
        self.trust = trust
        self.zone = ZoneInfo(settings.tz)
        self.contexts = Contexts(reader, settings, trust)
        self.strictness_failed = False
        """A failure came from strict parsing: the caller should retry leniently."""
        self._field_refs: dict[str, Any] = {}
        self._sig_field_names: set[str] = set()
        self._digests = RangeDigests(reader.stream)
        self._ink_cache: dict[Any, Any] = {}
        """What appearances added after signing hide, shared by the document's signatures."""

    def _note_strictness(self, exc: BaseException) -> None:
        text = str(exc)
        if getattr(self.reader, "strict", False) and any(m in text for m in _STRICT_MARKERS):
            self.strictness_failed = True

    def read_all(self) -> tuple[SignatureEvidence, ...]:
        filled = []
        for fq_name, value, field_ref in enumerate_sig_fields(self.reader, filled_status=None):
            self._sig_field_names.add(str(fq_name))
            if value is not None and not _null_reference(self.reader, value):
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
            raw = entry(value.get_object(), "/ByteRange")
        except Exception:
            return {}
        if raw is None:
            return {"byte_range_problem": ByteRangeProblem(ByteRangeFault.MISSING)}
        try:
            byte_range = [v.get_object() if hasattr(v, "get_object") else v for v in raw]
            values = tuple(int(v) for v in byte_range)
        except Exception:
            return {"byte_range_problem": ByteRangeProblem(ByteRangeFault.NOT_FOUR_OFFSETS)}
        return {"byte_range": values, "byte_range_problem": byte_range_problem(self.data, byte_range)}

    # -- one field ------------------------------------------------------------------

    def _read_field(self, name: str, value: Any, field_ref: Any) -> SignatureEvidence:
        try:
            sig_obj = value.get_object()
            sig_type_name = str(entry(sig_obj, "/Type", "")) or None
            sub_filter = str(entry(sig_obj, "/SubFilter")) if entry(sig_obj, "/SubFilter") is not None else None
        except MemoryError:
            raise
        except Exception as exc:
            return SignatureEvidence(
                field=name,
                type=SignatureType.SIGNATURE,
                status=ValidationStatus.MALFORMED,
                problem=Problem.of("signature_dictionary_unreadable", _short(exc)),
            )
        is_ts = sig_type_name == "/DocTimeStamp" or sub_filter in TIMESTAMP_SUBFILTERS
        sig_type = SignatureType.DOCUMENT_TIMESTAMP if is_ts else SignatureType.SIGNATURE
        pdf_time, pdf_naive = self._pdf_time(as_signed(self.reader, value, sig_obj))
        base = dict(
            field=name, type=sig_type, sub_filter=_name(sub_filter), pdf_time=pdf_time, pdf_time_naive=pdf_naive
        )

        beyond = self._beyond_end(sig_obj)
        if beyond is not None:
            return self._signed_bytes_missing(base, sig_obj, beyond)
        supported = TIMESTAMP_SUBFILTERS if is_ts else SIG_SUBFILTERS
        if not is_ts and sub_filter in LEGACY_SUBFILTERS:
            return self._legacy(
                base, sig_obj, sub_filter, getattr(field_ref.get_object().raw_get("/V"), "reference", None)
            )
        if sub_filter not in supported:
            return self._unsupported(base, sig_obj, sub_filter)

        try:
            embedded = _embedded_class(is_ts)(self.reader, field_ref, name)
            self._digests.prime(embedded)
            signer_info = embedded.signer_info
            cert = _signer_cert(embedded)
        except MemoryError:
            raise
        except Exception as exc:
            self._note_strictness(exc)
            return SignatureEvidence(
                **base,
                status=ValidationStatus.MALFORMED,
                problem=Problem.of("cms_undecodable", _short(exc)),
                time_source=TimeSource.PDF_DICTIONARY if pdf_time else None,
                signing_time=pdf_time,
            )
        if is_ts:
            return self._validate_timestamp(base, embedded, cert)
        return self._validate_signature(base, embedded, signer_info, cert)

    def _beyond_end(self, sig_obj: Any) -> ByteRangeProblem | None:
        """The problem, when the /ByteRange points past the end of this file."""
        try:
            values = [int(v) for v in sig_obj["/ByteRange"]]
        except Exception:
            return None
        if len(values) == 4 and min(values) >= 0 and values[2] + values[3] > len(self.data):
            return byte_range_problem(self.data, values)
        return None

    def _signed_bytes_missing(self, base: dict[str, Any], sig_obj: Any, problem: ByteRangeProblem) -> SignatureEvidence:
        """A signature whose signed bytes are not all in the file (pages cut out of a signed
        gazette issue, a truncated file): it exists and it fails — never "unsigned"."""
        fields = identity_fields(_identity_from_contents(sig_obj))
        return SignatureEvidence(
            **base,
            **fields,
            status=ValidationStatus.VALIDATED,
            intact=False,
            valid=False,
            problem=Problem.of("signed_bytes_missing", fault=problem.fault.value),
            signing_time=base["pdf_time"],
            time_source=TimeSource.PDF_DICTIONARY if base["pdf_time"] else None,
        )

    def _pdf_time(self, sig_obj: Any) -> tuple[dt.datetime | None, bool]:
        raw = entry(sig_obj, "/M")
        if raw is None:
            return None, False
        try:
            return parse_pdf_date(str(raw), self.zone)
        except Exception:
            return None, False

    def _unsupported(self, base: dict[str, Any], sig_obj: Any, sub_filter: str | None) -> SignatureEvidence:
        """A field pyHanko will not validate: say who signed it if the CMS can tell."""
        identity = _identity_from_contents(sig_obj) if sub_filter != "/adbe.x509.rsa_sha1" else None
        return SignatureEvidence(
            **base,
            status=ValidationStatus.UNSUPPORTED,
            problem=Problem.of("format_unsupported", sub_filter=sub_filter),
            signer=identity.name if identity else None,
            signer_org=identity.organization if identity else None,
            signer_ids=identity.ids if identity else (),
            kind=identity.kind if identity else SignerKind.UNKNOWN,
            signing_time=base["pdf_time"],
            time_source=TimeSource.PDF_DICTIONARY if base["pdf_time"] else None,
        )

    # -- validation -----------------------------------------------------------------

    def _fast_status(
        self,
        embedded: Any,
        signer_info: Any,
        moment: dt.datetime | None,
        crls: list[Any],
        ocsps: list[Any],
    ) -> tuple[Any, Modification] | None:
        """(status, modification) from the fast path of evidence/fastverify.py, when this
        signature qualifies."""
        if not fastpath.ENABLED or self.settings.online or crls or ocsps or any(self.contexts.dss):
            return None
        try:
            field = self._field_refs[embedded.field_name].get_object()
        except Exception:
            return None
        kwargs = self.contexts.kwargs(embedded.other_embedded_certs, [], [])
        own = self.settings.diff_policy != "pyhanko"
        if not fastverify.eligible(
            embedded, embedded.sig_object, field, signer_info, frozenset(kwargs["weak_hash_algos"]), references=own
        ):
            return None
        if not own:
            modification = self._later_revisions(embedded)
            if modification is None:
                return None
        else:
            modification = None  # judged afterwards by evidence/changes/verdict.py
        status = fastverify.verify(embedded, self.trust, moment, kwargs, _KEY_USAGE)
        return (status, modification) if status is not None else None

    def _identity_fields(self, cert: Any) -> dict[str, Any]:
        return dict(_identity_of(cert.dump()))

    def _validate_signature(
        self, base: dict[str, Any], embedded: Any, signer_info: Any, cert: Any
    ) -> SignatureEvidence:
        attr_time = _signed_attr_time(signer_info)
        # A token without its TSA's certificate: supplied from what is known, else set aside
        known = [*self.contexts.dss[0], *self.trust.intermediates, *self.trust.roots]
        completed = complete_tokens(signer_info, [*own_certificates(embedded), *known])
        token_time = _token_time(signer_info)
        claimed = token_time or attr_time or base["pdf_time"]
        crls, ocsps = _adobe_revinfo(signer_info)
        key_usage = _KEY_USAGE
        fields = self._identity_fields(cert)
        time_problem = _signing_time_problem(signer_info)
        fast = None
        if time_problem is None:
            fast = self._fast_status(embedded, signer_info, claimed, crls, ocsps)
        if fast is not None:
            (status, fast_modification), diff_problem, exc = fast, None, None
        else:
            context = self.contexts.at(claimed, embedded.other_embedded_certs, crls, ocsps)
            # The token's own chain is validated at its own time; without a token pyHanko
            # needs no second context.
            ts_context = (
                self.contexts.at(token_time, embedded.other_embedded_certs, crls, ocsps) if token_time else None
            )
            with _tolerant_signing_time(time_problem is not None), _known_signer(embedded):
                status, diff_problem, exc, fast_modification = self._validated(
                    embedded,
                    base["field"],
                    False,
                    lambda emb, skip_diff: validate_signature(emb, context, ts_context, key_usage, skip_diff),
                )
        if time_problem is not None:
            base = {**base, "signing_time_problem": time_problem}
        if status is None:
            digest = _unverifiable_digest(signer_info)
            return SignatureEvidence(
                **base,
                **fields,
                status=ValidationStatus.UNSUPPORTED if digest else _failure_status(exc),
                problem=Problem.of("digest_unsupported", algorithm=digest) if digest else _problem(exc),
                md_algorithm=_md_name(embedded),
                signed_attr_time=attr_time,
                timestamp_time=token_time,
                signing_time=claimed,
                time_source=_source(token_time, attr_time),
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
        skew = clock_skew(
            attr_time,
            token_time if source is TimeSource.TIMESTAMP_TOKEN else None,
            base.get("pdf_time"),
            bool(base.get("pdf_time_naive")),
            self.zone,
            self.settings.timestamp_tolerance_s,
        )
        if skew is not None and source is TimeSource.SIGNED_ATTRIBUTE and attr_time is not None:
            signing_time = attr_time - dt.timedelta(seconds=skew)
        trusted = bool(status.trusted) if self.trust.configured else None
        problem_indic = getattr(status, "trust_problem_indic", None)
        if unsupported:
            # Not proven wrong: the algorithm cannot be checked here; changes after the signed
            # bytes are judged all the same (the signed revision ends where /ByteRange ends)
            after = self._judged_after_signing(embedded, status, diff_problem, fast_modification)
            after["problem"] = Problem.of("algorithm_unsupported", algorithm=unsupported)
            return SignatureEvidence(
                **base,
                **fields,
                status=ValidationStatus.UNSUPPORTED,
                signing_time=signing_time,
                time_source=source,
                signed_attr_time=attr_time,
                timestamp_time=token_time,
                intact=bool(status.intact),
                md_algorithm=embedded.md_algorithm,
                **after,
            )
        after = self._judged_after_signing(embedded, status, diff_problem, fast_modification)
        return SignatureEvidence(
            **base,
            **fields,
            status=ValidationStatus.VALIDATED,
            signing_time=signing_time,
            time_source=source,
            clock_skew_s=skew,
            signed_attr_time=attr_time,
            timestamp_time=token_time,
            timestamp_valid=timestamp_valid,
            timestamp_unverifiable=completed is False,
            intact=bool(status.intact),
            valid=bool(status.valid),
            trusted=trusted,
            trust_problem=(
                TrustProblem.of(problem_indic.name) if problem_indic is not None and trusted is False else None
            ),
            weak_algorithms=_chain_weak_algorithms(status, embedded.md_algorithm),
            md_algorithm=embedded.md_algorithm,
            **after,
        )

    def _validated(
        self, embedded: Any, name: str, is_ts: bool, validate: Callable[[Any, bool], Any]
    ) -> tuple[Any | None, Problem | None, Exception | None, Modification | None]:
        """Run a pyHanko validation; returns (status, problem, error, modification found by
        the fast revision check — None when pyHanko's difference analysis ran).

        pyHanko's difference analysis crashes on some real files (dangling references in
        later revisions).  Then validate again without it: integrity, signature and chain
        are still decided, and what changed after signing is reported as not analysed.
        """
        own = self.settings.diff_policy != "pyhanko"
        fast = None if own or not fastpath.ENABLED else self._later_revisions(embedded)
        if own or fast is not None:
            # Changes after signing are judged by evidence/changes/ (the default), or only
            # signatures were added after it: pyHanko's analysis would say the same
            # (tests/unit/evidence/signatures/test_fastpath.py), so it is skipped.
            try:
                status = _run(validate(embedded, True))
            except MemoryError:
                raise
            except Exception as exc:
                self._note_strictness(exc)
                log.info("validation failed for %s", name, exc_info=True)
                return None, None, exc, None
            return status, None, None, fast
        try:
            return _run(validate(embedded, False)), None, None, None
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
            return None, None, first, None
        log.info("difference analysis failed for %s: %s", name, first)
        return status, Problem.of("changes_not_analysed", _short(first)), None, None

    def _validate_timestamp(self, base: dict[str, Any], embedded: Any, cert: Any) -> SignatureEvidence:
        gen_time = _tst_gen_time(embedded.signed_data)
        context = self.contexts.at(gen_time, embedded.other_embedded_certs, [], [])
        fields = self._identity_fields(cert)
        status, diff_problem, exc, fast_modification = self._validated(
            embedded,
            base["field"],
            True,
            lambda emb, skip_diff: validate_timestamp(emb, context, skip_diff),
        )
        if status is None:
            return SignatureEvidence(
                **base,
                **fields,
                status=_failure_status(exc),
                problem=_problem(exc),
                signing_time=gen_time,
                time_source=TimeSource.TIMESTAMP_TOKEN if gen_time else None,
                timestamp_time=gen_time,
            )
        trusted = bool(status.trusted) if self.trust.configured else None
        fields["kind"] = SignerKind.UNKNOWN  # a TSA, neither a person nor the issuing body
        after = self._judged_after_signing(embedded, status, diff_problem, fast_modification)
        return SignatureEvidence(
            **base,
            **fields,
            status=ValidationStatus.VALIDATED,
            signing_time=status.timestamp or gen_time,
            time_source=TimeSource.TIMESTAMP_TOKEN,
            timestamp_time=status.timestamp or gen_time,
            timestamp_valid=bool(status.intact and status.valid),
            intact=bool(status.intact),
            valid=bool(status.valid),
            trusted=trusted,
            md_algorithm=embedded.md_algorithm,
            **after,
        )


# Vietnamese signing certificates often carry digitalSignature without nonRepudiation;
# either one is enough for a document signature.
