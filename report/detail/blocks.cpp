#include "report/detail/blocks.hpp"

namespace sonae::report::detail {

void render_pdf(const std::vector<Block>& blocks, PdfDocument& doc) {
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        const auto& b = blocks[i];
        if (b.kind == Block::Kind::heading || b.kind == Block::Kind::subheading) {
            // Keep a heading with the start of what follows (a chart or map whole).
            double need = 40;
            for (std::size_t k = i + 1; k < blocks.size() && k <= i + 2; ++k) {
                const auto& n = blocks[k];
                if (n.kind == Block::Kind::drawing) {
                    need += n.height + 10;
                    break;
                }
                if (n.kind == Block::Kind::table || n.kind == Block::Kind::key_values) {
                    need += 80;
                    break;
                }
                if (n.kind == Block::Kind::subheading) {
                    need += 30;
                    continue;
                }
                need += 30;
                break;
            }
            doc.keep(need);
        }
        switch (b.kind) {
        case Block::Kind::title: doc.title_block(b.text, b.subtitle); break;
        case Block::Kind::heading: doc.heading(b.text); break;
        case Block::Kind::subheading: doc.subheading(b.text); break;
        case Block::Kind::paragraph:
            doc.paragraph(b.text, {.size_pt = 10, .bold = b.emphasis});
            break;
        case Block::Kind::note: doc.note(b.text); break;
        case Block::Kind::table: doc.table(b.table); break;
        case Block::Kind::key_values: doc.key_values(b.key_values, 0.32); break;
        case Block::Kind::drawing: doc.drawing(b.height, b.draw); break;
        case Block::Kind::page_break: doc.page_break(); break;
        }
    }
}

namespace {
// cairo names SVG glyphs and clips "glyph0-1", "clip1"...; several inline SVGs on one page
// would share those ids and draw each other's glyphs, so every id gets a per-figure prefix.
std::string prefix_ids(std::string svg, int figure) {
    const std::string prefix = "f" + std::to_string(figure) + "-";
    auto replace_all = [&](const std::string& from, const std::string& to) {
        for (std::size_t at = svg.find(from); at != std::string::npos;
             at = svg.find(from, at + to.size())) {
            svg.replace(at, from.size(), to);
        }
    };
    replace_all("id=\"", "id=\"" + prefix);
    replace_all("href=\"#", "href=\"#" + prefix);
    replace_all("url(#", "url(#" + prefix);
    return svg;
}

std::string with_breaks(const std::string& text) {
    std::string out;
    for (char c : html_escape(text)) {
        if (c == '\n')
            out += "<br>";
        else
            out += c;
    }
    return out;
}
} // namespace

std::string render_html(const std::vector<Block>& blocks, const std::string& page_title,
                        const std::string& footer) {
    std::string h;
    h += "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n";
    h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    h += "<title>" + html_escape(page_title) + "</title>\n<style>\n";
    h += "body{font-family:'Noto Sans CJK JP','Hiragino Sans','Yu "
         "Gothic',sans-serif;max-width:60em;margin:2em auto;"
         "padding:0 1.5em;color:#1a1a1a;line-height:1.6}\n"
         "h1{border-left:8px solid #29548c;padding-left:.5em;color:#1a3359}\n"
         "h2{background:#29548c;color:#fff;padding:.3em .6em;font-size:1.2em;margin-top:2em}\n"
         "h3{color:#1a3359;border-bottom:1px solid #29548c}\n"
         "table{border-collapse:collapse;margin:.5em 0 1.2em;font-size:.9em;width:100%}\n"
         "th,td{border:1px solid #999;padding:.25em .5em}th{background:#dbe5f1}\n"
         "td.r{text-align:right}td.c{text-align:center}tr.b td{font-weight:bold}tr.s "
         "td{background:#f2f2f2}\n"
         "tr.a td{background:#ffe6e6;color:#bf0000;font-weight:bold}\n"
         "p.note{font-size:.8em;color:#555}.sub{color:#444}\nsvg{max-width:100%;height:auto}\n"
         "footer{margin-top:3em;font-size:.8em;color:#555;border-top:1px solid "
         "#ccc;padding-top:.5em}\n";
    h += "</style>\n</head>\n<body>\n";
    int figure = 0;
    for (const auto& b : blocks) {
        switch (b.kind) {
        case Block::Kind::title:
            h += "<h1>" + html_escape(b.text) + "</h1>\n<p class=\"sub\">" +
                 with_breaks(b.subtitle) + "</p>\n";
            break;
        case Block::Kind::heading: h += "<h2>" + html_escape(b.text) + "</h2>\n"; break;
        case Block::Kind::subheading: h += "<h3>" + html_escape(b.text) + "</h3>\n"; break;
        case Block::Kind::paragraph:
            h += b.emphasis ? "<p><strong>" + with_breaks(b.text) + "</strong></p>\n"
                            : "<p>" + with_breaks(b.text) + "</p>\n";
            break;
        case Block::Kind::note: h += "<p class=\"note\">" + with_breaks(b.text) + "</p>\n"; break;
        case Block::Kind::table: {
            h += "<table>\n";
            if (b.table.header) {
                h += "<thead><tr>";
                for (const auto& c : b.table.columns) h += "<th>" + with_breaks(c.title) + "</th>";
                h += "</tr></thead>\n";
            }
            h += "<tbody>\n";
            for (const auto& row : b.table.rows) {
                h += row.alert  ? "<tr class=\"a\">"
                     : row.bold ? "<tr class=\"b\">"
                                : (row.shaded ? "<tr class=\"s\">" : "<tr>");
                for (std::size_t i = 0; i < row.cells.size(); ++i) {
                    const auto align =
                        i < b.table.columns.size() ? b.table.columns[i].align : Align::left;
                    h += align == Align::right
                             ? "<td class=\"r\">"
                             : (align == Align::centre ? "<td class=\"c\">" : "<td>");
                    h += with_breaks(row.cells[i]) + "</td>";
                }
                h += "</tr>\n";
            }
            h += "</tbody></table>\n";
            break;
        }
        case Block::Kind::key_values:
            h += "<table>\n";
            for (const auto& [k, v] : b.key_values)
                h += "<tr><th>" + html_escape(k) + "</th><td>" + with_breaks(v) + "</td></tr>\n";
            h += "</table>\n";
            break;
        case Block::Kind::drawing:
            h += "<figure>" +
                 prefix_ids(render_svg(kA4Width - 2 * 56.7, b.height, b.draw), ++figure) +
                 "</figure>\n";
            break;
        case Block::Kind::page_break: break;
        }
    }
    h += "<footer>" + html_escape(footer) + "</footer>\n</body>\n</html>\n";
    return h;
}

} // namespace sonae::report::detail
