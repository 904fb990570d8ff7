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
PDF_FOLDERS = [
    CORPUS,
    ROOT / "fixtures" / "eoffice",
    ROOT / "fixtures" / "scans",
    ROOT / "fixtures" / "headers",
    ROOT.parent / "shared" / "realworld" / "vn",
    DSS,
]
"""Every folder of PDFs the project has (the real ones where they lie), for the tests that
compare two ways of reading on all of them."""


def signed_pdfs(folders=None):
    """(path, pyHanko reader, embedded signatures) of every PDF with a /ByteRange in
    ``folders`` (default ``PDF_FOLDERS``; absent folders skipped) that pyHanko opens
    leniently, in path order."""
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    for folder in PDF_FOLDERS if folders is None else folders:
        for path in sorted(Path(folder).rglob("*.pdf")) if folder.is_dir() else ():
            data = path.read_bytes()
            if b"/ByteRange" not in data:
                continue
            try:
                reader = PdfFileReader(io.BytesIO(data), strict=False)
                signatures = reader.embedded_signatures
            except Exception:
                continue
            yield path, reader, signatures


def assert_regenerates(script: Path, tmp_path: Path, committed: dict[str, Path]) -> None:
    """Run a fixture generator with ``--out tmp_path`` and compare what it writes with the
    committed folders ({subfolder of the output, or "": committed folder}), byte for byte:
    the generators are deterministic."""
    import filecmp
    import subprocess
    import sys

    subprocess.run([sys.executable, str(script), "--out", str(tmp_path)], check=True, capture_output=True, timeout=600)
    for subfolder, folder in committed.items():
        fresh = tmp_path / subfolder if subfolder else tmp_path
        files = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
        assert files == sorted(str(p.relative_to(fresh)) for p in fresh.rglob("*") if p.is_file())
        _, mismatch, errors = filecmp.cmpfiles(folder, fresh, files, shallow=False)
        assert mismatch == [] and errors == [], f"regenerated differently with {_toolchain()}"


def _toolchain() -> str:
    """The versions that decide the generators' bytes, for a failure's message."""
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in ("fpdf2", "fonttools", "pyHanko", "Pillow"):
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} missing")
    return ", ".join(found) + " (the pins are in pyproject.toml's fixtures extra)"


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
