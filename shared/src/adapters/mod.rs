//! The AWS implementations of the ports: one each.
pub mod at_most_once;
pub mod dynamodb;
pub mod eventbridge;
pub mod panel_http;
pub mod ses;
pub mod sns;
pub mod sns_webhook;
pub mod sqs;
