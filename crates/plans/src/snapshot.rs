//! A closed quarter's record of the plan: what every action's status and progress were when the
//! quarter closed. Written once as canonical JSON and hashed; pages, downloads and the Panel's
//! report for that quarter are made from it, so a paper can be reproduced exactly years later.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::model::{DeliveryStatus, Horizon};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub plan: PlanLine,
    /// platform::periods::Quarter::slug.
    pub quarter: String,
    /// The UK date the quarter was closed.
    pub taken_on: String,
    pub priorities: Vec<PriorityLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanLine {
    pub slug: String,
    pub title: String,
    pub kind: String,
    pub starts_on: String,
    pub ends_on: String,
    /// The plan's version (changes after publication) when the quarter closed.
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorityLine {
    pub id: String,
    pub position: i64,
    pub title: String,
    pub aim: String,
    pub commitments: Vec<CommitmentLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitmentLine {
    pub id: String,
    pub pledge: String,
    pub actions: Vec<ActionLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionLine {
    pub id: String,
    pub reference: String,
    pub key_deliverable: String,
    pub actions: String,
    pub partner: String,
    pub lead: String,
    pub outcome_measure: String,
    pub horizon: String,
    pub status: String,
    pub carried_forward: bool,
    /// The quarter's approved update, or the latest evidence when there is none.
    pub progress: String,
    /// When that progress was dated (a UK date), if there is any.
    pub progress_on: String,
}

impl ActionLine {
    pub fn status(&self) -> DeliveryStatus {
        DeliveryStatus::from_slug(&self.status).unwrap_or(DeliveryStatus::NotImplemented)
    }
    pub fn horizon(&self) -> Horizon {
        Horizon::from_slug(&self.horizon).unwrap_or(Horizon::Medium)
    }
}

impl Snapshot {
    /// The bytes that are stored and hashed: serde writes fields in declaration order and the
    /// tree is built in position order, so the same plan always gives the same bytes.
    pub fn canonical(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
    pub fn actions(&self) -> impl Iterator<Item = (&PriorityLine, &ActionLine)> {
        self.priorities.iter().flat_map(|p| p.commitments.iter().flat_map(move |c| c.actions.iter().map(move |a| (p, a))))
    }
    pub fn action_count(&self) -> usize {
        self.actions().count()
    }
}

/// The SHA-256 of a snapshot's stored text, as hex.
pub fn content_hash(canonical: &str) -> String {
    hex::encode(Sha256::digest(canonical.as_bytes()))
}

/// What happened to one action between two snapshots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    pub reference: String,
    pub key_deliverable: String,
    pub priority: String,
    /// None for an action new since the last snapshot.
    pub was: Option<DeliveryStatus>,
    /// None for an action no longer in the plan.
    pub now: Option<DeliveryStatus>,
}

impl StatusChange {
    pub fn was_words(&self) -> &'static str {
        self.was.map(DeliveryStatus::name).unwrap_or("Not in the plan")
    }
    pub fn now_words(&self) -> &'static str {
        self.now.map(DeliveryStatus::name).unwrap_or("No longer in the plan")
    }
    /// Backwards (a lower status than before, or dropped) is what a Panel most needs to see.
    pub fn is_backwards(&self) -> bool {
        let rank = |s: DeliveryStatus| match s {
            DeliveryStatus::NotImplemented => 0,
            DeliveryStatus::BeingImplemented => 1,
            DeliveryStatus::Implemented => 2,
            DeliveryStatus::Superseded => 3,
        };
        match (self.was, self.now) {
            (Some(was), Some(now)) => rank(now) < rank(was),
            (Some(_), None) => true,
            _ => false,
        }
    }
}

/// Every action whose status differs between `before` (the previous snapshot, if any) and
/// `after`, in `after`'s order, then those that left the plan.
pub fn changes(before: Option<&Snapshot>, after: &Snapshot) -> Vec<StatusChange> {
    let Some(before) = before else { return Vec::new() };
    let was = |id: &str| before.actions().find(|(_, a)| a.id == id).map(|(_, a)| a.status());
    let mut out: Vec<StatusChange> = after
        .actions()
        .filter_map(|(priority, action)| {
            let previous = was(&action.id);
            (previous != Some(action.status())).then(|| StatusChange {
                reference: action.reference.clone(),
                key_deliverable: action.key_deliverable.clone(),
                priority: priority.title.clone(),
                was: previous,
                now: Some(action.status()),
            })
        })
        .collect();
    for (priority, action) in before.actions() {
        if !after.actions().any(|(_, a)| a.id == action.id) {
            out.push(StatusChange {
                reference: action.reference.clone(),
                key_deliverable: action.key_deliverable.clone(),
                priority: priority.title.clone(),
                was: Some(action.status()),
                now: None,
            });
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn action(id: &str, status: DeliveryStatus) -> ActionLine {
        ActionLine {
            id: id.into(),
            reference: id.to_uppercase(),
            key_deliverable: format!("Deliverable {id}"),
            actions: "Do it".into(),
            partner: String::new(),
            lead: String::new(),
            outcome_measure: String::new(),
            horizon: Horizon::Short.slug().into(),
            status: status.slug().into(),
            carried_forward: false,
            progress: String::new(),
            progress_on: String::new(),
        }
    }

    pub(crate) fn snapshot(actions: Vec<ActionLine>) -> Snapshot {
        Snapshot {
            plan: PlanLine {
                slug: "plan".into(),
                title: "Plan".into(),
                kind: "strategy".into(),
                starts_on: "2021-04-01".into(),
                ends_on: "2024-03-31".into(),
                version: 0,
            },
            quarter: "2023-Q1".into(),
            taken_on: "2023-07-10".into(),
            priorities: vec![PriorityLine {
                id: "p".into(),
                position: 1,
                title: "Prevention".into(),
                aim: String::new(),
                commitments: vec![CommitmentLine { id: "c".into(), pledge: "I will".into(), actions }],
            }],
        }
    }

    #[test]
    fn changes_list_moves_arrivals_and_departures() {
        use DeliveryStatus::*;
        let before = snapshot(vec![action("a", NotImplemented), action("b", Implemented), action("c", BeingImplemented)]);
        let after = snapshot(vec![action("a", BeingImplemented), action("b", BeingImplemented), action("d", NotImplemented)]);
        let changes = changes(Some(&before), &after);
        let summary: Vec<_> = changes.iter().map(|c| (c.reference.as_str(), c.was, c.now, c.is_backwards())).collect();
        assert_eq!(
            summary,
            [
                ("A", Some(NotImplemented), Some(BeingImplemented), false),
                ("B", Some(Implemented), Some(BeingImplemented), true),
                ("D", None, Some(NotImplemented), false),
                ("C", Some(BeingImplemented), None, true),
            ]
        );
        assert!(super::changes(None, &after).is_empty(), "the first snapshot has nothing to compare with");
        assert!(super::changes(Some(&after), &after).is_empty());
    }

    #[test]
    fn the_same_plan_always_hashes_the_same_and_any_change_shows() {
        let one = snapshot(vec![action("a", DeliveryStatus::Implemented)]);
        let again = snapshot(vec![action("a", DeliveryStatus::Implemented)]);
        assert_eq!(content_hash(&one.canonical()), content_hash(&again.canonical()));
        let mut changed = one.clone();
        changed.priorities[0].commitments[0].actions[0].progress = "More".into();
        assert_ne!(content_hash(&one.canonical()), content_hash(&changed.canonical()));
        // Independent of this code: the SHA-256 of the empty string.
        assert_eq!(content_hash(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        let back: Snapshot = serde_json::from_str(&one.canonical()).expect("reads back");
        assert_eq!(back, one);
    }
}
