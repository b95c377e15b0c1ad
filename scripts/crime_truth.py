#!/usr/bin/env python3
"""An independent computation of every published district crime figure, from the police.uk
files and ONS lookups themselves, for the truth test (crates/app/tests/service/crimedata_truth.rs).

It shares no code with Commissioner: it reads the raw CSVs with Python's csv module and works
each figure out from the rules as ADR 0004 and the README state them, using only the standard
library (binomial tails by summing log-probabilities, Student's t by numerical integration).

    crime_truth.py --street PATH... --lookup PATH...

PATH is a folder, a zip (or wheel), or a CSV; street files are found by name
(YYYY-MM-<force>-street.csv). Lookups are ONS-style CSVs read by column name. Prints JSON:
{"districts": {code: {...}}, "locations": {force: {...}}}.
"""
import argparse
import csv
import io
import json
import math
import os
import re
import sys
import zipfile
from collections import defaultdict

TYPES = [
    ("Anti-social behaviour", "anti-social-behaviour"),
    ("Bicycle theft", "bicycle-theft"),
    ("Burglary", "burglary"),
    ("Criminal damage and arson", "criminal-damage-arson"),
    ("Drugs", "drugs"),
    ("Other crime", "other-crime"),
    ("Other theft", "other-theft"),
    ("Possession of weapons", "possession-of-weapons"),
    ("Public order", "public-order"),
    ("Robbery", "robbery"),
    ("Shoplifting", "shoplifting"),
    ("Theft from the person", "theft-from-the-person"),
    ("Vehicle crime", "vehicle-crime"),
    ("Violence and sexual offences", "violent-crime"),
]
SLUG = {label.lower(): slug for label, slug in TYPES}
SLUG["public disorder and weapons"] = "public-order"
SLUG["violent crime"] = "violent-crime"
ASB = "anti-social-behaviour"
STREET_NAME = re.compile(r"(?:^|/)(\d{4}-\d{2})-(.+)-street\.csv$")


def csv_texts(path):
    """(name, text) of every CSV under a path."""
    if os.path.isdir(path):
        for root, _, files in os.walk(path):
            for name in sorted(files):
                if name.endswith(".csv"):
                    full = os.path.join(root, name)
                    with open(full, encoding="utf-8-sig", newline="") as f:
                        yield full, f.read()
    elif path.endswith((".zip", ".whl")):
        with zipfile.ZipFile(path) as archive:
            for name in sorted(archive.namelist()):
                if name.endswith(".csv"):
                    yield name, archive.read(name).decode("utf-8-sig")
    else:
        with open(path, encoding="utf-8-sig", newline="") as f:
            yield path, f.read()


def month_add(month, n):
    y, m = int(month[:4]), int(month[5:7])
    total = y * 12 + m - 1 + n
    return "%04d-%02d" % (total // 12, total % 12 + 1)


def days_in(month):
    y, m = int(month[:4]), int(month[5:7])
    if m == 2:
        return 29 if (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)) else 28
    return 30 if m in (4, 6, 9, 11) else 31


def force_key(text):
    words = [w for w in re.split(r"[^a-z0-9]+", text.lower().replace("&", " and ")) if w]
    words = [w for w in words if w not in ("police", "constabulary", "service")]
    if len(words) > 2 and words[-2:] == ["city", "of"]:
        words = words[-2:] + words[:-2]
    return "".join(words)


# ---- exact binomial test and Student's t, written independently ----

def log_pmf(k, n, p):
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1) + k * math.log(p) + (n - k) * math.log(1 - p)


def log_sum(values):
    top = max(values)
    return top + math.log(sum(math.exp(v - top) for v in values))


def binomial_two_sided(after, total):
    """2 × the smaller tail of Binomial(total, ½) at `after`, capped at 1. With equal exposure
    the distribution is symmetric, so the smaller tail is the one on `after`'s side of the middle
    (and at the middle both tails pass ½, so the answer is 1)."""
    if total == 0 or 2 * after == total:
        return 1.0
    ks = range(0, after + 1) if 2 * after < total else range(after, total + 1)
    return min(1.0, 2 * math.exp(log_sum([log_pmf(k, total, 0.5) for k in ks])))


def t_two_sided(t, df):
    """P(|T| ≥ |t|), by Simpson's rule on the density from 0 to |t|."""
    t = abs(t)
    if t == 0:
        return 1.0
    c = math.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2)) / math.sqrt(df * math.pi)
    density = lambda x: c * (1 + x * x / df) ** (-(df + 1) / 2)
    steps = 4000
    h = t / steps
    area = density(0) + density(t) + sum((4 if i % 2 else 2) * density(i * h) for i in range(1, steps))
    return max(0.0, 1 - 2 * area * h / 3)


