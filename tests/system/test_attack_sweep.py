"""A smoke run of benchmarks/attack_sweep.py (the long run covers every real file; its figures
are in docs/signatures.md): every attack on the generated e-office document is caught and the
honest update stays clean."""

from __future__ import annotations

import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import attack_sweep


def test_the_sweep_catches_every_attack_on_the_fixture(capsys):
    source = ROOT / "fixtures" / "eoffice" / "stamped-number-itext.pdf"
    assert attack_sweep.main([str(source)]) == 0
    out = capsys.readouterr().out
    attacks, honest = attack_sweep._builds()
    # the fixture is not tagged: the attack on a signed structure element and the honest
    # update that describes a new field in the structure cannot be built on it (counted)
    assert b"/StructTreeRoot" not in source.read_bytes()
    summary = f"1 signed files: build-fail 2, caught {len(attacks) - 1}, clean {len(honest) - 1}"
    assert summary in out, out
