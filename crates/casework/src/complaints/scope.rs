//! Which complaint reviews a signed-in person may see: the one place that decides it. The route
//! table says which roles reach the pages at all; this says, within them, which reviews.

use platform::access::Role;
use platform::auth::store::StaffUser;

use super::policy::ComplaintPolicy;

/// The roles that run the office's casework.
pub const OFFICE: &[Role] = &[Role::Administrator, Role::Caseworker];
/// The office, and partners from the force's Professional Standards Department.
pub const CASE_READERS: &[Role] = &[Role::Administrator, Role::Caseworker, Role::Partner];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every review (the office).
    All,
    /// Reviews whose complaint file has been asked for (the force's PSD): before that the force
    /// has no part in the review, so it does not see that one was asked for.
    ForceFileRequested,
    Nothing,
}

impl Scope {
    pub fn of(user: &StaffUser, policy: &ComplaintPolicy) -> Scope {
        if OFFICE.contains(&user.role) {
            return Scope::All;
        }
        // By the organisation's id: renaming the PSD's organisation changes nothing.
        let psd = policy.psd_organisation_id.as_deref();
        if user.role == Role::Partner && psd.is_some() && user.organisation_id.as_deref() == psd {
            Scope::ForceFileRequested
        } else {
            Scope::Nothing
        }
    }

    /// Whether a review whose file was (or was not) asked for is visible.
    pub fn allows(self, file_requested: bool) -> bool {
        match self {
            Scope::All => true,
            Scope::ForceFileRequested => file_requested,
            Scope::Nothing => false,
        }
    }

    pub fn is_office(self) -> bool {
        self == Scope::All
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::testing::user;

    #[test]
    fn the_force_sees_reviews_once_its_file_is_asked_for_and_nobody_else_outside_the_office_does() {
        let policy = ComplaintPolicy {
            psd_name: "Staffordshire Police PSD".into(),
            psd_organisation_id: Some("org-psd".into()),
            ..ComplaintPolicy::default()
        };
        assert_eq!(Scope::of(&user(Role::Caseworker, None), &policy), Scope::All);
        let psd = Scope::of(&user(Role::Partner, Some("org-psd")), &policy);
        assert_eq!(psd, Scope::ForceFileRequested);
        assert!(psd.allows(true));
        assert!(!psd.allows(false));
        assert_eq!(Scope::of(&user(Role::Partner, Some("org-csp")), &policy), Scope::Nothing);
        assert_eq!(
            Scope::of(&user(Role::Partner, Some("Staffordshire Police PSD")), &policy),
            Scope::Nothing,
            "names never match"
        );
        assert_eq!(Scope::of(&user(Role::Partner, None), &policy), Scope::Nothing);
        assert_eq!(Scope::of(&user(Role::PanelMember, Some("org-psd")), &policy), Scope::Nothing);
        let unlinked = ComplaintPolicy::default();
        assert_eq!(Scope::of(&user(Role::Partner, None), &unlinked), Scope::Nothing, "no PSD linked: no partner sees reviews");
        assert!(!Scope::Nothing.allows(true));
    }
}