def compare(pairs):
    """The like-month test of ADR 0004 on (before, after) month pairs."""
    before = sum(a for a, _ in pairs)
    after = sum(b for _, b in pairs)
    held = [(a, b) for a, b in pairs if a + b > 0]
    dispersion = 1.0
    if len(held) >= 2:
        total = sum(a + b for a, b in held)
        share = sum(b for _, b in held) / total
        if 0 < share < 1:
            dispersion = sum((b - (a + b) * share) ** 2 / ((a + b) * share * (1 - share)) for a, b in held) / (len(held) - 1)
    if dispersion <= 1.0:
        p = binomial_two_sided(after, before + after)
    else:
        scaled = lambda n: int(math.floor(n / dispersion + 0.5))
        exact = binomial_two_sided(scaled(after), scaled(before) + scaled(after))
        total = before + after
        score = (after - total * 0.5) / math.sqrt(dispersion * total * 0.25) if total else 0.0
        t = t_two_sided(score, len(held) - 1) if total and len(held) >= 2 else 1.0
        p = max(exact, t)
    return {"before": before, "after": after, "p_value": p, "dispersion": max(dispersion, 1.0) if dispersion > 1 else 1.0,
            "significant": p < 0.05}


# ---- the XmR chart of "Making Data Count", allowing for days in a month ----

