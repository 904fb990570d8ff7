"""Evidence → findings.  One small function per check; codes are stable (docs/findings.md).

A check receives the document's evidence and the settings and yields ``Finding``s.  It
never reads files or calls pyHanko: everything it needs is already in the evidence, so
checks are cheap to re-run (for instance with other settings on cached evidence).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sigaudit.evidence.header import date_format_problem
from sigaudit.model import (
    DocumentEvidence,
    Finding,
    Modification,
    Settings,
    Severity,
    SignatureEvidence,
    SignatureType,
    SignerKind,
    TimeSource,
    ValidationStatus,
)
from sigaudit.names import same_office, strip_diacritics


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity
    title_en: str
    title_vi: str


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO
CODES: dict[str, Code] = {
    c.code: c
    for c in (
        # document errors
        Code("UNREADABLE_PDF", _E, "The file cannot be read as a PDF", "Tệp không đọc được như một tệp PDF"),
        Code("ENCRYPTED_PDF", _E, "The PDF is password-protected", "Tệp PDF được mã hóa bằng mật khẩu"),
        Code("READ_ERROR", _E, "The file cannot be read from disk", "Không đọc được tệp từ ổ đĩa"),
        Code(
            "RESOURCE_LIMIT",
            _E,
            "The file exceeds a resource limit (size, time or memory)",
            "Tệp vượt giới hạn tài nguyên (dung lượng, thời gian hoặc bộ nhớ)",
        ),
        Code("INTERNAL_ERROR", _E, "sigaudit failed on this file", "sigaudit gặp lỗi khi xử lý tệp này"),
        # signatures
        Code("UNSIGNED", _E, "The document has no digital signature", "Văn bản không có chữ ký số"),
        Code("SIGNATURE_INVALID", _E, "A signature is invalid", "Chữ ký số không hợp lệ"),
        Code(
            "SIGNATURE_UNSUPPORTED",
            _W,
            "A signature cannot be validated by this tool",
            "Chữ ký số không kiểm tra được bằng công cụ này",
        ),
        Code("SIGNATURE_MALFORMED", _E, "A signature is malformed", "Chữ ký số bị hỏng cấu trúc"),
        Code("MODIFIED_AFTER_SIGNING", _E, "The document was changed after signing", "Văn bản bị sửa đổi sau khi ký"),
        Code(
            "BYTE_RANGE_INVALID",
            _E,
            "A signature's /ByteRange leaves content unsigned",
            "Vùng ký (/ByteRange) của chữ ký để hở nội dung không được ký",
        ),
        Code(
            "UNSIGNED_TRAILING_BYTES",
            _E,
            "Bytes were appended after the end of the signed file",
            "Có dữ liệu được ghi thêm sau phần cuối của tệp đã ký",
        ),
        Code(
            "SIGNATURE_SHARED",
            _W,
            "One signature is referenced by several signature fields",
            "Một chữ ký được dùng lại cho nhiều ô chữ ký",
        ),
        Code(
            "CHANGES_NOT_ANALYSED",
            _W,
            "The changes made after a signature could not be analysed",
            "Không phân tích được các thay đổi sau khi ký",
        ),
        Code(
            "CERT_UNTRUSTED",
            _E,
            "The signing certificate does not chain to a trusted root",
            "Chứng thư số không thuộc chuỗi tin cậy",
        ),
        Code("CERT_REVOKED", _E, "The signing certificate was revoked", "Chứng thư số đã bị thu hồi"),
        Code(
            "CERT_NOT_VALID_AT_SIGNING_TIME",
            _E,
            "The certificate was not valid when the document was signed",
            "Chứng thư số không còn hiệu lực tại thời điểm ký",
        ),
        Code(
            "WEAK_ALGORITHM",
            _W,
            "A weak algorithm (SHA-1) was accepted by policy",
            "Thuật toán yếu (SHA-1) được chấp nhận theo chính sách",
        ),
        Code(
            "TIMESTAMP_MISMATCH",
            _E,
            "The claimed signing time differs from the timestamp",
            "Thời gian ký khai báo lệch với dấu thời gian",
        ),
        Code(
            "SIGNING_TIME_UNREADABLE",
            _W,
            "A signature's signed signing time cannot be read",
            "Không đọc được thời gian ký khai báo trong chữ ký",
        ),
        Code(
            "STAMP_TIME_MISMATCH",
            _W,
            "The time printed in a signature's appearance differs from its signing time",
            "Thời gian in trên hình ảnh chữ ký khác thời gian ký",
        ),
        Code(
            "SIGNING_CLOCK_SKEW",
            _I,
            "The signing software wrote local time as UTC",
            "Phần mềm ký ghi giờ địa phương như giờ UTC",
        ),
        Code("TIMESTAMP_INVALID", _E, "The signature's timestamp is invalid", "Dấu thời gian của chữ ký không hợp lệ"),
        Code(
            "MISSING_ORG_SIGNATURE",
            _E,
            "The organisation's signature is missing",
            "Thiếu chữ ký số của cơ quan, tổ chức",
        ),
        Code(
            "MISSING_PERSONAL_SIGNATURE",
            _E,
            "The competent person's signature is missing",
            "Thiếu chữ ký số của người có thẩm quyền",
        ),
        Code(
            "SIGNER_KIND_UNKNOWN",
            _W,
            "Cannot tell whether a signature is a person's or an organisation's",
            "Không xác định được chữ ký của cá nhân hay cơ quan",
        ),
        Code(
            "REPUBLISHED",
            _I,
            "A republisher (gazette, government portal) signed a copy",
            "Văn bản được đơn vị đăng tải (Công báo, cổng thông tin) ký số lại",
        ),
        Code("COPY_CERTIFIED", _I, "A signature certifies a copy (SAO Y)", "Chữ ký số sao y bản chính"),
        Code(
            "PERSON_SIGNED_AFTER_ORG",
            _W,
            "The person signed after the organisation",
            "Cá nhân ký sau khi cơ quan đã ký",
        ),
        # header and dates
        Code(
            "SIGNING_DATE_MISMATCH",
            _E,
            "The signing date does not match the issuance date",
            "Thời gian ký số không khớp với ngày ban hành",
        ),
        Code("ISSUANCE_DATE_NOT_FOUND", _W, "The issuance date was not found", "Không tìm thấy ngày ban hành"),
        Code(
            "DATE_FORMAT",
            _W,
            "The printed date breaks the format rules or is not a real date",
            "Ngày tháng ghi không đúng thể thức hoặc không có thật",
        ),
        Code(
            "DOC_TYPE_MISMATCH",
            _W,
            "The title names another document type than the symbol",
            "Tên loại văn bản không khớp với ký hiệu",
        ),
        Code("NUMBER_NOT_FOUND", _W, "The document number was not found", "Không tìm thấy số, ký hiệu văn bản"),
        Code(
            "NO_TEXT_LAYER", _W, "Page 1 has no text layer (scanned image)", "Trang 1 không có lớp văn bản (bản quét)"
        ),
        Code(
            "HEADER_READ_BY_OCR",
            _I,
            "The header of the scanned page 1 was read by OCR",
            "Phần đầu văn bản (bản quét) được đọc bằng nhận dạng ký tự (OCR)",
        ),
        Code(
            "SIGNING_DATE_UNCERTAIN",
            _W,
            "The signing date differs from an issuance date OCR read uncertainly",
            "Ngày ký khác ngày ban hành do OCR đọc được (chưa chắc chắn)",
        ),
        Code("TEXT_UNREADABLE", _W, "The text of page 1 cannot be extracted", "Không trích xuất được nội dung trang 1"),
        Code(
            "OFFICE_MISMATCH",
            _W,
            "The organisation certificate names another office",
            "Chứng thư số của cơ quan ghi tên cơ quan khác",
        ),
        Code(
            "LENIENT_PARSE",
            _I,
            "The PDF breaks the format rules and was read leniently",
            "Tệp PDF không đúng chuẩn, đã đọc ở chế độ nới lỏng",
        ),
    )
}


def finding(code: str, message: str, signature: str | None = None, vi: str | None = None) -> Finding:
    return Finding(code=code, severity=CODES[code].severity, message=message, signature=signature, message_vi=vi)


def local_date(instant: dt.datetime, zone: dt.tzinfo) -> dt.date:
    return instant.astimezone(zone).date()


_REPUBLISHERS = (
    "trung tam cong bao",
    "cong bao",
    "cong thong tin dien tu chinh phu",
    "cong ttdt chinh phu",
    "cong thong tin chinh phu",
)
_COPY_STAMP_TIME = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:\D{1,3}(\d{1,2}):(\d{2})(?::(\d{2}))?)?")


@dataclass(frozen=True)
class Roles:
    """Which signature issued the document and which only republished or copied it."""

    issuing: SignatureEvidence | None
    """The issuing body's signature: the first organisation signature after the personal
    one whose name matches the header office (else the first such organisation signature),
    else the latest personal signature."""
    republished_by: tuple[str, ...] = ()
    """Fields signed by a republisher (gazette centre, government portal) that is not the
    issuing office."""
    copy_certified_by: tuple[str, ...] = ()
    """Fields that certify a copy ("SAO Y" stamp)."""

    def excluded(self) -> set[str]:
        return {*self.republished_by, *self.copy_certified_by}


def revision_order(s: SignatureEvidence) -> tuple[float, float]:
    """Where the signature sits in the file: the end of its signed revision.  Revision order
    is proof of signing order; claimed times are not."""
    end = s.byte_range[2] + s.byte_range[3] if len(s.byte_range) == 4 else float("inf")
    return (end, s.signing_time.timestamp() if s.signing_time else float("inf"))


def is_republisher(name: str | None) -> bool:
    folded = " ".join(strip_diacritics(name or "").lower().split())
    return any(folded.startswith(r) or f" {r}" in f" {folded}" for r in _REPUBLISHERS)


def signature_roles(evidence: DocumentEvidence, zone: dt.tzinfo | None = None) -> Roles:
    zone = zone or ZoneInfo("Asia/Ho_Chi_Minh")
    h = evidence.header
    office = h.office
    full = f"{h.parent_office} {office}" if office and h.parent_office else office
    approvals = sorted(evidence.approval_signatures, key=revision_order)

    def names_office(s: SignatureEvidence) -> bool:
        return bool(office and s.signer and (same_office(office, s.signer) or same_office(full or office, s.signer)))

    republished = tuple(s.field for s in approvals if is_republisher(s.signer) and not names_office(s))
    stamp_time = _copy_stamp_time(h.copy_stamp, zone)
    copies = tuple(
        s.field
        for s in approvals
        if s.field in h.copy_stamped_by
        or (
            stamp_time is not None
            and s.signing_time is not None
            and s.field not in republished
            and _same_moment(stamp_time, s.signing_time.astimezone(zone))
        )
    )
    left = [s for s in approvals if s.field not in republished and s.field not in copies and s.signing_time]
    persons = [s for s in left if s.kind is SignerKind.PERSON]
    orgs = [s for s in left if s.kind is SignerKind.ORGANIZATION]
    if persons:
        first_person = revision_order(persons[0])
        orgs = [s for s in orgs if revision_order(s) > first_person] or orgs
    issuing: SignatureEvidence | None = None
    if orgs:
        stamped = [s for s in orgs if s.field in (*h.number_stamped_by, *h.date_stamped_by)]
        matching = [s for s in orgs if names_office(s)]
        issuing = (stamped or matching or orgs)[0]
    elif left:
        issuing = (persons or left)[-1]
    return Roles(issuing, republished, copies)


def _copy_stamp_time(stamp: str | None, zone: dt.tzinfo) -> dt.datetime | dt.date | None:
    if not stamp:
        return None
    m = _COPY_STAMP_TIME.search(stamp)
    if not m:
        return None
    try:
        day = dt.date(int(m[3]), int(m[2]), int(m[1]))
        if m[4] is None:
            return day
        return dt.datetime(day.year, day.month, day.day, int(m[4]), int(m[5]), int(m[6] or 0), tzinfo=zone)
    except ValueError:
        return None


def _same_moment(stamp: dt.datetime | dt.date, signed: dt.datetime) -> bool:
    if isinstance(stamp, dt.datetime):
        return abs((signed - stamp).total_seconds()) <= 1800
    return signed.date() == stamp


def deciding_signature(evidence: DocumentEvidence, zone: dt.tzinfo | None = None) -> SignatureEvidence | None:
    """The signature whose local date must equal the issuance date: the issuing body's
    (see ``signature_roles``).  Document timestamps, republishers and copies never decide."""
    return signature_roles(evidence, zone).issuing


Check = Callable[[DocumentEvidence, Settings], Iterator[Finding]]


def check_unsigned(ev: DocumentEvidence, settings: Settings) -> Iterator[Finding]:
    if not ev.approval_signatures:
        stamps = len(ev.signatures)
        extra = f" (it carries {stamps} document timestamp(s), which are not signatures)" if stamps else ""
        extra_vi = f" (chỉ có {stamps} dấu thời gian tài liệu, không phải chữ ký)" if stamps else ""
        yield finding(
            "UNSIGNED", f"The document has no digital signature{extra}.", vi=f"Văn bản không có chữ ký số{extra_vi}."
        )


def check_signature_integrity(ev: DocumentEvidence, settings: Settings) -> Iterator[Finding]:
    for s in ev.signatures:
        what = "document timestamp" if s.type is SignatureType.DOCUMENT_TIMESTAMP else "signature"
        cai = "Dấu thời gian tài liệu" if s.type is SignatureType.DOCUMENT_TIMESTAMP else "Chữ ký"
        if s.status is ValidationStatus.UNSUPPORTED:
            yield finding(
                "SIGNATURE_UNSUPPORTED",
                f"The {what} '{s.field}' was not checked: {s.problem}.",
                s.field,
                vi=f"{cai} '{s.field}' chưa được kiểm tra: {s.problem}.",
            )
        elif s.status is ValidationStatus.MALFORMED:
            yield finding(
                "SIGNATURE_MALFORMED",
                f"The {what} '{s.field}' is broken: {s.problem}.",
                s.field,
                vi=f"{cai} '{s.field}' bị hỏng: {s.problem}.",
            )
        elif not s.intact and s.problem:
            yield finding(
                "SIGNATURE_INVALID",
                f"The {what} '{s.field}' cannot be verified: {s.problem}.",
                s.field,
                vi=f"{cai} '{s.field}' không kiểm tra được: {s.problem}.",
            )
        elif not s.intact:
            yield finding(
                "SIGNATURE_INVALID",
                f"The {what} '{s.field}' does not match the signed bytes: the signed content was altered.",
                s.field,
                vi=f"{cai} '{s.field}' không khớp với nội dung đã ký: nội dung đã bị sửa.",
            )
        elif not s.valid:
            yield finding(
                "SIGNATURE_INVALID",
                f"The {what} '{s.field}' fails cryptographic verification.",
                s.field,
                vi=f"{cai} '{s.field}' không đúng về mặt mật mã.",
            )


def check_modifications(ev: DocumentEvidence, settings: Settings) -> Iterator[Finding]:
    for s in ev.signatures:
        if s.status is not ValidationStatus.VALIDATED or not s.intact:
            continue
        changed = f" Changed: {', '.join(s.changes)}." if s.changes else ""
        changed_vi = f" Phần thay đổi: {', '.join(s.changes)}." if s.changes else ""
        if s.modification is None and s.coverage != "entire_file":
            detail = f": {s.problem}" if s.problem else ""
            yield finding(
                "CHANGES_NOT_ANALYSED",
                f"What was changed after '{s.field}' is unknown{detail}.",
                s.field,
                vi=f"Không xác định được nội dung thay đổi sau chữ ký '{s.field}'{detail}.",
            )
        if s.modification is Modification.OTHER:
            partial = s.coverage in ("unclear", "contiguous_block_from_start")
            detail = (
                "the signature does not cover a complete revision of the file"
                if partial
                else "changes beyond form filling and further signatures were made"
            )
            detail_vi = (
                "chữ ký không bao trùm trọn một phiên bản của tệp"
                if partial
                else "tệp bị thay đổi ngoài việc điền biểu mẫu và ký thêm"
            )
            yield finding(
                "MODIFIED_AFTER_SIGNING",
                f"After '{s.field}' was applied, {detail}.{changed}",
                s.field,
                vi=f"Sau khi ký '{s.field}', {detail_vi}.{changed_vi}",
            )
        elif s.changed_fields:
            # Allowed by the PDF rules (form filling), but on an issued document a field
            # whose value changes after approval changes what was approved (shadow "replace").
            names = ", ".join(repr(f) for f in s.changed_fields)
            yield finding(
                "MODIFIED_AFTER_SIGNING",
                f"After '{s.field}' was applied, the form field(s) {names} were filled in or changed.{changed}",
                s.field,
                vi=f"Sau khi ký '{s.field}', trường biểu mẫu {names} bị điền hoặc sửa.{changed_vi}",
            )
        elif s.modification is Modification.ANNOTATIONS:
            yield Finding(
                "MODIFIED_AFTER_SIGNING",
                Severity.WARNING,
                f"Annotations were added or changed after '{s.field}' was applied.{changed}",
                s.field,
                message_vi=f"Có chú thích được thêm hoặc sửa sau khi ký '{s.field}'.{changed_vi}",
            )


def check_structure(ev: DocumentEvidence, settings: Settings) -> Iterator[Finding]:
    """Byte-level tricks: gaps in /ByteRange, bytes after the end, reused signatures."""
    for s in ev.signatures:
        if s.byte_range_problem and s.status is not ValidationStatus.MALFORMED:
            yield finding(
                "BYTE_RANGE_INVALID",
                f"The /ByteRange of '{s.field}' {s.byte_range_problem}.",
                s.field,
                vi=f"Vùng ký /ByteRange của '{s.field}' không hợp lệ ({s.byte_range_problem}).",
            )
        if s.shared_with:
            others = ", ".join(repr(o) for o in s.shared_with)
            yield finding(
                "SIGNATURE_SHARED",
                f"The signature '{s.field}' is also shown through the field(s) {others}: one signature shown as "
                "several; it is counted once.",
                s.field,
                vi=f"Chữ ký '{s.field}' còn được hiển thị qua ô {others}: một chữ ký được trình bày thành nhiều "
                "chữ ký; chỉ tính một lần.",
            )
    if ev.trailing_bytes and ev.signatures:
        what = "PDF objects" if ev.trailing_objects else "data"
        yield Finding(
            "UNSIGNED_TRAILING_BYTES",
            Severity.ERROR if ev.trailing_objects else Severity.WARNING,
            f"{ev.trailing_bytes} byte(s) of {what} follow the end of the file (its last %%EOF) and no signature "
            "covers them; a viewer that repairs files may display them.",
            message_vi=f"Có {ev.trailing_bytes} byte dữ liệu sau phần cuối tệp (%%EOF) không được chữ ký nào bao trùm; "
            "phần mềm đọc PDF có thể hiển thị chúng.",
        )


def check_certificates(ev: DocumentEvidence, settings: Settings) -> Iterator[Finding]:
    for s in ev.signatures:
        if s.status is not ValidationStatus.VALIDATED or not s.is_good:
            continue  # a broken signature is reported as such; its chain is moot
        expired_when_signed = s.cert_valid_at_signing_time is False
        if expired_when_signed and s.signing_time is not None:
            yield finding(
                "CERT_NOT_VALID_AT_SIGNING_TIME",
                f"The certificate of '{s.field}' ({s.signer}) was valid from {_day(s.cert_not_before)} to "
                f"{_day(s.cert_not_after)}, but the signing time is {_day(s.signing_time)}.",
                s.field,
                vi=f"Chứng thư số của '{s.field}' ({s.signer}) có hiệu lực từ {_day(s.cert_not_before)} đến "
                f"{_day(s.cert_not_after)}, nhưng thời điểm ký là {_day(s.signing_time)}.",
            )
        if s.trusted is False and not expired_when_signed:
            if s.trust_problem and "revoked" in s.trust_problem:
                yield finding(
                    "CERT_REVOKED",
                    f"The certificate of '{s.field}' ({s.signer}) was revoked.",
                    s.field,
                    vi=f"Chứng thư số của '{s.field}' ({s.signer}) đã bị thu hồi trước khi ký.",
                )
            else:
                reason = f" ({s.trust_problem.replace('_', ' ')})" if s.trust_problem else ""
                yield finding(
                    "CERT_UNTRUSTED",
                    f"The certificate of '{s.field}' ({s.signer}, issued by {s.issuer}) does not chain to a "
                    f"configured trust root{reason}.",
                    s.field,
                    vi=f"Chứng thư số của '{s.field}' ({s.signer}, do {s.issuer} cấp) không thuộc chuỗi "
                    f"chứng thực tin cậy đã cấu hình{reason}.",
                )
        if s.weak_algorithms:
            yield finding(
                "WEAK_ALGORITHM",
                f"'{s.field}' relies on weak algorithms accepted by policy: {'; '.join(s.weak_algorithms)}.",
                s.field,
                vi=f"'{s.field}' dùng thuật toán yếu được chấp nhận theo chính sách: {'; '.join(s.weak_algorithms)}.",
            )


def check_timestamps(ev: DocumentEvidence, settings: Settings) -> Iterator[Finding]:
    tolerance = dt.timedelta(seconds=settings.timestamp_tolerance_s)
    for s in ev.approval_signatures:
        if s.signing_time_problem:
            source = {TimeSource.TIMESTAMP_TOKEN: "its timestamp", TimeSource.PDF_DICTIONARY: "its /M entry"}.get(
                s.time_source, "nothing"
            )  # type: ignore[arg-type]
            source_vi = {TimeSource.TIMESTAMP_TOKEN: "dấu thời gian", TimeSource.PDF_DICTIONARY: "mục /M"}.get(
                s.time_source, "không có nguồn nào"
            )  # type: ignore[arg-type]
            yield finding(
                "SIGNING_TIME_UNREADABLE",
                f"'{s.field}': {s.signing_time_problem}; the time is taken from {source}.",
                s.field,
                vi=f"'{s.field}': không đọc được thời gian ký khai báo ({s.signing_time_problem}); "
                f"thời gian lấy theo {source_vi}.",
            )
        if s.timestamp_valid is False:
            yield finding(
                "TIMESTAMP_INVALID",
                f"The timestamp token of '{s.field}' does not verify.",
                s.field,
                vi=f"Dấu thời gian của '{s.field}' không hợp lệ.",
            )
        if s.clock_skew_s is not None and s.signed_attr_time is not None:
            zone = ZoneInfo(settings.tz)
            hours = s.clock_skew_s / 3600
            against = "the trustworthy time (timestamp or the signature's /M entry)"
            against_vi = "thời gian tin cậy (dấu thời gian hoặc mục /M của chữ ký)"
            yield finding(
                "SIGNING_CLOCK_SKEW",
                f"'{s.field}' claims {_local(s.signed_attr_time, zone)}, {hours:g} h after {against}: the signing "
                f"software wrote the local time as if it were UTC. The trustworthy time {_local(s.signing_time, zone)} "
                "is used."
                if s.signing_time
                else "",
                s.field,
                vi=f"'{s.field}' khai báo thời gian ký {_local(s.signed_attr_time, zone)}, lệch {hours:g} giờ so "
                f"với {against_vi}: phần mềm ký ghi giờ Việt Nam như giờ UTC. Dùng thời gian tin cậy "
                f"{_local(s.signing_time, zone) if s.signing_time else '?'}.",
            )
        claimed = s.signed_attr_time
        if claimed is not None and s.clock_skew_s is not None:
            claimed = claimed - dt.timedelta(seconds=s.clock_skew_s)
        if s.timestamp_time and claimed and abs(s.timestamp_time - claimed) > tolerance:
            zone = ZoneInfo(settings.tz)
            corrected = " (corrected for the local-time mistake)" if s.clock_skew_s is not None else ""
            corrected_vi = " (sau khi hiệu chỉnh lỗi ghi giờ)" if s.clock_skew_s is not None else ""
            yield finding(
                "TIMESTAMP_MISMATCH",
                f"'{s.field}' claims it was signed at {_local(claimed, zone)}{corrected}, but its timestamp "
                f"says {_local(s.timestamp_time, zone)}.",
                s.field,
                vi=f"'{s.field}' khai báo ký lúc {_local(claimed, zone)}{corrected_vi}, nhưng dấu thời gian ghi "
                f"{_local(s.timestamp_time, zone)}.",
            )


def check_stamp_times(ev: DocumentEvidence, settings: Settings) -> Iterator[Finding]:
    """The time a signature's appearance prints against the signature's own time."""
    zone = ZoneInfo(settings.tz)
    by_field = {s.field: s for s in ev.approval_signatures}
    tolerance = max(settings.timestamp_tolerance_s, 1800.0)
    for field, printed in ev.header.stamp_times:
        sig = by_field.get(field)
        if sig is None or sig.signing_time is None:
            continue
        shown = dt.datetime.fromisoformat(printed)
        if shown.tzinfo is None:
            shown = shown.replace(tzinfo=zone)
        if abs((shown - sig.signing_time).total_seconds()) > tolerance:
            yield finding(
                "STAMP_TIME_MISMATCH",
                f"The appearance of '{field}' prints {_local(shown, zone)}, but the signature was made at "
                f"{_local(sig.signing_time, zone)}.",
                field,
                vi=f"Hình ảnh chữ ký '{field}' ghi thời gian {_local(shown, zone)}, nhưng chữ ký được tạo lúc "
                f"{_local(sig.signing_time, zone)}.",
            )


def check_signer_kinds(ev: DocumentEvidence, settings: Settings) -> Iterator[Finding]:
    roles = signature_roles(ev, ZoneInfo(settings.tz))
    for field in roles.republished_by:
        s = next(x for x in ev.approval_signatures if x.field == field)
        yield finding(
            "REPUBLISHED",
            f"'{field}' ({s.signer}) republished the document; it is not the issuing "
            "body's signature and is left out of the issuing checks.",
            field,
            vi=f"'{field}' ({s.signer}) là chữ ký của đơn vị đăng tải lại văn bản, không phải chữ ký của "
            "cơ quan ban hành; không dùng để kiểm tra việc ban hành.",
        )
    for field in roles.copy_certified_by:
        s = next(x for x in ev.approval_signatures if x.field == field)
        yield finding(
            "COPY_CERTIFIED",
            f"'{field}' ({s.signer}) certifies a copy (SAO Y); it is left out of the issuing checks.",
            field,
            vi=f"'{field}' ({s.signer}) là chữ ký sao y bản chính; không dùng để kiểm tra việc ban hành.",
        )
    excluded = roles.excluded()
    sigs = [s for s in ev.approval_signatures if s.status is not ValidationStatus.MALFORMED and s.field not in excluded]
    if not sigs:
        if roles.republished_by and not roles.copy_certified_by:
            yield finding(
                "MISSING_ORG_SIGNATURE",
                "Only a republished or certified copy is signed: the issuing body's "
                "digital signature is missing (Decree 30/2020, art. 5).",
                vi="Chỉ có chữ ký của đơn vị đăng tải lại hoặc sao y: thiếu chữ ký số của cơ quan ban hành "
                "(Điều 5 Nghị định 30/2020/NĐ-CP).",
            )
        return
    kinds = [s.kind for s in sigs]
    unknown = kinds.count(SignerKind.UNKNOWN)
    if SignerKind.ORGANIZATION not in kinds and not unknown:
        yield finding(
            "MISSING_ORG_SIGNATURE",
            "The issuing body's digital signature is missing (Decree 30/2020, art. 5).",
            vi="Thiếu chữ ký số của cơ quan, tổ chức ban hành (Điều 5 Nghị định 30/2020/NĐ-CP).",
        )
    if SignerKind.PERSON not in kinds and not unknown:
        yield finding(
            "MISSING_PERSONAL_SIGNATURE",
            "The competent person's digital signature is missing (Decree 30/2020, art. 5).",
            vi="Thiếu chữ ký số của người có thẩm quyền (Điều 5 Nghị định 30/2020/NĐ-CP).",
        )
    for s in sigs:
        if s.kind is SignerKind.UNKNOWN:
            lone = (
                " It is the only signature, so one of the two required signatures is missing." if len(sigs) == 1 else ""
            )
            lone_vi = " Đây là chữ ký duy nhất, nên thiếu một trong hai chữ ký bắt buộc." if len(sigs) == 1 else ""
            yield finding(
                "SIGNER_KIND_UNKNOWN",
                f"Cannot tell whether '{s.field}' ({s.signer}) is a person's or an organisation's signature.{lone}",
                s.field,
                vi=f"Không xác định được '{s.field}' ({s.signer}) là chữ ký cá nhân hay cơ quan.{lone_vi}",
            )
    # Revision order is proof of signing order (a timestamp token may come later than the
    # revision it belongs to); times decide only where the file does not order them.
    persons = [s for s in sigs if s.kind is SignerKind.PERSON]
    orgs = [s for s in sigs if s.kind is SignerKind.ORGANIZATION]
    if persons and orgs:
        last_person = max(persons, key=revision_order)
        first_org = min(orgs, key=revision_order)
        if revision_order(last_person) > revision_order(first_org):
            yield finding(
                "PERSON_SIGNED_AFTER_ORG",
                f"'{last_person.field}' ({last_person.signer}) was signed after the organisation's signature "
                f"'{first_org.field}'.",
                last_person.field,
                vi=f"'{last_person.field}' ({last_person.signer}) ký sau chữ ký của cơ quan '{first_org.field}'.",
            )


def check_header(ev: DocumentEvidence, settings: Settings) -> Iterator[Finding]:
    h = ev.header
    if h.text_error:
        yield finding(
            "TEXT_UNREADABLE",
            f"The text of page 1 cannot be extracted ({h.text_error}).",
            vi=f"Không trích xuất được nội dung trang 1 ({h.text_error}).",
        )
        return
    if not h.has_text:
        why = f" {h.ocr_status}." if h.ocr_status else ""
        why_vi = f" {_OCR_STATUS_VI.get(h.ocr_status.split(' (')[0], h.ocr_status)}." if h.ocr_status else ""
        yield finding(
            "NO_TEXT_LAYER",
            f"Page 1 has no text layer (a scanned image?): number and date cannot be read.{why}",
            vi=f"Trang 1 không có lớp văn bản (bản quét?): không đọc được số và ngày ban hành.{why_vi}",
        )
        return
    ocr = h.source == "ocr"
    if ocr:
        read = ", ".join(f"{_FIELD_EN.get(f, f)} {c:.0%}" for f, c in h.confidence) or "nothing"
        read_vi = ", ".join(f"{_FIELD_VI.get(f, f)} {c:.0%}" for f, c in h.confidence) or "không trường nào"
        names_en = ", ".join(_FIELD_EN.get(f, f) for f in h.illegible)
        names_vi = ", ".join(_FIELD_VI.get(f, f) for f in h.illegible)
        unread = f"; not legible enough to state (handwritten?): {names_en}" if h.illegible else ""
        unread_vi = f"; không đủ rõ để xác định (viết tay?): {names_vi}" if h.illegible else ""
        yield finding(
            "HEADER_READ_BY_OCR",
            f"Page 1 is a scan; its header was read by OCR (confidence: {read}){unread}.",
            vi=f"Trang 1 là bản quét; phần đầu văn bản được đọc bằng OCR (độ tin cậy: {read_vi}){unread_vi}.",
        )
    if h.number is None:
        if ocr and "number" in h.illegible:
            yield finding(
                "NUMBER_NOT_FOUND",
                "The number on the scanned page 1 could not be read with confidence (handwritten?); check it by eye.",
                vi="Không đọc được chắc chắn số văn bản trên bản quét (viết tay?); cần kiểm tra bằng mắt.",
            )
        else:
            yield finding(
                "NUMBER_NOT_FOUND",
                "No document number and symbol ('Số: …/…') was found on page 1.",
                vi="Không tìm thấy số, ký hiệu văn bản ('Số: …/…') ở trang 1.",
            )
    if ocr and h.issuance_date is None and "issuance_date" in h.illegible:
        yield finding(
            "ISSUANCE_DATE_NOT_FOUND",
            "The issuance date on the scanned page 1 could not be read with "
            "confidence (handwritten day?); check it by eye.",
            vi="Không đọc được chắc chắn ngày ban hành trên bản quét (ngày viết tay?); cần kiểm tra bằng mắt.",
        )
    elif ocr and h.issuance_date is not None and (h.confidence_for("issuance_date") or 0) < OCR_CONFIDENT:
        pass  # an uncertain OCR date is not judged for its format
    elif h.issuance_date is None and h.issuance_date_text:
        yield finding(
            "DATE_FORMAT",
            f"The printed date '{h.issuance_date_text}' is not a real date.",
            vi=f"Ngày ghi trên văn bản '{h.issuance_date_text}' không có thật.",
        )
    elif h.issuance_date is None:
        yield finding(
            "ISSUANCE_DATE_NOT_FOUND",
            "No issuance date ('…, ngày … tháng … năm …') was found on page 1.",
            vi="Không tìm thấy ngày ban hành ('…, ngày … tháng … năm …') ở trang 1.",
        )
    else:
        problem = date_format_problem(h.issuance_date_text)
        if problem:
            yield finding(
                "DATE_FORMAT",
                f"The printed date '{h.issuance_date_text}' breaks the rule of Decree 30: {problem}.",
                vi=f"Ngày '{h.issuance_date_text}' ghi không đúng thể thức (Nghị định 30): ngày dưới 10 và "
                "tháng 1, 2 phải thêm số 0 ở trước, các tháng khác không thêm.",
            )
    if (
        h.doc_type
        and h.title_type
        and h.doc_type != h.title_type
        and min(h.confidence_for("number") or 0, h.confidence_for("title_type") or 0) >= OCR_CONFIDENT
    ):
        yield finding(
            "DOC_TYPE_MISMATCH",
            f"The title says '{h.title}' ({h.title_type}) but the symbol of '{h.number}' says {h.doc_type}.",
            vi=f"Tên loại '{h.title}' ({h.title_type}) không khớp với ký hiệu '{h.number}' ({h.doc_type}).",
        )


def check_signing_date(ev: DocumentEvidence, settings: Settings) -> Iterator[Finding]:
    sig = deciding_signature(ev, ZoneInfo(settings.tz))
    issued = ev.header.issuance_date
    if sig is None or sig.signing_time is None or issued is None:
        return
    zone = ZoneInfo(settings.tz)
    signed_on = local_date(sig.signing_time, zone)
    confidence = ev.header.confidence_for("issuance_date") or 0.0
    if signed_on != issued and confidence < OCR_CONFIDENT:
        # Read by OCR without enough confidence: never an error by itself.
        yield finding(
            "SIGNING_DATE_UNCERTAIN",
            f"OCR read the issuance date as {issued.isoformat()} (confidence {confidence:.0%}), but '{sig.field}' "
            f"({sig.signer}) was signed on {signed_on.isoformat()}; check the printed date by eye.",
            sig.field,
            vi=f"OCR đọc ngày ban hành là {issued.strftime('%d/%m/%Y')} (độ tin cậy {confidence:.0%}) nhưng "
            f"'{sig.field}' ({sig.signer}) ký ngày {signed_on.strftime('%d/%m/%Y')}; cần kiểm tra ngày in trên văn bản.",
        )
        return
    if signed_on != issued:
        source = {
            TimeSource.TIMESTAMP_TOKEN: "timestamp",
            TimeSource.SIGNED_ATTRIBUTE: "signed signing time",
            TimeSource.PDF_DICTIONARY: "signature dictionary /M",
            None: "signing time",
        }[sig.time_source]
        yield finding(
            "SIGNING_DATE_MISMATCH",
            f"Issued on {issued.isoformat()} but '{sig.field}' ({sig.signer}) was signed on "
            f"{signed_on.isoformat()} ({_local(sig.signing_time, zone)}, from the {source}).",
            sig.field,
            vi=f"Ngày ban hành {issued.strftime('%d/%m/%Y')} nhưng '{sig.field}' ({sig.signer}) ký ngày "
            f"{signed_on.strftime('%d/%m/%Y')} ({_local(sig.signing_time, zone)}, theo {_SOURCE_VI[sig.time_source]}).",
        )


def check_office(ev: DocumentEvidence, settings: Settings) -> Iterator[Finding]:
    office = ev.header.office
    if not office or (ev.header.confidence_for("office") or 0) < OCR_CONFIDENT:
        return
    full = f"{ev.header.parent_office} {office}" if ev.header.parent_office else office
    excluded = signature_roles(ev, ZoneInfo(settings.tz)).excluded()
    named: set[str] = set()
    for s in ev.approval_signatures:
        if s.kind is not SignerKind.ORGANIZATION or not s.signer or s.field in excluded:
            continue
        if s.signer in named:
            continue  # one finding per certificate name, however many times it signed
        named.add(s.signer)
        if not (same_office(office, s.signer) or same_office(full, s.signer)):
            yield finding(
                "OFFICE_MISMATCH",
                f"The header names '{office}' but the organisation certificate of '{s.field}' names '{s.signer}'.",
                s.field,
                vi=f"Văn bản ghi cơ quan '{office}' nhưng chứng thư số của '{s.field}' ghi '{s.signer}'.",
            )


def check_parse_mode(ev: DocumentEvidence, settings: Settings) -> Iterator[Finding]:
    if ev.lenient_parse:
        yield finding(
            "LENIENT_PARSE",
            "The PDF structure breaks the format rules; it was read in lenient mode.",
            vi="Cấu trúc tệp PDF không đúng chuẩn; đã đọc ở chế độ nới lỏng.",
        )


CHECKS: tuple[Check, ...] = (
    check_parse_mode,
    check_unsigned,
    check_signature_integrity,
    check_modifications,
    check_structure,
    check_certificates,
    check_timestamps,
    check_stamp_times,
    check_signer_kinds,
    check_header,
    check_signing_date,
    check_office,
)


def run_checks(ev: DocumentEvidence, settings: Settings) -> tuple[Finding, ...]:
    if ev.error is not None:
        return (finding(ev.error.code, ev.error.message, vi=f"{CODES[ev.error.code].title_vi}: {ev.error.message}"),)
    return tuple(f for check in CHECKS for f in check(ev, settings))


_FIELD_EN = {
    "office": "office",
    "parent_office": "parent office",
    "number": "number",
    "doc_type": "type",
    "issuance_place": "place",
    "issuance_date": "issuance date",
    "title_type": "title",
}
_FIELD_VI = {
    "office": "cơ quan ban hành",
    "parent_office": "cơ quan chủ quản",
    "number": "số và ký hiệu",
    "doc_type": "loại văn bản",
    "issuance_place": "địa danh",
    "issuance_date": "ngày ban hành",
    "title_type": "tên loại",
}

OCR_CONFIDENT = 0.90
"""An OCR reading at least this sure is judged like text; below it, never an error by itself
(the same threshold as ``sigaudit.evidence.ocr.CONFIDENT``)."""

_OCR_STATUS_VI = {
    "OCR is turned off": "Chức năng OCR đang tắt (--ocr off)",
    "OCR is not installed": "Chưa cài OCR (pip install 'sigaudit[ocr]' và gói tesseract-ocr, tesseract-ocr-vie)",
    "OCR could not read page 1": "OCR không đọc được trang 1",
    "OCR found no text on page 1": "OCR không tìm thấy chữ trên trang 1",
}

_SOURCE_VI = {
    TimeSource.TIMESTAMP_TOKEN: "dấu thời gian",
    TimeSource.SIGNED_ATTRIBUTE: "thời gian ký khai báo trong chữ ký",
    TimeSource.PDF_DICTIONARY: "thời gian /M của chữ ký",
    None: "thời gian ký",
}


def _day(value: dt.datetime | None) -> str:
    return value.date().isoformat() if value else "?"


def _local(value: dt.datetime, zone: dt.tzinfo) -> str:
    return value.astimezone(zone).isoformat(timespec="seconds")
