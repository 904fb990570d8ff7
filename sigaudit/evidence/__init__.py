"""Readers that turn a file into facts: signatures (pyHanko), text and header (pypdf)."""
