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
        // By the organisation's id: renaming the organisation or the review body changes nothing.
        let Some(organisation) = user.organisation_id.as_deref() else { return Scope::Nothing };
        match bodies.iter().find(|b| b.organisation_id.as_deref() == Some(organisation)) {
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

    use crate::testing::user;

    #[test]
    fn partners_see_only_their_own_review_body() {
        let bodies = vec![
            ReviewBody {
                id: "north".into(),
                name: "North CSP".into(),
                email: "n@example.com".into(),
                organisation_id: Some("org-n".into()),
            },
            ReviewBody {
                id: "south".into(),
                name: "South CSP".into(),
                email: "s@example.com".into(),
                organisation_id: Some("org-s".into()),
            },
        ];
        assert_eq!(Scope::of(&user(Role::Caseworker, None), &bodies), Scope::All);
        assert_eq!(Scope::of(&user(Role::Administrator, None), &bodies), Scope::All);
        let partner = Scope::of(&user(Role::Partner, Some("org-n")), &bodies);
        assert_eq!(partner, Scope::ReviewBody("north".into()));
        assert!(partner.allows("north"));
        assert!(!partner.allows("south"));
        assert_eq!(Scope::of(&user(Role::Partner, Some("org-psd")), &bodies), Scope::Nothing);
        // A partner typed as the body's name is no longer a match: only the id counts.
        assert_eq!(Scope::of(&user(Role::Partner, Some("North CSP")), &bodies), Scope::Nothing);
        assert_eq!(Scope::of(&user(Role::Partner, None), &bodies), Scope::Nothing);
        assert_eq!(Scope::of(&user(Role::PanelMember, None), &bodies), Scope::Nothing);
        assert!(!Scope::Nothing.allows("north"));
    }
}
