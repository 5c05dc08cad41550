//! Configuration read once per cold start from the function's environment, which the
//! SAM template (and the local stack, from the same template) sets.
use thiserror::Error;

use crate::domain::destinations::SmsDestinations;
use crate::domain::limits::SmsLimits;

#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("environment variable {0} is required")]
    Missing(&'static str),
}

#[derive(Clone, Debug)]
pub struct AppConfig {
    /// The single DynamoDB table holding workspaces, studies, teams and idempotency records.
    pub table_name: String,
    /// The append-only table of consent evidence records.
    pub consent_table_name: String,
    /// The EventBridge bus domain events are published to.
    pub event_bus_name: String,
    /// Product name shown to participants in texts and emails (never a study's name).
    pub product_name: String,
    /// Base URL of the web app, used for links in messages.
    pub app_url: String,
    /// Where participants reach this API (manage-booking links point here).
    pub public_base_url: String,
    /// How participants reach support, given in HELP replies.
    pub support_contact: String,
    pub sms: SmsConfig,
    pub email: EmailConfig,
    pub panel: PanelConfig,
}

/// Texts: the number they leave from, its rate, where they may go, what fails.
#[derive(Clone, Debug)]
pub struct SmsConfig {
    /// The managed origination number SMS goes out from; `None` until one is provisioned.
    pub sender_number: Option<String>,
    /// What kind of number `sender_number` is (`TOLL_FREE`, `TEN_DLC`, …; template
    /// parameter `SenderNumberType`).
    pub sender_number_type: Option<String>,
    /// The origination number's sending rate, in messages a second.
    pub messages_per_second: f64,
    /// The queue failed sends go to for a person to act on.
    pub failure_queue_url: Option<String>,
    /// The topic inbound texts arrive on; the SMS webhook accepts no other.
    pub inbound_topic_arn: Option<String>,
    /// Countries texts may go to (`SmsAllowedCountries`, `US,CA` by default).
    pub allowed_countries: String,
    /// How often the routes that text may be used (docs/deploy.md).
    pub limits: SmsLimits,
}

/// Email through SES.
#[derive(Clone, Debug)]
pub struct EmailConfig {
    /// The verified SES address notification emails come from.
    pub sender: String,
    /// The SES configuration set every email goes out through (its events report
    /// bounces and complaints).
    pub configuration_set: Option<String>,
    /// Where support requests are emailed (platform support, never a study team).
    pub support: String,
}

/// The external recruitment panel.
#[derive(Clone, Debug)]
pub struct PanelConfig {
    /// Base URL of the panel's API (the relay posts to `<base>/messages`).
    pub api_base_url: String,
    /// The Secrets Manager secret with the panel's API key and webhook secret.
    pub credentials_secret_arn: Option<String>,
}

impl AppConfig {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|key| std::env::var(key).ok())
    }

    /// Builds the configuration from any key lookup, so the local stack can feed it the
    /// values it resolved from `template.yaml` without touching process-wide state.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        // Set and not empty; a default stands for a variable left out or empty.
        let set = |key: &str| lookup(key).filter(|value| !value.is_empty());
        let or = |key: &str, default: &str| set(key).unwrap_or_else(|| default.to_owned());
        let required = |key: &'static str| set(key).ok_or(ConfigError::Missing(key));
        Ok(Self {
            table_name: required("TABLE_NAME")?,
            consent_table_name: required("CONSENT_TABLE_NAME")?,
            event_bus_name: required("EVENT_BUS_NAME")?,
            product_name: or("PRODUCT_NAME", "Rally"),
            app_url: required("APP_URL")?,
            public_base_url: required("PUBLIC_BASE_URL")?,
            support_contact: or("SUPPORT_CONTACT", "support@example.com"),
            sms: SmsConfig {
                sender_number: set("SENDER_NUMBER"),
                sender_number_type: set("SENDER_NUMBER_TYPE")
                    .map(|value| value.trim().to_ascii_uppercase())
                    .filter(|value| !value.is_empty()),
                messages_per_second: lookup("SMS_MESSAGES_PER_SECOND")
                    .and_then(|v| v.parse().ok())
                    .filter(|v: &f64| v.is_finite() && *v > 0.0)
                    .unwrap_or(3.0),
                failure_queue_url: set("SMS_FAILURE_QUEUE_URL"),
                inbound_topic_arn: set("INBOUND_SMS_TOPIC_ARN"),
                allowed_countries: lookup("SMS_ALLOWED_COUNTRIES")
                    .filter(|v| !v.trim().is_empty())
                    .unwrap_or_else(|| "US,CA".to_owned()),
                limits: limits(&lookup),
            },
            email: EmailConfig {
                sender: or("SENDER_EMAIL", "no-reply@example.com"),
                configuration_set: set("SES_CONFIGURATION_SET"),
                support: or("SUPPORT_EMAIL", "support@example.com"),
            },
            panel: PanelConfig {
                api_base_url: lookup("PANEL_API_BASE_URL").unwrap_or_default(),
                credentials_secret_arn: set("PANEL_CREDENTIALS_SECRET_ARN"),
            },
        })
    }
}

