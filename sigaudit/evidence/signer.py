"""Who signed: names and kind (person / organisation) from the certificate subject.

Decree 30/2020 wants two signatures on an electronic document: the competent person's
and the issuing body's.  Certificates do not say which is which in a standard field, so
the kind is inferred, strongest evidence first (see docs/findings.md, "Signer kind"):

1. identifier prefixes: ``UID=MST:`` / ``MNS:`` (tax or budget code) → organisation;
   ``UID=CMND:`` / ``CCCD:`` / ``HC:`` (identity card, passport) → person; the ETSI
   EN 319 412-1 semantics identifiers in serialNumber / organizationIdentifier
   (``VAT``/``NTR``/``LEI`` → organisation, ``PNO``/``IDC``/``PAS`` → person);
2. givenName or surname present → person;
3. CN equal to O, or CN shaped like the name of a body ("Ủy ban nhân dân …",
   "Phòng …", "Sở …", "Công ty …") → organisation;
4. CN shaped like a Vietnamese personal name (a common family name followed by one to
   four capitalised words) → person;
5. otherwise unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sigaudit.model import SignerKind
from sigaudit.names import clean_spaces, nfc, office_key, strip_diacritics

_ORG_ID_PREFIXES = ("mst", "mns", "vat", "ntr", "psd", "lei", "mdn", "mcqt")
_PERSON_ID_PREFIXES = ("cmnd", "cccd", "cmt", "hc", "hcc", "pno", "idc", "pas", "passport", "dinh danh")

# Folded (no diacritics, lower case) starts of the names of bodies.
_BODY_WORDS = (
    "uy ban",
    "ubnd",
    "hdnd",
    "hoi dong",
    "so ",
    "phong ",
    "van phong",
    "ban ",
    "bo ",
    "cuc ",
    "chi cuc",
    "tong cuc",
    "truong ",
    "trung tam",
    "benh vien",
    "cong ty",
    "thanh tra",
    "dang uy",
    "huyen uy",
    "tinh uy",
    "thanh uy",
    "quan uy",
    "thi uy",
    "kho bac",
    "chi nhanh",
    "vien ",
    "hoc vien",
    "cong thong tin",
    "cong ttdt",
    "dai hoc",
    "ngan hang",
    "tap doan",
    "hop tac xa",
    "mat tran",
    "doan ",
    "hoi ",
    "lien doan",
    "cong an",
    "bo chi huy",
    "toa an",
    "vien kiem sat",
    "tong cong ty",
    "ministry",
    "department",
    "agency",
    "office",
    "university",
    "company",
    "bank",
    "municipality",
    "city of",
    "government",
)
_BODY_SUFFIXES = (" ltd", " gmbh", " inc", " s.a.", " s.a", " sa", " ag", " llc", " jsc", " corp", " nv", " bv", " spa")

_VN_SURNAMES = frozenset(
    strip_diacritics(s).lower()
    for s in [
        "Nguyễn",
        "Trần",
        "Lê",
        "Phạm",
        "Hoàng",
        "Huỳnh",
        "Phan",
        "Vũ",
        "Võ",
        "Đặng",
        "Bùi",
        "Đỗ",
        "Hồ",
        "Ngô",
        "Dương",
        "Lý",
        "Đào",
        "Đoàn",
        "Đinh",
        "Lương",
        "Trịnh",
        "Mai",
        "Trương",
        "Tạ",
        "Hà",
        "Lâm",
        "Phùng",
        "Tô",
        "Cao",
        "Chu",
        "Kiều",
        "Lưu",
        "Quách",
        "Thái",
        "Tăng",
        "Vương",
        "Triệu",
        "Mạc",
        "Hứa",
        "La",
        "Nông",
        "Lò",
        "Hầu",
        "Tôn",
        "Thân",
        "Khúc",
        "Âu",
        "Doãn",
        "Giáp",
        "Lục",
        "Quan",
        "Văn",
        "Châu",
        "Diệp",
        "Bạch",
        "Nghiêm",
    ]
)
_WORD = re.compile(r"^[^\W\d_][^\W\d_'.-]*$")


@dataclass(frozen=True)
class SignerIdentity:
    name: str | None
    organization: str | None
    ids: tuple[str, ...]
    kind: SignerKind
    issuer: str | None


def _subject_values(name: Any) -> dict[str, list[str]]:
    """Attribute values of an asn1crypto Name, by asn1crypto's attribute names."""
    values: dict[str, list[str]] = {}
    try:
        rdns = name.chosen
    except Exception:  # pragma: no cover - asn1crypto always has it
        return values
    for rdn in rdns:
        for attr in rdn:
            try:
                key = attr["type"].native
                value = attr["value"].native
            except Exception:
                continue  # an undecodable attribute value says nothing we can use
            if isinstance(value, bytes):
                value = value.decode("utf-8", "replace")
            if value is None:
                continue
            values.setdefault(str(key), []).append(clean_spaces(nfc(str(value))))
    return values


def _id_prefix(value: str) -> str:
    head = re.split(r"[:\-=]", value, maxsplit=1)[0]
    return strip_diacritics(head).strip().lower()


def looks_like_body(name: str) -> bool:
    folded = " ".join(strip_diacritics(name).lower().split())
    return folded.startswith(_BODY_WORDS) or folded.endswith(_BODY_SUFFIXES)


def looks_like_vietnamese_person(name: str) -> bool:
    words = name.split()
    if not 2 <= len(words) <= 5 or not all(_WORD.match(w) for w in words):
        return False
    if not all(w[0].isupper() for w in words):
        return False
    return strip_diacritics(words[0]).lower() in _VN_SURNAMES


def classify(values: dict[str, list[str]]) -> SignerKind:
    ids = values.get("user_id", []) + values.get("serial_number", []) + values.get("organization_identifier", [])
    prefixes = {_id_prefix(v) for v in ids if v}
    if prefixes & set(_ORG_ID_PREFIXES) or values.get("organization_identifier"):
        if not prefixes & set(_PERSON_ID_PREFIXES):
            return SignerKind.ORGANIZATION
    if prefixes & set(_PERSON_ID_PREFIXES):
        return SignerKind.PERSON
    if values.get("given_name") or values.get("surname") or values.get("pseudonym"):
        return SignerKind.PERSON
    cn = (values.get("common_name") or [""])[0]
    orgs = values.get("organization_name", []) + values.get("organizational_unit_name", [])
    if cn and any(office_key(cn) == office_key(o) for o in orgs):
        return SignerKind.ORGANIZATION
    if cn and looks_like_body(cn):
        return SignerKind.ORGANIZATION
    if cn and looks_like_vietnamese_person(cn):
        return SignerKind.PERSON
    return SignerKind.UNKNOWN


def identify(cert: Any) -> SignerIdentity:
    """Read the signer's identity from an asn1crypto certificate."""
    values = _subject_values(cert.subject)
    issuer_values = _subject_values(cert.issuer)
    name = (values.get("common_name") or [None])[0]
    org = (values.get("organization_name") or [None])[0]
    ids = tuple(values.get("user_id", []) + values.get("serial_number", []))
    issuer = (issuer_values.get("common_name") or issuer_values.get("organization_name") or [None])[0]
    return SignerIdentity(name=name, organization=org, ids=ids, kind=classify(values), issuer=issuer)
