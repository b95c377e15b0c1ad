//! The demo office's transparency records: the seven classes filled with the items an office
//! publishes (a few overdue, and a few of the Order's requirements left unmet so the completeness
//! check has something to say), a year of decisions (some still draft or signed), twelve months
//! of spending over £500 imported through the real import (invented suppliers and amounts, with a
//! few payments to individuals redacted), documents with an earlier version, and the registers.
//! Every name of a person here is invented; amounts are illustrative and said to be.

use platform::audit::Actor;
use platform::config::Settings;
use platform::db::{self, Pool};
use time::{Date, Duration, Month, OffsetDateTime};

use crate::decision::{Status, Step};
use crate::registers;
use crate::scheme::add_months;
use crate::spend::Mapping;
use crate::store::{self, DecisionText, NewItem, NewVersion};

/// (title, class, requirement, frequency, source, url, months since last reviewed)
const LINKS: &[(&str, i64, &str, &str, &str, i64)] = &[
    ("Who we are: the Commissioner, the deputy and the office", 1, "office-holders", "U", "/", 3),
    ("Our staff structure chart", 1, "structure", "U", "/", 14),
    ("Where we are: our offices and the land we hold", 1, "premises", "U", "/", 5),
    ("Police and Crime Plan", 3, "", "U", "/plans", 2),
    ("How we are doing: performance against the plan", 3, "", "Q", "/performance", 1),
    ("Reports from the community safety partnerships", 3, "partnerships", "FY", "/", 15),
    ("Policies and procedures", 5, "policies", "U", "/", 8),
    ("How to complain about the Commissioner", 5, "", "U", "/panel", 4),
    ("ASB Case Review", 7, "", "U", "/asb-case-review", 1),
    ("Freedom of information and the disclosure log", 7, "", "U", "/information-requests", 1),
    ("Crime and ASB in your area", 7, "", "M", "/crime-data", 0),
];

/// (title, class, requirement, frequency, source)
const FOLLOWING: &[(&str, i64, &str, &str, &str)] = &[
    ("Spending over £500", 2, "spending", "M", "spending"),
    ("Decisions", 4, "decisions", "U", "decisions"),
    ("Contracts over £10,000", 6, "contracts", "M", "register:contracts"),
    ("Contracts of £10,000 or less", 6, "small-contracts", "Q", "register:contracts"),
    ("Crime and disorder grants", 2, "grants", "M", "register:grants"),
    ("Register of interests", 6, "interests", "U", "register:interests"),
    ("Gifts and hospitality", 6, "gifts", "Q", "register:gifts"),
    ("Senior staff and salaries", 2, "senior-staff", "FY", "register:senior-staff"),
    ("Allowances and expenses", 2, "expenses", "Q", "register:expenses"),
    ("Our staff: headcount and diversity", 1, "workforce", "FY", "register:workforce"),
    ("Budget and precept", 2, "budget", "FY", "document:budget"),
    ("Statement on the national policing priorities", 3, "national-priorities", "FY", "document:national-priorities"),
    ("How we oversee complaints handling by the force", 3, "complaints-handling", "FY", "document:complaints-handling"),
];

const SUPPLIERS: &[(&str, &str, &str)] = &[
    ("Staffordshire County Council", "Partnership funding", "Locality deal funding for the community safety partnership"),
    ("Stoke-on-Trent City Council", "Partnership funding", "Locality deal funding for the community safety partnership"),
    ("Victim Support", "Commissioned services", "Victims’ Gateway: quarterly payment"),
    ("New Era Domestic Abuse Services (demo)", "Commissioned services", "Domestic abuse support: monthly payment"),
    ("Midlands Custody Health Ltd (demo)", "Commissioned services", "Medical services in police custody"),
    ("Northgate Office Supplies (demo)", "Supplies and services", "Office stationery"),
    ("Trentside Audit LLP (demo)", "Professional fees", "Internal audit"),
    ("Peak Digital Ltd (demo)", "IT and communications", "Website hosting and support"),
    ("Moorlands Print Co (demo)", "Printing", "Printing the annual report"),
    ("Cannock Venue Hire (demo)", "Premises", "Room hire for the Panel’s public meeting"),
];

/// Illustrative payments to individuals: the names are redacted by the import, never stored.
const INDIVIDUALS: &[(&str, &str, &str)] = &[
    ("Mr J Carter", "Independent custody visitors", "Expenses of an independent custody visitor"),
    ("Dr S Whitfield", "Professional fees", "Independent member of the audit committee"),
];

fn day(d: Date) -> String {
    db::date(d)
}

