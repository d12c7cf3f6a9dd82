#pragma once
/// Synthetic registries: plausible children placed beside residential roads of a network,
/// with plausible mixes of care items, devices, oxygen, mobility and household backups.
/// The only kind of registry in the repository, its tests and demos: never real people.
/// Deterministic for a seed (own generator and arithmetic, no std distributions), and the
/// same for any row order of the network (edges are taken in the network's CSR order).

#include "geo/road_network.hpp"
#include "planner/device_catalogue.hpp"
#include "planner/registry.hpp"

#include <cstdint>
#include <string>

namespace sonae::planner {

/// Options for synthesize_registry.
struct SynthOptions {
    std::string municipality_code; ///< 5 or 6-digit JIS code (Yamaguchi table or any valid)
    std::size_t children = 10;
    std::uint64_t seed = 1;
    std::string id_prefix;   ///< empty: the municipality's prefix ("UBE") or "SYN"
    bool with_names = false; ///< add clearly fake names and phone numbers
};

/// Builds a synthetic registry on `network` (must have coordinates). Homes sit 8-30 m off a
/// residential road (living_street / residential; unclassified if there are none), chosen
/// with probability proportional to road length. Ids are "<PREFIX>-0001"... Throws
/// InputError if the network has no coordinates or no road to place homes on, or if the
/// municipality code is malformed.
Registry synthesize_registry(const geo::RoadNetwork& network, const SynthOptions& options,
                             const DeviceCatalogue& catalogue = default_device_catalogue());

} // namespace sonae::planner
