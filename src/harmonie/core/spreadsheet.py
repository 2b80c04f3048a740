"""Cells that leave Harmonie for a spreadsheet (XLSX/CSV exports): neutralise formula injection.

A text cell starting with ``=``, ``+``, ``-``, ``@`` (or tab/CR) is executed as a formula by spreadsheet
programs, so imported names such as ``=HYPERLINK(...)`` would run on the reader's machine. Every export writes
its cells through ``safe_cell``.
"""

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# What an XLSX (XML 1.0) cannot hold: control characters, the non-characters U+FFFE/U+FFFF and lone surrogates.
# Imported text may contain them (PostgreSQL stores them); openpyxl/lxml refuse to save the workbook then.
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def safe_cell(value):
    """Text loses characters XML cannot hold; text starting with = + - @ (or tab/CR) then gets a leading
    apostrophe; other values pass unchanged."""
    if isinstance(value, str):
        value = NOT_IN_XML.sub("", value)
        if value.startswith(FORMULA_START):
            return "'" + value
    return value


def safe_row(values) -> list:
    return [safe_cell(value) for value in values]
