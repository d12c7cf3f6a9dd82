#include "planner/geocoder.hpp"

#include "core/error.hpp"
#include "planner/detail/registry_text.hpp"
#include "planner/registry.hpp"

#include <algorithm>
#include <charconv>
#include <utility>

namespace sonae::planner {

namespace detail {
extern const std::string_view kTownPointsTsv;
} // namespace detail

namespace {

/// The code point at `i` of UTF-8 text and its byte length (a lone byte for invalid input).
std::pair<char32_t, std::size_t> code_point_at(std::string_view s, std::size_t i) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80             ? 1
                          : (c & 0xE0) == 0xC0 ? 2
                          : (c & 0xF0) == 0xE0 ? 3
                          : (c & 0xF8) == 0xF0 ? 4
                                               : 1;
    if (n == 1 || i + n > s.size()) return {c, 1};
    char32_t cp = n == 2 ? (c & 0x1Fu) : n == 3 ? (c & 0x0Fu) : (c & 0x07u);
    for (std::size_t k = 1; k < n; ++k)
        cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
    return {cp, n};
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

/// Marks people type for a hyphen between house numbers (NORMALISATION_NOTES: dash unification).
bool is_dash_like(char32_t cp) {
    switch (cp) {
    case U'-':
    case U'\u2010':
    case U'\u2011':
    case U'\u2012':
    case U'\u2013':
    case U'\u2014':
    case U'\u2015':
    case U'\u2212':
    case U'\u30FC':
    case U'\uFF70':
    case U'\uFE63':
    case U'\u2043':
    case U'\u2500':
    case U'\u2501': return true;
    default: return false;
    }
}

void replace_all(std::string& s, std::string_view from, std::string_view to) {
    for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size())
        s.replace(pos, from.size(), to);
}

/// 大字 may be left out anywhere (菊川町大字樅ノ木), 字 only as a prefix (大字和字 keeps its 字).
std::string without_oaza(std::string s) {
    replace_all(s, "大字", "");
    if (s.starts_with("字")) s.erase(0, std::string_view("字").size());
    return s;
}

GeocodePrecision precision_of(const std::string& town, const std::string& koaza) {
    if (!koaza.empty()) return GeocodePrecision::koaza;
    if (town.find("丁目") != std::string::npos) return GeocodePrecision::chome;
    if (town.find("大字") != std::string::npos) return GeocodePrecision::oaza;
    // An urban 町 or 通り without 丁目 (中央町, 東海岸通り) is as small as a 丁目; a bare name
    // (山口市 阿知須, 長門市 仙崎) is a 大字 written without the prefix.
    if (town.ends_with("町") || town.ends_with("通り") || town.ends_with("通"))
        return GeocodePrecision::chome;
    return GeocodePrecision::oaza;
}

} // namespace

std::string_view label_ja(GeocodePrecision precision) {
    switch (precision) {
    case GeocodePrecision::chome: return "町丁目";
    case GeocodePrecision::koaza: return "小字";
    case GeocodePrecision::oaza: return "大字";
    }
    return "大字";
}

std::string_view to_string(GeocodePrecision precision) {
    switch (precision) {
    case GeocodePrecision::chome: return "chome";
    case GeocodePrecision::koaza: return "koaza";
    case GeocodePrecision::oaza: return "oaza";
    }
    return "oaza";
}

std::optional<GeocodePrecision> parse_geocode_precision(std::string_view text) {
    const std::string t = detail::trim(text);
    for (auto p : {GeocodePrecision::chome, GeocodePrecision::koaza, GeocodePrecision::oaza}) {
        if (t == label_ja(p) || t == to_string(p)) return p;
    }
    return std::nullopt;
}

double typical_error_m(GeocodePrecision precision) {
    switch (precision) {
    case GeocodePrecision::chome: return 300.0;
    case GeocodePrecision::koaza: return 1000.0;
    case GeocodePrecision::oaza: return 5000.0;
    }
    return 5000.0;
}

