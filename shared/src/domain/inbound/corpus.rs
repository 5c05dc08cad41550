//! The classifier against every labelled development text (`super::development`: the
//! corpus, the hold-out, the kinds file and the sealed sets folded in after their
//! sealed runs). Bars: every keyword text recognised, plain-language recall at least
//! 98 %, false opt-outs at most 1 %, every "unclear" text answered with the how-to-stop
//! reply. Tuned figures: the honest ones are the sealed runs' (docs/reliability.md).
//! `cargo test -p shared --lib corpus -- --nocapture` prints the figures.
use super::keywords::Intent;
use super::reading::classify;

fn corpus() -> Vec<(&'static str, &'static str)> {
    super::development::development()
        .into_iter()
        .map(|l| (l.label, l.text))
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
