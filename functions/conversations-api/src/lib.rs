//! Secure messaging for the study team: only the team starts a conversation, and every
//! owner and teammate sees and answers the same thread.
use std::sync::LazyLock;

use lambda_http::{Body, Request, Response};
use schemars::JsonSchema;
use shared::domain::messaging::{
    self, ConversationCreated, MessageCreated, MessageView, TeamConversationView,
};
use shared::domain::pagination::Page;
use shared::domain::Caller;
use shared::http::doc::PageQuery;
use shared::http::{self, read_body, schema, MessageBody, Operation, Reply, Routes};
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
            Operation::new("POST /studies/{sid}/conversations", 201)
                .idempotent()
                .body::<StartConversation>()
                .replies::<ConversationCreated>(),
            |s, r, c| Box::pin(start(s, r, c)),
        )
        .caller(
            Operation::new("GET /studies/{sid}/conversations", 200)
                .query::<PageQuery>()
                .replies::<Page<TeamConversationView>>(),
            |s, r, c| Box::pin(list(s, r, c)),
        )
        .caller(
            Operation::new("POST /studies/{sid}/conversations/{cid}/messages", 201)
                .idempotent()
                .body::<MessageBody>()
                .replies::<MessageCreated>(),
            |s, r, c| Box::pin(write(s, r, c)),
        )
        .caller(
            Operation::new("GET /studies/{sid}/conversations/{cid}/messages", 200)
                .query::<PageQuery>()
                .replies::<Page<MessageView>>(),
            |s, r, c| Box::pin(messages(s, r, c)),
        )
});

/// `POST /studies/{sid}/conversations`: starts a conversation with its first message.
async fn start(state: &ApiState, req: &Request, caller: &Caller) -> Reply {
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
    http::json(201, &created)
}

/// `GET /studies/{sid}/conversations`: the study's conversations.
async fn list(state: &ApiState, req: &Request, caller: &Caller) -> Reply {
    let sid = http::path_param(req, "sid")?;
    let page = http::page_request(req)?;
    http::json(
        200,
        &messaging::list_team_conversations(&state.store, caller, &sid, &page).await?,
    )
}

/// `POST /studies/{sid}/conversations/{cid}/messages`: the team answers.
async fn write(state: &ApiState, req: &Request, caller: &Caller) -> Reply {
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
    http::json(201, &created)
}

/// `GET /studies/{sid}/conversations/{cid}/messages`: one thread.
async fn messages(state: &ApiState, req: &Request, caller: &Caller) -> Reply {
    let sid = http::path_param(req, "sid")?;
    let cid = http::path_param(req, "cid")?;
    let page = http::page_request(req)?;
    http::json(
        200,
        &messaging::team_messages(&state.store, caller, &sid, &cid, &page).await?,
    )
}
