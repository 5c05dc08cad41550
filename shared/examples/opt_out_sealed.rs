//! Runs the opt-out classifier once over a sealed set and prints only counts: never a
//! text, so that reading the figures does not reveal what was missed.
//!
//! `cargo run -q -p shared --example opt_out_sealed -- FILE.tsv [--misses]` where each line is
//! `label<TAB>lang<TAB>kind<TAB>source<TAB>text` (label: keyword, revoke or ordinary;
//! lines starting with `#` are comments). Replies are read as answers to our texts
//! under the product name `Rally` (the name the sealed sets' writers were given).
use std::collections::BTreeMap;

use shared::domain::inbound::keywords::Intent;
use shared::domain::inbound::reading::read;

#[derive(Default)]
struct Tally {
    texts: usize,
    wrong: usize,
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: opt_out_sealed FILE.tsv");
    let data = std::fs::read_to_string(&path).expect("read the sealed set");
    // Once a set is folded into the development data (never before its sealed run),
    // `--misses` lists what it gets wrong.
    let show_misses = std::env::args().any(|a| a == "--misses");
    let mut by_label: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_kind: BTreeMap<(String, String), Tally> = BTreeMap::new();
    let mut by_lang: BTreeMap<(String, String), Tally> = BTreeMap::new();
    for line in data.lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [label, lang, kind, _source, text] = fields[..] else {
            eprintln!("skipped a line with {} fields", fields.len());
            continue;
        };
        let opted_out = read(text, "Rally").intent == Intent::OptOut;
        let wrong = match label {
            "keyword" | "revoke" => !opted_out,
            "ordinary" => opted_out,
            other => {
                eprintln!("skipped a line labelled {other:?}");
                continue;
            }
        };
        if wrong && show_misses {
            let s = shared::domain::inbound::reading::structured(text, "Rally");
            let p = shared::domain::inbound::model::probability(&s.normalized);
            eprintln!(
                "{label}\t{lang}\t{kind}\t{:?}/{:?} p={p:.2}\t{text}",
                s.basis, s.reading.intent
            );
        }
        let group = if label == "ordinary" {
            "ordinary"
        } else {
            "stop"
        };
        for tally in [
            by_label.entry(label.to_owned()).or_default(),
            by_kind
                .entry((group.to_owned(), kind.to_owned()))
                .or_default(),
            by_lang
                .entry((group.to_owned(), lang.to_owned()))
                .or_default(),
        ] {
            tally.texts += 1;
            tally.wrong += usize::from(wrong);
        }
    }
    let get = |l: &str| {
        by_label
            .get(l)
            .map(|t| (t.texts, t.wrong))
            .unwrap_or((0, 0))
    };
    let (k, k_wrong) = get("keyword");
    let (r, r_wrong) = get("revoke");
    let (o, o_wrong) = get("ordinary");
    let stops = k + r;
    let honoured = stops - k_wrong - r_wrong;
    println!("sealed set {path}: {} texts", stops + o);
    println!("  required keywords honoured: {} of {k}", k - k_wrong);
    println!(
        "  opt-outs honoured (keywords + revocations): {honoured} of {stops} ({:.1} %)",
        100.0 * honoured as f64 / stops.max(1) as f64
    );
    println!(
        "  ordinary replies turned into an opt-out: {o_wrong} of {o} ({:.1} %)",
        100.0 * o_wrong as f64 / o.max(1) as f64
    );
    println!("  by kind (stop: missed / texts; ordinary: false opt-outs / texts):");
    for ((group, kind), t) in &by_kind {
        println!("    {group:8} {kind:10} {:3} / {:3}", t.wrong, t.texts);
    }
    println!("  by language:");
    for ((group, lang), t) in &by_lang {
        println!("    {group:8} {lang:10} {:3} / {:3}", t.wrong, t.texts);
    }
}
