"""The same audit on a Dask LocalCluster (processes, 2 workers) as locally."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

import pytest

distributed = pytest.importorskip("dask.distributed")

import cloudpickle  # noqa: E402  (comes with dask)
from conftest import CORPUS, TEST_ROOT  # noqa: E402

import sigaudit  # noqa: E402
from sigaudit.distributed import DaskExecutor, run_dask  # noqa: E402
from sigaudit.findings import say  # noqa: E402
from sigaudit.scan import discover  # noqa: E402

# Fault-injection tasks below are sent to the workers by value.
cloudpickle.register_pickle_by_value(sys.modules[__name__])


def _cluster():
    import dask

    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0")
    return cluster, distributed.Client(cluster)


@pytest.fixture(scope="module")
def client():
    cluster, client = _cluster()
    yield client
    client.close()
    cluster.close()


def _same(a, b):
    assert [d.path for d in a] == [d.path for d in b]
    assert [d.evidence for d in a] == [d.evidence for d in b]
    assert [d.findings for d in a] == [d.findings for d in b]
    assert a.offices == b.offices and a.summary() == b.summary()


def test_cluster_report_equals_the_local_one(client, corpus_report, tmp_path):
    cache = tmp_path / "shared-cache"
    remote = sigaudit.audit(CORPUS, settings=corpus_report.settings, executor=client, cache=cache)
    _same(remote, corpus_report)
    # the workers filled the shared cache…
    entries = {p: p.stat().st_mtime_ns for p in cache.rglob("*.json")}
    assert len(entries) >= 35
    # …and a second run on the cluster answers every document from it, writing nothing
    again = sigaudit.audit(CORPUS, settings=corpus_report.settings, executor=client, cache=cache)
    _same(again, corpus_report)
    assert {p: p.stat().st_mtime_ns for p in cache.rglob("*.json")} == entries


def test_workers_read_fsspec_urls(client, corpus_report):
    folder = CORPUS / "ubnd-phu-binh"
    remote = sigaudit.audit(folder.as_uri(), settings=corpus_report.settings, executor=client)
    local = sigaudit.audit(folder, settings=corpus_report.settings)
    _same(remote, local)


def test_a_worker_killed_mid_run_changes_nothing(corpus_report):
    cluster, client = _cluster()
    try:
        seen = 0
        results = []
        for result in sigaudit.iter_audit([CORPUS], settings=corpus_report.settings, executor=client):
            results.append(result)
            seen += 1
            if seen == 3:
                pids = client.run(os.getpid)
                os.kill(next(iter(pids.values())), signal.SIGKILL)
        results.sort(key=lambda r: r.path)
        # iter_audit streams documents one by one: the register's findings, made across
        # documents once all are in, are audit()'s (sigaudit.register)
        assert [(r.path, r.evidence, r.findings) for r in results] == [
            (d.path, d.evidence, tuple(f for f in d.findings if not f.code.startswith("REGISTER_")))
            for d in corpus_report
        ]
    finally:
        client.close()
        cluster.close()


def _crash_on_tampered(item, settings, cache):
    from sigaudit.distributed import _task

    if item.display_path.endswith("QD-07-tampered.pdf"):
        os._exit(70)  # the worker process dies, as on a segfault or an OOM kill
    return _task(item, settings, cache)


def test_a_document_that_kills_its_worker_twice_is_an_error_entry(corpus_report):
    cluster, client = _cluster()
    try:
        items = discover([CORPUS / "ubnd-xa-tan-khanh"]).items
        done = {}
        finished = threading.Event()

        def consume():
            with DaskExecutor(client) as executor:
                for ev in run_dask(items, corpus_report.settings, executor, None, task=_crash_on_tampered):
                    done[ev.path] = ev
            finished.set()

        worker = threading.Thread(target=consume, daemon=True)
        worker.start()
        assert finished.wait(180), "the run did not finish"
        assert sorted(done) == sorted(i.display_path for i in items)
        crashed = done["QD-07-tampered.pdf"]
        assert crashed.error.code == "INTERNAL_ERROR" and "twice" in say(crashed.error.problem, "en")
        assert all(ev.error is None for path, ev in done.items() if path != "QD-07-tampered.pdf")
    finally:
        client.close()
        cluster.close()


def test_cli_local_cluster(tmp_path, corpus_report):
    out = tmp_path / "report.json"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "sigaudit",
            str(CORPUS / "ubnd-phu-binh"),
            "--trust",
            str(TEST_ROOT),
            "--dask",
            "local:2",
            "--no-cache",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 1, proc.stderr  # the folder holds faulty documents
    import json

    report = json.loads(out.read_text(encoding="utf-8"))
    local = {
        d.path: sorted(f.code for f in d.findings)
        for d in sigaudit.audit(CORPUS / "ubnd-phu-binh", settings=corpus_report.settings)
    }
    assert {d["path"]: sorted(f["code"] for f in d["findings"]) for d in report["documents"]} == local
    assert proc.stderr.count("\n") == 1  # one summary line, no Dask chatter


def test_without_dask_the_option_says_how_to_install(monkeypatch, capsys):
    from sigaudit.cli import main

    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    monkeypatch.setitem(sys.modules, "dask", None)
    code = main([str(CORPUS / "ubnd-phu-binh" / "KH-45-cai-cach-hanh-chinh.pdf"), "--dask", "local", "--no-cache"])
    assert code == 2
    assert "pip install 'sigaudit[dask]'" in capsys.readouterr().err
