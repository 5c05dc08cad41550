//! How long reading one inbound text takes: every text of the development corpora,
//! each read `ROUNDS` times, one timing a read; prints p50, p99 and max.
//!
//! `cargo run --release -q -p shared --example opt_out_timing` (docs/benchmarks.md).
use std::time::Instant;

use shared::domain::inbound::reading::read;

const CORPORA: &[&str] = &[
    include_str!("../../tests/fixtures/opt-out-corpus.tsv"),
    include_str!("../../tests/fixtures/opt-out-holdout.tsv"),
    include_str!("../../tests/fixtures/opt-out-kinds.tsv"),
    include_str!("../../tests/fixtures/opt-out-sealed-a.tsv"),
    include_str!("../../tests/fixtures/opt-out-sealed-b.tsv"),
    include_str!("../../tests/fixtures/opt-out-sealed-c.tsv"),
    include_str!("../../tests/fixtures/opt-out-sealed-d.tsv"),
];
const ROUNDS: usize = 20;

fn main() {
    let texts: Vec<&str> = CORPORA
        .iter()
        .flat_map(|c| c.lines())
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.rsplit('\t').next())
        .collect();
    // The first read of a sentence builds the lexicons once (a cold start pays it once).
    let first = Instant::now();
    std::hint::black_box(read("I would rather not get these texts any more", "Rally"));
    let first = first.elapsed();
    let mut times = Vec::with_capacity(texts.len() * ROUNDS);
    for _ in 0..ROUNDS {
        for text in &texts {
            let start = Instant::now();
            std::hint::black_box(read(std::hint::black_box(text), "Rally"));
            times.push(start.elapsed());
        }
    }
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
    println!(
        "read one text: {} texts x {ROUNDS}: p50 {:?}, p99 {:?}, max {:?}; first read (lexicons built) {:?}",
        texts.len(),
        at(0.50),
        at(0.99),
        times[times.len() - 1],
        first
    );
}
