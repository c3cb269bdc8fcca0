"""Import files are bounded before any work per column or cell (security probe M2, M3)."""
from __future__ import annotations

import io
import zipfile

import pytest

from kb.transfer.sheets import MAX_COLUMNS, MAX_ROW_CELLS, FileProblem, read_csv, read_xlsx, write_xlsx


def test_a_csv_header_of_many_columns_is_refused_at_once():
    header = ";".join(f"x{i}" for i in range(200_000))  # 1.3 MB: the quadratic check took minutes on this
    with pytest.raises(FileProblem, match=f"mere end {MAX_COLUMNS} kolonner"):
        read_csv(("slug;" + header + "\n").encode())


def test_a_csv_row_of_many_columns_is_refused_too():
    row = ";".join("v" for _ in range(MAX_COLUMNS + 1))
    with pytest.raises(FileProblem, match="Række 2"):
        read_csv(f"slug;title\n{row}\n".encode())


def test_the_duplicate_column_check_is_linear():
    from kb.transfer.dry_run import _check_header
    from kb.transfer.sheets import Sheet

    head = ["slug", "title"] + [f"x{i}" for i in range(150)] + ["title"]
    problems = _check_header("task", Sheet(head, []))
    assert any("title står flere gange" in p for p in problems)


def _wide_xlsx(cells: int) -> bytes:
    """A valid workbook whose one data row holds `cells` tiny cells, as the probe's wide_6m.xlsx (smaller)."""
    base = write_xlsx(["slug", "title"], [["a", "b"]], "opgaver")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                row = "".join("<c><v>1</v></c>" for _ in range(cells))
                data = data.replace(b"</sheetData>", f'<row r="3">{row}</row></sheetData>'.encode())
            dst.writestr(info, data)
    return out.getvalue()


def test_an_xlsx_row_of_too_many_cells_is_refused_before_openpyxl_builds_them():
    with pytest.raises(FileProblem, match=f"mere end {MAX_ROW_CELLS} celler"):
        read_xlsx(_wide_xlsx(MAX_ROW_CELLS + 1))
    sheet = read_xlsx(_wide_xlsx(10))  # a few extra cells are read (cut at the column limit as before)
    assert sheet.header[:2] == ["slug", "title"]
