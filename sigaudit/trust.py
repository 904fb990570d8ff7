"""Trust material: roots and intermediates from files, folders and named bundles.

A trust source is a PEM or DER file (a PEM file may hold several certificates), a folder
(every ``*.pem``, ``*.crt``, ``*.cer``, ``*.der`` in it, recursively) or the name of a
bundle shipped with the package (``vn``: the Vietnamese government and national PKIs, see
docs/trust.md).  Self-signed certificates become trust roots; the others are used only as
intermediates to build chains, never as anchors.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from sigaudit.errors import TrustConfigError

BUNDLES = {"vn": "data/trust/vn"}
_CERT_SUFFIXES = {".pem", ".crt", ".cer", ".der"}


@dataclass(frozen=True)
class TrustStore:
    roots: tuple[Any, ...]
    intermediates: tuple[Any, ...]

    @property
    def configured(self) -> bool:
        return bool(self.roots)

    def fingerprint(self) -> str:
        """SHA-256 over the roots and intermediates (what a cached verdict depends on)."""
        return self._fingerprint

    @functools.cached_property
    def _fingerprint(self) -> str:  # computed once per store (load_trust caches stores)
        digest = hashlib.sha256()
        for group in (self.roots, self.intermediates):
            for der in sorted(c.dump() for c in group):
                digest.update(hashlib.sha256(der).digest())
            digest.update(b"|")
        return digest.hexdigest()


def _certs_from_pemder(data: bytes) -> list[Any]:
    """asn1crypto certificates from PEM (one or more) or DER bytes."""
    from asn1crypto import pem, x509

    if pem.detect(data):
        return [
            x509.Certificate.load(der)
            for type_name, _, der in pem.unarmor(data, multiple=True)
            if type_name is None or type_name.lower() == "certificate"
        ]
    return [x509.Certificate.load(data)]


def _load_file(path: Path) -> list[Any]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TrustConfigError(key="trust_unreadable", path=str(path), reason=exc.strerror) from exc
    try:
        certs = _certs_from_pemder(data)
        for cert in certs:
            _ = cert.native  # parse now: a broken file fails here, not in a worker
    except Exception as exc:
        raise TrustConfigError(key="trust_not_certificate", path=str(path)) from exc
    if not certs:
        raise TrustConfigError(key="trust_empty", path=str(path))
    return certs


def _bundle_files(name: str) -> list[Path]:
    folder = resources.files("sigaudit").joinpath(BUNDLES[name])
    return sorted(Path(str(p)) for p in folder.iterdir() if Path(str(p)).suffix in _CERT_SUFFIXES)


def _source_files(source: str) -> list[Path]:
    if source in BUNDLES:
        return _bundle_files(source)
    path = Path(source)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in _CERT_SUFFIXES)
        if not files:
            raise TrustConfigError(key="trust_empty_folder", path=str(path))
        return files
    if path.is_file():
        return [path]
    names = ", ".join(sorted(BUNDLES))
    raise TrustConfigError(key="trust_unknown", source=source, names=names)


@functools.lru_cache(maxsize=16)
def load_trust(sources: tuple[str, ...]) -> TrustStore:
    """Load and split trust sources.  Cached per process: workers load once."""
    roots: dict[bytes, Any] = {}
    intermediates: dict[bytes, Any] = {}
    for source in sources:
        for path in _source_files(source):
            for cert in _load_file(path):
                target = roots if cert.self_signed in ("yes", "maybe") else intermediates
                target.setdefault(cert.sha256, cert)
    return TrustStore(roots=tuple(roots.values()), intermediates=tuple(intermediates.values()))
