#include "planner/csv.hpp"

#include "core/csv_text.hpp"
#include "geo/input_file.hpp"
#include "geo/point_layer.hpp"
#include "geo/workbook.hpp"
#include "planner/detail/registry_text.hpp"

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <iconv.h>
#include <iterator>
#include <limits>
#include <sstream>

namespace sonae::planner {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

std::int64_t line_of_offset(std::string_view bytes, std::size_t offset) {
    std::int64_t line = 1;
    for (std::size_t i = 0; i < offset && i < bytes.size(); ++i) {
        if (bytes[i] == '\n')
            ++line;
        else if (bytes[i] == '\r' && (i + 1 >= bytes.size() || bytes[i + 1] != '\n'))
            ++line;
    }
    return line;
}

/// Offset of the first byte that breaks UTF-8, or npos if the text is valid UTF-8.
std::size_t first_invalid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = 0;
        std::uint32_t cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            n = 1;
            cp = c & 0x1Fu;
        } else if ((c & 0xF0) == 0xE0) {
            n = 2;
            cp = c & 0x0Fu;
        } else if ((c & 0xF8) == 0xF0) {
            n = 3;
            cp = c & 0x07u;
        } else {
            return i;
        }
        if (i + n >= s.size()) return i;
        for (std::size_t k = 1; k <= n; ++k) {
            const auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80) return i;
            cp = (cp << 6) | (cc & 0x3Fu);
        }
        // Overlong forms, surrogates and values past U+10FFFF are invalid.
        if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
            (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
            return i;
        }
        i += n + 1;
    }
    return std::string_view::npos;
}

/// Converts with iconv; on failure returns nullopt and the input offset of the bad sequence.
std::optional<std::string> iconv_convert(std::string_view input, const char* from, const char* to,
                                         std::size_t* bad_offset) {
    iconv_t cd = iconv_open(to, from);
    if (cd == reinterpret_cast<iconv_t>(-1)) {
        throw InternalError(std::string("iconv cannot convert from ") + from + " to " + to);
    }
    std::string out;
    out.resize(input.size() * 2 + 16);
    char* in_ptr = const_cast<char*>(input.data());
    std::size_t in_left = input.size();
    char* out_ptr = out.data();
    std::size_t out_left = out.size();
    std::optional<std::string> result;
    while (true) {
        const std::size_t rc = iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
        if (rc != static_cast<std::size_t>(-1)) {
            // Flush any shift state.
            iconv(cd, nullptr, nullptr, &out_ptr, &out_left);
            out.resize(out.size() - out_left);
            result = std::move(out);
            break;
        }
        if (errno == E2BIG) {
            const std::size_t used = out.size() - out_left;
            out.resize(out.size() * 2);
            out_ptr = out.data() + used;
            out_left = out.size() - used;
            continue;
        }
        if (bad_offset) *bad_offset = static_cast<std::size_t>(in_ptr - input.data());
        break;
    }
    iconv_close(cd);
    return result;
}

} // namespace

std::optional<TextEncoding> parse_text_encoding(std::string_view name) {
    const std::string key = detail::lower_ascii(detail::trim(name));
    if (key == "auto" || key == "automatic" || key == "detect") return TextEncoding::automatic;
    if (key == "utf-8" || key == "utf8") return TextEncoding::utf8;
    if (key == "utf-8-bom" || key == "utf8bom" || key == "utf-8-sig" || key == "utf8-bom" ||
        key == "utf-8bom")
        return TextEncoding::utf8_bom;
    if (key == "cp932" || key == "sjis" || key == "shift_jis" || key == "shift-jis" ||
        key == "ms932" || key == "windows-31j" || key == "shiftjis")
        return TextEncoding::cp932;
    return std::nullopt;
}

std::string_view to_string(TextEncoding encoding) {
    switch (encoding) {
    case TextEncoding::automatic: return "auto";
    case TextEncoding::utf8: return "utf-8";
    case TextEncoding::utf8_bom: return "utf-8-bom";
    case TextEncoding::cp932: return "cp932";
    }
    return "auto";
}

