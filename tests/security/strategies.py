"""Hypothesis strategies for hostile spreadsheets: arbitrary bytes, CSV-like text with separators, quotes, escapes
and formula starts under the real column names, generated XLSX workbooks with every cell type openpyxl can write,
and real XLSX files with damaged bytes."""
from __future__ import annotations

import datetime as dt

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from hypothesis import strategies as st

from kb.transfer.columns import COLUMNS
from tests.transfer_helpers import xlsx_file

KINDS = sorted(COLUMNS)
SPECIAL = list(';,\t"\'\n\r\\|:—–-=+@ ') + ["\r\n", "\\;", "\\|", "\\n", "_x000D_", "_x0000_", "'=", "ja", "nej",
                                              "seed-004:1-2", "provision:", "https://", " — ", "nan", "inf", "1e400",
                                              "9" * 30, "\u202e", "\ufeff", "\x00", "\x85", "\u2028"]
CELL = st.one_of(st.text(max_size=30), st.lists(st.sampled_from(SPECIAL), max_size=8).map("".join),
                 st.integers().map(str), st.floats(allow_nan=True).map(str))
XLSX_VALUE = st.one_of(st.none(), st.text(max_size=30), st.integers(
    min_value=-(2**62), max_value=2**62), st.floats(allow_nan=False, allow_infinity=False), st.booleans(),
    st.dates(min_value=dt.date(1900, 3, 1)), st.sampled_from(["=1+1", "=HYPERLINK(\"http://x\")", "=A1", "_x0000_",
                                                               "seed-004:1-99999999999"]))


@st.composite
def header(draw, kind: str) -> list[str]:
    names = [c.name for c in COLUMNS[kind]]
    chosen = draw(st.lists(st.sampled_from(names), unique=True, min_size=0, max_size=len(names)))
    if draw(st.booleans()):
        chosen = ["slug", *[n for n in chosen if n != "slug"]]
    if draw(st.integers(0, 9)) == 0:
        chosen.append(draw(CELL))  # an unknown or blank column
    return chosen


@st.composite
def csv_bytes(draw, kind: str) -> bytes:
    head = draw(header(kind))
    rows = draw(st.lists(st.lists(CELL, max_size=len(head) + 2), max_size=6))
    sep = draw(st.sampled_from([";", ",", "\t"]))
    quote = draw(st.booleans())

    def line(cells):
        return sep.join(('"' + c.replace('"', '""') + '"') if quote else c for c in cells)

    text = "\r\n".join(line(r) for r in [head, *rows])
    data = text.encode("utf-8", "surrogatepass")
    return (b"\xef\xbb\xbf" if draw(st.booleans()) else b"") + data


@st.composite
def xlsx_bytes(draw, kind: str) -> bytes:
    head = [ILLEGAL_CHARACTERS_RE.sub("", h) for h in draw(header(kind))]  # openpyxl refuses to write these
    rows = draw(st.lists(st.lists(XLSX_VALUE, max_size=len(head) + 2), max_size=5))
    return xlsx_file([head, *[[ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row]
                             for row in rows]])


@st.composite
def damaged_xlsx(draw, kind: str) -> bytes:
    # Positions are drawn independently of the file's length (openpyxl stamps the time into the file, so the length
    # may differ by a byte between runs, and Hypothesis needs the same draws for the same example).
    data = bytearray(draw(xlsx_bytes(kind)))
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, 2**20)) % len(data)
        data[at] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        data = data[:4 + draw(st.integers(0, 2**20)) % (len(data) - 3)]
    return bytes(data)


def any_file(kind: str):
    """(file name, bytes): any of the above under either name, so a CSV named .xlsx is tried too."""
    return st.tuples(st.sampled_from(["fil.csv", "fil.xlsx", "FIL.CSV", "fil.txt", "fil"]),
                     st.one_of(st.binary(max_size=600), csv_bytes(kind), xlsx_bytes(kind), damaged_xlsx(kind)))
