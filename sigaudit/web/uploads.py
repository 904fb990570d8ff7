"""Files a browser sends: safe names, size limits, zip archives unpacked with limits.

Nothing here opens a path that came from the client.  A client's file name is only a label:
it is reduced to one plain component (no folder, no ``..``, no control character) and the
file is written under the job's own folder with that label, made unique.  A zip archive is
unpacked entry by entry, each entry's path rebuilt from plain components under the job's
folder; entries that are links, absolute, or that climb out are skipped and listed; sizes
are counted as bytes come out (never trusted from the archive's header), with limits on
the total, on the number of entries and on the compression ratio (zip bombs).
"""

from __future__ import annotations

import os
import re
import stat
import threading
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

_BINARY = getattr(os, "O_BINARY", 0)
"""Windows opens descriptors in text mode (LF written as CRLF) unless told otherwise."""

_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")
MAX_NAME = 120


@dataclass(frozen=True)
class Limits:
    """What one job may receive (the page shows these, the server enforces them)."""

    max_files: int = 500
    """Files per job, counting what zip archives hold."""
    max_file_bytes: int = 50 * 1024 * 1024
    """One uploaded file, or one file inside a zip."""
    max_total_bytes: int = 500 * 1024 * 1024
    """Everything a job holds once unpacked."""
    max_ratio: int = 100
    """Unpacked size / packed size of a zip entry beyond which it is a bomb."""
    max_jobs: int = 20
    """Jobs kept at once (each holds files or results)."""
    ttl_seconds: int = 30 * 60
    """How long a job's files and results are kept after its last use."""


class UploadRefused(Exception):
    """A file the job will not take; ``key`` names the reason for the page and the tests."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def safe_name(name: str, fallback: str = "tệp") -> str:
    """One plain file-name component from whatever the client sent."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip(" .")
    if not name or name in (".", ".."):
        name = fallback
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: MAX_NAME - len(ext) - 1] + "." + ext) if dot and len(ext) <= 10 else name[:MAX_NAME]
    return name


def unique_path(folder: Path, name: str) -> Path:
    """``folder/name``, or ``folder/stem (2).ext`` … when taken."""
    candidate = folder / name
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    n = 2
    while candidate.exists() or candidate.is_symlink():
        candidate = folder / (f"{stem} ({n}).{ext}" if ext else f"{stem} ({n})")
        n += 1
    return candidate


@dataclass
class Budget:
    """Files and bytes a job has taken so far (uploads may arrive side by side: locked)."""

    limits: Limits
    files: int = 0
    total: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def take_file(self) -> None:
        with self.lock:
            if self.files >= self.limits.max_files:
                raise UploadRefused("too_many_files", limit=self.limits.max_files)
            self.files += 1

    def take_bytes(self, n: int, *, file_bytes: int) -> None:
        if file_bytes > self.limits.max_file_bytes:
            raise UploadRefused("file_too_large", limit_mb=self.limits.max_file_bytes // (1024 * 1024))
        with self.lock:
            if self.total + n > self.limits.max_total_bytes:
                raise UploadRefused("job_too_large", limit_mb=self.limits.max_total_bytes // (1024 * 1024))
            self.total += n

    def give(self, files: int, total: int) -> None:
        """Return what a refused or unpacked upload had taken."""
        with self.lock:
            self.files -= files
            self.total -= total


class Tracked:
    """A budget that remembers what was taken through it (to give it all back)."""

    def __init__(self, budget: Budget) -> None:
        self.budget, self.limits, self.files, self.total = budget, budget.limits, 0, 0

    def take_file(self) -> None:
        self.budget.take_file()
        self.files += 1

    def take_bytes(self, n: int, *, file_bytes: int) -> None:
        self.budget.take_bytes(n, file_bytes=file_bytes)
        self.total += n

    def give_back(self) -> None:
        self.budget.give(self.files, self.total)
        self.files = self.total = 0


@dataclass
class Unpacked:
    """What a zip archive gave: files written, entries skipped (and why)."""

    files: list[Path] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def _entry_parts(name: str) -> list[str] | None:
    """The plain components of a zip entry's path, or None when it is absolute or climbs."""
    name = name.replace("\\", "/")
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return None
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        return None
    return [safe_name(p) for p in parts]


def unpack_zip(archive: Path, into: Path, budget: Budget | Tracked) -> Unpacked:
    """Unpack ``archive`` under ``into`` (created), within ``budget``."""
    out = Unpacked()
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise UploadRefused("bad_zip", detail=str(exc)) from exc
    with zf:
        infos = zf.infolist()
        if len(infos) > budget.limits.max_files * 2:
            raise UploadRefused("too_many_files", limit=budget.limits.max_files)
        root = into.resolve()
        for info in infos:
            if info.is_dir():
                continue
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                out.skipped.append((info.filename, "link"))
                continue
            parts = _entry_parts(info.filename)
            if not parts:
                out.skipped.append((info.filename, "outside"))
                continue
            if info.flag_bits & 0x1:
                out.skipped.append((info.filename, "encrypted"))
                continue
            target_dir = root.joinpath(*parts[:-1])
            if not target_dir.resolve().is_relative_to(root):
                out.skipped.append((info.filename, "outside"))
                continue
            budget.take_file()
            target_dir.mkdir(parents=True, exist_ok=True)
            target = unique_path(target_dir, parts[-1])
            _extract(zf, info, target, budget)
            out.files.append(target)
    return out


def _extract(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, budget: Budget | Tracked) -> None:
    limit_ratio = budget.limits.max_ratio
    packed = max(info.compress_size, 1)
    written = 0
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as dst, zf.open(info) as src:
            while True:
                chunk = src.read(1 << 16)
                if not chunk:
                    break
                written += len(chunk)
                if written > 1024 * 1024 and written > packed * limit_ratio:
                    raise UploadRefused("zip_bomb", name=info.filename, ratio=limit_ratio)
                budget.take_bytes(len(chunk), file_bytes=written)
                dst.write(chunk)
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def create_new(target: Path) -> BinaryIO:
    """Open ``target`` for a new upload (never an existing file, never through a link)."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY | getattr(os, "O_NOFOLLOW", 0), 0o600)
    return os.fdopen(fd, "wb")
