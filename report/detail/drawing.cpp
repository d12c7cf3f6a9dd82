#include "report/detail/drawing.hpp"

#include "core/errno_text.hpp"
#include "core/error.hpp"
#include "core/stats.hpp"
#include "report/detail/fonts.hpp"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <unistd.h>

namespace sonae::report::detail {

namespace {

struct LayoutDeleter {
    void operator()(PangoLayout* layout) const { g_object_unref(layout); }
};
using LayoutPtr = std::unique_ptr<PangoLayout, LayoutDeleter>;

LayoutPtr make_layout(cairo_t* cr, std::string_view text, const TextStyle& style, double width) {
    LayoutPtr layout;
    if (PangoFontMap* map = document_font_map()) {
        // The fonts without subroutines (report/detail/fonts.hpp): same look, small PDFs.
        PangoContext* own = pango_font_map_create_context(map);
        pango_cairo_update_context(cr, own);
        layout.reset(pango_layout_new(own));
        g_object_unref(own);
    } else {
        layout.reset(pango_cairo_create_layout(cr));
    }
    PangoContext* context = pango_layout_get_context(layout.get());
    // One PDF point per font point; metrics unhinted so layout does not depend on the device.
    pango_cairo_context_set_resolution(context, 72.0);
    cairo_font_options_t* options = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(context, options);
    cairo_font_options_destroy(options);
    pango_layout_context_changed(layout.get());

    PangoFontDescription* font = pango_font_description_new();
    pango_font_description_set_family(font, std::string(kFontFamily).c_str());
    pango_font_description_set_size(font, static_cast<gint>(style.size_pt * PANGO_SCALE));
    pango_font_description_set_weight(font, style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(layout.get(), font);
    pango_font_description_free(font);
    if (width > 0) {
        pango_layout_set_width(layout.get(), static_cast<int>(width * PANGO_SCALE));
        pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
        switch (style.align) {
        case Align::left: pango_layout_set_alignment(layout.get(), PANGO_ALIGN_LEFT); break;
        case Align::centre: pango_layout_set_alignment(layout.get(), PANGO_ALIGN_CENTER); break;
        case Align::right: pango_layout_set_alignment(layout.get(), PANGO_ALIGN_RIGHT); break;
        }
    }
    pango_layout_set_text(layout.get(), text.data(), static_cast<int>(text.size()));
    return layout;
}

void set_colour(cairo_t* cr, const Colour& c) {
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

/// The incremental update that rewrites the catalog of `pdf` (as cairo wrote it: one xref
/// table, one trailer) with /Lang `language` and /ViewerPreferences << /DisplayDocTitle true >>;
/// empty if the catalog or trailer cannot be found (the PDF is then left as it is).
std::string language_update(const std::string& pdf, const std::string& language) {
    if (language.empty()) return {};
    const auto type = pdf.find("/Type /Catalog");
    const auto trailer = pdf.rfind("trailer");
    const auto startxref = pdf.rfind("startxref");
    if (type == std::string::npos || trailer == std::string::npos || startxref == std::string::npos)
        return {};
    const auto obj = pdf.rfind(" 0 obj", type);
    if (obj == std::string::npos) return {};
    auto num_begin = pdf.find_last_not_of("0123456789", obj - 1);
    num_begin = num_begin == std::string::npos ? 0 : num_begin + 1;
    const std::string number = pdf.substr(num_begin, obj - num_begin);
    const auto open = pdf.find("<<", obj);
    const auto end = pdf.find("endobj", type);
    const auto close = end == std::string::npos ? std::string::npos : pdf.rfind(">>", end);
    if (number.empty() || open == std::string::npos || close == std::string::npos || close < open)
        return {};
    const std::string dict = pdf.substr(open + 2, close - open - 2);
    const auto t_open = pdf.find("<<", trailer);
    const auto t_close = pdf.rfind(">>", startxref);
    if (t_open == std::string::npos || t_close == std::string::npos || t_close < t_open) return {};
    std::string trailer_dict = pdf.substr(t_open + 2, t_close - t_open - 2);
    const std::string prev =
        pdf.substr(startxref + 9, pdf.find_first_of("%", startxref) - startxref - 9);
    std::string out = "\n";
    const std::size_t object_at = pdf.size() + out.size();
    out += number + " 0 obj\n<<" + dict + "   /Lang (" + language +
           ")\n   /ViewerPreferences << /DisplayDocTitle true >>\n>>\nendobj\n";
    const std::size_t xref_at = pdf.size() + out.size();
    char entry[32];
    std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", object_at);
    out += "xref\n0 1\n0000000000 65535 f \n" + number + " 1\n" + entry;
    std::string prev_trim;
    for (char c : prev)
        if (c >= '0' && c <= '9') prev_trim += c;
    out += "trailer\n<<" + trailer_dict + "   /Prev " + prev_trim + "\n>>\nstartxref\n" +
           std::to_string(xref_at) + "\n%%EOF\n";
    return out;
}

void hatch(cairo_t* cr, const Rect& r, const Colour& c) {
    cairo_save(cr);
    cairo_rectangle(cr, r.x, r.y, r.w, r.h);
    cairo_clip(cr);
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
    cairo_set_line_width(cr, 0.8);
    for (double d = -r.h; d < r.w + r.h; d += 4.0) {
        cairo_move_to(cr, r.x + d, r.y + r.h);
        cairo_line_to(cr, r.x + d + r.h, r.y);
    }
    cairo_stroke(cr);
    cairo_restore(cr);
}

} // namespace

std::pair<double, double> measure_text(cairo_t* cr, std::string_view text, const TextStyle& style,
                                       double width) {
    auto layout = make_layout(cr, text, style, width);
    PangoRectangle logical;
    pango_layout_get_extents(layout.get(), nullptr, &logical);
    return {static_cast<double>(logical.width) / PANGO_SCALE,
            static_cast<double>(logical.height) / PANGO_SCALE};
}

double draw_text(cairo_t* cr, double x, double y, std::string_view text, const TextStyle& style,
                 double width) {
    auto layout = make_layout(cr, text, style, width);
    PangoRectangle logical;
    pango_layout_get_extents(layout.get(), nullptr, &logical);
    cairo_save(cr);
    set_colour(cr, style.colour);
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, layout.get());
    cairo_restore(cr);
    return static_cast<double>(logical.height) / PANGO_SCALE;
}

// ---------------------------------------------------------------------------------------

cairo_status_t pdf_write(void* closure, const unsigned char* data, unsigned int length) {
    auto* doc = static_cast<PdfDocument*>(closure);
    doc->m_bytes.append(reinterpret_cast<const char*>(data), length);
    while (length > 0) {
        const auto n = ::write(doc->m_fd, data, length);
        if (n < 0) {
            if (errno == EINTR) continue;
            doc->m_write_failed = true;
            return CAIRO_STATUS_WRITE_ERROR;
        }
        data += n;
        length -= static_cast<unsigned int>(n);
    }
    return CAIRO_STATUS_SUCCESS;
}

PdfDocument::PdfDocument(const std::filesystem::path& path, FileMode mode, DocumentInfo info)
    : m_path(path), m_info(std::move(info)) {
    m_fd =
        ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, static_cast<mode_t>(mode));
    if (m_fd < 0) {
        throw IoError("cannot create the PDF file: " + errno_text(), {.file = path.string()});
    }
    m_surface = cairo_pdf_surface_create_for_stream(pdf_write, this, kA4Width, kA4Height);
    cairo_pdf_surface_set_metadata(m_surface, CAIRO_PDF_METADATA_TITLE, m_info.title.c_str());
    cairo_pdf_surface_set_metadata(m_surface, CAIRO_PDF_METADATA_SUBJECT, m_info.subject.c_str());
    cairo_pdf_surface_set_metadata(m_surface, CAIRO_PDF_METADATA_CREATOR, "sonae");
    if (!m_info.author.empty())
        cairo_pdf_surface_set_metadata(m_surface, CAIRO_PDF_METADATA_AUTHOR, m_info.author.c_str());
    if (!m_info.create_date.empty()) {
        cairo_pdf_surface_set_metadata(m_surface, CAIRO_PDF_METADATA_CREATE_DATE,
                                       m_info.create_date.c_str());
    }
    m_cr = cairo_create(m_surface);
    start_page();
}

PdfDocument::~PdfDocument() {
    if (m_cr != nullptr) cairo_destroy(m_cr);
    if (m_surface != nullptr) {
        if (!m_finished) cairo_surface_finish(m_surface);
        cairo_surface_destroy(m_surface);
    }
    if (m_fd >= 0) ::close(m_fd);
}

void PdfDocument::start_page() {
    ++m_page;
    m_page_open = true;
    m_y = m_top;
    if (!m_info.running_head.empty()) {
        draw_text(m_cr, m_left, 30, m_info.running_head,
                  {.size_pt = 7.5, .colour = {0.45, 0.45, 0.45}});
        cairo_set_source_rgb(m_cr, 0.75, 0.75, 0.75);
        cairo_set_line_width(m_cr, 0.5);
        cairo_move_to(m_cr, m_left, 44);
        cairo_line_to(m_cr, m_right, 44);
        cairo_stroke(m_cr);
    }
}

void PdfDocument::end_page() {
    const double fy = kA4Height - 42;
    cairo_set_source_rgb(m_cr, 0.75, 0.75, 0.75);
    cairo_set_line_width(m_cr, 0.5);
    cairo_move_to(m_cr, m_left, fy - 6);
    cairo_line_to(m_cr, m_right, fy - 6);
    cairo_stroke(m_cr);
    draw_text(m_cr, m_left, fy, m_info.footer, {.size_pt = 7.5, .colour = {0.35, 0.35, 0.35}},
              content_width() * 0.8);
    draw_text(m_cr, m_left, fy, std::to_string(m_page) + " ページ",
              {.size_pt = 7.5, .colour = {0.35, 0.35, 0.35}, .align = Align::right},
              content_width());
    cairo_show_page(m_cr);
    m_page_open = false;
    if (on_page_done) on_page_done(m_page);
}

void PdfDocument::page_break() {
    end_page();
    start_page();
}

void PdfDocument::keep(double points) {
    if (remaining() < points && m_y > m_top + 1) page_break();
}

void PdfDocument::space(double points) {
    m_y += points;
    if (m_y > m_bottom) page_break();
}

void PdfDocument::title_block(std::string_view title, std::string_view subtitle) {
    const double h1 =
        measure_text(m_cr, title, {.size_pt = 22, .bold = true}, content_width()).second;
    cairo_set_source_rgb(m_cr, 0.16, 0.33, 0.55);
    cairo_rectangle(m_cr, m_left, m_y, 6, h1 + 4);
    cairo_fill(m_cr);
    m_y +=
        draw_text(m_cr, m_left + 14, m_y, title,
                  {.size_pt = 22, .bold = true, .colour = {0.1, 0.2, 0.35}}, content_width() - 14);
    m_y += 6;
    if (!subtitle.empty()) {
        m_y += draw_text(m_cr, m_left + 14, m_y, subtitle,
                         {.size_pt = 11, .colour = {0.3, 0.3, 0.3}}, content_width() - 14);
    }
    m_y += 14;
}

void PdfDocument::heading(std::string_view text) {
    const TextStyle style{.size_pt = 13.5, .bold = true, .colour = {1, 1, 1}};
    const double h = measure_text(m_cr, text, style, content_width() - 16).second + 8;
    keep(h + 60); // never leave a heading alone at the bottom of a page
    m_y += 4;
    cairo_set_source_rgb(m_cr, 0.16, 0.33, 0.55);
    cairo_rectangle(m_cr, m_left, m_y, content_width(), h);
    cairo_fill(m_cr);
    draw_text(m_cr, m_left + 8, m_y + 4, text, style, content_width() - 16);
    m_y += h + 8;
}

void PdfDocument::subheading(std::string_view text) {
    const TextStyle style{.size_pt = 11.5, .bold = true, .colour = {0.1, 0.2, 0.35}};
    const double h = measure_text(m_cr, text, style, content_width()).second;
    keep(h + 40);
    m_y += 2;
    m_y += draw_text(m_cr, m_left, m_y, text, style, content_width());
    cairo_set_source_rgb(m_cr, 0.16, 0.33, 0.55);
    cairo_set_line_width(m_cr, 0.8);
    cairo_move_to(m_cr, m_left, m_y + 1.5);
    cairo_line_to(m_cr, m_left + content_width(), m_y + 1.5);
    cairo_stroke(m_cr);
    m_y += 6;
}

void PdfDocument::paragraph(std::string_view text, const TextStyle& style) {
    const double h = measure_text(m_cr, text, style, content_width()).second;
    keep(std::min(h, 60.0));
    if (h > remaining() && text.find('\n') == std::string_view::npos) {
        // One line taller than what is left of the page (a long wrapped sentence): it starts
        // on the next page (splitting it again by lines would recurse without end).
        if (m_y > m_top + 1) page_break();
    } else if (h > remaining()) {
        // A long paragraph: split by lines so it flows onto the next page.
        std::string_view rest = text;
        while (!rest.empty()) {
            const auto nl = rest.find('\n');
            const auto line = rest.substr(0, nl);
            paragraph(line.empty() ? " " : line, style);
            if (nl == std::string_view::npos) break;
            rest = rest.substr(nl + 1);
        }
        return;
    }
    m_y += draw_text(m_cr, m_left, m_y, text, style, content_width());
    m_y += style.size_pt * 0.5;
}

void PdfDocument::note(std::string_view text) {
    paragraph(text, {.size_pt = 8, .colour = {0.38, 0.38, 0.38}});
}

void PdfDocument::table(const Table& table) {
    const double pad = 3.5;
    double total_weight = 0;
    for (const auto& c : table.columns) total_weight += c.weight;
    std::vector<double> widths;
    for (const auto& c : table.columns) widths.push_back(content_width() * c.weight / total_weight);

    auto row_height = [&](const std::vector<std::string>& cells, bool bold) {
        double h = 0;
        for (std::size_t i = 0; i < widths.size(); ++i) {
            const std::string_view text =
                i < cells.size() ? std::string_view(cells[i]) : std::string_view();
            h = std::max(h,
                         measure_text(m_cr, text.empty() ? " " : text,
                                      {.size_pt = table.font_pt, .bold = bold}, widths[i] - 2 * pad)
                             .second);
        }
        return h + 2 * pad;
    };
    auto draw_row = [&](const std::vector<std::string>& cells, bool bold, bool header, bool shaded,
                        double h, bool alert = false) {
        double x = m_left;
        for (std::size_t i = 0; i < widths.size(); ++i) {
            if (header)
                cairo_set_source_rgb(m_cr, 0.86, 0.9, 0.95);
            else if (alert)
                cairo_set_source_rgb(m_cr, 1.0, 0.9, 0.9);
            else if (shaded)
                cairo_set_source_rgb(m_cr, 0.95, 0.95, 0.95);
            else
                cairo_set_source_rgb(m_cr, 1, 1, 1);
            cairo_rectangle(m_cr, x, m_y, widths[i], h);
            cairo_fill_preserve(m_cr);
            cairo_set_source_rgb(m_cr, 0.6, 0.6, 0.6);
            cairo_set_line_width(m_cr, 0.5);
            cairo_stroke(m_cr);
            if (i < cells.size() && !cells[i].empty()) {
                TextStyle style{.size_pt = table.font_pt,
                                .bold = bold || header || alert,
                                .align = header ? Align::centre : table.columns[i].align};
                if (alert) style.colour = {0.75, 0.0, 0.0};
                draw_text(m_cr, x + pad, m_y + pad, cells[i], style, widths[i] - 2 * pad);
            }
            x += widths[i];
        }
        m_y += h;
    };

    std::vector<std::string> titles;
    for (const auto& c : table.columns) titles.push_back(c.title);
    const double header_h = table.header ? row_height(titles, true) : 0;
    const double first_h =
        table.rows.empty() ? 0 : row_height(table.rows.front().cells, table.rows.front().bold);
    keep(header_h + first_h + 4);
    if (table.header) draw_row(titles, true, true, false, header_h);
    for (const auto& row : table.rows) {
        const double h = row_height(row.cells, row.bold);
        if (h > remaining()) {
            page_break();
            if (table.header) draw_row(titles, true, true, false, header_h);
        }
        draw_row(row.cells, row.bold, false, row.shaded, h, row.alert);
    }
    m_y += 10;
}

void PdfDocument::key_values(const std::vector<std::pair<std::string, std::string>>& rows,
                             double label_weight) {
    const double pad = 3.5;
    const double lw = content_width() * label_weight;
    const double vw = content_width() - lw;
    for (const auto& [k, v] : rows) {
        const double h =
            std::max(
                measure_text(m_cr, k.empty() ? " " : k, {.size_pt = 9.5, .bold = true},
                             lw - 2 * pad)
                    .second,
                measure_text(m_cr, v.empty() ? " " : v, {.size_pt = 9.5}, vw - 2 * pad).second) +
            2 * pad;
        if (h > remaining()) page_break();
        cairo_set_source_rgb(m_cr, 0.93, 0.95, 0.97);
        cairo_rectangle(m_cr, m_left, m_y, lw, h);
        cairo_fill(m_cr);
        cairo_set_source_rgb(m_cr, 0.6, 0.6, 0.6);
        cairo_set_line_width(m_cr, 0.5);
        cairo_rectangle(m_cr, m_left, m_y, lw, h);
        cairo_rectangle(m_cr, m_left + lw, m_y, vw, h);
        cairo_stroke(m_cr);
        draw_text(m_cr, m_left + pad, m_y + pad, k, {.size_pt = 9.5, .bold = true}, lw - 2 * pad);
        draw_text(m_cr, m_left + lw + pad, m_y + pad, v, {.size_pt = 9.5}, vw - 2 * pad);
        m_y += h;
    }
    m_y += 10;
}

void PdfDocument::drawing(double height, const std::function<void(cairo_t*, const Rect&)>& draw) {
    keep(height + 4);
    const Rect area{m_left, m_y, content_width(), height};
    cairo_save(m_cr);
    draw(m_cr, area);
    cairo_restore(m_cr);
    m_y += height + 10;
}

void PdfDocument::finish() {
    if (m_page_open) end_page();
    cairo_destroy(m_cr);
    m_cr = nullptr;
    cairo_surface_finish(m_surface);
    const auto status = cairo_surface_status(m_surface);
    m_finished = true;
    if (status != CAIRO_STATUS_SUCCESS || m_write_failed) {
        throw IoError(std::string("cannot write the PDF: ") +
                          (m_write_failed ? errno_text() : cairo_status_to_string(status)),
                      {.file = m_path.string()});
    }
    // cairo 1.16 cannot set the catalog's /Lang: an incremental update (PDF 1.4, 7.5.6) adds
    // it, with DisplayDocTitle so viewers show the title rather than the file name.
    if (const auto update = language_update(m_bytes, m_info.language); !update.empty()) {
        pdf_write(this, reinterpret_cast<const unsigned char*>(update.data()),
                  static_cast<unsigned>(update.size()));
        if (m_write_failed)
            throw IoError("cannot write the PDF: " + errno_text(), {.file = m_path.string()});
    }
    // AtomicPath::commit syncs the file before the rename.
    if (::close(m_fd) != 0) {
        m_fd = -1;
        throw IoError("cannot write the PDF: " + errno_text(), {.file = m_path.string()});
    }
    m_fd = -1;
}

// ---------------------------------------------------------------------------------------
// Charts

void draw_bar_chart(cairo_t* cr, const Rect& area, std::string_view title,
                    const std::vector<Bar>& bars, std::string_view y_label) {
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, area.x, area.y, area.w, area.h);
    cairo_fill(cr);
    const double th = draw_text(cr, area.x, area.y, title, {.size_pt = 10, .bold = true}, area.w);
    const Rect plot{area.x + 36, area.y + th + 14, area.w - 46, area.h - th - 14 - 34};
    double max_v = 3;
    for (const auto& b : bars) max_v = std::max(max_v, b.suppressed ? 2.0 : b.value);
    // A round axis maximum.
    double step = 1;
    for (double s : {1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0}) {
        step = s;
        if (max_v / s <= 6) break;
    }
    const double top = std::ceil(max_v / step) * step;
    cairo_set_line_width(cr, 0.4);
    for (double v = 0; v <= top + 1e-9; v += step) {
        const double y = plot.y + plot.h - plot.h * v / top;
        cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
        cairo_move_to(cr, plot.x, y);
        cairo_line_to(cr, plot.x + plot.w, y);
        cairo_stroke(cr);
        char buf[32];
        std::snprintf(buf, sizeof buf, "%g", v);
        draw_text(cr, area.x, y - 5, buf,
                  {.size_pt = 7, .colour = {0.4, 0.4, 0.4}, .align = Align::right}, 30);
    }
    draw_text(cr, area.x, plot.y - 12, y_label, {.size_pt = 7, .colour = {0.4, 0.4, 0.4}}, 120);
    if (bars.empty()) return;
    const double slot = plot.w / static_cast<double>(bars.size());
    const double bw = std::min(slot * 0.7, 60.0);
    for (std::size_t i = 0; i < bars.size(); ++i) {
        const auto& b = bars[i];
        const double cx = plot.x + slot * (static_cast<double>(i) + 0.5);
        // A complementary cell ("x") can hold any value: no bar, so its height tells nothing.
        const bool unknown = b.suppressed && b.text == "x";
        const double v = unknown ? 0.0 : (b.suppressed ? 2.0 : b.value);
        const double h = plot.h * v / top;
        const Rect r{cx - bw / 2, plot.y + plot.h - h, bw, h};
        if (unknown) {
            // nothing drawn
        } else if (b.suppressed) {
            hatch(cr, r, {0.55, 0.55, 0.55});
            cairo_set_source_rgb(cr, 0.45, 0.45, 0.45);
            cairo_set_dash(cr, std::array<double, 2>{2, 2}.data(), 2, 0);
            cairo_rectangle(cr, r.x, r.y, r.w, r.h);
            cairo_stroke(cr);
            cairo_set_dash(cr, nullptr, 0, 0);
        } else if (h > 0) {
            set_colour(cr, b.colour);
            cairo_rectangle(cr, r.x, r.y, r.w, r.h);
            cairo_fill(cr);
        }
        draw_text(cr, cx - slot / 2, r.y - 12, b.text,
                  {.size_pt = 8, .bold = true, .align = Align::centre}, slot);
        draw_text(cr, cx - slot / 2, plot.y + plot.h + 3, b.label,
                  {.size_pt = 7.5, .colour = {0.2, 0.2, 0.2}, .align = Align::centre}, slot);
    }
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    cairo_set_line_width(cr, 0.8);
    cairo_move_to(cr, plot.x, plot.y + plot.h);
    cairo_line_to(cr, plot.x + plot.w, plot.y + plot.h);
    cairo_stroke(cr);
}

