//! The `commissioner` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use platform::calendar::{self, CalendarChange, ChangeKind, Nation};
use platform::config::Settings;
use time::OffsetDateTime;

#[derive(Parser)]
#[command(name = "commissioner", version, about = "Run the office of a Police, Fire and Crime Commissioner.")]
#[command(after_help = environment_help())]
pub struct Cli {
    /// A TOML configuration file. Environment variables override it.
    #[arg(long, short, global = true, env = "COMMISSIONER_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start the web server (runs pending migrations first).
    Serve(ServeArgs),
    /// Run pending database migrations and report what ran.
    Migrate,
    /// Check the configuration and that the database answers, and print a report.
    Check,
    /// The working-day calendar: list bank holidays, add one-off changes.
    #[command(subcommand)]
    Calendar(CalendarCommand),
    /// The office this installation serves.
    #[command(subcommand)]
    Office(OfficeCommand),
    /// Staff accounts: add, list, disable, enable, reset a second factor.
    #[command(subcommand)]
    User(UserCommand),
    /// The audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// The mail outbox.
    #[command(subcommand)]
    Mail(MailCommand),
    /// Write a consistent snapshot of the database and every stored file to one archive.
    Backup {
        /// The archive to write (default: commissioner-backup-<UTC time>.tar.gz here, with .age
        /// added when encrypted).
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Encrypt the archive to this age public key (age1…); repeat for several. Only the
        /// holders of the matching private keys can restore it.
        #[arg(long = "recipient", env = "COMMISSIONER_BACKUP_RECIPIENTS", value_delimiter = ',')]
        recipients: Vec<String>,
    },
    /// Bring a backup back into an empty database and data folder.
    Restore {
        /// The archive written by `commissioner backup`.
        archive: PathBuf,
        /// For an encrypted archive: the file holding the age private key (AGE-SECRET-KEY-1…).
        #[arg(long)]
        identity: Option<PathBuf>,
    },
    /// Police open data from data.police.uk.
    #[command(subcommand)]
    Crimedata(CrimedataCommand),
}

