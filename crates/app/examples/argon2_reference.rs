//! The sign-in benchmark's reference: how many Argon2id verifications (OWASP cost) this machine
//! does per second on every core, with nothing else around them.

use std::time::Instant;

use platform::auth::password::{self, HashCost};

fn main() {
    let stored = password::hash("benchmark passphrase", HashCost::OWASP);
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let per_thread = 40;
    let started = Instant::now();
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            let stored = stored.clone();
            std::thread::spawn(move || {
                for _ in 0..per_thread {
                    assert!(password::verify("benchmark passphrase", &stored));
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().expect("worker finished");
    }
    let seconds = started.elapsed().as_secs_f64();
    println!("{:.1}", (threads * per_thread) as f64 / seconds);
}
