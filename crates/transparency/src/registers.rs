//! The registers about people and money, each defined here as data: its fields, the Order's
//! requirement it meets and its class. One form, one import and one public page serve them all;
//! the rules for a field's value are pure and tested here.

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use time::Date;

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    LongText,
    Date,
    /// Pounds and pence, kept as pence.
    Money,
    /// A whole number.
    Count,
    /// A share, 0 to 100, with one decimal place.
    Percent,
    /// A number that is not a count, such as full-time equivalent posts, with one decimal place.
    Number,
    /// One of the listed words.
    Choice(&'static [&'static str]),
    /// A web address.
    Link,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    pub kind: Kind,
    pub required: bool,
}

const fn field(name: &'static str, label: &'static str, kind: Kind, required: bool) -> Field {
    Field { name, label, kind, required }
}

/// A register: what it lists, the requirement it meets and its fields. `dated_by` names the date
/// field entries are ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Register {
    pub slug: &'static str,
    pub title: &'static str,
    pub about: &'static str,
    pub requirement: &'static str,
    pub fields: &'static [Field],
    pub dated_by: &'static str,
}

use Kind::{Choice, Count, Date as Day, Link, LongText, Money, Number, Percent, Text};

pub const PROCUREMENT_ROUTES: &[&str] =
    &["Open tender", "Restricted tender", "Framework call-off", "Direct award", "Quotation", "Grant agreement", "Collaboration"];

pub const REGISTERS: &[Register] = &[
    Register {
        slug: "contracts",
        title: "Contracts",
        about: "Contracts and invitations to tender. Those over £10,000 are listed in full; smaller ones are listed below them.",
        requirement: "contracts",
        dated_by: "starts_on",
        fields: &[
            field("reference", "Contract reference", Text, true),
            field("title", "Title", Text, true),
            field("supplier", "Supplier", Text, true),
            field("value", "Total value", Money, true),
            field("starts_on", "Start date", Day, true),
            field("ends_on", "End date", Day, true),
            field("route", "How it was procured", Choice(PROCUREMENT_ROUTES), true),
            field("documents", "Tender documents (web address)", Link, false),
        ],
    },
    Register {
        slug: "grants",
        title: "Grants",
        about: "Each crime and disorder reduction grant: who received it, what for, the conditions attached and why it was made.",
        requirement: "grants",
        dated_by: "awarded_on",
        fields: &[
            field("recipient", "Recipient", Text, true),
            field("purpose", "Purpose", LongText, true),
            field("amount", "Amount", Money, true),
            field("awarded_on", "Date awarded", Day, true),
            field("conditions", "Conditions", LongText, false),
            field("reasons", "Why the grant was made", LongText, true),
        ],
    },
    Register {
        slug: "interests",
        title: "Register of interests",
        about: "The interests the Commissioner and the deputy have declared: jobs, businesses, land, memberships and other interests.",
        requirement: "interests",
        dated_by: "declared_on",
        fields: &[
            field("office_holder", "Office holder", Text, true),
            field(
                "category",
                "Kind of interest",
                Choice(&["Employment or business", "Land or property", "Membership", "Shareholding", "Other"]),
                true,
            ),
            field("interest", "The interest", LongText, true),
            field("declared_on", "Date declared", Day, true),
        ],
    },
    Register {
        slug: "gifts",
        title: "Gifts and hospitality",
        about: "Gifts and hospitality offered to the office holders and senior staff, whether accepted or refused.",
        requirement: "gifts",
        dated_by: "offered_on",
        fields: &[
            field("recipient", "Offered to", Text, true),
            field("offered_by", "Offered by", Text, true),
            field("description", "What was offered", LongText, true),
            field("value", "Estimated value", Money, false),
            field("offered_on", "Date offered", Day, true),
            field("outcome", "Accepted or refused", Choice(&["Accepted", "Refused"]), true),
        ],
    },
    Register {
        slug: "senior-staff",
        title: "Senior staff and salaries",
        about: "Senior posts with their duties and salaries. Names are given for salaries of £150,000 or more, or with the post holder’s consent.",
        requirement: "senior-staff",
        dated_by: "as_at",
        fields: &[
            field("post", "Post", Text, true),
            field("name", "Name (where published)", Text, false),
            field("duties", "Responsibilities", LongText, true),
            field("salary", "Salary a year", Money, true),
            field("as_at", "As at", Day, true),
        ],
    },
    Register {
        slug: "expenses",
        title: "Allowances and expenses",
        about: "The office holders’ allowances and their travel and subsistence expenses, item by item, published every quarter.",
        requirement: "expenses",
        dated_by: "incurred_on",
        fields: &[
            field("office_holder", "Office holder", Text, true),
            field("incurred_on", "Date", Day, true),
            field("category", "Kind", Choice(&["Travel", "Subsistence", "Accommodation", "Allowance", "Other"]), true),
            field("description", "Details", Text, true),
            field("amount", "Amount", Money, true),
        ],
    },
    Register {
        slug: "workforce",
        title: "Our staff",
        about: "How many people the office employs and the share who are women, from an ethnic minority or disabled, as each year’s count found.",
        requirement: "workforce",
        dated_by: "as_at",
        fields: &[
            field("as_at", "As at", Day, true),
            field("headcount", "Headcount", Count, true),
            field("full_time_equivalent", "Full-time equivalent", Number, true),
            field("women", "Women (%)", Percent, true),
            field("ethnic_minority", "Ethnic minority (%)", Percent, true),
            field("disabled", "Disabled (%)", Percent, true),
        ],
    },
];

