"""A short fuzz run (hypothesis) over mutated fixture PDFs; the long run is benchmarks/fuzz.py."""

from __future__ import annotations

import random
import sys

from conftest import ROOT, TEST_ROOT
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

import sigaudit

sys.path.insert(0, str(ROOT / "benchmarks"))
import fuzz

FILES = [(p.name, p.read_bytes()) for p in fuzz.seeds()]
SETTINGS = sigaudit.Settings(trust=(str(TEST_ROOT),), max_seconds=30)


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(index=st.integers(0, len(FILES) - 1), kind=st.sampled_from(fuzz.MUTATIONS), seed=st.integers(0, 2**32))
def test_mutants_never_break_the_audit(index, kind, seed):
    name, data = FILES[index]
    mutant, changed = fuzz.mutate(data, kind, random.Random(seed))
    problems, evidence = fuzz.check(mutant, changed, SETTINGS)
    assert problems == [], (name, kind, seed)
    assert evidence is not None


def test_a_flip_in_a_signed_range_is_always_caught():
    rng = random.Random(7)
    signed = [(n, d) for n, d in FILES if fuzz.signed_ranges(d)]
    for name, data in signed[:12]:
        mutant, changed = fuzz.mutate(data, "flip-signed", rng)
        problems, _ = fuzz.check(mutant, changed, SETTINGS)
        assert problems == [], name
