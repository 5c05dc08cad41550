//! Where texts may go: the deployment's allowed destination countries (the region of the
//! number itself, so `+1 809…` is the Dominican Republic, not the US), and never the
//! platform's own origination numbers. Checked on every route that takes a phone a text
//! may go to, and again by the sender before it publishes.
use super::{phone, FieldError};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SmsDestinations {
    /// ISO 3166 codes, upper case (`US`, `CA`).
    countries: Vec<String>,
    /// E.164 numbers texts go out from.
    own_numbers: Vec<String>,
}

/// Why a number may not be texted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The number's region is not allowed; the region, where libphonenumber knows it.
    Country(Option<String>),
    /// One of the platform's own sending numbers.
    OwnNumber,
}

impl SmsDestinations {
    /// `countries` as the template's `SmsAllowedCountries` gives it: `"US,CA"`.
    pub fn new<'a>(countries: &str, own_numbers: impl IntoIterator<Item = &'a str>) -> Self {
        Self {
            countries: countries
                .split(',')
                .map(|c| c.trim().to_ascii_uppercase())
                .filter(|c| !c.is_empty())
                .collect(),
            own_numbers: own_numbers
                .into_iter()
                .map(|n| n.trim().to_owned())
                .filter(|n| !n.is_empty())
                .collect(),
        }
    }

    pub fn countries(&self) -> &[String] {
        &self.countries
    }

    /// The number's region (ISO code), where libphonenumber can tell it.
    pub fn region(e164: &str) -> Option<String> {
        phone::region(e164)
    }

    /// Whether a text may go to this E.164 number.
    pub fn check(&self, e164: &str) -> Result<(), Refusal> {
        if self.own_numbers.iter().any(|own| own == e164) {
            return Err(Refusal::OwnNumber);
        }
        match Self::region(e164) {
            Some(region) if self.countries.contains(&region) => Ok(()),
            region => Err(Refusal::Country(region)),
        }
    }

    /// `check`, as the field error a request gets back.
    pub fn check_field(&self, field: &str, e164: &str) -> Result<(), FieldError> {
        self.check(e164).map_err(|refusal| match refusal {
            Refusal::OwnNumber => FieldError::new(
                field,
                "is the number our texts come from; enter your own mobile number",
            ),
            Refusal::Country(_) => FieldError::new(
                field,
                format!(
                    "must be a mobile number in {}: texts are not sent to other countries",
                    self.countries.join(" or ")
                ),
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn us_ca() -> SmsDestinations {
        SmsDestinations::new("US,CA", ["+18445550100"])
    }

    #[test]
    fn us_and_canadian_numbers_may_be_texted() {
        assert_eq!(us_ca().check("+16175550123"), Ok(()));
        // Toronto and Vancouver share +1 with the US.
        assert_eq!(us_ca().check("+14165550123"), Ok(()));
        assert_eq!(us_ca().check("+16045550123"), Ok(()));
    }

    #[test]
    fn other_countries_are_refused_even_inside_plus_one() {
        for (number, region) in [
            ("+33612345678", "FR"),
            ("+8613812345678", "CN"),
            ("+447400123456", "GB"),
            // +1 numbers outside the US and Canada: premium-fraud favourites.
            ("+18095550123", "DO"),
            ("+18765550123", "JM"),
        ] {
            assert_eq!(
                us_ca().check(number),
                Err(Refusal::Country(Some(region.to_owned()))),
                "{number}"
            );
        }
    }

    #[test]
    fn the_platforms_own_number_is_never_a_destination() {
        assert_eq!(us_ca().check("+18445550100"), Err(Refusal::OwnNumber));
        let error = us_ca().check_field("phone", "+18445550100").unwrap_err();
        assert_eq!(error.field, "phone");
        assert!(error.message.contains("our texts come from"));
    }

    #[test]
    fn the_refusal_names_the_allowed_countries() {
        let error = us_ca().check_field("phone", "+33612345678").unwrap_err();
        assert_eq!(
            error.message,
            "must be a mobile number in US or CA: texts are not sent to other countries"
        );
        let gb = SmsDestinations::new(" gb ", []);
        assert_eq!(gb.check("+447400123456"), Ok(()));
        assert!(gb.check("+16175550123").is_err());
    }
}
