"""pyHanko's signing API stays out of a validating process, and is whole where it is used
(``sigaudit/evidence/signatures/_pyhanko.py``); each case in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys

import pytest


def _run(code: str, *, quiet: bool = True) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert not quiet or "Warning" not in done.stderr  # the signing API's import warnings go to the log
    return done.stdout.strip()


def test_validation_imports_without_the_signing_api():
    out = _run(
        "import sys, sigaudit.evidence.document\n"
        "print(sorted(k for k in sys.modules if k.startswith(('pyhanko.sign.signers', 'pyhanko.sign.timestamps', 'aiohttp'))))"
    )
    assert out == "[]"


@pytest.mark.parametrize(
    "use",
    [
        "import pyhanko.sign; names = (pyhanko.sign.SimpleSigner, pyhanko.sign.sign_pdf, pyhanko.sign.PdfSigner)",
        "from pyhanko.sign import SimpleSigner, sign_pdf, PdfSigner; names = (SimpleSigner, sign_pdf, PdfSigner)",
        "from pyhanko import sign; names = (sign.SimpleSigner, sign.sign_pdf, sign.PdfSigner)",
    ],
)
def test_the_package_is_whole_where_an_application_signs(use):
    out = _run(
        "import sigaudit.evidence.document\n"
        f"{use}\n"
        "from pyhanko.sign import signers\n"
        "import pyhanko.sign\n"
        "assert names == (signers.SimpleSigner, signers.sign_pdf, signers.PdfSigner)\n"
        "assert all(hasattr(pyhanko.sign, name) for name in pyhanko.sign.__all__)\n"
        "print(len(pyhanko.sign.__all__), hasattr(pyhanko.sign, 'no_such_name'))"
    )
    assert out == "11 False"


def test_imported_first_by_the_application_the_package_is_left_alone():
    out = _run(
        "import pyhanko.sign, sys\n"
        "first = sys.modules['pyhanko.sign']\n"
        "import sigaudit.evidence.document\n"
        "print(sys.modules['pyhanko.sign'] is first, '__getattr__' in vars(first))",
        quiet=False,  # the application's own import warns as it would without sigaudit
    )
    assert out == "True False"


def test_a_submodule_asked_by_name_is_imported_not_the_signing_api():
    out = _run(
        "import sys, sigaudit.evidence.document\n"
        "from pyhanko.sign import diff_analysis, general\n"
        "print(diff_analysis.__name__, 'pyhanko.sign.signers' in sys.modules)"
    )
    assert out == "pyhanko.sign.diff_analysis False"
