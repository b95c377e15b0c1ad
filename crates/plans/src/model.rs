//! The plan's vocabulary and rules, with no I/O: kinds and statuses of plans, the horizon and
//! delivery status of an action (R/A/G/W, always with its words), and the state machine of a
//! lead's quarterly update.

platform::slugged! {
    /// What sort of plan this is.
    pub enum PlanKind {
        PoliceAndCrime = "police-and-crime",
        FireAndRescue = "fire-and-rescue",
        /// Another strategy with an action plan: reducing reoffending, serious violence.
        Strategy = "strategy",
    }
}

impl PlanKind {
    pub fn name(self) -> &'static str {
        match self {
            PlanKind::PoliceAndCrime => "Police and Crime Plan",
            PlanKind::FireAndRescue => "Fire and Rescue Plan",
            PlanKind::Strategy => "Strategy or action plan",
        }
    }
}

platform::slugged! {
    /// Where a plan is in its life.
    pub enum PlanStatus {
        Draft = "draft",
        ConsultedOn = "consulted-on",
        Published = "published",
        Superseded = "superseded",
    }
}

impl PlanStatus {
    pub fn name(self) -> &'static str {
        match self {
            PlanStatus::Draft => "Draft",
            PlanStatus::ConsultedOn => "Consulted on",
            PlanStatus::Published => "Published",
            PlanStatus::Superseded => "Superseded",
        }
    }
    /// Once published, a plan is the public's: every change is recorded with its reason.
    pub fn is_public(self) -> bool {
        matches!(self, PlanStatus::Published | PlanStatus::Superseded)
    }
    /// The statuses a plan can move to from this one. A plan goes forward only: a published plan
    /// is changed by recorded amendments, never by going back to draft.
    pub fn next(self) -> &'static [PlanStatus] {
        match self {
            PlanStatus::Draft => &[PlanStatus::ConsultedOn, PlanStatus::Published],
            PlanStatus::ConsultedOn => &[PlanStatus::Draft, PlanStatus::Published],
            PlanStatus::Published => &[PlanStatus::Superseded],
            PlanStatus::Superseded => &[],
        }
    }
}

platform::slugged! {
    /// When an action is meant to be delivered: the plan's S, M and L.
    pub enum Horizon { Short = "short", Medium = "medium", Long = "long" }
}

impl Horizon {
    pub fn name(self) -> &'static str {
        match self {
            Horizon::Short => "Short term",
            Horizon::Medium => "Medium term",
            Horizon::Long => "Long term",
        }
    }
    pub fn letter(self) -> &'static str {
        match self {
            Horizon::Short => "S",
            Horizon::Medium => "M",
            Horizon::Long => "L",
        }
    }
    /// Reads S, M or L (or the words) as an action plan writes them.
    pub fn parse(text: &str) -> Option<Horizon> {
        match text.trim().to_ascii_lowercase().as_str() {
            "s" | "short" | "short term" | "short-term" => Some(Horizon::Short),
            "m" | "medium" | "medium term" | "medium-term" => Some(Horizon::Medium),
            "l" | "long" | "long term" | "long-term" => Some(Horizon::Long),
            _ => None,
        }
    }
}

platform::slugged! {
    /// How far an action has got: the action plan's R, A, G and W.
    pub enum DeliveryStatus {
        NotImplemented = "not-implemented",
        BeingImplemented = "being-implemented",
        Implemented = "implemented",
        Superseded = "superseded",
    }
}

impl DeliveryStatus {
    pub fn name(self) -> &'static str {
        match self {
            DeliveryStatus::NotImplemented => "Not implemented",
            DeliveryStatus::BeingImplemented => "Being implemented",
            DeliveryStatus::Implemented => "Implemented",
            DeliveryStatus::Superseded => "Superseded",
        }
    }
    pub fn letter(self) -> &'static str {
        match self {
            DeliveryStatus::NotImplemented => "R",
            DeliveryStatus::BeingImplemented => "A",
            DeliveryStatus::Implemented => "G",
            DeliveryStatus::Superseded => "W",
        }
    }
    /// The GOV.UK tag colour; the words always go with it, so colour is never the only sign.
    pub fn tag_class(self) -> &'static str {
        match self {
            DeliveryStatus::NotImplemented => "govuk-tag--red",
            DeliveryStatus::BeingImplemented => "govuk-tag--yellow",
            DeliveryStatus::Implemented => "govuk-tag--green",
            DeliveryStatus::Superseded => "govuk-tag--grey",
        }
    }
    /// "Being implemented (A)": the words with the plan's letter, as every page shows a status.
    pub fn described(self) -> String {
        format!("{} ({})", self.name(), self.letter())
    }
    /// Reads R, A, G or W (or the words) as an action plan writes them.
    pub fn parse(text: &str) -> Option<DeliveryStatus> {
        let text = text.trim().to_ascii_lowercase().replace(['-', '_'], " ");
        match text.as_str() {
            "r" | "red" | "not implemented" => Some(DeliveryStatus::NotImplemented),
            "a" | "amber" | "being implemented" => Some(DeliveryStatus::BeingImplemented),
            "g" | "green" | "implemented" => Some(DeliveryStatus::Implemented),
            "w" | "white" | "superseded" | "super ceded" => Some(DeliveryStatus::Superseded),
            _ => None,
        }
    }
}

