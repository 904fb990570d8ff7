"""sigaudit: audit digitally signed PDF documents of Vietnamese government offices.

    >>> import sigaudit
    >>> report = sigaudit.audit("evidence/", settings=sigaudit.Settings(trust=("vn",)))
    >>> for doc in report:                       # a stream of per-document results
    ...     print(doc.path, [f.code for f in doc.findings])
    >>> open("report.json", "w").write(report.to_json())

``inspect(path_or_bytes)`` audits a single document.  Everything exported here is the
stable API; other modules may change.
"""

from __future__ import annotations

from sigaudit._version import __version__
from sigaudit.logs import quiet_libraries

quiet_libraries()

from sigaudit.audit import AuditReport, audit, audit_dossier, evaluate, inspect, iter_audit
from sigaudit.errors import SigauditError, TrustConfigError, UsageError
from sigaudit.findings import CODES
from sigaudit.model import (
    ByteRangeFault,
    ByteRangeProblem,
    Coverage,
    DocumentError,
    DocumentEvidence,
    DocumentResult,
    Finding,
    HeaderEvidence,
    Modification,
    OfficeStats,
    Problem,
    Settings,
    Severity,
    SignatureEvidence,
    SignatureType,
    SignerKind,
    TimeSource,
    TrustProblem,
    ValidationStatus,
    Verdict,
)

__all__ = [
    "CODES",
    "AuditReport",
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
    "Settings",
    "Severity",
    "SigauditError",
    "SignatureEvidence",
    "SignatureType",
    "SignerKind",
    "TimeSource",
    "TrustConfigError",
    "TrustProblem",
    "UsageError",
    "ValidationStatus",
    "Verdict",
    "__version__",
    "audit",
    "audit_dossier",
    "evaluate",
    "inspect",
    "iter_audit",
]
