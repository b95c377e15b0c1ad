//! Reading one police.uk file: each row checked and counted into its month, with the rows
//! that could not be used noted by line and reason.

use super::*;

/// Counts bytes as they are read, for the progress bar.
pub(super) struct Counted<R> {
    inner: R,
    counter: Arc<AtomicU64>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.counter.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// What one file held, counted.
#[derive(Debug, Default)]
pub struct MonthCounts {
    pub rows: u64,
    pub no_location: u64,
    /// LSOA code (or "" for no location) → crimes by crime type, in the order of
    /// [`reference::CRIME_TYPES`].
    pub street: HashMap<String, TypeCounts>,
    /// (crime type, outcome code or "") → crimes.
    pub street_outcomes: HashMap<(&'static str, &'static str), u64>,
    /// outcome code → outcomes.
    pub outcomes: HashMap<&'static str, u64>,
    /// (object, outcome, linked, ethnicity) → searches.
    pub stops: HashMap<(String, String, &'static str, String), u64>,
}

/// Crimes by crime type, in the order of [`reference::CRIME_TYPES`].
pub type TypeCounts = [u64; reference::CRIME_TYPES.len()];

impl MonthCounts {
    /// Counts `n` crimes of a type in an LSOA ("" for none). The key is copied only the first
    /// time an LSOA is seen: most rows find it there already.
    pub fn add_street(&mut self, lsoa: &str, crime_type: &str, n: u64) {
        let Some(index) = reference::crime_type_index(crime_type) else { return };
        match self.street.get_mut(lsoa) {
            Some(counts) => counts[index] += n,
            None => {
                let mut counts = TypeCounts::default();
                counts[index] = n;
                self.street.insert(lsoa.to_string(), counts);
            }
        }
    }

    pub fn street_count(&self, lsoa: &str, crime_type: &str) -> u64 {
        let index = reference::crime_type_index(crime_type);
        self.street.get(lsoa).zip(index).map_or(0, |(counts, i)| counts[i])
    }

    pub fn stop(&mut self, row: &rows::StopRow<'_>) {
        let key = (row.object.to_string(), row.outcome.to_string(), linked_code(row.linked), row.ethnicity.to_string());
        *self.stops.entry(key).or_default() += 1;
    }
}

/// The counts for a month, found without copying the month when it is the one before (as it is
/// on all but a handful of rows: a police.uk file holds one month).
/// Counts a street or outcomes row: the force from its first row, and the row in its month (the
/// file's month when the row agrees with it, without allocating a new name for it).
fn crime_row<'m>(
    parsed: &'m mut ParsedFile,
    force_name: &str,
    row_month: &str,
    file_month: Option<&str>,
    place: &mut impl FnMut(&str) -> String,
) -> &'m mut MonthCounts {
    if parsed.force.is_none() {
        parsed.force = Some(force_from_name(force_name));
    }
    let counts = match file_month {
        Some(month) if month == row_month => month_counts(&mut parsed.by_month, month),
        _ => month_counts(&mut parsed.by_month, &place(row_month)),
    };
    counts.rows += 1;
    counts
}

pub(super) fn month_counts<'m>(by_month: &'m mut BTreeMap<String, MonthCounts>, month: &str) -> &'m mut MonthCounts {
    if !by_month.contains_key(month) {
        by_month.insert(month.to_string(), MonthCounts::default());
    }
    by_month.get_mut(month).expect("just inserted")
}

#[derive(Debug)]
pub struct ParsedFile {
    pub source: String,
    pub kind: Option<FileKind>,
    pub force: Option<String>,
    pub rows: u64,
    pub bad: u64,
    pub by_month: BTreeMap<String, MonthCounts>,
    pub problems: Vec<String>,
    /// What the person importing should know that is not a fault (rows counted in their
    /// file's month though dated outside it).
    pub notes: Vec<String>,
}

/// The month a path names: its file name's first seven characters when they are a month and an
/// eighth is '-', else the folder holding it when that is named as a month.
pub fn month_of_path(path: &str) -> Option<String> {
    let mut parts = path.rsplit(['/', '\\']);
    let file = parts.next()?;
    let from_name = file.get(..8).filter(|p| p.ends_with('-')).and_then(|p| rows::check_month(&p[..7]).ok());
    let from_folder = || parts.next().and_then(|folder| rows::check_month(folder).ok());
    from_name.or_else(from_folder).map(str::to_string)
}

/// The force from a data.police.uk file name: `2026-09-staffordshire-street.csv` → staffordshire.
pub fn force_from_file_name(name: &str) -> Option<String> {
    let stem = name.strip_suffix(".csv")?;
    let rest = stem.get(8..).filter(|_| stem.len() > 8 && rows::check_month(&stem[..7]).is_ok() && stem.as_bytes()[7] == b'-')?;
    ["-street", "-outcomes", "-stop-and-search"]
        .iter()
        .find_map(|suffix| rest.strip_suffix(suffix))
        .filter(|f| !f.is_empty())
        .map(str::to_string)
}

/// A force's slug from its name in the "Falls within" column: "West Yorkshire Police" → west-yorkshire.
pub fn force_from_name(name: &str) -> String {
    let trimmed = name.trim().trim_end_matches(" Police").trim_end_matches(" Constabulary").trim_end_matches(" Police Service");
    let mut slug = String::new();
    for c in trimmed.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

/// How "Outcome linked to object of search" is stored: yes, no, or blank when not recorded.
pub fn linked_code(linked: Option<bool>) -> &'static str {
    match linked {
        Some(true) => "yes",
        Some(false) => "no",
        None => "",
    }
}

