"""pyHanko's validation package, imported here before any other module of the package,
so that the warnings its import raises go to the log, never to the terminal — and
without the signing API, which sigaudit never uses.

``pyhanko/sign/__init__.py`` does one thing: it imports ``pyhanko.sign.signers`` (the
signing API, its PDF writer and the aiohttp time-stamp client) to re-export ten of its
names.  That is 0.13 s of every process's start-up — of every run, every worker and every
clerk's one-document check — for code that only signs.  ``pyhanko.sign`` is therefore
entered as a package whose ``__init__`` has not run: its submodules (``validation``,
``fields``, ``general``, ``diff_analysis`` …) import as usual, and the first time any other
name of the package is asked for (``pyhanko.sign.SimpleSigner``, ``from pyhanko.sign
import sign_pdf`` in an application that also signs) the real ``__init__`` runs, once, and
the name is there.  Where ``pyhanko.sign`` was imported before sigaudit, nothing is done.
``tests/unit/evidence/test_pyhanko_import.py`` checks both ways against a fresh
interpreter.

cryptography 51 deprecates DSA, which ``pyhanko.sign.signers`` imports: a
``CryptographyDeprecationWarning`` at import time, in whatever process imports it first.
Recorded here (and when the real ``__init__`` runs later), it is logged on the
``sigaudit.libraries`` logger: seen by an application that configured logging before
importing sigaudit; the command line imports pyHanko before it opens ``--log-file``, so
there it goes nowhere (``logs.quiet_libraries``) — a dependency's deprecation is nothing a
user can act on."""

from __future__ import annotations

import importlib
import importlib.util
import logging
import sys
import threading
import warnings
from collections.abc import Callable
from typing import Any

_PACKAGE = "pyhanko.sign"


def _recorded(action: Callable[[], Any]) -> Any:
    """``action()``, its warnings logged instead of shown."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = action()
    for warning in caught:
        logging.getLogger("sigaudit.libraries").warning(
            "%s: %s (%s:%s)", warning.category.__name__, warning.message, warning.filename, warning.lineno
        )
    return result


def _enter_without_init() -> bool:
    """Put ``pyhanko.sign`` in ``sys.modules`` without running its ``__init__``; False where
    that cannot be done (already imported; a layout this does not know)."""
    if _PACKAGE in sys.modules:
        return False
    import pyhanko

    spec = importlib.util.find_spec(_PACKAGE)
    if spec is None or spec.loader is None or not spec.submodule_search_locations:
        return False
    package = importlib.util.module_from_spec(spec)
    lock = threading.Lock()

    def complete(name: str) -> Any:
        # PEP 562: only names the module does not have yet come here
        if name.startswith("__"):
            raise AttributeError(name)
        if importlib.util.find_spec(f"{_PACKAGE}.{name}") is not None:
            return importlib.import_module(f"{_PACKAGE}.{name}")  # a submodule: as usual
        with lock:
            if package.__dict__.get("__getattr__") is complete:
                del package.__dict__["__getattr__"]
                _recorded(lambda: spec.loader.exec_module(package))  # type: ignore[union-attr]
        try:
            return package.__dict__[name]
        except KeyError:
            raise AttributeError(f"module {_PACKAGE!r} has no attribute {name!r}") from None

    package.__getattr__ = complete  # type: ignore[method-assign]
    sys.modules[_PACKAGE] = package
    pyhanko.sign = package  # type: ignore[attr-defined]
    return True


def _import() -> None:
    if not _enter_without_init():
        import pyhanko.sign
    # what validation needs, imported here so that its warnings are recorded too
    import pyhanko.sign.fields
    import pyhanko.sign.validation  # noqa: F401


_recorded(_import)
