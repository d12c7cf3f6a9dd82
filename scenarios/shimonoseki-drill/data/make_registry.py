#!/usr/bin/env python3
"""Writes registry.csv: 12 synthetic children (never real people) for the 下関市 drill.

No road network ships with this scenario, so `sonae synth` (which places homes beside the
network's residential roads) cannot run here. Instead each child below is anchored on a real
GSI designated shelter (schools and community halls stand where people live) and the home is
put at a seeded random distance of 150-600 m from it, in a random direction, and kept only if
it falls inside the municipal boundary (data/boundary_35201.geojson, N03 simplified). The care
profiles are written by hand to give the drill a spread of needs (DOMAIN.md sections 1-2):
ventilators with and without backup power, oxygen, suction, a stretcher, families with and
without a car. Standard library only; run from the scenario folder:
    python3 data/make_registry.py
"""
import csv
import json
import math
import random

SEED = 20261121
BOUNDARY = "data/boundary_35201.geojson"
SHELTERS = "data/gsi_evacuation_352012.json"
OUT = "data/registry.csv"
CODE = "352012"
PREFIX = "SHM"

# anchor shelter, care items, devices, O2 flow, cylinders, mobility, car, helpers, power station Wh
CHILDREN = [
    ("安岡小学校", "ventilator;tracheostomy;suction;tube_feeding", "vent:1:60W:3h:ext8h;suction:1;humid:1;spo2:1", 0, 0, "wheelchair", "car", 2, 1500),
    ("山の田小学校", "oxygen;tube_feeding", "o2conc:1;spo2:1", 1, 2, "carried", "car", 2, 0),
    ("彦島中学校", "tracheostomy;suction", "suction:1;humid:1;spo2:1", 0, 0, "carried", "car", 1, 0),
    ("長府小学校", "ventilator;tracheostomy;oxygen;suction;tube_feeding", "vent:1:65W:3h:ext3h;o2conc:1;suction:1;spo2:1", 1, 2, "stretcher", "car", 2, 700),
    ("勝山小学校", "tube_feeding;seizure", "feed:1", 0, 0, "walks", "car", 1, 0),
    ("内日公民館", "ventilator;suction", "cpap:1;suction:1;spo2:1", 0, 0, "wheelchair", "car", 2, 0),
    ("小月小学校", "oxygen", "o2conc:1;spo2:1", 2, 1, "carried", "none", 1, 0),
    ("吉見小学校", "suction;tube_feeding", "suction:1;feed:1", 0, 0, "carried", "car", 2, 500),
    ("菊川中学校", "ventilator;tracheostomy;suction;tube_feeding", "vent:1:50W:3h:ext8h;suction:1;feed:1;spo2:1", 0, 0, "wheelchair", "phev", 2, 0),
    ("豊北小学校", "ventilator;tracheostomy;suction", "vent:1:55W:3h:ext3h;suction:1;spo2:1", 0, 0, "wheelchair", "none", 1, 0),
    ("西市小学校", "tracheostomy;oxygen;suction", "o2conc:1;suction:1;spo2:1", 1, 2, "carried", "car", 2, 0),
    ("川中小学校", "bowel", "", 0, 0, "walks", "car", 2, 0),
]


def rings(geometry):
    polys = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return [poly[0] for poly in polys]  # outer rings; the simplified N03 outlines have no holes


def inside(lon, lat, outer_rings):
    hit = False
    for ring in outer_rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
            if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                hit = not hit
    return hit


def main():
    boundary = rings(json.load(open(BOUNDARY, encoding="utf-8"))["features"][0]["geometry"])
    shelters = {f["properties"]["施設・場所名"]: f["geometry"]["coordinates"]
                for f in json.load(open(SHELTERS, encoding="utf-8"))["features"]}
    rng = random.Random(SEED)
    header = ["id", "municipality_code", "home_lon", "home_lat", "care_items", "devices", "oxygen_flow_lpm",
              "oxygen_cylinders", "oxygen_cylinder_size_l", "mobility", "household_vehicle", "helpers",
              "power_station_wh", "power_station_output_w", "consent_registry_sharing", "consent_plan_sharing", "notes"]
    rows = [header]
    for k, (anchor, care, devices, flow, cyl, mobility, car, helpers, wh) in enumerate(CHILDREN, start=1):
        lon0, lat0 = shelters[anchor]
        while True:
            d_m = rng.uniform(150.0, 600.0)
            a = rng.uniform(0.0, 2.0 * math.pi)
            lat = lat0 + d_m * math.cos(a) / 111320.0
            lon = lon0 + d_m * math.sin(a) / (111320.0 * math.cos(math.radians(lat0)))
            if inside(lon, lat, boundary):
                break
        rows.append([f"{PREFIX}-{k:04d}", CODE, f"{lon:.6f}", f"{lat:.6f}", care, devices, flow, cyl, 500 if cyl else "",
                     mobility, car, helpers, wh, 1000 if wh else 0, 1, 1,
                     f"synthetic (make_registry.py, seed {SEED}; near {anchor})"])
    with open(OUT, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(rows)
    print(f"wrote {OUT}: {len(rows) - 1} synthetic children")


if __name__ == "__main__":
    main()
