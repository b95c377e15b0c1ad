//! Any bytes, read as a police.uk file of each kind: the row parser and the file reader must
//! answer with counts and problems, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for header in [
        crimedata::rows::STREET_HEADER.join(","),
        crimedata::rows::OUTCOMES_HEADER.join(","),
        crimedata::rows::STOP_AND_SEARCH_HEADER.join(","),
    ] {
        let mut file = header.into_bytes();
        file.push(b'\n');
        file.extend_from_slice(data);
        let parsed = crimedata::import::parse_csv("fuzz", "2026-09-staffordshire-street.csv", file.as_slice());
        std::hint::black_box(parsed);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let fields: Vec<&str> = text.split(',').collect();
        let _ = crimedata::rows::parse_street(&fields);
        let _ = crimedata::rows::parse_outcome(&fields);
        let _ = crimedata::rows::parse_stop(&fields);
    }
});
