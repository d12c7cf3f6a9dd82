#include "geo/qgis_style.hpp"

#include "geo/gis_writer.hpp"

#include <cstdio>

namespace sonae::geo {

namespace {

std::string xml(const std::string& text) {
    std::string out;
    for (const char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        default: out.push_back(c);
        }
    }
    return out;
}

std::string number(double v) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

std::string colour(const Rgb& c, int alpha = 255) {
    return std::to_string(c.r) + "," + std::to_string(c.g) + "," + std::to_string(c.b) + "," +
           std::to_string(alpha);
}

std::string prop(const std::string& key, const std::string& value) {
    return "        <prop k=\"" + key + "\" v=\"" + xml(value) + "\"/>\n";
}

/// One <symbol> of the layer's geometry type (QGIS 3 symbol XML, "prop" form that every 3.x reads).
std::string symbol_xml(const Layer& layer, const std::string& name, const Symbol& s) {
    std::string out;
    switch (layer.geometry_type) {
    case GeometryType::point:
        out += "    <symbol name=\"" + name +
               "\" type=\"marker\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n";
        out += "      <layer class=\"SimpleMarker\" pass=\"0\" locked=\"0\" enabled=\"1\">\n";
        out += prop("color", colour(s.colour)) + prop("name", "circle") +
               prop("outline_color", "35,35,35,255") + prop("outline_style", "solid") +
               prop("outline_width", "0.2") + prop("outline_width_unit", "MM") +
               prop("size", number(s.size)) + prop("size_unit", "MM");
        break;
    case GeometryType::line:
        out += "    <symbol name=\"" + name +
               "\" type=\"line\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n";
        if (s.dot) {
            // A marker line with one marker on the first vertex (QGIS 3.22 reads `placement`,
            // later versions `placements`), its sub-symbol a circle.
            out += "      <layer class=\"MarkerLine\" pass=\"0\" locked=\"0\" enabled=\"1\">\n";
            out += prop("placement", "firstvertex") + prop("placements", "FirstVertex") +
                   prop("rotate", "0") + prop("interval", "3") + prop("interval_unit", "MM") +
                   prop("offset", "0") + prop("offset_unit", "MM");
            out += "        <symbol name=\"@" + name +
                   "@0\" type=\"marker\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n";
            out +=
                "          <layer class=\"SimpleMarker\" pass=\"0\" locked=\"0\" enabled=\"1\">\n";
            out += prop("color", colour(s.colour)) + prop("name", "circle") +
                   prop("outline_color", "35,35,35,255") + prop("outline_style", "solid") +
                   prop("outline_width", "0.2") + prop("outline_width_unit", "MM") +
                   prop("size", number(s.size)) + prop("size_unit", "MM");
            out += "          </layer>\n        </symbol>\n";
            break;
        }
        out += "      <layer class=\"SimpleLine\" pass=\"0\" locked=\"0\" enabled=\"1\">\n";
        out += prop("line_color", colour(s.colour)) + prop("line_width", number(s.size)) +
               prop("line_width_unit", "MM") + prop("line_style", s.dashed ? "dash" : "solid") +
               prop("capstyle", "round") + prop("joinstyle", "round");
        break;
    case GeometryType::polygon:
    case GeometryType::none:
        out += "    <symbol name=\"" + name +
               "\" type=\"fill\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n";
        out += "      <layer class=\"SimpleFill\" pass=\"0\" locked=\"0\" enabled=\"1\">\n";
        out += prop("color", colour(s.colour, s.opacity_pct * 255 / 100)) + prop("style", "solid") +
               prop("outline_color", colour(s.colour)) + prop("outline_style", "solid") +
               prop("outline_width", "0.3") + prop("outline_width_unit", "MM");
        break;
    }
    out += "      </layer>\n    </symbol>\n";
    return out;
}

/// Aliases (the Japanese names QGIS shows for fields) and the time fields.
std::string fields_xml(const Layer& layer, const TemporalFields& temporal) {
    std::string out = "  <aliases>\n";
    for (std::size_t i = 0; i < layer.fields.size(); ++i) {
        const auto& f = layer.fields[i];
        out += "    <alias field=\"" + xml(f.name) + "\" index=\"" + std::to_string(i) +
               "\" name=\"" + xml(f.alias) + "\"/>\n";
    }
    out += "  </aliases>\n";
    if (!temporal.start_field.empty()) {
        // Mode 1: an instant from a field; 2: start and end from fields
        // (QgsVectorLayerTemporalProperties).
        out += "  <temporal enabled=\"1\" mode=\"" +
               std::string(temporal.end_field.empty() ? "1" : "2") + "\" startField=\"" +
               xml(temporal.start_field) + "\" endField=\"" + xml(temporal.end_field) +
               "\" startExpression=\"\" endExpression=\"\" durationField=\"\" durationUnit=\"min\" "
               "fixedDuration=\"0\""
               " accumulate=\"0\" limitMode=\"0\">\n    <fixedRange>\n      <start></start>\n      "
               "<end></end>\n"
               "    </fixedRange>\n  </temporal>\n";
    }
    return out;
}

std::string document(const std::string& renderer, const Layer& layer,
                     const TemporalFields& temporal) {
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
           "<qgis version=\"3.22.0\" styleCategories=\"AllStyleCategories\">\n" +
           renderer + fields_xml(layer, temporal) + "</qgis>\n";
}

const char* renderer_attributes =
    "forceraster=\"0\" symbollevels=\"0\" enableorderby=\"0\" referencescale=\"-1\"";

} // namespace