pub fn find(slug: &str) -> Option<&'static Register> {
    REGISTERS.iter().find(|r| r.slug == slug)
}

/// Contracts of £10,000 or less are listed apart (the Order asks for a list of them).
pub const SMALL_CONTRACT_PENCE: i64 = 1_000_000;

/// What a field holds, as a message names it: "who it was offered to".
fn what(field: &Field) -> String {
    let phrase = match field.label {
        "Tender documents (web address)" => "the web address of the tender documents",
        "How it was procured" => "how it was procured",
        "Why the grant was made" => "why the grant was made",
        "Date awarded" => "the date it was awarded",
        "Date declared" => "the date it was declared",
        "Offered to" => "who it was offered to",
        "Offered by" => "who offered it",
        "What was offered" => "what was offered",
        "Date offered" => "the date it was offered",
        "Accepted or refused" => "whether it was accepted or refused",
        "Name (where published)" => "the name",
        "As at" => "the date the figures are as at",
        "Women (%)" => "the share of staff who are women",
        "Ethnic minority (%)" => "the share of staff from an ethnic minority",
        "Disabled (%)" => "the share of staff who are disabled",
        "The interest" => "the interest",
        label => return format!("the {}", label.to_lowercase()),
    };
    phrase.to_string()
}

/// A field's value read from what someone typed: the JSON to keep, or what is wrong in words.
pub fn read_value(field: &Field, text: &str) -> Result<Value, String> {
    let t = text.trim();
    let what = what(field);
    if t.is_empty() {
        return match (field.required, field.kind) {
            (false, _) => Ok(Value::Null),
            (true, Choice(_)) => Err(format!("Choose {what}")),
            (true, _) => Err(format!("Enter {what}")),
        };
    }
    let too_long = |limit: &str| {
        let mut first = what.clone();
        if let Some(c) = first.get(..1) {
            first = c.to_uppercase() + &first[1..];
        }
        format!("{first} must be {limit} characters or fewer")
    };
    match field.kind {
        Text if t.chars().count() > 300 => Err(too_long("300")),
        LongText if t.chars().count() > 5_000 => Err(too_long("5,000")),
        Text | LongText => Ok(Value::from(t)),
        Day => crate::spend::read_date(t)
            .map(|d| Value::from(platform::db::date(d)))
            .ok_or_else(|| format!("Enter {what} as a date, such as 2026-04-30 or 30/04/2026")),
        Money => match crate::spend::read_amount(t) {
            Some(p) if p >= 0 => Ok(Value::from(p)),
            _ => Err(format!("Enter {what} in pounds, such as 1,250.00")),
        },
        Count => t.replace(',', "").parse::<u32>().map(Value::from).map_err(|_| format!("Enter {what} as a whole number")),
        Percent => match t.trim_end_matches('%').trim().parse::<f64>() {
            Ok(v) if (0.0..=100.0).contains(&v) => Ok(Value::from((v * 10.0).round() / 10.0)),
            _ => Err(format!("Enter {what} as a number from 0 to 100")),
        },
        Number => match t.replace(',', "").parse::<f64>() {
            Ok(v) if (0.0..1_000_000.0).contains(&v) => Ok(Value::from((v * 10.0).round() / 10.0)),
            _ => Err(format!("Enter {what} as a number, such as 42.5")),
        },
        Choice(options) => options
            .iter()
            .find(|o| o.eq_ignore_ascii_case(t))
            .map(|o| Value::from(*o))
            .ok_or_else(|| format!("Choose {what} from the list: {}", options.join(", "))),
        Link if t.starts_with("https://") || t.starts_with("http://") => Ok(Value::from(t)),
        Link => Err(format!("Enter {what} starting https://")),
    }
}

