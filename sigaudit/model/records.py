"""The vocabulary every module shares: settings, evidence, findings, results.

Everything here is a frozen dataclass or an enum.  Evidence (``SignatureEvidence``,
``HeaderEvidence``, ``DocumentEvidence``) states facts read from a file and judges
nothing; ``Finding`` is a judgement with a stable code; ``DocumentResult`` pairs the
two.  Instants are timezone-aware ``datetime`` objects; dates are ``datetime.date``.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field

from sigaudit.model.vocabulary import (
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


@dataclass(frozen=True)
class Settings:
    """Everything that changes the outcome of an audit.  Picklable, hashable."""

    trust: tuple[str, ...] = ("vn",)
    """Trust sources: PEM/DER files, folders, or bundle names (``vn``, the default: the
    Vietnamese government and national PKIs).  Empty: certificate chains are not checked,
    and then no document passes (``CHAIN_NOT_CHECKED``)."""
    tz: str = "Asia/Ho_Chi_Minh"
    """Time zone in which signing dates are compared with printed dates."""
    timestamp_tolerance_s: float = 900.0
    """Largest accepted gap between the signed-attribute time and the RFC 3161 token."""
    allow_sha1_chains: bool = True
    """Accept SHA-1-signed CA certificates (VGCA G1) with a WEAK_ALGORITHM warning."""
    online: bool = False
    """Allow fetching revocation information over the network."""
    max_seconds: float = 120.0
    """Time limit for one document (0: none).  Beyond it the document is a RESOURCE_LIMIT entry."""
    max_file_mb: float = 100.0
    """Larger files are not read (RESOURCE_LIMIT)."""
    max_memory_mb: int = 2048
    """Address-space limit of each worker process (0: none); exceeding it costs only the document."""
    ocr: str = "auto"
    """Read the header of scanned pages with Tesseract: ``auto`` (when installed), ``on``
    (required: a usage error when missing), ``off``."""
    diff_policy: str = "own"
    """How changes after signing are judged: ``own`` (the closed list of harmless changes
    and the comparison by effect, ``evidence/changes/``) or ``pyhanko`` (pyHanko's
    difference analysis first, as before 0.x; slower, kept for comparison)."""
    signer_kinds: tuple[tuple[str, str], ...] = ()
    """Overrides of the person/organisation inference: (name or ID, ``person`` |
    ``organization``).  Matched against the certificate's CN and UID values after NFC and
    case folding, e.g. ``("USB Token 0042", "person")`` or ``("MST:4600123456", "organization")``."""

    def __post_init__(self) -> None:
        # A single source given as a string or a path is that one source (iterated, a string
        # would be one source per character, "/" among them); lists become tuples, so that
        # settings stay hashable.
        trust = self.trust
        if isinstance(trust, (str, os.PathLike)):
            trust = (trust,)
        object.__setattr__(self, "trust", tuple(os.fspath(t) for t in trust))
        object.__setattr__(self, "signer_kinds", tuple(tuple(pair) for pair in self.signer_kinds))

    def to_json(self) -> dict[str, object]:
        return {
            "trust": list(self.trust),
            "tz": self.tz,
            "timestamp_tolerance_s": self.timestamp_tolerance_s,
            "allow_sha1_chains": self.allow_sha1_chains,
            "online": self.online,
            "signer_kinds": [list(pair) for pair in self.signer_kinds],
            "max_seconds": self.max_seconds,
            "max_file_mb": self.max_file_mb,
            "max_memory_mb": self.max_memory_mb,
            "ocr": self.ocr,
            "diff_policy": self.diff_policy,
        }


@dataclass(frozen=True)
class SignatureEvidence:
    """Facts about one signature field, as read and validated."""

    field: str
    """The signature field's name (``/T``), as the report names the signature."""
    type: SignatureType
    """An approval signature or a document timestamp."""
    status: ValidationStatus
    """Whether it could be validated at all; ``problem`` says why not."""
    sub_filter: str | None = None
    """The ``/SubFilter`` (``ETSI.CAdES.detached``, ``adbe.pkcs7.detached``, …)."""
    signer: str | None = None
    """The signer certificate's common name (NFC)."""
    signer_org: str | None = None
    """The signer certificate's organisation (``O``), when it has one."""
    signer_ids: tuple[str, ...] = ()
    """``UID`` / serialNumber values of the signer certificate (``MST:…``, ``CCCD:…``)."""
    kind: SignerKind = SignerKind.UNKNOWN
    """Person or organisation, inferred from the certificate subject (docs/findings.md)."""
    issuer: str | None = None
    """The issuing CA's common name."""
    signing_time: dt.datetime | None = None
    """The most trustworthy signing time: the verified timestamp token, else the signed
    signingTime (corrected for ``clock_skew_s``), else ``/M``."""
    time_source: TimeSource | None = None
    """Where ``signing_time`` came from."""
    signed_attr_time: dt.datetime | None = None
    """The CMS signingTime attribute as the signer claims it (not corrected)."""
    timestamp_time: dt.datetime | None = None
    """The RFC 3161 token's time, when the signature carries one."""
    pdf_time: dt.datetime | None = None
    """The signature dictionary's ``/M`` (unsigned)."""
    pdf_time_naive: bool = False
    """The ``/M`` entry had no UTC offset; it was read in the configured zone."""
    signing_time_problem: Problem | None = None
    """Why the signed signingTime attribute cannot be read, when it cannot; the signature
    is still validated (the time is then taken from the token or ``/M``)."""
    clock_skew_s: float | None = None
    """The signed signingTime is ahead of the trustworthy time (the timestamp token, else
    ``/M`` with an explicit offset) by the configured zone's UTC offset, within the
    tolerance: the signing software wrote local time as if it were UTC.  Seconds of the
    offset; ``signing_time`` is then the corrected time, never the claimed one."""
    timestamp_valid: bool | None = None
    """Whether the timestamp token verifies (None: no token)."""
    timestamp_unverifiable: bool = False
    """The signature carried an RFC 3161 token without its TSA's certificate, and no known
    certificate (the signature's own, the document's security store, the trust store) is
    it: the token was set aside and the time is the claimed one."""
    intact: bool | None = None
    """The digest of the signed bytes matches the one the signature states."""
    valid: bool | None = None
    """The signature value verifies with the signer's public key."""
    trusted: bool | None = None
    """None when no trust roots were configured."""
    trust_problem: TrustProblem | None = None
    """Why the chain is not trusted, when ``trusted`` is False."""
    trust_detail: str | None = None
    """The library's words for a ``TrustProblem.KEY_USAGE`` or ``OTHER`` problem."""
    cert_not_before: dt.datetime | None = None
    """Start of the signer certificate's validity."""
    cert_not_after: dt.datetime | None = None
    """End of the signer certificate's validity."""
    weak_algorithms: tuple[str, ...] = ()
    """Weak algorithms accepted by policy in the signature or its chain ("sha1 in …")."""
    coverage: Coverage | None = None
    """How much of the file the /ByteRange covers."""
    modification: Modification | None = None
    """What later revisions changed, judged by effect (docs/signatures.md); None when
    it could not be analysed."""
    md_algorithm: str | None = None
    """The message digest algorithm (``sha256``…)."""
    problem: Problem | None = None
    """Why the signature is unsupported, malformed or not verifiable, or why the changes
    after it could not be analysed."""
    byte_range: tuple[int, ...] = ()
    """The four /ByteRange offsets, when readable."""
    byte_range_problem: ByteRangeProblem | None = None
    """What is wrong with /ByteRange (not from 0, overlapping, past the end, or an unsigned
    gap that holds more than the signature value — the signature wrapping attack)."""
    shared_with: tuple[str, ...] = ()
    """Other fields whose value is this very signature dictionary."""
    changed_fields: tuple[str, ...] = ()
    """Form fields (other than signatures) filled in or changed after this signature."""
    changes: tuple[str, ...] = ()
    """What later revisions changed, by kind of object ("page content stream ×1", …); filled
    when the changes go beyond further signatures (modification ``other`` or ``annotations``,
    or form fields changed)."""


