//! Setting up the office for one of the 43 force areas: the office's record, then each
//! capability's share of the area's reference data (`Capability::set_up_office`). The command
//! line and the demo take this one path.

use time::OffsetDateTime;

use super::{Governance, Office};
use crate::areas::{self, ForceArea};
use crate::audit::Actor;
use crate::capability::Capabilities;
use crate::db::Pool;
use crate::organisations::{self, Kind, NewOrganisation};

/// What the person setting up asked for, as typed.
#[derive(Debug, Clone, Default)]
pub struct SetUp {
    pub force_area: String,
    pub governance: String,
    /// The office's name; one made from the area and governance when empty.
    pub name: String,
    /// The email address the public write to; kept as it was when empty.
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SetUpError {
    #[error("no police force area {0:?}: use one of {known}", known = known_areas())]
    UnknownArea(String),
    #[error("no governance {0:?}: use pcc, pfcc, mayor, mayor-fire or board")]
    UnknownGovernance(String),
    #[error("{0:?} is not an email address")]
    NotAnEmail(String),
}

fn known_areas() -> String {
    areas::FORCE_AREAS.iter().map(|a| a.slug).collect::<Vec<_>>().join(", ")
}

/// The office as set up, keeping the contact details and introduction of `kept` (a real office
/// set up again keeps what its staff wrote).
pub fn office_for(request: &SetUp, kept: Office) -> Result<Office, SetUpError> {
    let area = areas::force_area(request.force_area.trim())
        .ok_or_else(|| SetUpError::UnknownArea(request.force_area.trim().to_string()))?;
    let governance = Governance::from_slug(request.governance.trim())
        .ok_or_else(|| SetUpError::UnknownGovernance(request.governance.trim().to_string()))?;
    let email = request.email.trim();
    if !email.is_empty() && !crate::contact::is_email(email) {
        return Err(SetUpError::NotAnEmail(email.to_string()));
    }
    let name = match request.name.trim() {
        "" => office_name(area, governance),
        name => name.to_string(),
    };
    Ok(Office {
        name,
        short_name: governance.office().to_string(),
        area: area.name.to_string(),
        force_area: area.slug.to_string(),
        governance,
        email: if email.is_empty() { kept.email.clone() } else { email.to_string() },
        is_demo: false,
        ..kept
    })
}

/// An office's name when none is given: "West Yorkshire Mayor’s Office", "Dyfed-Powys Police and
/// Crime Commissioner".
pub fn office_name(area: &ForceArea, governance: Governance) -> String {
    let area = area.name;
    match governance {
        Governance::Pcc => format!("{area} Police and Crime Commissioner"),
        Governance::Pfcc => format!("{area} Police, Fire and Crime Commissioner"),
        Governance::Mayor | Governance::MayorWithFire => format!("{area} Mayor’s Office"),
        Governance::Board => format!("{area} Policing and Crime Board"),
    }
}

/// Sets up the office for real: its record (audited), then every capability's share.
pub async fn set_up(
    pool: &Pool,
    capabilities: &Capabilities,
    request: &SetUp,
    actor: &Actor,
    now: OffsetDateTime,
) -> anyhow::Result<Office> {
    let kept = super::load(pool).await?.filter(|o| !o.is_demo).unwrap_or_else(Office::unconfigured);
    let office = office_for(request, kept)?;
    super::update(pool, &office, actor, now).await?;
    capabilities.set_up_office(pool, &office, actor, now).await?;
    Ok(office)
}

/// The kernel's share: the area's police force and its professional standards department, its
/// fire and rescue services and its councils, as partner organisations (each added once, by
/// name; a renamed one is found by its new name only, so renaming and setting up again adds the
/// reference name back, which an administrator can remove).
pub async fn add_partners(pool: &Pool, office: &Office, actor: &Actor, now: OffsetDateTime) -> anyhow::Result<()> {
    let Some(area) = areas::force_area(&office.force_area) else { return Ok(()) };
    let psd = area.professional_standards();
    let fire: Vec<String> = areas::districts::fire_authorities_of(area.slug).iter().map(|f| f.service_name()).collect();
    let mut partners = vec![(area.force, Kind::PoliceForce), (psd.as_str(), Kind::ForcePsd)];
    partners.extend(fire.iter().map(|name| (name.as_str(), Kind::FireService)));
    partners.extend(areas::districts::of_force_area(area.slug).into_iter().map(|d| (d.council.as_str(), Kind::Council)));
    let mut tx = crate::db::begin_write(pool).await?;
    for (name, kind) in partners {
        organisations::find_or_add(&mut tx, NewOrganisation { name, kind, email: None }, actor, now)
            .await
            .map_err(|e| anyhow::anyhow!("adding {name}: {e}"))?;
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(area: &str, governance: &str) -> SetUp {
        SetUp { force_area: area.into(), governance: governance.into(), ..SetUp::default() }
    }

    #[test]
    fn an_office_for_each_kind_of_governance() {
        let cases = [
            ("staffordshire", "pfcc", "Staffordshire Police, Fire and Crime Commissioner"),
            ("west-yorkshire", "mayor-fire", "West Yorkshire Mayor’s Office"),
            ("dyfed-powys", "pcc", "Dyfed-Powys Police and Crime Commissioner"),
            ("kent", "board", "Kent Policing and Crime Board"),
        ];
        for (area, governance, name) in cases {
            let office = office_for(&request(area, governance), Office::unconfigured()).expect(area);
            assert_eq!(office.name, name);
            assert_eq!(office.force_area, area);
            assert_eq!(office.governance.slug(), governance);
        }
    }

    #[test]
    fn setting_up_again_keeps_what_staff_wrote_and_refuses_what_it_cannot_use() {
        let kept = Office { email: "hello@office.example".into(), introduction: "We are here.".into(), ..Office::unconfigured() };
        let named = SetUp { name: "  The Office  ".into(), ..request(" gwent ", " pcc ") };
        let office = office_for(&named, kept).expect("set up");
        assert_eq!(
            (office.name.as_str(), office.email.as_str(), office.introduction.as_str()),
            ("The Office", "hello@office.example", "We are here.")
        );
        assert_eq!(office_for(&request("btp", "pcc"), Office::unconfigured()), Err(SetUpError::UnknownArea("btp".into())));
        assert!(SetUpError::UnknownArea("x".into()).to_string().contains("west-yorkshire"));
        assert_eq!(
            office_for(&request("kent", "sheriff"), Office::unconfigured()),
            Err(SetUpError::UnknownGovernance("sheriff".into()))
        );
        let bad = SetUp { email: "not an address".into(), ..request("kent", "pcc") };
        assert_eq!(office_for(&bad, Office::unconfigured()), Err(SetUpError::NotAnEmail("not an address".into())));
    }
}
