//! Secure messaging for the study team: only the team starts a conversation, and every
//! owner and teammate sees and answers the same thread.

use schemars::JsonSchema;
use shared::domain::messaging::{
    self, ConversationCreated, MessageCreated, MessageView, TeamConversationView,
};
use shared::domain::pagination::Page;
use shared::http::doc::PageQuery;
use shared::http::{schema, Answered, Call, MessageBody};

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
async fn start(call: Call<'_>) -> Answered<ConversationCreated> {
    let sid = call.path("sid")?;
    let (read, asked) = call.create::<StartConversation>()?;
    let (participant_id, text) = (read.participant_id, read.body);
    let messenger = call.state.messenger();
    Ok(messenger
        .start_conversation(asked, &sid, &participant_id, &text)
        .await?)
}

/// `GET /studies/{sid}/conversations`: the study's conversations.
async fn list(call: Call<'_>) -> Answered<Page<TeamConversationView>> {
    let sid = call.path("sid")?;
    let page = call.page()?;
    Ok(messaging::list_team_conversations(call.store(), call.caller, &sid, &page).await?)
}

/// `POST /studies/{sid}/conversations/{cid}/messages`: the team answers.
async fn write(call: Call<'_>) -> Answered<MessageCreated> {
    let sid = call.path("sid")?;
    let cid = call.path("cid")?;
    let (MessageBody { body: text }, asked) = call.create()?;
    let messenger = call.state.messenger();
    Ok(messenger
        .post_team_message(asked, &sid, &cid, &text)
        .await?)
}

/// `GET /studies/{sid}/conversations/{cid}/messages`: one thread.
async fn messages(call: Call<'_>) -> Answered<Page<MessageView>> {
    let (ids, page) = (call.in_study("cid")?, call.page()?);
    Ok(messaging::team_messages(call.store(), ids.ask(&call), &page).await?)
}
