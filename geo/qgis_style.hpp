#pragma once
/// Default QGIS styles for the layers sonae writes (issue 23 item 4). write_geopackage stores
/// a layer's style in the GeoPackage's `layer_styles` table, which QGIS reads when the layer
/// is added: statuses coloured, routes drawn by kind, facilities sized by load, hazard areas
/// coloured by depth. The style is QML (QGIS's own XML); these builders write the few
/// renderers sonae needs, with the layer's field aliases and, optionally, its time fields for
/// QGIS's Temporal Controller.

#include <string>
#include <vector>

namespace sonae::geo {

struct Layer;

/// An sRGB colour.
struct Rgb {
    int r = 0, g = 0, b = 0;
};

/// How one class of features is drawn.
struct Symbol {
    Rgb colour;
    double size = 2.6;     ///< marker diameter (mm) or line width (mm)
    bool dashed = false;   ///< lines: dashed
    int opacity_pct = 100; ///< fill opacity (polygons), 0-100
    /// Lines: a dot of diameter `size` at the line's first point instead of a stroke, for
    /// lines of no length (something that stays in one place), which QGIS does not draw.
    bool dot = false;
};

/// Features whose `field` equals `value` (text as stored), with a legend label.
struct Category {
    std::string value;
    std::string label;
    Symbol symbol;
};

/// Features whose `field` is in [lower, upper], with a legend label.
struct Range {
    double lower = 0.0;
    double upper = 0.0;
    std::string label;
    Symbol symbol;
};

/// Feature times for the Temporal Controller: start and (optional) end datetime fields.
struct TemporalFields {
    std::string start_field;
    std::string end_field; ///< empty: an instant at start_field
};

/// A categorized renderer on `field` (others: not drawn unless `fallback` is given).
std::string categorized_style(const Layer& layer, const std::string& field,
                              const std::vector<Category>& categories,
                              const TemporalFields& temporal = {});
/// A graduated renderer on the numeric `field` (sizes or colours come from each range's symbol).
std::string graduated_style(const Layer& layer, const std::string& field,
                            const std::vector<Range>& ranges, const TemporalFields& temporal = {});
/// One symbol for every feature.
std::string single_style(const Layer& layer, const Symbol& symbol,
                         const TemporalFields& temporal = {});
/// Only aliases (and time fields) for an attribute table.
std::string table_style(const Layer& layer);

} // namespace sonae::geo