std::string fold_address(std::string_view address) {
    const std::string folded = detail::fold_width(address);
    std::string out;
    out.reserve(folded.size());
    for (std::size_t i = 0; i < folded.size();) {
        const auto [cp, n] = code_point_at(folded, i);
        if (cp == U' ' || cp == U'\t' || cp == U'\r' || cp == U'\n') {
            i += n;
            continue;
        }
        if (is_dash_like(cp)) {
            const bool digit_before = !out.empty() && is_digit(out.back());
            const bool digit_after = i + n < folded.size() && is_digit(folded[i + n]);
            if (digit_before || digit_after) {
                out.push_back('-');
                i += n;
                continue;
            }
        }
        out.append(folded, i, n);
        i += n;
    }
    static const std::pair<std::string_view, std::string_view> variants[] = {
        {"ヶ", "ケ"}, {"が", "ケ"},     {"ヵ", "カ"},       {"之", "ノ"},     {"の", "ノ"},
        {"髙", "高"}, {"﨑", "崎"},     {"濱", "浜"},       {"澤", "沢"},     {"邊", "辺"},
        {"邉", "辺"}, {"廣", "広"},     {"櫻", "桜"},       {"國", "国"},     {"會", "会"},
        {"驛", "駅"}, {"榮", "栄"},     {"條", "条"},       {"藪", "薮"},     {"渕", "淵"},
        {"曾", "曽"}, {"番丁", "番町"}, {"とおり", "通り"}, {"埠頭", "ふ頭"},
    };
    for (const auto& [from, to] : variants) replace_all(out, from, to);
    return out;
}

std::optional<std::int64_t> leading_number(std::string_view text, std::size_t& length) {
    length = 0;
    if (!text.empty() && is_digit(text[0])) {
        std::int64_t value = 0;
        const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec != std::errc()) return std::nullopt;
        length = static_cast<std::size_t>(ptr - text.data());
        return value;
    }
    // Kanji numerals: positional (千百三十四 = 1134, 二十 = 20) or digit by digit (一一三四).
    std::int64_t total = 0, digits = 0, current = -1;
    bool positional = false;
    std::size_t i = 0;
    while (i < text.size()) {
        const auto [cp, n] = code_point_at(text, i);
        int digit = -1;
        std::int64_t unit = 0;
        switch (cp) {
        case U'〇': digit = 0; break;
        case U'一': digit = 1; break;
        case U'二': digit = 2; break;
        case U'三': digit = 3; break;
        case U'四': digit = 4; break;
        case U'五': digit = 5; break;
        case U'六': digit = 6; break;
        case U'七': digit = 7; break;
        case U'八': digit = 8; break;
        case U'九': digit = 9; break;
        case U'十': unit = 10; break;
        case U'百': unit = 100; break;
        case U'千': unit = 1000; break;
        default: break;
        }
        if (digit < 0 && unit == 0) break;
        if (unit > 0) {
            positional = true;
            total += (current < 0 ? 1 : current) * unit;
            current = -1;
        } else {
            current = current < 0 ? digit : current * 10 + digit;
            digits = digits * 10 + digit;
        }
        i += n;
    }
    if (i == 0) return std::nullopt;
    length = i;
    if (!positional) return digits;
    return total + (current < 0 ? 0 : current);
}

