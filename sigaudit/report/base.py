"""The formatter interface: what every report format implements and what it may read.

A format is a ``Formatter`` subclass in its own module, registered in
``sigaudit.report.formats.FORMATS``; the command line takes its ``--format`` choices and
the extensions it recognises from there.  A formatter reads a finished report (anything
shaped like ``Report``: ``sigaudit.AuditReport``) and computes nothing new.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from typing import IO, Any, ClassVar, Protocol

from sigaudit.model import DocumentResult, OfficeStats, Settings


class Report(Protocol):
    """What a formatter may read of an audit (``sigaudit.AuditReport`` is one)."""

    settings: Settings
    documents: Iterable[DocumentResult]
    offices: tuple[OfficeStats, ...]
    generated_at: dt.datetime
    deductions: tuple[dict[str, Any], ...]
    points_by_area: tuple[dict[str, Any], ...]
    rules: Any
    schema_version: str
    tool_version: str

    def summary(self) -> dict[str, Any]: ...

    def statistics(self) -> list[dict[str, Any]]: ...

    def worst_severity_rank(self) -> int: ...


Writer = Callable[[IO[Any]], None]


class Formatter(ABC):
    """One report format."""

    name: ClassVar[str]
    """The ``--format`` value."""
    extensions: ClassVar[tuple[str, ...]] = ()
    """File extensions (lower case, with the dot) that select this format for ``-o``."""
    help: ClassVar[str] = ""
    """One line for ``--help``."""
    help_vi: ClassVar[str] = ""
    """The same line in Vietnamese (``--help`` in the default language)."""
    binary: ClassVar[bool] = False
    """The format writes bytes (the stream is opened in binary mode)."""

    @abstractmethod
    def write(self, report: Report, stream: IO[Any], lang: str) -> None:
        """Write the report to ``stream`` in ``lang`` (``vi`` or ``en``)."""

    def targets(self, target: str) -> list[str]:
        """Every file ``-o target`` writes (checked before the audit starts)."""
        return [target]

    def companions(self, report: Report, lang: str, target: str) -> list[tuple[str, Writer]]:
        """Further files written next to ``-o target``: (path, writer) pairs (CSV's other tables)."""
        return []


class RenderedFormatter(Formatter):
    """A format whose whole text comes from one ``render(report, lang=…)`` function."""

    render: ClassVar[Callable[..., str]]

    def write(self, report: Report, stream: IO[Any], lang: str) -> None:
        stream.write(type(self).render(report, lang=lang))
