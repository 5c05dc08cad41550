//! Consumer of `PanelMessagePosted`: delivers the message to the panel's API with
//! retries and backoff, and records the delivery on the message. When every try fails
//! the invocation fails, so Lambda retries it and then sends it to the DLQ.
use chrono::Utc;
use shared::adapters::dynamodb::DynamoStore;
use shared::aws_events::EventBridgeEvent;
use shared::domain::events::PanelMessagePosted;
use shared::domain::panel_chat::{self, RelayPolicy, RelayReport};
use shared::domain::DomainError;
use shared::ports::PanelApi;

pub struct RelayState<P> {
    pub store: DynamoStore,
    pub panel: P,
    pub policy: RelayPolicy,
}

pub async fn handle<P: PanelApi>(
    state: &RelayState<P>,
    event: EventBridgeEvent<PanelMessagePosted>,
) -> Result<RelayReport, DomainError> {
    panel_chat::relay_message(
        &state.store,
        &state.panel,
        &state.policy,
        &event.detail,
        Utc::now(),
    )
    .await
}

/// The relay's state on a cold start: the store, and the panel's client with the
/// credentials read from Secrets Manager.
pub async fn state(
    config: shared::config::AppConfig,
    sdk: shared::aws::SdkConfig,
) -> Result<RelayState<shared::adapters::panel_http::HttpPanelApi>, lambda_runtime::Error> {
    use shared::adapters::panel_http::{load_credentials, HttpPanelApi};
    let credentials =
        load_credentials(&sdk, config.panel.credentials_secret_arn.as_deref()).await?;
    let panel = HttpPanelApi::new(config.panel.api_base_url.clone(), &credentials)?;
    let worker = shared::lambda::WorkerState::new(&sdk, config);
    Ok(RelayState {
        store: worker.store,
        panel,
        policy: RelayPolicy::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_message_from_the_eventbridge_event() {
        let fixture = include_str!(
            "../../../tests/fixtures/aws-events/eventbridge-panel-message-posted.json"
        );
        let event: EventBridgeEvent<PanelMessagePosted> = serde_json::from_str(fixture).unwrap();
        assert_eq!(event.detail.study_id, "st_0123456789abcdef");
        assert_eq!(event.detail.message_id, "msg_0123456789abcdef");
        assert_eq!(
            event.detail.sent_at.to_rfc3339(),
            "2026-12-01T14:45:00.250+00:00"
        );
    }
}
