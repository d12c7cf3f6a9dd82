#!/usr/bin/env python3
"""Writes the drill fixtures (run from this folder; Python 3 only, no third-party modules).

  kudamatsu_recorded.xlsx  the bundled Kudamatsu recorded drill
                           (scenarios/kudamatsu-drill/data/drill_recorded_2026-03-14.csv) as a
                           coordinator's Excel sheet: a cover sheet first, the drill date as an
                           Excel date cell (serial number, format yyyy/m/d), the start time and
                           every recorded clock time as Excel time cells (fraction of a day,
                           format h:mm), battery and helper counts as numbers.
The review of this workbook must equal the review of the CSV.
A minimal Office Open XML package is written by hand, with a styles part for the date and
time formats (built-in number formats 14 = date, 20 = h:mm).
"""
import csv
import datetime
import re
import zipfile
from xml.sax.saxutils import escape

CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def column_letters(index):
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_xml(ref, value, as_time):
    if value is None or value == "":
        return ""
    m = CLOCK.match(value)
    if as_time and m:
        fraction = (int(m.group(1)) * 60 + int(m.group(2))) / 1440.0
        return '<c r="%s" s="2"><v>%r</v></c>' % (ref, fraction)
    d = DATE.match(value)
    if d:
        serial = (datetime.date(int(d.group(1)), int(d.group(2)), int(d.group(3))) - datetime.date(1899, 12, 30)).days
        return '<c r="%s" s="1"><v>%d</v></c>' % (ref, serial)
    if NUMBER.match(value):
        return '<c r="%s"><v>%s</v></c>' % (ref, value)
    return '<c r="%s" t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>' % (ref, escape(value))


STYLES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
          '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
          '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
          '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
          '<borders count="1"><border/></borders>'
          '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
          '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
          '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
          '<xf numFmtId="20" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
          '</styleSheet>')


def write_workbook(path, sheets):
    """sheets: list of (name, {row number: [(value, as_time)]})."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                 '<Default Extension="xml" ContentType="application/xml"/>'
                 '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                 '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>')
        for i in range(len(sheets)):
            types += ('<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/'
                      'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' % (i + 1))
        z.writestr("[Content_Types].xml", types + "</Types>")
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                   'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        book = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>')
        rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">')
        for i, (name, rows) in enumerate(sheets):
            book += '<sheet name="%s" sheetId="%d" r:id="rId%d"/>' % (escape(name), i + 1, i + 1)
            rels += ('<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                     'relationships/worksheet" Target="worksheets/sheet%d.xml"/>' % (i + 1, i + 1))
            xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            for number in sorted(rows):
                xml += '<row r="%d">' % number
                for c, (value, as_time) in enumerate(rows[number]):
                    xml += cell_xml("%s%d" % (column_letters(c), number), value, as_time)
                xml += "</row>"
            z.writestr("xl/worksheets/sheet%d.xml" % (i + 1), xml + "</sheetData></worksheet>")
        rels += ('<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                 'relationships/styles" Target="styles.xml"/>' % (len(sheets) + 1))
        z.writestr("xl/workbook.xml", book + "</sheets></workbook>")
        z.writestr("xl/_rels/workbook.xml.rels", rels + "</Relationships>")
        z.writestr("xl/styles.xml", STYLES)


def kudamatsu_recorded():
    with open("../../../scenarios/kudamatsu-drill/data/drill_recorded_2026-03-14.csv", encoding="utf-8-sig",
              newline="") as f:
        records = list(csv.reader(f))
    rows = {}
    header_seen = False
    for i, record in enumerate(records):
        if record and record[0] == "児童ID":
            header_seen = True
            rows[i + 1] = [(v, False) for v in record]
            time_columns = {record.index("計画"), record.index("記録時刻")}
            continue
        if not header_seen:
            # key/value rows: the start time as an Excel time, the date as an Excel date
            rows[i + 1] = [(record[0], False), (record[1], record[0] == "開始時刻")]
        else:
            rows[i + 1] = [(v, c in time_columns) for c, v in enumerate(record)]
    cover = {1: [("下松市 医療的ケア児避難訓練 記録（合成データ）", False)], 2: [("実在の人物ではありません", False)]}
    write_workbook("kudamatsu_recorded.xlsx", [("説明", cover), ("記録", rows)])


if __name__ == "__main__":
    kudamatsu_recorded()
