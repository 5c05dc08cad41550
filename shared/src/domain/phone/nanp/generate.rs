//! Builds the +1 table from libphonenumber's own answers ([`super::super::libphonenumber`],
//! the whole database).
//!
//! libphonenumber decides a +1 number by the first digits alone: every +1 pattern is a
//! set of prefixes followed by `\d{3}` or more, so the first seven digits decide. The
//! generator walks the ten-digit space as a tree of prefixes: every block of the first
//! three digits is asked, and a block is kept whole only when its first and last
//! numbers and one number in each of its hundred sub-blocks two digits down all get the
//! same answer; otherwise each of its ten sub-blocks is asked the same way. Blocks of
//! 100 numbers or fewer are asked number by number. Neighbouring ranges with the same
//! answer are merged.
use super::super::libphonenumber;
use super::{Outcome, DEFER, MAX_REGIONS, NOT_VALID_KIND, NO_NUMBER};
use super::{VALID_MOBILE, VALID_NOT_MOBILE};

/// Seed of the sub-block numbers asked.
const SEED: u64 = 0x6e61_6e70_2031;

/// The table, encoded as `table.bin` is (see `super`).
pub fn table() -> Vec<u8> {
    table_seeded(SEED)
}

/// The table, asking other numbers in each sub-block: another seed must give the same
/// table (a check of the walk, `nanp_table -- seed N`).
pub fn table_seeded(seed: u64) -> Vec<u8> {
    keep_every_pattern_compiled();
    let mut walk = Walk {
        regions: Vec::new(),
        ranges: Vec::new(),
        random: SplitMix64(seed),
    };
    walk.block(0, 0);
    encode(&walk.regions, &walk.ranges)
}

/// libphonenumber compiles its patterns into a cache of 100, fewer than the +1
/// territories use between them. A larger cache changes no answer, only how long the
/// generation takes.
pub fn keep_every_pattern_compiled() {
    if let Ok(mut cache) = phonenumber::metadata::DATABASE.cache().lock() {
        cache.set_capacity(10_000);
    }
}

/// What libphonenumber answers for `+1` and these ten digits: the outcome byte, with
/// the region's index into `regions` (which gains the region if it is new). `DEFER`
/// where the table could not say the same: an E.164 other than `+1` and the digits, an
/// unexpected message, or too many regions.
pub fn outcome(national: u64, regions: &mut Vec<String>) -> Outcome {
    let number = format!("+1{national:010}");
    let kind = match libphonenumber::parse_e164("p", &number) {
        Err(e) if e.message == super::NOT_A_NUMBER => NO_NUMBER,
        Err(e) if e.message == super::NOT_VALID => NOT_VALID_KIND,
        Ok(e164) if e164 == number => match libphonenumber::can_receive_texts("p", &e164) {
            Ok(()) => VALID_MOBILE,
            Err(e) if e.message == super::NOT_MOBILE => VALID_NOT_MOBILE,
            Err(_) => return DEFER,
        },
        _ => return DEFER,
    };
    let region = match libphonenumber::region(&number) {
        None => 0,
        Some(region) => match regions.iter().position(|r| *r == region) {
            Some(at) => at + 1,
            None if region.len() == 2 && regions.len() < MAX_REGIONS => {
                regions.push(region);
                regions.len()
            }
            None => return DEFER,
        },
    };
    kind | (region as u8) << 2
}

struct Walk {
    regions: Vec<String>,
    /// First number and outcome of each range so far, merged.
    ranges: Vec<(u64, Outcome)>,
    random: SplitMix64,
}

impl Walk {
    /// The block of numbers starting with these `depth` digits.
    fn block(&mut self, prefix: u64, depth: u32) {
        let span = 10u64.pow(10 - depth);
        let start = prefix * span;
        let whole = if depth < 3 {
            None
        } else {
            self.same_answer(start, span)
        };
        match whole {
            Some(outcome) => self.push(start, outcome),
            None => {
                for digit in 0..10 {
                    self.block(prefix * 10 + digit, depth + 1);
                }
            }
        }
    }

    /// The answer every number asked in the block got, if they all got the same.
    fn same_answer(&mut self, start: u64, span: u64) -> Option<Outcome> {
        let step = (span / 100).max(1);
        let first = outcome(start, &mut self.regions);
        let last = outcome(start + span - 1, &mut self.regions);
        if last != first {
            return None;
        }
        let mut sub = start;
        while sub < start + span {
            let asked = sub + self.random.below(step);
            if outcome(asked, &mut self.regions) != first {
                return None;
            }
            sub += step;
        }
        Some(first)
    }

    fn push(&mut self, start: u64, outcome: Outcome) {
        if self.ranges.last().map(|&(_, o)| o) != Some(outcome) {
            self.ranges.push((start, outcome));
        }
    }
}

/// `table.bin`'s bytes for these regions and ranges.
pub fn encode(regions: &[String], ranges: &[(u64, Outcome)]) -> Vec<u8> {
    let mut bytes = vec![regions.len() as u8];
    for region in regions {
        bytes.extend_from_slice(region.as_bytes());
    }
    for &(start, outcome) in ranges {
        bytes.extend_from_slice(&start.to_le_bytes()[..5]);
        bytes.push(outcome);
    }
    bytes
}

/// splitmix64: a seeded, dependency-free generator of the numbers asked.
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number below `bound` (not quite uniform; enough here).
    pub fn below(&mut self, bound: u64) -> u64 {
        self.next_u64() % bound
    }
}
