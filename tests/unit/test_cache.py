"""The content cache: exact round trip, same verdicts warm as cold, safe misses."""

from __future__ import annotations

import dataclasses
import json

from conftest import CORPUS, TEST_ROOT

import sigaudit
from sigaudit.cache import EvidenceCache
from sigaudit.codec import from_data, to_data
from sigaudit.model import DocumentEvidence, Problem


def test_codec_round_trips_every_corpus_evidence(corpus_report):
    for doc in corpus_report:
        data = json.loads(json.dumps(to_data(doc.evidence)))
        assert from_data(DocumentEvidence, data) == doc.evidence, doc.path


def test_warm_run_gives_the_same_report_without_validating(tmp_path, corpus_report, monkeypatch):
    settings = corpus_report.settings
    cold = sigaudit.audit(CORPUS, settings=settings, cache=tmp_path)
    assert [d.evidence for d in cold] == [d.evidence for d in corpus_report]

    def no_validation(*args, **kwargs):
        raise AssertionError("a cache hit must not be validated again")

    monkeypatch.setattr("sigaudit.evidence.document.inspect_path", no_validation)
    warm = sigaudit.audit(CORPUS, settings=settings, cache=tmp_path)
    assert [(d.path, d.evidence, d.findings) for d in warm] == [(d.path, d.evidence, d.findings) for d in cold]


def test_settings_that_change_evidence_change_the_key(tmp_path):
    a = EvidenceCache.open(tmp_path, sigaudit.Settings(trust=(str(TEST_ROOT),)))
    assert a.salt != EvidenceCache.open(tmp_path, sigaudit.Settings()).salt
    assert a.salt != EvidenceCache.open(tmp_path, sigaudit.Settings(trust=(str(TEST_ROOT),), tz="UTC")).salt
    # a check setting does not: findings are recomputed from cached evidence
    assert (
        a.salt == EvidenceCache.open(tmp_path, sigaudit.Settings(trust=(str(TEST_ROOT),), timestamp_tolerance_s=1)).salt
    )


def test_broken_or_foreign_entries_are_misses(tmp_path, by_path):
    cache = EvidenceCache.open(tmp_path, sigaudit.Settings(trust=(str(TEST_ROOT),)))
    evidence = by_path["ubnd-phu-binh/KH-45-cai-cach-hanh-chinh.pdf"].evidence
    cache.put(evidence)
    hit = cache.get(evidence.sha256, path="elsewhere/KH-45.pdf", folder_office="x")
    assert hit == dataclasses.replace(evidence, path="elsewhere/KH-45.pdf", folder_office="x")
    entry = next(tmp_path.rglob("*.json"))
    entry.write_text("{not json", encoding="utf-8")
    assert cache.get(evidence.sha256, path="p", folder_office=None) is None
    entry.write_text(json.dumps({"unexpected": 1}), encoding="utf-8")
    assert cache.get(evidence.sha256, path="p", folder_office=None) is None
    assert not list(tmp_path.rglob(".tmp-*"))


def test_read_errors_are_not_cached(tmp_path):
    cache = EvidenceCache.open(tmp_path, sigaudit.Settings())
    cache.put(
        DocumentEvidence(
            path="x.pdf",
            sha256="0" * 64,
            error=sigaudit.DocumentError("INTERNAL_ERROR", Problem.of("error.internal", "bug")),
        )
    )
    assert not list(tmp_path.rglob("*.json"))


def test_an_entry_is_written_even_after_its_folder_was_removed(tmp_path, by_path):
    """The writer makes each folder once per process; a folder removed since (a cache
    cleared while a long run goes on) is made again, and no temporary file is left."""
    import shutil

    cache = EvidenceCache.open(tmp_path, sigaudit.Settings(trust=(str(TEST_ROOT),)))
    evidence = by_path["ubnd-phu-binh/KH-45-cai-cach-hanh-chinh.pdf"].evidence
    cache.put(evidence)
    shutil.rmtree(tmp_path / cache.root.name)
    cache.put(evidence)
    assert cache.get(evidence.sha256, path="p", folder_office=None) is not None
    assert not list(tmp_path.rglob(".tmp-*"))