pub async fn seed(pool: &Pool, _settings: &Settings, now: OffsetDateTime) -> anyhow::Result<()> {
    if !store::items(pool).await?.is_empty() {
        return Ok(());
    }
    let Some(office) = platform::office::load(pool).await? else { return Ok(()) };
    let actor = Actor::system("demo office");
    let today = platform::calendar::uk_local_date(now);
    let month_start = Date::from_calendar_date(today.year(), today.month(), 1)?;

    // The publication scheme: pages elsewhere reviewed some months ago (a few now overdue), and
    // items that follow what is published here.
    let users = platform::auth::store::list_users(pool).await?;
    let owner =
        users.iter().find(|u| u.role == platform::access::Role::TransparencyOfficer).or(users.first()).map(|u| u.id.clone());
    let mut tx = db::begin_write(pool).await?;
    for (title, class, requirement, frequency, url, months) in LINKS {
        let reviewed = today - Duration::days(months * 30);
        let new = NewItem {
            title,
            class: *class,
            requirement,
            frequency,
            owner_id: owner.as_deref(),
            source: "link",
            url,
            reviewed_on: Some(reviewed),
        };
        store::add_item(&mut tx, &new, &actor, now).await?;
    }
    for (title, class, requirement, frequency, source) in FOLLOWING {
        let url = match source.split_once(':') {
            Some(("register", slug)) => format!("/transparency/registers/{slug}"),
            Some(("document", slug)) => format!("/transparency/documents/{slug}"),
            _ => format!("/transparency/{source}"),
        };
        let new = NewItem {
            title,
            class: *class,
            requirement,
            frequency,
            owner_id: owner.as_deref(),
            source,
            url: &url,
            reviewed_on: None,
        };
        store::add_item(&mut tx, &new, &actor, now).await?;
    }

    // Documents: the budget with an earlier version, and two statements the Order asks for.
    let year = platform::periods::FinancialYear::containing(today);
    let documents: [(&str, &str, &str, i64); 4] = [
        (
            "budget",
            "Budget and precept",
            "## The budget\nDemo content: the office’s budget for the year, the precept set after the Panel’s review, where the money comes from and what it is planned to be spent on.\n\n## Sources of revenue\n- Police grant from the Home Office\n- The precept, paid through council tax\n- Specific grants, such as the victims’ grant",
            200,
        ),
        (
            "budget",
            "Budget and precept",
            "## The budget\nDemo content: this year’s budget, updated after the precept was agreed.\n\n## Sources of revenue\n- Police grant from the Home Office\n- The precept, paid through council tax\n- Specific grants, such as the victims’ grant\n\n## Investment strategy\nDemo content: how reserves are invested.",
            60,
        ),
        (
            "national-priorities",
            "Statement on the national policing priorities",
            "Demo content: how the Commissioner has had regard to the government’s national policing priorities and the Strategic Policing Requirement in the plan.",
            420,
        ),
        (
            "complaints-handling",
            "How we oversee complaints handling by the force",
            "Demo content: how the office holds the Chief Constable to account for complaints handling, and the reviews it carries out.",
            100,
        ),
    ];
    for (slug, title, body, days_ago) in documents {
        let on = today - Duration::days(days_ago);
        let html = crate::office::document_html(title, &office.name, body, on);
        let note = if days_ago == 60 { "Updated after the precept was agreed" } else { "" };
        let version = NewVersion { title, body, html: &html, file_id: None, change_note: note, published_on: on };
        store::publish_version(&mut tx, slug, &version, &actor, now - Duration::days(days_ago)).await?;
    }

    // A year of decisions; the latest still draft and signed.
    let decisions: [(&str, &str, &str); 14] = [
        (
            "Locality deal fund allocations",
            "Allocation of the locality deal fund among the community safety partnerships",
            "Demo content: £724,750 shared by formula among the partnerships, as the fund’s rules set out.",
        ),
        (
            "Victims’ Gateway contract extension",
            "Extension of the Victims’ Gateway contract for a further year",
            "Demo content: the service is performing well and retendering now would disrupt victims’ support.",
        ),
        (
            "Custody medical services",
            "Award of the contract for medical services in police custody",
            "Demo content: the highest-scoring bid in an open tender.",
        ),
        (
            "Precept proposal",
            "The precept proposed to the Panel for next year",
            "Demo content: balancing the force’s pressures against what council tax payers can bear.",
        ),
        (
            "Estates strategy",
            "Adoption of the joint police and fire estates strategy",
            "Demo content: shared stations cut running costs.",
        ),
        (
            "Road safety camera funding",
            "Funding for the Safer Roads Partnership’s cameras",
            "Demo content: cameras where collisions cluster.",
        ),
        (
            "Proceeds of crime grants",
            "Grants of £10,000 to each partnership from the Proceeds of Crime Act fund",
            "Demo content: money taken from criminals returned to communities for ASB work.",
        ),
        ("Internal audit provider", "Appointment of the internal audit provider", "Demo content: a framework call-off."),
        (
            "Treasury management strategy",
            "Approval of the treasury management strategy",
            "Demo content: as the Prudential Code requires.",
        ),
        (
            "Domestic abuse service co-commissioning",
            "Co-commissioning the domestic abuse service with two councils",
            "Demo content: one service for victims across the area at £3.3m a year shared with the councils.",
        ),
        (
            "Body-worn video replacement",
            "Replacement of the force’s body-worn video cameras",
            "Demo content: the current cameras are at the end of their life.",
        ),
        ("Small grants round", "Opening this year’s small grants round", "Demo content: up to £5,000 each for community groups."),
        (
            "Fleet electrification",
            "First phase of the fleet electrification plan",
            "Demo content: draft, awaiting the Commissioner’s signature.",
        ),
        (
            "Hate crime support service",
            "Extension of the hate crime support service",
            "Demo content: signed and waiting to be published.",
        ),
    ];
    let start = today - Duration::days(360);
    for (i, (short, title, reasons)) in decisions.iter().enumerate() {
        let decided = start + Duration::days(i as i64 * 26);
        let text = DecisionText {
            title: title.to_string(),
            decided_on: Some(decided),
            decision_maker: "The Commissioner".into(),
            summary: format!("Demo content: the Commissioner decided on {}.", short.to_lowercase()),
            reasons: reasons.to_string(),
            options: "Demo content: the options considered, including doing nothing.".into(),
            financial: "Demo content: the cost and where the money comes from.".into(),
            report_url: String::new(),
            exempt_part: if i == 2 { "Demo content: the bidders’ prices.".into() } else { String::new() },
            exempt_reason: if i == 2 { "The bidders’ prices are commercially sensitive.".into() } else { String::new() },
        };
        let number = store::draft_decision(&mut tx, &text, &actor, now).await?;
        if i < decisions.len() - 1 {
            store::step_decision(&mut tx, (&number, 1), (Status::Draft, Step::Sign), decided + Duration::days(2), &actor, now)
                .await?;
        }
        if i < decisions.len() - 2 {
            let published = (decided + Duration::days(7)).min(today);
            store::step_decision(&mut tx, (&number, 2), (Status::Signed, Step::Publish), published, &actor, now).await?;
        }
    }

    // The registers, each as a CSV through the registers' own import.
    let d = |days: i64| day(today - Duration::days(days));
    let ahead = |months: u32| day(add_months(month_start, months));
    let files = [
        (
            "contracts",
            format!(
                "Contract reference,Title,Supplier,Total value,Start date,End date,How it was procured,Tender documents (web address)\n\
                 C-2024-001,Victims’ Gateway,Victim Support,\"1,950,000\",{},{},Open tender,\n\
                 C-2025-004,Medical services in police custody,Midlands Custody Health Ltd (demo),\"4,200,000\",{},{},Open tender,https://www.contractsfinder.service.gov.uk/\n\
                 C-2025-007,Internal audit,Trentside Audit LLP (demo),\"96,000\",{},{},Framework call-off,\n\
                 C-2026-002,Printing the annual report,Moorlands Print Co (demo),\"4,800\",{},{},Quotation,\n\
                 C-2026-003,Website hosting,Peak Digital Ltd (demo),\"9,600\",{},{},Quotation,\n",
                d(700),
                ahead(24),
                d(200),
                ahead(36),
                d(150),
                ahead(30),
                d(90),
                d(0),
                d(60),
                ahead(12)
            ),
        ),
        (
            "grants",
            format!(
                "Recipient,Purpose,Amount,Date awarded,Conditions,Why the grant was made\n\
                 Stafford Borough community safety partnership,Locality deal fund: the partnership’s share,\"80,528\",{},Spent on the partnership’s plan; a return each quarter,Allocated by the fund’s formula\n\
                 Tamworth community safety partnership,Proceeds of Crime Act fund for work on anti-social behaviour,\"10,000\",{},A report on what it paid for,Each partnership receives the same sum\n",
                d(240),
                d(200)
            ),
        ),
        (
            "interests",
            format!(
                "Office holder,Kind of interest,The interest,Date declared\n\
                 The Commissioner,Membership,Demo entry: trustee of a local youth charity,{}\n\
                 The Deputy Commissioner,Land or property,Demo entry: owns a home in the area,{}\n",
                d(500),
                d(480)
            ),
        ),
        (
            "gifts",
            format!(
                "Offered to,Offered by,What was offered,Estimated value,Date offered,Accepted or refused\n\
                 The Commissioner,A local business association (demo),Dinner at the association’s annual awards,45,{},Accepted\n\
                 Chief Executive,A supplier bidding for a contract (demo),Tickets to a football match,120,{},Refused\n",
                d(130),
                d(100)
            ),
        ),
        (
            "senior-staff",
            format!(
                "Post,Name (where published),Responsibilities,Salary a year,As at\n\
                 Chief Executive and Monitoring Officer,,Heads the office; the statutory monitoring officer,\"105,000\",{0}\n\
                 Chief Finance Officer,,The statutory chief finance officer (section 151),\"92,000\",{0}\n",
                day(year.first_day())
            ),
        ),
        (
            "expenses",
            format!(
                "Office holder,Date,Kind,Details,Amount\n\
                 The Commissioner,{},Travel,Rail fare to a national meeting in London,86.40\n\
                 The Deputy Commissioner,{},Subsistence,Lunch while at a regional conference,12.50\n",
                d(150),
                d(140)
            ),
        ),
        (
            "workforce",
            format!(
                "As at,Headcount,Full-time equivalent,Women (%),Ethnic minority (%),Disabled (%)\n{},48,44.6,64.6,8.3,6.3\n",
                day(year.first_day())
            ),
        ),
    ];
    for (slug, csv) in &files {
        let register = registers::find(slug).ok_or_else(|| anyhow::anyhow!("no register {slug}"))?;
        let entries =
            registers::read_import(register, csv.as_bytes()).map_err(|p| anyhow::anyhow!("the demo's {slug} refused: {p:?}"))?;
        store::add_entries(&mut tx, register, &entries, &actor, now).await?;
    }
    tx.commit().await?;

    // Twelve months of spending, each month its own file through the real import. The last
    // month is left unimported so the calendar shows spending due.
    let headers = ["Transaction", "Date", "Supplier", "Amount", "Expense type", "Purpose", "Payee type"].map(String::from);
    let mapping = Mapping::guess(&headers);
    let mut tx = db::begin_write(pool).await?;
    store::save_mapping(&mut tx, &mapping, &actor, now).await?;
    tx.commit().await?;
    for back in (1..=12u32).rev() {
        let start = sub_months(month_start, back);
        let mut csv = String::from("Transaction,Date,Supplier,Amount,Expense type,Purpose,Payee type\n");
        for (i, (supplier, kind, purpose)) in SUPPLIERS.iter().enumerate() {
            for n in 0..3 {
                let paid = start + Duration::days(((i * 3 + n) * 2 % 27) as i64);
                let pence = 40_000 + ((i as i64 * 7_919 + n as i64 * 104_729 + back as i64 * 15_485) % 4_000_000);
                csv.push_str(&format!(
                    "D{}{:02}-{i:02}{n},{},{supplier},{}.{:02},{kind},{purpose},Organisation\n",
                    start.year(),
                    u8::from(start.month()),
                    db::date(paid),
                    pence / 100,
                    pence % 100
                ));
            }
        }
        for (i, (name, kind, purpose)) in INDIVIDUALS.iter().enumerate() {
            if back % 3 == i as u32 {
                csv.push_str(&format!(
                    "D{}{:02}-9{i},{},{name},612.00,{kind},{purpose},Individual\n",
                    start.year(),
                    u8::from(start.month()),
                    db::date(start + Duration::days(10))
                ));
            }
        }
        // Each month's file goes in on the 10th of the next, as a finance team would send it.
        let imported_at = (add_months(start, 1) + Duration::days(9)).midnight().assume_utc().min(now);
        let name = format!("payments-{}-{:02}.csv", start.year(), u8::from(start.month()));
        let outcome = crate::spending::import(pool, (csv.as_bytes(), &name), &mapping, &actor, imported_at, |_| {}).await?;
        if !matches!(outcome, crate::spending::Outcome::Imported { .. }) {
            anyhow::bail!("the demo's spending for {name} was refused: {outcome:?}");
        }
    }
    Ok(())
}

fn sub_months(date: Date, months: u32) -> Date {
    let index = date.year() * 12 + i32::from(u8::from(date.month()) - 1) - months as i32;
    let month = Month::try_from(index.rem_euclid(12) as u8 + 1).unwrap_or(Month::January);
    Date::from_calendar_date(index.div_euclid(12), month, 1).unwrap_or(date)
}
