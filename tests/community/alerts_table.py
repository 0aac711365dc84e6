"""Reading the table ``chrysalide alerts`` prints (rich's box characters)."""

from __future__ import annotations


def header_and_row(output: str, start: str) -> tuple[list[str], list[str]]:
    """The header cells of the alerts table in the printed ``output`` and the cells of the one row that holds the
    date ``start`` (YYYY-MM-DD: the burst that starts then)."""
    lines = output.splitlines()
    header = [
        cell.strip() for cell in next(ln for ln in lines if ln.startswith("┃") and "flags" in ln).split("┃")[1:-1]
    ]
    (row,) = [[cell.strip() for cell in ln.split("│")[1:-1]] for ln in lines if ln.startswith("│") and start in ln]
    return header, row
