"""Changes after signing, in one place.

- ``effects.py``: the signed revision compared with the final file by what a reader sees
  and what the file does (pages, content, resources, annotations, field values, actions,
  layers, outlines, attachments), rendering with PDFium where bytes differ;
- ``ink.py``: what a signature appearance added after signing draws over the signed page
  (it may draw only where the page was blank: the clerk's number and day are stamped into
  blanks; one that covers printed text is a change).

``evidence/signatures/changes.py`` combines these with pyHanko's difference analysis.
"""
