// Issue 18: what each hour is, the order of fallbacks, duty cycles by clock time, generators
// at part load and the oxygen stock, each against a hand calculation written out here.
// Constants: usable cylinder L = body L x MPa x 10 x 0.8 (DOMAIN 2.2); a power station
// delivers label Wh x 0.8 x 0.85 through its AC outlet and carries 1.25 x the average load
// (DOMAIN 2.3); the cassette-gas class burns 0.9 kW x (0.673 + (2.020 - 0.673) x load/900 W)
// cans an hour (data/power_sources.toml).
#include "planner/labels.hpp"
#include "planner/power_model.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

namespace sonae::planner {
namespace {

Child child_with(std::vector<DeviceUse> devices) {
    Child c;
    c.id = "TEST-0018";
    c.municipality_code = "352021";
    c.home = {131.25, 33.95};
    c.devices = std::move(devices);
    return c;
}

// Minutes, rounded down, for "to the minute" assertions.
long minutes(double hours) {
    return static_cast<long>(std::floor(hours * 60.0 + 1e-9));
}

const PowerPhase* find_phase(const ChildNeeds& n, PowerSourceKind source, std::string_view device) {
    for (const auto& p : n.timeline) {
        if (p.source == source && p.device == device) return &p;
    }
    return nullptr;
}

TEST(PowerFallbacks, CylindersOnlyAndTheOxygenStock) {
    // Three 300 L cylinders (2.0 L body, 14 MPa) at 1.5 L/min, no concentrator, no backup.
    Child c = child_with({});
    c.care_items = {CareItem::oxygen};
    c.oxygen = OxygenSupply{.flow_lpm = 1.5, .cylinders = 3, .cylinder_nominal_l = 300.0};
    const ChildNeeds n = assess_child(c, default_device_catalogue());
    // One cylinder: 2.0 x 14 x 10 x 0.8 = 224 L; three: 672 L; at 1.5 x 60 = 90 L/h:
    // 672 / 90 = 7.4667 h = 7 h 28 min.
    EXPECT_NEAR(n.oxygen_cylinder_h, 672.0 / 90.0, 1e-9);
    EXPECT_EQ(minutes(n.oxygen_cylinder_h), 7 * 60 + 28);
    EXPECT_NEAR(n.oxygen_h, 672.0 / 90.0, 1e-9);
    EXPECT_NEAR(n.endurance_h, 672.0 / 90.0, 1e-9);
    EXPECT_EQ(n.device_battery_h, -1.0); // no ventilation or infusion device
    // Stock: one cylinder lasts 224 / 90 = 2.489 h. Without a concentrator the cylinders are
    // the only oxygen, so they cover the 72 h horizon, not the 24 h until a concentrator has
    // power: 72 / 2.489 = 28.93 -> 29 cylinders, plus 1 in reserve = 30 (was 14 days x 24 h
    // of flow: 135; then the concentrator's 24 h bridge: 11, which ran out after 24 h).
    EXPECT_EQ(n.oxygen_cylinders_recommended, 30);
    // Call the supplier while the cylinders still last the 6 h delivery time:
    // 7.4667 - 6 = 1.4667 h = 1 h 28 min after the power cut.
    EXPECT_EQ(minutes(n.oxygen_call_supplier_h), 60 + 28);
    int cylinders_listed = 0;
    for (const auto& cn : n.consumables) {
        if (cn.unit != "cylinders") continue;
        ++cylinders_listed;
        EXPECT_TRUE(cn.stock);
        EXPECT_DOUBLE_EQ(cn.day1, 30.0);
        EXPECT_DOUBLE_EQ(cn.day14, 30.0); // a stock, not 14 days of flow
    }
    EXPECT_EQ(cylinders_listed, 1);
    // With a concentrator (120 W) the same cylinders only bridge the 24 h until it has power
    // again: ceil(24 / 2.489 = 9.64) = 10, plus 1 in reserve = 11.
    c.devices = {DeviceUse{.type = "o2conc"}};
    EXPECT_EQ(assess_child(c, default_device_catalogue()).oxygen_cylinders_recommended, 11);
    // A 24 h horizon: a child on cylinders alone needs ceil(24 / 2.489) + 1 = 11 as well.
    c.devices = {};
    PowerOptions day;
    day.horizon_h = 24.0;
    EXPECT_EQ(assess_child(c, default_device_catalogue(), day).oxygen_cylinders_recommended, 11);
}

TEST(PowerFallbacks, ConcentratorIsSwitchedToTheCylinderFirstAtAPowerCut) {
    // UBE-0001's household: CPAP 55 W (used 22:00-08:00, no battery), concentrator 120 W,
    // oximeter 5 W (8 h internal), suction 70 W (0.25 h/day, 0.8 h internal); one 500 L
    // cylinder at 1 L/min; a 700 Wh power station; a car (100 W socket).
    Child c = child_with({DeviceUse{.type = "cpap"}, DeviceUse{.type = "o2conc"},
                          DeviceUse{.type = "spo2"}, DeviceUse{.type = "suction"}});
    c.care_items = {CareItem::ventilator, CareItem::oxygen, CareItem::suction,
                    CareItem::tube_feeding};
    c.oxygen = OxygenSupply{.flow_lpm = 1.0, .cylinders = 1, .cylinder_nominal_l = 500.0};
    c.backup.power_station_wh = 700.0;
    c.vehicle = HouseholdVehicle::car;
    // A cut at 08:00: the CPAP is off until 22:00.
    PowerOptions morning;
    morning.mains_lost_clock_h = 8.0;
    const ChildNeeds n = assess_child(c, default_device_catalogue(), morning);
    // Cylinder: 3.4 x 14 x 10 x 0.8 = 380.8 L at 60 L/h = 6.3467 h.
    const double cylinder_h = 380.8 / 60.0;
    // Station: 700 x 0.8 x 0.85 = 476 Wh. While the cylinder lasts it runs the oximeter and
    // the suction: 5 + 70 x 0.25/24 = 5.7292 W, x 1.25 = 7.1615 W.
    const double others_w = 1.25 * (5.0 + 70.0 * 0.25 / 24.0);
    const double left_wh = 476.0 - others_w * cylinder_h; // 430.55 Wh
    // Then the concentrator joins: 7.1615 + 1.25 x 120 = 157.1615 W -> 2.7396 h more, before
    // the CPAP starts at 22:00 (08:00 + 9.09 h = 17:05).
    const double station_end_h = cylinder_h + left_wh / (others_w + 150.0);
    // The car socket (100 W) cannot carry the concentrator with the rest: oxygen stops when the
    // station is spent, at 9.0863 h = 9 h 5 min (the old order, concentrator first on the
    // shared battery, gave 476 / 157.16 = 3.0 h).
    EXPECT_NEAR(n.oxygen_h, station_end_h, 1e-9);
    EXPECT_NEAR(n.endurance_h, station_end_h, 1e-9);
    EXPECT_EQ(minutes(n.endurance_h), 9 * 60 + 5);
    EXPECT_NEAR(n.oxygen_cylinder_h, cylinder_h, 1e-9);
    // Order of use: the cylinder from the cut, the station from the cut.
    const PowerPhase* cyl = find_phase(n, PowerSourceKind::oxygen_cylinder, "o2cyl");
    ASSERT_NE(cyl, nullptr);
    EXPECT_DOUBLE_EQ(cyl->start_h, 0.0);
    EXPECT_NEAR(cyl->end_h, cylinder_h, 1e-9);
    const PowerPhase* station = find_phase(n, PowerSourceKind::power_station, "");
    ASSERT_NE(station, nullptr);
    EXPECT_DOUBLE_EQ(station->start_h, 0.0);
    EXPECT_NEAR(station->end_h, station_end_h, 1e-9);
    // Each source alone with the same essential load (concentrator on from the start):
    // 476 / (7.1615 + 150) = 3.0287 h for the station; the car socket runs the oximeter only
    // (the concentrator's 120 W and the suction's 70 W do not fit in 100 W with it) for its
    // 24 h of fuel.
    ASSERT_EQ(n.backup_sources.size(), 2u);
    EXPECT_EQ(n.backup_sources[0].source, PowerSourceKind::power_station);
    EXPECT_NEAR(n.backup_sources[0].hours, 476.0 / (others_w + 150.0), 1e-9);
    EXPECT_TRUE(n.backup_sources[0].carries_all);
    EXPECT_EQ(n.backup_sources[1].source, PowerSourceKind::car_socket);
    EXPECT_NEAR(n.backup_sources[1].hours, 24.0, 1e-9);
    EXPECT_FALSE(n.backup_sources[1].carries_all);
    // What the car cannot run (the oximeter 5 W first, then the suction 70 W and the
    // concentrator 120 W do not fit in the 95 W left): the concentrator is life support, so
    // the car alone does not keep this child alive.
    EXPECT_EQ(n.backup_sources[1].left_out, (std::vector<std::string>{"o2conc", "suction"}));
    EXPECT_TRUE(n.backup_sources[0].left_out.empty());

    // The clock unknown (the bundled scenarios): the worst time of day, a cut at 22:00 with
    // the CPAP running. The station carries CPAP + oximeter + suction, 1.25 x (55 + 5.7292) =
    // 75.911 W: 476 / 75.911 = 6.2705 h, spent before the cylinder (6.3467 h); the car socket
    // then runs the CPAP and the oximeter (60 W of 100 W), but not the concentrator: oxygen
    // stops with the cylinder, at 6.3467 h = 6 h 20 min.
    const ChildNeeds worst = assess_child(c, default_device_catalogue());
    ASSERT_TRUE(worst.cut_clock_h.has_value());
    EXPECT_DOUBLE_EQ(*worst.cut_clock_h, 22.0);
    EXPECT_NEAR(worst.endurance_h, cylinder_h, 1e-9);
    EXPECT_EQ(minutes(worst.endurance_h), 6 * 60 + 20);
    const PowerPhase* worst_station = find_phase(worst, PowerSourceKind::power_station, "");
    ASSERT_NE(worst_station, nullptr);
    EXPECT_NEAR(worst_station->end_h, 476.0 / (1.25 * (55.0 + 5.0 + 70.0 * 0.25 / 24.0)), 1e-9);
}

TEST(PowerFallbacks, CpapOvernightByTheClockOfThePowerCut) {
    // KDM-0007's household: CPAP 55 W used 22:00-08:00 (no battery), oximeter 5 W, suction
    // 70 W 0.25 h/day; a 500 Wh power station (1,000 W output), nothing else.
    Child c = child_with(
        {DeviceUse{.type = "cpap"}, DeviceUse{.type = "spo2"}, DeviceUse{.type = "suction"}});
    c.care_items = {CareItem::ventilator, CareItem::suction};
    c.backup.power_station_wh = 500.0;
    c.backup.power_station_output_w = 1000.0;
    const double station_wh = 500.0 * 0.8 * 0.85;                    // 340 Wh
    const double night_w = 1.25 * (55.0 + 5.0 + 70.0 * 0.25 / 24.0); // 75.911 W
    const double day_w = 1.25 * (5.0 + 70.0 * 0.25 / 24.0);          // 7.1615 W
    PowerOptions at_night;
    at_night.mains_lost_clock_h = 22.0;
    // 22:00: the CPAP runs at once: 340 / 75.911 = 4.4789 h = 4 h 28 min (until 02:28).
    const ChildNeeds night = assess_child(c, default_device_catalogue(), at_night);
    EXPECT_NEAR(night.endurance_h, station_wh / night_w, 1e-9);
    EXPECT_EQ(minutes(night.endurance_h), 4 * 60 + 28);
    PowerOptions afternoon;
    afternoon.mains_lost_clock_h = 14.0;
    // 14:00: 8 h without the CPAP use 7.1615 x 8 = 57.29 Wh; from 22:00 the remaining
    // 282.71 Wh last 3.7243 h: 11.7243 h = 11 h 43 min (until 01:43).
    const ChildNeeds day = assess_child(c, default_device_catalogue(), afternoon);
    EXPECT_NEAR(day.endurance_h, 8.0 + (station_wh - 8.0 * day_w) / night_w, 1e-9);
    EXPECT_EQ(minutes(day.endurance_h), 11 * 60 + 43);
    EXPECT_FALSE(day.cut_clock_assumed);
    // Without the clock, not the 24-hour average (340 / (1.25 x 28.6458) = 9.4953 h = 9 h 29
    // min, which a cut at night does not give) but the worst time of day: a cut at 22:00, the
    // CPAP's start, 4 h 28 min, the same phases as at night.
    const ChildNeeds unknown = assess_child(c, default_device_catalogue());
    EXPECT_NEAR(unknown.endurance_h, station_wh / night_w, 1e-9);
    EXPECT_EQ(minutes(unknown.endurance_h), 4 * 60 + 28);
    ASSERT_TRUE(unknown.cut_clock_h.has_value());
    EXPECT_DOUBLE_EQ(*unknown.cut_clock_h, 22.0);
    EXPECT_TRUE(unknown.cut_clock_assumed);
    ASSERT_EQ(unknown.backup_sources.size(), 1u);
    EXPECT_NEAR(unknown.backup_sources[0].hours, station_wh / night_w, 1e-9);
    EXPECT_EQ(unknown.deadline_s, night.deadline_s);
    // A child whose devices have no set hours keeps the averages and no assumed clock.
    const ChildNeeds plain =
        assess_child(child_with({DeviceUse{.type = "spo2"}}), default_device_catalogue());
    EXPECT_FALSE(plain.cut_clock_h.has_value());
}

TEST(PowerFallbacks, CassetteGeneratorBurnsFuelAtIdle) {
    const GeneratorClass* g = default_power_sources().home_class(900.0);
    ASSERT_NE(g, nullptr);
    EXPECT_EQ(g->id, "cassette_gas");
    // 60 W of devices is a planned load of 75 W: 0.9 x (0.673 + 1.347 x 75/900) =
    // 0.9 x 0.78525 = 0.706725 cans/h: 1.41498 h = 1 h 24 min per can (not 438.9 h).
    EXPECT_NEAR(g->fuel_per_h(900.0, 75.0), 0.706725, 1e-9);
    EXPECT_EQ(minutes(1.0 / g->fuel_per_h(900.0, 75.0)), 84);
    // 600 W is 750 W planned: 0.9 x (0.673 + 1.347 x 750/900) = 0.9 x 1.7955 = 1.61595 cans/h:
    // 0.61883 h = 37 min per can.
    EXPECT_NEAR(g->fuel_per_h(900.0, 750.0), 1.61595, 1e-9);
    EXPECT_EQ(minutes(1.0 / g->fuel_per_h(900.0, 750.0)), 37);
    // Never more than 2 h per can, whatever the load (DOMAIN 7, [S71]).
    EXPECT_GT(g->fuel_per_h(900.0, 0.0), 0.5);

    // A 60 W ventilator without batteries on a 900 VA generator holding 2 h of fuel at rated
    // output: 2 x 0.9 x 2.020 = 3.636 cans; 3.636 / 0.706725 = 5.1449 h = 5 h 8 min.
    Child c = child_with(
        {DeviceUse{.type = "vent", .internal_battery_h = 0.0, .external_battery_h = 0.0}});
    c.care_items = {CareItem::ventilator};
    c.backup.generator_w = 900.0;
    c.backup.generator_fuel_h = 2.0;
    const ChildNeeds n = assess_child(c, default_device_catalogue());
    EXPECT_NEAR(n.endurance_h, 3.636 / 0.706725, 1e-9);
    EXPECT_EQ(minutes(n.endurance_h), 5 * 60 + 8);
    ASSERT_EQ(n.backup_sources.size(), 1u);
    EXPECT_NEAR(n.backup_sources[0].fuel_held, 3.636, 1e-9);
    EXPECT_NEAR(n.backup_sources[0].fuel_per_h, 0.706725, 1e-9);
    EXPECT_EQ(n.backup_sources[0].fuel_unit_ja, "本");
}

TEST(PowerFallbacks, FiftyKilowattHomeGeneratorIsNotUsed) {
    Child c = child_with(
        {DeviceUse{.type = "vent", .internal_battery_h = 3.0, .external_battery_h = 0.0}});
    c.backup.generator_w = 50000.0;
    c.backup.generator_fuel_h = 10.0;
    const ChildNeeds n = assess_child(c, default_device_catalogue());
    EXPECT_NEAR(n.endurance_h, 3.0, 1e-9); // the internal battery only
    EXPECT_TRUE(n.backup_sources.empty());
    bool noted = false;
    for (const auto& s : n.notes)
        noted |= s.find("larger than any household generator") != std::string::npos;
    EXPECT_TRUE(noted);
}

TEST(PowerFallbacks, DeviceBatteriesBackupsAndTotalAreSeparate) {
    // KOC-0009: ventilator 55 W with 3 h internal + 3 h external, feeding pump, humidifier
    // (on HME), oximeter, suction; a car. Device batteries alone: 3 + 3 = 6 h. The car
    // socket (100 W) runs the ventilator, pump and oximeter (70 W; suction 70 W does not fit)
    // for its 24 h, then the ventilator's own batteries: total 30 h.
    Child c = child_with({DeviceUse{.type = "feed"}, DeviceUse{.type = "humid"},
                          DeviceUse{.type = "spo2"}, DeviceUse{.type = "suction"},
                          DeviceUse{.type = "vent",
                                    .power_w = 55.0,
                                    .internal_battery_h = 3.0,
                                    .external_battery_h = 3.0}});
    c.care_items = {CareItem::ventilator, CareItem::tracheostomy, CareItem::suction,
                    CareItem::tube_feeding};
    c.vehicle = HouseholdVehicle::car;
    const ChildNeeds n = assess_child(c, default_device_catalogue());
    EXPECT_NEAR(n.device_battery_h, 6.0, 1e-9);
    EXPECT_NEAR(n.endurance_h, 30.0, 1e-9);
    ASSERT_EQ(n.backup_sources.size(), 1u);
    EXPECT_NEAR(n.backup_sources[0].hours, 24.0, 1e-9);
    // Alone, the car leaves out only the suction (not life support).
    EXPECT_EQ(n.backup_sources[0].left_out, (std::vector<std::string>{"suction"}));
    const PowerPhase* car = find_phase(n, PowerSourceKind::car_socket, "");
    const PowerPhase* internal = find_phase(n, PowerSourceKind::internal_battery, "vent");
    const PowerPhase* external = find_phase(n, PowerSourceKind::external_battery, "vent");
    ASSERT_TRUE(car && internal && external);
    EXPECT_NEAR(car->end_h, 24.0, 1e-9);
    EXPECT_NEAR(internal->start_h, 24.0, 1e-9);
    EXPECT_NEAR(internal->end_h, 27.0, 1e-9);
    EXPECT_NEAR(external->end_h, 30.0, 1e-9);
}

TEST(PowerFallbacks, TubeFeedingAndInsulinSuppliesWithoutDuplicates) {
    Child c = child_with({DeviceUse{.type = "feed"}});
    c.care_items = {CareItem::tube_feeding, CareItem::injection};
    const ChildNeeds n = assess_child(c, default_device_catalogue());
    std::map<std::string, const ConsumableNeed*> by_name;
    for (const auto& cn : n.consumables) {
        EXPECT_TRUE(by_name.emplace(cn.name, &cn).second) << "listed twice: " << cn.name;
    }
    ASSERT_TRUE(by_name.count("enteral formula"));
    ASSERT_TRUE(by_name.count("flush water"));
    ASSERT_TRUE(by_name.count("cold pack"));
    ASSERT_TRUE(by_name.count("cool box"));
    // The pump's 6 syringes a day and the care item's 4 are one need: the larger, 6.
    ASSERT_TRUE(by_name.count("feeding syringe"));
    EXPECT_DOUBLE_EQ(by_name["feeding syringe"]->per_day, 6.0);
    // Flush water 0.3 L a day: 0.9 L for 3 days.
    EXPECT_NEAR(by_name["flush water"]->day3, 0.9, 1e-12);
    EXPECT_TRUE(by_name["cool box"]->stock);
    EXPECT_DOUBLE_EQ(by_name["cool box"]->day14, 1.0);
}

} // namespace
// facilities.csv's 72-hour supply lines (issue 23 item 3): counted things are stocked whole, so
// the line rounds them up (ube-flood's WS-02 printed 「鼻カニューラ 0.4個」, a share of the
// catalogue's daily use); litres keep one decimal; a quantity of 0 is "as prescribed".
TEST(SupplyLines, CountedUnitsAreRoundedUpToWholeOnesAndLitresKeepTheirDecimal) {
    EXPECT_EQ(supply_ja("nasal cannula (pcs)", 0.4), "鼻カニューラ 1個");
    EXPECT_EQ(supply_ja("nasal cannula (pcs)", 1.3), "鼻カニューラ 2個");
    EXPECT_EQ(supply_ja("suction catheter (pcs)", 270.0), "吸引カテーテル 270個");
    // A sum of per-day figures that lands a hair above a whole number stays that number.
    EXPECT_EQ(supply_ja("suction catheter (pcs)", 0.1 + 0.2 + 2.7), "吸引カテーテル 3個");
    EXPECT_EQ(supply_ja("sterile water (L)", 2.7), "滅菌蒸留水（加湿器用） 2.7L");
    EXPECT_EQ(supply_ja("sterile water (L)", 9.0), "滅菌蒸留水（加湿器用） 9L");
    EXPECT_EQ(supply_ja("enteral formula (pcs)", 0.0), "栄養剤（処方どおり）");
}

} // namespace sonae::planner
