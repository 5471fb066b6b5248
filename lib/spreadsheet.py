"""CSV cells a spreadsheet reads as text, never as a formula (OWASP's CSV injection advice).

A cell that begins with =, +, -, @, a tab or a carriage return would be run
as a formula by Excel, LibreOffice or Google Sheets; a leading apostrophe
makes it text, and the apostrophe is not shown. Numbers are left as numbers.
The JSON API keeps every value as it is.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Spreadsheet programs read a UTF-8 file as their local code page unless it starts with this.
BYTE_ORDER_MARK = "\ufeff"


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
