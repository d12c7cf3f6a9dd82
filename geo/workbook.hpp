#pragma once
/// Excel workbooks (.xlsx) as rows of text, read through GDAL's XLSX driver (the only GDAL
/// user for tables; planner/csv.hpp turns the rows into the same records a CSV gives).
///
/// Every sheet is read with the driver's header detection off and every cell as text, so the
/// caller finds the header row itself (as for CSV: a title row above the header is common) and
/// row numbers are the sheet's own (row 1 = the first row Excel shows).

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace sonae::geo {

/// One non-empty row of a sheet: its 1-based row number and its cells as UTF-8 text, column A
/// first (an empty cell is an empty string; trailing empty cells are dropped).
struct SheetRow {
    std::int64_t row = 0;
    std::vector<std::string> cells;
};

/// One sheet (a GDAL layer of the XLSX driver), rows in sheet order, empty rows left out.
struct Sheet {
    std::string name;
    std::vector<SheetRow> rows;
};

/// A whole workbook, sheets in the workbook's order.
struct Workbook {
    std::string file;
    std::vector<Sheet> sheets;
};

/// True if the bytes begin like an Office Open XML package (a ZIP file: "PK\x03\x04"), the
/// way an .xlsx saved under another name (Kudamatsu's published ".csv") is recognised.
bool looks_like_workbook(std::string_view first_bytes);

/// Reads every sheet of an .xlsx/.xlsm file, whatever its name ends with. Numbers are the
/// text stored in the file (Excel keeps 17 significant digits: "33.999786971321399").
/// Throws IoError if the file does not exist or GDAL cannot open it as a workbook.
Workbook read_workbook(const std::filesystem::path& path);

/// Writes one sheet named `sheet` to a new .xlsx file at `path` (which must not exist; callers
/// write to an AtomicPath's temp): `rows[0]` is the header, every cell is text. Throws IoError
/// naming the file if GDAL cannot create or write it.
void write_workbook(const std::filesystem::path& path, const std::string& sheet,
                    const std::vector<std::vector<std::string>>& rows);

/// Writes one sheet named `sheet` to a new .xlsx file at `path` (which must not exist) with
/// every row as data: row 1 of the sheet is `rows[0]`, and so on, every cell text (empty cells
/// left empty). For sheets with rows above a table (a drill file's 訓練名 / 訓練日 rows above its
/// header). Throws IoError naming the file if GDAL cannot create or write it.
void write_sheet_rows(const std::filesystem::path& path, const std::string& sheet,
                      const std::vector<std::vector<std::string>>& rows);

} // namespace sonae::geo
