"""Formula cells without a cached value (a sheet saved by a program that does not calculate) are
refused by row and column; both readers, the byte scan and the XML parse it falls back to, find the
same cells, however the sheet's XML is written."""
import zipfile
from io import BytesIO

import pytest

from enterprises.importing import _uncached_formulas, _uncached_formulas_parsed

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
PART = "xl/worksheets/sheet1.xml"


def archive(sheet_data, root="worksheet", prefix=""):
    p = f"{prefix}:" if prefix else ""
    ns = NS.replace("xmlns=", f"xmlns:{prefix}=") if prefix else NS
    xml = f'<?xml version="1.0"?><{p}{root} {ns}><{p}sheetData>{sheet_data}</{p}sheetData></{p}{root}>'
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(PART, xml)
    return zipfile.ZipFile(BytesIO(buffer.getvalue()))


CASES = [
    # uncached formula, a formula whose cached result is "" (a blank), a cached formula, a plain value
    ('<row r="2"><c r="A2"><f>1+1</f></c><c r="B2" t="str"><f>""</f><v></v></c>'
     '<c r="C2"><f>2</f><v>2</v></c><c r="D2"><v>5</v></c></row>'
     '<row r="7"><c r="E7" t="n"><f>SUM(A1:A3)</f><v/></c><c r="F7"><f>1</f></c></row>', {2: [1], 7: [5, 6]}),
    # rows and cells without an r attribute are counted as openpyxl counts them
    ('<row><c><f>1</f></c></row><row><c><v>1</v></c><c><f>1</f><v></v></c></row>'
     '<row r="9"><c><v>1</v></c><c r="D9"><f>1</f></c><c><f>1</f></c></row>', {1: [1], 2: [2], 9: [4, 5]}),
    ("", {}),
]


@pytest.mark.parametrize("sheet_data, uncached", CASES)
def test_the_parsing_reader_finds_every_formula_without_a_cached_value(sheet_data, uncached):
    assert _uncached_formulas_parsed(archive(sheet_data), PART) == uncached


@pytest.mark.parametrize("sheet_data, uncached", CASES)
def test_the_byte_scan_and_its_fallback_agree(sheet_data, uncached):
    assert _uncached_formulas(archive(sheet_data), PART) == uncached


def test_prefixed_elements_are_read_like_plain_ones():
    data = '<x:row r="3"><x:c r="D3"><x:f>1</x:f></x:c><x:c r="E3"><x:f>1</x:f><x:v>1</x:v></x:c></x:row>'
    assert _uncached_formulas_parsed(archive(data, prefix="x"), PART) == {3: [4]}
    assert _uncached_formulas(archive(data, prefix="x"), PART) == {3: [4]}
