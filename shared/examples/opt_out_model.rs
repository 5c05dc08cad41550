//! Trains the opt-out model and checks how it combines with the structured reading.
//!
//! - `cargo run -q --profile fast -p shared --example opt_out_model -- train` trains on every
//!   development text and writes `shared/src/domain/inbound/model/weights.bin`.
//! - `… -- holdout opt-out-sealed-e.tsv` trains on every development file but that one,
//!   then prints, for that file, the structured reading alone and each combination of
//!   thresholds: counts only, never a text.
//! - `… -- read TEXT…` shows how each text is read: the structured reading, what it
//!   rests on, the model's probability and the result.
use shared::domain::inbound::development::{development, Labelled};
use shared::domain::inbound::keywords::Intent;
use shared::domain::inbound::model::probability_with;
use shared::domain::inbound::model::train::{self, examples, PRODUCT};
use shared::domain::inbound::reading::{combine, structured, Structured, Thresholds};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["train"] => {
            let weights = train::train(&examples(&development()));
            let path = concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/src/domain/inbound/model/weights.bin"
            );
            std::fs::write(path, train::encode(&weights)).expect("write the weights");
            println!("wrote {path}");
        }
        ["holdout", file] => holdout(file),
        ["read", ..] => {
            for text in &args[1..] {
                let s = structured(text, PRODUCT);
                let p = shared::domain::inbound::model::probability(&s.normalized);
                println!(
                    "{:?} on {:?}, p {p:.3} -> {:?}: {text}",
                    s.reading.intent,
                    s.basis,
                    shared::domain::inbound::reading::read(text, PRODUCT).intent
                );
            }
        }
        _ => eprintln!("usage: opt_out_model train | holdout FILE | read TEXT…"),
    }
}

fn holdout(file: &str) {
    let all = development();
    let (held, rest): (Vec<Labelled>, Vec<Labelled>) =
        all.into_iter().partition(|l| l.file == file);
    assert!(!held.is_empty(), "no development file named {file}");
    let weights = train::train(&examples(&rest));
    let read: Vec<(bool, Structured, f32, &str)> = held
        .iter()
        .filter(|l| l.label != "unclear")
        .map(|l| {
            let s = structured(l.text, PRODUCT);
            let p = probability_with(weights.as_slice(), &s.normalized);
            (l.is_stop(), s, p, l.label)
        })
        .collect();
    let stops = read.iter().filter(|r| r.0).count();
    let others = read.len() - stops;
    let report = |name: String, decide: &dyn Fn(&Structured, f32) -> Intent| {
        let (mut missed, mut false_stops, mut keywords_missed, mut asked) = (0, 0, 0, 0);
        for (stop, s, p, label) in &read {
            let intent = decide(s, *p);
            let out = intent == Intent::OptOut;
            if *stop && !out {
                missed += 1;
                if *label == "keyword" {
                    keywords_missed += 1;
                }
            }
            if !*stop && out {
                false_stops += 1;
            }
            if !*stop && intent == Intent::Unclear {
                asked += 1;
            }
        }
        println!(
            "{name:<32} recall {:.1}% ({}/{stops})  false {:.2}% ({false_stops}/{others})  keywords missed {keywords_missed}  ordinary asked {asked}",
            100.0 * (stops - missed) as f64 / stops as f64,
            stops - missed,
            100.0 * false_stops as f64 / others as f64,
        );
    };
    report("structured alone".into(), &|s, _| s.reading.intent);
    report("model alone (p >= 0.5)".into(), &|_, p| {
        if p >= 0.5 {
            Intent::OptOut
        } else {
            Intent::Other
        }
    });
    for stop in [0.7, 0.8, 0.85, 0.9, 0.95] {
        for veto in [0.03, 0.05, 0.1] {
            let at = Thresholds {
                stop,
                ask: stop,
                veto,
            };
            report(format!("stop {stop} veto {veto}"), &|s, p| {
                combine(s, p, at).intent
            });
        }
    }
}
