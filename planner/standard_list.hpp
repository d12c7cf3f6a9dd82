#pragma once
/// The national standard shelter list every municipality publishes: 推奨データセット
/// 「指定緊急避難場所一覧」 (全国地方公共団体コード, ID, 名称, 所在地_連結表記, 緯度, 経度,
/// 災害種別_洪水 … 災害種別_火山現象, 指定避難所との重複, 想定収容人数, 備考) and the older
/// variants found in Yamaguchi's files (NO, 住所, 方書, 想定収用人数 with text such as
/// 「291(2㎡あたり1人）」, flags written 1 or ○/×). Read from CSV (any encoding), .xlsx or a GIS
/// layer through the shared table reader; each row becomes a Facility that merge_facilities
/// combines with GSI, P20 and the facilities table. Rules in planner/REGISTRY_SCHEMA.md.

#include "planner/csv.hpp"
#include "planner/facility.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sonae::planner {

/// The columns of a standard list (used and known-but-unused ones, so neither is "unknown").
std::span<const ColumnSpec> standard_list_columns();

/// True if a header row is a standard list: 名称, 緯度 and 経度 and at least three
/// 災害種別_ columns. This is how validate and load_facilities recognise one.
bool is_standard_list_header(std::span<const std::string> header);

/// 想定収容人数 as published: the leading number of persons and the rest as the basis.
struct CapacityText {
    std::int64_t persons = 0;
    std::string basis; ///< "2㎡あたり1人", "㎡あたり基準未設定"; empty for a bare number
};
/// "291(2㎡あたり1人）" -> {291, "2㎡あたり1人"}; "1,200" -> {1200, ""}; full-width digits
/// accepted. nullopt if the text does not start with a number.
std::optional<CapacityText> parse_capacity_text(std::string_view text);

/// Access notes found in a 備考 text: 車椅子対応 (車椅子/車いす), オストメイト, 福祉避難所
/// (指定福祉避難所 too), 授乳室; sorted and unique.
std::vector<std::string> accessibility_notes(std::string_view remarks);

/// Loads a standard list from a table already read. Facility ids are the list's ID, else
/// "<6-digit code>-<NO>"; kinds are emergency_site, plus shelter when 指定避難所との重複 is
/// set. `list_name` tells rows of different lists apart when merging (rows of one list are
/// never merged with each other). Never throws for data problems.
FacilityLoadResult load_standard_list_table(const Table& table, const std::string& list_name);

/// Reads a standard list file (CSV, .xlsx or GIS layer; options.sheet = sheet or layer).
/// Throws IoError if it cannot be read.
FacilityLoadResult load_standard_list(const std::filesystem::path& path,
                                      const TableReadOptions& options = {});

} // namespace sonae::planner
