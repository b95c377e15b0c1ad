//! Who may use which route: every route is declared with its rule in one table, and one
//! middleware decides every request by that table. A route missing from the table is refused.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use axum::Router;
use axum::routing::MethodRouter;

use crate::web::Platform;

/// The jobs people do in and around the office.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Administrator,
    Caseworker,
    TransparencyOfficer,
    PerformanceOfficer,
    GrantsOfficer,
    OffenderManagementPractitioner,
    VictimsServicesPractitioner,
    PanelMember,
    /// The Panel's support officer, employed by the host council: runs the Panel's meetings,
    /// questions, precept reports and hearings.
    PanelOfficer,
    /// Someone from an outside organisation, who sees only what belongs to it.
    Partner,
}

impl Role {
    pub const ALL: [Role; 10] = [
        Role::Administrator,
        Role::Caseworker,
        Role::TransparencyOfficer,
        Role::PerformanceOfficer,
        Role::GrantsOfficer,
        Role::OffenderManagementPractitioner,
        Role::VictimsServicesPractitioner,
        Role::PanelMember,
        Role::PanelOfficer,
        Role::Partner,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::Caseworker => "caseworker",
            Role::TransparencyOfficer => "transparency-officer",
            Role::PerformanceOfficer => "performance-officer",
            Role::GrantsOfficer => "grants-officer",
            Role::OffenderManagementPractitioner => "offender-management-practitioner",
            Role::VictimsServicesPractitioner => "victims-services-practitioner",
            Role::PanelMember => "panel-member",
            Role::PanelOfficer => "panel-officer",
            Role::Partner => "partner",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Role::Administrator => "Administrator",
            Role::Caseworker => "Caseworker",
            Role::TransparencyOfficer => "Transparency officer",
            Role::PerformanceOfficer => "Performance officer",
            Role::GrantsOfficer => "Grants officer",
            Role::OffenderManagementPractitioner => "Offender management practitioner",
            Role::VictimsServicesPractitioner => "Victims’ services practitioner",
            Role::PanelMember => "Panel member",
            Role::PanelOfficer => "Panel support officer",
            Role::Partner => "Partner organisation",
        }
    }

    /// Roles that can reach personal data must sign in with a second factor. Panel members and
    /// performance officers work with published and aggregate figures only.
    pub fn requires_two_factor(self) -> bool {
        !matches!(self, Role::PanelMember | Role::PerformanceOfficer)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.slug() == s)
            .ok_or_else(|| format!("unknown role {s:?}: use one of {}", Role::ALL.map(Role::slug).join(", ")))
    }
}

/// The rule a route is declared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Someone part-way through signing in (password accepted, second factor to come), or signed in.
    SigningIn,
    /// Any signed-in member of staff.
    Staff,
    /// Signed-in staff with one of these roles.
    Roles(&'static [Role]),
}

/// Who is asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewerKind {
    Public,
    /// Password accepted; second factor not yet given (or not yet set up).
    SigningIn(Role),
    Staff(Role),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    /// Send them to sign in (or to finish signing in).
    SignIn,
    Forbidden,
}

/// The whole policy as a pure function: the route's rule and who is asking.
pub fn decide(access: Access, viewer: ViewerKind) -> Decision {
    match (access, viewer) {
        (Access::Public, _) => Decision::Allow,
        (Access::SigningIn, ViewerKind::Public) => Decision::SignIn,
        (Access::SigningIn, _) => Decision::Allow,
        (Access::Staff | Access::Roles(_), ViewerKind::Public | ViewerKind::SigningIn(_)) => Decision::SignIn,
        (Access::Staff, ViewerKind::Staff(_)) => Decision::Allow,
        (Access::Roles(roles), ViewerKind::Staff(role)) => {
            if roles.contains(&role) {
                Decision::Allow
            } else {
                Decision::Forbidden
            }
        }
    }
}

/// One declared route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteRule {
    /// An address pattern, written in the code or made once from one (a page's `.csv`).
    pub path: Cow<'static, str>,
    pub access: Access,
}

/// A capability's routes with their rules. The only way to add a route, so none goes undeclared.
pub struct Routes {
    router: Router<Platform>,
    rules: Vec<RouteRule>,
}

impl Default for Routes {
    fn default() -> Self {
        Self::new()
    }
}

impl Routes {
    pub fn new() -> Self {
        Self { router: Router::new(), rules: Vec::new() }
    }

    pub fn route(mut self, path: impl Into<Cow<'static, str>>, access: Access, handler: MethodRouter<Platform>) -> Self {
        let path = path.into();
        self.router = self.router.route(&path, handler);
        self.rules.push(RouteRule { path, access });
        self
    }

    pub fn merge(mut self, other: Routes) -> Self {
        self.router = self.router.merge(other.router);
        self.rules.extend(other.rules);
        self
    }

    pub fn rules(&self) -> &[RouteRule] {
        &self.rules
    }

    pub fn into_parts(self) -> (Router<Platform>, Policy) {
        let policy = Policy { by_path: self.rules.into_iter().map(|r| (r.path, r.access)).collect() };
        (self.router, policy)
    }
}

/// The table the access middleware reads.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    by_path: HashMap<Cow<'static, str>, Access>,
}

impl Policy {
    pub fn rule_for(&self, path: &str) -> Option<Access> {
        self.by_path.get(path).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_decides_every_kind_of_viewer() {
        let caseworkers: &'static [Role] = &[Role::Caseworker];
        use Decision::*;
        use ViewerKind as V;
        let table = [
            (Access::Public, V::Public, Allow),
            (Access::Public, V::Staff(Role::Partner), Allow),
            (Access::SigningIn, V::Public, SignIn),
            (Access::SigningIn, V::SigningIn(Role::Caseworker), Allow),
            (Access::Staff, V::Public, SignIn),
            (Access::Staff, V::SigningIn(Role::Administrator), SignIn),
            (Access::Staff, V::Staff(Role::PanelMember), Allow),
            (Access::Roles(caseworkers), V::Staff(Role::Caseworker), Allow),
            (Access::Roles(caseworkers), V::Staff(Role::Administrator), Forbidden),
            (Access::Roles(caseworkers), V::SigningIn(Role::Caseworker), SignIn),
            (Access::Roles(caseworkers), V::Public, SignIn),
        ];
        for (access, viewer, expected) in table {
            assert_eq!(decide(access, viewer), expected, "{access:?} {viewer:?}");
        }
    }

    #[test]
    fn roles_read_back_from_their_slugs() {
        for role in Role::ALL {
            assert_eq!(role.slug().parse::<Role>(), Ok(role));
        }
        assert!("superuser".parse::<Role>().is_err());
        assert!(Role::Caseworker.requires_two_factor());
        assert!(!Role::PanelMember.requires_two_factor());
    }
}