std::optional<std::string> decode_to_utf8(std::string_view bytes, TextEncoding encoding,
                                          TextEncoding* detected, std::int64_t* bad_line) {
    const bool bom = bytes.starts_with(kBom);
    if (encoding == TextEncoding::automatic) {
        if (bom)
            encoding = TextEncoding::utf8_bom;
        else if (first_invalid_utf8(bytes) == std::string_view::npos)
            encoding = TextEncoding::utf8;
        else
            encoding = TextEncoding::cp932;
    }
    if (detected) *detected = encoding;
    if (encoding == TextEncoding::cp932) {
        std::size_t bad = 0;
        auto text = iconv_convert(bytes, "CP932", "UTF-8", &bad);
        if (!text && bad_line) *bad_line = line_of_offset(bytes, bad);
        return text;
    }
    const std::string_view body = bom ? bytes.substr(kBom.size()) : bytes;
    const std::size_t bad = first_invalid_utf8(body);
    if (bad != std::string_view::npos) {
        if (bad_line) *bad_line = line_of_offset(body, bad);
        return std::nullopt;
    }
    if (detected && bom) *detected = TextEncoding::utf8_bom;
    return std::string(body);
}

std::string encode_from_utf8(std::string_view utf8, TextEncoding encoding) {
    switch (encoding) {
    case TextEncoding::automatic:
    case TextEncoding::utf8: return std::string(utf8);
    case TextEncoding::utf8_bom: return std::string(kBom) + std::string(utf8);
    case TextEncoding::cp932: {
        std::size_t bad = 0;
        auto out = iconv_convert(utf8, "UTF-8", "CP932", &bad);
        if (!out) {
            std::size_t end = bad + 1;
            while (end < utf8.size() && (static_cast<unsigned char>(utf8[end]) & 0xC0) == 0x80)
                ++end;
            throw InputError("this character has no Shift_JIS (CP932) form; write UTF-8 instead",
                             Where{.line = line_of_offset(utf8, bad),
                                   .value = std::string(utf8.substr(bad, end - bad))});
        }
        return *out;
    }
    }
    return std::string(utf8);
}

