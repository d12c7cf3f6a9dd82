#!/usr/bin/python3
"""Converts a sonae plan.json (the Ube flood scenario) into a SUMO plain network and routes.

Network: the union of the plan's primary route polylines (lon/lat from the GeoPackage network,
projected to JGD2011 plane zone III by a local equirectangular approximation, adequate for
a few km), one SUMO edge per polyline segment in each travelled direction, 1 lane, 40 km/h
(11.11 m/s; the sonae car profile's urban default). Nodes are the distinct vertices
(rounded to 1e-7 degree).
Trips: every child with a primary route (family cars and vehicle-served children's home ->
shelter legs), departing at the plan's route departure time, with the explicit edge list.
Usage: plan_to_sumo.py plan.json OUTDIR
"""
import json, math, sys, os

plan = json.load(open(sys.argv[1]))
out = sys.argv[2]
os.makedirs(out, exist_ok=True)
lat0 = 33.95
kx = 111320.0 * math.cos(math.radians(lat0))
ky = 110540.0
nodes, edges, trips = {}, {}, []

def node(p):
    key = (round(p[0], 7), round(p[1], 7))
    if key not in nodes:
        nodes[key] = ("n%d" % len(nodes), (key[0] - 131.2) * kx, (key[1] - lat0) * ky)
    return nodes[key][0]

for c in plan["children"]:
    r = c.get("primary")
    if not r or len(r["geometry"]) < 2:
        continue
    ids = []
    prev = node(r["geometry"][0])
    for p in r["geometry"][1:]:
        cur = node(p)
        if cur == prev:
            continue
        eid = "%s_%s" % (prev, cur)
        edges[eid] = (prev, cur)
        ids.append(eid)
        prev = cur
    if ids:
        trips.append((int(r["depart_s"]), c["child_id"], ids))

with open(os.path.join(out, "net.nod.xml"), "w") as f:
    f.write("<nodes>\n")
    for nid, x, y in sorted(nodes.values()):
        f.write('  <node id="%s" x="%.2f" y="%.2f"/>\n' % (nid, x, y))
    f.write("</nodes>\n")
with open(os.path.join(out, "net.edg.xml"), "w") as f:
    f.write("<edges>\n")
    for eid, (a, b) in sorted(edges.items()):
        f.write('  <edge id="%s" from="%s" to="%s" numLanes="1" speed="11.11"/>\n' % (eid, a, b))
    f.write("</edges>\n")
trips.sort()
with open(os.path.join(out, "routes.rou.xml"), "w") as f:
    f.write("<routes>\n")
    for depart, cid, ids in trips:
        f.write('  <vehicle id="%s" depart="%d"><route edges="%s"/></vehicle>\n' % (cid, depart, " ".join(ids)))
    f.write("</routes>\n")
print("nodes %d edges %d trips %d" % (len(nodes), len(edges), len(trips)))
