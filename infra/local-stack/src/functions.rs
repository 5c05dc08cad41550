//! Which crate's handler serves each function of the template. This is the one list
//! the local stack keeps by hand; it refuses to start when the template names a
//! function that is missing here, so the two cannot drift apart silently.
use futures_like::BoxFuture;
use lambda_http::{Body, Request, Response};
use serde_json::Value;
use shared::aws_events::Scrubbed;
use shared::lambda::{ApiState, WorkerState};
use std::sync::Arc;

pub type HttpHandler = Arc<dyn Fn(Request) -> BoxFuture<Response<Body>> + Send + Sync>;

mod futures_like {
    use std::future::Future;
    use std::pin::Pin;
    pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;
}

/// An HTTP function's handler, its future boxed.
fn http<F, Fut>(handle: F) -> HttpHandler
where
    F: Fn(Request) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Response<Body>> + Send + 'static,
{
    Arc::new(move |req| Box::pin(handle(req)))
}

pub fn http_handler(function: &str, state: &'static ApiState) -> Option<HttpHandler> {
    let handler: HttpHandler = match function {
        "WorkspacesApiFunction" => http(move |req| workspaces_api::handle(state, req)),
        "StudiesApiFunction" => http(move |req| studies_api::handle(state, req)),
        "BookingsApiFunction" => http(move |req| bookings_api::handle(state, req)),
        "PublicBookingFunction" => http(move |req| public_booking::handle(state, req)),
        "ManageBookingFunction" => http(move |req| manage_booking::handle(state, req)),
        "SmsConsentApiFunction" => http(move |req| sms_consent_api::handle(state, req)),
        "ParticipantsApiFunction" => http(move |req| participants_api::handle(state, req)),
        "ConversationsApiFunction" => http(move |req| conversations_api::handle(state, req)),
        "ParticipantInboxApiFunction" => http(move |req| participant_inbox_api::handle(state, req)),
        "PhoneVerificationApiFunction" => {
            http(move |req| phone_verification_api::handle(state, req))
        }
        "SupportApiFunction" => http(move |req| support_api::handle(state, req)),
        "PanelChatApiFunction" => http(move |req| panel_chat_api::handle(state, req)),
        _ => return None,
    };
    Some(handler)
}

/// A worker function (EventBridge rule or schedule target): the event's JSON in, its
/// result as JSON (or the error's text) out.
pub type WorkerHandler = Arc<dyn Fn(Value) -> BoxFuture<Result<Value, String>> + Send + Sync>;

fn worker<E, F, Fut, R>(handler: F) -> WorkerHandler
where
    E: serde::de::DeserializeOwned,
    F: Fn(E) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<R, shared::domain::DomainError>> + Send + 'static,
    R: serde::Serialize,
{
    // As on Lambda, an event that is not the function's event type fails the
    // invocation before the handler runs. Read from the event's bytes, as the runtime
    // reads the invocation's body: some types (CloudWatch Logs' `awslogs`) borrow their
    // keys, which a `serde_json::Value` cannot lend.
    Arc::new(
        move |event: Value| match serde_json::from_str::<Scrubbed<E>>(&event.to_string()) {
            Ok(Scrubbed(event)) => {
                let result = handler(event);
                Box::pin(async move {
                    match result.await {
                        Ok(out) => Ok(serde_json::to_value(out).unwrap_or(Value::Null)),
                        Err(e) => Err(e.to_string()),
                    }
                })
            }
            Err(e) => {
                let error = format!("the event does not deserialize: {e}");
                Box::pin(async move { Err(error) })
            }
        },
    )
}

pub fn worker_handler(function: &str, state: &'static WorkerState) -> Option<WorkerHandler> {
    Some(match function {
        "SmsSenderFunction" => worker(move |event| sms_sender::handle(state, event)),
        "SmsInboundFunction" => worker(move |event| sms_inbound::handle(state, event)),
        "EmailEventsFunction" => worker(move |event| email_events::handle(state, event)),
        "SmsDeliveryStatusFunction" => {
            worker(move |event| sms_delivery_status::handle(state, event))
        }
        "ReminderDispatcherFunction" => {
            worker(move |event| reminder_dispatcher::handle(state, event))
        }
        _ => return None,
    })
}

/// The SMS webhook, verifying against the local certificate source.
pub fn webhook_handler(
    state: &'static sms_webhook::WebhookState<crate::sns_endpoint::LocalSnsEndpoint>,
) -> HttpHandler {
    http(move |req| sms_webhook::handle(state, req))
}

/// The panel webhook, with the secret read from the emulated Secrets Manager.
pub fn panel_webhook_handler(state: &'static panel_webhook::PanelWebhookState) -> HttpHandler {
    http(move |req| panel_webhook::handle(state, req))
}

/// The panel relay, delivering to the local panel stand-in.
pub fn panel_relay_handler(
    state: &'static panel_relay::RelayState<shared::adapters::panel_http::HttpPanelApi>,
) -> WorkerHandler {
    worker(move |event| panel_relay::handle(state, event))
}

/// The routes each API function documents beside its router (`operations()` in its
/// crate), by the template's name for the function.
pub fn operations(function: &str) -> Option<Vec<shared::http::Operation>> {
    Some(match function {
        "WorkspacesApiFunction" => workspaces_api::operations(),
        "StudiesApiFunction" => studies_api::operations(),
        "BookingsApiFunction" => bookings_api::operations(),
        "PublicBookingFunction" => public_booking::operations(),
        "ManageBookingFunction" => manage_booking::operations(),
        "SmsConsentApiFunction" => sms_consent_api::operations(),
        "ParticipantsApiFunction" => participants_api::operations(),
        "ConversationsApiFunction" => conversations_api::operations(),
        "ParticipantInboxApiFunction" => participant_inbox_api::operations(),
        "PhoneVerificationApiFunction" => phone_verification_api::operations(),
        "SupportApiFunction" => support_api::operations(),
        "PanelChatApiFunction" => panel_chat_api::operations(),
        "SmsWebhookFunction" => sms_webhook::operations(),
        "PanelWebhookFunction" => panel_webhook::operations(),
        _ => return None,
    })
}