CsvDocument parse_csv(std::string_view bytes, const std::string& file,
                      const CsvReadOptions& options) {
    CsvDocument doc;
    doc.file = file;
    doc.had_bom = bytes.starts_with(kBom);
    // UTF-16 ("Unicode text" in Excel) and binary files (an .xlsx renamed .csv) have NUL
    // bytes or a UTF-16 byte-order mark; say so rather than "not UTF-8".
    if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF") ||
        bytes.substr(0, 4096).find('\0') != std::string_view::npos) {
        doc.diagnostics.push_back(Diagnostic{
            Diagnostic::Severity::error,
            "the file is UTF-16 (Excel \"Unicode text\") or binary (an .xlsx?), not CSV text; "
            "save it from Excel as \"CSV UTF-8\"",
            Where{.file = file}});
        return doc;
    }
    std::int64_t bad_line = -1;
    TextEncoding detected = TextEncoding::utf8;
    auto decoded = decode_to_utf8(bytes, options.encoding, &detected, &bad_line);
    doc.encoding = detected;
    if (!decoded) {
        std::string message;
        if (options.encoding == TextEncoding::automatic) {
            message = "the file is neither UTF-8 nor Shift_JIS (CP932); save it from Excel as "
                      "\"CSV UTF-8\"";
        } else {
            message = "the file is not valid " + std::string(to_string(options.encoding)) +
                      " text; check the --encoding option or save it from Excel as \"CSV UTF-8\"";
        }
        doc.diagnostics.push_back(Diagnostic{Diagnostic::Severity::error, message,
                                             Where{.file = file, .line = bad_line}});
        return doc;
    }
    const std::string& text = *decoded;
    if (text.find('\0') != std::string::npos) {
        doc.diagnostics.push_back(Diagnostic{
            Diagnostic::Severity::error,
            "the file contains NUL bytes: it looks like UTF-16 or a binary file (an .xlsx?); "
            "save it from Excel as \"CSV UTF-8\"",
            Where{.file = file, .line = line_of_offset(text, text.find('\0'))}});
        return doc;
    }

    enum class State { field_start, unquoted, quoted, after_quote };
    State state = State::field_start;
    std::int64_t line = 1;
    std::int64_t quote_line = 0;
    CsvRecord record;
    record.line = 1;
    std::string field;
    bool warned_quote = false;
    const char delim = options.delimiter;

    auto end_field = [&] {
        record.fields.push_back(std::move(field));
        field.clear();
        state = State::field_start;
    };
    auto end_record = [&] {
        end_field();
        const bool blank =
            std::all_of(record.fields.begin(), record.fields.end(),
                        [](const std::string& f) { return detail::trim(f).empty(); });
        if (!blank) doc.records.push_back(std::move(record));
        record = CsvRecord{};
        warned_quote = false;
    };

    std::size_t i = 0;
    const std::size_t n = text.size();
    while (i < n) {
        const char c = text[i];
        const bool newline = c == '\n' || c == '\r';
        const std::size_t newline_len = (c == '\r' && i + 1 < n && text[i + 1] == '\n') ? 2 : 1;
        switch (state) {
        case State::field_start:
            if (c == '"') {
                state = State::quoted;
                quote_line = line;
                ++i;
            } else if (c == delim) {
                end_field();
                ++i;
            } else if (newline) {
                end_record();
                i += newline_len;
                ++line;
                record.line = line;
            } else {
                state = State::unquoted;
                field.push_back(c);
                ++i;
            }
            break;
        case State::unquoted:
            if (c == delim) {
                end_field();
                ++i;
            } else if (newline) {
                end_record();
                i += newline_len;
                ++line;
                record.line = line;
            } else {
                if (c == '"' && !warned_quote) {
                    warned_quote = true;
                    doc.diagnostics.push_back(
                        Diagnostic{Diagnostic::Severity::warning,
                                   "a double quote inside an unquoted field was kept as text",
                                   Where{.file = file, .line = line}});
                }
                field.push_back(c);
                ++i;
            }
            break;
        case State::quoted:
            if (c == '"') {
                if (i + 1 < n && text[i + 1] == '"') {
                    field.push_back('"');
                    i += 2;
                } else {
                    state = State::after_quote;
                    ++i;
                }
            } else if (newline) {
                // A line break inside quotes is part of the value (Alt+Enter in Excel).
                field.push_back('\n');
                i += newline_len;
                ++line;
            } else {
                field.push_back(c);
                ++i;
            }
            break;
        case State::after_quote:
            if (c == delim) {
                end_field();
                ++i;
            } else if (newline) {
                end_record();
                i += newline_len;
                ++line;
                record.line = line;
            } else {
                doc.diagnostics.push_back(Diagnostic{
                    Diagnostic::Severity::error,
                    "text after the closing quote of a field (a quote inside a quoted value must "
                    "be doubled: \"\")",
                    Where{.file = file, .line = line, .value = field + c}});
                state = State::unquoted;
                field.push_back(c);
                ++i;
            }
            break;
        }
    }
    if (state == State::quoted) {
        doc.diagnostics.push_back(
            Diagnostic{Diagnostic::Severity::error,
                       "a quoted field opened on line " + std::to_string(quote_line) +
                           " is never closed; everything after it was read as one value",
                       Where{.file = file, .line = quote_line}});
    }
    if (state != State::field_start || !record.fields.empty() || !field.empty()) end_record();
    return doc;
}

