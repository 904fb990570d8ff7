"""Readers that turn a file into facts: ``document.py`` (one file in, evidence out),
``signatures/`` (each signature, validated with pyHanko or the fast paths tested against
it), ``changes/`` (what happened after each signature), ``page/`` (page 1 as a person reads
it: text layer, layout, header, OCR)."""
