"""Writes a synthetic finance-system export of payments for the spending benchmark.

    python3 scripts/spend_file.py OUT.csv ROWS [YEARS]

ROWS payments over YEARS years (10 by default) ending last month, shaped like an office's
spending: 1,500 suppliers drawn with a Zipf-like skew (a few councils and providers are paid
often, most suppliers rarely), 40 expense types, amounts from £500.01 to £250,000 with a long
tail, dates as dd/mm/yyyy and amounts with thousands separators as finance systems write them,
and 3 % of payments to individuals (payee type "Individual"), which the import redacts. Invented
names; deterministic, so every run imports the same file.
"""
import csv
import datetime
import random
import sys

out, rows = sys.argv[1], int(sys.argv[2])
years = int(sys.argv[3]) if len(sys.argv) > 3 else 10
rng = random.Random(2026)
words = ["North", "Trent", "Moorland", "Peak", "Chase", "Mercia", "Stafford", "Cannock", "Lichfield", "Tamworth",
         "Leek", "Burton", "Stone", "Uttoxeter", "Rugeley", "Cheadle", "Kidsgrove", "Biddulph", "Penkridge", "Eccleshall"]
kinds = ["Ltd", "LLP", "Services Ltd", "Group plc", "Trust", "CIC", "Partnership", "Council"]
suppliers = [f"{rng.choice(words)} {rng.choice(words)} {rng.choice(kinds)} {n}" for n in range(1500)]
types = [f"{t}" for t in ["Commissioned services", "Partnership funding", "Supplies and services", "Professional fees",
         "IT and communications", "Premises", "Printing", "Travel", "Training", "Grants", "Insurance", "Legal fees",
         "Audit fees", "Vehicle costs", "Equipment", "Consultancy", "Catering", "Room hire", "Advertising", "Postage",
         "Subscriptions", "Recruitment", "Cleaning", "Security", "Utilities", "Rent", "Rates", "Repairs", "Software",
         "Hardware", "Telephony", "Translation", "Interpreting", "Medical services", "Custody services", "Forensics",
         "Victim services", "Restorative justice", "Youth services", "Road safety"]]
purposes = ["Quarterly payment", "Monthly payment", "Annual subscription", "Invoice", "Stage payment", "Grant instalment"]
today = datetime.date.today()
end = today.replace(day=1) - datetime.timedelta(days=1)
start = end.replace(year=end.year - years) + datetime.timedelta(days=1)
span = (end - start).days


def zipf(n):
    return min(n - 1, int(n ** rng.random()) - 1)


with open(out, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["Transaction Number", "Payment Date", "Supplier Name", "Amount", "Expense Type", "Description", "Payee Type"])
    for n in range(rows):
        paid = start + datetime.timedelta(days=rng.randrange(span + 1))
        individual = rng.random() < 0.03
        supplier = f"Mr A Person {n % 97}" if individual else suppliers[zipf(len(suppliers))]
        pence = 50_001 + int(rng.paretovariate(1.2) * 40_000) % 24_950_000
        amount = f"{pence // 100:,}.{pence % 100:02d}"
        w.writerow([f"S{n:07d}", paid.strftime("%d/%m/%Y"), supplier, amount, types[zipf(len(types))],
                    rng.choice(purposes), "Individual" if individual else "Organisation"])
