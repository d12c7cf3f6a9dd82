#pragma once
/// CSV as Excel reads and writes it, plus the column-matching used by every table loader.
///
/// Reading: RFC 4180 quoting (doubled quotes, delimiters and line breaks inside quotes),
/// CRLF / LF / CR line ends, a UTF-8 byte-order mark, and the encodings municipal staff
/// actually have: UTF-8, UTF-8 with BOM and Shift_JIS (read as CP932, the Windows superset
/// that Excel writes). The encoding is detected (BOM -> UTF-8; valid UTF-8 -> UTF-8; else
/// CP932 if it decodes) or forced. Conversion uses iconv from glibc. Every record keeps the
/// 1-based physical line where it starts, so messages can name it.
///
/// Writing: UTF-8 with BOM and CRLF (what Excel opens without a wizard), quoting fields that
/// hold a delimiter, a quote, a line break or leading/trailing spaces.
///
/// Problems never stop the reader: they come back as Diagnostics (error or warning) with the
/// file and line, and the rows that could be read are kept.

#include "core/error.hpp"
#include "geo/road_network.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sonae::planner {

/// Text encodings the readers understand.
enum class TextEncoding : std::uint8_t {
    automatic, ///< detect: BOM -> UTF-8, valid UTF-8 -> UTF-8, otherwise CP932
    utf8,      ///< UTF-8 (a BOM, if present, is skipped)
    utf8_bom,  ///< UTF-8 with BOM (for writing; reads like utf8)
    cp932,     ///< Shift_JIS as Windows/Excel writes it (CP932)
};

/// "auto", "utf-8", "utf-8-bom", "cp932"; accepts "sjis", "shift_jis", "shift-jis", "ms932",
/// "windows-31j", "utf8", "utf8bom" in any case. nullopt if unknown.
std::optional<TextEncoding> parse_text_encoding(std::string_view name);
std::string_view to_string(TextEncoding encoding);

/// Decodes `bytes` to UTF-8. With automatic, detects as described above and reports the
/// encoding found in `detected`. Returns nullopt if the bytes are not valid in the encoding
/// (or in any, for automatic); `bad_line` then holds the 1-based line of the first bad byte.
std::optional<std::string> decode_to_utf8(std::string_view bytes, TextEncoding encoding,
                                          TextEncoding* detected = nullptr,
                                          std::int64_t* bad_line = nullptr);

/// Encodes UTF-8 text to `encoding` (utf8_bom prepends the BOM). Throws InputError naming the
/// first character that has no CP932 form.
std::string encode_from_utf8(std::string_view utf8, TextEncoding encoding);

/// One CSV record with the physical line where it starts.
struct CsvRecord {
    std::int64_t line = 0;
    std::vector<std::string> fields;
};

/// Options for reading.
struct CsvReadOptions {
    TextEncoding encoding = TextEncoding::automatic;
    char delimiter = ',';
};

/// What a table was read from (`sonae validate` prints it).
enum class TableFormat : std::uint8_t {
    csv,  ///< CSV text (TSV/TXT too), in the encoding detected or forced
    xlsx, ///< a sheet of an Excel workbook (GDAL's XLSX driver, geo/workbook.hpp)
    gis,  ///< a GIS point layer (GeoPackage, GeoJSON, Shapefile, ...)
};
std::string_view to_string(TableFormat format);

/// A parsed CSV file or workbook sheet: all non-blank records (header included) as UTF-8.
/// For a sheet, CsvRecord::line is the sheet's row number.
struct CsvDocument {
    std::string file; ///< as given, for messages
    TableFormat format = TableFormat::csv;
    TextEncoding encoding = TextEncoding::utf8; ///< the encoding found or forced (CSV)
    bool had_bom = false;
    std::string sheet;              ///< the workbook sheet, empty for CSV
    std::vector<CsvRecord> records; ///< blank lines and all-empty records are skipped
    Diagnostics diagnostics;        ///< encoding and quoting problems
};

/// Parses CSV bytes (any supported encoding). `file` is only used in messages.
/// Complexity O(bytes).
CsvDocument parse_csv(std::string_view bytes, const std::string& file,
                      const CsvReadOptions& options = {});

/// Reads and parses a file. Throws IoError if it cannot be read.
CsvDocument read_csv_file(const std::filesystem::path& path, const CsvReadOptions& options = {});

/// Options for writing.
struct CsvWriteOptions {
    TextEncoding encoding = TextEncoding::utf8_bom;
    bool crlf = true;
    char delimiter = ',';
};

/// Renders rows as CSV bytes in the chosen encoding: core::csv_text (the one CSV writer of
/// every output, with its formula guard, core/csv_text.hpp) and the encoding. Throws InputError if
/// a character has no form in the encoding (CP932).
std::string format_csv(std::span<const std::vector<std::string>> rows,
                       const CsvWriteOptions& options = {});

// ---------------------------------------------------------------------------------------
// Tables: what the loaders read, from CSV or from a GIS layer.

/// One data row: values by column (same order as Table::columns).
struct TableRow {
    std::int64_t line = -1;              ///< CSV line, -1 for GIS features
    std::string feature;                 ///< GIS feature id, empty for CSV
    std::vector<std::string> values;     ///< UTF-8, trimmed of surrounding spaces
    std::optional<geo::LonLat> geometry; ///< point geometry of a GIS feature
};

