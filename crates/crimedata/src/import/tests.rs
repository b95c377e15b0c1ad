use super::*;

#[test]
fn forces_come_from_file_names_or_the_falls_within_column() {
    assert_eq!(force_from_file_name("2016-07-west-yorkshire-street.csv").as_deref(), Some("west-yorkshire"));
    assert_eq!(force_from_file_name("2026-09-btp-stop-and-search.csv").as_deref(), Some("btp"));
    assert_eq!(force_from_file_name("street.csv"), None);
    assert_eq!(force_from_file_name("2026-09--street.csv"), None);
    assert_eq!(force_from_name("West Yorkshire Police"), "west-yorkshire");
    assert_eq!(force_from_name("Devon & Cornwall Police"), "devon-cornwall");
}

#[test]
fn a_file_is_counted_and_its_bad_lines_named() {
    let text = b"Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\n\
,2016-07,West Yorkshire Police,West Yorkshire Police,-1.55,53.59,On or near X,E01007359,Barnsley 005C,Anti-social behaviour,,\n\
,2016-07,West Yorkshire Police,West Yorkshire Police,-1.55,53.59,On or near X,E01007359,Barnsley 005C,Anti-social behaviour,,\n\
,2016-07,West Yorkshire Police,West Yorkshire Police,,,No location,,,Drugs,,\n\
,2016-07,West Yorkshire Police,West Yorkshire Police,-1.55,53.59,On or near X,E01007359,Barnsley 005C,Fraud,,\n\
,2016-07,West Yorkshire Police,West Yorkshire Police,-1.55,53.59,On or near X,E01007359,Barnsley 005C,Burg\xffary,,\n\
,2016-07,West Yorkshire Police,West Yorkshire Police,-1.55";
    let parsed = parse_csv("test.csv", "2016-07-west-yorkshire-street.csv", Some("2016-07"), &text[..]);
    assert_eq!(parsed.kind, Some(FileKind::Street));
    assert_eq!(parsed.force.as_deref(), Some("west-yorkshire"));
    assert_eq!((parsed.rows, parsed.bad), (6, 3));
    let month = &parsed.by_month["2016-07"];
    assert_eq!(month.street_count("E01007359", "anti-social-behaviour"), 2);
    assert_eq!(month.street_count("", "drugs"), 1);
    assert_eq!(month.no_location, 1);
    assert_eq!(
        parsed.problems,
        vec![
            "test.csv, line 5: the crime type \"Fraud\" is not one police.uk uses".to_string(),
            "test.csv, line 6: is not UTF-8 text".to_string(),
            "test.csv, line 7: has 5 columns where 12 were expected (a cut-off or damaged line?)".to_string(),
        ]
    );
}

fn search_line(date: &str) -> String {
    format!(
        "Person search,{date},False,,53.48,-2.24,Male,18-24,White - English/Welsh/Scottish/Northern Irish/British,White,\
         Misuse of Drugs Act 1971 (section 23),Controlled drugs,A no further action disposal,False,False\n"
    )
}

#[test]
fn searches_count_in_their_files_month_not_their_utc_date() {
    // The real June 2019 Greater Manchester file begins with two searches dated in UTC on
    // 31 May: 1 June in British Summer Time.
    let mut text = crate::rows::STOP_AND_SEARCH_HEADER.join(",") + "\n";
    text += &search_line("2019-05-31T23:01:00+00:00");
    text += &search_line("2019-05-31T23:08:00+00:00");
    text += &search_line("2019-06-14T12:00:00+00:00");
    let name = "2019-06/2019-06-greater-manchester-stop-and-search.csv";
    assert_eq!(month_of_path(name).as_deref(), Some("2019-06"));
    let parsed = parse_csv(name, "2019-06-greater-manchester-stop-and-search.csv", Some("2019-06"), text.as_bytes());
    assert_eq!(parsed.by_month.keys().collect::<Vec<_>>(), ["2019-06"], "no May force-month to overwrite May with");
    assert_eq!(parsed.by_month["2019-06"].rows, 3);
    assert!(parsed.notes.is_empty(), "in BST these are June's: {:?}", parsed.notes);

    // A row truly of another month stays in the file's month, and is noted.
    text += &search_line("2019-05-15T12:00:00+00:00");
    let parsed = parse_csv(name, "2019-06-greater-manchester-stop-and-search.csv", Some("2019-06"), text.as_bytes());
    assert_eq!(parsed.by_month.keys().collect::<Vec<_>>(), ["2019-06"]);
    assert_eq!(parsed.by_month["2019-06"].rows, 4);
    assert_eq!(parsed.notes.len(), 1);
    assert!(
        parsed.notes[0].contains("1 rows are dated outside the file's month (line 5 is dated 2019-05)"),
        "{:?}",
        parsed.notes
    );

    // A file named for no month counts each search in the UK month of its date.
    let parsed = parse_csv("searches.csv", "searches.csv", None, text.as_bytes());
    assert_eq!(parsed.by_month["2019-06"].rows, 3);
    assert_eq!(parsed.by_month["2019-05"].rows, 1);
}

#[test]
fn a_files_month_comes_from_its_name_or_its_folder() {
    assert_eq!(month_of_path("2019-06-greater-manchester-street.csv").as_deref(), Some("2019-06"));
    assert_eq!(month_of_path("downloads/2019-06/street.csv").as_deref(), Some("2019-06"));
    assert_eq!(month_of_path("archive.zip!2019-07/2019-07-btp-street.csv").as_deref(), Some("2019-07"));
    assert_eq!(month_of_path("street.csv"), None);
    assert_eq!(month_of_path("2019-13-x-street.csv"), None);
}

#[test]
fn a_wrong_header_is_refused_not_guessed() {
    let parsed = parse_csv("x.csv", "x.csv", None, "Month,Crime type\n2016-07,Drugs\n".as_bytes());
    assert_eq!(parsed.kind, None);
    assert!(parsed.problems[0].contains("not a police.uk street, outcomes or stop-and-search file"));
    assert!(parse_csv("e.csv", "e.csv", None, "".as_bytes()).problems[0].ends_with("the file is empty"));
}
