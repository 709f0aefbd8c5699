#!/usr/bin/env python3
"""Writes a CSV file as an XLSX workbook the way a spreadsheet program saves one, with the
standard library only (zipfile): one sheet, the header in row 1, text as shared strings,
and the cells an official would type as numbers or dates stored as such — a number cell
(`t` omitted, the value in <v>), a date as its Excel serial day with a date format
(numFmtId 14) — so that an import reads typed cells, not only text.

usage: make_xlsx.py IN.csv OUT.xlsx [--numbers col,col] [--dates col,col] [--sheet NAME]
Dates in the CSV are YYYY-MM-DD or dd/mm/yyyy; an empty cell is left out of the row.
"""
import argparse, csv, datetime as dt, zipfile
from xml.sax.saxutils import escape

p = argparse.ArgumentParser()
p.add_argument("src"); p.add_argument("dst")
p.add_argument("--numbers", default=""); p.add_argument("--dates", default=""); p.add_argument("--sheet", default="Sheet1")
a = p.parse_args()
numbers = {c for c in a.numbers.split(",") if c}
dates = {c for c in a.dates.split(",") if c}
with open(a.src, newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f))
header = rows[0]
strings, index = [], {}

def col(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s

def serial(text):
    d = dt.date.fromisoformat(text) if "-" in text else dt.datetime.strptime(text, "%d/%m/%Y").date()
    return (d - dt.date(1899, 12, 30)).days

xml_rows = []
for r, row in enumerate(rows, start=1):
    cells = []
    for i, v in enumerate(row):
        if v == "":
            continue
        ref = f"{col(i)}{r}"
        name = header[i] if i < len(header) else ""
        if r > 1 and name in numbers:
            try:
                float(v)
                cells.append(f'<c r="{ref}"><v>{v}</v></c>')
                continue
            except ValueError:
                pass  # a bad number stays text, as in a real sheet
        if r > 1 and name in dates:
            try:
                cells.append(f'<c r="{ref}" s="1"><v>{serial(v)}</v></c>')
                continue
            except ValueError:
                pass
        if v not in index:
            index[v] = len(strings); strings.append(v)
        cells.append(f'<c r="{ref}" t="s"><v>{index[v]}</v></c>')
    xml_rows.append(f'<row r="{r}">{"".join(cells)}</row>')

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
files = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '</Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook {NS} xmlns:r="{REL}">'
    f'<sheets><sheet name="{escape(a.sheet)}" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
    f'<Relationship Id="rId3" Type="{REL}/styles" Target="styles.xml"/></Relationships>',
    "xl/styles.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet {NS}>'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>',
    "xl/sharedStrings.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst {NS} count="{len(strings)}" '
    f'uniqueCount="{len(strings)}">' + "".join(f'<si><t xml:space="preserve">{escape(s)}</t></si>' for s in strings) + "</sst>",
    "xl/worksheets/sheet1.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet {NS}>'
    f'<sheetData>{"".join(xml_rows)}</sheetData></worksheet>',
}
with zipfile.ZipFile(a.dst, "w", zipfile.ZIP_DEFLATED) as z:
    for name, text in files.items():
        z.writestr(name, text.encode("utf-8"))
