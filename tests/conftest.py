"""Shared fixtures: the committed corpus, audited once per test session."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest

import sigaudit

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fixtures" / "corpus"
PKI = ROOT / "fixtures" / "pki"
TEST_ROOT = PKI / "test-root.pem"
SCHEMA = ROOT / "docs" / "report.schema.json"
DSS = ROOT.parent / "shared" / "realworld" / "dss"

# The CLI caches evidence in ~/.cache/sigaudit by default: keep test runs out of the
# user's cache (subprocesses inherit this).
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="sigaudit-test-cache-")


@pytest.fixture(scope="session")
def manifest() -> list[dict]:
    return json.loads((CORPUS / "MANIFEST.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def settings() -> sigaudit.Settings:
    return sigaudit.Settings(trust=(str(TEST_ROOT),))


@pytest.fixture(scope="session")
def corpus_report(settings: sigaudit.Settings) -> sigaudit.AuditReport:
    return sigaudit.audit(CORPUS, settings=settings, jobs=2)


@pytest.fixture(scope="session")
def by_path(corpus_report: sigaudit.AuditReport) -> dict[str, sigaudit.DocumentResult]:
    return {d.path: d for d in corpus_report.documents}


@pytest.fixture(scope="session")
def report_json(corpus_report: sigaudit.AuditReport) -> dict:
    return json.loads(corpus_report.to_json())
