//! Sending an email (SES).
use super::SendError;
use crate::domain::messaging::email::Email;

/// Email through SES, from the configured sender address.
pub trait Mailer {
    async fn send_email(&self, to: &str, email: &Email) -> Result<(), SendError>;
}
