#!/usr/bin/env python3
"""Build the web page's offline basemap, data/basemap/basemap.json, from npm packages.

    python3 scripts/build_basemap.py [--out data/basemap/basemap.json]

Needs node/npm and network access to the npm registry (run by hand; the output is
committed, like the gazetteer). Steps:

1. `npm pack` the pinned data packages and extract the files used:
   - @superset-ui/legacy-plugin-chart-country-map 0.20.3 (Apache-2.0, from Natural
     Earth): esm/countries/ukraine.geojson (27 areas) and russia.geojson (85 areas).
     Both carry Crimea and Sevastopol (UA-43, UA-40): Ukraine's copy is kept, Russia's
     dropped.
   - world-atlas 2.0.2 (ISC, Natural Earth 1:50m): countries-50m.json (TopoJSON).
2. Simplify and clip with mapshaper (npm, pinned) to the theatre's bounding box, with
   coordinates rounded to 0.01 degrees (about 1 km).
3. Write one compact JSON: {about, bbox, countries: [{name, rings}], areas: [{iso,
   name, country, rings}]}, rings as [[lon, lat], ...].
"""
import argparse
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

COUNTRY_MAP = ("@superset-ui/legacy-plugin-chart-country-map", "0.20.3")
WORLD_ATLAS = ("world-atlas", "2.0.2")
MAPSHAPER = ("mapshaper", "0.7.70")
# west, south, east, north: Ukraine, Belarus, Moldova and western Russia to Moscow.
BBOX = (18.0, 41.0, 50.0, 58.0)
# Crimea and Sevastopol: kept from the Ukraine file only.
DROP_FROM_RUSSIA = ("UA-43", "UA-40")


def run(cmd, cwd):
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL)


def npm_pack(name, version, work):
    out = subprocess.run(["npm", "pack", f"{name}@{version}", "--silent"], cwd=work, check=True,
                         capture_output=True, text=True).stdout.strip().splitlines()[-1]
    return work / out


def extract(tgz, members, dest):
    with tarfile.open(tgz) as t:
        for m in members:
            f = t.extractfile(f"package/{m}")
            target = dest / Path(m).name
            target.write_bytes(f.read())
    return dest


def mapshaper(work, args):
    run([str(work / "ms/node_modules/.bin/mapshaper"), *args], cwd=work)


def rings(geometry):
    """Outer and inner rings of a Polygon or MultiPolygon, as lists of [lon, lat]."""
    if geometry is None:
        return []
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    if geometry["type"] == "MultiPolygon":
        return [r for poly in geometry["coordinates"] for r in poly]
    return []


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "data/basemap/basemap.json"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        cm = npm_pack(*COUNTRY_MAP, work)
        wa = npm_pack(*WORLD_ATLAS, work)
        extract(cm, ["esm/countries/ukraine.geojson", "esm/countries/russia.geojson"], work)
        extract(wa, ["countries-50m.json"], work)
        run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(work / "ms"),
             f"{MAPSHAPER[0]}@{MAPSHAPER[1]}"], cwd=work)
        bbox = "bbox=" + ",".join(str(v) for v in BBOX)
        mapshaper(work, ["-i", "countries-50m.json", "-target", "countries", "-clip", bbox,
                         "-simplify", "15%", "keep-shapes", "-o", "format=geojson", "precision=0.01", "countries.geo.json"])
        mapshaper(work, ["-i", "ukraine.geojson", "-simplify", "12%", "keep-shapes",
                         "-o", "format=geojson", "precision=0.01", "ua.geo.json"])
        drop = " && ".join(f"ISO != '{iso}'" for iso in DROP_FROM_RUSSIA)
        mapshaper(work, ["-i", "russia.geojson", "-filter", drop, "-clip", bbox, "-simplify", "12%", "keep-shapes",
                         "-o", "format=geojson", "precision=0.01", "ru.geo.json"])

        countries = []
        for f in json.loads((work / "countries.geo.json").read_text())["features"]:
            r = rings(f["geometry"])
            if r:
                countries.append({"name": f["properties"].get("name"), "rings": r})
        areas = []
        for country, name in (("UA", "ua.geo.json"), ("RU", "ru.geo.json")):
            for f in json.loads((work / name).read_text())["features"]:
                r = rings(f["geometry"])
                if r:
                    areas.append({"iso": f["properties"]["ISO"], "name": f["properties"]["NAME_1"], "country": country, "rings": r})
        countries.sort(key=lambda c: c["name"] or "")
        areas.sort(key=lambda a: a["iso"])
        out = {
            "about": ("Natural Earth boundaries via npm packages world-atlas 2.0.2 (ISC) and "
                      "@superset-ui/legacy-plugin-chart-country-map 0.20.3 (Apache-2.0); simplified with "
                      "mapshaper 0.7.70 by scripts/build_basemap.py"),
            "bbox": list(BBOX),
            "countries": countries,
            "areas": areas,
        }
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(out, separators=(",", ":"), ensure_ascii=False) + "\n")
        print(f"wrote {args.out}: {len(countries)} countries, {len(areas)} areas, {Path(args.out).stat().st_size} bytes")


if __name__ == "__main__":
    main()