/// Reads one CSV to the end, counting good rows and noting bad ones with their line numbers.
///
/// Rows are counted in `file_month` when the file has one: police.uk files are by month, and the
/// months are written (delete, then insert) whole, so a row counted in another month would
/// replace that month with itself. A row dated outside its file's month is kept in the file's
/// month and noted. Without a file month, street and outcome rows count in their Month column
/// and searches in the UK month of their date.
pub fn parse_csv(source_name: &str, file_name: &str, file_month: Option<&str>, reader: impl Read) -> ParsedFile {
    let mut parsed = ParsedFile {
        source: source_name.to_string(),
        kind: None,
        force: force_from_file_name(file_name),
        rows: 0,
        bad: 0,
        by_month: BTreeMap::new(),
        problems: Vec::new(),
        notes: Vec::new(),
    };
    let mut csv = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(reader);
    let mut record = csv::ByteRecord::new();
    let mut outside = 0u64;
    let mut outside_example = String::new();
    let note = |parsed: &mut ParsedFile, line: u64, problem: String| {
        parsed.bad += 1;
        if parsed.problems.len() < PROBLEMS_KEPT {
            parsed.problems.push(format!("{source_name}, line {line}: {problem}"));
        }
    };
    match csv.read_byte_record(&mut record) {
        Ok(true) => {}
        Ok(false) => {
            parsed.problems.push(format!("{source_name}: the file is empty"));
            return parsed;
        }
        Err(e) => {
            parsed.problems.push(format!("{source_name}: cannot read the header ({e})"));
            return parsed;
        }
    }
    let header: Vec<String> = record.iter().map(|f| String::from_utf8_lossy(f).into_owned()).collect();
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let Some(kind) = rows::recognise(&header_refs) else {
        parsed.problems.push(format!(
            "{source_name}: not a police.uk street, outcomes or stop-and-search file (its header is {:?}): skipped",
            header.join(",").chars().take(200).collect::<String>()
        ));
        return parsed;
    };
    parsed.kind = Some(kind);
    loop {
        let line = record.position().map_or(0, |p| p.line()) + 1;
        match csv.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(line, |p| p.line());
                note(&mut parsed, line, format!("cannot be read ({e})"));
                continue;
            }
        }
        let line = record.position().map_or(line, |p| p.line());
        parsed.rows += 1;
        // One check of the whole line rather than one per field; fields are then cut from it at
        // their delimiters, which are ASCII and so always fall between characters.
        let Ok(text) = std::str::from_utf8(record.as_slice()) else {
            note(&mut parsed, line, RowError::NotUtf8.to_string());
            continue;
        };
        let mut fields: Vec<&str> = Vec::with_capacity(record.len());
        fields.extend((0..record.len()).filter_map(|i| record.range(i).and_then(|r| text.get(r))));
        let mut place = |row_month: &str| -> String {
            match file_month {
                Some(month) if month != row_month => {
                    outside += 1;
                    if outside_example.is_empty() {
                        outside_example = format!("line {line} is dated {row_month}");
                    }
                    month.to_string()
                }
                Some(month) => month.to_string(),
                None => row_month.to_string(),
            }
        };
        let result = match kind {
            FileKind::Street => rows::parse_street(&fields).map(|row| {
                let counts = crime_row(&mut parsed, fields[3], row.month, file_month, &mut place);
                if row.location.is_none() {
                    counts.no_location += 1;
                }
                counts.add_street(row.lsoa.unwrap_or_default(), row.crime_type, 1);
                *counts.street_outcomes.entry((row.crime_type, row.outcome.unwrap_or(""))).or_default() += 1;
            }),
            FileKind::Outcomes => rows::parse_outcome(&fields).map(|row| {
                let counts = crime_row(&mut parsed, fields[3], row.month, file_month, &mut place);
                *counts.outcomes.entry(row.outcome).or_default() += 1;
            }),
            FileKind::StopAndSearch => rows::parse_stop(&fields).map(|row| {
                let month = place(&row.month);
                let counts = month_counts(&mut parsed.by_month, &month);
                counts.rows += 1;
                if row.location.is_none() {
                    counts.no_location += 1;
                }
                counts.stop(&row);
            }),
        };
        if let Err(problem) = result {
            note(&mut parsed, line, problem.to_string());
        }
    }
    if outside > 0
        && let Some(month) = file_month
    {
        parsed.notes.push(format!(
            "{source_name}: {outside} rows are dated outside the file's month ({outside_example}); they are counted in {month}, the month police.uk filed them in"
        ));
    }
    parsed
}

/// Reads and counts one file, adding the bytes read to `counter` as it goes.
pub fn read(source: &Source, counter: Arc<AtomicU64>) -> anyhow::Result<ParsedFile> {
    match source {
        Source::File { path, .. } => {
            let reader = Counted { inner: std::io::BufReader::with_capacity(256 * 1024, File::open(path)?), counter };
            Ok(parse_csv(&source.name(), &source.file_name(), source.file_month().as_deref(), reader))
        }
        Source::ZipEntry { archive, index, .. } => {
            let mut zip = zip::ZipArchive::new(File::open(archive)?)?;
            let entry = zip.by_index(*index)?;
            let reader = Counted { inner: std::io::BufReader::with_capacity(256 * 1024, entry), counter };
            Ok(parse_csv(&source.name(), &source.file_name(), source.file_month().as_deref(), reader))
        }
    }
}
