"""pyHanko's signing and validation package, imported here before any other module of the
package, so that the warnings its import raises go to the log, never to the terminal.

cryptography 51 deprecates DSA, which ``pyhanko.sign.signers`` imports: a
``CryptographyDeprecationWarning`` at import time, in whatever process imports it first —
the fork server and the workers too, before any logging is configured there
(``scan._worker_context``).  Recorded here, it is logged on the ``sigaudit.libraries``
logger: seen by an application that configured logging before importing sigaudit; the
command line imports pyHanko before it opens ``--log-file``, so there it goes nowhere
(``logs.quiet_libraries``) — a dependency's deprecation is nothing a user can act on."""

from __future__ import annotations

import logging
import warnings

with warnings.catch_warnings(record=True) as _caught:
    warnings.simplefilter("always")
    import pyhanko.sign  # noqa: F401

for _warning in _caught:
    logging.getLogger("sigaudit.libraries").warning(
        "%s: %s (%s:%s)", _warning.category.__name__, _warning.message, _warning.filename, _warning.lineno
    )
