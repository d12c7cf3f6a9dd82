#!/usr/bin/env python3
"""Builds the planner benchmark scenarios (issue 4) from a sonae binary and the repo's data.

  make_scenarios.py kochi SONAE OUT_DIR [--children 1000] [--facilities 300]
      The real Kochi OSM drive network and tsunami zones of scenarios/kochi-tsunami, with
      N synthetic children (sonae synth) and F synthetic welfare shelters and hospitals placed
      at F real GSI designated shelter and emergency-site locations of Kochi inside the homes'
      extent (every k-th by 共通ID), each with
      places, a generator, a nurse, and ventilator/oxygen acceptance, so that the plan has
      somewhere to send every child (the scenario's own 16-child facilities would leave 90 %
      of 1,000 children without a place, which measures the wrong thing).

  make_scenarios.py grid SONAE OUT_DIR [--side 1000] [--children 10000] [--facilities 1000]
      A synthetic side x side grid city (1,000,000 nodes for side 1000), about 110 m between
      crossings, written as OpenStreetMap XML and converted to PBF with osmium-tool: every
      tenth street secondary, the rest residential, every seventh residential street one-way.
      Flood zones: 25 synthetic rectangles with onset times 60-300 min. N children from
      sonae synth, F facilities at random crossings, 30 vehicles.

Everything is synthetic except the Kochi network, tsunami zones and shelter locations; the
output never contains a real person. Deterministic for a given seed.
"""
import argparse
import csv
import json
import os
import random
import shutil
import subprocess
import sys

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
FAC_HEADER = ["施設ID", "施設名", "種別", "市町村コード", "経度", "緯度", "収容人数", "発電機出力", "燃料時間",
              "コンセント数", "看護師数", "介護職員数", "人工呼吸器受入", "酸素受入", "対応災害", "開設までの時間",
              "直接避難", "受入対象者", "備考"]
VEH_HEADER = ["車両ID", "車種", "座席数", "車椅子数", "ストレッチャー数", "車載コンセント", "看護師同乗", "介護職員同乗",
              "拠点経度", "拠点緯度", "出動可能時刻", "市町村コード", "運行者"]


def write_csv(path, header, rows):
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(header)
        w.writerows(rows)


def facility_row(k, lon, lat, muni, rng, places):
    hospital = k % 10 == 0
    return [f"{'HP' if hospital else 'WS'}-{k:04d}", f"ベンチ用{'病院' if hospital else '福祉避難所'}{k}（架空）",
            "hospital" if hospital else "welfare_shelter", muni, f"{lon:.6f}", f"{lat:.6f}",
            rng.choice(places), rng.choice([10, 20, 30]), 72, 12, rng.choice([2, 3]), 2, "はい", "はい",
            "地震;津波;洪水;土砂災害;高潮", rng.choice([0, 0, 30, 60]), "はい", "医療的ケア児", "架空（ベンチマーク用）"]


