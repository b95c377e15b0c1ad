"""Derives the synthetic generator's reference tables from public, OGL-licensed data shipped in the
PyPI package crime-sim-toolkit 1.5.0 (pip download --no-deps crime-sim-toolkit==1.5.0):

  force-crime-mix.csv  police recorded crime 2017/18 (Home Office, via src/prc-pfa-201718_new.csv)
                       summed by territorial force and police.uk crime type;
  outcome-mix.csv      last outcome categories by crime type in the three real West Yorkshire
                       street files (2016-07, 2017-07, 2018-07) in tests/testing_data.

Run: python3 derive.py path/to/unpacked/wheel
"""
import collections
import csv
import glob
import sys

root = sys.argv[1]
# Police.uk force slugs for the 43 territorial forces of England and Wales, by the names in the
# Home Office table. Fraud bodies (Action Fraud, CIFAS, UK Finance, ...) and BTP are left out.
SLUGS = {
    "Avon and Somerset": "avon-and-somerset", "Bedfordshire": "bedfordshire", "Cambridgeshire": "cambridgeshire",
    "Cheshire": "cheshire", "London, City of": "city-of-london", "Cleveland": "cleveland", "Cumbria": "cumbria",
    "Derbyshire": "derbyshire", "Devon and Cornwall": "devon-and-cornwall", "Dorset": "dorset", "Durham": "durham",
    "Dyfed-Powys": "dyfed-powys", "Essex": "essex", "Gloucestershire": "gloucestershire",
    "Greater Manchester": "greater-manchester", "Gwent": "gwent", "Hampshire": "hampshire",
    "Hertfordshire": "hertfordshire", "Humberside": "humberside", "Kent": "kent", "Lancashire": "lancashire",
    "Leicestershire": "leicestershire", "Lincolnshire": "lincolnshire", "Merseyside": "merseyside",
    "Metropolitan Police": "metropolitan", "Norfolk": "norfolk", "North Wales": "north-wales",
    "North Yorkshire": "north-yorkshire", "Northamptonshire": "northamptonshire", "Northumbria": "northumbria",
    "Nottinghamshire": "nottinghamshire", "South Wales": "south-wales", "South Yorkshire": "south-yorkshire",
    "Staffordshire": "staffordshire", "Suffolk": "suffolk", "Surrey": "surrey", "Sussex": "sussex",
    "Thames Valley": "thames-valley", "Warwickshire": "warwickshire", "West Mercia": "west-mercia",
    "West Midlands": "west-midlands", "West Yorkshire": "west-yorkshire", "Wiltshire": "wiltshire",
}
TYPES = {
    "Violence and Sexual Offences": "violent-crime", "Other crime": "other-crime",
    "Criminal Damage and Arson": "criminal-damage-arson", "Other Theft": "other-theft",
    "Vehicle Crime": "vehicle-crime", "Burglary": "burglary", "Public Order": "public-order",
    "Shoplifting": "shoplifting", "Drugs": "drugs", "Bicycle Theft": "bicycle-theft",
    "Theft from the Person": "theft-from-the-person", "Robbery": "robbery",
    "Possession of Weapons": "possession-of-weapons",
}
mix = collections.Counter()
for row in csv.DictReader(open(f"{root}/crime_sim_toolkit/src/prc-pfa-201718_new.csv")):
    slug = SLUGS.get(row["Force_Name"])
    if slug and row["Offence_Group"] != "Fraud offences":
        mix[(slug, row["Force_Name"], TYPES[row["Policeuk_Cat"]])] += int(row["Number_of_Offences"])
assert len({k[0] for k in mix}) == 43
with open("force-crime-mix.csv", "w", newline="") as out:
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["force", "force_name", "crime_type", "offences_2017_18"])
    for key in sorted(mix):
        w.writerow([*key, mix[key]])

outcomes = collections.Counter()
for path in sorted(glob.glob(f"{root}/crime_sim_toolkit/tests/testing_data/test_policedata/*/*-street.csv")):
    for row in csv.DictReader(open(path, encoding="utf-8")):
        if row["Last outcome category"]:
            outcomes[(row["Crime type"], row["Last outcome category"])] += 1
with open("outcome-mix.csv", "w", newline="") as out:
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["crime_type", "outcome", "crimes"])
    for key in sorted(outcomes):
        w.writerow([*key, outcomes[key]])
