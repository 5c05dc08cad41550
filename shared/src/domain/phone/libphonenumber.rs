//! The answers of libphonenumber's own data (the `phonenumber` crate), as they were
//! before the +1 table. Its first use loads the whole metadata database (about 55 ms on a
//! cold start, docs/benchmarks.md), so [`super`] asks the table ([`super::nanp`]) first;
//! these are the path of every other number, and the reference the table is generated
//! from and tested against.
use phonenumber::metadata::DATABASE;
use phonenumber::Mode;

use super::{NOT_A_NUMBER, NOT_E164, NOT_MOBILE, NOT_VALID};
use crate::domain::FieldError;

/// [`super::parse_e164`] by libphonenumber alone.
pub fn parse_e164(field: &str, raw: &str) -> Result<String, FieldError> {
    let trimmed = raw.trim();
    if !trimmed.starts_with('+') {
        return Err(FieldError::new(field, NOT_E164));
    }
    let parsed =
        phonenumber::parse(None, trimmed).map_err(|_| FieldError::new(field, NOT_A_NUMBER))?;
    if !phonenumber::is_valid(&parsed) {
        return Err(FieldError::new(field, NOT_VALID));
    }
    Ok(parsed.format().mode(Mode::E164).to_string())
}

/// [`super::parse_mobile`] by libphonenumber alone.
pub fn parse_mobile(field: &str, raw: &str) -> Result<String, FieldError> {
    let e164 = parse_e164(field, raw)?;
    can_receive_texts(field, &e164)?;
    Ok(e164)
}

/// Whether libphonenumber types this E.164 number (what [`parse_e164`] returned) as
/// mobile, or as fixed line or mobile.
pub fn can_receive_texts(field: &str, e164: &str) -> Result<(), FieldError> {
    let parsed =
        phonenumber::parse(None, e164).map_err(|_| FieldError::new(field, NOT_A_NUMBER))?;
    match parsed.number_type(&DATABASE) {
        phonenumber::Type::Mobile | phonenumber::Type::FixedLineOrMobile => Ok(()),
        _ => Err(FieldError::new(field, NOT_MOBILE)),
    }
}

/// [`super::region`] by libphonenumber alone.
pub fn region(e164: &str) -> Option<String> {
    let parsed = phonenumber::parse(None, e164).ok()?;
    parsed.metadata(&DATABASE).map(|m| m.id().to_owned())
}
