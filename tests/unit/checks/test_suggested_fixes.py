"""Every command a finding's fix suggests is accepted where the finding is shown: an option
named in a per-document finding's fix exists in the main command, ``check`` (the clerks'),
``dossier`` and ``serve`` (the page), and a value given with it is one it accepts."""

from __future__ import annotations

import re

import pytest

from sigaudit.cliargs import build_parser, check_parser, dossier_parser, serve_parser
from sigaudit.findings import CODES

PARSERS = {"sigaudit": build_parser, "check": check_parser, "dossier": dossier_parser, "serve": serve_parser}
PER_DOCUMENT = {"document", "signatures", "certificates", "time", "signers", "header"}
OPTION = re.compile(r"(--[a-z][a-z0-9-]*)(?:[ =]([a-z0-9_]+))?")


def _suggestions():
    for code in CODES.values():
        if code.area not in PER_DOCUMENT:
            continue
        for text in (code.fix.vi, code.fix.en):
            for m in OPTION.finditer(text):
                yield code.code, m[1], m[2]


SUGGESTIONS = sorted(set(_suggestions()), key=lambda s: (s[0], s[1], s[2] or ""))


def test_fixes_suggest_commands():
    assert {option for _, option, _ in SUGGESTIONS} >= {"--trust", "--ocr", "--signer-kind", "--max-seconds"}


@pytest.mark.parametrize("command", sorted(PARSERS))
@pytest.mark.parametrize("code, option, value", SUGGESTIONS)
def test_a_suggested_option_is_accepted_where_the_finding_is_shown(command, code, option, value):
    for lang in ("vi", "en"):
        parser = PARSERS[command](lang)
        action = parser._option_string_actions.get(option)
        assert action is not None, f"{code} suggests {option}, which '{command}' does not accept"
        if value is not None and action.choices is not None:
            assert value in action.choices, f"{code} suggests {option} {value}"
