//! Prints how each text given on the command line is read: the structured reading, what
//! it rests on, the model's probability and the final intent. A development aid.
//!
//! `cargo run -q --profile fast -p shared --example opt_out_explain -- "Stop texting me" ...`
use shared::domain::inbound::model::probability;
use shared::domain::inbound::reading::{clause_readings, read, structured};

fn main() {
    for text in std::env::args().skip(1) {
        let s = structured(&text, "Rally");
        let p = probability(&s.normalized);
        let r = read(&text, "Rally");
        println!(
            "{:?} (structured {:?} on {:?}, p={p:.2}, {:?})\t{text}",
            r.intent, s.reading.intent, s.basis, r.lang
        );
        for (clause, reading) in clause_readings(&text, "Rally") {
            println!("    [{clause}] {reading}");
        }
    }
}
