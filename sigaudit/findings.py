"""The registry of finding codes: one entry per code in ``data/findings.toml``.

Each entry holds the code's severity, its area, its title, the one-sentence "how to fix"
and its message templates, in Vietnamese and English.  Checks build findings with
``finding(code, variant, signature=…, **params)`` and never write text: the messages are
rendered here from the templates and the structured parameters, in both languages.

Templates are ``str.format`` strings with three additions, so that a message never needs
code to assemble it:

- ``[[ … ]]`` is an optional part, written only when every parameter it names has a
  value (not None, empty or zero); ``[[A||B]]`` writes B instead of dropping A.
- a sequence parameter is joined with ", " (or with the format spec: ``{algorithms:; }``);
  ``!q`` quotes each item (``{fields!q}`` → ``'a', 'b'``).
- a ``Term`` parameter is a word or phrase of the ``[terms]`` table, rendered in the
  message's language (``Term.of("field.office")``); a ``Problem`` is rendered through
  ``[terms.problem]``; ``{x:term:byte_range}`` renders the term ``byte_range.<x>``.

Dates are written ISO (``{issued:%d/%m/%Y}`` for another form), instants ISO to the
second, None as "?".  ``{title}`` is the code's own title.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from sigaudit.model import ByteRangeProblem, Finding, Problem, Severity

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

LANGS = ("vi", "en")
AREAS = ("document", "signatures", "certificates", "time", "signers", "header", "register")


@dataclass(frozen=True)
class Text:
    """One sentence in both languages (a term may lack one: its fallback is written)."""

    vi: str | None
    en: str | None

    def __call__(self, lang: str) -> str:
        return (self.vi if lang == "vi" else self.en) or ""


@dataclass(frozen=True)
class Message:
    """A message template (one variant of a code) and the severity it carries."""

    text: Text
    severity: Severity


@dataclass(frozen=True)
class Code:
    """One finding code: what it means, how bad it is, how to fix it, what it says."""

    code: str
    severity: Severity
    """The registered severity; a variant may carry its own (``severity`` in the variant)."""
    area: str
    """What the code is about: one of ``AREAS``."""
    title: Text
    fix: Text
    """One sentence: what the office does about it."""
    doc: str = ""
    """What the code means and when it is raised (English, for docs/findings.md)."""
    unchecked: bool = False
    """The finding says something could not be checked: a document with it never passes."""
    per_run: bool = False
    """A fact usually true of many files of a run (SHA-1 chains): the terminal report says it
    once, with the number of documents, instead of under each one."""
    messages: Mapping[str, Message] = field(default_factory=dict)
    """Templates by variant; ``default`` when the code has one message."""

    @property
    def title_en(self) -> str:
        return self.title.en

    @property
    def title_vi(self) -> str:
        return self.title.vi


@dataclass(frozen=True)
class Term:
    """A word or phrase of the ``[terms]`` table, rendered in the message's language.

    ``fallback`` is written when the table has no such term in that language."""

    key: str
    fallback: str | None = None
    params: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, key: str, fallback: str | None = None, **params: Any) -> Term:
        return cls(key, fallback, tuple(params.items()))


@dataclass(frozen=True)
class Phrase:
    """A description the evidence wrote in English (what changed after signing), said in
    the message's language through the registry's ``[[phrases]]`` and ``[terms.change_kind]``."""

    text: str


def _load() -> tuple[dict[str, Code], dict[str, Text], tuple[tuple[re.Pattern[str], str], ...]]:
    raw = tomllib.loads(resources.files("sigaudit").joinpath("data/findings.toml").read_text(encoding="utf-8"))
    terms = {key: Text(vi=t.get("vi"), en=t.get("en")) for key, t in _flatten(raw.pop("terms")).items()}
    phrases = tuple((re.compile(p["en"]), p["vi"]) for p in raw.pop("phrases", []))
    codes: dict[str, Code] = {}
    for name, entry in raw.items():
        severity = Severity(entry["severity"])
        variants = dict(entry.get("variants", {}))
        if "message" in entry:
            variants["default"] = entry["message"]
        codes[name] = Code(
            code=name,
            severity=severity,
            area=entry["area"],
            title=Text(**entry["title"]),
            fix=Text(**entry["fix"]),
            doc=entry.get("doc", ""),
            unchecked=bool(entry.get("unchecked", False)),
            per_run=bool(entry.get("per_run", False)),
            messages={
                v: Message(Text(vi=m["vi"], en=m["en"]), Severity(m.get("severity", severity)))
                for v, m in variants.items()
            },
        )
    return codes, terms, phrases


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Mapping[str, str]]:
    out: dict[str, Mapping[str, str]] = {}
    for key, value in table.items():
        if "en" in value or "vi" in value:
            out[prefix + key] = value
        else:
            out.update(_flatten(value, f"{prefix}{key}."))
    return out


CODES, TERMS, PHRASES = _load()
_COUNTED = re.compile(r"^(.+) ×(\d+)$")


_ANNOTATION = re.compile(r"(chú thích )([0-9A-Z][0-9A-Za-z]*)\b(?! \()")


def _annotation_named(match: re.Match[str]) -> str:
    term = TERMS.get(f"annotation.{match[2]}")
    return f"{match[1]}{term.vi} ({match[2]})" if term is not None and term.vi else match[0]


def phrase(text: str, lang: str) -> str:
    """An evidence description in ``lang`` (Vietnamese through the phrase table, an
    annotation's type named in Vietnamese before its PDF name (``[terms.annotation]``); a
    phrase the table does not know is written as it is)."""
    if lang != "vi":
        return text
    for pattern, replacement in PHRASES:
        if pattern.search(text):
            return _ANNOTATION.sub(_annotation_named, pattern.sub(replacement, text))
    counted = _COUNTED.match(text)
    if counted:
        kind = TERMS.get(f"change_kind.{counted[1]}")
        if kind is not None and kind.vi:
            return f"{kind.vi} ×{counted[2]}"
    kind = TERMS.get(f"change_kind.{text}")
    return kind.vi if kind is not None and kind.vi else text


def finding(code: str, variant: str = "default", signature: str | None = None, **params: Any) -> Finding:
    """The finding ``code`` with its message (``variant``) rendered in both languages."""
    entry = CODES[code]
    message = entry.messages[variant]
    return Finding(
        code=code,
        severity=message.severity,
        message=render(message.text.en, params, "en", entry),
        signature=signature,
        message_vi=render(message.text.vi, params, "vi", entry),
    )


def title(code: str, lang: str) -> str:
    entry = CODES.get(code)
    return entry.title(lang) if entry else code


def how_to_fix(code: str, lang: str) -> str:
    entry = CODES.get(code)
    return entry.fix(lang) if entry else ""


def term(t: Term, lang: str) -> str:
    text = TERMS.get(t.key)
    template = text(lang) if text is not None else ""
    if not template:
        return t.fallback if t.fallback is not None else t.key
    return render(template, dict(t.params), lang)


def byte_range_term(problem: ByteRangeProblem) -> Term:
    """A /ByteRange problem in the registry's words (``[terms.byte_range]``)."""
    return Term.of(f"byte_range.{problem.fault.value}", unsigned_bytes=problem.unsigned_bytes)


