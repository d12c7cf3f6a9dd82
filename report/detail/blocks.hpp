#pragma once
/// A report as a list of blocks, rendered once to PDF and once to HTML so both say the same.

#include "report/detail/drawing.hpp"

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace sonae::report::detail {

/// One block of a report.
struct Block {
    enum class Kind : unsigned char {
        title,
        heading,
        subheading,
        paragraph,
        note,
        table,
        key_values,
        drawing,
        page_break
    };
    Kind kind = Kind::paragraph;
    std::string text;     ///< title, heading or paragraph text
    std::string subtitle; ///< title only
    Table table;
    std::vector<std::pair<std::string, std::string>> key_values;
    double height = 0; ///< drawing height in points
    std::function<void(cairo_t*, const Rect&)> draw;
    bool emphasis = false; ///< paragraph in bold
};

/// Appends blocks with short calls.
class Blocks {
public:
    void title(std::string text, std::string subtitle) {
        push(
            {.kind = Block::Kind::title, .text = std::move(text), .subtitle = std::move(subtitle)});
    }
    void heading(std::string text) {
        push({.kind = Block::Kind::heading, .text = std::move(text)});
    }
    void subheading(std::string text) {
        push({.kind = Block::Kind::subheading, .text = std::move(text)});
    }
    void paragraph(std::string text, bool emphasis = false) {
        push({.kind = Block::Kind::paragraph, .text = std::move(text), .emphasis = emphasis});
    }
    void note(std::string text) { push({.kind = Block::Kind::note, .text = std::move(text)}); }
    void table(Table t) { push({.kind = Block::Kind::table, .table = std::move(t)}); }
    void key_values(std::vector<std::pair<std::string, std::string>> kv) {
        push({.kind = Block::Kind::key_values, .key_values = std::move(kv)});
    }
    void drawing(double height, std::function<void(cairo_t*, const Rect&)> draw) {
        push({.kind = Block::Kind::drawing, .height = height, .draw = std::move(draw)});
    }
    void page_break() { push({.kind = Block::Kind::page_break}); }
    const std::vector<Block>& blocks() const { return m_blocks; }

private:
    void push(Block b) { m_blocks.push_back(std::move(b)); }
    std::vector<Block> m_blocks;
};

/// Renders blocks into a PDF document (not finished).
void render_pdf(const std::vector<Block>& blocks, PdfDocument& doc);
/// Renders blocks as a self-contained HTML page (charts and maps as inline SVG).
std::string render_html(const std::vector<Block>& blocks, const std::string& page_title,
                        const std::string& footer);

} // namespace sonae::report::detail
