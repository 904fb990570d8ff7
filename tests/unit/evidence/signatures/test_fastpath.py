"""Fast paths give the library's answer: same evidence with and without them.

The fast paths (sigaudit/fastpath.py, evidence/changes/fastcheck.py, evidence/fastverify.py) are
turned off by ``fastpath.ENABLED = False`` plus ``fastpath.uninstall()``; the whole
fixture corpus and the real-world DSS folder are then inspected both ways.
"""

from __future__ import annotations

import dataclasses
import io

import pytest
from conftest import CORPUS, DSS
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from pyhanko.pdf_utils.misc import PDF_DELIMITERS, PDF_WHITESPACE, PdfStreamError

import sigaudit
from sigaudit import fastpath
from sigaudit.evidence import fastverify
from sigaudit.evidence.changes import fastcheck as revisions
from sigaudit.evidence.document import inspect_bytes


def _read_both(raw: bytes):
    out = []
    for reader in (fastpath._ORIGINAL_READ_HEX, fastpath.read_hex_string_from_stream):
        stream = io.BytesIO(raw)
        try:
            value = reader(stream)
            out.append(("ok", type(value).__name__, repr(value), stream.tell()))
        except PdfStreamError as exc:
            out.append(("error", str(exc)))
    return out


hex_bodies = st.lists(
    st.sampled_from([b"0", b"a", b"F", b"9", b" ", b"\n", b"\r\n", b"\t", b"\x00", b"\x0c", b"g", b"%c\n", b"-"]),
    max_size=60,
).map(b"".join)


@hsettings(max_examples=400, deadline=None)
@given(body=hex_bodies, tail=st.sampled_from([b">", b"> /Next 1", b""]))
def test_hex_reader_matches_pyhanko(body, tail):
    original, fast = _read_both(b"<" + body + tail)
    assert fast == original


def test_hex_reader_on_real_signature_values():
    data = (CORPUS / "ubnd-phu-binh/KH-45-cai-cach-hanh-chinh.pdf").read_bytes()
    start = data.index(b"/Contents <") + len(b"/Contents ")
    original, fast = _read_both(data[start:])
    assert fast == original and original[0] == "ok" and len(original[2]) > 1000


def _outcome(call):
    try:
        return ("ok", call())
    except Exception as exc:
        return ("error", type(exc).__name__, str(exc))


token_bytes = st.lists(
    st.sampled_from(
        [b"a", b"Z", b"0", b"#", b"#20", b"#4", b" ", b"\n", b"\x00", b"/", b"(", b">", b"%", b"\xe1", b"~"]
    ),
    max_size=40,
).map(b"".join)
classes = st.sampled_from([PDF_WHITESPACE, PDF_WHITESPACE + PDF_DELIMITERS])


@hsettings(max_examples=500, deadline=None)
@given(data=token_bytes, class_chars=classes, lead=st.integers(0, 3))
def test_token_reader_matches_pyhanko(data, class_chars, lead):
    results = []
    for reader in (fastpath._ORIGINAL_READ_UNTIL_CLASS, fastpath.read_until_class):
        stream = io.BytesIO(data)
        stream.read(lead)
        value = reader(class_chars, stream)
        results.append((value, stream.tell()))
    assert results[0] == results[1]


def test_token_reader_reads_long_tokens_across_blocks():
    data = b"x" * 1000 + b" rest"
    stream = io.BytesIO(data)
    assert fastpath.read_until_class(PDF_WHITESPACE, stream) == (b"x" * 1000, False)
    assert stream.tell() == 1001


@hsettings(max_examples=500, deadline=None)
@given(name=token_bytes)
def test_name_decoder_matches_pyhanko(name):
    original = _outcome(lambda: fastpath._ORIGINAL_DECODE_NAME(name))
    fast = _outcome(lambda: fastpath.decode_name(name))
    assert fast == original
    if fast[0] == "ok":
        assert type(fast[1]) is type(original[1])


def _inspect_all(paths, settings):
    return {
        p.name if p.parent == DSS else str(p.relative_to(CORPUS)): inspect_bytes(
            p.read_bytes(), path=p.name, settings=settings
        )
        for p in paths
    }


@pytest.fixture
def slow_mode():
    def _off():
        fastpath.ENABLED = False
        fastpath.uninstall()

    def _on():
        fastpath.ENABLED = True
        fastpath.install()

    yield _off, _on
    _on()


def _count_fast(monkeypatch):
    counts = {"verify": 0, "revisions": 0, "references": 0}
    real_verify, real_rev = fastverify.verify, revisions.signature_additions_only

    def verify(*a, **k):
        result = real_verify(*a, **k)
        counts["verify"] += result is not None
        # a certification (DocMDP) or FieldMDP signature: its /Reference is read by the locks
        counts["references"] += result is not None and "/Reference" in a[0].sig_object
        return result

    def rev(*a, **k):
        result = real_rev(*a, **k)
        counts["revisions"] += result is not None
        return result

    monkeypatch.setattr(fastverify, "verify", verify)
    monkeypatch.setattr("sigaudit.evidence.signatures.changes.signature_additions_only", rev)
    return counts


