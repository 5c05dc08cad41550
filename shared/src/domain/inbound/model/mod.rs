//! A second reader for what the structured one cannot list: a linear model over the
//! character and word n-grams of the person's own words, trained on the labelled
//! development texts (`tests/fixtures/opt-out-*.tsv`) and committed as `weights.bin`.
//!
//! It never overrides a required keyword: [`super::reading`] asks it only about a text
//! the structured reading did not find a stop in, and about a stop the structured
//! reading found in the words of a clause (never a keyword). How its answer is
//! combined, and what it was measured at, is in docs/reliability.md.
//!
//! `cargo run -q -p shared --example opt_out_model -- train` writes the weights again;
//! a test checks the committed file is what training on today's data gives.
mod features;
pub mod train;

pub use features::{features, BUCKETS};

/// Weights: one per feature bucket, then the bias, little-endian `f32`.
static COMMITTED: &[u8] = include_bytes!("weights.bin");

/// Something that gives a weight per feature bucket (the last index is the bias).
pub trait Weights {
    fn weight(&self, index: usize) -> f32;
}

impl Weights for [f32] {
    fn weight(&self, index: usize) -> f32 {
        self.get(index).copied().unwrap_or(0.0)
    }
}

/// The committed weights, read in place: nothing is decoded at start-up.
pub struct Committed;

impl Weights for Committed {
    fn weight(&self, index: usize) -> f32 {
        let at = index * 4;
        COMMITTED
            .get(at..at + 4)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map(f32::from_le_bytes)
            .unwrap_or(0.0)
    }
}

/// How sure the model is that `own` (normalized own words) asks to stop the texts.
pub fn probability_with(weights: &(impl Weights + ?Sized), normalized: &str) -> f32 {
    let found = features(normalized);
    if found.is_empty() {
        return 0.0;
    }
    let scale = 1.0 / (found.len() as f32).sqrt();
    let sum: f32 = found
        .iter()
        .map(|&f| weights.weight(f as usize) * scale)
        .sum::<f32>()
        + weights.weight(BUCKETS);
    1.0 / (1.0 + (-sum).exp())
}

/// [`probability_with`] the committed weights.
pub fn probability(normalized: &str) -> f32 {
    probability_with(&Committed, normalized)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_weights_have_one_per_bucket_and_a_bias() {
        assert_eq!(COMMITTED.len(), (BUCKETS + 1) * 4);
    }

    #[test]
    fn the_committed_weights_are_what_training_on_the_development_texts_gives() {
        let texts = crate::domain::inbound::development::development();
        let weights = train::train(&train::examples(&texts));
        assert!(
            train::encode(&weights) == COMMITTED,
            "weights.bin is stale: run `cargo run -q --profile fast -p shared --example opt_out_model -- train`"
        );
    }

    #[test]
    fn nothing_to_read_is_not_a_stop() {
        assert_eq!(probability(""), 0.0);
    }
}