#[derive(Subcommand)]
enum CrimedataCommand {
    /// Import data.police.uk files: monthly archive folders, zip files or single CSVs (street,
    /// outcomes, stop and search, recognised by their header). Re-importing a force-month
    /// replaces it.
    Import {
        /// Files, folders or zip archives.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// A file whose share of bad rows is above this (0 to 1) is not imported at all.
        #[arg(long, default_value_t = 0.01)]
        max_bad_share: f64,
    },
    /// Import where LSOAs are: ONS-format lookup files (LSOA to local authority, community safety
    /// partnership and force), population files and centroid files, as CSVs, folders or zips.
    ImportGeography {
        /// Files, folders or zip archives.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Import a table of harm weights by police.uk crime type (columns crime_type and weight), such
    /// as Crime Severity Score weights averaged to police.uk types. The newest table is the one
    /// figures use, and they name it.
    ImportHarmWeights {
        file: PathBuf,
        /// What the table is called on the pages, like "ONS Crime Severity Score".
        #[arg(long)]
        name: String,
        /// Where the weights come from.
        #[arg(long)]
        source: String,
        /// Which edition, like 2023/24.
        #[arg(long)]
        vintage: String,
    },
    /// Download a month's archive from data.police.uk (kept in the data folder, since police.uk
    /// keeps only 36 months online) and import that month for the chosen forces.
    Fetch {
        /// The month, like 2026-09.
        #[arg(long)]
        month: String,
        /// Police.uk force slugs such as staffordshire, comma-separated; all forces if none.
        #[arg(long, value_delimiter = ',')]
        force: Vec<String>,
        /// Download the archive again even when it is kept already.
        #[arg(long)]
        download_again: bool,
        #[arg(long, default_value_t = 0.01)]
        max_bad_share: f64,
    },
    /// Write synthetic police.uk files for England and Wales (about 500,000 street rows a month
    /// across 43 forces), with geography.csv for import-geography and ground-truth.csv listing
    /// the step changes injected. The same seed writes the same bytes.
    Generate {
        /// The folder to write into (month folders are made inside it).
        #[arg(long, short, default_value = "synthetic-police-data")]
        out: PathBuf,
        /// How many months to write.
        #[arg(long, default_value_t = 12)]
        months: u32,
        /// The first month, like 2025-01.
        #[arg(long, default_value = "2025-01")]
        first_month: String,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Only these forces (police.uk slugs such as staffordshire), comma-separated.
        #[arg(long, value_delimiter = ',')]
        forces: Vec<String>,
    },
    /// Print the standard report for every district (this year against last by crime type with
    /// significance, monthly control-chart series, top 20 hotspots) as CSV or JSON.
    Report {
        #[arg(long, value_enum, default_value_t = ReportFormat::Csv)]
        format: ReportFormat,
        /// Write here instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ReportFormat {
    Csv,
    Json,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a staff account; prints a temporary password to hand over securely.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// administrator, caseworker, transparency-officer, performance-officer, grants-officer,
        /// offender-management-practitioner, victims-services-practitioner, panel-member, panel-officer, partner
        #[arg(long)]
        role: String,
        /// The name of the partner organisation a partner belongs to (partners only); add it on
        /// the partner organisations page first.
        #[arg(long)]
        organisation: Option<String>,
    },
    /// List every account.
    List,
    /// Stop an account signing in, and end its sessions.
    Disable { email: String },
    /// Let a disabled account sign in again.
    Enable { email: String },
    /// Remove an account's authenticator app; they set up a new one at their next sign-in.
    #[command(name = "reset-2fa")]
    Reset2fa { email: String },
}

#[derive(Subcommand)]
enum MailCommand {
    /// Send the emails a restore held back (they were waiting when the backup was made). Run it
    /// once the restored copy is the live service, never on a drill or staging copy.
    Release,
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the whole hash chain and report the first broken link.
    Verify,
}

#[derive(Args)]
struct ServeArgs {
    /// Create and seed a demo office in the data folder on first run (a real office is never overwritten).
    #[arg(long)]
    demo: bool,
    /// Listen on this address instead of the configured one, e.g. 0.0.0.0:8080.
    #[arg(long, value_name = "ADDR")]
    listen: Option<std::net::SocketAddr>,
}

#[derive(Subcommand)]
enum OfficeCommand {
    /// Set up the office for a police force area (or set it up again): its name, the area and
    /// who governs it. Everything can be changed later at /staff/admin/office.
    SetUp {
        /// The force area, as police.uk names its force: staffordshire, west-yorkshire, dyfed-powys, …
        #[arg(long)]
        force_area: String,
        /// pcc, pfcc (with fire and rescue), mayor, mayor-fire, or board.
        #[arg(long, default_value = "pcc")]
        governance: String,
        /// The office's name as it signs letters; by default one made from the area and governance.
        #[arg(long)]
        name: Option<String>,
        /// The email address the public write to.
        #[arg(long, default_value = "")]
        email: String,
    },
}

#[derive(Subcommand)]
enum CalendarCommand {
    /// List the bank holidays of a year, per nation, with any one-off changes applied.
    List {
        /// The year, e.g. 2027.
        year: i32,
    },
    /// Record a one-off change to the bank holidays (from a royal proclamation).
    Add {
        /// The date, YYYY-MM-DD.
        date: String,
        /// england-and-wales, scotland, northern-ireland, or all.
        #[arg(long, default_value = "all")]
        nation: String,
        /// added (an extra or moved holiday) or removed (a regular one that moved away).
        #[arg(long, default_value = "added")]
        kind: String,
        /// The holiday's name, e.g. "Bank holiday for the coronation".
        #[arg(long)]
        name: String,
    },
    /// Compare a saved copy of the GOV.UK bank holidays list (bank-holidays.json) with the
    /// calendar, and with --apply make the calendar match it for the years it covers.
    Import {
        /// The file, as downloaded from https://www.gov.uk/bank-holidays.json.
        file: std::path::PathBuf,
        /// Make the changes shown (without it, nothing is changed).
        #[arg(long)]
        apply: bool,
    },
    /// Download the GOV.UK bank holidays list (COMMISSIONER_BANK_HOLIDAYS_URL) and compare or
    /// apply it as `import` does.
    Fetch {
        /// Make the changes shown (without it, nothing is changed).
        #[arg(long)]
        apply: bool,
    },
}

fn environment_help() -> String {
    let mut text = String::from("Environment variables:\n");
    for (variable, setting) in platform::config::ENVIRONMENT_VARIABLES {
        text.push_str(&format!("  {variable:<48} {setting}\n"));
    }
    text
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::load(cli.config.as_deref()) {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("commissioner: configuration error: {error}");
            return ExitCode::from(2);
        }
    };
    platform::telemetry::init(&settings.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("commissioner: cannot start: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        match cli.command {
            Command::Serve(args) => serve(settings, args).await,
            Command::Migrate => migrate(settings).await,
            Command::Check => check(settings).await,
            Command::Calendar(command) => calendar_command(settings, command).await,
            Command::Office(command) => office_command(settings, command).await,
            Command::User(command) => user_command(settings, command).await,
            Command::Audit(AuditCommand::Verify) => audit_verify(settings).await,
            Command::Mail(MailCommand::Release) => mail_release(settings).await,
            Command::Backup { output, recipients } => backup(settings, output, recipients).await,
            Command::Restore { archive, identity } => restore(settings, archive, identity).await,
            Command::Crimedata(CrimedataCommand::Import { paths, max_bad_share }) => {
                let options = crimedata::import::ImportOptions { max_bad_share, ..Default::default() };
                crimedata_import(settings, paths, options).await
            }
            Command::Crimedata(CrimedataCommand::Fetch { month, force, download_again, max_bad_share }) => {
                crimedata_fetch(settings, month, force, download_again, max_bad_share).await
            }
            Command::Crimedata(CrimedataCommand::ImportGeography { paths }) => crimedata_geography(settings, paths).await,
            Command::Crimedata(CrimedataCommand::ImportHarmWeights { file, name, source, vintage }) => {
                crimedata_harm(settings, file, name, source, vintage).await
            }
            Command::Crimedata(CrimedataCommand::Generate { out, months, first_month, seed, forces }) => {
                let options = crimedata::generate::GenerateOptions { out, months, first_month, seed, forces };
                crimedata_generate(options).await
            }
            Command::Crimedata(CrimedataCommand::Report { format, output }) => crimedata_report(settings, format, output).await,
        }
    });
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("commissioner: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(mut settings: Settings, args: ServeArgs) -> anyhow::Result<ExitCode> {
    if let Some(listen) = args.listen {
        settings.listen = listen;
    }
    let listener = tokio::net::TcpListener::bind(settings.listen)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", settings.listen))?;
    let platform = crate::server::prepare(settings).await?;
    if args.demo {
        let seeded = crate::demo::seed(platform.pool(), OffsetDateTime::now_utc()).await?;
        tracing::info!(?seeded, data_dir = %platform.settings().data_dir.display(), "demo office");
        // Sample casework only ever goes into the demo office, never into a real one.
        if platform::office::load(platform.pool()).await?.is_some_and(|o| o.is_demo) {
            crate::capabilities().seed_demo(platform.pool(), platform.settings(), OffsetDateTime::now_utc()).await?;
        }
        let data_dir = platform.settings().data_dir.clone();
        let accounts =
            crate::demo::seed_staff(platform.pool(), platform.secrets(), &data_dir, platform.settings().password_hash_cost())
                .await?;
        if !accounts.is_empty() {
            eprintln!("\n{}", crate::demo::describe(&accounts));
            eprintln!("  These are shown once. They are also in {}.\n", crate::demo::accounts_file(&data_dir).display());
        }
    }
    let address = listener.local_addr()?;
    tracing::info!(%address, database = platform::db::backend(platform.pool()).name(), "Commissioner is listening");
    if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        eprintln!("\n  Commissioner is running: open http://{address}\n  Press Ctrl-C to stop.\n");
    }
    crate::server::serve(listener, platform).await?;
    Ok(ExitCode::SUCCESS)
}