def synth(sonae, network, children, seed, prefix, out_csv, muni_rewrite=None):
    subprocess.run([sonae, "synth", "--municipality", "352012", "--network", network, "--children", str(children),
                    "--seed", str(seed), "--id-prefix", prefix, "-o", out_csv], check=True, stdout=subprocess.DEVNULL)
    if muni_rewrite:
        with open(out_csv, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        col = rows[0].index("municipality_code")
        for r in rows[1:]:
            r[col] = muni_rewrite
        with open(out_csv, "w", encoding="utf-8-sig", newline="") as f:
            csv.writer(f, lineterminator="\r\n").writerows(rows)


def make_kochi(args):
    src = os.path.join(REPO, "scenarios", "kochi-tsunami")
    out = args.out
    os.makedirs(os.path.join(out, "data"), exist_ok=True)
    for name in ["kochi_roads_20210802.osm.pbf", "tsunami_zones.geojson"]:
        shutil.copy(os.path.join(src, "data", name), os.path.join(out, "data", name))
    rng = random.Random(args.seed)
    shelters, seen = [], set()
    for layer in ["kochi_gsi_evacuation_392014.json", "kochi_gsi_emergency_392014.json"]:
        with open(os.path.join(src, "data", layer), encoding="utf-8") as f:
            for s in json.load(f)["features"]:
                key = tuple(round(v, 5) for v in s["geometry"]["coordinates"])
                if key not in seen:
                    seen.add(key)
                    shelters.append(s)
    # Homes first: the shelters used are those inside the homes' extent (the network covers
    # central Kochi only; GSI lists the whole city).
    synth(args.sonae, os.path.join(out, "data", "kochi_roads_20210802.osm.pbf"), args.children, args.seed, "KOC",
          os.path.join(out, "data", "registry.csv"), muni_rewrite="392014")
    with open(os.path.join(out, "data", "registry.csv"), encoding="utf-8-sig", newline="") as f:
        homes = [(float(r["home_lon"]), float(r["home_lat"])) for r in csv.DictReader(f)]
    lo_lon, hi_lon = min(h[0] for h in homes), max(h[0] for h in homes)
    lo_lat, hi_lat = min(h[1] for h in homes), max(h[1] for h in homes)
    shelters = [s for s in shelters
                if lo_lon <= s["geometry"]["coordinates"][0] <= hi_lon and lo_lat <= s["geometry"]["coordinates"][1] <= hi_lat]
    shelters.sort(key=lambda s: (s["properties"]["共通ID"], s["geometry"]["coordinates"]))
    step = max(1, len(shelters) // args.facilities)
    chosen = shelters[::step][: args.facilities]
    rows = [facility_row(k + 1, *s["geometry"]["coordinates"], "392014", rng, [4, 6, 8, 10]) for k, s in enumerate(chosen)]
    write_csv(os.path.join(out, "data", "facilities.csv"), FAC_HEADER, rows)
    vans = [[f"VAN-{k:02d}", "福祉車両", 3, 1, 0, 100, "いいえ", "はい", f"{133.53 + 0.002 * k:.4f}", "33.5750", 30,
             "392014", "社会福祉協議会（架空）"] for k in range(1, 9)]
    ambs = [[f"AMB-{k:02d}", "民間救急", 2, 0, 1, 300, "はい", "いいえ", "133.5400", f"{33.583 + 0.001 * k:.4f}", 25,
             "392014", "病院（架空）"] for k in range(1, 5)]
    write_csv(os.path.join(out, "data", "vehicles.csv"), VEH_HEADER, vans + ambs)
    with open(os.path.join(out, "scenario.toml"), "w", encoding="utf-8") as f:
        f.write(f"""# Planner benchmark on the real Kochi network (bench/planner/make_scenarios.py).
[scenario]
name = "bench-kochi-{args.children}"
title = "ベンチマーク: 高知市 津波想定・架空の児童{args.children}人と施設{args.facilities}か所"
hazard = "tsunami"
seed = {args.seed}
horizon_h = 72

[network]
path = "data/kochi_roads_20210802.osm.pbf"

[registry]
path = "data/registry.csv"
encoding = "auto"

[[facilities]]
path = "data/facilities.csv"
kind = "facilities"

[vehicles]
path = "data/vehicles.csv"

[[hazards]]
path = "data/tsunami_zones.geojson"
kind = "tsunami"
onset_field = "arrival_min"
id_field = "name"
depth_field = "depth_m"

[timeline]
t0 = "南海トラフ地震発生・大津波警報"
mains_lost_min = 0

[options]
at_risk_threshold_min = 15
safety_margin_min = 30
decision_min = 5
max_snap_m = 500
walk_max_m = 800
""")


def make_grid(args):
    out = args.out
    data = os.path.join(out, "data")
    os.makedirs(data, exist_ok=True)
    rng = random.Random(args.seed)
    side = args.side
    lon0, lat0, dlon, dlat = 130.90, 33.90, 0.0012, 0.001
    osm_path = os.path.join(data, "grid.osm")
    with open(osm_path, "w", encoding="utf-8") as f:
        f.write("<?xml version='1.0' encoding='UTF-8'?>\n<osm version=\"0.6\" generator=\"sonae bench\">\n")
        for r in range(side):
            for c in range(side):
                f.write(f' <node id="{r * side + c + 1}" version="1" lat="{lat0 + r * dlat:.7f}" '
                        f'lon="{lon0 + c * dlon:.7f}"/>\n')
        way = 1

        def write_way(ids, highway, oneway):
            nonlocal way
            f.write(f' <way id="{way}" version="1">\n')
            f.write("".join(f'  <nd ref="{i}"/>\n' for i in ids))
            f.write(f'  <tag k="highway" v="{highway}"/>\n')
            if oneway:
                f.write('  <tag k="oneway" v="yes"/>\n')
            f.write(" </way>\n")
            way += 1

        for r in range(side):
            ids = [r * side + c + 1 for c in range(side)]
            write_way(ids, "secondary" if r % 10 == 0 else "residential", r % 10 != 0 and r % 7 == 3)
        for c in range(side):
            ids = [r * side + c + 1 for r in range(side)]
            write_way(ids, "secondary" if c % 10 == 0 else "residential", c % 10 != 0 and c % 7 == 5)
        f.write("</osm>\n")
    pbf = os.path.join(data, "grid.osm.pbf")
    subprocess.run(["osmium", "cat", "--overwrite", osm_path, "-o", pbf], check=True)
    os.remove(osm_path)
    zones = []
    for k in range(25):
        # 2-9 km across: river and lowland flood areas, not the whole city.
        w = rng.uniform(0.02, 0.08) * side / 1000
        h = rng.uniform(0.02, 0.08) * side / 1000
        x = lon0 + rng.uniform(0, side * dlon - w)
        y = lat0 + rng.uniform(0, side * dlat - h)
        ring = [[x, y], [x + w, y], [x + w, y + h], [x, y + h], [x, y]]
        zones.append({"type": "Feature", "properties": {"name": f"浸水想定{k + 1}（架空）", "onset_min": rng.randint(60, 300),
                                                        "depth_m": round(rng.uniform(0.3, 3.0), 1)},
                      "geometry": {"type": "Polygon", "coordinates": [ring]}})
    with open(os.path.join(data, "flood_zones.geojson"), "w", encoding="utf-8") as f:
        json.dump({"type": "FeatureCollection", "features": zones}, f, ensure_ascii=False)
    rows = []
    for k in range(args.facilities):
        r, c = rng.randrange(side), rng.randrange(side)
        # Places for about 1.5 times the children, spread unevenly.
        mean = 1.5 * args.children / args.facilities
        rows.append(facility_row(k + 1, lon0 + c * dlon, lat0 + r * dlat, "352012", rng,
                                 [max(2, round(mean * f)) for f in (0.5, 0.8, 1.0, 1.2, 1.5)]))
    write_csv(os.path.join(data, "facilities.csv"), FAC_HEADER, rows)
    vehicles = []
    for k in range(1, 31):
        r, c = rng.randrange(side), rng.randrange(side)
        amb = k % 3 == 0
        vehicles.append([f"{'AMB' if amb else 'VAN'}-{k:02d}", "民間救急" if amb else "福祉車両", 2 if amb else 3,
                         0 if amb else 1, 1 if amb else 0, 300 if amb else 100, "はい" if amb else "いいえ",
                         "いいえ" if amb else "はい", f"{lon0 + c * dlon:.6f}", f"{lat0 + r * dlat:.6f}", 30, "352012",
                         "架空"])
    write_csv(os.path.join(data, "vehicles.csv"), VEH_HEADER, vehicles)
    synth(args.sonae, pbf, args.children, args.seed, "GRD", os.path.join(data, "registry.csv"))
    with open(os.path.join(out, "scenario.toml"), "w", encoding="utf-8") as f:
        f.write(f"""# Planner benchmark: synthetic {side}x{side} grid city (bench/planner/make_scenarios.py).
[scenario]
name = "bench-grid-{side}"
title = "ベンチマーク用 格子状の架空都市（{side * side:,} 交差点）"
hazard = "flood"
seed = {args.seed}
horizon_h = 72

[network]
path = "data/grid.osm.pbf"

[registry]
path = "data/registry.csv"
encoding = "auto"

[[facilities]]
path = "data/facilities.csv"
kind = "facilities"

[vehicles]
path = "data/vehicles.csv"

[[hazards]]
path = "data/flood_zones.geojson"
kind = "flood"
onset_field = "onset_min"
id_field = "name"
depth_field = "depth_m"

[timeline]
t0 = "大雨警報・警戒レベル3（架空）"
mains_lost_min = 90

[options]
max_snap_m = 500
""")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("kind", choices=["kochi", "grid"])
    ap.add_argument("sonae")
    ap.add_argument("out")
    ap.add_argument("--children", type=int)
    ap.add_argument("--facilities", type=int)
    ap.add_argument("--side", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=20261121)
    args = ap.parse_args()
    if args.kind == "kochi":
        args.children = args.children or 1000
        args.facilities = args.facilities or 300
        make_kochi(args)
    else:
        args.children = args.children or 10000
        args.facilities = args.facilities or 1000
        make_grid(args)


if __name__ == "__main__":
    sys.exit(main())
