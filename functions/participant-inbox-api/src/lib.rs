//! Secure messaging for the participant: the conversations study teams started with
//! them (met by their verified email), accepting one, reading and replying, and the
//! bell (a team member's bell too: replies in their studies), and the user's own
//! notification settings. There is no route by which a participant starts a
//! conversation.
use std::sync::LazyLock;

use lambda_http::{Body, Request, Response};
use schemars::JsonSchema;
use shared::domain::messaging::{
    self, team_notice, team_notice::NotificationSettings, MessageCreated, MessageView,
    MyConversationView, NotificationRead, NotificationView,
};
use shared::domain::pagination::Page;
use shared::domain::Caller;
use shared::http::doc::PageQuery;
use shared::http::{self, read_body, MessageBody, Operation, Reply, Routes};
use shared::lambda::ApiState;

pub async fn handle(state: &ApiState, req: Request) -> Response<Body> {
    ROUTES.answer(state, &req).await
}

/// What each route reads and answers, for `/openapi.json`.
pub fn operations() -> Vec<Operation> {
    ROUTES.operations()
}

static ROUTES: LazyLock<Routes<ApiState>> = LazyLock::new(|| {
    Routes::new()
        .caller(
            Operation::new("GET /me/conversations", 200)
                .query::<PageQuery>()
                .replies::<Page<MyConversationView>>(),
            |s, r, c| Box::pin(my_conversations(s, r, c)),
        )
        .caller(
            Operation::new("POST /me/conversations/{cid}/accept", 200)
                .replies::<MyConversationView>(),
            |s, r, c| Box::pin(accept(s, r, c)),
        )
        .caller(
            Operation::new("GET /me/conversations/{cid}/messages", 200)
                .query::<PageQuery>()
                .replies::<Page<MessageView>>(),
            |s, r, c| Box::pin(my_messages(s, r, c)),
        )
        .caller(
            Operation::new("POST /me/conversations/{cid}/messages", 201)
                .idempotent()
                .body::<MessageBody>()
                .replies::<MessageCreated>(),
            |s, r, c| Box::pin(reply(s, r, c)),
        )
        .caller(
            Operation::new("GET /me/notifications", 200)
                .query::<PageQuery>()
                .replies::<Page<NotificationView>>(),
            |s, r, c| Box::pin(my_notifications(s, r, c)),
        )
        .caller(
            Operation::new("POST /me/notifications/{nid}/read", 200).replies::<NotificationRead>(),
            |s, r, c| Box::pin(read_notification(s, r, c)),
        )
        .caller(
            Operation::new("GET /me/settings/notifications", 200).replies::<NotificationSettings>(),
            |s, r, c| Box::pin(my_settings(s, r, c)),
        )
        .caller(
            Operation::new("PUT /me/settings/notifications", 200)
                .body::<SetNotifications>()
                .replies::<NotificationSettings>(),
            |s, r, c| Box::pin(set_my_settings(s, r, c)),
        )
});

/// `GET /me/conversations`.
async fn my_conversations(state: &ApiState, req: &Request, caller: &Caller) -> Reply {
    let page = http::page_request(req)?;
    http::json(
        200,
        &messaging::my_conversations(&state.store, caller, &page).await?,
    )
}

/// `POST /me/conversations/{cid}/accept`.
async fn accept(state: &ApiState, req: &Request, caller: &Caller) -> Reply {
    let cid = http::path_param(req, "cid")?;
    http::json(
        200,
        &messaging::accept_conversation(&state.store, caller, &cid).await?,
    )
}

/// `GET /me/conversations/{cid}/messages`.
async fn my_messages(state: &ApiState, req: &Request, caller: &Caller) -> Reply {
    let cid = http::path_param(req, "cid")?;
    let page = http::page_request(req)?;
    http::json(
        200,
        &messaging::my_messages(&state.store, caller, &cid, &page).await?,
    )
}

/// `POST /me/conversations/{cid}/messages`: the body is read before the path.
async fn reply(state: &ApiState, req: &Request, caller: &Caller) -> Reply {
    let body = http::json_body(req)?;
    let text = read_body::<MessageBody>(&body)?.body;
    let asked = http::asked(req, caller, &body)?;
    let cid = http::path_param(req, "cid")?;
    let created = messaging::post_participant_message(
        &state.store,
        state.mailer(),
        &state.messaging,
        asked,
        &cid,
        &text,
    )
    .await?;
    http::json(201, &created)
}

/// `GET /me/notifications`: the bell.
async fn my_notifications(state: &ApiState, req: &Request, caller: &Caller) -> Reply {
    let page = http::page_request(req)?;
    http::json(
        200,
        &messaging::my_notifications(&state.store, caller, &page).await?,
    )
}

/// `POST /me/notifications/{nid}/read`.
async fn read_notification(state: &ApiState, req: &Request, caller: &Caller) -> Reply {
    let nid = http::path_param(req, "nid")?;
    http::json(
        200,
        &messaging::read_notification(&state.store, caller, &nid).await?,
    )
}

/// `GET /me/settings/notifications`.
async fn my_settings(state: &ApiState, _req: &Request, caller: &Caller) -> Reply {
    http::json(200, &team_notice::my_settings(&state.store, caller).await?)
}

/// `PUT /me/settings/notifications`.
async fn set_my_settings(state: &ApiState, req: &Request, caller: &Caller) -> Reply {
    let settings = read_body::<SetNotifications>(&http::json_body(req)?)?.into();
    http::json(
        200,
        &team_notice::set_my_settings(&state.store, caller, settings).await?,
    )
}

/// `PUT /me/settings/notifications`.
#[derive(JsonSchema)]
pub struct SetNotifications {
    /// Whether a team member hears by email of replies in their conversations.
    pub reply_emails: bool,
}

shared::read_fields!(SetNotifications { reply_emails });

impl From<SetNotifications> for NotificationSettings {
    fn from(s: SetNotifications) -> Self {
        NotificationSettings {
            reply_emails: s.reply_emails,
        }
    }
}
