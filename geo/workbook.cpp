#include "geo/workbook.hpp"

#include "core/error.hpp"
#include "geo/detail/gdal_util.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <memory>

namespace sonae::geo {

bool looks_like_workbook(std::string_view first_bytes) {
    return first_bytes.starts_with("PK\x03\x04");
}

Workbook read_workbook(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        throw IoError("the file does not exist", Where{.file = path.string()});
    // Headers off: the first row is data like any other, so the caller sees title rows and
    // finds the header as for CSV; every cell as text, so codes keep their leading zeros.
    const detail::ThreadConfigOption headers("OGR_XLSX_HEADERS", "DISABLE");
    const detail::ThreadConfigOption types("OGR_XLSX_FIELD_TYPES", "STRING");
    const detail::GdalErrorCapture gdal_errors;
    const char* const drivers[] = {"XLSX", nullptr};
    const auto dataset = detail::open_vector(path, drivers);
    if (!dataset) {
        throw IoError("cannot open as an Excel workbook (.xlsx) (GDAL: " +
                          detail::last_gdal_error("not an Office Open XML spreadsheet") + ")",
                      Where{.file = path.string()});
    }
    Workbook workbook;
    workbook.file = path.string();
    for (int i = 0; i < dataset->GetLayerCount(); ++i) {
        OGRLayer* layer = dataset->GetLayer(i);
        Sheet sheet;
        sheet.name = layer->GetName();
        layer->ResetReading();
        std::unique_ptr<OGRFeature> feature;
        std::int64_t sequential = 0;
        while (feature.reset(layer->GetNextFeature()), feature) {
            ++sequential;
            SheetRow row;
            // With headers disabled the driver numbers features by sheet row (1-based) and
            // gives empty rows as empty features; the count is the fallback if it ever does not.
            row.row = feature->GetFID() > 0 ? feature->GetFID() : sequential;
            const int fields = feature->GetFieldCount();
            row.cells.resize(static_cast<std::size_t>(fields));
            std::size_t used = 0;
            for (int f = 0; f < fields; ++f) {
                if (!feature->IsFieldSetAndNotNull(f)) continue;
                row.cells[static_cast<std::size_t>(f)] = feature->GetFieldAsString(f);
                if (!row.cells[static_cast<std::size_t>(f)].empty())
                    used = static_cast<std::size_t>(f) + 1;
            }
            row.cells.resize(used);
            if (!row.cells.empty()) sheet.rows.push_back(std::move(row));
        }
        workbook.sheets.push_back(std::move(sheet));
    }
    return workbook;
}

void write_workbook(const std::filesystem::path& path, const std::string& sheet,
                    const std::vector<std::vector<std::string>>& rows) {
    detail::ensure_gdal_registered();
    const detail::GdalErrorCapture gdal_errors;
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("XLSX");
    if (driver == nullptr) throw IoError("GDAL has no XLSX driver", Where{.file = path.string()});
    GDALDatasetUniquePtr dataset(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!dataset) {
        throw IoError("cannot create the workbook (" + detail::last_gdal_error() + ")",
                      Where{.file = path.string()});
    }
    OGRLayer* layer = dataset->CreateLayer(sheet.c_str(), nullptr, wkbNone, nullptr);
    if (layer == nullptr) {
        throw IoError("cannot create the sheet (" + detail::last_gdal_error() + ")",
                      Where{.file = path.string(), .layer = sheet});
    }
    if (rows.empty()) return;
    for (const auto& name : rows.front()) {
        OGRFieldDefn field(name.c_str(), OFTString);
        if (layer->CreateField(&field) != OGRERR_NONE) {
            throw IoError("cannot add a column (" + detail::last_gdal_error() + ")",
                          Where{.file = path.string(), .layer = sheet, .field = name});
        }
    }
    for (std::size_t r = 1; r < rows.size(); ++r) {
        std::unique_ptr<OGRFeature> feature(OGRFeature::CreateFeature(layer->GetLayerDefn()));
        for (std::size_t c = 0; c < rows[r].size() && c < rows.front().size(); ++c) {
            feature->SetField(static_cast<int>(c), rows[r][c].c_str());
        }
        if (layer->CreateFeature(feature.get()) != OGRERR_NONE) {
            throw IoError("cannot write a row (" + detail::last_gdal_error() + ")",
                          Where{.file = path.string(),
                                .layer = sheet,
                                .line = static_cast<std::int64_t>(r + 1)});
        }
    }
    CPLErrorReset();
    dataset.reset(); // the driver writes the file when the dataset closes
    if (CPLGetLastErrorType() == CE_Failure || CPLGetLastErrorType() == CE_Fatal) {
        throw IoError("cannot write the workbook (" + detail::last_gdal_error() + ")",
                      Where{.file = path.string()});
    }
}

void write_sheet_rows(const std::filesystem::path& path, const std::string& sheet,
                      const std::vector<std::vector<std::string>>& rows) {
    // The XLSX driver writes no header row when the columns carry its default names
    // Field1, Field2, ..., so every row lands in the sheet as data, row 1 first.
    std::size_t width = 1;
    for (const auto& row : rows) width = std::max(width, row.size());
    std::vector<std::vector<std::string>> table;
    table.reserve(rows.size() + 1);
    table.emplace_back();
    for (std::size_t c = 0; c < width; ++c)
        table.front().push_back("Field" + std::to_string(c + 1));
    table.insert(table.end(), rows.begin(), rows.end());
    write_workbook(path, sheet, table);
}

} // namespace sonae::geo
