#!/usr/bin/python3
"""Replays sonae's exported routing queries in networkx and pgRouting, checks that every answer
is identical, and prints timings and ratios.

usage: compare.py EXPORT_DIR [--pg-port PORT]   (EXPORT_DIR from bench_geo_routing --export)

The graph given to the peers is exactly the one sonae routed on (usable edges, integer weights,
original node ids), so all three must agree to the unit. sonae's answers are those of its
Dijkstra Router and of its contraction hierarchy (CH), which bench_geo_routing has already
checked identical to each other. Times are wall-clock medians or totals; pgRouting's time is
measured inside the server (clock_timestamp in plpgsql), so connection set-up and result
transfer are not counted.

Ratios are peer time / sonae time, for the Dijkstra Router, for CH queries alone, and for the
CH with its whole preprocessing time charged to that one row ("CH+build": per tree, the build
is spread over the trees of the run; for the other rows it is added once).
"""
import csv
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import networkx as nx


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def fail(message):
    print("MISMATCH: " + message, file=sys.stderr)
    sys.exit(1)


def run_networkx(d, trees, pairs, matrix):
    t0 = time.perf_counter()
    g = nx.DiGraph()
    for row in read_csv(d / "edges.csv"):
        u, v, c = int(row["source"]), int(row["target"]), int(row["cost"])
        if not g.has_edge(u, v) or g[u][v]["cost"] > c:  # parallel edges: the cheapest
            g.add_edge(u, v, cost=c)
    for row in read_csv(d / "nodes.csv"):
        g.add_node(int(row["id"]))
    load_ms = (time.perf_counter() - t0) * 1e3

    tree_ms = []
    tree_cpu_ms = []
    for row in trees:
        s = int(row["source"])
        t0 = time.perf_counter()
        c0 = time.thread_time()
        dist = nx.single_source_dijkstra_path_length(g, s, weight="cost")
        tree_cpu_ms.append((time.thread_time() - c0) * 1e3)
        tree_ms.append((time.perf_counter() - t0) * 1e3)
        if len(dist) != int(row["reached"]) or sum(dist.values()) != int(row["sum_dist"]):
            fail(f"networkx tree from {s}: {len(dist)} nodes, sum {sum(dist.values())}; "
                 f"sonae {row['reached']} nodes, sum {row['sum_dist']}")

    t0 = time.perf_counter()
    c0 = time.thread_time()
    got = [nx.dijkstra_path_length(g, int(r["source"]), int(r["target"]), weight="cost")
           for r in pairs]
    pairs_cpu_ms = (time.thread_time() - c0) * 1e3
    pairs_ms = (time.perf_counter() - t0) * 1e3
    for r, x in zip(pairs, got):
        if x != int(r["dist"]):
            fail(f"networkx {r['source']} -> {r['target']}: {x}, sonae {r['dist']}")

    sources = list(dict.fromkeys(int(r["source"]) for r in matrix))
    t0 = time.perf_counter()
    c0 = time.thread_time()
    rows = {s: nx.single_source_dijkstra_path_length(g, s, weight="cost") for s in sources}
    matrix_cpu_ms = (time.thread_time() - c0) * 1e3
    matrix_ms = (time.perf_counter() - t0) * 1e3
    for r in matrix:
        x = rows[int(r["source"])].get(int(r["target"]))
        if x != int(r["dist"]):
            fail(f"networkx matrix {r['source']} -> {r['target']}: {x}, sonae {r['dist']}")
    return {"load_ms": load_ms, "tree_ms_median": statistics.median(tree_ms),
            "tree_ms_total": sum(tree_ms),
            "pairs_total_ms": pairs_ms, "matrix_ms": matrix_ms,
            "tree_cpu_ms_median": statistics.median(tree_cpu_ms), "pairs_cpu_ms": pairs_cpu_ms,
            "matrix_cpu_ms": matrix_cpu_ms}


def psql(port, sql, db="bench"):
    out = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", db, "-X", "-q",
         "-A", "-t", "-F", ",", "-v", "ON_ERROR_STOP=1", "-c", sql],
        check=True, capture_output=True, text=True).stdout
    return [line.split(",") for line in out.splitlines() if line.strip()]


EDGES_SQL = "SELECT id, source, target, cost FROM edges"

