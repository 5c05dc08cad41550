//! Secure messaging for the participant: the conversations study teams started with
//! them (met by their verified email), accepting one, reading and replying, and the
//! bell (a team member's bell too: replies in their studies), and the user's own
//! notification settings. There is no route by which a participant starts a
//! conversation.
use lambda_http::{Body, Request, Response};
use schemars::JsonSchema;
use shared::domain::messaging::{
    self, team_notice, team_notice::NotificationSettings, MessageCreated, MessageView,
    MyConversationView, NotificationRead, NotificationView,
};
use shared::domain::pagination::Page;
use shared::http::doc::PageQuery;
use shared::http::{self, read_body, ApiError, Fields, MessageBody, Operation, ReadBody};
use shared::lambda::ApiState;

pub async fn handle(state: &ApiState, req: Request) -> Response<Body> {
    let result = route(state, &req).await;
    http::respond(&req, result)
}

async fn route(state: &ApiState, req: &Request) -> Result<Response<Body>, ApiError> {
    let caller = http::caller(req)?;
    let cid = || http::path_param(req, "cid");
    match http::route_key(req).as_deref() {
        Some("GET /me/conversations") => http::json(
            200,
            &messaging::my_conversations(&state.store, &caller, &http::page_request(req)?).await?,
        ),
        Some("POST /me/conversations/{cid}/accept") => http::json(
            200,
            &messaging::accept_conversation(&state.store, &caller, &cid()?).await?,
        ),
        Some("GET /me/conversations/{cid}/messages") => http::json(
            200,
            &messaging::my_messages(&state.store, &caller, &cid()?, &http::page_request(req)?)
                .await?,
        ),
        Some("POST /me/conversations/{cid}/messages") => {
            let body = http::json_body(req)?;
            let text = read_body::<MessageBody>(&body)?.body;
            let key = http::idempotency_key(req, &caller, &body)?;
            let created = messaging::post_participant_message(
                &state.store,
                state.mailer(),
                &state.messaging,
                &caller,
                &cid()?,
                &text,
                key,
                chrono::Utc::now(),
            )
            .await?;
            http::json(201, &created)
        }
        Some("GET /me/notifications") => http::json(
            200,
            &messaging::my_notifications(&state.store, &caller, &http::page_request(req)?).await?,
        ),
        Some("POST /me/notifications/{nid}/read") => {
            let nid = http::path_param(req, "nid")?;
            http::json(
                200,
                &messaging::read_notification(&state.store, &caller, &nid).await?,
            )
        }
        Some("GET /me/settings/notifications") => {
            http::json(200, &team_notice::my_settings(&state.store, &caller).await?)
        }
        Some("PUT /me/settings/notifications") => {
            let settings = read_body::<SetNotifications>(&http::json_body(req)?)?.into();
            http::json(
                200,
                &team_notice::set_my_settings(&state.store, &caller, settings).await?,
            )
        }
        _ => Err(ApiError::RouteNotFound),
    }
}

/// `PUT /me/settings/notifications`.
#[derive(JsonSchema)]
pub struct SetNotifications {
    /// Whether a team member hears by email of replies in their conversations.
    pub reply_emails: bool,
}

impl ReadBody for SetNotifications {
    fn read(fields: &mut Fields<'_>) -> Option<Self> {
        let reply_emails = fields.bool("reply_emails");
        Some(Self {
            reply_emails: reply_emails?,
        })
    }
}

impl From<SetNotifications> for NotificationSettings {
    fn from(s: SetNotifications) -> Self {
        NotificationSettings {
            reply_emails: s.reply_emails,
        }
    }
}

/// What each route of `route` reads and answers, for `/openapi.json`.
pub fn operations() -> Vec<Operation> {
    vec![
        Operation::new("GET /me/conversations", 200)
            .query::<PageQuery>()
            .replies::<Page<MyConversationView>>(),
        Operation::new("POST /me/conversations/{cid}/accept", 200).replies::<MyConversationView>(),
        Operation::new("GET /me/conversations/{cid}/messages", 200)
            .query::<PageQuery>()
            .replies::<Page<MessageView>>(),
        Operation::new("POST /me/conversations/{cid}/messages", 201)
            .idempotent()
            .body::<MessageBody>()
            .replies::<MessageCreated>(),
        Operation::new("GET /me/notifications", 200)
            .query::<PageQuery>()
            .replies::<Page<NotificationView>>(),
        Operation::new("POST /me/notifications/{nid}/read", 200).replies::<NotificationRead>(),
        Operation::new("GET /me/settings/notifications", 200).replies::<NotificationSettings>(),
        Operation::new("PUT /me/settings/notifications", 200)
            .body::<SetNotifications>()
            .replies::<NotificationSettings>(),
    ]
}