async fn migrate(settings: Settings) -> anyhow::Result<ExitCode> {
    let pool = platform::db::connect_lazy(&settings)?;
    let report = platform::db::migrate(&pool, &crate::migrators()).await?;
    if report.applied_now.is_empty() {
        println!("Database is up to date ({} migrations).", report.total_known);
    } else {
        println!("Applied {} migration(s): {:?}", report.applied_now.len(), report.applied_now);
    }
    Ok(ExitCode::SUCCESS)
}

async fn check(settings: Settings) -> anyhow::Result<ExitCode> {
    let mut healthy = true;
    println!("Configuration");
    println!("  listen                 {}", settings.listen);
    println!("  data folder            {}", settings.data_dir.display());
    println!("  database               {}", platform::config::redact_url(&settings.effective_database_url()));
    println!("  public URL             {}", settings.public_url);
    println!("  phase banner           {}", if settings.phase.is_empty() { "none" } else { &settings.phase });
    println!("Database");
    let pool = platform::db::connect_lazy(&settings)?;
    match platform::db::ping(&pool).await {
        Ok(()) => {
            println!("  connection             ok ({})", platform::db::backend(&pool).name());
            match platform::db::pending_migrations(&pool, &crate::migrators()).await {
                Ok(pending) if pending.is_empty() => println!("  migrations             up to date"),
                Ok(pending) => {
                    println!("  migrations             {} pending (run `commissioner migrate`): {pending:?}", pending.len())
                }
                Err(error) => {
                    healthy = false;
                    println!("  migrations             cannot read: {error}");
                }
            }
            match platform::office::load(&pool).await {
                Ok(Some(office)) => {
                    println!("  office                 {}{}", office.name, if office.is_demo { " (demo)" } else { "" })
                }
                Ok(None) => println!("  office                 not set up yet"),
                Err(_) => println!("  office                 not set up yet (run `commissioner migrate`)"),
            }
        }
        Err(error) => {
            healthy = false;
            println!("  connection             FAILED: {error}");
        }
    }
    println!("{}", if healthy { "All checks passed." } else { "Some checks failed." });
    Ok(if healthy { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

async fn office_command(settings: Settings, command: OfficeCommand) -> anyhow::Result<ExitCode> {
    use platform::office::setup::{self, SetUp};
    let OfficeCommand::SetUp { force_area, governance, name, email } = command;
    let request = SetUp { force_area, governance, name: name.unwrap_or_default(), email };
    // Refuse a mistyped area before touching the database.
    setup::office_for(&request, platform::office::Office::unconfigured())?;
    let pool = platform::db::connect_lazy(&settings)?;
    platform::db::migrate(&pool, &crate::migrators()).await?;
    let actor = platform::audit::Actor::system("command line");
    let office = setup::set_up(&pool, &crate::capabilities(), &request, &actor, OffsetDateTime::now_utc()).await?;
    let districts = platform::areas::districts::of_force_area(&office.force_area);
    println!("Set up {} for {} ({}).", office.name, office.area, office.governance.name().to_lowercase());
    println!(
        "Its {} districts, their community safety partnerships, the force, its professional standards department and",
        districts.len()
    );
    println!("the fire and rescue service are added as partners; check them at /staff/admin/organisations.");
    println!("Next: add an administrator (`commissioner user add --role administrator`), then complete the office's");
    println!("contact details and introduction at /staff/admin/office, and the force's professional standards email");
    println!("address at /staff/complaint-reviews/settings.");
    Ok(ExitCode::SUCCESS)
}

async fn calendar_command(settings: Settings, command: CalendarCommand) -> anyhow::Result<ExitCode> {
    let pool = platform::db::connect_lazy(&settings)?;
    platform::db::migrate(&pool, &crate::migrators()).await?;
    match command {
        CalendarCommand::List { year } => {
            let changes = calendar::store::all_changes(&pool).await?;
            for nation in Nation::ALL {
                println!("{nation}");
                for holiday in calendar::bank_holidays(nation, year, &changes) {
                    let provisional = if holiday.provisional { "  (provisional)" } else { "" };
                    println!("  {}  {}{provisional}", platform::db::date(holiday.date), holiday.name);
                }
            }
        }
        CalendarCommand::Add { date, nation, kind, name } => {
            let date = platform::db::parse_date(&date).ok_or_else(|| anyhow::anyhow!("date must be YYYY-MM-DD"))?;
            let kind: ChangeKind = kind.parse().map_err(anyhow::Error::msg)?;
            let nations: Vec<Nation> =
                if nation == "all" { Nation::ALL.to_vec() } else { vec![nation.parse().map_err(anyhow::Error::msg)?] };
            let name = name.trim().to_string();
            anyhow::ensure!(!name.is_empty(), "give the holiday a name with --name");
            let before = casekit::tracker::Calendars::load(&pool).await?;
            for nation in nations {
                let change = CalendarChange { date, nation, kind, name: name.clone() };
                calendar::store::add_change(&pool, &change, OffsetDateTime::now_utc()).await?;
                println!("Recorded: {} {} in {nation}: {name}", kind.slug(), platform::db::date(date));
            }
            let why = format!("{name} ({} on {})", kind.slug(), calendar::long_date(date));
            report_moves(&pool, &before, &why).await?;
        }
        CalendarCommand::Import { file, apply } => {
            let json = std::fs::read_to_string(&file).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
            return import_bank_holidays(&pool, &json, &file.display().to_string(), apply).await;
        }
        CalendarCommand::Fetch { apply } => {
            let address = settings.bank_holidays_url.clone();
            println!("Downloading {address} …");
            let json = calendar_download(&address).await?;
            return import_bank_holidays(&pool, &json, &address, apply).await;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The GOV.UK list from its address; a failure says what went wrong with the address named.
async fn calendar_download(address: &str) -> anyhow::Result<String> {
    let client = reqwest::Client::builder().timeout(std::time::Duration::from_secs(30)).build()?;
    let response = client.get(address).send().await.map_err(|e| anyhow::anyhow!("could not download {address}: {e}"))?;
    anyhow::ensure!(response.status().is_success(), "{address} answered {}", response.status());
    Ok(response.text().await?)
}

/// Shows what the list would change and, with `apply`, changes it.
async fn import_bank_holidays(pool: &platform::db::Pool, json: &str, source: &str, apply: bool) -> anyhow::Result<ExitCode> {
    let list = match calendar::govuk::read(json) {
        Ok(list) => list,
        Err(reason) => {
            eprintln!("{source}: {reason}");
            return Ok(ExitCode::FAILURE);
        }
    };
    let held = calendar::store::all_changes(pool).await?;
    let differences = calendar::govuk::differences(&list, &held);
    for nation in Nation::ALL {
        let years: Vec<i32> = list.years.iter().filter(|(n, _)| *n == nation).map(|(_, y)| *y).collect();
        if let (Some(first), Some(last)) = (years.first(), years.last()) {
            println!("{nation}: {first} to {last}");
        }
    }
    if differences.is_empty() {
        println!("The calendar already agrees with the list.");
    } else {
        println!("Differences from the calendar held:");
        for change in &differences {
            let verb = match change.kind {
                ChangeKind::Added => "add   ",
                ChangeKind::Removed => "remove",
            };
            println!("  {verb}  {}  {}  {}", calendar::long_date(change.date), change.nation, change.name);
        }
    }
    if !apply {
        if !differences.is_empty() {
            println!("Nothing has been changed. Run again with --apply to make these changes.");
        }
        return Ok(ExitCode::SUCCESS);
    }
    let actor = platform::audit::Actor::system("command line");
    let before = casekit::tracker::Calendars::load(pool).await?;
    calendar::store::import(pool, &list, &differences, source, &actor, OffsetDateTime::now_utc()).await?;
    let changes = if differences.len() == 1 { "1 change".to_string() } else { format!("{} changes", differences.len()) };
    println!("Applied {changes}; the years listed are marked confirmed.");
    if !differences.is_empty() {
        report_moves(pool, &before, &format!("The GOV.UK list of bank holidays was imported from {source}")).await?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Records on each open case the deadline the calendar change moved, and says how many.
async fn report_moves(pool: &platform::db::Pool, before: &casekit::tracker::Calendars, why: &str) -> anyhow::Result<()> {
    let actor = platform::audit::Actor::system("command line");
    let moved =
        casekit::deadlines::record_moves(&crate::services(), pool, before, why, &actor, OffsetDateTime::now_utc()).await?;
    match moved {
        0 => println!("No open case's deadline moved."),
        1 => println!("1 open case's deadline moved; its page says so."),
        n => println!("{n} open cases' deadlines moved; each case's page says so."),
    }
    Ok(())
}

async fn user_command(settings: Settings, command: UserCommand) -> anyhow::Result<ExitCode> {
    use platform::access::Role;
    use platform::auth::store;
    let pool = platform::db::connect_lazy(&settings)?;
    platform::db::migrate(&pool, &crate::migrators()).await?;
    let actor = platform::audit::Actor::system("command line");
    let find = |email: String| {
        let pool = pool.clone();
        async move { store::find_by_email(&pool, &email).await?.ok_or_else(|| anyhow::anyhow!("no account with email {email}")) }
    };
    match command {
        UserCommand::Add { email, name, role, organisation } => {
            let role: Role = role.parse().map_err(anyhow::Error::msg)?;
            let password = crate::demo::generate_password();
            let organisation_id = match organisation {
                Some(name) => match platform::organisations::id_named(&pool, &name).await? {
                    Some(id) => Some(id),
                    None => {
                        let known: Vec<String> =
                            platform::organisations::list(&pool).await?.into_iter().map(|o| o.name).collect();
                        eprintln!(
                            "There is no organisation called {name}. Add it on the partner organisations page first.{}",
                            if known.is_empty() { String::new() } else { format!(" Known: {}.", known.join(", ")) }
                        );
                        return Ok(ExitCode::FAILURE);
                    }
                },
                None => None,
            };
            let new = store::NewUser { email, display_name: name, role, organisation_id, password: password.clone() };
            let user = store::create_user(&pool, &new, settings.password_hash_cost(), &actor).await?;
            println!("Added {} ({}).", user.email, user.role.name());
            println!("Temporary password: {password}");
            if user.role.requires_two_factor() {
                println!("They will set up an authenticator app when they first sign in.");
            }
        }
        UserCommand::List => {
            for user in store::list_users(&pool).await? {
                let status = if user.disabled { "disabled" } else { "active" };
                let two_factor = if user.totp_enabled { "2FA" } else { "no 2FA" };
                println!("{:<44} {:<34} {:<8} {two_factor}", user.email, user.role.name(), status);
            }
        }
        UserCommand::Disable { email } => {
            let user = find(email).await?;
            store::set_disabled(&pool, &user.id, true, &actor).await?;
            println!("Disabled {}; their sessions have ended.", user.email);
        }
        UserCommand::Enable { email } => {
            let user = find(email).await?;
            store::set_disabled(&pool, &user.id, false, &actor).await?;
            println!("Enabled {}.", user.email);
        }
        UserCommand::Reset2fa { email } => {
            let user = find(email).await?;
            store::reset_two_factor(&pool, &user.id, &actor).await?;
            println!("Reset the second factor of {}; they set up a new one at their next sign-in.", user.email);
        }
    }
    Ok(ExitCode::SUCCESS)
}

mod operations;
mod police_data;

use operations::*;
use police_data::*;