/// A table read from CSV, a workbook sheet or a GIS layer, header resolved.
struct Table {
    std::string file;
    std::string layer; ///< GIS layer, empty for CSV and workbooks
    TableFormat format = TableFormat::csv;
    TextEncoding encoding = TextEncoding::utf8; ///< of a CSV file
    std::string sheet;                          ///< workbook sheet, empty for CSV and GIS
    std::vector<std::string> columns;           ///< header as written
    std::int64_t header_line = -1;              ///< CSV line (or sheet row) of the header
    std::vector<TableRow> rows;
    Diagnostics diagnostics;       ///< problems found while reading
    std::size_t rows_rejected = 0; ///< data rows not in `rows` (each has an error above)

    /// A Where for a row and column (value taken from the row). For a workbook the sheet is
    /// given as the layer and the line is the sheet row.
    Where where(const TableRow& row, std::optional<std::size_t> column = std::nullopt) const;
    /// A Where for the header row (file, layer or sheet, line).
    Where header_where() const;
    /// "CSV, UTF-8 with BOM", "CSV, Shift_JIS (CP932)", "Excel workbook, sheet '名簿'",
    /// "GIS layer 'registry'": what `sonae validate` prints per file.
    std::string source_description() const;
};

/// A column a loader knows: a canonical English name and its accepted spellings.
struct ColumnSpec {
    std::string_view name;                 ///< canonical English header, e.g. "home_lon"
    std::vector<std::string_view> aliases; ///< other accepted headers (Japanese, variants)
    bool required = false;
    std::string_view or_column; ///< a required column may be replaced by this one
                                ///< (home_lon/home_lat by an address)
};

/// Normalises a header or a keyword for matching: full-width ASCII to ASCII, lower case,
/// spaces (also U+3000), '_', '-', '.', and a unit in brackets removed.
std::string normalize_key(std::string_view text);

/// Column index per spec (nullopt if absent) after matching the header.
struct ColumnMatch {
    std::vector<std::optional<std::size_t>> index; ///< by spec position
    std::vector<std::size_t> unknown;              ///< header columns no spec claims
    std::vector<std::size_t> duplicates;           ///< header columns naming a spec already matched
    std::size_t matched = 0;
};

/// Matches a header against specs (by normalised name or alias).
ColumnMatch match_columns(std::span<const std::string> header, std::span<const ColumnSpec> specs);

/// Builds a Table from CSV: the header is the record among the first 10 that matches the
/// most specs (rows above it, e.g. an Excel title or a merged group-header row, are listed
/// as warnings, never silently dropped). Rows with more fields than the header are errors
/// unless the extra fields are empty (a stray trailing delimiter: warning).
Table table_from_csv(const CsvDocument& document, std::span<const ColumnSpec> specs);

/// Reads a CSV file into a Table (read_csv_file + table_from_csv).
Table read_csv_table(const std::filesystem::path& path, std::span<const ColumnSpec> specs,
                     const CsvReadOptions& options = {});

/// Options of the shared table reader.
struct TableReadOptions {
    TextEncoding encoding = TextEncoding::automatic; ///< CSV only
    std::string sheet; ///< workbook sheet or GIS layer by name; empty = choose (see read_table)
};

/// True if the name ends in .xlsx or .xlsm.
bool is_workbook_path(const std::filesystem::path& path);
/// True if the file's content is an Excel workbook (a ZIP package), whatever its name.
/// Throws IoError if it cannot be read.
bool is_workbook_file(const std::filesystem::path& path);

/// Every sheet of a workbook as a document of records (line = sheet row), in workbook order.
/// Throws IoError if the file cannot be opened as a workbook.
std::vector<CsvDocument> read_workbook_documents(const std::filesystem::path& path);

/// The records of a CSV file or of one workbook sheet. A workbook is recognised by its
/// content (a file named .csv that is really an .xlsx, as Kudamatsu publishes, is read as a
/// workbook with a warning). The sheet is options.sheet (InputError naming the sheets if it
/// does not exist) or else the first sheet whose header row (found as table_from_csv does)
/// has every required column of `specs`; if none has, the sheet closest to it is returned
/// with an error naming each sheet and the columns it lacks. Throws IoError if unreadable.
CsvDocument read_table_document(const std::filesystem::path& path,
                                std::span<const ColumnSpec> specs,
                                const TableReadOptions& options = {});

/// The shared table reader of the loaders (registry, facilities, vehicles, standard shelter
/// lists): a GIS layer by extension (is_gis_path; options.sheet = the layer), otherwise
/// read_table_document + table_from_csv.
Table read_table(const std::filesystem::path& path, std::span<const ColumnSpec> specs,
                 const TableReadOptions& options = {});

/// Reads a point layer of any GDAL format into a Table (columns = attribute fields; the
/// geometry goes to TableRow::geometry). `layer` empty = the first layer.
Table read_layer_table(const std::filesystem::path& path, const std::string& layer = {});

/// True if the path names a GIS file the loaders read as a layer (.gpkg, .geojson, .json,
/// .shp, .fgb, .sqlite, .kml) rather than CSV/TSV/TXT.
bool is_gis_path(const std::filesystem::path& path);

} // namespace sonae::planner
