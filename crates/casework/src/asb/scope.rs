//! Which ASB cases a signed-in person may see: the one place that decides it. The route table
//! says which roles reach the casework pages at all; this says, within them, which records.

use platform::access::Role;
use platform::auth::store::StaffUser;

use super::policy::ReviewBody;

/// The roles that run the office's casework.
pub const OFFICE: &[Role] = &[Role::Administrator, Role::Caseworker];
/// The office, and partners from the review bodies.
pub const CASE_READERS: &[Role] = &[Role::Administrator, Role::Caseworker, Role::Partner];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every case (the office).
    All,
    /// Only cases assigned to this review body (a partner from it).
    ReviewBody(String),
    /// Nothing: a partner whose organisation is not a review body, or any other role.
    Nothing,
}

impl Scope {
    pub fn of(user: &StaffUser, bodies: &[ReviewBody]) -> Scope {
        if OFFICE.contains(&user.role) {
            return Scope::All;
        }
        if user.role != Role::Partner {
            return Scope::Nothing;
        }
        let organisation = user.organisation.as_deref().unwrap_or_default().trim();
        match bodies.iter().find(|b| !organisation.is_empty() && b.name.eq_ignore_ascii_case(organisation)) {
            Some(body) => Scope::ReviewBody(body.id.clone()),
            None => Scope::Nothing,
        }
    }

    pub fn allows(&self, review_body_id: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::ReviewBody(id) => id == review_body_id,
            Scope::Nothing => false,
        }
    }

    pub fn is_office(&self) -> bool {
        *self == Scope::All
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role, organisation: Option<&str>) -> StaffUser {
        StaffUser {
            id: "u".into(),
            email: "u@example.com".into(),
            display_name: "U".into(),
            role,
            organisation: organisation.map(str::to_string),
            totp_enabled: true,
            disabled: false,
        }
    }

    #[test]
    fn partners_see_only_their_own_review_body() {
        let bodies = vec![
            ReviewBody { id: "north".into(), name: "North CSP".into(), email: "n@example.com".into() },
            ReviewBody { id: "south".into(), name: "South CSP".into(), email: "s@example.com".into() },
        ];
        assert_eq!(Scope::of(&user(Role::Caseworker, None), &bodies), Scope::All);
        assert_eq!(Scope::of(&user(Role::Administrator, None), &bodies), Scope::All);
        let partner = Scope::of(&user(Role::Partner, Some(" north csp ")), &bodies);
        assert_eq!(partner, Scope::ReviewBody("north".into()));
        assert!(partner.allows("north"));
        assert!(!partner.allows("south"));
        assert_eq!(Scope::of(&user(Role::Partner, Some("Staffordshire Police PSD")), &bodies), Scope::Nothing);
        assert_eq!(Scope::of(&user(Role::Partner, None), &bodies), Scope::Nothing);
        assert_eq!(Scope::of(&user(Role::PanelMember, None), &bodies), Scope::Nothing);
        assert!(!Scope::Nothing.allows("north"));
    }
}
