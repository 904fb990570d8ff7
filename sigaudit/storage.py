"""Reading files from local paths or fsspec URLs (``s3://…``, ``gs://…``, ``file://…``).

URLs need fsspec (installed with ``sigaudit[dask]``) and the filesystem's own package
(s3fs, gcsfs…).  Local paths never touch fsspec.
"""

from __future__ import annotations

import re
from typing import Any

from sigaudit.errors import UsageError

_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


def is_url(path: str) -> bool:
    return bool(_URL.match(path))


def _fsspec() -> Any:
    try:
        import fsspec
    except ImportError as exc:
        raise UsageError("Reading URLs needs fsspec: pip install 'sigaudit[dask]' (and s3fs for s3://).") from exc
    return fsspec


def url_to_fs(url: str) -> tuple[Any, str]:
    try:
        fs, root = _fsspec().core.url_to_fs(url)
    except (ImportError, ValueError) as exc:
        raise UsageError(key="url_unreadable", url=url, detail=str(exc)) from exc
    return fs, root


def read_bytes(path: str) -> bytes:
    """The bytes of a file; OSError (FileNotFoundError, PermissionError…) when unreadable."""
    if not is_url(path):
        with open(path, "rb") as fh:
            return fh.read()
    try:
        with _fsspec().open(path, "rb") as fh:
            data: bytes = fh.read()
            return data
    except OSError:
        raise
    except Exception as exc:  # fsspec back-ends raise their own errors
        raise OSError(str(exc)) from exc


def open_binary(path: str) -> Any:
    if not is_url(path):
        return open(path, "rb")
    return _fsspec().open(path, "rb").open()


def file_size(path: str) -> int | None:
    """Size in bytes, or None when unknown (the read will say why)."""
    try:
        if not is_url(path):
            import os

            return os.stat(path).st_size
        fs, root = url_to_fs(path)
        size = fs.size(root)
        return int(size) if size is not None else None
    except Exception:
        return None
