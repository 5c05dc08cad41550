//! Which libphonenumber metadata a number is read with.
//!
//! Loading the crate's whole set costs a cold start about 55 ms: every pattern of its 254
//! territories is checked as it loads (`make bench-cold-start`, issue #31). The product
//! texts +1 numbers, so the 25 territories of +1 load first, cut unchanged from the same
//! file by `infra/scripts/phone-metadata.py` (`metadata.xml`). The whole set loads only
//! for a number with another country code, which a US and Canada deployment refuses
//! anyway (naming its region, so the whole set is still needed then).
use std::sync::LazyLock;

use phonenumber::metadata::{Database, DATABASE};
use phonenumber::{ParseError, PhoneNumber};

/// The +1 territories, loaded on the first parse.
static FIRST: LazyLock<Database> = LazyLock::new(|| {
    Database::parse(include_str!("metadata.xml")).expect("the committed metadata loads")
});

/// `raw` read as an international number, with the metadata that knows its country
/// code: the +1 set, or the whole set for any other code.
pub fn parse(raw: &str) -> Option<(PhoneNumber, &'static Database)> {
    match phonenumber::parse_with(&FIRST, None, raw) {
        Ok(number) => Some((number, &FIRST)),
        // Country calling codes are prefix-free: a code the +1 set does not know is
        // another country's, and only the whole set can read it.
        Err(ParseError::InvalidCountryCode) => phonenumber::parse_with(&DATABASE, None, raw)
            .ok()
            .map(|number| (number, &*DATABASE)),
        Err(_) => None,
    }
}