@dataclass(frozen=True)
class HeaderEvidence:
    """Fields read from the printed text of page 1."""

    has_text: bool = False
    """Page 1 has header text (from its text layer or OCR)."""
    office: str | None = None
    """The issuing office ("PHÒNG NỘI VỤ"), as printed."""
    parent_office: str | None = None
    """The office above it ("UBND HUYỆN PHÚ BÌNH"), when printed."""
    number: str | None = None
    """Number and symbol ("15/KH-PNV")."""
    doc_type: str | None = None
    """The type the symbol names (annex III abbreviation: "KH"), None for a công văn."""
    issuance_place: str | None = None
    """The place before the date ("Phú Bình")."""
    issuance_date: dt.date | None = None
    """The printed issuance date, when it is a real date."""
    issuance_date_text: str | None = None
    """The date as printed ("ngày 05 tháng 01 năm 2021")."""
    issuance_month: str | None = None
    """The month and year the date line prints ("2021-01"), read on their own: where the day
    is handwritten, blank or not legible, they still date the document to a month."""
    encoding: str = "unicode"
    """``unicode``, ``tcvn3``, ``vni`` or ``cp1258-mac`` — how the text layer was decoded;
    ``garbled``: its text maps glyphs to other letters than the page shows (a lost ToUnicode
    map: "TàNH" for TỈNH), so it was not believed and the header read by OCR, or not at all
    (``evidence/page/trust.py``)."""
    text_error: Problem | None = None
    """Why the text layer could not be read, when it exists but is broken."""
    title: str | None = None
    """The title line ("KẾ HOẠCH", "QUYẾT ĐỊNH"…), when found."""
    title_type: str | None = None
    """Its annex III abbreviation ("KH", "QĐ"…), to cross-check with the symbol's type."""
    subject: str | None = None
    """What the document is about: the lines under its title, or a công văn's "V/v …"."""
    number_stamped_by: tuple[str, ...] = ()
    """Signature fields whose appearance drew (part of) the number and symbol on page 1 —
    the clerk's "cấp số" signature of the issuing body; empty when the page content holds it."""
    date_stamped_by: tuple[str, ...] = ()
    """Signature fields whose appearance drew (part of) the issuance date on page 1."""
    copy_stamped_by: tuple[str, ...] = ()
    """Signature fields whose appearance on page 1 is a copy certification ("SAO Y",
    "SAO LỤC", "TRÍCH SAO"): the signature certifies a copy, it did not issue the document."""
    stamp_times: tuple[tuple[str, str], ...] = ()
    """The signing time printed in a signature's appearance on page 1 ("Thời gian ký:
    05/01/2021 08:15:24", "09.01.2025 10:21:11 +07:00"): (field, ISO time; with its offset
    when one is printed, else local time)."""
    source: str = "text"
    """Where the fields were read: ``text`` (the page's text layer, with the appearances of
    its annotations) or ``ocr`` (Tesseract, on a scanned page)."""
    confidence: tuple[tuple[str, float], ...] = ()
    """For OCR: each field read and the confidence (0–1) of its least sure word."""
    illegible: tuple[str, ...] = ()
    """For OCR: fields seen on the page but read with too little confidence to state
    (a handwritten number or day), so left empty."""
    ocr_status: Problem | None = None
    """Why a page without header text was not read by OCR (not installed, turned off,
    failed), when it was not."""

    def confidence_for(self, field: str) -> float | None:
        """How sure the reading of ``field`` is: 1.0 from a text layer, the OCR confidence
        of its least sure word, or None when the field was not read."""
        if self.source != "ocr":
            return 1.0
        return dict(self.confidence).get(field)

    copy_stamp: str | None = None
    """A copy-certification line written into page 1 ("SAO Y; SỞ NỘI VỤ; 19/05/2026;
    14:42:19; +07:00"), when there is one: the signatures made at that time certify a copy."""
    ocr_layer_ignored: bool = False
    """Page 1 is a scan carrying an invisible text layer (an OCR program's, of unknown
    quality) that was not believed: the header was read from the image by OCR, or not at
    all."""


