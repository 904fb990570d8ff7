"""The vocabulary of evidence and results: enums and small fact types.

Each enum's values are what the JSON report writes; each member says what it means.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    """How much a finding matters.  Ordered: ``error`` > ``warning`` > ``info``."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


class SignerKind(str, Enum):
    """Whose signature it is, read from the certificate subject."""

    PERSON = "person"
    ORGANIZATION = "organization"
    UNKNOWN = "unknown"


class SignatureType(str, Enum):
    """An approval signature (``/Sig``) or a document timestamp (``/DocTimeStamp``)."""

    SIGNATURE = "signature"
    DOCUMENT_TIMESTAMP = "document_timestamp"


class TimeSource(str, Enum):
    """Where ``signing_time`` came from, most trustworthy first."""

    TIMESTAMP_TOKEN = "timestamp_token"
    SIGNED_ATTRIBUTE = "signed_attribute"
    PDF_DICTIONARY = "pdf_dictionary"


class Modification(str, Enum):
    """What was changed in the file after the signature was applied."""

    NONE = "none"
    FORM_FILLING = "form_filling"
    ANNOTATIONS = "annotations"
    OTHER = "other"


class Coverage(str, Enum):
    """How much of the file a signature's /ByteRange covers (pyHanko's ``SignatureCoverageLevel``)."""

    UNCLEAR = "unclear"
    """Disconnected or unclear ranges: usually a bad sign."""
    CONTIGUOUS_BLOCK_FROM_START = "contiguous_block_from_start"
    """One block from the start of the file, but not a complete revision."""
    ENTIRE_REVISION = "entire_revision"
    """A complete revision; later revisions may follow."""
    ENTIRE_FILE = "entire_file"
    """The whole file as it is."""


class TrustProblem(str, Enum):
    """Why a certificate chain is not trusted: pyHanko's AdES sub-indication, or one of ours."""

    REVOKED = "revoked"
    REVOKED_NO_POE = "revoked_no_poe"
    REVOKED_CA_NO_POE = "revoked_ca_no_poe"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    NO_CERTIFICATE_CHAIN_FOUND = "no_certificate_chain_found"
    CERTIFICATE_CHAIN_GENERAL_FAILURE = "certificate_chain_general_failure"
    CHAIN_CONSTRAINTS_FAILURE = "chain_constraints_failure"
    CRYPTO_CONSTRAINTS_FAILURE = "crypto_constraints_failure"
    CRYPTO_CONSTRAINTS_FAILURE_NO_POE = "crypto_constraints_failure_no_poe"
    SIG_CONSTRAINTS_FAILURE = "sig_constraints_failure"
    OUT_OF_BOUNDS_NO_POE = "out_of_bounds_no_poe"
    OUT_OF_BOUNDS_NOT_REVOKED = "out_of_bounds_not_revoked"
    REVOCATION_OUT_OF_BOUNDS_NO_POE = "revocation_out_of_bounds_no_poe"
    NO_POE = "no_poe"
    TRY_LATER = "try_later"
    POLICY_PROCESSING_ERROR = "policy_processing_error"
    NO_SIGNING_CERTIFICATE_FOUND = "no_signing_certificate_found"
    GENERIC = "generic"
    KEY_USAGE = "key_usage"
    """The certificate's key usage does not allow signing documents (ours)."""
    OTHER = "other"
    """Anything else; ``trust_detail`` says what."""

    @classmethod
    def of(cls, name: str) -> TrustProblem:
        """The member named by an AdES sub-indication (any case), else ``OTHER``."""
        try:
            return cls(name.lower())
        except ValueError:
            return cls.OTHER

    @property
    def revoked(self) -> bool:
        return self in (TrustProblem.REVOKED, TrustProblem.REVOKED_NO_POE, TrustProblem.REVOKED_CA_NO_POE)


class ByteRangeFault(str, Enum):
    """What is wrong with a signature's /ByteRange."""

    MISSING = "missing"
    NOT_FOUR_OFFSETS = "not_four_offsets"
    NEGATIVE = "negative"
    NOT_FROM_START = "not_from_start"
    OVERLAPPING = "overlapping"
    PAST_END = "past_end"
    UNSIGNED_GAP = "unsigned_gap"
    """The unsigned gap holds more than the signature value (signature wrapping)."""


@dataclass(frozen=True)
class ByteRangeProblem:
    """A /ByteRange fault and, for an unsigned gap, its size."""

    fault: ByteRangeFault
    """What is wrong."""
    unsigned_bytes: int | None = None
    """Bytes of the gap between the two ranges (for ``UNSIGNED_GAP``)."""


class Verdict(str, Enum):
    """What ``check`` says of a document."""

    PASS = "pass"
    """ĐẠT: no error, and everything was checked."""
    FAIL = "fail"
    """KHÔNG ĐẠT: at least one error."""
    INCONCLUSIVE = "inconclusive"
    """CHƯA KẾT LUẬN: no error, but something could not be checked (the findings marked
    ``unchecked`` in the registry say what)."""


class ValidationStatus(str, Enum):
    """Whether the signature could be put through validation at all."""

    VALIDATED = "validated"
    UNSUPPORTED = "unsupported"  # well-formed, but no validator for it here
    MALFORMED = "malformed"  # the signature dictionary or CMS blob is broken


@dataclass(frozen=True)
class Problem:
    """Why something could not be read or validated, as facts: a key of the registry's
    ``[terms.problem]`` (which says it in each language), the library's own words
    (``detail``, kept as they are) and named values (``args``)."""

    key: str
    """The kind of problem (``cms_undecodable``, ``not_validated``, ``error.not_pdf``…)."""
    detail: str | None = None
    """The library's or the operating system's own words, when there are any."""
    args: tuple[tuple[str, str], ...] = ()
    """Named values the sentence mentions (an algorithm, a limit…)."""

    @classmethod
    def of(cls, key: str, detail: str | None = None, **args: object) -> Problem:
        return cls(key, detail, tuple((k, str(v)) for k, v in args.items() if v is not None))
