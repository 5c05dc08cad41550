//! Secure messaging for the study team: only the team starts a conversation, and every
//! owner and teammate sees and answers the same thread.

use lambda_http::Request;
use schemars::JsonSchema;
use shared::domain::messaging::{
    self, ConversationCreated, MessageCreated, MessageView, TeamConversationView,
};
use shared::domain::pagination::Page;
use shared::domain::Caller;
use shared::http::doc::PageQuery;
use shared::http::{self, read_body, schema, Answered, MessageBody};
use shared::lambda::ApiState;

/// `POST /studies/{sid}/conversations`: the first message to a participant.
#[derive(JsonSchema)]
pub struct StartConversation {
    #[schemars(with = "schema::Name")]
    pub participant_id: String,
    #[schemars(with = "schema::Text")]
    pub body: String,
}

shared::read_fields!(StartConversation {
    participant_id,
    body
});

shared::api! {
    caller "POST /studies/{sid}/conversations" 201 .idempotent() .body::<StartConversation>() => start;
    caller "GET /studies/{sid}/conversations" 200 .query::<PageQuery>() => list;
    caller "POST /studies/{sid}/conversations/{cid}/messages" 201 .idempotent() .body::<MessageBody>() => write;
    caller "GET /studies/{sid}/conversations/{cid}/messages" 200 .query::<PageQuery>() => messages;
}

/// `POST /studies/{sid}/conversations`: starts a conversation with its first message.
async fn start(state: &ApiState, req: &Request, caller: &Caller) -> Answered<ConversationCreated> {
    let sid = http::path_param(req, "sid")?;
    let body = http::json_body(req)?;
    let read: StartConversation = read_body(&body)?;
    let (participant_id, text) = (read.participant_id, read.body);
    let asked = http::asked(req, caller, &body)?;
    let created = messaging::start_conversation(
        &state.store,
        state.mailer(),
        &state.messaging,
        asked,
        &sid,
        &participant_id,
        &text,
    )
    .await?;
    Ok(created)
}

/// `GET /studies/{sid}/conversations`: the study's conversations.
async fn list(
    state: &ApiState,
    req: &Request,
    caller: &Caller,
) -> Answered<Page<TeamConversationView>> {
    let sid = http::path_param(req, "sid")?;
    let page = http::page_request(req)?;
    Ok(messaging::list_team_conversations(&state.store, caller, &sid, &page).await?)
}

/// `POST /studies/{sid}/conversations/{cid}/messages`: the team answers.
async fn write(state: &ApiState, req: &Request, caller: &Caller) -> Answered<MessageCreated> {
    let sid = http::path_param(req, "sid")?;
    let cid = http::path_param(req, "cid")?;
    let body = http::json_body(req)?;
    let text = read_body::<MessageBody>(&body)?.body;
    let asked = http::asked(req, caller, &body)?;
    let created = messaging::post_team_message(
        &state.store,
        state.mailer(),
        &state.messaging,
        asked,
        &sid,
        &cid,
        &text,
    )
    .await?;
    Ok(created)
}

/// `GET /studies/{sid}/conversations/{cid}/messages`: one thread.
async fn messages(state: &ApiState, req: &Request, caller: &Caller) -> Answered<Page<MessageView>> {
    let sid = http::path_param(req, "sid")?;
    let cid = http::path_param(req, "cid")?;
    let page = http::page_request(req)?;
    Ok(messaging::team_messages(&state.store, caller, &sid, &cid, &page).await?)
}
