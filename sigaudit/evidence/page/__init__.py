"""Page 1 as a person reads it, in one place.

- ``pagetext.py``: the text layer with PDFium — glyphs, the annotations' appearances
  flattened and attributed (``stamps.py``), a scanner's invisible OCR layer set aside;
- ``band.py``: the rows the header reader reads, found before the page is laid out;
- ``layout.py``: lines and words by position; ``legacy_text.py``: TCVN3/VNI and other
  8-bit encodings decoded; ``text.py``: pypdf's reading, the fallback;
- ``header.py``: the header grammar and its zones (``numbers.py``: number and symbol,
  ``subject.py``: what the document is about);
- ``ocr.py``: scanned pages read with Tesseract (``tessengine.py``: tesserocr's engine, loaded once
  per worker; ``scanimage.py``: the header rendered, straightened and cut at a blank row);
- ``lexicon.py``: known place and office names, as data (``sigaudit/data/lexicon``).
"""
