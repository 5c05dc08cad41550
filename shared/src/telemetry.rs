//! Structured JSON logs. Callers log ids and phone last-4 digits only: never a phone
//! number, an email address or a message body.
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::prelude::*;
use tracing_subscriber::EnvFilter;

use crate::metrics::EmfLayer;

/// Installs the JSON log subscriber once per cold start, with the metrics layer
/// ([`crate::metrics`]) beside it. Safe to call twice (the local stack hosts many
/// functions in one process): the second call is a no-op.
pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    install(std::io::stdout, filter);
}

/// Installs the same subscriber writing to `writer` (tests read the logs and the metric
/// lines back). A no-op when a subscriber is already installed.
pub fn init_with_writer<W>(writer: W, filter: &str)
where
    W: for<'a> MakeWriter<'a> + Clone + Send + Sync + 'static,
{
    install(writer, EnvFilter::new(filter));
}

fn install<W>(writer: W, filter: EnvFilter)
where
    W: for<'a> MakeWriter<'a> + Clone + Send + Sync + 'static,
{
    let logs = tracing_subscriber::fmt::layer()
        .json()
        .with_current_span(false)
        .without_time()
        .with_writer(writer.clone());
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(logs)
        .with(EmfLayer::new(writer))
        .try_init();
}

/// The last four digits of a phone number, the most of it any log may carry.
pub fn phone_last4(phone: &str) -> String {
    let digits: Vec<char> = phone.chars().filter(char::is_ascii_digit).collect();
    let start = digits.len().saturating_sub(4);
    digits[start..].iter().collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn last4_keeps_only_four_digits() {
        assert_eq!(super::phone_last4("+16175550123"), "0123");
        assert_eq!(super::phone_last4("12"), "12");
    }
}