void draw_not_simulated(cairo_t* cr, const Rect& area, std::string_view title) {
    const double th = draw_text(cr, area.x, area.y, title, {.size_pt = 10, .bold = true}, area.w);
    const Rect box{area.x, area.y + th + 6, area.w, area.h - th - 6};
    cairo_set_source_rgb(cr, 0.96, 0.96, 0.96);
    cairo_rectangle(cr, box.x, box.y, box.w, box.h);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
    cairo_set_line_width(cr, 0.8);
    cairo_set_dash(cr, std::array<double, 2>{4, 3}.data(), 2, 0);
    cairo_stroke(cr);
    cairo_set_dash(cr, nullptr, 0, 0);
    draw_text(cr, box.x, box.y + box.h / 2 - 16, "未シミュレーション（not simulated）",
              {.size_pt = 11, .bold = true, .colour = {0.45, 0.45, 0.45}, .align = Align::centre},
              box.w);
    draw_text(cr, box.x, box.y + box.h / 2 + 4, "sonae simulate の結果を渡すと表示されます",
              {.size_pt = 8, .colour = {0.45, 0.45, 0.45}, .align = Align::centre}, box.w);
}

void draw_cdf(cairo_t* cr, const Rect& area, std::string_view title, std::vector<double> values,
              std::string_view x_label) {
    const double th = draw_text(cr, area.x, area.y, title, {.size_pt = 10, .bold = true}, area.w);
    const Rect plot{area.x + 36, area.y + th + 10, area.w - 46, area.h - th - 10 - 30};
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    cairo_set_line_width(cr, 0.8);
    cairo_rectangle(cr, plot.x, plot.y, plot.w, plot.h);
    cairo_stroke(cr);
    if (values.empty()) return;
    std::sort(values.begin(), values.end());
    const double lo = std::floor(values.front() / 10) * 10;
    double hi = std::ceil(values.back() / 10) * 10;
    if (hi <= lo) hi = lo + 10;
    auto px = [&](double v) { return plot.x + plot.w * (v - lo) / (hi - lo); };
    auto py = [&](double p) { return plot.y + plot.h * (1 - p); };
    for (double p : {0.0, 0.5, 1.0}) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%.0f%%", p * 100);
        draw_text(cr, area.x, py(p) - 5, buf,
                  {.size_pt = 7, .colour = {0.4, 0.4, 0.4}, .align = Align::right}, 32);
    }
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.0f", lo);
    draw_text(cr, plot.x - 20, plot.y + plot.h + 2, buf, {.size_pt = 7, .align = Align::centre},
              40);
    std::snprintf(buf, sizeof buf, "%.0f", hi);
    draw_text(cr, plot.x + plot.w - 20, plot.y + plot.h + 2, buf,
              {.size_pt = 7, .align = Align::centre}, 40);
    draw_text(cr, plot.x, plot.y + plot.h + 14, x_label, {.size_pt = 7.5, .align = Align::centre},
              plot.w);
    cairo_set_source_rgb(cr, 0.16, 0.33, 0.55);
    cairo_set_line_width(cr, 1.6);
    const double n = static_cast<double>(values.size());
    cairo_move_to(cr, px(values.front()), py(0));
    for (std::size_t i = 0; i < values.size(); ++i) {
        cairo_line_to(cr, px(values[i]), py(static_cast<double>(i) / n));
        cairo_line_to(cr, px(values[i]), py(static_cast<double>(i + 1) / n));
    }
    cairo_stroke(cr);
    // The marks are the quantiles the tables print (core/stats.hpp), not a nearest rank.
    for (auto [q, name] : {std::pair{0.05, "p5"}, std::pair{0.5, "p50"}, std::pair{0.95, "p95"}}) {
        const double v = core::quantile_sorted(values, q);
        cairo_set_source_rgb(cr, 0.8, 0.3, 0.1);
        cairo_set_line_width(cr, 0.7);
        cairo_set_dash(cr, std::array<double, 2>{3, 2}.data(), 2, 0);
        cairo_move_to(cr, px(v), plot.y);
        cairo_line_to(cr, px(v), plot.y + plot.h);
        cairo_stroke(cr);
        cairo_set_dash(cr, nullptr, 0, 0);
        std::snprintf(buf, sizeof buf, "%s %.0f", name, v);
        draw_text(cr, px(v) + 2, plot.y + 2 + (q < 0.1 ? 0 : (q < 0.9 ? 10 : 20)), buf,
                  {.size_pt = 7, .colour = {0.8, 0.3, 0.1}});
    }
}

