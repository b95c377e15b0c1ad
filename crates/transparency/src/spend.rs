//! Spending over £500: reading a finance system's CSV through the office's saved column mapping,
//! checking every row, and redacting payments to individuals. Pure: the store writes what this
//! accepts, all or nothing.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use time::{Date, Month};

/// Payments at or under this many pence are not published (the Order asks for those over £500).
pub const THRESHOLD_PENCE: i64 = 50_000;

/// What the public see instead of an individual's name.
pub const REDACTED: &str = "Redacted personal data";

/// The fields a spending file gives, with the words staff see and whether each is required. An
/// optional field, once mapped, must stay in the file: a payee type column that vanished from
/// the export would otherwise let payments to individuals through.
pub const FIELDS: [(&str, &str, bool); 7] = [
    ("transaction", "Transaction number", true),
    ("date", "Date paid", true),
    ("supplier", "Supplier", true),
    ("amount", "Amount", true),
    ("expense_type", "Expense type", true),
    ("purpose", "Purpose", false),
    ("payee_type", "Payee type", false),
];

/// Which header of the finance system's file holds each field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping(pub BTreeMap<String, String>);

impl Mapping {
    pub fn header_for(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str).filter(|h| !h.is_empty())
    }

    /// A first guess from the headers' words, for the mapping page.
    pub fn guess(headers: &[String]) -> Mapping {
        let words: [(&str, &[&str]); 7] = [
            ("transaction", &["transaction", "trans", "reference", "ref", "invoice"]),
            ("date", &["date", "paid"]),
            ("supplier", &["supplier", "payee", "vendor", "creditor"]),
            ("amount", &["amount", "value", "net", "total"]),
            ("expense_type", &["expense", "category", "type", "account"]),
            ("purpose", &["purpose", "description", "narrative", "details"]),
            ("payee_type", &["payee type", "supplier type", "individual"]),
        ];
        let mut mapping = BTreeMap::new();
        let mut used = BTreeSet::new();
        for (field, hints) in words {
            let found = hints.iter().find_map(|w| {
                headers.iter().find(|h| {
                    let h = h.to_lowercase();
                    !used.contains(&h) && h.contains(w)
                })
            });
            if let Some(h) = found {
                used.insert(h.to_lowercase());
                mapping.insert(field.to_string(), h.clone());
            }
        }
        Mapping(mapping)
    }

    /// The required fields with no header chosen, or whose header is not in the file.
    pub fn missing(&self, headers: &[String]) -> Vec<&'static str> {
        FIELDS
            .iter()
            .filter(|(field, _, required)| match self.header_for(field) {
                Some(h) => !headers.iter().any(|x| x == h),
                None => *required,
            })
            .map(|(_, label, _)| *label)
            .collect()
    }
}

/// A payment as it will be published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    pub transaction: String,
    pub paid_on: Date,
    /// None when the payee is an individual: the name is dropped here and never stored.
    pub supplier: Option<String>,
    pub amount_pence: i64,
    pub expense_type: String,
    pub purpose: String,
}

/// A row refused, numbered as a spreadsheet numbers it (the header is row 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub row: usize,
    pub reason: String,
}

/// What a file gave.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Read {
    pub payments: Vec<Payment>,
    /// Rows at or under £500, not published.
    pub left_out: usize,
    pub refused: Vec<Refusal>,
}

impl Read {
    pub fn redacted(&self) -> usize {
        self.payments.iter().filter(|p| p.supplier.is_none()).count()
    }
}

/// Why a whole file cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unreadable {
    #[error("The file is not a CSV file that can be read: {0}")]
    NotCsv(String),
    #[error("The file has no rows under its header")]
    Empty,
    #[error("The file’s columns do not match the saved mapping: no column for {}", .0.join(", "))]
    Columns(Vec<&'static str>),
}

/// Amounts as finance systems write them: "1,200.00", "£1200", "1200.5", "(600.00)" or
/// "-600.00" for a credit. Anything else, such as "1,2O0.00", is refused.
pub fn read_amount(text: &str) -> Option<i64> {
    let mut t = text.trim();
    let mut negative = false;
    if let Some(inner) = t.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
        negative = true;
        t = inner.trim();
    }
    if let Some(rest) = t.strip_prefix('-') {
        negative = !negative;
        t = rest.trim_start();
    }
    t = t.strip_prefix('£').unwrap_or(t);
    let (whole, pence) = match t.split_once('.') {
        Some((w, p)) if (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()) => {
            (w, if p.len() == 1 { p.parse::<i64>().ok()? * 10 } else { p.parse::<i64>().ok()? })
        }
        Some(_) => return None,
        None => (t, 0),
    };
    if whole.is_empty() || whole.starts_with(',') || whole.ends_with(',') {
        return None;
    }
    // Thousands separators only in their places: "1,200" yes, "12,00" no.
    let groups: Vec<&str> = whole.split(',').collect();
    if groups.iter().any(|g| g.is_empty() || !g.bytes().all(|b| b.is_ascii_digit()))
        || groups.len() > 1 && (groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3))
    {
        return None;
    }
    let digits: String = groups.concat();
    if digits.len() > 12 {
        return None;
    }
    let pounds: i64 = digits.parse().ok()?;
    let total = pounds * 100 + pence;
    Some(if negative { -total } else { total })
}

