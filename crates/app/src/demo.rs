//! The demo office: enough of a real office to click around in, created on first run of
//! `commissioner serve --demo` and left alone after that.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use platform::access::Role;
use platform::audit::Actor;
use platform::auth::password::HashCost;
use platform::auth::store::{self, NewUser};
use platform::auth::totp;
use platform::db::Pool;
use platform::office::{self, Office};
use time::OffsetDateTime;

/// The demo office's details. The area and what the office does are Staffordshire's; the
/// contact details are fictional (Ofcom's drama numbers, an `.example` address) so nobody
/// trying the demo reaches a real office.
pub fn demo_office() -> Office {
    Office {
        name: "Staffordshire Commissioner’s Office".into(),
        short_name: "the Commissioner’s Office".into(),
        area: "Staffordshire and Stoke-on-Trent".into(),
        force_area: "staffordshire".into(),
        governance: office::Governance::Pfcc,
        email: "contact@commissioner.example".into(),
        privacy_contact: "dpo@commissioner.example".into(),
        telephone: "01632 960 123".into(),
        postal_address: "Staffordshire Commissioner’s Office (demonstration)\n1 Example Road\nStafford\nST16 0ZZ".into(),
        introduction: "The Staffordshire Commissioner holds Staffordshire Police and Staffordshire Fire and Rescue Service to account on behalf of everyone who lives and works in Staffordshire and Stoke-on-Trent.\n\nThe office sets the Police and Crime Plan and the Fire and Rescue Plan, funds services for victims, and works with councils, health and community groups to reduce crime and anti-social behaviour.".into(),
        signatory_name: "Sam Example".into(),
        signatory_role: "Chief Executive (demonstration)".into(),
        new_work_to: office::NewWorkTo::SharedAddress,
        is_demo: true,
        has_logo: false,
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum Seeded {
    Created,
    AlreadyThere,
}

/// Creates the demo office unless an office already exists (a real one is never overwritten),
/// and sets it up from Staffordshire's reference data by the path a real office takes.
pub async fn seed(pool: &Pool, now: OffsetDateTime) -> anyhow::Result<Seeded> {
    if office::load(pool).await?.is_some() {
        return Ok(Seeded::AlreadyThere);
    }
    let office = demo_office();
    office::save(pool, &office, now).await?;
    crate::capabilities().set_up_office(pool, &office, &Actor::system("demo office"), now).await?;
    Ok(Seeded::Created)
}

/// A demo account as created, with the secrets a newcomer needs to sign in.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub role: Role,
    pub email: String,
    pub password: String,
    /// The authenticator secret, already enrolled, for roles that need a second factor.
    pub totp_secret: Option<String>,
}

/// A password from 80 random bits, in groups a person can type.
pub fn generate_password() -> String {
    let token = store::new_token().replace(['-', '_'], "x");
    format!("{}-{}-{}-{}", &token[0..4], &token[4..8], &token[8..12], &token[12..16])
}

/// Creates one account for each role, unless any staff account exists already. Returns the new
/// accounts with their one-time secrets, which are also written to `demo-accounts.txt` in the
/// data folder (readable by its owner only).
pub async fn seed_staff(
    pool: &Pool,
    key: &platform::auth::secrets::SecretsKey,
    data_dir: &Path,
    cost: HashCost,
) -> anyhow::Result<Vec<DemoAccount>> {
    if !store::list_users(pool).await?.is_empty() {
        return Ok(Vec::new());
    }
    let actor = Actor::system("demo office");
    let mut accounts = Vec::new();
    for role in Role::ALL {
        let email = format!("{}@demo.commissioner.example", role.slug());
        let password = generate_password();
        // The review body's organisation, added with the demo's review bodies.
        let organisation_id = match role {
            Role::Partner => platform::organisations::id_named(pool, casework::asb::demo::PARTNER_ORGANISATION).await?,
            _ => None,
        };
        let user = store::create_user(
            pool,
            &NewUser {
                email: email.clone(),
                display_name: format!("Demo {}", role.name()),
                role,
                organisation_id,
                password: password.clone(),
            },
            cost,
            &actor,
        )
        .await?;
        let totp_secret = if role.requires_two_factor() {
            let secret = totp::new_secret();
            store::set_totp_secret_enrolled(pool, key, &user.id, &secret).await?;
            Some(secret)
        } else {
            None
        };
        accounts.push(DemoAccount { role, email, password, totp_secret });
    }
    // A second partner, from the force's Professional Standards Department, for complaint reviews.
    let email = "psd@demo.commissioner.example".to_string();
    let password = generate_password();
    let user = store::create_user(
        pool,
        &NewUser {
            email: email.clone(),
            display_name: "Demo Professional Standards officer".into(),
            role: Role::Partner,
            organisation_id: platform::organisations::id_named(pool, casework::complaints::demo::PSD_ORGANISATION).await?,
            password: password.clone(),
        },
        cost,
        &actor,
    )
    .await?;
    let secret = totp::new_secret();
    store::set_totp_secret_enrolled(pool, key, &user.id, &secret).await?;
    accounts.push(DemoAccount { role: Role::Partner, email, password, totp_secret: Some(secret) });
    write_accounts_file(&accounts_file(data_dir), &accounts)?;
    Ok(accounts)
}

pub fn accounts_file(data_dir: &Path) -> PathBuf {
    data_dir.join("demo-accounts.txt")
}

pub fn describe(accounts: &[DemoAccount]) -> String {
    let mut text = String::from("Demo staff accounts (one per role). Add the secret to an authenticator app to get codes.\n\n");
    for a in accounts {
        let _ = writeln!(text, "  {:<34} {:<52} password {}", a.role.name(), a.email, a.password);
        if let Some(secret) = &a.totp_secret {
            let _ = writeln!(text, "  {:<34} {:<52} authenticator secret {secret}", "", "");
        }
    }
    text
}

fn write_accounts_file(path: &Path, accounts: &[DemoAccount]) -> std::io::Result<()> {
    let mut lines = String::from("# role\temail\tpassword\ttotp_secret\n");
    for a in accounts {
        let _ = writeln!(lines, "{}\t{}\t{}\t{}", a.role.slug(), a.email, a.password, a.totp_secret.as_deref().unwrap_or("-"));
    }
    std::fs::write(path, lines)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}