// ---------------------------------------------------------------------------------------
// Maps

namespace {

struct Projection {
    double lon0 = 0, lat0 = 0, kx = 1, ky = 1; // metres per degree
    double scale = 1;                          // points per metre
    double ox = 0, oy = 0;                     // area origin (centre)
    double cx = 0, cy = 0;                     // centre in metres
    std::pair<double, double> metres(const geo::LonLat& p) const {
        return {(p.lon - lon0) * kx, (p.lat - lat0) * ky};
    }
    std::pair<double, double> operator()(const geo::LonLat& p) const {
        const auto [x, y] = metres(p);
        return {ox + (x - cx) * scale, oy - (y - cy) * scale};
    }
};

double nice_length(double metres) {
    const double p = std::pow(10.0, std::floor(std::log10(std::max(metres, 1.0))));
    for (double m : {5.0, 2.0, 1.0})
        if (m * p <= metres) return m * p;
    return p;
}

} // namespace

void draw_scale_and_north(cairo_t* cr, const Rect& frame, double points_per_metre) {
    const double bar_m = nice_length(frame.w * 0.22 / points_per_metre);
    const double bar_pt = bar_m * points_per_metre;
    const double bx = frame.x + 12, by = frame.y + frame.h - 14;
    cairo_set_source_rgba(cr, 1, 1, 1, 0.9);
    cairo_rectangle(cr, bx - 6, by - 15, bar_pt + 12, 24);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    cairo_rectangle(cr, bx, by, bar_pt / 2, 3);
    cairo_fill(cr);
    cairo_rectangle(cr, bx, by, bar_pt, 3);
    cairo_set_line_width(cr, 0.7);
    cairo_stroke(cr);
    const std::string bar_text = bar_m >= 1000
                                     ? (std::to_string(static_cast<int>(bar_m / 1000)) + " km")
                                     : (std::to_string(static_cast<int>(bar_m)) + " m");
    draw_text(cr, bx, by - 12, bar_text, {.size_pt = 7.5, .bold = true});
    const double nx = frame.x + frame.w - 18, ny = frame.y + 10;
    cairo_set_source_rgba(cr, 1, 1, 1, 0.9);
    cairo_rectangle(cr, nx - 11, ny - 2, 22, 36);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    cairo_move_to(cr, nx, ny + 12);
    cairo_line_to(cr, nx + 6, ny + 32);
    cairo_line_to(cr, nx, ny + 27);
    cairo_line_to(cr, nx - 6, ny + 32);
    cairo_close_path(cr);
    cairo_fill(cr);
    draw_text(cr, nx - 10, ny, "北", {.size_pt = 8, .bold = true, .align = Align::centre}, 20);
}

