"""Signature fields of a file whose structure pyHanko cannot walk (evidence/signatures/broken.py).

The file is written here by hand, as pyHanko's own test file "minimal-annotless.pdf" is: a
page and a form whose cross-reference table gives the page a wrong offset, so that pyHanko
fails on it and pypdf or PDFium repair it.  Its one signature field is empty (PDFium still
lists it among its "signatures"), or holds a signature dictionary.  And files encrypted in a
way pyHanko cannot decrypt although they open without a password (evidence/document.py)."""

from __future__ import annotations

import sigaudit

_VALUE = b"/V << /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /Contents <3082> /ByteRange [0 10 20 30] >>"


def _broken(value: bytes = b"") -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm 5 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 300 144] >>",
        b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R"
        b" /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >> >> >> >>",
        b"<< /Length 38 >>\nstream\nBT /F1 18 Tf 10 60 Td (Hello) Tj ET\nendstream",
        b"<< /Fields [6 0 R] /SigFlags 3 >>",
        b"<< /FT /Sig /T (Sig1) " + value + b" >>",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    offsets[2] = offsets[3]  # the page's entry points at the content stream's object
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Root 1 0 R /Size %d >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_an_empty_signature_field_of_a_broken_file_is_no_signature():
    result = sigaudit.inspect(_broken(), settings=sigaudit.Settings(ocr="off"))
    assert result.evidence.signatures == ()
    codes = {f.code for f in result.findings}
    assert "UNSIGNED" in codes
    assert "SIGNATURE_MALFORMED" not in codes


def test_a_signature_value_in_that_field_is_listed_as_malformed():
    result = sigaudit.inspect(_broken(_VALUE), settings=sigaudit.Settings(ocr="off"))
    assert [s.field for s in result.evidence.signatures] == ["Sig1"]
    assert "SIGNATURE_MALFORMED" in {f.code for f in result.findings}


def _encrypted(algorithm: str, user: str = "") -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(300, 144)
    writer.encrypt(user_password=user, owner_password="owner", algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _encryption_error(data: bytes) -> sigaudit.Finding:
    result = sigaudit.inspect(data, settings=sigaudit.Settings(ocr="off"))
    (found,) = [f for f in result.findings if f.code == "ENCRYPTED_PDF"]
    return found


def test_a_file_any_viewer_opens_but_pyhanko_cannot_decrypt_is_not_called_password_protected():
    # Acrobat 9's AES-256 (revision 5) with an empty user password: PDFium, qpdf and every
    # viewer open it; pyHanko does not implement revision 5
    found = _encryption_error(_encrypted("AES-256-R5"))
    assert "opens without a password" in found.message and "R 5" in found.message
    assert "mở được không cần mật khẩu" in found.message_vi


def test_a_user_password_is_still_a_password():
    found = _encryption_error(_encrypted("AES-256-R5", user="secret"))
    assert "encrypted with a password" in found.message


def test_a_signature_in_a_file_whose_page_tree_the_parser_cannot_walk_is_validated():
    # pyHanko signs and validates such a file (its test_sign_without_annot): the signature
    # field has no widget and the page's wrong offset is never read; the search for signed
    # widgets on the pages skips the page it cannot read instead of giving the file up
    import io
    import sys

    from conftest import ROOT
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    sys.path.insert(0, str(ROOT / "fixtures"))
    import generate

    who = next(iter(generate.build_pki().people.values()))
    signer = signers.SimpleSigner(signing_cert=who.asn1_cert, signing_key=who.asn1_key, cert_registry=None)
    writer = IncrementalPdfFileWriter(io.BytesIO(_broken()), strict=False)
    data = signers.sign_pdf(writer, signers.PdfSignatureMetadata(field_name="Sig1"), signer=signer).getvalue()
    result = sigaudit.inspect(data, settings=sigaudit.Settings(ocr="off"))
    (signature,) = result.evidence.signatures
    assert (signature.field, signature.intact, signature.valid) == ("Sig1", True, True)
    assert "SIGNATURE_MALFORMED" not in {f.code for f in result.findings}