def xmr(months, counts):
    if len(months) < 15:
        return None
    rates = [c / days_in(m) for m, c in zip(months, counts)]
    centre = sum(rates) / len(rates)
    ranges = [abs(rates[i] - rates[i - 1]) for i in range(1, len(rates)) if month_add(months[i - 1], 1) == months[i]]
    if not ranges:
        return None
    mr = sum(ranges) / len(ranges)
    upper, lower = centre + 2.66 * mr, max(0.0, centre - 2.66 * mr)
    flags = [set() for _ in rates]
    for i, r in enumerate(rates):
        if r > upper or r < lower:
            flags[i].add("outside-limits")
    side = [1 if r > centre else -1 if r < centre else 0 for r in rates]
    i = 0
    while i < len(rates):
        j = i + 1
        while j < len(rates) and side[i] != 0 and side[j] == side[i]:
            j += 1
        if side[i] != 0 and j - i >= 7:
            for k in range(i, j):
                flags[k].add("shift")
        i = j
    for sign in (1, -1):
        i = 0
        while i < len(rates):
            j = i + 1
            while j < len(rates) and (rates[j] - rates[j - 1]) * sign > 0:
                j += 1
            if j - i >= 6:
                for k in range(i, j):
                    flags[k].add("trend")
            i = max(j, i + 1)
    near = 2 / 3 * 2.66 * mr
    for sign in (1, -1):
        beyond = [(r - centre) * sign > near for r in rates]
        for i in range(len(rates) - 2):
            if sum(beyond[i:i + 3]) >= 2:
                for k in range(i, i + 3):
                    if beyond[k]:
                        flags[k].add("near-limit")
    return [{"centre": centre * days_in(m), "upper": upper * days_in(m), "lower": lower * days_in(m), "signals": sorted(f)}
            for m, f in zip(months, flags)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--street", nargs="+", required=True)
    parser.add_argument("--lookup", nargs="+", required=True)
    args = parser.parse_args()

    # LSOA → facts, later files overriding earlier ones as an import would.
    lsoa = defaultdict(dict)
    for path in args.lookup:
        for name, text in csv_texts(path):
            rows = list(csv.reader(io.StringIO(text)))
            if not rows:
                continue
            header = [h.strip() for h in rows[0]]
            col = lambda *names: next((header.index(n) for n in names if n in header), None)
            code = col("LSOA Code", "LSOA11CD", "LSOA21CD")
            if code is None or "Crime ID" in header:
                continue
            la, force, people = col("Local authority code", "LAD11CD"), col("Police_force", "PFA11NM"), col("Persons")
            year = (re.findall(r"(?<!\d)(19[89]\d|20\d\d)(?!\d)", os.path.basename(name)) or [""])[-1]
            for row in rows[1:]:
                if len(row) <= code or not row[code].strip():
                    continue
                facts = lsoa[row[code].strip()]
                if la is not None and row[la].strip():
                    facts["district"] = row[la].strip()
                if force is not None and row[force].strip():
                    facts["force"] = row[force].strip()
                if people is not None and row[people].strip():
                    facts["population"] = int(row[people].replace(",", ""))
                    facts["year"] = year

    # force → month → LSOA ("" for no location) → type → crimes.
    counts = defaultdict(lambda: defaultdict(lambda: defaultdict(lambda: defaultdict(int))))
    published = defaultdict(set)
    for path in args.street:
        for name, text in csv_texts(path):
            found = STREET_NAME.search(name.replace("\\", "/"))
            if not found:
                continue
            month, force = found.group(1), found.group(2)
            published[force].add(month)
            reader = csv.reader(io.StringIO(text))
            next(reader, None)
            for row in reader:
                where = row[7].strip() if row[4].strip() and row[5].strip() else ""
                counts[force][month][where][SLUG[row[9].strip().lower()]] += 1

    # Each force's share without a location over its latest twelve months.
    locations = {}
    for force, months in published.items():
        end = max(months)
        window = [m for m in months if m >= month_add(end, -11)]
        rows = {}
        for _, slug in TYPES:
            recorded = sum(n for m in window for per in counts[force][m].values() for t, n in per.items() if t == slug)
            without = sum(counts[force][m][""][slug] for m in window)
            rows[slug] = {"recorded": recorded, "without_location": without}
        crime = [r for s, r in rows.items() if s != ASB]
        rows["all-crime"] = {"recorded": sum(r["recorded"] for r in crime), "without_location": sum(r["without_location"] for r in crime)}
        for r in rows.values():
            r["percent"] = r["without_location"] * 100 / r["recorded"] if r["recorded"] else 0.0
        locations[force] = {"from": min(window), "to": end, "rows": rows}

    by_district = defaultdict(list)
    for code, facts in lsoa.items():
        if facts.get("district"):
            by_district[facts["district"]].append(code)
    keys = {force_key(f): f for f in published}
    districts = {}
    for district, members in by_district.items():
        forces = sorted({keys[force_key(lsoa[c]["force"])] for c in members if lsoa[c].get("force") and force_key(lsoa[c]["force"]) in keys})
        if not forces:
            continue
        population = sum(lsoa[c].get("population", 0) for c in members)
        years = {lsoa[c]["year"] for c in members if "population" in lsoa[c]}
        months = sorted(set().union(*(published[f] for f in forces)))
        end = months[-1]
        latest = [m for m in months if m >= month_add(end, -11)]
        previous = [m for m in months if month_add(end, -23) <= m < month_add(end, -11)]
        pairs = [(month_add(m, -12), m) for m in latest if month_add(m, -12) in months]
        member_set = set(members)

        def count(month, keep, forces=forces):
            return sum(n for f in forces for where, per in counts[f][month].items() if where in member_set
                       for t, n in per.items() if keep(t))

        def row(keep):
            out = {"latest": sum(count(m, keep) for m in latest), "previous": sum(count(m, keep) for m in previous)}
            out["per_thousand"] = out["latest"] * 12 / len(latest) * 1000 / population if population else None
            if not previous:
                out["verdict"] = "no earlier year held"
            elif len(pairs) < 6:
                out["verdict"] = "too few months to tell"
            else:
                out["comparison"] = compare([(count(a, keep), count(b, keep)) for a, b in pairs])
            return out

        rows = {slug: row(lambda t, slug=slug: t == slug) for _, slug in TYPES}
        rows["all-crime"] = row(lambda t: t != ASB)
        series = {}
        for name, keep in (("crime", lambda t: t != ASB), ("asb", lambda t: t == ASB)):
            values = [count(m, keep) for m in months]
            series[name] = {"months": months, "crimes": values, "limits": xmr(months, values)}
        others = {}
        for f in published:
            if f in forces:
                continue
            crimes = sum(count(m, lambda t: t != ASB, [f]) for m in latest)
            asb = sum(count(m, lambda t: t == ASB, [f]) for m in latest)
            if crimes + asb:
                others[f] = {"crimes": crimes, "anti_social_behaviour": asb}
        # Hotspots: every LSOA of the district, by crimes (not ASB) in the latest months.
        per_lsoa = {c: [sum(n for f in forces for t, n in counts[f][m][c].items() if t != ASB) for m in latest] for c in members}
        thresholds = []
        for i in range(len(latest)):
            ranked = sorted((v[i] for v in per_lsoa.values()), reverse=True)
            thresholds.append(max(ranked[max(1, math.ceil(len(ranked) / 10)) - 1], 1))
        hotspots = sorted(
            ({"code": c, "crimes": sum(v), "months_in_top_tenth": sum(1 for i, n in enumerate(v) if n >= thresholds[i]),
              "per_thousand": (sum(v) * 12 / len(latest) * 1000 / lsoa[c]["population"]) if lsoa[c].get("population") else None}
             for c, v in per_lsoa.items()),
            key=lambda h: (-h["crimes"], h["code"]))[:20]
        districts[district] = {
            "forces": forces, "population": population, "population_year": years.pop() if len(years) == 1 else "",
            "lsoas": len(members), "latest_month": end, "months_latest": len(latest), "months_previous": len(previous),
            "paired_months": len(pairs), "rows": rows, "series": series, "other_forces": others, "hotspots": hotspots,
        }
    json.dump({"districts": districts, "locations": locations}, sys.stdout)


if __name__ == "__main__":
    main()
