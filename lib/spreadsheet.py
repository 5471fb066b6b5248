"""The one CSV writer: the lists', the search's and the data package's downloads.

A download a reader opens in a spreadsheet (a list's, the search's) has its
cells guarded by `safe_cell`: a cell that begins with =, +, -, @, a tab or a
carriage return would be run as a formula by Excel, LibreOffice or Google
Sheets; a leading apostrophe makes it text, and the apostrophe is not shown
(OWASP's CSV injection advice). Numbers are left as numbers. The data package
and the JSON API keep every value exactly as it is: an editor cannot save a
text that would run (`refuse_formula`, which every content record checks on
its text fields), and the content files hold none.
"""

import csv
import re

from django.core.exceptions import ValidationError

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Spreadsheet programs read a UTF-8 file as their local code page unless it starts with this.
BYTE_ORDER_MARK = "\ufeff"


# What a spreadsheet runs, in a text saved by an editor: a list item ("- text") is text.
RUNS_AS_FORMULA = re.compile(r"[=+@\t\r]|-(?! )")


def refuse_formula(value):
    """Refuses a text that a spreadsheet would run as a formula when it opens the data package's CSVs."""
    if isinstance(value, str) and RUNS_AS_FORMULA.match(value):
        first = {"\t": "a tab", "\r": "a carriage return"}.get(value[0], f"“{value[0]}”")
        raise ValidationError(
            f"This text begins with {first}, which a spreadsheet would run as a formula when it opens the "
            "data package. Begin it with a letter, a digit or a quotation mark, or start a list item "
            "with a hyphen and a space (“- ”).",
            code="formula",
        )


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Lines:
    """A file-like object that keeps the lines csv.writer writes, to be taken a batch at a time."""

    def __init__(self):
        self.lines = []

    def write(self, line):
        self.lines.append(line)

    def take(self):
        text = "".join(self.lines)
        self.lines.clear()
        return text


def csv_text(header, batches, *, bom=False):
    """A CSV's text (RFC 4180), the header line then a chunk per batch of rows: a chunk per row would cost a
    streamed response a step of its own for each row, and the whole file at once would hold it in memory.

    `batches` gives lists of rows, each a list of cells, written as they are (None as an empty cell).
    """
    out = _Lines()
    writer = csv.writer(out)
    writer.writerow(header)
    yield (BYTE_ORDER_MARK if bom else "") + out.take()
    for rows in batches:
        writer.writerows(rows)
        yield out.take()
