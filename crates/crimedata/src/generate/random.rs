//! Seeded randomness for the generator: a small, stable random number generator (a library's
//! generator may change its stream between versions, and the output must stay byte-identical
//! for a seed), and Walker's alias method for drawing from a fixed distribution.

/// SplitMix64, used to derive independent streams from the seed and to seed xoshiro.
pub(super) fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// xoshiro256** (Blackman and Vigna).
#[derive(Debug, Clone)]
pub struct Random([u64; 4]);

impl Random {
    pub fn new(seed: u64, stream: &[u64]) -> Self {
        let mut state = seed;
        for part in stream {
            state = splitmix(&mut state) ^ part.wrapping_mul(0xD1B5_4A32_D192_ED03);
        }
        let mut s = [0; 4];
        for word in &mut s {
            *word = splitmix(&mut state);
        }
        Self(s)
    }

    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.0;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize % n.max(1)
    }

    pub fn normal(&mut self) -> f64 {
        // Box–Muller; 1 − u keeps the logarithm finite.
        let (u, v) = (1.0 - self.unit(), self.unit());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }

    /// Gamma(shape, 1) by Marsaglia and Tsang.
    pub fn gamma(&mut self, shape: f64) -> f64 {
        if shape < 1.0 {
            let u = 1.0 - self.unit();
            return self.gamma(shape + 1.0) * u.powf(1.0 / shape);
        }
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        loop {
            let x = self.normal();
            let v = (1.0 + c * x).powi(3);
            if v <= 0.0 {
                continue;
            }
            let u = 1.0 - self.unit();
            if u.ln() < 0.5 * x * x + d - d * v + d * v.ln() {
                return d * v;
            }
        }
    }

    /// Poisson(mean): by multiplication for small means, else the normal approximation with
    /// continuity correction (error far below the over-dispersion added on purpose).
    pub fn poisson(&mut self, mean: f64) -> u64 {
        if mean <= 0.0 {
            return 0;
        }
        if mean < 30.0 {
            let limit = (-mean).exp();
            let (mut k, mut p) = (0u64, self.unit());
            while p > limit {
                k += 1;
                p *= self.unit();
            }
            return k;
        }
        (mean + mean.sqrt() * self.normal() + 0.5).floor().max(0.0) as u64
    }

    /// A negative binomial count with the given mean and variance = `dispersion` × mean, as a
    /// Poisson with a gamma-distributed mean.
    pub fn over_dispersed(&mut self, mean: f64, dispersion: f64) -> u64 {
        if mean <= 0.0 {
            return 0;
        }
        if dispersion <= 1.0 {
            return self.poisson(mean);
        }
        let shape = mean / (dispersion - 1.0);
        let gamma = self.gamma(shape);
        self.poisson(mean * gamma / shape)
    }
}

/// Walker's alias table: draws an index in proportion to its weight in constant time.
#[derive(Debug, Clone)]
pub struct Alias {
    probability: Vec<f64>,
    alias: Vec<usize>,
}

impl Alias {
    pub fn new(weights: &[f64]) -> Self {
        let n = weights.len().max(1);
        let total: f64 = weights.iter().sum();
        let mut scaled: Vec<f64> =
            if total > 0.0 { weights.iter().map(|w| w * n as f64 / total).collect() } else { vec![1.0; n] };
        let (mut small, mut large): (Vec<usize>, Vec<usize>) = (0..n).partition(|&i| scaled[i] < 1.0);
        let mut probability = vec![1.0; n];
        let mut alias: Vec<usize> = (0..n).collect();
        while let (Some(s), Some(&l)) = (small.pop(), large.last()) {
            probability[s] = scaled[s];
            alias[s] = l;
            scaled[l] -= 1.0 - scaled[s];
            if scaled[l] < 1.0 {
                large.pop();
                small.push(l);
            }
        }
        Self { probability, alias }
    }

    pub fn draw(&self, random: &mut Random) -> usize {
        let i = random.below(self.probability.len());
        if random.unit() < self.probability[i] { i } else { self.alias[i] }
    }
}
