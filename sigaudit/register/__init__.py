"""The office's document register: numbering series across documents (duplicates, numbers
out of order, gaps) and the register an e-office system exports, matched with the PDFs.
See docs/register.md."""

from sigaudit.register.entries import Entry, Number, parse_number
from sigaudit.register.ledger import Ledger, LedgerResult, Mismatch, entry_of
from sigaudit.register.reader import FIELDS, Problem, Register, Row, parse_date, read_register
from sigaudit.register.series import TOLERANCE_DAYS, Anomaly, Series, analyse, group

__all__ = [
    "FIELDS",
    "TOLERANCE_DAYS",
    "Anomaly",
    "Entry",
    "Ledger",
    "LedgerResult",
    "Mismatch",
    "Number",
    "Problem",
    "Register",
    "Row",
    "Series",
    "analyse",
    "entry_of",
    "group",
    "parse_date",
    "parse_number",
    "read_register",
]
