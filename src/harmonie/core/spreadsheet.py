"""Cells that leave Harmonie for a spreadsheet (XLSX/CSV exports): neutralise formula injection.

A text cell starting with ``=``, ``+``, ``-``, ``@`` (or tab/CR) is executed as a formula by spreadsheet
programs, so imported names such as ``=HYPERLINK(...)`` would run on the reader's machine. Every export writes
its cells through ``safe_cell``.
"""

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text starting with = + - @ (or tab/CR) gets a leading apostrophe; other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_row(values) -> list:
    return [safe_cell(value) for value in values]
