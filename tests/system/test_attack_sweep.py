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
    assert f"1 signed files: caught {len(attacks)}, clean {len(honest)}" in out, out