namespace {

/// Opens a file for binary reading after check_input_file (a folder, a FIFO, a device or a
/// file over the bound is an InputError naming it). Throws IoError if missing or unreadable.
std::ifstream open_input(const std::filesystem::path& path) {
    check_input_file(path, "");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IoError("cannot open the file for reading", Where{.file = path.string()});
    return in;
}

} // namespace

CsvDocument read_csv_file(const std::filesystem::path& path, const CsvReadOptions& options) {
    std::ifstream in = open_input(path);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw IoError("error while reading the file", Where{.file = path.string()});
    return parse_csv(bytes, path.string(), options);
}

std::string format_csv(std::span<const std::vector<std::string>> rows,
                       const CsvWriteOptions& options) {
    return encode_from_utf8(core::csv_text(rows, options.delimiter, options.crlf),
                            options.encoding);
}

// ---------------------------------------------------------------------------------------

std::string_view to_string(TableFormat format) {
    switch (format) {
    case TableFormat::csv: return "csv";
    case TableFormat::xlsx: return "xlsx";
    case TableFormat::gis: return "gis";
    }
    return "csv";
}

Where Table::where(const TableRow& row, std::optional<std::size_t> column) const {
    Where w;
    w.file = file;
    w.layer = layer.empty() ? sheet : layer;
    w.line = row.line;
    w.feature = row.feature;
    if (column) {
        w.field =
            *column < columns.size() ? columns[*column] : "column " + std::to_string(*column + 1);
        w.value = *column < row.values.size() ? row.values[*column] : std::string();
    }
    return w;
}

Where Table::header_where() const {
    return Where{.file = file, .layer = layer.empty() ? sheet : layer, .line = header_line};
}

std::string Table::source_description() const {
    switch (format) {
    case TableFormat::csv:
        switch (encoding) {
        case TextEncoding::cp932: return "CSV, Shift_JIS (CP932)";
        case TextEncoding::utf8_bom: return "CSV, UTF-8 with BOM";
        case TextEncoding::utf8:
        case TextEncoding::automatic: return "CSV, UTF-8";
        }
        return "CSV";
    case TableFormat::xlsx:
        return "Excel workbook (.xlsx), sheet '" + sheet + "' (lines are sheet rows)";
    case TableFormat::gis: return "GIS layer '" + layer + "'";
    }
    return "CSV";
}

std::string normalize_key(std::string_view text) {
    std::string folded = detail::lower_ascii(detail::trim(detail::fold_width(text)));
    // Drop trailing bracketed units: "power_w (W)", "経度[度]".
    while (!folded.empty() && (folded.back() == ')' || folded.back() == ']')) {
        const char open = folded.back() == ')' ? '(' : '[';
        const std::size_t pos = folded.rfind(open);
        if (pos == std::string::npos || pos == 0) break;
        folded.resize(pos);
        folded = detail::trim(folded);
    }
    std::string out;
    for (char c : folded) {
        if (c == ' ' || c == '_' || c == '-' || c == '.' || c == '\t' || c == '\n' || c == '\r')
            continue;
        out.push_back(c);
    }
    return out;
}

ColumnMatch match_columns(std::span<const std::string> header, std::span<const ColumnSpec> specs) {
    ColumnMatch match;
    match.index.assign(specs.size(), std::nullopt);
    std::vector<std::vector<std::string>> keys(specs.size());
    for (std::size_t s = 0; s < specs.size(); ++s) {
        keys[s].push_back(normalize_key(specs[s].name));
        for (auto alias : specs[s].aliases) keys[s].push_back(normalize_key(alias));
    }
    for (std::size_t c = 0; c < header.size(); ++c) {
        const std::string key = normalize_key(header[c]);
        if (key.empty()) {
            match.unknown.push_back(c);
            continue;
        }
        bool claimed = false;
        for (std::size_t s = 0; s < specs.size() && !claimed; ++s) {
            if (std::find(keys[s].begin(), keys[s].end(), key) == keys[s].end()) continue;
            claimed = true;
            if (match.index[s]) {
                match.duplicates.push_back(c);
            } else {
                match.index[s] = c;
                ++match.matched;
            }
        }
        if (!claimed) match.unknown.push_back(c);
    }
    return match;
}

