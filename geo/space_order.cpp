#include "geo/space_order.hpp"

#include <algorithm>
#include <utility>

namespace sonae::geo {

namespace {

// The cell of v on [lo, lo + span] in 20 bits, its bits spread to the even positions.
std::uint64_t spread(double v, double lo, double span) {
    const double x = std::clamp((v - lo) / span, 0.0, 1.0);
    auto b = static_cast<std::uint64_t>(x * static_cast<double>((1u << 20) - 1));
    b = (b | (b << 16)) & 0x0000FFFF0000FFFFull;
    b = (b | (b << 8)) & 0x00FF00FF00FF00FFull;
    b = (b | (b << 4)) & 0x0F0F0F0F0F0F0F0Full;
    b = (b | (b << 2)) & 0x3333333333333333ull;
    b = (b | (b << 1)) & 0x5555555555555555ull;
    return b;
}

} // namespace

std::uint64_t z_order_key(LonLat p) {
    return spread(p.lon, -180.0, 360.0) | (spread(p.lat, -90.0, 180.0) << 1);
}

std::vector<std::size_t> in_space_order(std::vector<std::size_t> items,
                                        const std::function<LonLat(std::size_t)>& where) {
    std::vector<std::pair<std::uint64_t, std::size_t>> keyed;
    keyed.reserve(items.size());
    for (const auto item : items) keyed.emplace_back(z_order_key(where(item)), item);
    std::sort(keyed.begin(), keyed.end());
    for (std::size_t k = 0; k < keyed.size(); ++k) items[k] = keyed[k].second;
    return items;
}

} // namespace sonae::geo
