//! Training: logistic regression on the hashed features, AdaGrad, a fixed number of
//! passes in an order drawn from a fixed seed, each class weighted by its share, so
//! that the same texts always give the same weights, byte for byte.
use super::features::{features, BUCKETS};
use crate::domain::inbound::development::Labelled;
use crate::domain::inbound::reading::structured;

/// The product name the development texts answer (the name their writers were given).
pub const PRODUCT: &str = "Rally";

const PASSES: usize = 12;
const RATE: f32 = 0.4;
const L2: f32 = 1e-5;

/// One labelled text: the person's own words, normalized, and whether they ask to
/// stop the texts.
pub struct Example {
    pub normalized: String,
    pub stop: bool,
}

/// The labelled texts as the model reads them: the person's own words, normalized;
/// texts labelled unclear are left out (neither a stop nor plainly not one).
pub fn examples(texts: &[Labelled]) -> Vec<Example> {
    texts
        .iter()
        .filter(|l| l.label != "unclear")
        .map(|l| Example {
            normalized: structured(l.text, PRODUCT).normalized,
            stop: l.is_stop(),
        })
        .collect()
}

/// The weights (one per bucket, then the bias) that the examples give.
pub fn train(examples: &[Example]) -> Vec<f32> {
    let rows: Vec<(Vec<u32>, f32, f32)> = {
        let stops = examples.iter().filter(|e| e.stop).count().max(1) as f32;
        let others = (examples.len() as f32 - stops).max(1.0);
        let total = examples.len() as f32;
        examples
            .iter()
            .map(|e| {
                let label = if e.stop { 1.0 } else { 0.0 };
                let class_weight = if e.stop {
                    total / (2.0 * stops)
                } else {
                    total / (2.0 * others)
                };
                (features(&e.normalized), label, class_weight)
            })
            .filter(|(f, _, _)| !f.is_empty())
            .collect()
    };
    let mut weights = vec![0.0f32; BUCKETS + 1];
    let mut squares = vec![1e-8f32; BUCKETS + 1];
    let mut order: Vec<usize> = (0..rows.len()).collect();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..PASSES {
        for i in (1..order.len()).rev() {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            order.swap(i, (seed % (i as u64 + 1)) as usize);
        }
        for &at in &order {
            let (found, label, class_weight) = &rows[at];
            let scale = 1.0 / (found.len() as f32).sqrt();
            let sum: f32 = found
                .iter()
                .map(|&f| weights[f as usize] * scale)
                .sum::<f32>()
                + weights[BUCKETS];
            let p = 1.0 / (1.0 + (-sum).exp());
            let error = (p - label) * class_weight;
            for index in found
                .iter()
                .map(|&f| f as usize)
                .chain(std::iter::once(BUCKETS))
            {
                let x = if index == BUCKETS { 1.0 } else { scale };
                let gradient = error * x + L2 * weights[index];
                squares[index] += gradient * gradient;
                weights[index] -= RATE * gradient / squares[index].sqrt();
            }
        }
    }
    weights
}

/// The weights as `weights.bin` holds them.
pub fn encode(weights: &[f32]) -> Vec<u8> {
    weights.iter().flat_map(|w| w.to_le_bytes()).collect()
}