/// The statuses as a form's choices, with their letters.
pub const STATUS_CHOICES: [(&str, &str); 4] = [
    ("not-implemented", "Not implemented (R)"),
    ("being-implemented", "Being implemented (A)"),
    ("implemented", "Implemented (G)"),
    ("superseded", "Superseded (W)"),
];

/// "July to September 2023" for a stored quarter ("2023-Q2"); the slug itself if it is not one.
pub fn quarter_label(slug: &str) -> String {
    platform::periods::Quarter::from_slug(slug).map(|q| q.label()).unwrap_or_else(|| slug.to_string())
}

platform::slugged! {
    /// Where a lead's update for a quarter has got.
    pub enum UpdateState {
        /// Asked for; the lead has not sent it yet.
        Awaited = "awaited",
        Submitted = "submitted",
        /// The officer asked for more, with a comment; the lead sends it again.
        SentBack = "sent-back",
        Approved = "approved",
    }
}

impl UpdateState {
    pub fn name(self) -> &'static str {
        match self {
            UpdateState::Awaited => "Awaited",
            UpdateState::Submitted => "Waiting for review",
            UpdateState::SentBack => "Sent back",
            UpdateState::Approved => "Approved",
        }
    }
    pub fn tag_class(self) -> &'static str {
        match self {
            UpdateState::Awaited => "govuk-tag--grey",
            UpdateState::Submitted => "govuk-tag--blue",
            UpdateState::SentBack => "govuk-tag--orange",
            UpdateState::Approved => "govuk-tag--green",
        }
    }
}

/// A step in the update cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateStep {
    Submit,
    SendBack,
    Approve,
}

/// Why a step cannot be taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StepRefused {
    #[error("The quarter is closed, so its updates can no longer change")]
    QuarterClosed,
    #[error("This update has already been approved")]
    AlreadyApproved,
    #[error("There is no update to review yet: the lead has not sent one")]
    NothingToReview,
}

/// The state an update moves to by `step`, or why it cannot. Leads may send (and send again)
/// until the office approves; the office reviews only what has been sent; nothing moves once the
/// quarter is closed.
pub fn step(state: UpdateState, step: UpdateStep, quarter_open: bool) -> Result<UpdateState, StepRefused> {
    if !quarter_open {
        return Err(StepRefused::QuarterClosed);
    }
    match (state, step) {
        (UpdateState::Approved, _) => Err(StepRefused::AlreadyApproved),
        (_, UpdateStep::Submit) => Ok(UpdateState::Submitted),
        (UpdateState::Submitted, UpdateStep::SendBack) => Ok(UpdateState::SentBack),
        (UpdateState::Submitted, UpdateStep::Approve) => Ok(UpdateState::Approved),
        (UpdateState::Awaited | UpdateState::SentBack, UpdateStep::SendBack | UpdateStep::Approve) => {
            Err(StepRefused::NothingToReview)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_update_cycle_allows_only_its_steps() {
        use UpdateState::*;
        use UpdateStep::*;
        let cases = [
            (Awaited, Submit, true, Ok(Submitted)),
            (SentBack, Submit, true, Ok(Submitted)),
            (Submitted, Submit, true, Ok(Submitted)),
            (Submitted, SendBack, true, Ok(SentBack)),
            (Submitted, Approve, true, Ok(Approved)),
            (Awaited, Approve, true, Err(StepRefused::NothingToReview)),
            (SentBack, Approve, true, Err(StepRefused::NothingToReview)),
            (Awaited, SendBack, true, Err(StepRefused::NothingToReview)),
            (Approved, Submit, true, Err(StepRefused::AlreadyApproved)),
            (Approved, Approve, true, Err(StepRefused::AlreadyApproved)),
            (Submitted, Approve, false, Err(StepRefused::QuarterClosed)),
            (Awaited, Submit, false, Err(StepRefused::QuarterClosed)),
        ];
        for (state, what, open, expected) in cases {
            assert_eq!(step(state, what, open), expected, "{state:?} {what:?} open={open}");
        }
    }

    #[test]
    fn statuses_read_as_action_plans_write_them() {
        assert_eq!(DeliveryStatus::parse(" g "), Some(DeliveryStatus::Implemented));
        assert_eq!(DeliveryStatus::parse("Being implemented"), Some(DeliveryStatus::BeingImplemented));
        assert_eq!(DeliveryStatus::parse("Super-ceded"), Some(DeliveryStatus::Superseded));
        assert_eq!(DeliveryStatus::parse("Red"), Some(DeliveryStatus::NotImplemented));
        assert_eq!(DeliveryStatus::parse("green-ish"), None);
        assert_eq!(Horizon::parse("m"), Some(Horizon::Medium));
        assert_eq!(Horizon::parse("Long-term"), Some(Horizon::Long));
        assert_eq!(Horizon::parse("soon"), None);
        for (status, (slug, words)) in DeliveryStatus::ALL.into_iter().zip(STATUS_CHOICES) {
            assert_eq!((status.slug(), status.described()), (slug, words.to_string()));
            assert_eq!(DeliveryStatus::parse(status.letter()), Some(status));
            assert_eq!(DeliveryStatus::parse(status.name()), Some(status));
        }
    }

    #[test]
    fn a_published_plan_never_goes_back_to_draft() {
        for status in PlanStatus::ALL {
            if status.is_public() {
                assert!(!status.next().contains(&PlanStatus::Draft), "{status:?}");
            }
        }
        assert!(PlanStatus::Superseded.next().is_empty());
    }
}
