#pragma once
/// StrongId<Tag>: an index that cannot be mixed up with another kind of index.

#include <compare>
#include <cstdint>
#include <functional>
#include <limits>

namespace sonae {

template <typename Tag, typename Rep = std::uint32_t>
class StrongId {
public:
    using rep_type = Rep;
    static constexpr Rep invalid_value = std::numeric_limits<Rep>::max();

    constexpr StrongId() = default;
    constexpr explicit StrongId(Rep value) : m_value(value) {}

    constexpr Rep value() const noexcept { return m_value; }
    constexpr bool valid() const noexcept { return m_value != invalid_value; }
    static constexpr StrongId invalid() { return StrongId(); }

    constexpr auto operator<=>(const StrongId&) const = default;

private:
    Rep m_value = invalid_value;
};

} // namespace sonae

template <typename Tag, typename Rep>
struct std::hash<sonae::StrongId<Tag, Rep>> {
    std::size_t operator()(const sonae::StrongId<Tag, Rep>& id) const noexcept {
        return std::hash<Rep>{}(id.value());
    }
};
