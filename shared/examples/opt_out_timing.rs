//! How long reading one inbound text takes: every development text (`inbound::development`),
//! each read `ROUNDS` times, the structured reading alone and the whole reading (the
//! model weighed in) in turn, one timing a read; prints p50, p99 and max of each.
//!
//! `cargo run --profile fast -q -p shared --example opt_out_timing` (docs/benchmarks.md).
use std::time::{Duration, Instant};

use shared::domain::inbound::development::development;
use shared::domain::inbound::reading::{read, structured};

const ROUNDS: usize = 20;

fn main() {
    let texts: Vec<&str> = development().iter().map(|l| l.text).collect();
    // The first read of a sentence builds the lexicons once (a cold start pays it once).
    let first = Instant::now();
    std::hint::black_box(read("I would rather not get these texts any more", "Rally"));
    let first = first.elapsed();
    let mut alone = Vec::with_capacity(texts.len() * ROUNDS);
    let mut whole = Vec::with_capacity(texts.len() * ROUNDS);
    for _ in 0..ROUNDS {
        for text in &texts {
            let start = Instant::now();
            std::hint::black_box(structured(std::hint::black_box(text), "Rally"));
            alone.push(start.elapsed());
            let start = Instant::now();
            std::hint::black_box(read(std::hint::black_box(text), "Rally"));
            whole.push(start.elapsed());
        }
    }
    println!("first read (lexicons built): {first:?}");
    for (name, times) in [
        ("structured reading alone", &mut alone),
        ("whole reading (model weighed in)", &mut whole),
    ] {
        println!(
            "{name}: {} texts x {ROUNDS}: {}",
            texts.len(),
            quantiles(times)
        );
    }
}

fn quantiles(times: &mut [Duration]) -> String {
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
    format!(
        "p50 {:?}, p99 {:?}, max {:?}",
        at(0.50),
        at(0.99),
        times[times.len() - 1]
    )
}