/// A whole entry read from named texts: the fields to keep, or each field's problem.
pub fn read_entry(
    register: &Register,
    texts: &BTreeMap<String, String>,
) -> Result<Map<String, Value>, Vec<(&'static str, String)>> {
    let mut fields = Map::new();
    let mut problems = Vec::new();
    for field in register.fields {
        match read_value(field, texts.get(field.name).map(String::as_str).unwrap_or("")) {
            Ok(v) => {
                fields.insert(field.name.to_string(), v);
            }
            Err(p) => problems.push((field.name, p)),
        }
    }
    if register.slug == "contracts" {
        let on = |name: &str| fields.get(name).and_then(Value::as_str).and_then(platform::db::parse_date);
        if let (Some(start), Some(end)) = (on("starts_on"), on("ends_on"))
            && end < start
        {
            problems.push(("ends_on", "The end date must be on or after the start date".to_string()));
        }
    }
    if problems.is_empty() { Ok(fields) } else { Err(problems) }
}

/// The date an entry is ordered by.
pub fn dated(register: &Register, fields: &Map<String, Value>) -> Option<Date> {
    fields.get(register.dated_by).and_then(Value::as_str).and_then(platform::db::parse_date)
}

/// A field's value as the public read it.
pub fn shown(field: &Field, value: Option<&Value>) -> String {
    match (field.kind, value) {
        (_, None | Some(Value::Null)) => String::new(),
        (Money, Some(v)) => v.as_i64().map(|p| platform::format::money_exact(p as f64 / 100.0)).unwrap_or_default(),
        (Day, Some(v)) => v.as_str().and_then(platform::db::parse_date).map(platform::format::date).unwrap_or_default(),
        (Count, Some(v)) => v.as_i64().map(platform::format::count).unwrap_or_default(),
        (Percent | Number, Some(v)) => v.as_f64().map(|x| platform::format::decimal(x, 1)).unwrap_or_default(),
        (_, Some(Value::String(s))) => s.clone(),
        (_, Some(v)) => v.to_string(),
    }
}

/// A field's value as a CSV or JSON file gives it: dates ISO, money in pounds with pence.
pub fn plain(field: &Field, value: Option<&Value>) -> String {
    match (field.kind, value) {
        (_, None | Some(Value::Null)) => String::new(),
        (Money, Some(v)) => v.as_i64().map(|p| format!("{}.{:02}", p / 100, p % 100)).unwrap_or_default(),
        (_, Some(Value::String(s))) => s.clone(),
        (_, Some(v)) => v.to_string(),
    }
}

/// A row refused by an import, numbered as a spreadsheet numbers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub row: usize,
    pub reason: String,
}

