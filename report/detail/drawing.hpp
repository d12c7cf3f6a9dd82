#pragma once
/// Private drawing helpers of the report module: text with pango (Noto Sans CJK JP), a
/// flowing A4 PDF document with headings, paragraphs and tables, charts and simple maps.

#include "core/atomic_file.hpp"
#include "geo/road_network.hpp"
#include "report/detail/map_labels.hpp"

#include <cairo.h>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sonae::report::detail {

/// The font every output uses (Debian package fonts-noto-cjk).
inline constexpr std::string_view kFontFamily = "Noto Sans CJK JP";

/// A4 in PDF points.
inline constexpr double kA4Width = 595.276;
inline constexpr double kA4Height = 841.89;

struct Colour {
    double r = 0, g = 0, b = 0;
};

enum class Align : unsigned char { left, centre, right };

struct TextStyle {
    double size_pt = 10.0;
    bool bold = false;
    Colour colour{0.1, 0.1, 0.1};
    Align align = Align::left;
};

/// Width and height of text laid out at `width` (-1: no wrapping), in points.
std::pair<double, double> measure_text(cairo_t* cr, std::string_view text, const TextStyle& style,
                                       double width = -1);
/// Draws text with its top-left at (x, y) (or centred/right in `width`); returns the height.
double draw_text(cairo_t* cr, double x, double y, std::string_view text, const TextStyle& style,
                 double width = -1);

/// A column of a table: title, relative width, alignment.
struct TableColumn {
    std::string title;
    double weight = 1.0;
    Align align = Align::left;
};

/// A row of a table.
struct TableRow {
    std::vector<std::string> cells;
    bool bold = false;
    bool shaded = false;
    bool alert = false; ///< a safety finding: red text on a light red band
};

/// A table that flows across pages (the header repeats).
struct Table {
    std::vector<TableColumn> columns;
    std::vector<TableRow> rows;
    double font_pt = 9.0;
    bool header = true;
};

/// Metadata of a PDF.
struct DocumentInfo {
    std::string title;
    std::string subject;
    std::string running_head;       ///< small text at the top of every page
    std::string footer;             ///< small text at the bottom left of every page
    std::string create_date;        ///< PDF date "YYYY-MM-DDThh:mm:ss+09:00" (byte-stable output)
    std::string author;             ///< PDF author (empty: none)
    std::string language = "ja-JP"; ///< the document's language, /Lang of the catalog (BCP 47)
};

/// A flowing A4 PDF written to `path` (normally an AtomicPath's temp) with `mode`.
/// The file is created with that mode from the start (no moment where a personal file is
/// world-readable). Text flows top to bottom; a block that does not fit starts a new page.
class PdfDocument {
public:
    PdfDocument(const std::filesystem::path& path, FileMode mode, DocumentInfo info);
    ~PdfDocument();
    PdfDocument(const PdfDocument&) = delete;
    PdfDocument& operator=(const PdfDocument&) = delete;

    /// Called after each finished page with its 1-based number (progress; tests inject
    /// failures here).
    std::function<void(int)> on_page_done;

    void title_block(std::string_view title, std::string_view subtitle);
    void heading(std::string_view text); ///< numbered section band
    void subheading(std::string_view text);
    void paragraph(std::string_view text, const TextStyle& style = {});
    void note(std::string_view text); ///< small grey text
    void table(const Table& table);
    /// A 2-column label/value table.
    void key_values(const std::vector<std::pair<std::string, std::string>>& rows,
                    double label_weight = 0.3);
    /// Reserves `height` points (new page if needed) and lets `draw` paint inside.
    void drawing(double height, const std::function<void(cairo_t*, const Rect&)>& draw);
    void space(double points);
    /// Starts a new page unless at least `points` remain.
    void keep(double points);
    void page_break();
    /// Finishes the PDF and closes the file; throws IoError if anything failed.
    void finish();

    double content_width() const { return m_right - m_left; }
    cairo_t* cairo() const { return m_cr; }

private:
    void start_page();
    void end_page();
    double remaining() const { return m_bottom - m_y; }

    std::filesystem::path m_path;
    DocumentInfo m_info;
    int m_fd = -1;
    bool m_write_failed = false;
    cairo_surface_t* m_surface = nullptr;
    cairo_t* m_cr = nullptr;
    int m_page = 0;
    bool m_page_open = false;
    double m_left = 56.7, m_right = kA4Width - 56.7, m_top = 62.0, m_bottom = kA4Height - 62.0;
    double m_y = 0;
    bool m_finished = false;
    std::string m_bytes; ///< everything written so far (to add /Lang after cairo is done)
    friend cairo_status_t pdf_write(void*, const unsigned char*, unsigned int);
};

// ---------------------------------------------------------------------------------------
// Charts

/// One bar: a value drawn to scale, or a suppressed value drawn as a hatched stub with its
/// label ("<3" / "x").
struct Bar {
    std::string label; ///< category under the bar
    double value = 0.0;
    bool suppressed = false;
    std::string text; ///< printed above the bar
    Colour colour{0.25, 0.45, 0.7};
};

/// A bar chart with title and axis label inside `area`.
void draw_bar_chart(cairo_t* cr, const Rect& area, std::string_view title,
                    const std::vector<Bar>& bars, std::string_view y_label);

/// The placeholder for a chart that needs a simulation: a grey frame saying "not simulated".
void draw_not_simulated(cairo_t* cr, const Rect& area, std::string_view title);

/// Empirical distribution (CDF) of values in minutes with p5/p50/p95 marked.
void draw_cdf(cairo_t* cr, const Rect& area, std::string_view title, std::vector<double> values_min,
              std::string_view x_label);

// ---------------------------------------------------------------------------------------
// Maps

/// A line drawn on a map.
struct MapLine {
    std::vector<geo::LonLat> points;
    Colour colour{0.85, 0.3, 0.1};
    double width_pt = 2.5;
    bool dashed = false;
    bool casing = true; ///< a white edge under the line (off to let a wider line show beneath)
};

/// A point drawn on a map.
struct MapMarker {
    geo::LonLat at;
    std::string label;
    Colour colour{0.1, 0.4, 0.8};
    enum class Shape : unsigned char { circle, square, house, cross } shape = Shape::circle;
    double size_pt = 7.0;
};

/// A shaded grid cell with a printed count (aggregated homes).
struct MapCell {
    geo::LonLat south_west;
    geo::LonLat north_east;
    std::string text;   ///< "5", "<3"
    double shade = 0.5; ///< 0..1 fill strength
};

/// A simple map without tiles: equal-scale local projection fitted to the content, a light
/// grid, cells, lines and markers, a scale bar and a north arrow. `legend` rows are drawn
/// in the lower right.
void draw_map(cairo_t* cr, const Rect& area, const std::vector<MapCell>& cells,
              const std::vector<MapLine>& lines, const std::vector<MapMarker>& markers,
              const std::vector<std::pair<Colour, std::string>>& legend);

/// A scale bar of a round length (lower left of `frame`) and a north arrow (upper right), for
/// a north-up map at `points_per_metre`.
void draw_scale_and_north(cairo_t* cr, const Rect& frame, double points_per_metre);

/// Renders a drawing to an SVG string (for the HTML report).
std::string render_svg(double width, double height,
                       const std::function<void(cairo_t*, const Rect&)>& draw);

/// Escapes text for HTML.
std::string html_escape(std::string_view text);

} // namespace sonae::report::detail