namespace {

/// The header is the record among the first few that names the most known columns: Excel
/// sheets often carry a title row or a merged group-header row above the real header.
std::size_t find_header_record(std::span<const CsvRecord> records,
                               std::span<const ColumnSpec> specs) {
    std::size_t header_index = 0;
    std::size_t best = 0;
    const std::size_t scan = std::min<std::size_t>(10, records.size());
    for (std::size_t r = 0; r < scan; ++r) {
        const std::size_t matched = match_columns(records[r].fields, specs).matched;
        if (matched > best) {
            best = matched;
            header_index = r;
        }
    }
    return header_index;
}

} // namespace

Table table_from_csv(const CsvDocument& document, std::span<const ColumnSpec> specs) {
    Table table;
    table.file = document.file;
    table.format = document.format;
    table.encoding = document.encoding;
    table.sheet = document.sheet;
    table.diagnostics = document.diagnostics;
    if (document.records.empty()) {
        if (!has_errors(table.diagnostics)) {
            table.diagnostics.push_back(
                Diagnostic{Diagnostic::Severity::error, "the file is empty: no header and no rows",
                           Where{.file = table.file, .layer = table.sheet}});
        }
        return table;
    }
    const std::size_t header_index = find_header_record(document.records, specs);
    for (std::size_t r = 0; r < header_index; ++r) {
        std::string joined;
        for (const auto& f : document.records[r].fields) {
            const std::string t = detail::trim(f);
            if (t.empty()) continue;
            if (!joined.empty()) joined += " | ";
            joined += t;
        }
        table.diagnostics.push_back(
            Diagnostic{Diagnostic::Severity::warning,
                       "row above the header ignored (a title or merged header row?)",
                       Where{.file = table.file,
                             .layer = table.sheet,
                             .line = document.records[r].line,
                             .value = joined}});
    }
    const CsvRecord& header = document.records[header_index];
    table.header_line = header.line;
    for (const auto& h : header.fields) table.columns.push_back(detail::trim(h));
    // Excel leaves empty header cells at the end when a stray cell was once used.
    while (!table.columns.empty() && table.columns.back().empty()) table.columns.pop_back();
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
        if (table.columns[c].empty()) {
            table.diagnostics.push_back(Diagnostic{
                Diagnostic::Severity::warning, "a header cell is empty; its column is ignored",
                Where{.file = table.file,
                      .layer = table.sheet,
                      .line = header.line,
                      .field = "column " + std::to_string(c + 1)}});
        }
    }
    const std::size_t width = table.columns.size();
    for (std::size_t r = header_index + 1; r < document.records.size(); ++r) {
        const CsvRecord& record = document.records[r];
        TableRow row;
        row.line = record.line;
        for (const auto& f : record.fields) row.values.push_back(detail::trim(f));
        if (row.values.size() > width) {
            const bool extra_empty =
                std::all_of(row.values.begin() + static_cast<std::ptrdiff_t>(width),
                            row.values.end(), [](const std::string& v) { return v.empty(); });
            if (extra_empty) {
                table.diagnostics.push_back(
                    Diagnostic{Diagnostic::Severity::warning,
                               "stray delimiter: " + std::to_string(row.values.size() - width) +
                                   " empty field(s) past the last column were ignored",
                               Where{.file = table.file, .layer = table.sheet, .line = row.line}});
                row.values.resize(width);
            } else {
                std::string extra;
                for (std::size_t k = width; k < row.values.size(); ++k) {
                    if (!extra.empty()) extra += ",";
                    extra += row.values[k];
                }
                table.diagnostics.push_back(
                    Diagnostic{Diagnostic::Severity::error,
                               "the row has " + std::to_string(row.values.size()) +
                                   " fields but the header has " + std::to_string(width) +
                                   " (a stray delimiter or an unquoted comma?); row not loaded",
                               Where{.file = table.file,
                                     .layer = table.sheet,
                                     .line = row.line,
                                     .value = extra}});
                ++table.rows_rejected;
                continue;
            }
        }
        row.values.resize(width);
        table.rows.push_back(std::move(row));
    }
    return table;
}

