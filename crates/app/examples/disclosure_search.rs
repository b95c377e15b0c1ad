//! The disclosure log search benchmark, driven by `scripts/bench disclosure`.
//!
//!   disclosure_search DATABASE_URL ENTRIES QUERIES
//!
//! Migrates an empty database, publishes ENTRIES synthetic entries (requests and responses of a
//! few dozen words drawn from a 3,000-word vocabulary with a skewed, Zipf-like frequency, as real
//! text is), then times QUERIES searches of each kind through the product's own functions, and
//! the same searches done the obvious way for reference (`LIKE '%word%'` over the entries' text,
//! giving the same answer: the newest 20 and the count for a search, entries scored by words
//! shared for suggestions). Prints one line per kind: name, p50 ms, p99 ms, reference p50 ms,
//! reference p99 ms, mean results (the count, capped as the product caps it).
//!
//! Last, the compliance rate the public log shows: ENTRIES / 20 requests received over the last
//! fifteen months are added, and QUERIES views time the product's kept figures against working
//! them out from every request on each view, as the log did before (the reference here reads
//! only the columns the clocks need, which flatters it a little).

use std::time::Instant;

use casework::information::disclosure::{self, Query};
use casework::information::search;

/// A small deterministic generator, so every run searches the same log.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// An index below `n`, favouring small ones (rank r is drawn about 1/r as often).
    fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() % 1_000_000) as f64 / 1_000_000.0;
        ((n as f64).powf(u) as usize).saturating_sub(1).min(n - 1)
    }
}

fn vocabulary() -> Vec<String> {
    const SYLLABLES: [&str; 24] = [
        "po", "li", "ce", "bur", "gla", "ry", "sta", "ford", "ro", "ad", "cam", "era", "of", "fi", "ce", "spe", "nd", "vic",
        "tim", "cri", "me", "pa", "trol", "war",
    ];
    let mut dice = Dice(0x9e37_79b9_7f4a_7c15);
    let mut words: Vec<String> = Vec::new();
    while words.len() < 3000 {
        let length = 2 + (dice.next() % 3) as usize;
        let word: String = (0..length).map(|_| SYLLABLES[(dice.next() % SYLLABLES.len() as u64) as usize]).collect();
        if !words.contains(&word) && search::words(&word) == vec![word.clone()] {
            words.push(word);
        }
    }
    words
}

fn sentence(dice: &mut Dice, words: &[String], length: usize) -> String {
    (0..length).map(|_| words[dice.zipf(words.len())].as_str()).collect::<Vec<_>>().join(" ")
}

async fn seed(pool: &platform::db::Pool, entries: usize, words: &[String]) -> anyhow::Result<()> {
    let mut dice = Dice(42);
    let topics = ["Crime", "Finance", "Roads", "Staff", "Estates", "Victims", "Complaints", "Contracts"];
    let outcomes = ["disclosed", "part-disclosed", "refused", "not-held"];
    let mut done = 0;
    while done < entries {
        let batch = (entries - done).min(50);
        let mut tx = platform::db::begin_write(pool).await?;
        for n in done..done + batch {
            let id = format!("{n:026}");
            let title = sentence(&mut dice, words, 4);
            let topic = topics[n % topics.len()];
            let request = sentence(&mut dice, words, 30);
            let response = sentence(&mut dice, words, 25);
            let responded_on = format!("2026-{:02}-{:02}", 1 + n % 12, 1 + n % 28);
            sqlx::query(
                "INSERT INTO casework_disclosure_entry (id, reference, title, topic, request_text, response_text, outcome, \
                 exemptions, received_on, responded_on, published_at) VALUES ($1, $2, $3, $4, $5, $6, $7, '', '2026-01-01', $8, $8)",
            )
            .bind(&id)
            .bind(format!("FOI-{}-{:06}", 2020 + n % 7, n))
            .bind(&title)
            .bind(topic)
            .bind(&request)
            .bind(&response)
            .bind(outcomes[n % outcomes.len()])
            .bind(&responded_on)
            .execute(&mut *tx)
            .await?;
            let words = search::words(&format!("{title} {topic} {request} {response}"));
            disclosure::index_words(&mut tx, &id, &responded_on, &words).await?;
        }
        tx.commit().await?;
        done += batch;
        if done % 5000 == 0 {
            eprintln!("seeded {done} of {entries} entries");
        }
    }
    Ok(())
}

