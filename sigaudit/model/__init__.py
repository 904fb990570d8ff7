"""The vocabulary every module shares: settings, evidence, findings, results.

Everything here is a frozen dataclass or an enum.  Evidence (``SignatureEvidence``,
``HeaderEvidence``, ``DocumentEvidence``) states facts read from a file and judges
nothing; ``Finding`` is a judgement with a stable code; ``DocumentResult`` pairs the
two with the judgements' results.  Instants are timezone-aware ``datetime`` objects; dates
are ``datetime.date``.  ``vocabulary`` holds the enums and small fact types, ``records``
the records built from them.
"""

from sigaudit.model.records import (
    DocumentError,
    DocumentEvidence,
    DocumentResult,
    Finding,
    HeaderEvidence,
    OfficeStats,
    RevisionBreak,
    Settings,
    SignatureEvidence,
)
from sigaudit.model.vocabulary import (
    ByteRangeFault,
    ByteRangeProblem,
    Coverage,
    Modification,
    Problem,
    Severity,
    SignatureType,
    SignerKind,
    TimeSource,
    TrustProblem,
    ValidationStatus,
    Verdict,
)

__all__ = [
    "ByteRangeFault",
    "ByteRangeProblem",
    "Coverage",
    "DocumentError",
    "DocumentEvidence",
    "DocumentResult",
    "Finding",
    "HeaderEvidence",
    "Modification",
    "OfficeStats",
    "Problem",
    "RevisionBreak",
    "Settings",
    "Severity",
    "SignatureEvidence",
    "SignatureType",
    "SignerKind",
    "TimeSource",
    "TrustProblem",
    "ValidationStatus",
    "Verdict",
]
