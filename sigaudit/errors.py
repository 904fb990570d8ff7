"""One exception hierarchy.  Per-document problems never escape as exceptions: they
become ``documents[].error`` entries.  These are for configuration and usage."""

from __future__ import annotations


def say(key: str, lang: str, **params: object) -> str:
    """A sentence of the registry's ``[terms.usage]`` in ``lang`` (messages of the commands)."""
    from sigaudit.findings import Term, term

    return term(Term.of(f"usage.{key}", **params), lang)


class SigauditError(Exception):
    """Base class of every error sigaudit raises on purpose.

    ``key`` names a sentence of the registry's ``[terms.usage]`` (in both languages) filled
    from ``params``; ``str(error)`` is the English."""

    def __init__(self, message: str = "", *, key: str | None = None, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(message or (self.text("en") if key else ""))

    def text(self, lang: str) -> str:
        """The error in ``lang`` (the English message when it has no registry sentence)."""
        if self.key is None:
            return str(self)
        from sigaudit.findings import Term, term

        return term(
            Term.of(f"usage.{self.key}", fallback=str(self.args[0]) if self.args else self.key, **self.params), lang
        )


class UsageError(SigauditError):
    """The caller asked for something that cannot be done (bad path, bad option)."""


class TrustConfigError(UsageError):
    """A trust source could not be loaded."""