/// An import's rows: every row read, or every problem. Headers are matched to the fields' labels
/// or names, in any order, ignoring case; a required field with no column refuses the file.
pub fn read_import(register: &Register, bytes: &[u8]) -> Result<Vec<Map<String, Value>>, Vec<RowProblem>> {
    let refused = |reason: String| vec![RowProblem { row: 1, reason }];
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|x| x.trim().trim_start_matches('\u{feff}').to_lowercase()).collect(),
        Err(e) => return Err(refused(format!("The file cannot be read as CSV: {e}"))),
    };
    let columns: Vec<Option<usize>> = register
        .fields
        .iter()
        .map(|f| headers.iter().position(|h| *h == f.label.to_lowercase() || *h == f.name.replace('_', " ") || *h == f.name))
        .collect();
    let missing: Vec<&str> =
        register.fields.iter().zip(&columns).filter(|(f, c)| f.required && c.is_none()).map(|(f, _)| f.label).collect();
    if !missing.is_empty() {
        return Err(refused(format!("The header row has no column for: {}", missing.join(", "))));
    }
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let row = index + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(RowProblem { row, reason: format!("Cannot be read: {e}") });
                continue;
            }
        };
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let texts = register
            .fields
            .iter()
            .zip(&columns)
            .map(|(f, c)| (f.name.to_string(), c.and_then(|c| record.get(c)).unwrap_or("").to_string()))
            .collect();
        match read_entry(register, &texts) {
            Ok(fields) => entries.push(fields),
            Err(p) => problems.push(RowProblem { row, reason: p.into_iter().map(|(_, m)| m).collect::<Vec<_>>().join("; ") }),
        }
    }
    if entries.is_empty() && problems.is_empty() {
        return Err(refused("The file has no rows under its header".to_string()));
    }
    if problems.is_empty() { Ok(entries) } else { Err(problems) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contracts() -> &'static Register {
        find("contracts").expect("contracts")
    }

    #[test]
    fn each_register_meets_a_requirement_of_the_order_and_is_dated_by_one_of_its_fields() {
        for r in REGISTERS {
            assert!(crate::scheme::requirement(r.requirement).is_some(), "{}", r.slug);
            assert!(r.fields.iter().any(|f| f.name == r.dated_by && f.kind == Kind::Date && f.required), "{}", r.slug);
        }
    }

    #[test]
    fn values_are_read_and_refused_in_words() {
        let value = contracts().fields.iter().find(|f| f.name == "value").expect("value");
        assert_eq!(read_value(value, "£12,500.00"), Ok(Value::from(1_250_000)));
        assert_eq!(read_value(value, "-5"), Err("Enter the total value in pounds, such as 1,250.00".to_string()));
        assert_eq!(read_value(value, ""), Err("Enter the total value".to_string()));
        let route = contracts().fields.iter().find(|f| f.name == "route").expect("route");
        assert_eq!(read_value(route, "open TENDER"), Ok(Value::from("Open tender")));
        assert!(
            read_value(route, "Handshake").is_err_and(|e| e.starts_with("Choose how it was procured from the list: Open tender"))
        );
        let link = contracts().fields.iter().find(|f| f.name == "documents").expect("documents");
        assert_eq!(read_value(link, ""), Ok(Value::Null));
        assert!(read_value(link, "javascript:alert(1)").is_err());
        let share = find("workforce").expect("workforce").fields.iter().find(|f| f.name == "women").expect("women");
        assert_eq!(read_value(share, "61.27%"), Ok(Value::from(61.3)));
        assert!(read_value(share, "101").is_err());
    }

    #[test]
    fn an_import_reads_every_row_or_says_what_is_wrong_with_each() {
        let good = "Title,Supplier,Contract reference,Total value,Start date,End date,How it was procured\n\
                    Victims' Gateway,Victim Support,C-001,\"1,200,000.00\",01/04/2024,31/03/2027,Open tender\n";
        let rows = read_import(contracts(), good.as_bytes()).expect("good");
        assert_eq!(rows[0]["value"], Value::from(120_000_000));
        assert_eq!(rows[0]["documents"], Value::Null);
        let bad = format!("{good}Cleaning,Acme,C-002,lots,01/04/2025,31/03/2026,Open tender\n");
        let problems = read_import(contracts(), bad.as_bytes()).expect_err("bad");
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].row, 3);
        assert_eq!(problems[0].reason, "Enter the total value in pounds, such as 1,250.00");
        let dates = format!("{good}Cleaning,Acme,C-002,900,01/04/2025,31/03/2024,Open tender\n");
        assert_eq!(
            read_import(contracts(), dates.as_bytes()).expect_err("dates")[0].reason,
            "The end date must be on or after the start date"
        );
        let columns = read_import(contracts(), b"Title,Supplier\nA,B\n").expect_err("columns");
        assert_eq!(
            columns[0].reason,
            "The header row has no column for: Contract reference, Total value, Start date, End date, How it was procured"
        );
    }

    #[test]
    fn values_are_shown_in_govuk_style_and_given_plainly_in_files() {
        let value = &contracts().fields[3];
        assert_eq!(shown(value, Some(&Value::from(120_000_050))), "£1,200,000.50");
        assert_eq!(plain(value, Some(&Value::from(120_000_050))), "1200000.50");
        let start = &contracts().fields[4];
        assert_eq!(shown(start, Some(&Value::from("2024-04-01"))), "1 April 2024");
    }
}