Table read_csv_table(const std::filesystem::path& path, std::span<const ColumnSpec> specs,
                     const CsvReadOptions& options) {
    return table_from_csv(read_csv_file(path, options), specs);
}

Table read_layer_table(const std::filesystem::path& path, const std::string& layer) {
    geo::PointLayer points = geo::read_point_layer(path, layer);
    Table table;
    table.file = points.file;
    table.layer = points.layer;
    table.format = TableFormat::gis;
    table.columns = points.fields;
    table.diagnostics = std::move(points.diagnostics);
    for (auto& feature : points.features) {
        TableRow row;
        row.feature = std::to_string(feature.fid);
        row.values.reserve(feature.values.size());
        for (auto& v : feature.values) row.values.push_back(detail::trim(v));
        row.geometry = feature.position;
        table.rows.push_back(std::move(row));
    }
    return table;
}

bool is_workbook_path(const std::filesystem::path& path) {
    const std::string ext = detail::lower_ascii(path.extension().string());
    return ext == ".xlsx" || ext == ".xlsm";
}

std::vector<CsvDocument> read_workbook_documents(const std::filesystem::path& path) {
    const geo::Workbook workbook = geo::read_workbook(path);
    std::vector<CsvDocument> documents;
    for (const geo::Sheet& sheet : workbook.sheets) {
        CsvDocument doc;
        doc.file = workbook.file;
        doc.format = TableFormat::xlsx;
        doc.sheet = sheet.name;
        for (const geo::SheetRow& row : sheet.rows) {
            const bool blank =
                std::all_of(row.cells.begin(), row.cells.end(),
                            [](const std::string& c) { return detail::trim(c).empty(); });
            if (!blank) doc.records.push_back(CsvRecord{.line = row.row, .fields = row.cells});
        }
        documents.push_back(std::move(doc));
    }
    return documents;
}