fn like_conditions(words: &[String]) -> Vec<String> {
    (1..=words.len()).map(|n| format!("LOWER(title || ' ' || request_text || ' ' || response_text) LIKE ${n}")).collect()
}

/// A search page the obvious way: the 20 newest entries with every word, and how many there are
/// (counted to the same cap as the product's).
async fn reference_search(pool: &platform::db::Pool, text: &str) -> anyhow::Result<()> {
    let words = search::query_words(text);
    let conditions = like_conditions(&words).join(" AND ");
    let list = format!(
        "SELECT id FROM casework_disclosure_entry WHERE withdrawn_at IS NULL AND ({conditions}) ORDER BY responded_on DESC LIMIT 20"
    );
    let count = format!(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM (SELECT 1 FROM casework_disclosure_entry WHERE withdrawn_at IS NULL AND ({conditions}) LIMIT {}) c",
        disclosure::COUNT_CAP + 1
    );
    let mut scan = sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(list));
    let mut counted = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(count));
    for word in &words {
        scan = scan.bind(format!("%{word}%"));
        counted = counted.bind(format!("%{word}%"));
    }
    scan.fetch_all(pool).await?;
    counted.fetch_one(pool).await?;
    Ok(())
}

/// Suggestions the obvious way: score every entry by how many of the request's words it holds.
async fn reference_suggestions(pool: &platform::db::Pool, text: &str) -> anyhow::Result<()> {
    let words = search::words(text);
    // The text is lower-cased once per entry, not once per word: a materialised CTE keeps both
    // databases' planners from folding LOWER(...) back into every CASE.
    let score: Vec<String> = (1..=words.len()).map(|n| format!("CASE WHEN t LIKE ${n} THEN 1 ELSE 0 END")).collect();
    let sql = format!(
        "WITH e AS MATERIALIZED (SELECT id, responded_on, LOWER(title || ' ' || request_text || ' ' || response_text) AS t \
         FROM casework_disclosure_entry WHERE withdrawn_at IS NULL) \
         SELECT id FROM (SELECT id, responded_on, {} AS matched FROM e) s WHERE matched >= 2 \
         ORDER BY matched DESC, responded_on DESC LIMIT 5",
        score.join(" + ")
    );
    let mut scan = sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql));
    for word in &words {
        scan = scan.bind(format!("%{word}%"));
    }
    scan.fetch_all(pool).await?;
    Ok(())
}