def _compare(paths, settings, slow_mode, monkeypatch):
    off, on = slow_mode
    counts = _count_fast(monkeypatch)
    fastverify.clear()
    fast = _inspect_all(paths, settings)
    off()
    slow = _inspect_all(paths, settings)
    on()
    differ = [k for k in fast if fast[k] != slow[k]]
    return differ, counts


def test_fast_paths_give_the_same_evidence_on_the_corpus(settings, slow_mode, monkeypatch):
    paths = sorted(CORPUS.rglob("*.pdf"))
    differ, counts = _compare(paths, settings, slow_mode, monkeypatch)
    assert differ == []
    # and the fast signature check was really taken, on most signatures of the corpus
    assert counts["verify"] >= 40, counts


def test_fast_revision_check_gives_pyhankos_answer_on_the_corpus(settings, slow_mode, monkeypatch):
    """The fast revision check belongs to the pyHanko diff policy (--diff-policy pyhanko):
    where it answers, pyHanko's analysis would have said the same."""
    paths = sorted(CORPUS.rglob("*.pdf"))
    differ, counts = _compare(paths, dataclasses.replace(settings, diff_policy="pyhanko"), slow_mode, monkeypatch)
    assert differ == []
    assert counts["revisions"] >= 40, counts


@pytest.mark.skipif(not DSS.is_dir(), reason="../shared/realworld/dss is not present")
@pytest.mark.parametrize("policy", ["own", "pyhanko"])
def test_fast_paths_give_the_same_evidence_on_real_world_files(slow_mode, monkeypatch, policy):
    paths = sorted(DSS.glob("*.pdf"))
    differ, counts = _compare(paths, sigaudit.Settings(diff_policy=policy), slow_mode, monkeypatch)
    assert differ == []
    if policy == "pyhanko":
        assert counts["revisions"] >= 10, counts
        assert counts["references"] == 0, counts  # pyHanko's analysis reads them there


def test_name_comparison_gives_asn1cryptos_answer():
    """Every pair of subject and issuer names of the Vietnamese trust store and the test
    PKI: the same equality and the same hashable as asn1crypto's own code, including
    names that differ only in case or spacing (equal under RFC 5280's preparation)."""
    from asn1crypto import x509

    from sigaudit.trust import load_trust

    store = load_trust(("vn", str(CORPUS.parent / "pki" / "test-root.pem")))
    certs = [*store.roots, *store.intermediates]
    names = [n for c in certs for n in (c.subject, c.issuer)]
    names += [
        x509.Name.build({"common_name": "Ủy ban  nhân dân", "country_name": "VN"}),
        x509.Name.build({"common_name": "ủy BAN nhân dân", "country_name": "VN"}),
        x509.Name.build({"common_name": "Ủy ban nhân dân"}),
    ]
    assert len(names) > 20
    fast = [[a == b for b in names] for a in names]
    fast_hash = [n.hashable for n in names]
    fastpath.uninstall()
    try:
        fresh = [x509.Name.load(n.dump()) for n in names]
        slow = [[a == b for b in fresh] for a in fresh]
        slow_hash = [n.hashable for n in fresh]
    finally:
        fastpath.install()
    assert fast == slow and fast_hash == slow_hash
    assert fast[-3][-2]  # case and inner spaces do not matter


VN = CORPUS.parents[2] / "shared" / "realworld" / "vn"


@pytest.mark.skipif(not VN.is_dir(), reason="../shared/realworld/vn is not present")
def test_fast_paths_give_the_same_evidence_on_real_e_office_files(slow_mode, monkeypatch):
    """Real signatures with RFC 3161 tokens (most of them SHA-1 digests): the token's fast
    check gives pyHanko's answer, and is really taken."""
    paths = [p for p in sorted(VN.glob("*.pdf")) if b"/ByteRange" in p.read_bytes()]
    settings = sigaudit.Settings(ocr="off")
    off, on = slow_mode
    counts = _count_fast(monkeypatch)
    fastverify.clear()
    fast = {p.name: inspect_bytes(p.read_bytes(), path=p.name, settings=settings) for p in paths}
    off()
    slow = {p.name: inspect_bytes(p.read_bytes(), path=p.name, settings=settings) for p in paths}
    on()
    assert [k for k in fast if fast[k] != slow[k]] == []
    assert counts["verify"] >= 50, counts
    # the certification signatures of the e-office chains (DocMDP /Reference) too
    assert counts["references"] >= 5, counts