SETUP_SQL = """
CREATE OR REPLACE FUNCTION bench_tree(s bigint, OUT n bigint, OUT total numeric, OUT ms float8)
AS $$
DECLARE t0 timestamptz; targets bigint[];
BEGIN
  SELECT array_agg(id) INTO targets FROM nodes;
  t0 := clock_timestamp();
  SELECT count(*), sum(agg_cost) INTO n, total
    FROM pgr_dijkstraCost('%(edges)s', s, targets);
  ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION bench_pairs(OUT ms float8) AS $$
DECLARE t0 timestamptz; r record; c float8;
BEGIN
  DELETE FROM pair_results;
  t0 := clock_timestamp();
  FOR r IN SELECT k, source, target FROM pairs ORDER BY k LOOP
    SELECT agg_cost INTO c FROM pgr_dijkstraCost('%(edges)s', r.source, r.target);
    INSERT INTO pair_results VALUES (r.k, c);
  END LOOP;
  ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION bench_matrix(OUT ms float8) AS $$
DECLARE t0 timestamptz; src bigint[]; dst bigint[];
BEGIN
  SELECT array_agg(DISTINCT source), array_agg(DISTINCT target) INTO src, dst FROM matrix;
  DELETE FROM matrix_results;
  t0 := clock_timestamp();
  INSERT INTO matrix_results
    SELECT start_vid, end_vid, agg_cost FROM pgr_dijkstraCost('%(edges)s', src, dst);
  ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
END $$ LANGUAGE plpgsql;
""" % {"edges": EDGES_SQL}


def run_pgrouting(d, port, trees, pairs, matrix):
    t0 = time.perf_counter()
    psql(port, "DROP TABLE IF EXISTS edges, nodes, pairs, pair_results, matrix, matrix_results;"
               "CREATE TABLE edges (id bigint PRIMARY KEY, source bigint, target bigint,"
               " cost float8);"
               "CREATE TABLE nodes (id bigint PRIMARY KEY);"
               "CREATE TABLE pairs (k int, source bigint, target bigint, dist bigint);"
               "CREATE TABLE pair_results (k int, cost float8);"
               "CREATE TABLE matrix (source bigint, target bigint, dist bigint);"
               "CREATE TABLE matrix_results (source bigint, target bigint, cost float8);")
    for table, name in (("edges", "edges.csv"), ("nodes", "nodes.csv"), ("matrix", "matrix.csv")):
        psql(port, f"\\copy {table} FROM '{d / name}' WITH (FORMAT csv, HEADER true)")
    with open(d / "pairs_k.csv", "w") as f:
        for k, r in enumerate(pairs):
            f.write(f"{k},{r['source']},{r['target']},{r['dist']}\n")
    psql(port, f"\\copy pairs FROM '{d / 'pairs_k.csv'}' WITH (FORMAT csv)")
    psql(port, "ANALYZE;" + SETUP_SQL)
    load_ms = (time.perf_counter() - t0) * 1e3

    psql(port, f"SELECT * FROM bench_tree({trees[0]['source']})")  # warm-up
    tree_ms = []
    for row in trees:
        n, total, ms = psql(port, f"SELECT * FROM bench_tree({row['source']})")[0]
        tree_ms.append(float(ms))
        # pgr_dijkstraCost leaves out the source itself (distance 0).
        if int(n) + 1 != int(row["reached"]) or int(float(total)) != int(row["sum_dist"]):
            fail(f"pgRouting tree from {row['source']}: {n} + 1 nodes, sum {total}; "
                 f"sonae {row['reached']} nodes, sum {row['sum_dist']}")

    pairs_ms = float(psql(port, "SELECT * FROM bench_pairs()")[0][0])
    got = psql(port, "SELECT p.k, p.source, p.target, p.dist, r.cost FROM pairs p "
                     "LEFT JOIN pair_results r USING (k) ORDER BY p.k")
    for k, s, t, dist, cost in got:
        x = 0 if s == t else (int(float(cost)) if cost else None)
        if x != int(dist):
            fail(f"pgRouting {s} -> {t}: {cost}, sonae {dist}")

    matrix_ms = float(psql(port, "SELECT * FROM bench_matrix()")[0][0])
    got = psql(port, "SELECT m.source, m.target, m.dist, r.cost FROM matrix m "
                     "LEFT JOIN matrix_results r USING (source, target)")
    for s, t, dist, cost in got:
        x = 0 if s == t else (int(float(cost)) if cost else None)
        if x != int(dist):
            fail(f"pgRouting matrix {s} -> {t}: {cost}, sonae {dist}")
    version = psql(port, "SELECT pgr_version()")[0][0]
    return {"load_ms": load_ms, "tree_ms_median": statistics.median(tree_ms),
            "tree_ms_total": sum(tree_ms),
            "pairs_total_ms": pairs_ms, "matrix_ms": matrix_ms, "version": version}


