"""Changes after signing, in one place.

- ``revisions.py``: the revision chain read from the bytes (is the final file an
  incremental update of each signed revision?);
- ``harmless.py``: the closed list of harmless changes, as data, and which updates it
  explains on its own (``objects.py``: redefined objects compared with their signed value);
- ``effects.py``: the signed revision compared with the final file by what a reader sees
  and what the file does (pages, content, resources, annotations, field values, actions,
  layers, outlines, attachments), rendering with PDFium where bytes differ;
- ``ink.py``: what a signature appearance added after signing draws over the signed page
  (it may draw only where the page was blank: the clerk's number and day are stamped into
  blanks; one that covers printed text is a change);
- ``locks.py``: what DocMDP and FieldMDP forbid after a signature;
- ``verdict.py``: one verdict per signature from the above (the default path; pyHanko's
  difference analysis only with ``--diff-policy pyhanko``, combined in
  ``evidence/signatures/changes.py``).
"""
