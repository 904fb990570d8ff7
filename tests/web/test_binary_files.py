"""Files sigaudit writes byte for byte (uploads, zip entries, cache entries) are opened in
binary mode on every platform: Windows opens descriptors in text mode unless ``O_BINARY``
is given, and every LF of a PDF would become CRLF."""

from __future__ import annotations

import ast
import io
import zipfile

from conftest import CORPUS, ROOT

from sigaudit.web import uploads

PACKAGE = ROOT / "sigaudit"


def test_every_descriptor_sigaudit_writes_through_is_binary():
    missing = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and ast.unparse(node.func) == "os.open" and len(node.args) >= 2):
                continue
            flags = ast.unparse(node.args[1])
            if "O_WRONLY" in flags and "devnull" not in ast.unparse(node.args[0]) and "_BINARY" not in flags:
                missing.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert missing == []


def test_an_upload_and_a_zip_entry_are_stored_byte_identical(tmp_path, monkeypatch):
    # a PDF holding every byte value, CR and LF among them
    data = (CORPUS / "ubnd-phu-binh" / "KH-45-cai-cach-hanh-chinh.pdf").read_bytes() + bytes(range(256)) + b"\r\n\n\r"
    seen: list[int] = []
    real_open = uploads.os.open

    def recording_open(path, flags, *args):
        seen.append(flags)
        return real_open(path, flags, *args)

    monkeypatch.setattr(uploads.os, "open", recording_open)
    target = tmp_path / "upload.pdf"
    with uploads.create_new(target) as fh:
        fh.write(data)
    assert target.read_bytes() == data

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.pdf", data)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zf:
        info = zf.getinfo("a.pdf")
        uploads._extract(zf, info, tmp_path / "entry.pdf", uploads.Budget(uploads.Limits()))
    assert (tmp_path / "entry.pdf").read_bytes() == data
    assert len(seen) == 2 and all(flags & uploads._BINARY == uploads._BINARY for flags in seen)