Geocoder Geocoder::from_tsv(std::string_view tsv) {
    Geocoder g;
    std::size_t line_no = 0;
    for (std::size_t start = 0; start < tsv.size();) {
        std::size_t end = tsv.find('\n', start);
        if (end == std::string_view::npos) end = tsv.size();
        const std::string_view line = tsv.substr(start, end - start);
        start = end + 1;
        ++line_no;
        if (line.empty() || line.starts_with("#") || line.starts_with("code5\t")) continue;
        std::vector<std::string> f;
        for (std::size_t a = 0;;) {
            const std::size_t b = line.find('\t', a);
            f.emplace_back(
                line.substr(a, b == std::string_view::npos ? std::string_view::npos : b - a));
            if (b == std::string_view::npos) break;
            a = b + 1;
        }
        const auto lon = f.size() == 6 ? detail::parse_number(f[4]) : std::nullopt;
        const auto lat = f.size() == 6 ? detail::parse_number(f[5]) : std::nullopt;
        const auto code = f.size() == 6 ? detail::canonical_municipality_code(f[0]) : std::nullopt;
        if (!lon || !lat || !code) {
            throw InternalError("the bundled town points are malformed",
                                Where{.file = "data/yamaguchi_town_points.tsv",
                                      .line = static_cast<std::int64_t>(line_no)});
        }
        TownPoint p{*code, f[1], f[2], f[3], geo::LonLat{*lon, *lat}, precision_of(f[2], f[3])};
        g.m_points.push_back(std::move(p));
    }
    for (std::size_t i = 0; i < g.m_points.size(); ++i) {
        const TownPoint& p = g.m_points[i];
        Entry e;
        e.point = i;
        std::string town = without_oaza(fold_address(p.town));
        const std::size_t chome_at = town.rfind("丁目");
        std::size_t length = 0;
        if (p.koaza.empty() && chome_at != std::string::npos &&
            chome_at + std::string_view("丁目").size() == town.size()) {
            // The numeral just before 丁目: find where it starts.
            std::size_t begin = chome_at;
            while (begin > 0) {
                std::size_t prev = begin - 1;
                while (prev > 0 && (static_cast<unsigned char>(town[prev]) & 0xC0) == 0x80) --prev;
                std::size_t n = 0;
                if (!leading_number(std::string_view(town).substr(prev, chome_at - prev), n) ||
                    n != chome_at - prev)
                    break;
                begin = prev;
            }
            if (begin < chome_at) {
                e.chome =
                    leading_number(std::string_view(town).substr(begin, chome_at - begin), length);
                town.resize(begin);
            }
        }
        e.stem = town + fold_address(p.koaza);
        g.m_entries.push_back(std::move(e));
        const std::string name = fold_address(p.municipality);
        auto add_name = [&g, &p](std::string n) {
            const auto pair = std::make_pair(std::move(n), p.municipality_code);
            if (std::find(g.m_municipality_names.begin(), g.m_municipality_names.end(), pair) ==
                g.m_municipality_names.end()) {
                g.m_municipality_names.push_back(pair);
            }
        };
        add_name(name);
        if (const auto gun = name.find("郡"); gun != std::string::npos)
            add_name(name.substr(gun + std::string_view("郡").size()));
    }
    return g;
}

const Geocoder& Geocoder::yamaguchi() {
    static const Geocoder g = from_tsv(detail::kTownPointsTsv);
    return g;
}

GeocodeResult Geocoder::geocode(std::string_view address,
                                std::string_view municipality_code) const {
    GeocodeResult result;
    std::string rest = fold_address(address);
    if (rest.starts_with("山口県")) rest.erase(0, std::string_view("山口県").size());
    std::string code;
    std::size_t best_name = 0;
    for (const auto& [name, c] : m_municipality_names) {
        if (rest.starts_with(name) && name.size() > best_name) {
            best_name = name.size();
            code = c;
        }
    }
    if (best_name > 0) {
        rest.erase(0, best_name);
    } else if (!municipality_code.empty()) {
        code = std::string(municipality_code);
    }
    rest = without_oaza(rest);
    if (rest.empty()) {
        result.status = GeocodeResult::Status::no_town;
        result.message = "the address names no town (大字・町丁目) after the municipality";
        return result;
    }
    std::size_t best = 0;
    std::vector<std::size_t> winners;
    for (const Entry& e : m_entries) {
        const TownPoint& p = m_points[e.point];
        if (!code.empty() && p.municipality_code != code) continue;
        if (!rest.starts_with(e.stem)) continue;
        std::size_t score = e.stem.size();
        if (e.chome) {
            // 三丁目, 3丁目, 3丁 or a bare 3 before a dash or at the end.
            const std::string_view after = std::string_view(rest).substr(e.stem.size());
            std::size_t length = 0;
            const auto n = leading_number(after, length);
            if (!n || *n != *e.chome) continue;
            const std::string_view next = after.substr(length);
            if (!(next.empty() || next.starts_with("丁") || next.starts_with("-"))) continue;
            score += length + 1000; // a matched 丁目 beats the bare town of the same stem
        }
        if (score > best) {
            best = score;
            winners.clear();
        }
        if (score == best) winners.push_back(e.point);
    }
    if (winners.empty()) {
        if (code.empty()) {
            result.status = GeocodeResult::Status::no_municipality;
            result.message = "no Yamaguchi municipality in the address and no municipality code; "
                             "no town matches";
        } else {
            result.status = GeocodeResult::Status::no_town;
            result.message =
                "no known town (大字・町丁目) of the municipality " + code + " matches the address";
        }
        return result;
    }
    if (winners.size() > 1) {
        result.status = GeocodeResult::Status::ambiguous;
        for (std::size_t w : winners) result.candidates.push_back(&m_points[w]);
        result.message =
            "the address matches " + std::to_string(winners.size()) + " towns equally:";
        for (const TownPoint* p : result.candidates)
            result.message += " " + p->municipality + p->town + p->koaza;
        result.message += "; add the municipality or correct the address";
        return result;
    }
    result.status = GeocodeResult::Status::found;
    result.point = &m_points[winners.front()];
    return result;
}

