//! Secure messaging for the participant: the conversations study teams started with
//! them (met by their verified email), accepting one, reading and replying, and the
//! bell (a team member's bell too: replies in their studies), and the user's own
//! notification settings. There is no route by which a participant starts a
//! conversation.

use schemars::JsonSchema;
use shared::domain::messaging::{
    self, team_notice, team_notice::NotificationSettings, MessageCreated, MessageView,
    MyConversationView, NotificationRead, NotificationView,
};
use shared::domain::pagination::Page;
use shared::http::doc::PageQuery;
use shared::http::{Answered, Call, MessageBody};

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
async fn my_conversations(call: Call<'_>) -> Answered<Page<MyConversationView>> {
    let page = call.page()?;
    Ok(messaging::my_conversations(call.store(), call.caller, &page).await?)
}

/// `POST /me/conversations/{cid}/accept`.
async fn accept(call: Call<'_>) -> Answered<MyConversationView> {
    let cid = call.path("cid")?;
    Ok(messaging::accept_conversation(call.store(), call.caller, &cid).await?)
}

/// `GET /me/conversations/{cid}/messages`.
async fn my_messages(call: Call<'_>) -> Answered<Page<MessageView>> {
    let cid = call.path("cid")?;
    let page = call.page()?;
    Ok(messaging::my_messages(call.store(), call.caller, &cid, &page).await?)
}

/// `POST /me/conversations/{cid}/messages`: the body is read before the path.
async fn reply(call: Call<'_>) -> Answered<MessageCreated> {
    let (MessageBody { body: text }, asked) = call.create()?;
    let cid = call.path("cid")?;
    let messenger = call.state.messenger();
    Ok(messenger
        .post_participant_message(asked, &cid, &text)
        .await?)
}

/// `GET /me/notifications`: the bell.
async fn my_notifications(call: Call<'_>) -> Answered<Page<NotificationView>> {
    let page = call.page()?;
    Ok(messaging::my_notifications(call.store(), call.caller, &page).await?)
}

/// `POST /me/notifications/{nid}/read`.
async fn read_notification(call: Call<'_>) -> Answered<NotificationRead> {
    let nid = call.path("nid")?;
    Ok(messaging::read_notification(call.store(), call.caller, &nid).await?)
}

/// `GET /me/settings/notifications`.
async fn my_settings(call: Call<'_>) -> Answered<NotificationSettings> {
    Ok(team_notice::my_settings(call.store(), call.caller).await?)
}

/// `PUT /me/settings/notifications`.
async fn set_my_settings(call: Call<'_>) -> Answered<NotificationSettings> {
    let settings = call.body::<SetNotifications>()?.into();
    Ok(team_notice::set_my_settings(call.store(), call.caller, settings).await?)
}

/// `PUT /me/settings/notifications`.
#[derive(JsonSchema)]
pub struct SetNotifications {
    /// Whether a team member hears by email of replies in their conversations.
    pub reply_emails: bool,
}

shared::read_fields!(SetNotifications { reply_emails });

shared::from_fields!(|s: SetNotifications| NotificationSettings { reply_emails });
