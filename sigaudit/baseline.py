"""Accepted findings, like a linter's baseline: a re-run shows only what is new.

    python -m sigaudit evidence/ --write-baseline accepted.json   # accept today's findings
    python -m sigaudit evidence/ --baseline accepted.json         # report only new ones

A finding is identified by the document's content (SHA-256; its path when it could not be
read), the finding code and the signature field: moving or renaming a file keeps its
accepted findings, changing its content does not.  Accepted findings are left out of the
document's findings, the counts, the deductions and the exit code; the summary says how many.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sigaudit.errors import UsageError
from sigaudit.model import DocumentResult, Finding

FORMAT = "sigaudit-baseline/1"


def _key(result: DocumentResult, f: Finding) -> tuple[str, str, str]:
    return (result.evidence.sha256 or f"path:{result.path}", f.code, f.signature or "")


@dataclass(frozen=True)
class Baseline:
    keys: frozenset[tuple[str, str, str]]

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Baseline:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise UsageError(key="baseline_unreadable", path=str(path), reason=exc.strerror or exc) from exc
        except json.JSONDecodeError as exc:
            raise UsageError(key="baseline_json", path=str(path), detail=str(exc)) from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise UsageError(key="baseline_format", path=str(path), format=FORMAT)
        keys = set()
        for item in data.get("accepted", []):
            keys.add((item["document"], item["code"], item.get("signature") or ""))
        return cls(frozenset(keys))

    def apply(self, result: DocumentResult) -> tuple[DocumentResult, int]:
        kept = tuple(f for f in result.findings if _key(result, f) not in self.keys)
        accepted = len(result.findings) - len(kept)
        return (replace(result, findings=kept) if accepted else result), accepted


def write_baseline(documents: Any, path: str | os.PathLike[str]) -> int:
    """Accept every finding of ``documents``; returns how many were written."""
    from sigaudit.report import write_atomically

    accepted = [
        {"document": _key(d, f)[0], "path": d.path, "code": f.code, "signature": f.signature}
        for d in documents
        for f in d.findings
    ]
    write_atomically(path, json.dumps({"format": FORMAT, "accepted": accepted}, ensure_ascii=False, indent=1) + "\n")
    return len(accepted)
