#!/usr/bin/env python3
"""Writes districts.csv: every local authority district of England and Wales as it is now, with
its community safety partnership, police force area and fire and rescue authority.

The ONS lookups of December 2019 (the newest in the copy we hold) give the partnership, force
area and fire authority of each 2019 district; mySociety's register gives what each 2019 district
is now, after the reorganisations of 2020 to 2024. Where a district now is several 2019 districts
(or a 2019 district was in several partnerships) and they were not in one partnership, the
partnership is named after the district and has no ONS code: ONS has coded it since, in a lookup
we do not hold. Run from this folder: python3 derive.py
"""

import csv
from collections import defaultdict

# Fire authorities combined since December 2019, as (2019 names, name now, when, authority).
FIRE_COMBINATIONS = [
    (
        {"Hampshire", "Isle of Wight"},
        "Hampshire and Isle of Wight",
        "2021-04-01",
        "The Hampshire and Isle of Wight Fire and Rescue Authority (Combination Scheme) Order 2020",
    ),
]


def read(name):
    with open(name, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def force_slug(pfa_name):
    """police.uk's identifier for a force area from its ONS name."""
    name = pfa_name.lower().replace("&", "and")
    return {"metropolitan police": "metropolitan", "london, city of": "city-of-london"}.get(name, "-".join(name.split()))


def main():
    lookup = read("ons-lad19-csp19-pfa19.csv")
    fire = {row["LAD19CD"]: row for row in read("ons-lad19-fra19.csv")}
    authorities = read("mysociety-local-authorities.csv")

    by_registry = {a["local-authority-code"]: a for a in authorities}
    current = {a["gss-code"]: a for a in authorities if a["current-authority"] == "True" and a["lower-or-unitary"] == "True"}
    former = {}
    for a in current.values():
        for code in filter(None, a["former-gss-codes"].split(",")):
            former[code.strip()] = a

    def now(code):
        """The district a 2019 district code is part of now."""
        if code in current:
            return current[code]
        if code in former:
            return former[code]
        ended = next(a for a in authorities if a["gss-code"] == code)
        successors = ended["replaced-by"].split(",")
        assert len(successors) == 1, f"{code} was split: {successors}"
        return now(by_registry[successors[0]]["gss-code"])

    districts = defaultdict(lambda: {"partnerships": set(), "forces": set(), "fire": set(), "was": set()})
    for row in lookup:
        district = now(row["LAD19CD"])
        d = districts[district["gss-code"]]
        d["authority"] = district
        d["partnerships"].add((row["CSP19CD"], row["CSP19NM"]))
        d["forces"].add((row["PFA19CD"], row["PFA19NM"]))
        f = fire[row["LAD19CD"]]
        d["fire"].add((f["FRA19CD"], f["FRA19NM"]))
        d["was"].add(row["LAD19NM"])

    out = []
    for code, d in sorted(districts.items()):
        authority = d["authority"]
        (force_code, force_name), = d["forces"]
        notes = []
        if len(d["partnerships"]) == 1:
            (csp_code, csp_name), = d["partnerships"]
        else:
            csp_code, csp_name = "", authority["nice-name"]
            notes.append("partnership formed since 2019 from " + ", ".join(sorted(n for _, n in d["partnerships"])))
        (fire_code, fire_name), = d["fire"]
        for was, name, when, order in FIRE_COMBINATIONS:
            if fire_name in was:
                fire_code, fire_name = "", name
                notes.append(f"fire authority combined on {when} ({order})")
        if d["was"] != {authority["nice-name"]} and len(d["was"]) > 1:
            notes.append("district formed from " + ", ".join(sorted(d["was"])))
        out.append([
            code, authority["nice-name"], authority["official-name"], authority["nation"],
            force_slug(force_name), force_code, force_name, csp_code, csp_name, fire_code, fire_name, "; ".join(notes),
        ])

    with open("districts.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow([
            "district_code", "district_name", "council", "nation", "force_area", "force_area_code", "force_area_name",
            "partnership_code", "partnership_name", "fire_authority_code", "fire_authority_name", "note",
        ])
        writer.writerows(out)
    print(f"{len(out)} districts, {len({r[4] for r in out})} force areas, {len({(r[7], r[8]) for r in out})} partnerships, "
          f"{len({r[10] for r in out})} fire authorities")


if __name__ == "__main__":
    main()
