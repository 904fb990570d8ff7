"""What a document is about: the lines under its title, or a công văn's "V/v …" line."""

from __future__ import annotations

import re

from sigaudit.names import clean_spaces

_RULE = re.compile(r"^[\s\-_=.*~–—]+$")
_BODY_OPENING = re.compile(r"^(Căn cứ|Kính gửi|Thực hiện|Theo|Để|Trên cơ sở|Xét|Nhằm|I\.|1\.)", re.IGNORECASE)


def subject_of(text: str, after_title: int | None) -> str | None:
    """What the document is about: the lines under its title ("Cải cách hành chính năm
    2021"), or a công văn's "V/v …" line; None when there is none."""
    if after_title is None:
        m = re.search(r"V/v[:.\s]*([^\n]+)", text[:2500])
        return clean_spaces(m.group(1)) if m else None
    lines: list[str] = []
    for raw in text[after_title : after_title + 600].split("\n"):
        line = raw.strip()
        if not line:
            if lines:
                break
            continue
        if _BODY_OPENING.match(line) or _RULE.match(line):
            break
        if lines and _caps(line) and not _caps(lines[-1]):
            break  # a decision's authority under its subject ("GIÁM ĐỐC SỞ NỘI VỤ")
        lines.append(line)
        if len(lines) == 3:
            break
    return clean_spaces(" ".join(lines)) if lines else None


def _caps(line: str) -> bool:
    """A line in capitals (at least two letters, none lower case)."""
    return sum(c.isalpha() for c in line) >= 2 and not any(c.islower() for c in line)
