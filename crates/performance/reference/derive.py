"""Derives the performance capability's reference tables from public, OGL-licensed data shipped in
the PyPI package crime-sim-toolkit 1.5.0 (pip download --no-deps crime-sim-toolkit==1.5.0):

  prc-pfa-2017-18.csv.gz   police recorded crime by police force area, 2017/18, all forces and
                           bodies, quarterly (Home Office open data table, from
                           src/prc-pfa-201718_new.csv), written back in the Home Office's own
                           column headings (the package renamed them with underscores and added an
                           index and a police.uk category, both dropped here);
  fire-population-2011.csv  the same residents by fire and rescue authority (by ONS code), each
                           LSOA's local authority mapped to its authority through
                           ../../platform/reference/areas/districts.csv;
  force-population-2011.csv  usual residents at the 2011 census by police force area (ONS, from
                           src/LSOA_data/census_2011_population_hh.csv, summed by LSOA using the
                           package's LSOA-to-force lookup, or where it has none, the LSOA's local
                           authority through ../../platform/reference/areas (mySociety's former
                           codes for authorities merged since 2011)).

Run: python3 derive.py path/to/unpacked/wheel
"""
import collections
import csv
import gzip
import io
import sys

root = sys.argv[1] + "/crime_sim_toolkit/src"
areas = "../../platform/reference/areas"

HEADINGS = ["Financial Year", "Financial Quarter", "Force Name", "Offence Description", "Offence Group",
            "Offence Subgroup", "Offence Code", "Number of Offences"]
# mtime 0: the same input writes the same bytes.
with io.TextIOWrapper(gzip.GzipFile("prc-pfa-2017-18.csv.gz", "wb", compresslevel=9, mtime=0), encoding="utf-8", newline="") as out:
    w = csv.writer(out, lineterminator="\n")
    w.writerow(HEADINGS)
    for row in csv.DictReader(open(f"{root}/prc-pfa-201718_new.csv", encoding="utf-8")):
        w.writerow([row[h.replace(" ", "_")] for h in HEADINGS])

districts = list(csv.DictReader(open(f"{areas}/districts.csv")))
district_force = {r["district_code"]: r["force_area"] for r in districts}
district_fire = {r["district_code"]: r["fire_authority_code"] or r["fire_authority_name"] for r in districts}
councils = list(csv.DictReader(open(f"{areas}/mysociety-local-authorities.csv")))
gss_of = {r["local-authority-code"]: r["gss-code"] for r in councils}
replaced_by = {r["gss-code"]: gss_of.get(r["replaced-by"], "") for r in councils if r["replaced-by"]}
for r in councils:
    for former in filter(None, r["former-gss-codes"].split("|")):
        replaced_by.setdefault(former, r["gss-code"])
def current(code):
    for _ in range(5):  # a council merged into one merged again
        if code in district_force:
            return code
        code = replaced_by.get(code, "")
    return None
def force_of(code):
    code = current(code)
    return district_force.get(code) if code else None
lsoa_force = {r["LSOA Code"]: r["Police_force"] for r in csv.DictReader(open(f"{root}/LSOA_data/PoliceforceLSOA.csv"))}
SLUGS = {"Metropolitan Police": "metropolitan", "City of London": "city-of-london"}
population = collections.Counter()
fire_population = collections.Counter()
reader = csv.reader(open(f"{root}/LSOA_data/census_2011_population_hh.csv", encoding="utf-8"))
next(reader)
for row in reader:
    if len(row) < 10 or not row[6].startswith(("E01", "W01")):
        continue
    force = lsoa_force.get(row[6], "")
    slug = SLUGS.get(force, force.lower().replace(" ", "-")) if force else force_of(row[2])
    assert slug, f"no force for {row[6]} in {row[2]}"
    people = int(row[9].replace(",", ""))
    population[slug] += people
    fire_population[district_fire[current(row[2])]] += people
assert len(population) == 43, len(population)
with open("force-population-2011.csv", "w", newline="") as out:
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["force", "residents_2011"])
    for slug in sorted(population):
        w.writerow([slug, population[slug]])
with open("fire-population-2011.csv", "w", newline="") as out:
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["fire_authority", "residents_2011"])
    for code in sorted(fire_population):
        w.writerow([code, fire_population[code]])
assert sum(fire_population.values()) == sum(population.values())
print(sum(population.values()), "residents in", len(population), "force areas and", len(fire_population), "fire authorities")