type MakeQuery<'a> = Box<dyn Fn(&mut Dice) -> String + 'a>;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// One line of results: name, product p50 and p99, reference p50 and p99 (ms), and a count.
fn print_row(name: &str, mut product: Vec<f64>, mut reference: Vec<f64>, count: f64) {
    product.sort_by(f64::total_cmp);
    reference.sort_by(f64::total_cmp);
    println!(
        "{name}\t{:.2}\t{:.2}\t{:.2}\t{:.2}\t{count:.0}",
        percentile(&product, 0.5),
        percentile(&product, 0.99),
        percentile(&reference, 0.5),
        percentile(&reference, 0.99),
    );
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(url), Some(entries), Some(queries)) = (args.get(1), args.get(2), args.get(3)) else {
        anyhow::bail!("usage: disclosure_search DATABASE_URL ENTRIES QUERIES");
    };
    let (entries, queries): (usize, usize) = (entries.parse()?, queries.parse()?);
    let settings = platform::config::Settings { database_url: url.clone(), ..Default::default() };
    let pool = platform::db::connect_lazy(&settings)?;
    platform::db::migrate(&pool, &commissioner::migrators()).await?;
    let words = vocabulary();
    let started = Instant::now();
    seed(&pool, entries, &words).await?;
    eprintln!("seeded {entries} entries in {:.1} s", started.elapsed().as_secs_f64());

    let mut dice = Dice(7);
    // A common word (the top 20), a middling one, two words together, and a request's worth of
    // text for suggestions.
    let kinds: [(&str, MakeQuery); 4] = [
        ("one common word", Box::new(|d: &mut Dice| words[(d.next() % 20) as usize].clone())),
        ("one rarer word", Box::new(|d: &mut Dice| words[200 + (d.next() % 800) as usize].clone())),
        ("two words", Box::new(|d: &mut Dice| format!("{} {}", words[d.zipf(300)], words[d.zipf(300)]))),
        ("suggestions for a request", Box::new(|d: &mut Dice| sentence(d, &words, 20))),
    ];
    for (name, make) in &kinds {
        let texts: Vec<String> = (0..queries).map(|_| make(&mut dice)).collect();
        let mut product = Vec::new();
        let mut reference = Vec::new();
        let mut found = 0usize;
        for text in &texts {
            let t = Instant::now();
            let results = if *name == "suggestions for a request" {
                disclosure::suggestions(&pool, text, 5).await?.len()
            } else {
                let query = Query { text: text.clone(), limit: 20, ..Query::default() };
                disclosure::search(&pool, &query).await?.1 as usize
            };
            product.push(t.elapsed().as_secs_f64() * 1000.0);
            found += results;
            // The obvious way: scan every entry's text for each word (for suggestions, count the words shared).
            let t = Instant::now();
            if *name == "suggestions for a request" {
                reference_suggestions(&pool, text).await?;
            } else {
                reference_search(&pool, text).await?;
            }
            reference.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        print_row(name, product, reference, found as f64 / queries as f64);
    }
    compliance_views(&pool, entries / 20, queries).await
}

/// Requests received over the last fifteen months, most answered, some late, some open.
async fn seed_requests(pool: &platform::db::Pool, requests: usize) -> anyhow::Result<()> {
    let today = platform::calendar::uk_local_date(time::OffsetDateTime::now_utc());
    let mut dice = Dice(11);
    for chunk in (0..requests).collect::<Vec<_>>().chunks(200) {
        let mut tx = platform::db::begin_write(pool).await?;
        for &n in chunk {
            let received = today - time::Duration::days((dice.next() % 450) as i64);
            let answered = (dice.next() % 10 < 8).then(|| received + time::Duration::days(5 + (dice.next() % 30) as i64));
            let answered = answered.filter(|a| *a <= today);
            sqlx::query(
                "INSERT INTO casework_information_request (id, reference, kind, received_at, received_on, channel, requester_name, \
                 contact_method, email, request_text, preferred_format, tracker_token_hash, stage, responded_on, outcome) \
                 VALUES ($1, $2, 'foi', $3, $4, 'email', 'A requester', 'email', 'someone@example.com', 'Please send the figures', \
                 'email', $1, $5, $6, $7)",
            )
            .bind(format!("bench{n:020}"))
            .bind(format!("FOI-{}-{:06}", received.year(), n))
            .bind(format!("{}T09:00:00.000000Z", platform::db::date(received)))
            .bind(platform::db::date(received))
            .bind(if answered.is_some() { "responded" } else { "received" })
            .bind(answered.map(platform::db::date))
            .bind(answered.map(|_| "disclosed"))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
    }
    Ok(())
}

async fn compliance_views(pool: &platform::db::Pool, requests: usize, views: usize) -> anyhow::Result<()> {
    use casework::information::log;
    seed_requests(pool, requests).await?;
    let today = platform::calendar::uk_local_date(time::OffsetDateTime::now_utc());
    let mut product = Vec::new();
    let mut reference = Vec::new();
    for _ in 0..views {
        let t = Instant::now();
        log::recent_compliance(pool).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        product.push(t.elapsed().as_secs_f64() * 1000.0);
        let t = Instant::now();
        log::work_out_compliance(pool, today).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        reference.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    print_row("compliance rate on the public log", product, reference, requests as f64);
    Ok(())
}
