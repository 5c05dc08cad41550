//! Phone numbers, parsed and validated with libphonenumber's data and kept in E.164.
//!
//! A +1 number written as `+1` and ten digits is answered from a table generated from
//! libphonenumber's answers ([`nanp`]), which spares a cold start the 55 ms load of its
//! database; every other text goes to libphonenumber ([`libphonenumber`]). Both answer
//! alike (`nanp::equivalence_tests`).
pub mod libphonenumber;
pub mod nanp;

use std::fmt;
use std::ops::Deref;

use serde::{Deserialize, Serialize};

use super::FieldError;

/// A phone number in E.164 (`+` and the country code), as parsing produced it. What a
/// person or a client sent becomes one only through [`parse_e164`] or [`parse_mobile`];
/// a number read back from our own records (written only after parsing) through
/// [`Phone::stored`]. It reads as the `&str` it holds; its `Debug` (what a `?field` in a
/// log line or a struct's debug print shows) is only the last four digits.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Phone(String);

/// On the wire it is the string it holds, documented as the strings it replaced were.
impl schemars::JsonSchema for Phone {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        String::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        String::json_schema(generator)
    }
}

impl Phone {
    /// A number from our own records, which hold only parsed numbers.
    pub fn stored(e164: impl Into<String>) -> Self {
        Self(e164.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Phone {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Phone(…{})", crate::telemetry::phone_last4(&self.0))
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<Phone> for String {
    fn from(phone: Phone) -> Self {
        phone.0
    }
}

impl From<&Phone> for String {
    fn from(phone: &Phone) -> Self {
        phone.0.clone()
    }
}

const NOT_E164: &str = "must be in E.164 format, with + and the country code";
const NOT_A_NUMBER: &str = "is not a phone number";
const NOT_VALID: &str = "is not a valid phone number";
const NOT_MOBILE: &str = "must be a mobile number that can receive texts";

/// Parses a phone number given in E.164 (a leading `+` and country code) and returns it
/// normalised to E.164. Numbers libphonenumber does not consider valid are refused.
pub fn parse_e164(field: &str, raw: &str) -> Result<Phone, FieldError> {
    match nanp::answer(raw.trim()) {
        Some(answer) => answer.e164(field),
        None => libphonenumber::parse_e164(field, raw),
    }
    .map(Phone)
}

/// Like `parse_e164`, and the number must be able to receive texts: libphonenumber
/// types it as mobile, or (as it types every US and Canadian number) as fixed line or
/// mobile. Landlines, toll-free, premium and the like are refused.
pub fn parse_mobile(field: &str, raw: &str) -> Result<Phone, FieldError> {
    match nanp::answer(raw.trim()) {
        Some(answer) => answer.mobile(field),
        None => libphonenumber::parse_mobile(field, raw),
    }
    .map(Phone)
}

/// The number's region (ISO code), where libphonenumber can tell it.
pub fn region(e164: &str) -> Option<String> {
    match nanp::answer(e164) {
        Some(answer) => answer.region(),
        None => libphonenumber::region(e164),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_numbers_normalise_to_e164() {
        assert_eq!(
            parse_e164("p", "+1 617 555 0123").unwrap().as_str(),
            "+16175550123"
        );
        assert_eq!(
            parse_e164("p", "+44 20 7946 0123").unwrap().as_str(),
            "+442079460123"
        );
    }

    #[test]
    fn a_debug_print_shows_only_the_last_four_digits() {
        let phone = parse_e164("p", "+1 617 555 0123").unwrap();
        let printed = format!("{:?}", Some(&phone));
        assert_eq!(printed, "Some(Phone(…0123))");
        assert!(!printed.contains("617555"), "{printed}");
        assert_eq!(phone.to_string(), "+16175550123");
    }

    #[test]
    fn invalid_numbers_are_refused() {
        for bad in ["6175550123", "+1", "+1555", "hello", "+999123456789", ""] {
            assert!(parse_e164("p", bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn mobiles_pass_and_landlines_and_toll_free_do_not() {
        assert_eq!(
            parse_mobile("phone", "+16175550123").unwrap().as_str(),
            "+16175550123"
        );
        assert_eq!(
            parse_mobile("phone", "+44 7400 123456").unwrap().as_str(),
            "+447400123456"
        );
        assert!(
            parse_mobile("phone", "+18005550199").is_err(),
            "toll-free accepted"
        );
        assert!(
            parse_mobile("phone", "+442079460123").is_err(),
            "London landline accepted"
        );
    }
}