@dataclass(frozen=True)
class RevisionBreak:
    """How the final file fails to continue a signature's signed revision."""

    field: str
    """The signature whose signed revision is not continued."""
    kind: str
    """``second_header`` (a whole PDF appended after the signed bytes), ``unlinked`` (the
    final trailer's ``/Prev`` chain does not reach the signed revision's cross-reference) or
    ``damaged`` (a pointer written after signing leads to no cross-reference section) or
    ``misplaced`` (an entry of a table written after signing points where its object is not)
    or ``outside`` (objects after the final section's ``%%EOF``, closed by another, that no
    section lists) or ``unlisted`` (an update that writes objects its own section does not
    list, or has no section of its own)."""
    offset: int
    """Where: the second header's offset, the final cross-reference section's, or where the
    damaged pointer points."""


@dataclass(frozen=True)
class DocumentError:
    """Why a document could not be audited."""

    code: str
    """A document-error code of the registry (``UNREADABLE_PDF``, ``READ_ERROR``…)."""
    problem: Problem
    """What went wrong (``sigaudit.findings.say`` puts it in words)."""


@dataclass(frozen=True)
class DocumentEvidence:
    """Everything ``inspect`` learns from one file.  Pure function of bytes + settings."""

    path: str
    """The file's path as reported (relative to the scanned root)."""
    sha256: str | None
    """SHA-256 of the file's bytes (None when it could not be read)."""
    size: int | None = None
    """Size in bytes."""
    error: DocumentError | None = None
    """Why the document could not be audited; then nothing else is known."""
    signatures: tuple[SignatureEvidence, ...] = ()
    """Every filled signature field, in file order; a shared signature once."""
    header: HeaderEvidence = field(default_factory=HeaderEvidence)
    """What page 1 says."""
    lenient_parse: bool = False
    """The file only opened in non-strict mode (its structure breaks the PDF rules)."""
    folder_office: str | None = None
    """First folder under the scanned root, used when nothing else names the office."""
    trailing_bytes: int = 0
    """Bytes after the file's last %%EOF that no signature covers (whitespace not counted)."""
    trailing_objects: bool = False
    """Those bytes hold PDF objects or a cross-reference section (a repairing viewer may show them)."""
    revision_breaks: tuple[RevisionBreak, ...] = ()
    """Signed revisions that the final file is not an incremental update of (read from the
    bytes: a second PDF appended, or a trailer chain that never reaches the signed revision)."""

    @property
    def approval_signatures(self) -> tuple[SignatureEvidence, ...]:
        return tuple(s for s in self.signatures if s.type is SignatureType.SIGNATURE)


