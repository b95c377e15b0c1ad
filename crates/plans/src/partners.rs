//! Which partner organisation answers for an action, read from the lead as a plan writes it
//! ("Staffordshire Police / Supt Jones", "Probation Service, Head of Stafford"). Pure.

use platform::organisations::Organisation;

/// The organisation the lead names, matched on its whole name (case and spacing aside), or on
/// any part of the lead split at "/", ",", ";" or " - ". None when nothing matches: the action
/// then has no partner who can update it, which the import preview says.
pub fn match_partner(organisations: &[Organisation], lead: &str) -> Option<String> {
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    let whole = norm(lead);
    if whole.is_empty() {
        return None;
    }
    let find = |text: &str| organisations.iter().find(|o| norm(&o.name) == text).map(|o| o.id.clone());
    find(&whole).or_else(|| lead.split(['/', ',', ';']).flat_map(|part| part.split(" - ")).map(norm).find_map(|part| find(&part)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use platform::organisations::Kind;

    fn organisation(id: &str, name: &str) -> Organisation {
        Organisation { id: id.into(), name: name.into(), kind: Kind::Other, email: None }
    }

    #[test]
    fn a_lead_finds_its_organisation() {
        let all = [organisation("p", "Staffordshire Police"), organisation("c", "Stoke-on-Trent City Council")];
        let cases = [
            ("Staffordshire Police", Some("p")),
            ("  staffordshire   police ", Some("p")),
            ("Staffordshire Police / Supt Jones", Some("p")),
            ("Head of Youth Services, Stoke-on-Trent City Council", Some("c")),
            ("Community Safety - Stoke-on-Trent City Council", Some("c")),
            ("Police", None),
            ("", None),
        ];
        for (lead, expected) in cases {
            assert_eq!(match_partner(&all, lead).as_deref(), expected, "{lead:?}");
        }
    }
}
