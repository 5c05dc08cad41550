//! The features the model reads: character n-grams (2 to 5, so a typo or an unspaced
//! script still shares most of them with the word it meant) and word unigrams and
//! bigrams of the normalized text, each hashed (FNV-1a, the same on every platform)
//! into a fixed number of buckets and counted once.

/// How many buckets the features hash into.
pub const BUCKETS: usize = 1 << 16;

fn fnv(tag: u8, parts: &[&str]) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    let mut eat = |b: u8| {
        hash ^= u32::from(b);
        hash = hash.wrapping_mul(0x0100_0193);
    };
    eat(tag);
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            eat(b' ');
        }
        part.bytes().for_each(&mut eat);
    }
    hash % BUCKETS as u32
}

/// The hashed features of a normalized text, sorted and each once.
pub fn features(normalized: &str) -> Vec<u32> {
    if normalized.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let padded: Vec<char> = format!(" {normalized} ").chars().collect();
    let mut gram = String::new();
    for n in 2..=5usize {
        for window in padded.windows(n) {
            gram.clear();
            gram.extend(window);
            out.push(fnv(n as u8, &[&gram]));
        }
    }
    let words: Vec<&str> = normalized.split(' ').collect();
    for (i, word) in words.iter().enumerate() {
        out.push(fnv(b'w', &[word]));
        if let Some(next) = words.get(i + 1) {
            out.push(fnv(b'b', &[word, next]));
        }
    }
    out.push(fnv(b'l', &[&words.len().min(12).to_string()]));
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_shares_most_features_with_the_word_it_meant() {
        let right = features("unsubscribe me");
        let typo = features("unsubscibe me");
        let shared = right
            .iter()
            .filter(|f| typo.binary_search(f).is_ok())
            .count();
        assert!(shared * 2 > right.len(), "{shared} of {}", right.len());
    }

    #[test]
    fn features_are_stable_and_in_range() {
        let once = features("por favor no más mensajes");
        assert_eq!(once, features("por favor no más mensajes"));
        assert!(once.iter().all(|&f| (f as usize) < BUCKETS));
    }
}