@dataclass(frozen=True)
class Finding:
    """A judgement about a document (or one of its signatures) with a stable code."""

    code: str
    """A code of the registry (``sigaudit.findings.CODES``)."""
    severity: Severity
    """The severity of the message variant raised."""
    message: str
    """The message in English."""
    signature: str | None = None
    """The signature field it is about, when it is about one."""
    message_vi: str | None = None
    """The same message in Vietnamese (people's formats with ``--lang vi``)."""

    def text(self, lang: str) -> str:
        return self.message_vi if lang == "vi" and self.message_vi else self.message


@dataclass(frozen=True)
class DocumentResult:
    """Evidence, the office it is attributed to, and the findings about it."""

    evidence: DocumentEvidence
    """What was read from the file."""
    office: str | None
    """The office the document is counted for (``checks.roles.attribute_office``)."""
    office_key: str | None
    """Its grouping key (``names.office_key``)."""
    findings: tuple[Finding, ...]
    """Every finding, in check order."""
    signing_date: dt.date | None = None
    """Local date (configured zone) of the issuing signature (see ``issued_by``)."""
    issued_by: str | None = None
    """The field of the issuing body's signature: the first organisation signature after
    the personal one whose name matches the header office (else the first organisation
    signature), else the latest personal signature; republishers and copies never issue."""
    republished_by: tuple[str, ...] = ()
    """Fields signed by a republisher (gazette centre, government portal)."""
    copy_certified_by: tuple[str, ...] = ()
    """Fields that certify a copy ("SAO Y")."""
    signed: bool = False
    """At least one approval signature counts (intact, valid, sound /ByteRange)."""
    signed_person_and_org: bool = False
    """Signatures that count include a person's and an organisation's."""
    date_consistent: bool = False
    """The issuing signature's local date equals the printed issuance date."""
    verdict: Verdict = Verdict.FAIL
    """ĐẠT / KHÔNG ĐẠT / CHƯA KẾT LUẬN (``checks.judgements.verdict``)."""

    @property
    def path(self) -> str:
        return self.evidence.path

    def worst_severity(self) -> Severity | None:
        if not self.findings:
            return None
        return max((f.severity for f in self.findings), key=lambda s: s.rank)


@dataclass(frozen=True)
class OfficeStats:
    """Counts for one office.  Merging two is adding their counts."""

    office: str
    """The office's name as first met."""
    key: str
    """Its grouping key."""
    documents: int = 0
    """Documents counted for it."""
    signed: int = 0
    """Documents with a valid signature that counts (``checks.judgements.counts``)."""
    signed_person_and_org: int = 0
    """Documents signed by a person and a body."""
    date_consistent: int = 0
    """Documents whose signing date equals the printed date."""
    passing: int = 0
    """Documents that pass (ĐẠT): no error, nothing left unchecked."""
    points_lost: float = 0.0
    """Points this office's documents would lose under the rule set, on their own."""
    months_without_signed: tuple[str, ...] = ()
    """Months (YYYY-MM) of the audited period without any validly signed document of this
    office ("chữ ký số … chưa thường xuyên")."""

    @property
    def signed_rate(self) -> float:
        return self.signed / self.documents if self.documents else 0.0

    def merge(self, other: OfficeStats) -> OfficeStats:
        return OfficeStats(
            office=self.office,
            key=self.key,
            documents=self.documents + other.documents,
            signed=self.signed + other.signed,
            signed_person_and_org=self.signed_person_and_org + other.signed_person_and_org,
            date_consistent=self.date_consistent + other.date_consistent,
            passing=self.passing + other.passing,
        )