namespace {

/// The first bytes of a file (enough to recognise a ZIP package). Throws IoError.
std::string first_bytes(const std::filesystem::path& path, std::size_t count) {
    std::ifstream in = open_input(path);
    std::string bytes(count, '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(count));
    bytes.resize(static_cast<std::size_t>(in.gcount()));
    return bytes;
}

/// The names of the required specs the best header row of `doc` lacks.
std::vector<std::string> missing_required(const CsvDocument& doc,
                                          std::span<const ColumnSpec> specs) {
    std::vector<std::string> missing;
    const ColumnMatch match =
        doc.records.empty()
            ? match_columns({}, specs)
            : match_columns(doc.records[find_header_record(doc.records, specs)].fields, specs);
    const auto matched = [&](std::string_view name) {
        for (std::size_t s = 0; s < specs.size(); ++s) {
            if (specs[s].name == name) return match.index[s].has_value();
        }
        return false;
    };
    for (std::size_t s = 0; s < specs.size(); ++s) {
        if (!specs[s].required || match.index[s]) continue;
        if (!specs[s].or_column.empty() && matched(specs[s].or_column)) continue;
        missing.emplace_back(specs[s].name);
    }
    return missing;
}

} // namespace

bool is_workbook_file(const std::filesystem::path& path) {
    return geo::looks_like_workbook(first_bytes(path, 4));
}

CsvDocument read_table_document(const std::filesystem::path& path,
                                std::span<const ColumnSpec> specs,
                                const TableReadOptions& options) {
    if (!is_workbook_file(path)) {
        if (is_workbook_path(path)) {
            throw IoError("the file is named .xlsx but is not an Excel workbook (an old .xls? save "
                          "it as .xlsx or CSV)",
                          Where{.file = path.string()});
        }
        return read_csv_file(path, CsvReadOptions{.encoding = options.encoding});
    }
    std::vector<CsvDocument> sheets = read_workbook_documents(path);
    Diagnostics notes;
    if (!is_workbook_path(path)) {
        notes.push_back(
            Diagnostic{Diagnostic::Severity::warning,
                       "the file is named " + path.extension().string() +
                           " but is an Excel workbook (.xlsx); it was read as a workbook",
                       Where{.file = path.string()}});
    }
    auto with_notes = [&notes](CsvDocument doc) {
        doc.diagnostics.insert(doc.diagnostics.begin(), notes.begin(), notes.end());
        return doc;
    };
    if (sheets.empty()) {
        CsvDocument doc;
        doc.file = path.string();
        doc.format = TableFormat::xlsx;
        doc.diagnostics.push_back(Diagnostic{Diagnostic::Severity::error,
                                             "the workbook has no sheet",
                                             Where{.file = path.string()}});
        return with_notes(std::move(doc));
    }
    if (!options.sheet.empty()) {
        std::string available;
        for (CsvDocument& doc : sheets) {
            if (doc.sheet == options.sheet) return with_notes(std::move(doc));
            available += (available.empty() ? "'" : ", '") + doc.sheet + "'";
        }
        throw InputError("the workbook has no such sheet (sheets: " + available + ")",
                         Where{.file = path.string(), .layer = options.sheet});
    }
    // The first sheet with every required column (a workbook often starts with a cover or
    // an explanation sheet, or holds the blank form beside the filled one).
    std::size_t closest = 0;
    std::size_t fewest_missing = std::numeric_limits<std::size_t>::max();
    std::vector<std::vector<std::string>> missing(sheets.size());
    for (std::size_t i = 0; i < sheets.size(); ++i) {
        missing[i] = missing_required(sheets[i], specs);
        if (missing[i].empty() && !sheets[i].records.empty())
            return with_notes(std::move(sheets[i]));
        const std::size_t count = sheets[i].records.empty() ? specs.size() + 1 : missing[i].size();
        if (count < fewest_missing) {
            fewest_missing = count;
            closest = i;
        }
    }
    CsvDocument doc = std::move(sheets[closest]);
    for (std::size_t i = 0; i < missing.size(); ++i) {
        std::string lacks;
        for (const auto& m : missing[i]) lacks += (lacks.empty() ? "" : ", ") + m;
        const std::string& name = i == closest ? doc.sheet : sheets[i].sheet;
        const CsvDocument& d = i == closest ? doc : sheets[i];
        Where w{.file = path.string(), .layer = name};
        if (!d.records.empty()) w.line = d.records[find_header_record(d.records, specs)].line;
        if (!missing[i].empty()) w.field = missing[i].front();
        notes.push_back(Diagnostic{
            Diagnostic::Severity::error,
            d.records.empty()
                ? "no sheet of the workbook has the required columns; this sheet is empty"
                : "no sheet of the workbook has the required columns; this sheet's header row "
                  "lacks: " +
                      lacks + (i == closest ? " (this sheet, the closest, was read)" : ""),
            w});
    }
    return with_notes(std::move(doc));
}

Table read_table(const std::filesystem::path& path, std::span<const ColumnSpec> specs,
                 const TableReadOptions& options) {
    if (is_gis_path(path)) return read_layer_table(path, options.sheet);
    return table_from_csv(read_table_document(path, specs, options), specs);
}

bool is_gis_path(const std::filesystem::path& path) {
    const std::string ext = detail::lower_ascii(path.extension().string());
    return ext == ".gpkg" || ext == ".geojson" || ext == ".json" || ext == ".shp" ||
           ext == ".fgb" || ext == ".sqlite" || ext == ".kml" || ext == ".gml";
}

} // namespace sonae::planner
