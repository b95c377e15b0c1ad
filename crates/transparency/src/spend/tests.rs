use super::*;
use proptest::prelude::*;
use time::macros::date;

const HEADER: &str = "Trans No,Payment Date,Supplier Name,Net Amount,Expense Type,Description,Payee Type\n";

fn mapping() -> Mapping {
    Mapping::guess(&headers(HEADER.as_bytes()).expect("headers"))
}

fn read_text(body: &str, individuals: &[&str], known: &[&str]) -> Result<Read, Unreadable> {
    let individuals = individuals.iter().map(|n| name_key(n)).collect();
    let known: BTreeSet<String> = known.iter().map(|k| k.to_string()).collect();
    read(format!("{HEADER}{body}").as_bytes(), &mapping(), date!(2026 - 12 - 07), &individuals, &|id| known.contains(id))
}

#[test]
fn the_mapping_is_guessed_from_a_finance_systems_headers() {
    let m = mapping();
    assert_eq!(m.header_for("transaction"), Some("Trans No"));
    assert_eq!(m.header_for("date"), Some("Payment Date"));
    assert_eq!(m.header_for("supplier"), Some("Supplier Name"));
    assert_eq!(m.header_for("amount"), Some("Net Amount"));
    assert_eq!(m.header_for("expense_type"), Some("Expense Type"));
    assert_eq!(m.header_for("purpose"), Some("Description"));
    assert_eq!(m.header_for("payee_type"), Some("Payee Type"));
}

#[test]
fn amounts_are_read_as_finance_systems_write_them() {
    let cases = [
        ("1,200.00", Some(120_000)),
        ("£1200", Some(120_000)),
        ("1200.5", Some(120_050)),
        ("(600.00)", Some(-60_000)),
        ("-600.00", Some(-60_000)),
        ("12,345,678.90", Some(1_234_567_890)),
        ("1,2O0.00", None),
        ("12,00", None),
        ("1,200.005", None),
        ("", None),
        ("£", None),
        ("1 200", None),
        ("99999999999999", None),
    ];
    for (text, pence) in cases {
        assert_eq!(read_amount(text), pence, "{text}");
    }
}

#[test]
fn dates_are_read_in_the_usual_shapes() {
    for text in ["2026-04-30", "30/04/2026", "30-04-2026", "30 Apr 2026", "30 April 2026"] {
        assert_eq!(read_date(text), Some(date!(2026 - 04 - 30)), "{text}");
    }
    for text in ["31/04/2026", "04/30/2026", "yesterday", "30/04/26"] {
        assert_eq!(read_date(text), None, "{text}");
    }
}

#[test]
fn every_kind_of_bad_row_is_refused_with_its_row_and_reason() {
    let body = "\
T1,01/04/2026,Staffordshire County Council,\"1,200.00\",Partnership funding,Locality deal,Organisation
T2,01/04/2026,Acme Ltd,\"1,2O0.00\",Supplies,Paper,Organisation
T3,01/04/2027,Acme Ltd,900.00,Supplies,Paper,Organisation
T1,02/04/2026,Acme Ltd,900.00,Supplies,Paper,Organisation
T9,02/04/2026,Acme Ltd,900.00,Supplies,Paper,Organisation
T4,not a date,,700,,x,Organisation
";
    let read = read_text(body, &[], &["T9"]).expect("readable");
    let reasons: Vec<(usize, &str)> = read.refused.iter().map(|r| (r.row, r.reason.as_str())).collect();
    assert_eq!(read.payments.len(), 1);
    assert_eq!(reasons[0], (3, "“1,2O0.00” is not an amount in pounds"));
    assert_eq!(reasons[1], (4, "The date 1 April 2027 is in the future"));
    assert_eq!(reasons[2], (5, "Transaction T1 is in the file twice"));
    assert_eq!(reasons[3], (6, "Transaction T9 has already been published"));
    assert_eq!(reasons[4].0, 7);
    assert!(reasons[4].1.contains("“not a date” is not a date") && reasons[4].1.contains("supplier is missing"));
    assert!(reasons[4].1.contains("expense type is missing"));
}

#[test]
fn payments_to_individuals_lose_their_names_and_small_ones_are_left_out() {
    let body = "\
T1,01/04/2026,Jane Smith,750.00,Witness expenses,Travel,
T2,01/04/2026,JANE  SMITH.,750.00,Witness expenses,Travel,
T3,01/04/2026,Mr A Patel,800.00,Consultancy,Advice,Organisation
T4,01/04/2026,Sam Jones,800.00,Consultancy,Advice,Individual
T5,01/04/2026,Acme Ltd,800.00,Supplies,Paper,Organisation
T6,01/04/2026,Acme Ltd,500.00,Supplies,Paper,Organisation
T7,01/04/2026,Acme Ltd,-650.00,Supplies,Credit note,Organisation
";
    let read = read_text(body, &["Jane Smith"], &[]).expect("readable");
    assert!(read.refused.is_empty(), "{:?}", read.refused);
    assert_eq!(read.left_out, 1, "£500 exactly is not over £500");
    let names: Vec<Option<&str>> = read.payments.iter().map(|p| p.supplier.as_deref()).collect();
    assert_eq!(names, vec![None, None, None, None, Some("Acme Ltd"), Some("Acme Ltd")]);
    assert_eq!(read.redacted(), 4);
    assert_eq!(read.payments[5].amount_pence, -65_000);
}

#[test]
fn a_file_that_does_not_fit_the_mapping_is_refused_whole() {
    let other = "Ref,When,Who,How much\nT1,01/04/2026,Acme,900\n";
    let e = read(other.as_bytes(), &mapping(), date!(2026 - 12 - 07), &BTreeSet::new(), &|_| false).expect_err("columns");
    assert_eq!(
        e,
        Unreadable::Columns(vec![
            "Transaction number",
            "Date paid",
            "Supplier",
            "Amount",
            "Expense type",
            "Purpose",
            "Payee type"
        ]),
        "a mapped optional column that has gone is missing too"
    );
    assert!(e.to_string().starts_with("The file’s columns do not match the saved mapping: no column for Transaction number"));
    assert_eq!(read_text("", &[], &[]), Err(Unreadable::Empty));
}

proptest! {
    #[test]
    fn any_amount_written_with_separators_reads_back(pence in -10_000_000_000i64..10_000_000_000) {
        let pounds = (pence.abs() / 100).to_string();
        let mut grouped = String::new();
        for (i, c) in pounds.chars().enumerate() {
            if i > 0 && (pounds.len() - i) % 3 == 0 { grouped.push(','); }
            grouped.push(c);
        }
        let text = format!("{}£{grouped}.{:02}", if pence < 0 { "-" } else { "" }, pence.abs() % 100);
        prop_assert_eq!(read_amount(&text), Some(pence));
    }

    #[test]
    fn no_text_makes_the_readers_panic(text in "\\PC{0,40}") {
        let _ = read_amount(&text);
        let _ = read_date(&text);
        let _ = name_key(&text);
    }
}