def main():
    d = Path(sys.argv[1])
    port = None
    if "--pg-port" in sys.argv:
        port = int(sys.argv[sys.argv.index("--pg-port") + 1])
    sonae = json.loads((d / "sonae.json").read_text())
    trees = read_csv(d / "trees.csv")
    pairs = read_csv(d / "pairs.csv")
    matrix = read_csv(d / "matrix.csv")
    peers = {"networkx " + nx.__version__: run_networkx(d, trees, pairs, matrix)}
    if port:
        pg = run_pgrouting(d, port, trees, pairs, matrix)
        peers["pgRouting " + pg.pop("version")] = pg

    ch = sonae["ch"]
    trees_n = sonae["trees"]
    build = ch["build_ms"]
    print(f"\n== {sonae['network']} ({sonae['mode']} weights): {sonae['nodes']} nodes, "
          f"{sonae['edges']} edges; all answers identical (Dijkstra, CH and every peer) ==")
    print(f"CH preprocessing: {build:.1f} ms wall ({ch['build_cpu_ms']:.1f} ms CPU); "
          f"{ch['input_arcs']} arcs in, {ch['shortcuts']} shortcuts, "
          f"{ch['upward_arcs']} up + {ch['downward_arcs']} down arcs, "
          f"{ch['memory_bytes'] / 1e6:.2f} MB")

    def whole_run(r):
        return r["tree_ms_total"] + r["pairs_total_ms"] + r["matrix_ms"]

    # (label, Dijkstra, CH queries, CH with the build charged, key in the peers' results)
    rows = [("one-to-all tree, median ms", sonae["tree_ms_median"], ch["tree_ms_median"],
             (build + ch["tree_ms_total"]) / trees_n, "tree_ms_median"),
            (f"{sonae['pairs']} point-to-point, total ms", sonae["pairs_total_ms"],
             ch["pairs_total_ms"], build + ch["pairs_total_ms"], "pairs_total_ms"),
            (f"matrix {sonae['matrix']}, ms", sonae["matrix_ms"], ch["matrix_ms"],
             build + ch["matrix_ms"], "matrix_ms"),
            ("whole run (trees+pairs+matrix), ms", whole_run(sonae), whole_run(ch),
             build + whole_run(ch), None)]
    result = {"network": sonae["network"], "sonae": sonae, "peers": peers, "ratios": {}}
    print(f"{'query':36s} {'Dijkstra':>10s} {'CH':>9s} {'CH+build':>9s}" +
          "".join(f" | {p:>20s} {'/Dijk':>7s} {'/CH':>7s} {'/CH+b':>7s}" for p in peers))
    for label, dij, chq, cha, key in rows:
        line = f"{label:36s} {dij:10.3f} {chq:9.3f} {cha:9.3f}"
        for p, r in peers.items():
            x = r[key] if key else whole_run(r)
            line += f" | {x:20.3f} {x / dij:6.1f}x {x / chq:6.1f}x {x / cha:6.1f}x"
            result["ratios"].setdefault(p, {})[key or "whole_run"] = {
                "dijkstra": x / dij, "ch": x / chq, "ch_with_build": x / cha}
        print(line)
    print(f"CH backward tree median {ch['backward_tree_ms_median']:.3f} ms "
          f"(Dijkstra {sonae['backward_tree_ms_median']:.3f}); {sonae['pairs']} CH distances "
          f"without paths {ch['pairs_distance_only_ms']:.3f} ms")
    # CPU time of the querying thread (not available for the PostgreSQL server process): less
    # disturbed than wall time when other jobs share the machine.
    nx_key = next(p for p in peers if p.startswith("networkx"))
    print("CPU time, sonae (Dijkstra, CH) vs " + nx_key + ":")
    for label, key in (("one-to-all tree, median ms", "tree_cpu_ms_median"),
                       (f"{sonae['pairs']} point-to-point, total ms", "pairs_cpu_ms"),
                       (f"matrix {sonae['matrix']}, ms", "matrix_cpu_ms")):
        a, c, b = sonae[key], ch[key], peers[nx_key][key]
        print(f"{label:36s} {a:10.3f} {c:9.3f} {b:20.3f} {b / a:6.1f}x {b / c:6.1f}x")
    (d / "result.json").write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
