use super::*;
use proptest::prelude::*;

#[test]
fn the_reference_tables_cover_every_force_and_crime_type() {
    let forces = forces();
    assert_eq!(forces.len(), 43);
    assert!(forces.iter().all(|f| f.crimes.len() == 13), "every force has all thirteen crime types");
    let staffordshire = forces.iter().find(|f| f.slug == "staffordshire").expect("staffordshire");
    assert_eq!(staffordshire.total(), 83_768.0);
    let mix = outcome_mix();
    assert_eq!(mix.len(), 13, "an outcome mix for every crime type but ASB");
    assert!(mix.values().flat_map(|(labels, _)| labels).all(|l| reference::outcome_code(l).is_some()));
}

#[test]
fn synthetic_places_have_valid_codes_no_real_place_has() {
    let forces = forces();
    let mut codes = std::collections::HashSet::new();
    let mut lsoas = 0;
    for index in 0..forces.len() {
        for district in geography(1, &forces, index) {
            assert_eq!(district.code.len(), 9);
            for lsoa in &district.lsoas {
                assert!(crate::rows::check_lsoa(&lsoa.code).is_ok(), "{}", lsoa.code);
                assert_eq!(&lsoa.code[3..4], "9", "outside the range real LSOAs use");
                assert!(codes.insert(lsoa.code.clone()), "{} twice", lsoa.code);
                assert!(crate::rows::check_location(&lsoa.longitude.to_string(), &lsoa.latitude.to_string()).is_ok());
                lsoas += 1;
            }
        }
    }
    // England and Wales have about 35,000 LSOAs.
    assert!((30_000..40_000).contains(&lsoas), "{lsoas}");
}

#[test]
fn the_generator_is_a_known_stream() {
    // xoshiro256** from a SplitMix64-filled state; pins the stream so output stays reproducible.
    let mut a = Random::new(42, &[]);
    let mut b = Random::new(42, &[]);
    let first: Vec<u64> = (0..4).map(|_| a.next_u64()).collect();
    assert_eq!(first, (0..4).map(|_| b.next_u64()).collect::<Vec<_>>());
    assert_ne!(Random::new(42, &[1]).next_u64(), Random::new(42, &[2]).next_u64());
}

#[test]
fn draws_have_the_moments_they_promise() {
    let mut random = Random::new(7, &[]);
    let n = 20_000;
    let mean = |xs: &[f64]| xs.iter().sum::<f64>() / xs.len() as f64;
    let variance = |xs: &[f64]| {
        let m = mean(xs);
        xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (xs.len() - 1) as f64
    };
    let poisson: Vec<f64> = (0..n).map(|_| random.poisson(4.0) as f64).collect();
    assert!((mean(&poisson) - 4.0).abs() < 0.1 && (variance(&poisson) - 4.0).abs() < 0.3);
    let large: Vec<f64> = (0..n).map(|_| random.poisson(400.0) as f64).collect();
    assert!((mean(&large) - 400.0).abs() < 1.0 && (variance(&large) / 400.0 - 1.0).abs() < 0.1);
    let nb: Vec<f64> = (0..n).map(|_| random.over_dispersed(200.0, 5.0) as f64).collect();
    assert!((mean(&nb) - 200.0).abs() < 2.0, "mean {}", mean(&nb));
    assert!((variance(&nb) / 200.0 - 5.0).abs() < 0.5, "dispersion {}", variance(&nb) / 200.0);
    let gamma: Vec<f64> = (0..n).map(|_| random.gamma(0.5)).collect();
    assert!((mean(&gamma) - 0.5).abs() < 0.03);
}

#[test]
fn the_busiest_snap_point_takes_about_half() {
    let mut random = Random::new(3, &[]);
    let n = 50_000;
    let busiest = (0..n).filter(|_| zipf_point(&mut random) == 0).count();
    let share = busiest as f64 / n as f64;
    assert!((0.45..0.52).contains(&share), "share {share}");
}

proptest! {
    #[test]
    fn the_alias_table_draws_in_proportion(weights in proptest::collection::vec(0.0f64..10.0, 1..8), seed in any::<u64>()) {
        let alias = Alias::new(&weights);
        let total: f64 = weights.iter().sum();
        let mut random = Random::new(seed, &[]);
        let n = 20_000;
        let mut seen = vec![0usize; weights.len()];
        for _ in 0..n {
            seen[alias.draw(&mut random)] += 1;
        }
        for (w, s) in weights.iter().zip(&seen) {
            let expected = if total > 0.0 { w / total } else { 1.0 / weights.len() as f64 };
            prop_assert!((*s as f64 / n as f64 - expected).abs() < 0.02, "weights {weights:?} seen {seen:?}");
        }
    }
}
