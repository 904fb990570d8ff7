"""The terminal, whatever its encoding.

Output redirected or piped on Windows is written in the console's ANSI code page (cp1258 on
Vietnamese Windows, cp1252 elsewhere), not UTF-8.  Python then stops at the first character
the code page lacks (``UnicodeEncodeError``, exit 1: the code for "documents failed").  Here
each standard stream that is not UTF-8 replaces what it cannot write instead, and on cp1258
Vietnamese is written the way that code page spells it: the letter with its shape mark
precomposed (â ê ô ă ơ ư đ), the tone as a combining mark ("ộ" = "ô" + U+0323), so nothing is
lost.
"""

from __future__ import annotations

import codecs
import contextlib
import sys
import unicodedata
from collections.abc import Iterator
from typing import Any

_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")


def cp1258_spelling(text: str) -> str:
    """``text`` with each letter's tone mark split off as cp1258 writes Vietnamese."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ord(ch) < 0xC0:
            out.append(ch)
            continue
        parts = unicodedata.normalize("NFD", ch)
        tones = [m for m in parts if m in _TONES]
        if not tones:
            out.append(ch)
            continue
        out.append(unicodedata.normalize("NFC", "".join(m for m in parts if m not in _TONES)) + "".join(tones))
    return "".join(out)


# Marks of the people's formats that code pages lack, written as the nearest ASCII.
_SYMBOLS = str.maketrans({"✗": "x", "✓": "v", "→": "->", "⚠": "!", "•": "*", "…": "..."})


class _CodePage:
    """A standard stream in an ANSI code page: the marks it lacks written in ASCII and, on
    cp1258, Vietnamese as the code page spells it."""

    def __init__(self, stream: Any, vietnamese: bool) -> None:
        self._stream = stream
        self._vietnamese = vietnamese

    def write(self, text: str) -> int:
        out = text.translate(_SYMBOLS)
        self._stream.write(cp1258_spelling(out) if self._vietnamese else out)
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _encoding(stream: Any) -> str:
    try:
        return codecs.lookup(getattr(stream, "encoding", None) or "utf-8").name
    except LookupError:
        return "utf-8"


@contextlib.contextmanager
def safe_streams() -> Iterator[None]:
    """Standard output and error that never fail on a character (restored afterwards)."""
    saved = sys.stdout, sys.stderr
    try:
        for name in ("stdout", "stderr"):
            stream = getattr(sys, name)
            encoding = _encoding(stream)
            if stream is None or encoding.startswith("utf"):
                continue
            with contextlib.suppress(AttributeError, ValueError, OSError):
                stream.reconfigure(errors="replace")
            setattr(sys, name, _CodePage(stream, vietnamese=encoding == "cp1258"))
        yield
    finally:
        sys.stdout, sys.stderr = saved


def ansi_escapes(stream: Any) -> bool:
    """Whether colour and cursor escape codes may be written to ``stream``: a terminal, no
    ``NO_COLOR``, and on Windows a console that interprets them (Windows 10's console does
    once asked to, with ``ENABLE_VIRTUAL_TERMINAL_PROCESSING``; the old one prints them as
    garbage, so then none are written)."""
    import os

    try:
        if not stream.isatty() or os.environ.get("NO_COLOR"):
            return False
    except (AttributeError, ValueError, OSError):
        return False
    if sys.platform != "win32":
        return True
    return _enable_windows_vt(stream)


def _enable_windows_vt(stream: Any) -> bool:  # pragma: no cover - Windows only
    try:
        import ctypes
        import msvcrt

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = msvcrt.get_osfhandle(stream.fileno())
        mode = ctypes.c_uint32()
        if not kernel32.GetConsoleMode(handle, ctypes.byref(mode)):
            return False
        if mode.value & 0x0004:
            return True
        return bool(kernel32.SetConsoleMode(handle, mode.value | 0x0004))
    except Exception:
        return False
