use super::*;
use proptest::prelude::*;
use time::macros::date;

#[test]
fn a_veto_needs_two_thirds_of_the_current_members_not_of_those_present() {
    // (votes, current members, carried): the edges either side of two-thirds.
    let table = [
        (8, 12, true),
        (7, 12, false),
        (7, 10, true),
        (6, 10, false),
        (6, 9, true),
        (5, 9, false),
        (9, 13, true),
        (8, 13, false),
        (10, 15, true),
        (9, 15, false),
        (2, 3, true),
        (1, 3, false),
        (1, 1, true),
        (0, 1, false),
        (0, 0, false),
        (12, 12, true),
    ];
    for (votes, members, carried) in table {
        assert_eq!(veto_carried(votes, members), carried, "{votes} of {members}");
    }
}

#[test]
fn a_veto_by_everyone_present_fails_when_too_few_members_attend() {
    // Eight of twelve members attend and all eight vote to veto: carried. Seven attend: not,
    // however unanimous, because the rule counts the Panel's current members.
    assert!(veto_carried(8, 12));
    assert!(!veto_carried(7, 12));
    let round = notified();
    let refused = round
        .apply(Step::Report {
            report: Report::Vetoed(Veto::TooHigh),
            votes_for_veto: 7,
            current_members: 12,
            on: date!(2027 - 02 - 05),
        })
        .unwrap_err();
    assert!(refused.contains("at least 8 votes"), "{refused}");
}

proptest! {
    #[test]
    fn veto_agrees_with_a_division_done_another_way(votes in 0u32..400, members in 1u32..400) {
        let share = f64::from(votes) / f64::from(members);
        prop_assert_eq!(veto_carried(votes, members), share >= 2.0 / 3.0 - 1e-12);
        prop_assert_eq!(veto_carried(votes, members), votes >= votes_needed(members));
    }

    #[test]
    fn any_step_on_any_round_is_answered_without_a_panic(band in -10_000i64..1_000_000, day in 0i64..90, votes in 0u32..20, members in 0u32..20, which in 0usize..6) {
        let on = date!(2027 - 01 - 01) + time::Duration::days(day);
        let step = match which {
            0 => Step::Notify { band_d: band, on },
            1 => Step::Report { report: Report::Vetoed(Veto::TooHigh), votes_for_veto: votes, current_members: members, on },
            2 => Step::Revise { band_d: band, on },
            3 => Step::SecondReport { on },
            4 => Step::Respond { on },
            _ => Step::Issue { band_d: band, on },
        };
        for round in [Round::new(2027, 25_000), notified(), vetoed()] {
            let _ = round.apply(step);
        }
    }
}

fn notified() -> Round {
    Round::new(2027, 25_000).apply(Step::Notify { band_d: 26_500, on: date!(2027 - 01 - 29) }).unwrap()
}

fn vetoed() -> Round {
    notified()
        .apply(Step::Report {
            report: Report::Vetoed(Veto::TooHigh),
            votes_for_veto: 8,
            current_members: 12,
            on: date!(2027 - 02 - 05),
        })
        .unwrap()
}

#[test]
fn the_timetable_falls_in_february_of_the_year_the_financial_year_starts() {
    let tt = Timetable::for_year(2028);
    assert_eq!(tt.notify_by, date!(2028 - 02 - 01));
    assert_eq!(tt.report_by, date!(2028 - 02 - 08));
    assert_eq!(tt.revise_by, date!(2028 - 02 - 15));
    assert_eq!(tt.second_report_by, date!(2028 - 02 - 22));
    assert_eq!(tt.issue_before, date!(2028 - 03 - 01));
    // A leap year: the last day to issue is 29 February.
    let round = Round { year: 2028, ..notified() };
    let round = round
        .apply(Step::Report { report: Report::Supported, votes_for_veto: 0, current_members: 12, on: date!(2028 - 02 - 06) })
        .unwrap();
    assert_eq!(round.next_deadline().unwrap().0, date!(2028 - 02 - 29));
}

#[test]
fn without_a_report_by_8_february_the_original_proposal_may_be_issued() {
    let round = notified();
    assert!(
        round
            .apply(Step::Issue { band_d: 26_500, on: date!(2027 - 02 - 08) })
            .unwrap_err()
            .contains("until Monday 8 February 2027")
    );
    assert!(
        round
            .apply(Step::Issue { band_d: 26_400, on: date!(2027 - 02 - 09) })
            .unwrap_err()
            .contains("only the proposal as notified (£265.00)")
    );
    let issued = round.apply(Step::Issue { band_d: 26_500, on: date!(2027 - 02 - 09) }).unwrap();
    assert_eq!(issued.stage(), Stage::Issued);
    // A veto that arrives after 8 February is too late.
    let late = round.apply(Step::Report {
        report: Report::Vetoed(Veto::TooHigh),
        votes_for_veto: 12,
        current_members: 12,
        on: date!(2027 - 02 - 09),
    });
    assert!(late.unwrap_err().contains("by Monday 8 February 2027"));
}