/// Dates as finance systems write them: 2026-04-30, 30/04/2026, 30-04-2026, 30 Apr 2026.
pub fn read_date(text: &str) -> Option<Date> {
    let t = text.trim();
    if let Some(d) = platform::db::parse_date(t) {
        return Some(d);
    }
    let parts: Vec<&str> = t.split(['/', '-', ' ']).filter(|p| !p.is_empty()).collect();
    let [day, month, year] = parts.as_slice() else { return None };
    let day: u8 = day.parse().ok()?;
    let year: i32 = year.parse().ok().filter(|y| (1990..=2200).contains(y))?;
    let month = match month.parse::<u8>() {
        Ok(m) => Month::try_from(m).ok()?,
        Err(_) => {
            let m = month.get(..3)?.to_lowercase();
            let names = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
            Month::try_from(names.iter().position(|n| *n == m)? as u8 + 1).ok()?
        }
    };
    Date::from_calendar_date(year, month, day).ok()
}

/// A payee's name as the individuals list keeps it: lower case, single spaces, no full stops.
pub fn name_key(name: &str) -> String {
    name.to_lowercase().replace('.', " ").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a payment goes to an individual: the payee is on the office's list, the payee type
/// says so, or the name starts with a personal title. Organisations never start "Mr " or "Dr ".
pub fn is_individual(supplier: &str, payee_type: &str, individuals: &BTreeSet<String>) -> bool {
    let key = name_key(supplier);
    let kind = payee_type.trim().to_lowercase();
    let titles = ["mr ", "mrs ", "ms ", "miss ", "mx ", "dr "];
    individuals.contains(&key)
        || ["individual", "person", "employee", "staff", "private individual"].contains(&kind.as_str())
        || titles.iter().any(|t| key.starts_with(t))
}

/// Reads a file through the mapping. `known` holds transaction numbers already published.
pub fn read(
    bytes: &[u8],
    mapping: &Mapping,
    today: Date,
    individuals: &BTreeSet<String>,
    known: &dyn Fn(&str) -> bool,
) -> Result<Read, Unreadable> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| Unreadable::NotCsv(e.to_string()))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    let missing = mapping.missing(&headers);
    if !missing.is_empty() {
        return Err(Unreadable::Columns(missing));
    }
    let column = |field: &str| mapping.header_for(field).and_then(|h| headers.iter().position(|x| x == h));
    let at = |field| column(field);
    let (transaction, date, supplier, amount, kind) =
        (at("transaction"), at("date"), at("supplier"), at("amount"), at("expense_type"));
    let (purpose, payee_type) = (at("purpose"), at("payee_type"));
    let mut out = Read::default();
    let mut seen = BTreeSet::new();
    let mut rows = 0;
    for (index, record) in reader.records().enumerate() {
        let row = index + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                out.refused.push(Refusal { row, reason: format!("cannot be read: {e}") });
                continue;
            }
        };
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        rows += 1;
        let cell = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or("").trim();
        let mut reasons = Vec::new();
        let id = cell(transaction);
        if id.is_empty() || id.chars().count() > 100 {
            reasons.push("the transaction number is missing or longer than 100 characters".to_string());
        } else if !seen.insert(id.to_string()) {
            reasons.push(format!("transaction {id} is in the file twice"));
        } else if known(id) {
            reasons.push(format!("transaction {id} has already been published"));
        }
        let paid_on = read_date(cell(date));
        match paid_on {
            None => reasons.push(format!("“{}” is not a date", cell(date))),
            Some(d) if d > today => reasons.push(format!("the date {} is in the future", platform::format::date(d))),
            _ => {}
        }
        let pence = read_amount(cell(amount));
        if pence.is_none() {
            reasons.push(format!("“{}” is not an amount in pounds", cell(amount)));
        }
        let name = cell(supplier);
        if name.is_empty() || name.chars().count() > 300 {
            reasons.push("the supplier is missing or longer than 300 characters".to_string());
        }
        let expense = cell(kind);
        if expense.is_empty() || expense.chars().count() > 200 {
            reasons.push("the expense type is missing or longer than 200 characters".to_string());
        }
        if cell(purpose).chars().count() > 1_000 {
            reasons.push("the purpose is longer than 1,000 characters".to_string());
        }
        if !reasons.is_empty() {
            out.refused.push(Refusal { row, reason: sentence(&reasons) });
            continue;
        }
        let (Some(paid_on), Some(pence)) = (paid_on, pence) else { continue };
        if pence.abs() <= THRESHOLD_PENCE {
            out.left_out += 1;
            continue;
        }
        let individual = is_individual(name, cell(payee_type), individuals);
        out.payments.push(Payment {
            transaction: id.to_string(),
            paid_on,
            supplier: (!individual).then(|| name.to_string()),
            amount_pence: pence,
            expense_type: expense.to_string(),
            purpose: cell(purpose).to_string(),
        });
    }
    if rows == 0 {
        return Err(Unreadable::Empty);
    }
    Ok(out)
}

fn sentence(reasons: &[String]) -> String {
    let mut text = reasons.join("; ");
    if let Some(first) = text.get(..1) {
        text = first.to_uppercase() + &text[1..];
    }
    text
}

/// Just the header row, for the mapping page.
pub fn headers(bytes: &[u8]) -> Result<Vec<String>, Unreadable> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers = reader.headers().map_err(|e| Unreadable::NotCsv(e.to_string()))?;
    Ok(headers.iter().map(|h| h.trim().trim_start_matches('\u{feff}').to_string()).filter(|h| !h.is_empty()).collect())
}

#[cfg(test)]
mod tests;
