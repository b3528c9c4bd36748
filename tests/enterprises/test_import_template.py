"""The blank yearly-data template a finance officer downloads: what it shows before anything is typed."""
from io import BytesIO

from openpyxl import load_workbook

from enterprises import importing
from enterprises.models import FiscalYearRecord

NOTES = [
    "填写说明",
    "1. 第一个工作表第1行为表头，请勿修改列名；列的顺序可以调整，多余的列会被忽略。",
    "2. 每行为一家企业一个年度的数据；同一企业同一年度只能有一行。",
    "3. 统一社会信用代码必须是系统中已登记的企业；“企业名称”一列仅供核对，不会被导入。",
    "4. 年度为四位数字，须在2000年至当前年度之间。",
    "5. 金额单位为万元，保留两位小数；从业人员数、研发人员数为整数（人）。",
    "6. 除营业利润、利润总额、净利润外，其余数据不能为负数；主营业务收入不能大于营业收入；研发人员数不能大于从业人员数。",
    "7. 单元格留空表示“未提供”：已有记录的该项保持不变，新记录的该项为空。",
    "8. 导入先预览；只要有一行出错，整个文件都不会写入。",
    "9. 本“说明”工作表不会被导入。",
]


def template():
    return load_workbook(BytesIO(importing.template_bytes()))


def test_the_template_has_a_bold_shaded_header_of_every_column_and_no_rows():
    sheet = template().worksheets[0]
    figures = [str(f.verbose_name) for f in FiscalYearRecord.figure_fields()]
    assert sheet.title == "年度数据"
    assert [c.value for c in sheet[1]] == ["统一社会信用代码", "企业名称", "年度", *figures]
    assert sheet.max_row == 1 and sheet.freeze_panes == "A2"
    for cell in sheet[1]:
        assert cell.font.b and cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb.endswith("DDEBF7")
        assert cell.alignment.horizontal == "center"


def test_the_code_column_is_wide_text_and_the_others_fit_their_content():
    sheet = template().worksheets[0]
    widths = {letter: dim.width for letter, dim in sheet.column_dimensions.items()}
    assert (widths["A"], widths["B"], widths["C"]) == (24, 30, 8)
    assert all(widths[chr(ord("D") + k)] == 14 for k in range(len(FiscalYearRecord.figure_fields())))
    assert sheet.column_dimensions["A"].number_format == "@"          # 18 characters stay text
    assert sheet.column_dimensions["B"].number_format == "General"


def test_the_notes_sheet_tells_how_to_fill_the_template_in_chinese():
    notes = template()["说明"]
    assert [row[0].value for row in notes.iter_rows()] == NOTES
    assert notes["A1"].font.b and not notes["A2"].font.b
    assert notes.column_dimensions["A"].width == 100
