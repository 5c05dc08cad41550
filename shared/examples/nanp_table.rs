//! Generates the +1 table from libphonenumber's whole database and writes
//! `shared/src/domain/phone/nanp/table.bin` (see `shared::domain::phone::nanp`).
//!
//! `cargo run --profile fast -q -p shared --example nanp_table`
use std::time::Instant;

use shared::domain::phone::nanp::{generate, Table};

fn main() {
    let started = Instant::now();
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
