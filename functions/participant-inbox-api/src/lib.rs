//! Secure messaging for the participant: the conversations study teams started with
//! them (met by their verified email), accepting one, reading and replying, and the
//! bell (a team member's bell too: replies in their studies), and the user's own
//! notification settings. There is no route by which a participant starts a
//! conversation.

use lambda_http::Request;
use schemars::JsonSchema;
use shared::domain::messaging::{
    self, team_notice, team_notice::NotificationSettings, MessageCreated, MessageView,
    MyConversationView, NotificationRead, NotificationView,
};
use shared::domain::pagination::Page;
use shared::domain::Caller;
use shared::http::doc::PageQuery;
use shared::http::{self, read_body, Answered, MessageBody};
use shared::lambda::ApiState;

shared::api! {
    caller "GET /me/conversations" 200 .query::<PageQuery>() => my_conversations;
    caller "POST /me/conversations/{cid}/accept" 200 => accept;
    caller "GET /me/conversations/{cid}/messages" 200 .query::<PageQuery>() => my_messages;
    caller "POST /me/conversations/{cid}/messages" 201 .idempotent() .body::<MessageBody>() => reply;
    caller "GET /me/notifications" 200 .query::<PageQuery>() => my_notifications;
    caller "POST /me/notifications/{nid}/read" 200 => read_notification;
    caller "GET /me/settings/notifications" 200 => my_settings;
    caller "PUT /me/settings/notifications" 200 .body::<SetNotifications>() => set_my_settings;
}

/// `GET /me/conversations`.
async fn my_conversations(
    state: &ApiState,
    req: &Request,
    caller: &Caller,
) -> Answered<Page<MyConversationView>> {
    let page = http::page_request(req)?;
    Ok(messaging::my_conversations(&state.store, caller, &page).await?)
}

/// `POST /me/conversations/{cid}/accept`.
async fn accept(state: &ApiState, req: &Request, caller: &Caller) -> Answered<MyConversationView> {
    let cid = http::path_param(req, "cid")?;
    Ok(messaging::accept_conversation(&state.store, caller, &cid).await?)
}

/// `GET /me/conversations/{cid}/messages`.
async fn my_messages(
    state: &ApiState,
    req: &Request,
    caller: &Caller,
) -> Answered<Page<MessageView>> {
    let cid = http::path_param(req, "cid")?;
    let page = http::page_request(req)?;
    Ok(messaging::my_messages(&state.store, caller, &cid, &page).await?)
}

/// `POST /me/conversations/{cid}/messages`: the body is read before the path.
async fn reply(state: &ApiState, req: &Request, caller: &Caller) -> Answered<MessageCreated> {
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
    Ok(created)
}

/// `GET /me/notifications`: the bell.
async fn my_notifications(
    state: &ApiState,
    req: &Request,
    caller: &Caller,
) -> Answered<Page<NotificationView>> {
    let page = http::page_request(req)?;
    Ok(messaging::my_notifications(&state.store, caller, &page).await?)
}

/// `POST /me/notifications/{nid}/read`.
async fn read_notification(
    state: &ApiState,
    req: &Request,
    caller: &Caller,
) -> Answered<NotificationRead> {
    let nid = http::path_param(req, "nid")?;
    Ok(messaging::read_notification(&state.store, caller, &nid).await?)
}

/// `GET /me/settings/notifications`.
async fn my_settings(
    state: &ApiState,
    _req: &Request,
    caller: &Caller,
) -> Answered<NotificationSettings> {
    Ok(team_notice::my_settings(&state.store, caller).await?)
}

/// `PUT /me/settings/notifications`.
async fn set_my_settings(
    state: &ApiState,
    req: &Request,
    caller: &Caller,
) -> Answered<NotificationSettings> {
    let settings = read_body::<SetNotifications>(&http::json_body(req)?)?.into();
    Ok(team_notice::set_my_settings(&state.store, caller, settings).await?)
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