def problem_term(problem: Problem) -> Term:
    """A problem in the registry's words (``[terms.problem]``)."""
    return Term.of(f"problem.{problem.key}", detail=problem.detail, **dict(problem.args))


def say(problem: Problem | None, lang: str) -> str | None:
    """A problem as one sentence in ``lang`` (None for None)."""
    return term(problem_term(problem), lang) if problem is not None else None


_OPTIONAL = re.compile(r"\[\[(.*?)(?:\|\|(.*?))?\]\]", re.S)


def render(template: str, params: Mapping[str, Any], lang: str, code: Code | None = None) -> str:
    values = dict(params)
    if code is not None:
        values.setdefault("title", code.title(lang))
    formatter = _Formatter(lang)

    def optional(m: re.Match[str]) -> str:
        names = _fields(m[1])
        if all(_present(values.get(n)) for n in names):
            return formatter.format(m[1], **values)
        return formatter.format(m[2], **values) if m[2] is not None else ""

    return formatter.format(
        _OPTIONAL.sub(lambda m: optional(m).replace("{", "{{").replace("}", "}}"), template), **values
    )


@cache
def _fields(template: str) -> tuple[str, ...]:
    return tuple(name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name)


def _present(value: Any) -> bool:
    return value is not None and value != "" and value != () and value != [] and value is not False and value != 0


class _Formatter(string.Formatter):
    def __init__(self, lang: str) -> None:
        self.lang = lang

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion == "q":
            if isinstance(value, (list, tuple)):
                return [repr(v) for v in value]
            return repr(value)
        return super().convert_field(value, conversion)

    def format_field(self, value: Any, format_spec: str) -> str:
        if value is None:
            return "?"
        if isinstance(value, Term):
            return term(value, self.lang)
        if isinstance(value, Problem):
            return term(problem_term(value), self.lang)
        if isinstance(value, Phrase):
            return phrase(value.text, self.lang)
        if format_spec in ("date", "when") and isinstance(value, dt.date):
            return _date_or_instant(value, format_spec, self.lang)
        if format_spec.startswith("term:"):
            return term(Term.of(f"{format_spec[5:]}.{value}", fallback=str(value)), self.lang)
        if isinstance(value, Sequence) and not isinstance(value, str):
            return (format_spec or ", ").join(self.format_field(v, "") for v in value)
        if isinstance(value, dt.datetime) and not format_spec:
            return value.isoformat(timespec="seconds")
        if isinstance(value, dt.date) and not format_spec:
            return value.isoformat()
        return format(value, format_spec)


def _date_or_instant(value: dt.date, spec: str, lang: str) -> str:
    """``{x:date}``: 30/11/2026 (vi) or 2026-11-30; ``{x:when}``: 05 giờ 31 ngày 30/11/2026
    (vi) or ISO to the second."""
    if isinstance(value, dt.datetime) and spec == "when":
        return (
            f"{value:%H} giờ {value:%M} ngày {value:%d/%m/%Y}" if lang == "vi" else value.isoformat(timespec="seconds")
        )
    day = value.date() if isinstance(value, dt.datetime) else value
    return day.strftime("%d/%m/%Y") if lang == "vi" else day.isoformat()


__all__ = [
    "AREAS",
    "CODES",
    "LANGS",
    "Code",
    "Phrase",
    "Term",
    "Text",
    "byte_range_term",
    "finding",
    "how_to_fix",
    "phrase",
    "problem_term",
    "render",
    "say",
    "title",
]