std::string categorized_style(const Layer& layer, const std::string& field,
                              const std::vector<Category>& categories,
                              const TemporalFields& temporal) {
    std::string out = "  <renderer-v2 type=\"categorizedSymbol\" attr=\"" + xml(field) + "\" " +
                      renderer_attributes + ">\n";
    out += "  <categories>\n";
    for (std::size_t i = 0; i < categories.size(); ++i) {
        out += "    <category render=\"true\" value=\"" + xml(categories[i].value) +
               "\" symbol=\"" + std::to_string(i) + "\" label=\"" + xml(categories[i].label) +
               "\"/>\n";
    }
    out += "  </categories>\n  <symbols>\n";
    for (std::size_t i = 0; i < categories.size(); ++i)
        out += symbol_xml(layer, std::to_string(i), categories[i].symbol);
    out += "  </symbols>\n  </renderer-v2>\n";
    return document(out, layer, temporal);
}

std::string graduated_style(const Layer& layer, const std::string& field,
                            const std::vector<Range>& ranges, const TemporalFields& temporal) {
    bool same_colour = true;
    for (const auto& r : ranges) {
        same_colour = same_colour && r.symbol.colour.r == ranges.front().symbol.colour.r &&
                      r.symbol.colour.g == ranges.front().symbol.colour.g &&
                      r.symbol.colour.b == ranges.front().symbol.colour.b;
    }
    std::string out = "  <renderer-v2 type=\"graduatedSymbol\" attr=\"" + xml(field) +
                      "\" graduatedMethod=\"" + (same_colour ? "GraduatedSize" : "GraduatedColor") +
                      "\" " + renderer_attributes + ">\n";
    out += "  <ranges>\n";
    for (std::size_t i = 0; i < ranges.size(); ++i) {
        out += "    <range render=\"true\" lower=\"" + number(ranges[i].lower) + "\" upper=\"" +
               number(ranges[i].upper) + "\" symbol=\"" + std::to_string(i) + "\" label=\"" +
               xml(ranges[i].label) + "\"/>\n";
    }
    out += "  </ranges>\n  <symbols>\n";
    for (std::size_t i = 0; i < ranges.size(); ++i)
        out += symbol_xml(layer, std::to_string(i), ranges[i].symbol);
    out += "  </symbols>\n  </renderer-v2>\n";
    return document(out, layer, temporal);
}

std::string single_style(const Layer& layer, const Symbol& symbol, const TemporalFields& temporal) {
    const std::string out = std::string("  <renderer-v2 type=\"singleSymbol\" ") +
                            renderer_attributes + ">\n  <symbols>\n" +
                            symbol_xml(layer, "0", symbol) + "  </symbols>\n  </renderer-v2>\n";
    return document(out, layer, temporal);
}

std::string table_style(const Layer& layer) {
    return document("", layer, {});
}

} // namespace sonae::geo
