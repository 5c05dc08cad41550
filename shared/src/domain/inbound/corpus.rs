//! The classifier against the labelled corpus in `tests/fixtures/`: `opt-out-corpus.tsv`
//! (written with the classifier) and `opt-out-holdout.tsv` (written independently,
//! without sight of it; its first measure is in docs/reliability.md) and
//! `opt-out-kinds.tsv` (the seven kinds of issue 28 and ten languages, written with the
//! structured reader). Bars: every
//! keyword text recognised, plain-language recall at least 98 %, false opt-outs at
//! most 1 %, every "unclear" text answered with the how-to-stop reply.
//! `cargo test -p shared --lib corpus -- --nocapture` prints the figures
//! (docs/reliability.md).
use super::keywords::Intent;
use super::reading::classify;

const CORPUS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/fixtures/opt-out-corpus.tsv"
));
const HOLDOUT: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/fixtures/opt-out-holdout.tsv"
));
/// The sealed sets, folded in after their sealed runs (docs/reliability.md): five
/// fields a line, `label<TAB>lang<TAB>kind<TAB>source<TAB>text`.
const SEALED: &[&str] = &[
    include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/opt-out-sealed-a.tsv"
    )),
    include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/opt-out-sealed-b.tsv"
    )),
    include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/opt-out-sealed-c.tsv"
    )),
    include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/opt-out-sealed-d.tsv"
    )),
    include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/opt-out-sealed-e.tsv"
    )),
];
const LANGUAGES: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/fixtures/opt-out-kinds.tsv"
));

fn corpus() -> Vec<(&'static str, &'static str)> {
    CORPUS
        .lines()
        .chain(HOLDOUT.lines())
        .chain(LANGUAGES.lines())
        .chain(SEALED.iter().flat_map(|set| set.lines()))
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let fields: Vec<&str> = l.split('\t').collect();
            match fields[..] {
                [label, text] | [label, _, _, _, text] => (label, text),
                _ => panic!("label<TAB>text or five fields: {l:?}"),
            }
        })
        .collect()
}

#[test]
fn the_corpus_is_big_enough_and_well_labelled() {
    let corpus = corpus();
    let count = |label: &str| corpus.iter().filter(|(l, _)| *l == label).count();
    assert!(count("revoke") >= 150, "revocations: {}", count("revoke"));
    assert!(
        count("ordinary") >= 150,
        "ordinary replies: {}",
        count("ordinary")
    );
    assert!(corpus.len() >= 300);
    for (label, text) in &corpus {
        assert!(
            ["keyword", "revoke", "unclear", "ordinary"].contains(label),
            "unknown label {label:?} for {text:?}"
        );
    }
}

#[test]
fn classifier_meets_its_bars_on_the_corpus() {
    let corpus = corpus();
    let mut missed_keywords = Vec::new();
    let mut missed = Vec::new();
    let mut false_opt_outs = Vec::new();
    let mut unclear_wrong = Vec::new();
    let (mut revocations, mut ordinary) = (0usize, 0usize);
    for (label, text) in &corpus {
        let intent = classify(text);
        match *label {
            "keyword" if intent != Intent::OptOut => missed_keywords.push(*text),
            "revoke" => {
                revocations += 1;
                if intent != Intent::OptOut {
                    missed.push(*text);
                }
            }
            "ordinary" => {
                ordinary += 1;
                if intent == Intent::OptOut {
                    false_opt_outs.push(*text);
                }
            }
            "unclear" if intent != Intent::Unclear => unclear_wrong.push((*text, intent)),
            _ => {}
        }
    }
    let recall = 100.0 * (revocations - missed.len()) as f64 / revocations as f64;
    let false_rate = 100.0 * false_opt_outs.len() as f64 / ordinary as f64;
    eprintln!(
        "opt-out corpus: {} texts; keywords missed {}; plain-language recall {:.1}% ({} of {}); false opt-outs {:.2}% ({} of {})",
        corpus.len(),
        missed_keywords.len(),
        recall,
        revocations - missed.len(),
        revocations,
        false_rate,
        false_opt_outs.len(),
        ordinary
    );
    eprintln!("missed revocations: {missed:?}");
    eprintln!("false opt-outs: {false_opt_outs:?}");
    assert!(
        missed_keywords.is_empty(),
        "keyword texts not recognised: {missed_keywords:?}"
    );
    assert!(recall >= 98.0, "recall {recall:.1}%: missed {missed:?}");
    assert!(
        false_rate <= 1.0,
        "false opt-outs {false_rate:.2}%: {false_opt_outs:?}"
    );
    assert!(unclear_wrong.is_empty(), "unclear texts: {unclear_wrong:?}");
}
