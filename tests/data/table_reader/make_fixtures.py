#!/usr/bin/env python3
"""Writes the .xlsx fixtures of the table reader tests (run from this folder; Python 3 only,
no third-party modules). A minimal Office Open XML package is written by hand: one inline
string or number per cell, so the files are small and their content is exactly what is
written below. Numbers that read as numbers are stored as numeric cells, as Excel stores them.

  kochi_registry.xlsx   the Kochi scenario registry (scenarios/kochi-tsunami/data/registry.csv),
                        Japanese headers, a cover sheet first, a title row and an empty row
                        above the header: the plan must be the same as from the CSV.
  no_required_columns.xlsx  two sheets, neither with the registry's required columns (the
                        second lacks mobility).
"""
import csv
import io
import re
import zipfile
from xml.sax.saxutils import escape

NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def column_letters(index):
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_xml(ref, value):
    if value is None or value == "":
        return ""
    if isinstance(value, (int, float)) or NUMBER.match(value):
        return '<c r="%s"><v>%s</v></c>' % (ref, value)
    return '<c r="%s" t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>' % (ref, escape(value))


def write_workbook(path, sheets):
    """sheets: list of (name, {row number: [cell values]})."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                 '<Default Extension="xml" ContentType="application/xml"/>'
                 '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>')
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
                for c, value in enumerate(rows[number]):
                    xml += cell_xml("%s%d" % (column_letters(c), number), value)
                xml += "</row>"
            z.writestr("xl/worksheets/sheet%d.xml" % (i + 1), xml + "</sheetData></worksheet>")
        z.writestr("xl/workbook.xml", book + "</sheets></workbook>")
        z.writestr("xl/_rels/workbook.xml.rels", rels + "</Relationships>")


JAPANESE = {
    "id": "仮名ID", "municipality_code": "市町村コード", "home_lon": "経度", "home_lat": "緯度",
    "care_items": "医療的ケア", "devices": "使用機器", "oxygen_flow_lpm": "酸素流量",
    "oxygen_cylinders": "ボンベ本数", "oxygen_cylinder_size_l": "ボンベ容量",
    "oxygen_cylinder_pressure_mpa": "ボンベ充填圧", "oxygen_demand_valve_factor": "呼吸同調器",
    "mobility": "移動方法", "household_vehicle": "自家用車", "helpers": "避難支援者数",
    "power_station_wh": "ポータブル電源容量", "power_station_output_w": "ポータブル電源出力",
    "generator_w": "発電機出力", "generator_fuel_h": "発電機燃料時間", "vehicle_energy_kwh": "車両給電量",
    "consent_registry_sharing": "名簿情報提供同意", "consent_plan_sharing": "計画情報提供同意", "notes": "備考",
}


def kochi_registry():
    with open("../../../scenarios/kochi-tsunami/data/registry.csv", encoding="utf-8-sig", newline="") as f:
        records = list(csv.reader(f))
    header = [JAPANESE[h] for h in records[0]]
    rows = {1: ["高知市 医療的ケア児 避難行動要支援者名簿（合成データ）"], 3: header}
    for i, record in enumerate(records[1:]):
        rows[4 + i] = record
    cover = {1: ["この名簿について"], 2: ["合成データ（実在の人物ではありません）"], 4: ["作成", "sonae synth"]}
    write_workbook("kochi_registry.xlsx", [("説明", cover), ("名簿", rows)])


def no_required_columns():
    write_workbook("no_required_columns.xlsx", [
        ("説明", {1: ["この名簿について"]}),
        ("名簿", {1: ["仮名ID", "市町村コード", "経度", "緯度"], 2: ["A-1", "352071", "131.8779", "34.0120"]}),
    ])


if __name__ == "__main__":
    kochi_registry()
    no_required_columns()
