//! Phone numbers, parsed and validated with libphonenumber's data and kept in E.164.
use phonenumber::Mode;

use super::FieldError;

/// Parses a phone number given in E.164 (a leading `+` and country code) and returns it
/// normalised to E.164. Numbers libphonenumber does not consider valid are refused.
pub fn parse_e164(field: &str, raw: &str) -> Result<String, FieldError> {
    let trimmed = raw.trim();
    if !trimmed.starts_with('+') {
        return Err(FieldError::new(
            field,
            "must be in E.164 format, with + and the country code",
        ));
    }
    let parsed = phonenumber::parse(None, trimmed)
        .map_err(|_| FieldError::new(field, "is not a phone number"))?;
    if !phonenumber::is_valid(&parsed) {
        return Err(FieldError::new(field, "is not a valid phone number"));
    }
    Ok(parsed.format().mode(Mode::E164).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_numbers_normalise_to_e164() {
        assert_eq!(parse_e164("p", "+1 617 555 0123").unwrap(), "+16175550123");
        assert_eq!(
            parse_e164("p", "+44 20 7946 0123").unwrap(),
            "+442079460123"
        );
    }

    #[test]
    fn invalid_numbers_are_refused() {
        for bad in ["6175550123", "+1", "+1555", "hello", "+999123456789", ""] {
            assert!(parse_e164("p", bad).is_err(), "{bad} accepted");
        }
    }
}

/// Like `parse_e164`, and the number must be able to receive texts: libphonenumber
/// types it as mobile, or (as it types every US and Canadian number) as fixed line or
/// mobile. Landlines, toll-free, premium and the like are refused.
pub fn parse_mobile(field: &str, raw: &str) -> Result<String, FieldError> {
    let e164 = parse_e164(field, raw)?;
    let parsed = phonenumber::parse(None, &e164)
        .map_err(|_| FieldError::new(field, "is not a phone number"))?;
    match parsed.number_type(&phonenumber::metadata::DATABASE) {
        phonenumber::Type::Mobile | phonenumber::Type::FixedLineOrMobile => Ok(e164),
        _ => Err(FieldError::new(
            field,
            "must be a mobile number that can receive texts",
        )),
    }
}

#[cfg(test)]
mod mobile_tests {
    use super::parse_mobile;

    #[test]
    fn mobiles_pass_and_landlines_and_toll_free_do_not() {
        assert_eq!(
            parse_mobile("phone", "+16175550123").unwrap(),
            "+16175550123"
        );
        assert_eq!(
            parse_mobile("phone", "+44 7400 123456").unwrap(),
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