GeocodedTable geocode_registry_table(const Table& table, const Geocoder& geocoder) {
    GeocodedTable out;
    out.diagnostics = table.diagnostics;
    const auto specs = registry_columns();
    const ColumnMatch match = match_columns(table.columns, specs);
    auto column = [&](std::string_view name) -> std::optional<std::size_t> {
        for (std::size_t s = 0; s < specs.size(); ++s) {
            if (specs[s].name == name) return match.index[s];
        }
        return std::nullopt;
    };
    std::vector<std::string> header = table.columns;
    auto ensure = [&header](std::optional<std::size_t> index, std::string_view name) {
        if (index) return *index;
        header.emplace_back(name);
        return header.size() - 1;
    };
    const auto address = column("address");
    const auto code = column("municipality_code");
    if (!address) {
        Where w = table.header_where();
        w.field = "address";
        out.diagnostics.push_back(
            Diagnostic{Diagnostic::Severity::error,
                       "no address column (住所, address): nothing to geocode", w});
        return out;
    }
    const std::size_t lon = ensure(column("home_lon"), "home_lon");
    const std::size_t lat = ensure(column("home_lat"), "home_lat");
    const std::size_t precision = ensure(column("home_precision"), "home_precision");
    const std::size_t source = header.size();
    header.emplace_back("位置の出典");
    out.rows.push_back(header);
    for (const TableRow& row : table.rows) {
        std::vector<std::string> values = row.values;
        values.resize(header.size());
        if (!values[lon].empty() && !values[lat].empty()) {
            ++out.kept;
            out.rows.push_back(std::move(values));
            continue;
        }
        const std::string& text = row.values[*address];
        if (text.empty()) {
            out.diagnostics.push_back(
                Diagnostic{Diagnostic::Severity::error,
                           "no coordinates and no address: the home cannot be placed",
                           table.where(row, *address)});
            continue;
        }
        const std::string municipality =
            code ? detail::canonical_municipality_code(row.values[*code]).value_or(std::string())
                 : std::string();
        const GeocodeResult g = geocoder.geocode(text, municipality);
        if (g.status != GeocodeResult::Status::found) {
            out.diagnostics.push_back(
                Diagnostic{Diagnostic::Severity::error, g.message, table.where(row, *address)});
            continue;
        }
        values[lon] = detail::format_number(g.point->position.lon);
        values[lat] = detail::format_number(g.point->position.lat);
        values[precision] = std::string(label_ja(g.point->precision));
        values[source] = "Geolonia 住所データ (CC BY 4.0): " + g.point->municipality +
                         g.point->town + g.point->koaza;
        ++out.geocoded;
        if (g.point->precision == GeocodePrecision::oaza) {
            ++out.oaza_only;
            out.diagnostics.push_back(
                Diagnostic{Diagnostic::Severity::warning,
                           "placed at the 大字 point only (1-5 km from the house): " +
                               std::string(kCheckHomeOnMap),
                           table.where(row, *address)});
        }
        out.rows.push_back(std::move(values));
    }
    return out;
}

namespace detail {

std::optional<TownPoint> place_facility_address(RowReader& r, std::size_t spec,
                                                std::string_view address,
                                                std::string_view municipality_code) {
    const GeocodeResult g = Geocoder::yamaguchi().geocode(address, municipality_code);
    if (g.status != GeocodeResult::Status::found) {
        r.error(spec, g.message);
        return std::nullopt;
    }
    if (g.point->precision != GeocodePrecision::chome) {
        r.warning(spec, "no coordinates: the facility is placed at its " +
                            std::string(label_ja(g.point->precision)) + " point only (about " +
                            format_number(typical_error_m(g.point->precision) / 1000.0) +
                            " km from the building); give its lon/lat");
    }
    return *g.point;
}

} // namespace detail

} // namespace sonae::planner
