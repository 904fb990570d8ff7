"""Tesseract loaded once per process, through ``tesserocr`` (the ``ocr`` extra).

``tesserocr`` publishes wheels for Linux and Windows with libtesseract inside: only the
Vietnamese model (``vie.traineddata``) is then needed, found through ``$SIGAUDIT_TESSDATA``
(the folder that holds it), ``$TESSDATA_PREFIX``, or where Tesseract's packages and the
Windows installer put it.  One engine per worker process reads every scan of that worker
(the model is loaded once, not once per page), under a lock (the page's server threads),
with a time limit per page.  ``evidence/page/ocr.py`` uses it wherever it is installed and
runs the ``tesseract`` program otherwise (or with ``SIGAUDIT_TESSEROCR=0``).  Measured on the
real scans and the scanned copies of the real text-layer pages (docs/ocr.md): as many fields
right as the program (Debian's Tesseract 5.3), none wrong with confidence, at about half the
cost per page."""

from __future__ import annotations

import functools
import logging
import os
import threading
from typing import Any

log = logging.getLogger(__name__)

_LOCK = threading.Lock()
_ENGINE: Any = None
_FOLDERS = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/opt/homebrew/share/tessdata",
)


def tessdata() -> str | None:
    """The folder that holds ``vie.traineddata``, or None."""
    candidates = [os.environ.get("SIGAUDIT_TESSDATA"), os.environ.get("TESSDATA_PREFIX")]
    for base in (os.environ.get("PROGRAMFILES"), os.environ.get("PROGRAMFILES(X86)"), os.environ.get("LOCALAPPDATA")):
        if base:
            candidates += [
                os.path.join(base, "Tesseract-OCR", "tessdata"),
                os.path.join(base, "Programs", "Tesseract-OCR", "tessdata"),
            ]
    candidates += list(_FOLDERS)
    for folder in candidates:
        if folder and os.path.isfile(os.path.join(folder, "vie.traineddata")):
            return folder
    return None


@functools.lru_cache(maxsize=1)
def version() -> str | None:
    """``tesseract 5.5.4 (tesserocr)`` when tesserocr and the Vietnamese model are there."""
    if os.environ.get("SIGAUDIT_TESSEROCR", "1") == "0" or tessdata() is None:
        return None
    try:
        import PIL  # noqa: F401
        import tesserocr
    except ImportError:
        return None
    try:
        first = tesserocr.tesseract_version().splitlines()[0].strip()
    except Exception:
        return None
    return f"{first} (tesserocr)"


def _engine() -> Any:
    global _ENGINE
    if _ENGINE is None:
        # One thread: documents already run in parallel workers (see evidence/page/ocr.py).
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")
        import tesserocr

        _ENGINE = tesserocr.PyTessBaseAPI(path=tessdata(), lang="vie", psm=tesserocr.PSM.AUTO)
    return _ENGINE


def tsv(image: Any, dpi: int, *, timeout: float = 60.0) -> str | None:
    """Tesseract's TSV of an image, with the header line the program writes; None when the
    engine is not available, fails, or takes longer than ``timeout`` seconds."""
    if version() is None:
        return None
    try:
        with _LOCK:
            api = _engine()
            api.SetImage(image)
            api.SetSourceResolution(dpi)
            if not api.Recognize(int(max(timeout, 5.0) * 1000)):
                log.info("tesserocr gave up on the page (longer than %.0f s, or no text)", timeout)
                api.Clear()
                return None
            body = api.GetTSVText(0)
            api.Clear()
    except Exception:
        log.info("tesserocr failed on the page", exc_info=True)
        return None
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    return header + "\n" + body


def word(image: Any, dpi: int, allowed: str, *, timeout: float = 10.0) -> tuple[str, float] | None:
    """One word read from ``image`` with only the characters ``allowed`` (the engine's
    single-word mode), and its confidence (0–1); None when the engine is not available,
    fails or reads nothing.  The engine's page mode and character list are put back."""
    if version() is None:
        return None
    try:
        import tesserocr

        with _LOCK:
            api = _engine()
            api.SetPageSegMode(tesserocr.PSM.SINGLE_WORD)
            api.SetVariable("tessedit_char_whitelist", allowed)
            try:
                api.SetImage(image)
                api.SetSourceResolution(dpi)
                if not api.Recognize(int(max(timeout, 1.0) * 1000)):
                    return None
                text = api.GetUTF8Text().strip()
                confidence = max(api.MeanTextConf(), 0) / 100
            finally:
                api.Clear()
                api.SetVariable("tessedit_char_whitelist", "")
                api.SetPageSegMode(tesserocr.PSM.AUTO)
    except Exception:
        log.info("tesserocr failed on a word", exc_info=True)
        return None
    return (text, confidence) if text else None