void draw_map(cairo_t* cr, const Rect& area, const std::vector<MapCell>& cells,
              const std::vector<MapLine>& lines, const std::vector<MapMarker>& markers,
              const std::vector<std::pair<Colour, std::string>>& legend) {
    std::vector<geo::LonLat> all;
    for (const auto& c : cells) {
        all.push_back(c.south_west);
        all.push_back(c.north_east);
    }
    for (const auto& l : lines) all.insert(all.end(), l.points.begin(), l.points.end());
    for (const auto& m : markers) all.push_back(m.at);

    cairo_save(cr);
    cairo_rectangle(cr, area.x, area.y, area.w, area.h);
    cairo_set_source_rgb(cr, 0.97, 0.97, 0.95);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
    cairo_set_line_width(cr, 0.8);
    cairo_stroke_preserve(cr);
    cairo_clip(cr);
    if (all.empty()) {
        draw_text(cr, area.x, area.y + area.h / 2 - 8, "地図に表示できる位置情報がありません",
                  {.size_pt = 10, .colour = {0.4, 0.4, 0.4}, .align = Align::centre}, area.w);
        cairo_restore(cr);
        return;
    }
    double min_lon = all[0].lon, max_lon = all[0].lon, min_lat = all[0].lat, max_lat = all[0].lat;
    for (const auto& p : all) {
        min_lon = std::min(min_lon, p.lon);
        max_lon = std::max(max_lon, p.lon);
        min_lat = std::min(min_lat, p.lat);
        max_lat = std::max(max_lat, p.lat);
    }
    Projection proj;
    proj.lon0 = (min_lon + max_lon) / 2;
    proj.lat0 = (min_lat + max_lat) / 2;
    proj.ky = 110574.0;
    proj.kx = 111320.0 * std::cos(proj.lat0 * M_PI / 180.0);
    const double w_m = std::max((max_lon - min_lon) * proj.kx, 200.0);
    const double h_m = std::max((max_lat - min_lat) * proj.ky, 200.0);
    const double margin = 46;
    proj.scale = std::min((area.w - 2 * margin) / w_m, (area.h - 2 * margin) / h_m);
    proj.ox = area.x + area.w / 2;
    proj.oy = area.y + area.h / 2;

    // Light grid every "nice" distance.
    const double grid_m = nice_length(std::max(w_m, h_m) / 4);
    cairo_set_source_rgb(cr, 0.88, 0.88, 0.86);
    cairo_set_line_width(cr, 0.4);
    const double half_w = area.w / 2 / proj.scale, half_h = area.h / 2 / proj.scale;
    for (double x = -std::ceil(half_w / grid_m) * grid_m; x <= half_w; x += grid_m) {
        cairo_move_to(cr, proj.ox + x * proj.scale, area.y);
        cairo_line_to(cr, proj.ox + x * proj.scale, area.y + area.h);
    }
    for (double y = -std::ceil(half_h / grid_m) * grid_m; y <= half_h; y += grid_m) {
        cairo_move_to(cr, area.x, proj.oy - y * proj.scale);
        cairo_line_to(cr, area.x + area.w, proj.oy - y * proj.scale);
    }
    cairo_stroke(cr);

    for (const auto& c : cells) {
        const auto [x0, y0] = proj(c.south_west);
        const auto [x1, y1] = proj(c.north_east);
        cairo_set_source_rgba(cr, 0.55, 0.2, 0.55, 0.15 + 0.45 * std::clamp(c.shade, 0.0, 1.0));
        cairo_rectangle(cr, x0, y1, x1 - x0, y0 - y1);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 0.45, 0.2, 0.45);
        cairo_set_line_width(cr, 0.5);
        cairo_stroke(cr);
        draw_text(cr, x0, (y0 + y1) / 2 - 5, c.text,
                  {.size_pt = 7.5, .bold = true, .align = Align::centre}, x1 - x0);
    }
    for (const auto& l : lines) {
        if (l.points.size() < 2) continue;
        // A white casing under the line keeps it readable on any background.
        for (int pass = l.casing ? 0 : 1; pass < 2; ++pass) {
            if (pass == 0) {
                cairo_set_source_rgb(cr, 1, 1, 1);
                cairo_set_line_width(cr, l.width_pt + 2);
            } else {
                set_colour(cr, l.colour);
                cairo_set_line_width(cr, l.width_pt);
                if (l.dashed) cairo_set_dash(cr, std::array<double, 2>{5, 3}.data(), 2, 0);
            }
            cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
            cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
            bool first = true;
            for (const auto& p : l.points) {
                const auto [x, y] = proj(p);
                if (first)
                    cairo_move_to(cr, x, y);
                else
                    cairo_line_to(cr, x, y);
                first = false;
            }
            cairo_stroke(cr);
            cairo_set_dash(cr, nullptr, 0, 0);
        }
    }
    for (const auto& m : markers) {
        const auto [x, y] = proj(m.at);
        const double s = m.size_pt;
        cairo_new_path(cr);
        switch (m.shape) {
        case MapMarker::Shape::circle: cairo_arc(cr, x, y, s, 0, 2 * M_PI); break;
        case MapMarker::Shape::square: cairo_rectangle(cr, x - s, y - s, 2 * s, 2 * s); break;
        case MapMarker::Shape::house:
            cairo_move_to(cr, x, y - s * 1.3);
            cairo_line_to(cr, x + s, y - s * 0.2);
            cairo_line_to(cr, x + s, y + s);
            cairo_line_to(cr, x - s, y + s);
            cairo_line_to(cr, x - s, y - s * 0.2);
            cairo_close_path(cr);
            break;
        case MapMarker::Shape::cross:
            cairo_rectangle(cr, x - s, y - s * 0.35, 2 * s, s * 0.7);
            cairo_rectangle(cr, x - s * 0.35, y - s, s * 0.7, 2 * s);
            break;
        }
        set_colour(cr, m.colour);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_set_line_width(cr, 1.2);
        cairo_stroke(cr);
    }
    // Labels after every marker (none hidden under a later marker), placed apart.
    const TextStyle label_style{.size_pt = 8, .bold = true, .colour = {0.1, 0.1, 0.1}};
    std::vector<Rect> boxes;
    std::vector<std::pair<double, double>> sizes;
    for (const auto& m : markers) {
        const auto [x, y] = proj(m.at);
        const double s = m.size_pt * 1.3; // the house's roof reaches 1.3 sizes up
        boxes.push_back({x - s, y - s, 2 * s, 2 * s});
        if (m.label.empty()) {
            sizes.emplace_back(0.0, 0.0);
        } else {
            const auto [tw, th] = measure_text(cr, m.label, label_style);
            sizes.emplace_back(tw + 3, th + 2); // with the white background's margin
        }
    }
    const auto placed = place_labels(boxes, sizes, area);
    for (std::size_t k = 0; k < markers.size(); ++k) {
        if (markers[k].label.empty()) continue;
        const auto& b = placed[k].box;
        if (placed[k].leader) {
            const auto [x, y] = proj(markers[k].at);
            const bool to_right = b.x > x;
            const double edge = boxes[k].w / 2;
            cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
            cairo_set_line_width(cr, 0.6);
            cairo_move_to(cr, to_right ? x + edge : x - edge, y);
            const double lx = to_right ? b.x : b.x + b.w;
            cairo_line_to(cr, lx, b.y + b.h / 2);
            cairo_stroke(cr);
        }
        cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
        cairo_rectangle(cr, b.x, b.y, b.w, b.h);
        cairo_fill(cr);
        draw_text(cr, b.x + 1.5, b.y + 1, markers[k].label, label_style);
    }

    draw_scale_and_north(cr, area, proj.scale);

    // Legend (lower right).
    if (!legend.empty()) {
        double lw = 0;
        for (const auto& [c, text] : legend)
            lw = std::max(lw, measure_text(cr, text, {.size_pt = 7.5}).first);
        const double row = 12;
        const double lh = row * static_cast<double>(legend.size()) + 6;
        const double lx = area.x + 10, ly = area.y + 8;
        cairo_set_source_rgba(cr, 1, 1, 1, 0.9);
        cairo_rectangle(cr, lx - 4, ly - 2, lw + 30, lh);
        cairo_fill(cr);
        for (std::size_t i = 0; i < legend.size(); ++i) {
            set_colour(cr, legend[i].first);
            cairo_rectangle(cr, lx, ly + 3 + row * static_cast<double>(i), 14, 6);
            cairo_fill(cr);
            draw_text(cr, lx + 18, ly + row * static_cast<double>(i), legend[i].second,
                      {.size_pt = 7.5});
        }
    }
    cairo_restore(cr);
}

namespace {
cairo_status_t string_write(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}
} // namespace

std::string render_svg(double width, double height,
                       const std::function<void(cairo_t*, const Rect&)>& draw) {
    std::string out;
    cairo_surface_t* surface =
        cairo_svg_surface_create_for_stream(string_write, &out, width, height);
    cairo_t* cr = cairo_create(surface);
    draw(cr, {0, 0, width, height});
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    const auto status = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    if (status != CAIRO_STATUS_SUCCESS) {
        throw InternalError(std::string("cannot draw a chart: ") + cairo_status_to_string(status));
    }
    // Drop the XML declaration so the SVG can sit inline in HTML.
    if (out.rfind("<?xml", 0) == 0) out.erase(0, out.find("?>") + 2);
    return out;
}

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

} // namespace sonae::report::detail
