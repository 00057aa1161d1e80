import csv
import io
import random
import re
import tracemalloc
import zipfile
from datetime import date, datetime

import openpyxl
import pytest

from unitrace.core.tabular import (
    UNIT_IMPORT_ALIASES,
    Table,
    TableError,
    iter_table,
    read_table,
)

A = UNIT_IMPORT_ALIASES


def read(data: bytes, filename: str = "units.csv", required: tuple[str, ...] = ("serial",)):
    return read_table(data, filename, A, list(required))


def error(data: bytes, filename: str = "units.csv", required=("serial",)) -> str:
    with pytest.raises(TableError) as info:
        read(data, filename, required)
    return str(info.value)


def xlsx(*sheets: tuple[str, list[list[object]]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for r, row in enumerate(rows, 1):
            for c, value in enumerate(row, 1):
                if value is not None:
                    ws.cell(row=r, column=c, value=value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --- CSV encodings and delimiters -------------------------------------------------------------


def test_gbk_csv_with_chinese_headers() -> None:
    text = "型号,序列号,批次,生产日期,备注\r\nM-100,SN0001,B2611,2026-11-01,出厂检验合格\r\n"
    table = read(text.encode("gbk"), required=("sku", "serial"))
    assert table.columns == ["sku", "serial", "batch", "production_date", "notes"]
    assert table.rows == [
        (
            2,
            {
                "sku": "M-100",
                "serial": "SN0001",
                "batch": "B2611",
                "production_date": "2026-11-01",
                "notes": "出厂检验合格",
            },
        )
    ]
    assert table.ignored_columns == []


def test_gb18030_only_characters() -> None:
    table = read("序列号,备注\nSN1,𠀀字\n".encode("gb18030"))
    assert table.rows[0][1]["notes"] == "𠀀字"


def test_utf8_bom_csv_header_not_polluted() -> None:
    table = read("\ufeffSN码,原厂SN\nA1,V-9\n".encode())
    assert table.columns == ["serial", "supplier_serial"]
    assert table.rows == [(2, {"serial": "A1", "supplier_serial": "V-9"})]


def test_plain_utf8_csv_and_excel_text_trick() -> None:
    table = read('序列号,型号\n="00123", M1 \n'.encode())
    assert table.rows == [(2, {"serial": "00123", "sku": "M1"})]


def test_utf16_tab_separated_unicode_text() -> None:
    text = "物料编码\t机身号\t说明\r\nM1\tSN 01\t中文, 有逗号\r\n"
    for data in (text.encode("utf-16"), text.encode("utf-16-le")):
        table = read(data, "units.txt")
        assert table.rows == [(2, {"sku": "M1", "serial": "SN 01", "notes": "中文, 有逗号"})]


def test_semicolon_csv() -> None:
    table = read(b"serial;model;batch\nA1;M,1;L1\n")
    assert table.rows == [(2, {"serial": "A1", "sku": "M,1", "batch": "L1"})]


def test_header_matching_ignores_case_width_spacing_and_marks() -> None:
    table = read(
        "Ｓｅｒｉａｌ　Ｎｏ.,*型号, Production_Date ,Colour\nA1,M,2026-01-01,red\n".encode()
    )
    assert table.columns == ["serial", "sku", "production_date"]
    assert table.ignored_columns == ["Colour"]


# --- row numbers ------------------------------------------------------------------------------


def test_blank_rows_are_skipped_but_numbering_is_kept() -> None:
    data = b"\r\n,,\r\nserial,batch\r\nA1,L1\r\n\r\n , \r\nA2,L2\r\n,\r\n"
    table = read(data)
    assert [(n, row["serial"]) for n, row in table.rows] == [(4, "A1"), (7, "A2")]
    assert table.header_row == 3


def test_quoted_newline_counts_as_one_excel_row() -> None:
    table = read(b'serial,notes\nA1,"two\nlines"\nA2,x\n')
    assert table.rows == [
        (2, {"serial": "A1", "notes": "two\nlines"}),
        (3, {"serial": "A2", "notes": "x"}),
    ]


def test_short_rows_get_empty_values() -> None:
    table = read(b"serial,batch,notes\nA1\n")
    assert table.rows == [(2, {"serial": "A1", "batch": "", "notes": ""})]


# --- XLSX -------------------------------------------------------------------------------------


def test_xlsx_numbers_and_dates() -> None:
    data = xlsx(
        (
            "导入",
            [
                ["序列号", "生产日期", "型号", "备注"],
                [123456789012, datetime(2026, 3, 4), 1234.0, 12.5],
                [None, None, None, None],
                [1.2345678901e11, date(2026, 1, 2), "M-1", datetime(2026, 1, 2, 8, 30)],
                [" SN 9 ", None, 987654321012345, True],
            ],
        )
    )
    table = read(data, "units.xlsx")
    assert table.rows == [
        (2, {"serial": "123456789012", "production_date": "2026-03-04", "sku": "1234",
             "notes": "12.5"}),
        (4, {"serial": "123456789010", "production_date": "2026-01-02", "sku": "M-1",
             "notes": "2026-01-02 08:30:00"}),
        (5, {"serial": "SN 9", "production_date": "", "sku": "987654321012345",
             "notes": "TRUE"}),
    ]  # fmt: skip
    for _n, row in table.rows:
        assert not re.search(r"e\+|\.0$", row["serial"])


def test_xlsx_header_below_blank_rows_and_gaps() -> None:
    data = xlsx(("S", [[], [], ["serial", "batch"], ["A1", "L"], [], [], ["A2", None]]))
    table = read(data, "u.xlsx")
    assert table.header_row == 3
    assert table.rows == [(4, {"serial": "A1", "batch": "L"}), (7, {"serial": "A2", "batch": ""})]


def test_xlsx_uses_first_sheet_with_required_columns() -> None:
    data = xlsx(("说明", [["请在下一页填写"]]), ("数据", [["SN", "型号"], ["A1", "M"]]))
    assert read(data, "u.xlsx").rows == [(2, {"serial": "A1", "sku": "M"})]
    message = error(xlsx(("说明", [["请填写"]]), ("数据", [["型号"]])), "u.xlsx")
    assert message.startswith("Sheet '说明', row 1: no 'serial' column; found columns: 请填写")


def test_xlsx_without_sheets() -> None:
    src = zipfile.ZipFile(io.BytesIO(xlsx(("S", [["serial"]]))))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "xl/workbook.xml":
                content = re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", content)
            out.writestr(item, content)
    assert error(buf.getvalue(), "u.xlsx") == "XLSX has no sheets."


def test_xlsx_damaged_and_legacy_xls() -> None:
    assert "could not be opened as an Excel workbook" in error(b"PK\x03\x04broken", "u.xlsx")
    assert ".xls" in error(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "u.xls")
    assert "named like an Excel file" in error(b"serial\nA1\n", "u.xlsx")


# --- header errors, empty and garbage -----------------------------------------------------------


def test_missing_required_column() -> None:
    message = error("型号,批次\nM,L\n".encode("gbk"), required=("sku", "serial"))
    assert message.startswith("Row 1: no 'serial' column; found columns: 型号, 批次")
    assert "序列号" in message  # tells which headers would have worked


def test_missing_several_required_columns_reported_together() -> None:
    message = error(b"\n\nnotes\nx\n", required=("sku", "serial"))
    assert message.startswith("Row 3: no 'sku', 'serial' column")


def test_duplicate_header() -> None:
    message = error("SN,型号,序列号\n1,2,3\n".encode())
    assert message == "Row 1: columns A ('SN') and C ('序列号') both mean 'serial'; keep only one."


@pytest.mark.parametrize("data", [b"", b"   \r\n\r\n", "\ufeff".encode(), b"\xff\xfe", b",,,\n,\n"])
def test_empty_file(data: bytes) -> None:
    assert error(data) == "The file is empty."


def test_header_only_gives_no_rows() -> None:
    assert read(b"serial,batch\n") == Table(["serial", "batch"], [], [], 1)


@pytest.mark.parametrize(
    "data",
    [
        random.Random(1).randbytes(3000),
        b"\x89PNG\r\n\x1a\n" + random.Random(2).randbytes(500),
        b"serial\n\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\n",
    ],
)
def test_garbage_bytes(data: bytes) -> None:
    assert error(data).startswith("The file is neither CSV nor XLSX")


def test_conflicting_aliases_are_a_programming_error() -> None:
    with pytest.raises(ValueError, match="alias of both"):
        read_table(b"a\n", "a.csv", {"serial": ["SN"], "supplier_serial": ["sn"]}, [])


# --- streaming --------------------------------------------------------------------------------


def test_iter_table_checks_header_eagerly_and_streams() -> None:
    with pytest.raises(TableError):
        iter_table(b"batch\nL\n", "a.csv", A, ["serial"])
    lines = ["序列号,型号,批次"] + [f"SN{i:07d},M{i % 7},L{i % 3}" for i in range(200_000)]
    data = "\r\n".join(lines).encode("gbk")
    tracemalloc.start()
    reader = iter_table(data, "big.csv", A, ["serial"])
    assert reader.columns == ["serial", "sku", "batch"]
    count, last = 0, None
    for last in reader:
        count += 1
    _size, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # streamed: rows are never all held at once (200,000 row dicts would take ~100 MB)
    assert peak < 50_000_000, peak
    assert count == 200_000
    assert last == (200_001, {"serial": "SN0199999", "sku": "M2", "batch": "L1"})


def test_full_width_cells_are_read_as_ascii() -> None:
    """A Chinese IME types ＡＢ１２３ and ２０２６－０１－１５; the import reads them (NFKC)."""
    data = (
        "序列号,生产日期,型号\n"
        "ＡＢ１２３,２０２６－０１－１５,ＡＣ－１００\n"
        "\u3000X9\u3000,,AC-100\n"
    )
    table = read(data.encode("utf-8"), required=("serial", "sku"))
    assert [v for _n, v in table.rows] == [
        {"serial": "AB123", "production_date": "2026-01-15", "sku": "AC-100"},
        {"serial": "X9", "production_date": "", "sku": "AC-100"},
    ]
    book = xlsx(("S", [["SN", "型号"], ["ＳＮ００１", "ＡＣ－１００"]]))
    assert read(book, "u.xlsx").rows == [(2, {"serial": "SN001", "sku": "AC-100"})]


def test_verbatim_columns_keep_what_people_wrote() -> None:
    aliases = {"code": ["编码"], "name": ["名称"]}
    data = "编码,名称\nＰ０１,上海（浦东）贸易有限公司\n".encode()
    table = read_table(data, "p.csv", aliases, ["code"], verbatim=["name"])
    assert table.rows == [(2, {"code": "P01", "name": "上海（浦东）贸易有限公司"})]


def test_original_rows_repeat_the_upload_as_written() -> None:
    from unitrace.core.tabular import original_rows

    data = "备注,序列号,型号\n第一行,ＡＢ１,AC-100\n,B2,AC-100\n\n第四,C3,X\n".encode()
    original = original_rows(data, "u.csv", {3, 5})
    assert original.header == ["备注", "序列号", "型号"]
    assert original.rows == {3: ["", "B2", "AC-100"], 5: ["第四", "C3", "X"]}
    # a workbook: the sheet with the serial column, not the first one
    book = xlsx(("说明", [["请勿修改"]]), ("数据", [["SN", "型号"], ["A1", "M1"], ["A2", "M2"]]))
    assert original_rows(book, "u.xlsx", {3}).rows == {3: ["A2", "M2"]}
    # a file without a serial column: its first sheet with a header
    assert original_rows(b"code,name\nP1,x\n", "p.csv", {2}).rows == {2: ["P1", "x"]}
    assert original_rows(b"\x00\x01garbage", "p.csv", {2}) is None


def test_error_report_repeats_the_original_row() -> None:
    from unitrace.core.errors import RowError, error_report
    from unitrace.core.tabular import original_rows

    data = "序列号,型号\nA1,NOPE\n=cmd,AC-100\n".encode()
    errors = [
        RowError(2, field="sku", message="unknown SKU 'NOPE'", value="NOPE"),
        RowError(3, field="serial", message="bad", value="=cmd"),
    ]
    report = error_report(errors, original=original_rows(data, "u.csv", {2, 3}))
    rows = list(csv.reader(io.StringIO(report)))
    assert rows == [
        ["row", "column", "value", "error", "original: 序列号", "original: 型号"],
        ["2", "sku", "NOPE", "unknown SKU 'NOPE'", "A1", "NOPE"],
        ["3", "serial", "'=cmd", "bad", "'=cmd", "AC-100"],  # formulas stay neutralized
    ]