/// A limit from its variable; missing, unreadable or zero means the template's default.
fn limits(lookup: &impl Fn(&str) -> Option<String>) -> SmsLimits {
    let defaults = SmsLimits::default();
    let read = |key: &str, default: u32| {
        lookup(key)
            .and_then(|v| v.trim().parse::<u32>().ok())
            .filter(|v| *v > 0)
            .unwrap_or(default)
    };
    SmsLimits {
        bookings_per_share_link_per_hour: read(
            "BOOKINGS_PER_SHARE_LINK_PER_HOUR",
            defaults.bookings_per_share_link_per_hour,
        ),
        bookings_per_source_ip_per_hour: read(
            "BOOKINGS_PER_SOURCE_IP_PER_HOUR",
            defaults.bookings_per_source_ip_per_hour,
        ),
        booking_texts_per_phone_per_day: read(
            "BOOKING_TEXTS_PER_PHONE_PER_DAY",
            defaults.booking_texts_per_phone_per_day,
        ),
        codes_per_user_per_hour: read(
            "VERIFICATION_CODES_PER_USER_PER_HOUR",
            defaults.codes_per_user_per_hour,
        ),
        codes_per_phone_per_day: read(
            "VERIFICATION_CODES_PER_PHONE_PER_DAY",
            defaults.codes_per_phone_per_day,
        ),
    }
}

impl AppConfig {
    /// Where texts may go: the allowed countries, and never our own sending number.
    pub fn sms_destinations(&self) -> SmsDestinations {
        SmsDestinations::new(
            &self.sms.allowed_countries,
            self.sms.sender_number.as_deref(),
        )
    }

    /// Whether the carrier itself answers STOP for our number: on a US toll-free number
    /// opt-outs are managed at the carrier level (AWS End User Messaging SMS), so the
    /// carrier confirms a STOP and blocks later texts; our own confirmation would be a
    /// second one.
    pub fn carrier_answers_stop(&self) -> bool {
        self.sms.sender_number_type.as_deref() == Some("TOLL_FREE")
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::collections::HashMap;

    /// An environment of these variables only, for `from_lookup` and its kin.
    pub(crate) fn lookup(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |key| map.get(key).cloned()
    }

    #[test]
    fn product_name_defaults_to_rally_and_empty_sender_means_none() {
        let config = AppConfig::from_lookup(lookup(&[
            ("TABLE_NAME", "t"),
            ("CONSENT_TABLE_NAME", "c"),
            ("PUBLIC_BASE_URL", "https://api.example"),
            ("EVENT_BUS_NAME", "b"),
            ("APP_URL", "https://app.example"),
            ("SENDER_NUMBER", ""),
        ]))
        .unwrap();
        assert_eq!(config.product_name, "Rally");
        assert_eq!(config.sms.sender_number, None);
    }

    #[test]
    fn only_a_toll_free_number_has_its_carrier_answer_stop() {
        let with = |kind: &str| {
            AppConfig::from_lookup(lookup(&[
                ("TABLE_NAME", "t"),
                ("CONSENT_TABLE_NAME", "c"),
                ("PUBLIC_BASE_URL", "https://api.example"),
                ("EVENT_BUS_NAME", "b"),
                ("APP_URL", "https://app.example"),
                ("SENDER_NUMBER_TYPE", kind),
            ]))
            .unwrap()
            .carrier_answers_stop()
        };
        assert!(with("TOLL_FREE"));
        assert!(with("toll_free"));
        assert!(!with("TEN_DLC"));
        assert!(!with(""));
    }

    #[test]
    fn limits_and_countries_come_from_the_template_or_its_defaults() {
        let base = [
            ("TABLE_NAME", "t"),
            ("CONSENT_TABLE_NAME", "c"),
            ("PUBLIC_BASE_URL", "https://api.example"),
            ("EVENT_BUS_NAME", "b"),
            ("APP_URL", "https://app.example"),
            ("SENDER_NUMBER", "+18445550100"),
        ];
        let config = AppConfig::from_lookup(lookup(&base)).unwrap();
        assert_eq!(config.sms.limits, SmsLimits::default());
        assert_eq!(config.sms_destinations().countries(), ["US", "CA"]);
        assert!(config.sms_destinations().check("+18445550100").is_err());
        let mut set = base.to_vec();
        set.extend([
            ("SMS_ALLOWED_COUNTRIES", "US"),
            ("BOOKINGS_PER_SOURCE_IP_PER_HOUR", "3"),
            ("VERIFICATION_CODES_PER_PHONE_PER_DAY", "0"),
        ]);
        let config = AppConfig::from_lookup(lookup(&set)).unwrap();
        assert_eq!(config.sms.limits.bookings_per_source_ip_per_hour, 3);
        assert_eq!(config.sms.limits.codes_per_phone_per_day, 10);
        assert!(config.sms_destinations().check("+14165550123").is_err());
    }

    #[test]
    fn missing_table_is_an_error_naming_the_variable() {
        let err = AppConfig::from_lookup(lookup(&[("EVENT_BUS_NAME", "b")])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "environment variable TABLE_NAME is required"
        );
    }
}
