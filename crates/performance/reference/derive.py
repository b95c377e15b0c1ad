"""Derives the performance capability's reference tables from public, OGL-licensed data shipped in
the PyPI package crime-sim-toolkit 1.5.0 (pip download --no-deps crime-sim-toolkit==1.5.0):

  prc-pfa-2017-18.csv.gz   police recorded crime by police force area, 2017/18, all forces and
                           bodies, quarterly (Home Office open data table, from
                           src/prc-pfa-201718_new.csv), written back in the Home Office's own
                           column headings (the package renamed them with underscores and added an
                           index and a police.uk category, both dropped here);
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
import sys

root = sys.argv[1] + "/crime_sim_toolkit/src"
areas = "../../platform/reference/areas"

HEADINGS = ["Financial Year", "Financial Quarter", "Force Name", "Offence Description", "Offence Group",
            "Offence Subgroup", "Offence Code", "Number of Offences"]
with gzip.open("prc-pfa-2017-18.csv.gz", "wt", newline="", encoding="utf-8", compresslevel=9) as out:
    w = csv.writer(out, lineterminator="\n")
    w.writerow(HEADINGS)
    for row in csv.DictReader(open(f"{root}/prc-pfa-201718_new.csv", encoding="utf-8")):
        w.writerow([row[h.replace(" ", "_")] for h in HEADINGS])

district_force = {r["district_code"]: r["force_area"] for r in csv.DictReader(open(f"{areas}/districts.csv"))}
councils = list(csv.DictReader(open(f"{areas}/mysociety-local-authorities.csv")))
gss_of = {r["local-authority-code"]: r["gss-code"] for r in councils}
replaced_by = {r["gss-code"]: gss_of.get(r["replaced-by"], "") for r in councils if r["replaced-by"]}
for r in councils:
    for former in filter(None, r["former-gss-codes"].split("|")):
        replaced_by.setdefault(former, r["gss-code"])
def force_of(code):
    for _ in range(5):  # a council merged into one merged again
        if code in district_force:
            return district_force[code]
        code = replaced_by.get(code, "")
    return None
lsoa_force = {r["LSOA Code"]: r["Police_force"] for r in csv.DictReader(open(f"{root}/LSOA_data/PoliceforceLSOA.csv"))}
SLUGS = {"Metropolitan Police": "metropolitan", "City of London": "city-of-london"}
population = collections.Counter()
reader = csv.reader(open(f"{root}/LSOA_data/census_2011_population_hh.csv", encoding="utf-8"))
next(reader)
for row in reader:
    if len(row) < 10 or not row[6].startswith(("E01", "W01")):
        continue
    force = lsoa_force.get(row[6], "")
    slug = SLUGS.get(force, force.lower().replace(" ", "-")) if force else force_of(row[2])
    assert slug, f"no force for {row[6]} in {row[2]}"
    population[slug] += int(row[9].replace(",", ""))
assert len(population) == 43, len(population)
with open("force-population-2011.csv", "w", newline="") as out:
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["force", "residents_2011"])
    for slug in sorted(population):
        w.writerow([slug, population[slug]])
print(sum(population.values()), "residents in", len(population), "areas")
