"""Formula cells without a cached value (a sheet saved by a program that does not calculate) are
refused by row and column; both readers, the byte scan and the XML parse it falls back to, find the
same cells, however the sheet's XML is written."""
import zipfile
from io import BytesIO

import pytest

from enterprises import importing
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


def sheet_bytes(sheet_data):
    return archive(sheet_data).read(PART)


@pytest.mark.parametrize("sheet_data, uncached", CASES[:1] + CASES[2:])
def test_the_byte_scan_decides_a_sheet_whose_cells_name_their_place(sheet_data, uncached):
    found = {}
    assert importing._scan_formulas(sheet_bytes(sheet_data), found) is True
    assert found == uncached


@pytest.mark.parametrize("sheet_data", [
    '<row><c><f>1</f></c></row>',                      # a cell without r: counted only by parsing
    '<row r="2"><c t="n" r="A2"><f>1</f></c></row>',     # r not the first attribute is still found
    '<row r="2"><c r="A2"><x:f>1</x:f></c></row>',       # a prefixed formula element
    '<row r="2"><f>1</f></row>',                          # a formula outside any cell
    '<row r="2"><c r="A2"><f>1</f>',                      # a cell never closed
])
def test_the_byte_scan_hands_over_what_it_cannot_place(sheet_data):
    found = {}
    decided = importing._scan_formulas(sheet_bytes(sheet_data), found)
    if "t=" in sheet_data:
        assert decided is True and found == {2: [1]}
    else:
        assert decided is False


def test_the_byte_scan_reads_a_cell_at_the_very_start_of_its_chunk():
    found = {}
    assert importing._scan_formulas(b'<c r="B4"><f>1</f></c><c r="C4" t="str"><f>""</f><v></v></c>', found)
    assert found == {4: [2]}


def long_sheet():
    rows = []
    for r in range(1, 40):
        cells = f'<c r="A{r}"><v>{r}</v></c>'
        if r % 3 == 0:
            cells += f'<c r="C{r}"><f>A{r}*2</f></c>'       # uncached
        if r % 5 == 0:
            cells += f'<c r="D{r}"><f>A{r}</f><v>{r}</v></c>'  # cached
        rows.append(f'<row r="{r}">{cells}</row>')
    return "".join(rows)


@pytest.mark.parametrize("chunk", [*range(5, 90), 4096])
def test_the_scan_finds_the_same_cells_however_the_sheet_is_cut_into_chunks_and_never_parses(monkeypatch, chunk):
    """Chunks of every size up to a few rows: rows cut in two, chunks that begin with </row> or with
    </sheetData>, and formulas past </sheetData> (an extension's <xm:f>) that are not cells."""
    monkeypatch.setattr(importing, "SCAN_CHUNK", chunk)
    monkeypatch.setattr(importing, "_uncached_formulas_parsed", lambda *a: pytest.fail("parsed instead of scanned"))
    xml = f'<?xml version="1.0"?><worksheet {NS}><sheetData>{long_sheet()}</sheetData>' \
          '<extLst><ext><xm:f xmlns:xm="urn:x">Sheet2!A1</xm:f></ext></extLst></worksheet>'
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(PART, xml)
    found = importing._uncached_formulas(zipfile.ZipFile(BytesIO(buffer.getvalue())), PART)
    assert found == {r: [3] for r in range(3, 40, 3)}


def test_an_empty_sheet_written_as_one_element_has_no_formulas(monkeypatch):
    monkeypatch.setattr(importing, "_uncached_formulas_parsed", lambda *a: pytest.fail("parsed instead of scanned"))
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(PART, f'<?xml version="1.0"?><worksheet {NS}><sheetData/></worksheet>')
    assert importing._uncached_formulas(zipfile.ZipFile(BytesIO(buffer.getvalue())), PART) == {}


def test_a_sheet_the_scan_cannot_place_is_parsed_instead():
    data = '<row><c><v>1</v></c><c><f>1</f></c></row><row r="3"><c r="B3"><f>2</f></c></row>'
    assert _uncached_formulas(archive(data), PART) == {1: [2], 3: [2]}
