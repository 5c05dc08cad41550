//! The +1 table (`shared::domain::phone::nanp`), from libphonenumber's whole database.
//!
//! - `cargo run --profile fast -q -p shared --example nanp_table` generates it and writes
//!   `shared/src/domain/phone/nanp/table.bin` (about a minute).
//! - `… -- seed N` generates it asking other numbers in each block (seed N) and says
//!   whether that gives the committed table: a check of the walk, writes nothing.
//! - `… -- check N` asks libphonenumber about N numbers drawn at random from the whole
//!   ten-digit space and counts those the committed table answers differently.
use std::time::Instant;

use shared::domain::phone::nanp::generate::{self, SplitMix64};
use shared::domain::phone::nanp::{Table, DEFER, SPACE};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let started = Instant::now();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        [] => {
            let table = generate::table();
            let path = concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/src/domain/phone/nanp/table.bin"
            );
            std::fs::write(path, &table).expect("write the table");
            println!(
                "wrote {path}: {} ranges, {} bytes, in {:.1?}",
                Table(&table).len(),
                table.len(),
                started.elapsed()
            );
        }
        ["seed", seed] => {
            let table = generate::table_seeded(seed.parse().expect("a seed"));
            println!(
                "seed {seed}: {} ranges, {} bytes, {} the committed table, in {:.1?}",
                Table(&table).len(),
                table.len(),
                if table == Table::committed().0 {
                    "the same as"
                } else {
                    "NOT the same as"
                },
                started.elapsed()
            );
        }
        ["check", count] => {
            let count: u64 = count.parse().expect("a count");
            generate::keep_every_pattern_compiled();
            let committed = Table::committed();
            let mut random = SplitMix64(count);
            let mut regions = Vec::new();
            let mut differ = 0;
            for _ in 0..count {
                let national = random.below(SPACE);
                let answered = generate::outcome(national, &mut regions);
                let answered_region = usize::from((answered >> 2) & 0x1f)
                    .checked_sub(1)
                    .map(|i| regions[i].as_str());
                let outcome = committed.outcome(national).expect("a range");
                if (outcome & (DEFER | 3), committed.region(outcome))
                    != (answered & (DEFER | 3), answered_region)
                {
                    differ += 1;
                }
            }
            println!(
                "{count} random numbers: {differ} answered differently, in {:.1?}",
                started.elapsed()
            );
        }
        _ => eprintln!("usage: nanp_table [seed N | check N]"),
    }
}