#[test]
fn a_veto_leads_to_a_revision_the_right_way_and_no_second_veto() {
    let round = vetoed();
    assert_eq!(round.stage(), Stage::Vetoed);
    assert!(round.apply(Step::Revise { band_d: 26_500, on: date!(2027 - 02 - 12) }).unwrap_err().contains("must be lower"));
    assert!(round.apply(Step::Respond { on: date!(2027 - 02 - 12) }).is_err());
    assert!(round.apply(Step::Issue { band_d: 26_000, on: date!(2027 - 02 - 12) }).is_err());
    let revised = round.apply(Step::Revise { band_d: 26_000, on: date!(2027 - 02 - 12) }).unwrap();
    assert_eq!(revised.next_deadline().unwrap().0, date!(2027 - 02 - 22));
    // The Panel's report on the revision is a second report, never a second veto.
    assert!(
        revised
            .apply(Step::Report {
                report: Report::Vetoed(Veto::TooHigh),
                votes_for_veto: 12,
                current_members: 12,
                on: date!(2027 - 02 - 20)
            })
            .is_err()
    );
    let second = revised.apply(Step::SecondReport { on: date!(2027 - 02 - 20) }).unwrap();
    let responded = second.apply(Step::Respond { on: date!(2027 - 02 - 24) }).unwrap();
    assert!(
        responded
            .apply(Step::Issue { band_d: 26_100, on: date!(2027 - 02 - 25) })
            .unwrap_err()
            .contains("cannot be more than the revision (£260.00)")
    );
    assert!(
        responded
            .apply(Step::Issue { band_d: 25_900, on: date!(2027 - 03 - 01) })
            .unwrap_err()
            .contains("before Monday 1 March 2027")
    );
    let issued = responded.apply(Step::Issue { band_d: 25_900, on: date!(2027 - 02 - 26) }).unwrap();
    assert_eq!(issued.band_d(), Some(25_900));
    assert!(issued.apply(Step::Issue { band_d: 25_900, on: date!(2027 - 02 - 27) }).is_err());
}

#[test]
fn a_veto_as_too_low_wants_a_higher_revision() {
    let round = notified()
        .apply(Step::Report {
            report: Report::Vetoed(Veto::TooLow),
            votes_for_veto: 9,
            current_members: 12,
            on: date!(2027 - 02 - 05),
        })
        .unwrap();
    assert!(round.apply(Step::Revise { band_d: 26_400, on: date!(2027 - 02 - 10) }).unwrap_err().contains("must be higher"));
    assert!(round.apply(Step::Revise { band_d: 26_600, on: date!(2027 - 02 - 10) }).is_ok());
}

#[test]
fn steps_out_of_order_are_refused_with_a_reason() {
    let draft = Round::new(2027, 25_000);
    assert!(
        draft
            .apply(Step::Report { report: Report::Supported, votes_for_veto: 0, current_members: 12, on: date!(2027 - 02 - 01) })
            .unwrap_err()
            .contains("before the proposal is notified")
    );
    assert!(draft.apply(Step::Revise { band_d: 1, on: date!(2027 - 02 - 01) }).unwrap_err().contains("only a veto"));
    assert!(draft.apply(Step::Notify { band_d: 0, on: date!(2027 - 01 - 20) }).is_err());
    let reported = notified()
        .apply(Step::Report { report: Report::Supported, votes_for_veto: 0, current_members: 12, on: date!(2027 - 02 - 03) })
        .unwrap();
    assert!(reported.apply(Step::Issue { band_d: 26_500, on: date!(2027 - 02 - 10) }).unwrap_err().contains("Respond"));
    assert!(
        notified()
            .apply(Step::Report { report: Report::Supported, votes_for_veto: 0, current_members: 12, on: date!(2027 - 01 - 20) })
            .unwrap_err()
            .contains("before the notification")
    );
}

#[test]
fn bands_are_exact_ninths_of_band_d_rounded_only_for_display() {
    // £241.83 Band D: Band A is 6/9 of it, £161.22 exactly to the penny; Band B £188.0900…
    let bands = bands(24_183);
    let d = bands.iter().find(|b| b.band == 'D').unwrap();
    assert_eq!(d.pence(), 24_183);
    for b in &bands {
        // Independently: round(Band D × ninths ÷ 9) with the half-up rule done in whole numbers.
        let expected = (24_183 * b.ninths * 2 + 9) / 18;
        assert_eq!(b.pence(), expected, "band {}", b.band);
        assert_eq!(b.pence_times_nine, 24_183 * b.ninths);
    }
    assert_eq!(bands.iter().map(|b| b.band).collect::<String>(), "ABCDEFGH");
    assert_eq!(bands[0].pence(), 16_122);
    assert_eq!(bands[7].pence(), 48_366);
}

proptest! {
    #[test]
    fn every_band_rounds_to_the_nearest_penny(band_d in 1i64..10_000_000) {
        for b in bands(band_d) {
            let exact = band_d as f64 * b.ninths as f64 / 9.0;
            prop_assert!((b.pence() as f64 - exact).abs() <= 0.5 + 1e-9);
        }
    }
}

#[test]
fn referendum_limits_are_dated_and_compared_exactly() {
    let (police, _) = limit_for(2026, Precept::Police).unwrap();
    assert!(!police.is_excessive(30_000, 31_500));
    assert!(police.is_excessive(30_000, 31_501));
    let (fire, _) = limit_for(2024, Precept::Fire).unwrap();
    assert!(!fire.is_excessive(10_000, 10_299));
    assert!(fire.is_excessive(10_000, 10_300));
    let (fire, _) = limit_for(2021, Precept::Fire).unwrap();
    assert!(fire.is_excessive(10_000, 10_200));
    assert!(!fire.is_excessive(10_000, 10_199));
    assert!(limit_for(2020, Precept::Police).is_none());
    assert_eq!(police.words(), "a Band D rise of more than £15.00");
}

#[test]
fn amounts_are_read_and_written_in_pounds() {
    assert_eq!(read_pounds("£241.83"), Some(24_183));
    assert_eq!(read_pounds("1,241.5"), Some(124_150));
    assert_eq!(read_pounds("241"), Some(24_100));
    for bad in ["", "£", "12.345", "-3", "1e3", "12.3.4", "£ 12"] {
        assert_eq!(read_pounds(bad), None, "{bad}");
    }
    assert_eq!(pounds(124_150), "£1,241.50");
}
